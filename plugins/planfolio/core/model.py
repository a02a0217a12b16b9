"""The typed model of a plan, as read from its file. Positions are 1-based (line, column) in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .findings import quote

Position = tuple[int, int]

PLAN_STATUSES = ("draft", "active", "archived")
COMMITMENT_STATUSES = ("open", "doing", "done", "dropped")


@dataclass(slots=True)
class Item:
    """One entry of `csfs`, `conditions`, `obstacles` or `commitments`."""

    id: str
    title: str
    note: str | None = None
    # Where each key's value stands (and "id" for the item itself), for findings that point into the item.
    at: dict[str, Position] = field(default_factory=dict)

    kind = "item"

    def describe(self) -> str:
        return f"{self.kind} {self.id} {quote(self.title)}" if self.title else f"{self.kind} {self.id}"


@dataclass(slots=True)
class CSF(Item):
    kind = "CSF"


@dataclass(slots=True)
class Condition(Item):
    csfs: tuple[str, ...] = ()
    met: bool = False
    kind = "condition"


@dataclass(slots=True)
class Obstacle(Item):
    conditions: tuple[str, ...] = ()
    kind = "obstacle"


@dataclass(slots=True)
class Commitment(Item):
    obstacles: tuple[str, ...] = ()
    owner: str | None = None
    due: date | None = None
    status: str = "open"
    completed: date | None = None
    link: str | None = None
    kind = "commitment"

    @property
    def live(self) -> bool:
        return self.status != "dropped"

    def is_overdue(self, today: date) -> bool:
        return self.live and self.status != "done" and self.due is not None and self.due < today


@dataclass(slots=True)
class Goal:
    statement: str = ""
    due: date | None = None
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    unit: str | None = None


@dataclass(slots=True)
class Plan:
    id: str
    path: str
    account: str = ""
    owner: str = ""
    status: str = "active"
    period: str | None = None
    team: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    reviewed: date | None = None
    goal: Goal = field(default_factory=Goal)
    csfs: list[CSF] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    obstacles: list[Obstacle] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    notes: str = ""
    at: dict[str, Position] = field(default_factory=dict)
    readable: bool = True  # False when the front matter could not be read at all

    @property
    def title(self) -> str:
        return self.account or self.id


@dataclass(slots=True)
class Explained:
    """Chain gaps that a reported mistake explains, so they are held back (docs: "What is held back").

    By item kind (`CSF` for PF030, `condition` for PF031, `obstacle` for PF032): the ids whose missing
    link a mistake may have taken, or the kinds where it may be any item (the lost link's target is unknown).
    """

    ids: dict[str, set[str]] = field(default_factory=dict)
    every: set[str] = field(default_factory=set)

    def add(self, kind: str, item_id: str) -> None:
        self.ids.setdefault(kind, set()).add(item_id)

    def add_every(self, kind: str) -> None:
        self.every.add(kind)

    def __contains__(self, item: Item) -> bool:
        return item.kind in self.every or item.id in self.ids.get(item.kind, ())
