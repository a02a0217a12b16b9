"""Turn a plan file's node tree into the typed model, and the findings of everything wrong in it as written.

In steps: the top level's keys are read by the format's declaration (`format.py`) — values by `values.py`,
each mapping by `keys.py`, each list of items by `items.py`; then the references between items are
resolved (`links.py`), the gaps the findings explain are worked out (`gaps.py`), and the model is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar, cast

from .. import codes
from ..findings import Finding, code
from ..model import CSF, Commitment, Condition, Explained, Goal, Obstacle, Plan, Position
from .format import COMMITMENTS, CONDITIONS, PLAN_ID_PATTERN, TOP, Key, Keys, Type
from .held_back import Gap, lost_links
from .items import Derived, ItemRead, ListRead, once, read_list, same_ends
from .keys import PLAN, Subject, Values, missing_keys, read_keys, read_value, unknown_key
from .links import Linked, relinked, resolve
from .values import Problem, invalid, kind_of
from .yamltree import Document, Mapping, Node, Scalar


def _default(keys: Keys, name: str) -> str:
    """The declared default of a text key."""
    default = keys.named[name].default
    assert isinstance(default, str), name
    return default


_PLAN_STATUS = _default(TOP, "status")
_COMMITMENT_STATUS = _default(COMMITMENTS.keys, "status")
_MET = CONDITIONS.keys.named["met"].default is True
Made = TypeVar("Made", CSF, Condition, Obstacle, Commitment)
_POSITIONED = ("account", "owner", "reviewed", "status", "team")  # top-level keys whose value a finding may point at
_AT_KEY = ("goal", "csfs")  # top-level keys pointed at by their key: the goal (its events), where the chain (and its diagram) starts


@dataclass(slots=True)
class TopRead:
    """The top level as read: its own values, the goal, each list of items, and the problems, in file order."""

    values: Values
    goal: Goal | None
    lists: dict[str, ListRead]
    problems: list[Problem]


def read_plan(
    path: str, plan_id: str, document: Document, people: frozenset[str] | None = None, explained: Explained | None = None
) -> tuple[Plan, list[Finding]]:
    """The model of one plan and the findings of reading it (format, types, ids, references, people).

    `explained`, where given, receives the chain gaps that these findings explain (they are held back).
    """
    findings = [problem.rule.at(path, problem.line, problem.column, problem.message) for problem in document.problems]
    plan, problems, gaps = read_front_matter(path, plan_id, document, people, explained is not None)
    findings += [problem.rule.at(path, problem.line, problem.column, problem.text) for problem in problems]
    if explained is not None:
        for kind, item_id in gaps:
            if item_id is None:
                explained.add_every(kind)
            else:
                explained.add(kind, item_id)
    if not PLAN_ID_PATTERN.fullmatch(plan_id):
        message = f"file name {code(plan_id + '.md')} is not a valid plan id: use lower-case letters, digits and hyphens, starting with a letter or digit"
        findings.append(codes.INVALID_ID.at(path, 1, 1, message))
    return plan, findings


def read_front_matter(
    path: str, plan_id: str, document: Document, people: frozenset[str] | None, gaps_wanted: bool = True
) -> tuple[Plan, list[Problem], list[Gap]]:
    """The plan, the problems found (the document's own aside), and the chain gaps they explain (where wanted)."""
    root = document.root
    if type(root) is not Mapping:
        plan = Plan(id=plan_id, path=path, notes=document.notes, readable=False)
        if root is None and document.problems:
            return plan, [], []
        line, column = (root.line, root.column) if root is not None else (1, 1)
        what = "empty" if root is None or (type(root) is Scalar and root.is_null) else kind_of(root)
        return plan, [Problem(codes.NOT_A_MAPPING, line, column, f"the front matter must be a mapping of keys, not {what}")], []
    sections = document.sections
    derived = sections.derived if sections is not None and sections.people is people else None
    top = read_top(root, people, derived)
    items = [item for listed in top.lists.values() for item in listed.items]
    linked = _resolve(items, {written for listed in top.lists.values() for written in listed.dropped}, derived)
    plan = build_plan(plan_id, path, document, root, top, linked, derived)
    return plan, top.problems + linked.problems, (lost_links(root, top.lists) + linked.gaps) if gaps_wanted else []


def _resolve(items: list[ItemRead], dropped: set[str], derived: Derived | None) -> Linked:
    """`resolve`; for the documents read through the same sections (`derived`), from the links of the one read
    last where these items link alike (`relinked`)."""
    if derived is None:
        return resolve(items, dropped)
    last = cast("tuple[list[ItemRead], Linked] | None", derived.get(_LAST_LINKED))
    linked = (relinked(items, *last) if last is not None else None) or resolve(items, dropped)
    derived[_LAST_LINKED] = (items, linked)
    return linked


_LAST_LINKED = ("last linked",)


def read_top(root: Mapping, people: frozenset[str] | None, derived: Derived | None = None) -> TopRead:
    """The top level's keys, in file order: values, the goal's mapping and the lists of items each in turn
    (each read once for the documents that share its nodes: `derived`)."""
    values, value_problems = _read_values(root, people, derived)
    top = TopRead(values, None, {}, [])
    for name, (key_node, value_node) in root.entries.items():
        key = TOP.named.get(name)
        if key is None:
            top.problems.append(unknown_key(key_node, name, TOP, PLAN))
        elif key.type is Type.MAPPING:
            read = partial(read_goal, value_node, key, people)
            top.goal, goal_problems = read() if derived is None else once(derived, ("goal", id(value_node), id(people)), value_node, read)
            top.problems += goal_problems
        elif key.type is Type.ITEMS:
            listed = top.lists[name] = read_list(value_node, key, PLAN, people, derived)
            top.problems += listed.problems
        else:
            top.problems += value_problems.get(name, ())
    top.problems += missing_keys(root, TOP, PLAN)
    return top


def _read_values(root: Mapping, people: frozenset[str] | None, derived: Derived | None) -> tuple[Values, dict[str, list[Problem]]]:
    """The top level's own values (not the goal's, not the lists') and each one's problems; read once for the
    documents that share all of their nodes (`derived`)."""
    own = [(name, key, value_node) for name, (_key_node, value_node) in root.entries.items() if (key := TOP.named.get(name)) is not None and key.type not in _NOT_OWN]

    def read() -> tuple[Values, dict[str, list[Problem]]]:
        values = Values()
        problems = {}
        for name, key, value_node in own:
            found = read_value(values, value_node, key, people)
            if found:
                problems[name] = [problem.about(PLAN) for problem in found]
        return values, problems

    if derived is None:
        return read()
    nodes = tuple(value_node for _name, _key, value_node in own)
    memo = ("values", id(people), *(name for name, _key, _node in own), *map(id, nodes))
    kept = derived.get(memo)
    if kept is not None and kept[0] == nodes:  # nodes compare by identity
        return cast("tuple[Values, dict[str, list[Problem]]]", kept[1])
    found = derived[memo] = (nodes, read())
    return found[1]


_NOT_OWN = (Type.MAPPING, Type.ITEMS)


def read_goal(node: Node, key: Key, people: frozenset[str] | None) -> tuple[Goal | None, list[Problem]]:
    assert key.keys is not None, key
    if type(node) is not Mapping:
        required = " and ".join(f"a `{required.name}`" for required in key.keys.required)
        return None, [invalid(node, key, f"must be a mapping with {required}, not {kind_of(node)}").about(PLAN)]
    values, problems = read_keys(node, key.keys, Subject(key.name), people)
    goal = Goal(
        statement=values.text.get("statement", ""),
        due=values.date.get("due"),
        baseline=values.number.get("baseline"),
        target=values.number.get("target"),
        current=values.number.get("current"),
        unit=values.text.get("unit"),
    )
    return goal, problems


def build_plan(plan_id: str, path: str, document: Document, root: Mapping, top: TopRead, linked: Linked, derived: Derived | None = None) -> Plan:
    """The model, from the values read and the items kept, each with its links resolved; for the documents read
    through the same sections (`derived`), each list from the one made last (`_made_again`)."""
    values = top.values

    links = linked.links

    def made_list(make: Callable[[ItemRead, tuple[str, ...]], Made], name: str) -> list[Made]:
        listed = top.lists.get(name)
        if listed is None:
            return []
        linked_to: list[tuple[str, ...] | None] = [links.get(id(item)) for item in listed.items]  # None: a duplicate, left out
        if derived is None:
            return [make(item, item_links) for item, item_links in zip(listed.items, linked_to) if item_links is not None]
        return _made_again(derived, make, listed, linked_to)

    return Plan(
        id=plan_id,
        path=path,
        account=values.text.get("account", ""),
        owner=values.text.get("owner", ""),
        status=values.text.get("status", _PLAN_STATUS),
        period=values.text.get("period"),
        team=values.lists.get("team", []),
        tags=values.lists.get("tags", []),
        reviewed=values.date.get("reviewed"),
        goal=top.goal or Goal(),
        csfs=made_list(_csf, "csfs"),
        conditions=made_list(_condition, "conditions"),
        obstacles=made_list(_obstacle, "obstacles"),
        commitments=made_list(_commitment, "commitments"),
        notes=document.notes,
        at=_plan_positions(root),
    )


def _made_again(derived: Derived, make: Callable[[ItemRead, tuple[str, ...]], Made], listed: ListRead, linked_to: list[tuple[str, ...] | None]) -> list[Made]:
    """A list's model made from the one of its kind made last, for the document read before through the same
    sections: the very list where it is the same reading with the same links; else the items it starts and ends
    with, the same readings with the same links, are the models made then, and only those between are made."""
    last_key = ("last made", id(make))
    last = derived.get(last_key)
    made: list[Made] | None = None
    if last is not None:
        last_listed, (last_links, last_made) = cast("tuple[ListRead, tuple[list[tuple[str, ...] | None], list[Made]]]", last)
        if last_listed is listed and last_links == linked_to:
            return last_made
        if None not in linked_to and None not in last_links:  # no duplicate left out: the items and their models align
            start, end = same_ends(last_listed.items, listed.items)
            kept = len(last_links) - end
            if last_links[:start] == linked_to[:start] and last_links[kept:] == linked_to[len(linked_to) - end :]:
                middle = zip(listed.items[start : len(listed.items) - end], linked_to[start : len(linked_to) - end])
                made = last_made[:start] + [make(item, links) for item, links in middle if links is not None] + last_made[kept:]
    if made is None:
        made = [make(item, item_links) for item, item_links in zip(listed.items, linked_to) if item_links is not None]
    derived[last_key] = (listed, (linked_to, made))
    return made


def _csf(item: ItemRead, _links: tuple[str, ...]) -> CSF:
    return CSF(item.id, item.title, item.values.text.get("note"), item.at)


def _obstacle(item: ItemRead, links: tuple[str, ...]) -> Obstacle:
    return Obstacle(item.id, item.title, item.values.text.get("note"), item.at, conditions=links)


def _condition(item: ItemRead, links: tuple[str, ...]) -> Condition:
    return Condition(item.id, item.title, item.values.text.get("note"), item.at, csfs=links, met=item.values.flag.get("met", _MET))


def _commitment(item: ItemRead, links: tuple[str, ...]) -> Commitment:
    values = item.values
    return Commitment(
        item.id, item.title, values.text.get("note"), item.at,
        obstacles=links,
        owner=values.text.get("owner"),
        due=values.date.get("due"),
        status=values.text.get("status", _COMMITMENT_STATUS),
        completed=values.date.get("completed"),
        link=values.text.get("link"),
    )


def _plan_positions(root: Mapping) -> dict[str, Position]:
    at = {"plan": (root.line, root.column)}
    entries = root.entries
    for name in _AT_KEY:
        if name in entries:
            key_node = entries[name][0]
            at[name] = (key_node.line, key_node.column)
    for name in _POSITIONED:
        if name in entries:
            value = entries[name][1]
            at[name] = (value.line, value.column)
    return at
