"""Turn a plan file's node tree into the typed model, recording a finding for everything that is wrong.

Each key has a reader that takes the node as written and returns the typed value, or records a finding
and returns None. Readers work on the text as written, so nothing is coerced the YAML 1.1 way.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Collection
from datetime import date
from urllib.parse import urlsplit

from .. import codes
from ..codes import Rule
from ..findings import Finding, code, quote
from ..model import (
    COMMITMENT_STATUSES,
    CSF,
    PLAN_STATUSES,
    Commitment,
    Condition,
    Explained,
    Goal,
    Item,
    Obstacle,
    Plan,
)
from .yamltree import Document, Mapping, Node, Scalar, Sequence

ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")
PLAN_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")  # YAML 1.2 core, as editors read it
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_UNSAFE_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f]")
_Fields = dict[str, tuple[bool, Callable[[Node, str], object]]]  # {key: (required, reader)}
# The keys of an item whose value a finding may point at; "item" is where its `id` key stands.
_POSITIONED = ("title", "due", "met", "completed")


class _Subject:
    """What a message is about ("plan", "goal", `commitment C1 "Visit"`), spelled out only when reported."""

    __slots__ = ("kind", "id", "title")

    def __init__(self, kind: str, item_id: str | None = None, title: str = "") -> None:
        self.kind, self.id, self.title = kind, item_id, title

    def __str__(self) -> str:
        if self.id is None:
            return self.kind
        return f"{self.kind} {self.id} {quote(self.title)}" if self.title else f"{self.kind} {self.id}"


_PLAN = _Subject("plan")
_GOAL = _Subject("goal")


# The links of the chain: {item kind: (its reference key, the kind of item it names)}.
_LINKS = {"condition": ("csf", "CSF"), "obstacle": ("condition", "condition"), "commitment": ("obstacle", "obstacle")}
_LISTS = {"conditions": "condition", "obstacles": "obstacle", "commitments": "commitment"}


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


def _article(kind: str) -> str:
    """`a CSF`, `a condition`, `an obstacle`, `a commitment`."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _kind_of(node: Node) -> str:
    if type(node) is Scalar:
        return "empty" if node.is_null else "text"
    return "a list" if type(node) is Sequence else "a mapping"


