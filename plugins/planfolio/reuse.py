"""What `mkdocs serve` keeps between rebuilds, so an edit to one plan of a thousand costs one plan's work.

The one invariant: **an unchanged plan file keeps its objects.** The read cache hands back the very report
(plan, chain, findings) it made last time for a file whose size and modification time are unchanged, under
the same today, limits and people. Everything else kept here leans on that: a listing's body is reused when
its spec compares equal (mostly `is`, because the entries hold those same objects) and the build around
it is the same; a calendar event is reused when the values it shows are the same. Nothing kept here is
ever changed after it is made. A plain `mkdocs build` keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .core.derive.digest import PersonDigest
from .core.derive.rollups import Entry
from .core.model import Goal, Item, Plan
from .core.portfolio import PlanReport, Reader, read_source
from .core.read.files import PlanSource
from .core.read.versions import VersionCache
from .core.read.yamltree import Sections
from .core.settings import Limits
from .pages import PageSpec


class ReadCache:
    """Reports of plan files by their size and modification time, for rebuilds where most plans are unchanged."""

    def __init__(self) -> None:
        self._context: tuple[object, ...] | None = None
        self._reports: dict[Path, tuple[tuple[int, int], PlanReport]] = {}

    def read(self, source: PlanSource, today: date, limits: Limits, people: frozenset[str] | None, sections: Sections | None = None) -> PlanReport:
        context = (today, limits, people)
        if context != self._context:
            self._context, self._reports = context, {}
        try:
            status = source.file.stat()
            stamp = (status.st_mtime_ns, status.st_size)
        except OSError:
            return read_source(source, today, limits, people, sections)
        cached = self._reports.get(source.file)
        if cached is None or cached[0] != stamp or cached[1].plan.path != source.shown_as:
            cached = (stamp, read_source(source, today, limits, people, sections))
            self._reports[source.file] = cached
        return cached[1]


# Plain data: values that compare by what they hold and that nothing changes after they are made. The records
# are the plan files' own (a plan, its items, its goal, and an Entry pairing a plan with a commitment): the read
# cache keeps them for unchanged files, so comparing them is mostly `is`; a person's digest is frozen records of
# scalars, compared by value. Derived objects are not plain data: Rollups spans the whole portfolio (comparing
# it would compare everything), a Chain is derived state.
SCALARS = (str, int, float, date, type(None))  # bool is an int
RECORDS = (Entry, Plan, Item, Goal, PersonDigest)


def plain_data(value: object) -> bool:
    """Whether `value` is plain data all the way down: scalars, records, and lists, tuples and dicts of them."""
    if isinstance(value, SCALARS + RECORDS):
        return True
    if isinstance(value, (list, tuple)):
        return all(plain_data(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(name, str) and plain_data(item) for name, item in value.items())
    return False


class BodyCache:
    """Bodies of reusable pages (the listings) across `mkdocs serve` rebuilds, so that an edit to one plan
    redraws only the listings it shows in, and none is ever stale.

    A page is reusable when its context is plain data (`plain_data`; a spec may say otherwise in
    `reusable`): then its body depends only on its spec, compared by value (the entries hold the very plan
    and commitment objects the read cache keeps for unchanged files, so most comparisons are `is`), and on
    the build: which page is at which path (every relative link), the date, and every file in the template
    folders (a template may include any of them). A different build forgets every body."""

    def __init__(self) -> None:
        self._build: tuple[object, ...] | None = None
        self._bodies: dict[str, tuple[PageSpec, str]] = {}

    def start(self, build: tuple[object, ...]) -> None:
        if build != self._build:
            self._build, self._bodies = build, {}

    @staticmethod
    def reusable(spec: PageSpec) -> bool:
        return spec.reusable if spec.reusable is not None else not callable(spec.context) and plain_data(spec.context)

    def body(self, spec: PageSpec, draw: Callable[[], str]) -> str:
        cached = self._bodies.get(spec.src_uri)
        if cached is not None and cached[0] == spec:
            return cached[1]
        drawn = draw()
        self._bodies[spec.src_uri] = (spec, drawn)
        return drawn


class EventCache:
    """Encoded calendar events across serve rebuilds, by the values each event shows (its key, made by the
    caller); only the events of the last build are kept."""

    def __init__(self) -> None:
        self._events: dict[Hashable, bytes] = {}

    def encode_all(self, entries: list[Entry], key: Callable[[Entry], Hashable], encode: Callable[[Entry], bytes]) -> list[bytes]:
        """Each entry's event, in the order of `entries`: kept from the last build where its key is the same."""
        fresh: dict[Hashable, bytes] = {}
        encoded = []
        for entry in entries:
            value = key(entry)
            event = fresh.get(value) or self._events.get(value)
            if event is None:
                event = encode(entry)
            fresh[value] = event
            encoded.append(event)
        self._events = fresh
        return encoded


@dataclass(frozen=True, slots=True)
class Kept:
    """Everything kept across `mkdocs serve` rebuilds; a plain `mkdocs build` keeps nothing (each plan is read
    once, each page and event made once)."""

    reads: Reader | None = None
    bodies: BodyCache | None = None
    events: EventCache | None = None
    # Parsed git versions by blob id: a blob never changes, so none is ever stale; a new commit costs its new blobs.
    versions: VersionCache = field(default_factory=VersionCache)

    @classmethod
    def for_command(cls, command: str) -> Kept:
        return cls(ReadCache().read, BodyCache(), EventCache()) if command == "serve" else cls()
