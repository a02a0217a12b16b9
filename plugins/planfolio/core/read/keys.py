"""Read the keys of one mapping by its declaration: the values read, typed, and the problems found.

Keys are read in file order; unknown keys are reported where they stand, missing ones after the rest.
Keys of type MAPPING and ITEMS are not read here: the top level (`plan.py`) reads them, in their turn.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from .. import codes
from ..findings import code, quote
from .format import Key, Keys, Type
from .values import Problem, Reference, a_date, boolean, choice, link, number, references, scalar, suggest, text, texts, unknown_person
from .yamltree import Mapping, Node, Scalar

T = TypeVar("T")


class Subject:
    """Whom a message is about ("plan", "goal", `commitment C1 "Visit"`), spelled out only when reported."""

    __slots__ = ("kind", "id", "title")

    def __init__(self, kind: str, item_id: str | None = None, title: str = "") -> None:
        self.kind, self.id, self.title = kind, item_id, title

    def __str__(self) -> str:
        if self.id is None:
            return self.kind
        return f"{self.kind} {self.id} {quote(self.title)}" if self.title else f"{self.kind} {self.id}"


PLAN = Subject("plan")


class Values:
    """The values read of one mapping's keys, by key name, in one table for each type of value."""

    __slots__ = ("text", "date", "number", "flag", "lists", "references")

    def __init__(self) -> None:
        self.text: dict[str, str] = {}  # TEXT, PERSON, CHOICE, LINK
        self.date: dict[str, date] = {}
        self.number: dict[str, float] = {}
        self.flag: dict[str, bool] = {}
        self.lists: dict[str, list[str]] = {}  # TEXTS, PEOPLE
        self.references: dict[str, list[Reference]] = {}


Problems = tuple[Problem, ...]
Store = Callable[[Values, Node, Key, "frozenset[str] | None"], Problems]


def _keep(read: T | Problem | None, into: dict[str, T], name: str) -> Problems:
    """Keep a value read (None: an alias already reported), or pass on its problem."""
    if read is None:
        return ()
    if isinstance(read, Problem):
        return (read,)
    into[name] = read
    return ()


def _store_text(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    read = scalar(node, key, "text")  # what `values.text` does, with one call less for the most common key
    if isinstance(read, Scalar):
        values.text[key.name] = read.text
        return ()
    return () if read is None else (read,)


def _store_choice(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    return _keep(choice(node, key), values.text, key.name)


def _store_link(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    return _keep(link(node, key), values.text, key.name)


def _store_person(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    read = text(node, key)
    if read is None:
        return ()
    if isinstance(read, Problem):
        return (read,)
    values.text[key.name] = read
    unknown = unknown_person(node, key, read, people)
    return () if unknown is None else (unknown,)


def _store_date(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    return _keep(a_date(node, key), values.date, key.name)


def _store_number(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    return _keep(number(node, key), values.number, key.name)


def _store_flag(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    return _keep(boolean(node, key), values.flag, key.name)


def _store_list(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    read = texts(node, key, people)
    if isinstance(read, Problem):
        return (read,)
    values.lists[key.name], problems = read
    return problems


def _store_references(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    read = references(node, key)
    if isinstance(read, Problem):
        return (read,)
    values.references[key.name], problems = read
    return problems


def _store_nothing(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    return ()  # an item's id is read before its other keys (messages name it); MAPPING and ITEMS by the top level


_STORES: dict[Type, Store] = {
    Type.TEXT: _store_text,
    Type.CHOICE: _store_choice,
    Type.LINK: _store_link,
    Type.PERSON: _store_person,
    Type.DATE: _store_date,
    Type.NUMBER: _store_number,
    Type.BOOLEAN: _store_flag,
    Type.TEXTS: _store_list,
    Type.PEOPLE: _store_list,
    Type.REFERENCES: _store_references,
}
_TABLES: dict[int, dict[str, tuple[Key, Store]]] = {}  # by id() of the (module-level) Keys: each key and its reader


def _table(keys: Keys) -> dict[str, tuple[Key, Store]]:
    table = _TABLES.get(id(keys))
    if table is None:
        table = _TABLES[id(keys)] = {key.name: (key, _STORES.get(key.type, _store_nothing)) for key in keys.keys}
    return table


def read_value(values: Values, node: Node, key: Key, people: frozenset[str] | None) -> Problems:
    """Read one value of a mapping being read (not a MAPPING or ITEMS key) into its `values`; the problems."""
    return _STORES.get(key.type, _store_nothing)(values, node, key, people)


def read_keys(
    node: Mapping, keys: Keys, subject: object, people: frozenset[str] | None, missing_at: Node | None = None
) -> tuple[Values, list[Problem]]:
    """The values of `keys` in `node` (keys of one value each, not MAPPING or ITEMS), and the problems, each
    told about `subject`. A missing key is reported at `missing_at`, else at the mapping."""
    values = Values()
    problems: list[Problem] = []
    table = _table(keys)
    for name, (key_node, value_node) in node.entries.items():
        entry = table.get(name)
        if entry is None:
            problems.append(unknown_key(key_node, name, keys, subject))
            continue
        found = entry[1](values, value_node, entry[0], people)
        if found:
            problems += [problem.about(subject) for problem in found]
    if not node.entries.keys() >= keys.required_names:
        problems += missing_keys(node, keys, subject, missing_at)
    return values, problems


def unknown_key(key_node: Scalar, name: str, keys: Keys, subject: object) -> Problem:
    return Problem(codes.UNKNOWN_KEY, key_node.line, key_node.column, f"{subject}: unknown key {code(name)}{suggest(name, keys.named)}")


def missing_keys(node: Mapping, keys: Keys, subject: object, at: Node | None = None) -> list[Problem]:
    """PF010 for each required key that is not written, at `at` or else at the mapping."""
    entries = node.entries
    if entries.keys() >= keys.required_names:
        return []
    line, column = (at.line, at.column) if at is not None else (node.line, node.column)
    return [
        Problem(codes.MISSING_KEY, line, column, f"{subject}: required key `{key.name}` is missing")
        for key in keys.required
        if key.name not in entries
    ]