class PlanReader:
    """Reads one plan's tree. `findings` collects everything found, in file order of discovery."""

    def __init__(self, path: str, plan_id: str, people: frozenset[str] | None = None) -> None:
        self.path = path
        self.people = people
        self.plan = Plan(id=plan_id, path=path)
        self.findings: list[Finding] = []
        self.subject = _PLAN
        # (item, key, referenced id, line, column) for the reference check once all ids are known
        self._references: list[tuple[Item, str, str, int, int]] = []
        self.explained = Explained()  # the chain gaps a finding of this reader explains
        self._item_keys: dict[str, Collection[str]] = {}  # the keys of each kind of item, for mistyped keys
        self._dropped_ids: set[str] = set()  # ids written on items left out for an invalid id

    # -- findings -----------------------------------------------------------------------------------

    def report(self, rule: Rule, line: int, column: int, message: str) -> None:
        self.findings.append(rule.at(self.path, line, column, message))

    def invalid(self, node: Node, key: str, problem: str) -> None:
        self.report(codes.INVALID_VALUE, node.line, node.column, f"{self.subject}: `{key}` {problem}")

    # -- value readers: node -> value, or None after a finding ---------------------------------------

    def _scalar(self, node: Node, key: str, expected: str) -> Scalar | None:
        if type(node) is not Scalar:
            self.invalid(node, key, f"must be {expected}, not {_kind_of(node)}")
            return None
        if node.alias:
            return None
        if node.is_null or not node.text.strip():
            self.invalid(node, key, "must not be empty")
            return None
        return node

    def text(self, node: Node, key: str) -> str | None:
        scalar = self._scalar(node, key, "text")
        return scalar.text if scalar else None

    def date(self, node: Node, key: str) -> date | None:
        scalar = self._scalar(node, key, "a date YYYY-MM-DD")
        if scalar is None:
            return None
        if _DATE.fullmatch(scalar.text):
            try:
                return date.fromisoformat(scalar.text)
            except ValueError:
                self.invalid(node, key, f"{quote(scalar.text)} is not a date that exists")
                return None
        self.invalid(node, key, f"must be a date written YYYY-MM-DD, not {quote(scalar.text)}")
        return None

    def number(self, node: Node, key: str) -> float | None:
        scalar = self._scalar(node, key, "a number")
        if scalar is None:
            return None
        if scalar.plain and _NUMBER.fullmatch(scalar.text):
            value = float(scalar.text)
            if math.isfinite(value):
                return value
            # 1e999 overflows to infinity, which JSON (portfolio.json) cannot hold
            self.invalid(node, key, f"{quote(scalar.text)} is too large a number: the largest is about 1.8e308")
            return None
        self.invalid(node, key, f"must be a number, not {quote(scalar.text)}")
        return None

    def boolean(self, node: Node, key: str) -> bool | None:
        scalar = self._scalar(node, key, "true or false")
        if scalar is None:
            return None
        if scalar.plain and scalar.text in _TRUE:
            return True
        if scalar.plain and scalar.text in _FALSE:
            return False
        self.invalid(node, key, f"must be true or false, not {quote(scalar.text)}")
        return None

    def choice(self, node: Node, key: str, choices: tuple[str, ...]) -> str | None:
        text = self.text(node, key)
        if text is None or text in choices:
            return text
        self.invalid(node, key, f"must be one of {', '.join(choices)}, not {quote(text)}{suggest(text, choices)}")
        return None

    def link(self, node: Node, key: str) -> str | None:
        text = self.text(node, key)
        if text is None:
            return None
        try:
            parts = urlsplit(text)
            safe = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            safe = False
        if safe and not _UNSAFE_IN_LINK.search(text):
            return text
        self.invalid(node, key, f"must be an http:// or https:// URL, not {quote(text)}")
        return None

    def person(self, node: Node, key: str) -> str | None:
        name = self.text(node, key)
        if name is None or self.people is None or name in self.people:
            return name
        hint = suggest(name, self.people)
        if not hint:  # no near name: a new person, most likely
            path = getattr(self.people, "path", None)
            where = code(path) if path else "it"
            hint = f": if they are new, add them to {where}"
        self.report(codes.UNKNOWN_PERSON, node.line, node.column, f"{self.subject}: `{key}` names {quote(name)}, who is not in the people file{hint}")
        return name

    def people_list(self, node: Node, key: str) -> list[str] | None:
        return self.text_list(node, key, self.person)

    def text_list(self, node: Node, key: str, read_one: Callable[[Node, str], str | None] | None = None) -> list[str] | None:
        if type(node) is not Sequence:
            self.invalid(node, key, f"must be a list such as [a, b], not {_kind_of(node)}")
            return None
        read_one = read_one or self.text
        values = [read_one(item, key) for item in node.items]
        return [value for value in values if value is not None]

    def plan_status(self, node: Node, key: str) -> str | None:
        return self.choice(node, key, PLAN_STATUSES)

    def commitment_status(self, node: Node, key: str) -> str | None:
        return self.choice(node, key, COMMITMENT_STATUSES)

    # -- mappings -----------------------------------------------------------------------------------

    def mapping(
        self,
        node: Mapping,
        fields: _Fields,
        missing_at: tuple[int, int] | None = None,
    ) -> dict[str, object]:
        """Read the keys of `fields` ({key: (required, reader)}); report unknown and missing keys."""
        values: dict[str, object] = {}
        for key, (key_node, value_node) in node.entries.items():
            entry = fields.get(key)
            if entry is None:
                self.report(
                    codes.UNKNOWN_KEY, key_node.line, key_node.column, f"{self.subject}: unknown key {code(key)}{suggest(key, fields)}"
                )
                continue
            value = entry[1](value_node, key)
            if value is not None:
                values[key] = value
        line, column = missing_at or (node.line, node.column)
        for key, (required, _reader) in fields.items():
            if required and key not in node.entries:
                self.report(codes.MISSING_KEY, line, column, f"{self.subject}: required key `{key}` is missing")
        return values

    # -- the plan -----------------------------------------------------------------------------------

    def read(self, document: Document) -> Plan:
        plan = self.plan
        plan.notes, plan.notes_line = document.notes, document.notes_line
        root = document.root
        if type(root) is not Mapping:
            plan.readable = False
            if root is not None or not document.problems:
                line, column = (root.line, root.column) if root is not None else (1, 1)
                what = "empty" if root is None or (type(root) is Scalar and root.is_null) else _kind_of(root)
                self.report(codes.NOT_A_MAPPING, line, column, f"the front matter must be a mapping of keys, not {what}")
            return plan
        plan.at["plan"] = (root.line, root.column)
        if "csfs" in root.entries:
            plan.at["csfs"] = _position(root.entries["csfs"][0])  # the key: where the chain (and its diagram) starts
        fields = self._top_fields()
        values = self.mapping(root, fields)
        self._lost_lists(root, fields)
        plan.account = values.get("account", "")  # type: ignore[assignment]
        plan.owner = values.get("owner", "")  # type: ignore[assignment]
        plan.status = values.get("status", "active")  # type: ignore[assignment]
        plan.period = values.get("period")  # type: ignore[assignment]
        plan.team = values.get("team", [])  # type: ignore[assignment]
        plan.tags = values.get("tags", [])  # type: ignore[assignment]
        plan.reviewed = values.get("reviewed")  # type: ignore[assignment]
        for key in ("account", "owner", "reviewed", "status", "team"):
            if key in root.entries:
                plan.at[key] = _position(root.entries[key][1])
        self._check_ids_and_references()
        return plan

    def _top_fields(self) -> _Fields:
        return {
            "account": (True, self.text),
            "owner": (True, self.person),
            "goal": (True, self.goal),
            "csfs": (True, self._items(CSF, {})),
            "conditions": (True, self._items(Condition, {"csf": (True, self.references), "met": (False, self.boolean)})),
            "obstacles": (False, self._items(Obstacle, {"condition": (True, self.references)})),
            "commitments": (
                False,
                self._items(
                    Commitment,
                    {
                        "obstacle": (True, self.references),
                        "owner": (True, self.person),
                        "due": (True, self.date),
                        "status": (False, self.commitment_status),
                        "completed": (False, self.date),
                        "link": (False, self.link),
                    },
                ),
            ),
            "status": (False, self.plan_status),
            "period": (False, self.text),
            "team": (False, self.people_list),
            "tags": (False, self.text_list),
            "reviewed": (False, self.date),
        }

    def _lost_lists(self, root: Mapping, fields: _Fields) -> None:
        """Explain the gaps left by a list of links that was not read: mistyped, missing, empty or not a list."""
        for key, kind in _LISTS.items():
            target, required = _LINKS[kind][1], fields[key][0]
            mistyped = [name for name in root.entries if name not in fields and nearest(name, fields) == key]
            for name in mistyped:  # its items were not read: their links are lost
                value = root.entries[name][1]
                for entry in value.items if type(value) is Sequence else [value]:
                    self._lost_links(kind, entry)
            real = root.entries.get(key)
            if real is None:
                if required and not mistyped:
                    self.explained.add_every(target)  # its PF010 says it all
                continue
            value = real[1]
            empty = (type(value) is Scalar and value.is_null) or (type(value) is Sequence and not value.items)
            if (type(value) is not Sequence and not empty) or (required and empty):
                self.explained.add_every(target)  # not a list (PF011): what it linked cannot be told
                # (an empty optional list names nothing: it is as if the key were absent, gaps and all)

    def _lost_links(self, kind: str, node: Node, kept: bool = False) -> None:
        """Explain the gaps an item's links would fill, where a reported mistake kept the links from the chain:
        the item was left out (`kept` False), or its reference key is missing, mistyped or not a list of ids."""
        if kind not in _LINKS or (type(node) is Scalar and node.is_null):
            return  # a CSF links nothing; an empty entry names nothing
        key, target = _LINKS[kind]
        if type(node) is not Mapping:
            self.explained.add_every(target)
            return
        if kind == "commitment" and _raw_text(node, "status") == "dropped":
            return  # a dropped commitment overcomes no obstacle, read or not
        keys = self._item_keys[kind]
        written = [value for name, (_key, value) in node.entries.items() if name == key or (name not in keys and nearest(name, keys) == key)]
        if kept and len(written) == 1 and key in node.entries and _ids_of(written[0]) is not None:
            return  # read as written; whether the ids exist is checked with the references
        ids = [_ids_of(value) for value in written]
        if not ids or None in ids:
            self.explained.add_every(target)  # which item it linked cannot be told
        for item_ids in ids:
            for item_id in item_ids or ():
                self.explained.add(target, item_id)

    def goal(self, node: Node, key: str) -> Goal | None:
        if type(node) is not Mapping:
            self.invalid(node, key, f"must be a mapping with a `statement`, not {_kind_of(node)}")
            return None
        self.subject = _GOAL
        values = self.mapping(
            node,
            {
                "statement": (True, self.text),
                "due": (False, self.date),
                "baseline": (False, self.number),
                "target": (False, self.number),
                "current": (False, self.number),
                "unit": (False, self.text),
            },
        )
        self.subject = _PLAN
        self.plan.goal = Goal(**values)  # type: ignore[arg-type]
        return self.plan.goal

    def references(self, node: Node, key: str) -> list[tuple[str, int, int]] | None:
        """An id or a list of ids, with positions; whether they exist is checked once all items are read."""
        nodes = node.items if type(node) is Sequence else [node]
        if not nodes:
            self.invalid(node, key, "must name at least one id")
            return None
        references = []
        for item in nodes:
            scalar = self._scalar(item, key, "an id or a list of ids")
            if scalar is not None:
                references.append((scalar.text, scalar.line, scalar.column))
        return references

    def _items(self, kind: type[Item], extra: _Fields) -> Callable[[Node, str], object]:
        fields = {"id": (True, _read_separately), "title": (True, self.text), "note": (False, self.text), **extra}
        self._item_keys[kind.kind] = fields

        def read_items(node: Node, key: str) -> list[Item] | None:
            if type(node) is not Sequence:
                self.invalid(node, key, f"must be a list of {kind.kind} entries, not {_kind_of(node)}")
                return None
            if key in ("csfs", "conditions") and not node.items:
                self.invalid(node, key, f"must list at least one {kind.kind}")
            items = [item for position, entry in enumerate(node.items, 1) if (item := self._item(kind, entry, position, fields))]
            getattr(self.plan, key).extend(items)
            return items

        return read_items

    def _item(self, kind: type[Item], node: Node, position: int, fields: _Fields) -> Item | None:
        if type(node) is not Mapping:
            if not (type(node) is Scalar and node.alias):
                self.report(codes.INVALID_VALUE, node.line, node.column, f"{kind.kind} #{position} must be a mapping with `id` and `title`, not {_kind_of(node)}")
            self._lost_links(kind.kind, node)
            return None
        id_key, id_node = node.entries.get("id", (None, None))
        item_id = self._item_id(id_node, kind, position)
        title_node = node.entries.get("title", (None, None))[1]
        title = title_node.text if type(title_node) is Scalar and not title_node.is_null else ""
        self.subject = _Subject(kind.kind, item_id or f"#{position}", title if item_id else "")
        # A missing key is reported at the item, which is where its `id` key stands (else the mapping).
        values = self.mapping(node, fields, missing_at=_position(id_key) if id_key is not None else None)
        self.subject = _PLAN
        self._lost_links(kind.kind, node, kept=bool(item_id))
        if not item_id:
            return None
        item = kind(id=item_id, title=values.get("title", ""))  # type: ignore[arg-type]
        item.at["item"] = _position(id_key)  # type: ignore[arg-type]
        item.at["id"] = _position(id_node)  # type: ignore[arg-type]
        for key in _POSITIONED:
            entry = node.entries.get(key)
            if entry is not None:
                item.at[key] = _position(entry[1])
        self._fill(item, node, values)
        return item

    def _fill(self, item: Item, node: Mapping, values: dict[str, object]) -> None:
        """The item's own values, and its references for the check once all ids are known."""
        if "note" in values:
            item.note = values["note"]  # type: ignore[assignment]
        if isinstance(item, Condition):
            item.met = bool(values.get("met", False))
            keys = self._item_keys[item.kind]
            if "met" not in values and any(name == "met" or (name not in keys and nearest(name, keys) == "met") for name in node.entries):
                self.explained.add("condition", item.id)  # `met` refused or mistyped: its PF031 would follow from that
        elif isinstance(item, Commitment):
            item.owner = values.get("owner")  # type: ignore[assignment]
            item.due = values.get("due")  # type: ignore[assignment]
            item.status = values.get("status", "open")  # type: ignore[assignment]
            item.completed = values.get("completed")  # type: ignore[assignment]
            item.link = values.get("link")  # type: ignore[assignment]
        if item.kind in _LINKS:
            key = _LINKS[item.kind][0]
            for reference in values.get(key, ()):  # type: ignore[attr-defined]
                self._references.append((item, key, *reference))

    def _item_id(self, node: Node | None, kind: type[Item], position: int) -> str | None:
        if node is None:
            return None
        if type(node) is not Scalar or node.alias or not ID_PATTERN.fullmatch(node.text):
            if type(node) is Scalar:
                self._dropped_ids.add(node.text)  # a reference to it is no lost link: the item is left out
            if not (type(node) is Scalar and node.alias):
                shown = quote(node.text) if type(node) is Scalar else _kind_of(node)
                self.report(
                    codes.INVALID_ID, node.line, node.column,
                    f"{kind.kind} #{position}: invalid id {shown}: an id starts with a letter and has at most 32 letters, digits, `_`, `.` or `-`",
                )
            return None
        return node.text

    def _unresolved(self, item: Item, key: str, target: str, line: int, column: int, found: Item | None, candidates: list[str]) -> None:
        """PF022 for a reference to an id that does not exist or is of another kind; the gap it leaves is explained."""
        wanted = _LINKS[item.kind][1]
        problem = "does not exist" if found is None else f"is {_article(found.kind)}, not {_article(wanted)}"
        match = nearest(target, candidates)
        self.report(
            codes.BAD_REFERENCE, line, column,
            f"{item.describe()}: `{key}` refers to {code(target)}, which {problem}{suggest(target, candidates)}",
        )
        if (isinstance(item, Commitment) and not item.live) or target in self._dropped_ids:
            return  # a dropped commitment overcomes nothing; an item left out has no gap to report
        if match is not None:
            self.explained.add(wanted, match)  # meant, most likely, as the message suggests
        else:
            self.explained.add_every(wanted)

    def _check_ids_and_references(self) -> None:
        plan = self.plan
        kinds = ("csfs", "conditions", "obstacles", "commitments")
        seen: dict[str, Item] = {}
        duplicates: set[int] = set()
        for item in sorted((item for kind in kinds for item in getattr(plan, kind)), key=lambda item: item.at["id"]):
            first = seen.setdefault(item.id, item)
            if first is not item:  # the second use in the file is the one reported and left out
                duplicates.add(id(item))
                self.report(
                    codes.DUPLICATE_ID, *item.at["id"],
                    f"{item.describe()}: id `{item.id}` is already used by {first.describe()} on line {first.at['id'][0]}",
                )
        for kind in kinds:
            setattr(plan, kind, [item for item in getattr(plan, kind) if id(item) not in duplicates])
        kept = {id(item) for kind in kinds for item in getattr(plan, kind)}
        resolved: dict[int, list[str]] = {}
        for item, key, target, line, column in self._references:
            wanted = _LINKS[item.kind][1]
            if id(item) not in kept:  # a duplicate left out: what it linked is lost with it
                if not (isinstance(item, Commitment) and not item.live):
                    self.explained.add(wanted, target)
                continue
            found = seen.get(target)
            if found is None or found.kind != wanted:
                self._unresolved(item, key, target, line, column, found, [other.id for other in seen.values() if other.kind == wanted])
                continue
            targets = resolved.setdefault(id(item), [])
            if target not in targets:
                targets.append(target)
        for condition in plan.conditions:
            condition.csfs = tuple(resolved.get(id(condition), ()))
        for obstacle in plan.obstacles:
            obstacle.conditions = tuple(resolved.get(id(obstacle), ()))
        for commitment in plan.commitments:
            commitment.obstacles = tuple(resolved.get(id(commitment), ()))


