"""Read one list of items (`csfs`, `conditions`, ...): each entry's id, keys and positions, as written.

An item's references are kept as written (`Reference`); `links.py` resolves them once every list is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from .. import codes
from ..findings import quote
from ..model import Position
from .format import COMMITMENTS, ID_PATTERN, ItemKind, Key
from .keys import Subject, Values, read_keys
from .values import Problem, Reference, invalid, kind_of
from .yamltree import Mapping, Node, Scalar, Sequence

# The keys of an item whose value a finding may point at; "item" is where its `id` key stands.
_POSITIONED = ("title", "due", "met", "completed")


@dataclass(slots=True)
class ItemRead:
    """An item with a valid id, read but not yet linked: its values and the ids it names, as written."""

    kind: ItemKind
    node: Mapping  # as written
    id: str
    title: str  # as read ("" where it was not)
    values: Values
    at: dict[str, Position]
    references: list[Reference]
    live: bool  # False for a dropped commitment, which overcomes nothing

    def describe(self) -> str:
        return f"{self.kind.kind} {self.id} {quote(self.title)}" if self.title else f"{self.kind.kind} {self.id}"


@dataclass(slots=True)
class ListRead:
    """One list's items with a valid id; the entries left out, and the ids written on them; the problems found."""

    items: list[ItemRead]
    left_out: list[Node]
    dropped: list[str]
    problems: list[Problem]


def read_list(node: Node, key: Key, subject: Subject, people: frozenset[str] | None, derived: Derived | None = None) -> ListRead:
    """A list's items read; `derived` (see yamltree.Sections) keeps the list's reading for the next document that
    shares its node, and reads a list from the one of its kind read last (`_read_again`)."""
    kind = key.items
    assert kind is not None, key
    if type(node) is not Sequence:
        return ListRead([], [], [], [invalid(node, key, f"must be a list of {kind.kind} entries, not {kind_of(node)}").about(subject)])
    if derived is None:
        return _read_list(node, key, subject, people)
    # The very list read before (the same node): that list's reading.
    return once(derived, ("list", id(node), id(kind), id(people)), node, lambda: _read_again(node, key, subject, people, derived))


def _read_list(node: Sequence, key: Key, subject: Subject, people: frozenset[str] | None) -> ListRead:
    kind = key.items
    assert kind is not None, key
    read = ListRead([], [], [], [])
    if key.at_least_one and not node.items:
        read.problems.append(invalid(node, key, f"must list at least one {kind.kind}").about(subject))
    for position, entry in enumerate(node.items, 1):
        item, problems, dropped = read_item(kind, entry, position, people)
        if problems:
            read.problems += problems
        if item is not None:
            read.items.append(item)
        else:
            read.left_out.append(entry)
        if dropped is not None:
            read.dropped.append(dropped)
    return read


def _read_again(node: Sequence, key: Key, subject: Subject, people: frozenset[str] | None, derived: Derived) -> ListRead:
    """The list read from the list of its kind read last, another version of it (the document read before):
    where that one was read with nothing wrong, the entries both start and end with, the very same nodes, are
    the items read then; only the entries between are read. An entry read with nothing wrong reads the same in
    any place of its list."""
    last_key = ("last list", id(key))
    last = cast("tuple[Sequence, ListRead] | None", derived.get(last_key))
    read = _spliced(node, key, people, *last) if last is not None else None
    read = read or _read_list(node, key, subject, people)
    derived[last_key] = (node, read)
    return read


def _spliced(node: Sequence, key: Key, people: frozenset[str] | None, last_node: Sequence, last: ListRead) -> ListRead | None:
    """The list's reading from `last`, that of `last_node`; None where that reading or one of the new entries' has
    something wrong (then the whole list is read, to find it all in its places)."""
    kind = key.items
    assert kind is not None, key
    if last.problems or last.left_out or not node.items:
        return None
    start, end = same_ends(last_node.items, node.items)
    items = last.items[:start]
    for position, entry in enumerate(node.items[start : len(node.items) - end], start + 1):
        item, problems, _dropped = read_item(kind, entry, position, people)
        if item is None or problems:
            return None
        items.append(item)
    items += last.items[len(last.items) - end :]
    return ListRead(items, [], [], [])


