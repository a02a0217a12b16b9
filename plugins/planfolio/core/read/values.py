"""Value readers: a node as written -> its typed value, or the problem with it.

They work on the text as written, so nothing is coerced the YAML 1.1 way. None means there is nothing to
read and nothing new to say (an alias, already reported as PF006). A problem's text starts with the key
(`` `due` must be ...``); whoever reads the mapping says whose key it is.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from urllib.parse import urlsplit

from .. import codes
from ..codes import Rule
from ..findings import code, quote
from .format import Key, Type
from .yamltree import Node, Scalar, Sequence

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")  # YAML 1.2 core, as editors read it
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_UNSAFE_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding before it is tied to a file: `text` follows whom it is about (`goal: `)."""

    rule: Rule
    line: int
    column: int
    text: str

    def about(self, subject: object) -> Problem:
        return Problem(self.rule, self.line, self.column, f"{subject}: {self.text}")


class Reference(NamedTuple):
    """An id as written where an item names the item it serves; whether it exists is told later."""

    target: str
    line: int
    column: int


def nearest(word: str, choices: Collection[str]) -> str | None:
    """The choice nearest to a mistyped word, if one is near enough."""
    if not choices:
        return None
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not matches:
        lowered = {choice.lower(): choice for choice in choices}
        matches = [lowered[word.lower()]] if word.lower() in lowered else []
    return matches[0] if matches else None


def suggest(word: str, choices: Collection[str]) -> str:
    """` (did you mean `x`?)` for the nearest choice, or nothing."""
    match = nearest(word, choices)
    return f" (did you mean {code(match)}?)" if match is not None else ""


def kind_of(node: Node) -> str:
    if type(node) is Scalar:
        return "empty" if node.is_null else "text"
    return "a list" if type(node) is Sequence else "a mapping"


def invalid(node: Node, key: Key, problem: str) -> Problem:
    return Problem(codes.INVALID_VALUE, node.line, node.column, f"`{key.name}` {problem}")


def scalar(node: Node, key: Key, expected: str) -> Scalar | Problem | None:
    if type(node) is not Scalar:
        return invalid(node, key, f"must be {expected}, not {kind_of(node)}")
    if node.alias:
        return None
    if node.is_null or not node.text.strip():
        return invalid(node, key, "must not be empty")
    return node


def text(node: Node, key: Key) -> str | Problem | None:
    read = scalar(node, key, "text")
    return read.text if isinstance(read, Scalar) else read


def a_date(node: Node, key: Key) -> date | Problem | None:
    read = scalar(node, key, "a date YYYY-MM-DD")
    if not isinstance(read, Scalar):
        return read
    if not _DATE.fullmatch(read.text):
        return invalid(node, key, f"must be a date written YYYY-MM-DD, not {quote(read.text)}")
    try:
        return date.fromisoformat(read.text)
    except ValueError:
        return invalid(node, key, f"{quote(read.text)} is not a date that exists")


def number(node: Node, key: Key) -> float | Problem | None:
    read = scalar(node, key, "a number")
    if not isinstance(read, Scalar):
        return read
    if not (read.plain and _NUMBER.fullmatch(read.text)):
        return invalid(node, key, f"must be a number, not {quote(read.text)}")
    value = float(read.text)
    if math.isfinite(value):
        return value
    # 1e999 overflows to infinity, which JSON (portfolio.json) cannot hold
    return invalid(node, key, f"{quote(read.text)} is too large a number: the largest is about 1.8e308")


def boolean(node: Node, key: Key) -> bool | Problem | None:
    read = scalar(node, key, "true or false")
    if not isinstance(read, Scalar):
        return read
    if read.plain and read.text in _TRUE:
        return True
    if read.plain and read.text in _FALSE:
        return False
    return invalid(node, key, f"must be true or false, not {quote(read.text)}")


def choice(node: Node, key: Key) -> str | Problem | None:
    read = text(node, key)
    if type(read) is not str or read in key.choices:
        return read
    return invalid(node, key, f"must be one of {', '.join(key.choices)}, not {quote(read)}{suggest(read, key.choices)}")


def link(node: Node, key: Key) -> str | Problem | None:
    read = text(node, key)
    if type(read) is not str:
        return read
    try:
        parts = urlsplit(read)
        safe = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        safe = False
    if safe and not _UNSAFE_IN_LINK.search(read):
        return read
    return invalid(node, key, f"must be an http:// or https:// URL, not {quote(read)}")


def unknown_person(node: Node, key: Key, name: str, people: frozenset[str] | None) -> Problem | None:
    """PF023 for a name that is not in the people file (the name is kept all the same)."""
    if people is None or name in people:
        return None
    hint = suggest(name, people)
    if not hint:  # no near name: a new person, most likely
        path = getattr(people, "path", None)
        where = code(path) if path else "it"
        hint = f": if they are new, add them to {where}"
    return Problem(codes.UNKNOWN_PERSON, node.line, node.column, f"`{key.name}` names {quote(name)}, who is not in the people file{hint}")


def texts(node: Node, key: Key, people: frozenset[str] | None) -> tuple[list[str], tuple[Problem, ...]] | Problem:
    """A list of text (of persons, for `Type.PEOPLE`): the entries read, and the problems of the others."""
    if type(node) is not Sequence:
        return invalid(node, key, f"must be a list such as [a, b], not {kind_of(node)}")
    values: list[str] = []
    problems: list[Problem] = []
    for entry in node.items:
        read = text(entry, key)
        if type(read) is Problem:
            problems.append(read)
        elif type(read) is str:
            values.append(read)
            unknown = unknown_person(entry, key, read, people) if key.type is Type.PEOPLE else None
            if unknown is not None:
                problems.append(unknown)
    return values, tuple(problems)


def references(node: Node, key: Key) -> tuple[list[Reference], tuple[Problem, ...]] | Problem:
    """An id or a list of ids, with their positions: the ones read, and the problems of the others."""
    if type(node) is Scalar and not node.alias and not node.is_null and node.text.strip():
        return [Reference(node.text, node.line, node.column)], ()  # the common case, one id
    nodes = node.items if type(node) is Sequence else [node]
    if not nodes:
        return invalid(node, key, "must name at least one id")
    found: list[Reference] = []
    problems: list[Problem] = []
    for entry in nodes:
        read = scalar(entry, key, "an id or a list of ids")
        if type(read) is Scalar:
            found.append(Reference(read.text, read.line, read.column))
        elif type(read) is Problem:
            problems.append(read)
    return found, tuple(problems)