def _read_separately(_node: Node, _key: str) -> None:
    """The `id` of an item is read before its other keys (messages name it), not as one of them."""


def _position(node: Node) -> tuple[int, int]:
    return (node.line, node.column)


def _raw_text(node: Mapping, key: str) -> str | None:
    """The text of a key's scalar as written, for an item that is not read."""
    value = node.entries.get(key, (None, None))[1]
    return value.text if type(value) is Scalar and not value.is_null else None


def _ids_of(node: Node) -> list[str] | None:
    """The ids a reference value names as written, or None where it cannot be read as ids."""
    nodes = node.items if type(node) is Sequence else [node]
    if not nodes or any(type(item) is not Scalar or item.alias or item.is_null or not item.text.strip() for item in nodes):
        return None
    return [item.text for item in nodes]  # type: ignore[union-attr]


def read_plan(
    path: str, plan_id: str, document: Document, people: frozenset[str] | None = None, explained: Explained | None = None
) -> tuple[Plan, list[Finding]]:
    """The model of one plan and the findings of reading it (format, types, ids, references, people).

    `explained`, where given, receives the chain gaps that these findings explain (they are held back).
    """
    reader = PlanReader(path, plan_id, people)
    if explained is not None:
        reader.explained = explained
    for problem in document.problems:
        reader.report(problem.rule, problem.line, problem.column, problem.message)
    plan = reader.read(document)
    if not PLAN_ID_PATTERN.fullmatch(plan_id):
        reader.report(
            codes.INVALID_ID, 1, 1,
            f"file name {code(plan_id + '.md')} is not a valid plan id: use lower-case letters, digits and hyphens, starting with a letter or digit",
        )
    return plan, reader.findings
