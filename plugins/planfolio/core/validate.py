"""Turn a plan file's node tree into the typed model, recording a finding for everything that is wrong.

Each key has a reader that takes the node as written and returns the typed value, or records a finding
and returns None. Readers work on the text as written, so nothing is coerced the YAML 1.1 way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from datetime import date
from urllib.parse import urlsplit

from .findings import Finding, Severity, code, quote
from .model import (
    COMMITMENT_STATUSES,
    CSF,
    PLAN_STATUSES,
    Commitment,
    Condition,
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
TITLE_LIMIT = 120
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


def suggest(word: str, choices: Collection[str]) -> str:
    """` (did you mean `x`?)` for the nearest choice, or nothing."""
    if not choices:
        return ""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not matches:
        lowered = {choice.lower(): choice for choice in choices}
        matches = [lowered[word.lower()]] if word.lower() in lowered else []
    return f" (did you mean `{matches[0]}`?)" if matches else ""


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

    # -- findings -----------------------------------------------------------------------------------

    def report(self, code: str, line: int, column: int, message: str) -> None:
        severity = Severity.WARNING if code.startswith("PF1") else Severity.ERROR
        self.findings.append(Finding(self.path, line, column, severity, code, message))

    def invalid(self, node: Node, key: str, problem: str) -> None:
        self.report("PF011", node.line, node.column, f"{self.subject}: `{key}` {problem}")

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
            return float(scalar.text)
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
        self.report(
            "PF023", node.line, node.column,
            f"{self.subject}: `{key}` names {quote(name)}, who is not in the people file{suggest(name, self.people)}",
        )
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
        fields: dict[str, tuple[bool, Callable[[Node, str], object]]],
        missing_at: tuple[int, int] | None = None,
    ) -> dict[str, object]:
        """Read the keys of `fields` ({key: (required, reader)}); report unknown and missing keys."""
        values: dict[str, object] = {}
        for key, (key_node, value_node) in node.entries.items():
            entry = fields.get(key)
            if entry is None:
                self.report(
                    "PF012", key_node.line, key_node.column, f"{self.subject}: unknown key {code(key)}{suggest(key, fields)}"
                )
                continue
            value = entry[1](value_node, key)
            if value is not None:
                values[key] = value
        line, column = missing_at or (node.line, node.column)
        for key, (required, _reader) in fields.items():
            if required and key not in node.entries:
                self.report("PF010", line, column, f"{self.subject}: required key `{key}` is missing")
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
                self.report("PF004", line, column, f"the front matter must be a mapping of keys, not {what}")
            return plan
        plan.at["plan"] = (root.line, root.column)
        values = self.mapping(root, self._top_fields())
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

    def _top_fields(self) -> dict[str, tuple[bool, Callable[[Node, str], object]]]:
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

    def _items(
        self, kind: type[Item], extra: dict[str, tuple[bool, Callable[[Node, str], object]]]
    ) -> Callable[[Node, str], object]:
        fields = {"id": (True, _read_separately), "title": (True, self.text), "note": (False, self.text), **extra}

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

    def _item(
        self, kind: type[Item], node: Node, position: int, fields: dict[str, tuple[bool, Callable[[Node, str], object]]]
    ) -> Item | None:
        if type(node) is not Mapping:
            if not (type(node) is Scalar and node.alias):
                self.report("PF011", node.line, node.column, f"{kind.kind} #{position} must be a mapping with `id` and `title`, not {_kind_of(node)}")
            return None
        id_key, id_node = node.entries.get("id", (None, None))
        item_id = self._item_id(id_node, kind, position)
        title_node = node.entries.get("title", (None, None))[1]
        title = title_node.text if type(title_node) is Scalar and not title_node.is_null else ""
        self.subject = _Subject(kind.kind, item_id or f"#{position}", title if item_id else "")
        # A missing key is reported at the item, which is where its `id` key stands (else the mapping).
        values = self.mapping(node, fields, missing_at=_position(id_key) if id_key is not None else None)
        self.subject = _PLAN
        if not item_id:
            return None
        item = kind(id=item_id, title=values.get("title", ""))  # type: ignore[arg-type]
        item.at["item"] = _position(id_key)  # type: ignore[arg-type]
        item.at["id"] = _position(id_node)  # type: ignore[arg-type]
        for key in _POSITIONED:
            entry = node.entries.get(key)
            if entry is not None:
                item.at[key] = _position(entry[1])
        if "note" in values:
            item.note = values["note"]  # type: ignore[assignment]
        if isinstance(item, Condition):
            item.met = bool(values.get("met", False))
        elif isinstance(item, Commitment):
            item.owner = values.get("owner")  # type: ignore[assignment]
            item.due = values.get("due")  # type: ignore[assignment]
            item.status = values.get("status", "open")  # type: ignore[assignment]
            item.completed = values.get("completed")  # type: ignore[assignment]
            item.link = values.get("link")  # type: ignore[assignment]
        for key, wanted in _REFERENCE_KEYS.get(kind.kind, {}).items():
            for reference in values.get(key, ()):  # type: ignore[attr-defined]
                self._references.append((item, key, *reference))
        title_at = item.at.get("title")
        if title_at and len(item.title) > TITLE_LIMIT:
            self.report(
                "PF104", *title_at, f"{item.describe()}: title has {len(item.title)} characters, more than {TITLE_LIMIT}: keep the plan to one page"
            )
        if isinstance(item, Commitment) and item.completed and item.status != "done":
            self.report("PF102", *item.at["completed"], f"{item.describe()}: `completed` is set but the status is {item.status}, not done")
        return item

    def _item_id(self, node: Node | None, kind: type[Item], position: int) -> str | None:
        if node is None:
            return None
        if type(node) is not Scalar or node.alias or not ID_PATTERN.fullmatch(node.text):
            if not (type(node) is Scalar and node.alias):
                shown = quote(node.text) if type(node) is Scalar else _kind_of(node)
                self.report(
                    "PF021", node.line, node.column,
                    f"{kind.kind} #{position}: invalid id {shown}: an id starts with a letter and has at most 32 letters, digits, `_`, `.` or `-`",
                )
            return None
        return node.text

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
                    "PF020", *item.at["id"],
                    f"{item.describe()}: id `{item.id}` is already used by {first.describe()} on line {first.at['id'][0]}",
                )
        for kind in kinds:
            setattr(plan, kind, [item for item in getattr(plan, kind) if id(item) not in duplicates])
        kept = {id(item) for kind in kinds for item in getattr(plan, kind)}
        resolved: dict[int, list[str]] = {}
        for item, key, target, line, column in self._references:
            if id(item) not in kept:
                continue
            wanted = _REFERENCE_KEYS[item.kind][key]
            found = seen.get(target)
            if found is None or found.kind != wanted:
                candidates = [other.id for other in seen.values() if other.kind == wanted]
                problem = "does not exist" if found is None else f"is a {found.kind}, not a {wanted}"
                self.report(
                    "PF022", line, column,
                    f"{item.describe()}: `{key}` refers to {code(target)}, which {problem}{suggest(target, candidates)}",
                )
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


_REFERENCE_KEYS = {
    "condition": {"csf": "CSF"},
    "obstacle": {"condition": "condition"},
    "commitment": {"obstacle": "obstacle"},
}


def _read_separately(_node: Node, _key: str) -> None:
    """The `id` of an item is read before its other keys (messages name it), not as one of them."""


def _position(node: Node) -> tuple[int, int]:
    return (node.line, node.column)


def read_plan(
    path: str, plan_id: str, document: Document, people: frozenset[str] | None = None
) -> tuple[Plan, list[Finding]]:
    """The model of one plan and the findings of reading it (format, types, ids, references, people)."""
    reader = PlanReader(path, plan_id, people)
    for problem in document.problems:
        reader.report(problem.code, problem.line, problem.column, problem.message)
    plan = reader.read(document)
    if not PLAN_ID_PATTERN.fullmatch(plan_id):
        reader.report(
            "PF021", 1, 1,
            f"file name `{plan_id}.md` is not a valid plan id: use lower-case letters, digits and hyphens, starting with a letter or digit",
        )
    return plan, reader.findings