def same_ends(old: list[Found], new: list[Found]) -> tuple[int, int]:
    """How many entries the two lists start with that are the very same objects, and how many of the rest they
    then end with."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] is new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] is new[-1 - end]:
        end += 1
    return start, end


ItemReading = tuple[ItemRead | None, list[Problem], str | None]
# What readers derive from an object of a document read through yamltree.Sections, by the object's id: the
# object is kept beside it, so that no other can have its id meanwhile.
Derived = dict[tuple[object, ...], tuple[object, object]]
Found = TypeVar("Found")


def once(derived: Derived, key: tuple[object, ...], kept: object, make: Callable[[], Found]) -> Found:
    """`make()`, made once for the documents that share the object `kept` (read through the same sections:
    `derived`), by `key`, which holds its id and whatever else the making depends on."""
    found = derived.get(key)
    if found is not None and found[0] is kept:
        return cast(Found, found[1])
    made = make()
    derived[key] = (kept, made)
    return made


def read_item(kind: ItemKind, node: Node, position: int, people: frozenset[str] | None) -> ItemReading:
    """The item (None where it is left out), the problems found, and the id written on an item left out."""
    if type(node) is not Mapping:
        return None, _not_a_mapping(kind, node, position), None
    entries = node.entries
    id_key, id_node = entries.get("id", (None, None))
    item_id = valid_id(id_node)
    title_node = entries.get("title", (None, None))[1]
    title = title_node.text if type(title_node) is Scalar and not title_node.is_null else ""
    subject = Subject(kind.kind, item_id or f"#{position}", title if item_id else "")
    # A missing key is reported at the item, which is where its `id` key stands (else the mapping).
    values, problems = read_keys(node, kind.keys, subject, people, id_key)
    if item_id is None or id_key is None or id_node is None:
        invalid_id, dropped = _invalid_id(id_node, kind, position)
        return None, invalid_id + problems, dropped
    at = {"item": (id_key.line, id_key.column), "id": (id_node.line, id_node.column)}
    for name in _POSITIONED:
        entry = entries.get(name)
        if entry is not None:
            at[name] = (entry[1].line, entry[1].column)
    link = kind.link
    references = values.references.get(link.name, []) if link is not None else []
    live = kind is not COMMITMENTS or values.text.get("status") != "dropped"
    return ItemRead(kind, node, item_id, values.text.get("title", ""), values, at, references, live), problems, None


def _not_a_mapping(kind: ItemKind, node: Node, position: int) -> list[Problem]:
    if type(node) is Scalar and node.alias:
        return []
    message = f"{kind.kind} #{position} must be a mapping with `id` and `title`, not {kind_of(node)}"
    return [Problem(codes.INVALID_VALUE, node.line, node.column, message)]


def valid_id(node: Node | None) -> str | None:
    """The id written in an item's `id` node, where it is a valid one."""
    if type(node) is Scalar and not node.alias and ID_PATTERN.fullmatch(node.text):
        return node.text
    return None


def _invalid_id(node: Node | None, kind: ItemKind, position: int) -> tuple[list[Problem], str | None]:
    """The PF021 of an id that is not valid, and the id as written on the item it leaves out."""
    if node is None:
        return [], None
    dropped = node.text if type(node) is Scalar else None  # a reference to it is no lost link: the item is left out
    if type(node) is Scalar and node.alias:
        return [], dropped
    shown = quote(node.text) if type(node) is Scalar else kind_of(node)
    message = f"{kind.kind} #{position}: invalid id {shown}: an id starts with a letter and has at most 32 letters, digits, `_`, `.` or `-`"
    return [Problem(codes.INVALID_ID, node.line, node.column, message)], dropped
