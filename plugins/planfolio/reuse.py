"""What `mkdocs serve` keeps between rebuilds, so an edit to one plan of a thousand costs one plan's work.

The one invariant: **an unchanged plan file keeps its objects.** The read cache hands back the very report
(plan, chain, findings) it made last time for a file whose size and modification time are unchanged, under
the same today, limits and people. Everything else kept here leans on that: a listing's body is reused when
its context compares equal (mostly `is`, because the entries hold those same objects) and the build around
it is the same; a calendar event is reused when the commitment's values are the same. Nothing kept here is
ever changed after it is made. A plain `mkdocs build` keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from .core.derive.rollups import Entry
from .core.model import Commitment
from .core.portfolio import PlanReport, read_source
from .core.read.files import PlanSource
from .core.settings import Limits
from .pages import PageSpec


class ReadCache:
    """Reports of plan files by their size and modification time, for rebuilds where most plans are unchanged."""

    def __init__(self) -> None:
        self._context: tuple[object, ...] | None = None
        self._reports: dict[Path, tuple[tuple[int, int], PlanReport]] = {}

    def read(self, source: PlanSource, today: date, limits: Limits, people: frozenset[str] | None) -> PlanReport:
        context = (today, limits, people)
        if context != self._context:
            self._context, self._reports = context, {}
        try:
            status = source.file.stat()
            stamp = (status.st_mtime_ns, status.st_size)
        except OSError:
            return read_source(source, today, limits, people)
        cached = self._reports.get(source.file)
        if cached is None or cached[0] != stamp or cached[1].plan.path != source.shown_as:
            cached = (stamp, read_source(source, today, limits, people))
            self._reports[source.file] = cached
        return cached[1]


class BodyCache:
    """Bodies of reusable pages (the listings) across `mkdocs serve` rebuilds, so that an edit to one plan
    redraws only the listings it shows in, and none is ever stale.

    A reusable body depends only on its context, compared by value (its entries hold the very plan and
    commitment objects the read cache keeps for unchanged files, so most comparisons are `is`), and on
    the build: which page is at which path (every relative link), the date, and every file in the
    template folders (a template may include any of them). A different build forgets every body."""

    def __init__(self) -> None:
        self._build: tuple[object, ...] | None = None
        self._bodies: dict[str, tuple[object, str]] = {}

    def start(self, build: tuple[object, ...]) -> None:
        if build != self._build:
            self._build, self._bodies = build, {}

    def body(self, spec: PageSpec, draw: Callable[[], str]) -> str:
        cached = self._bodies.get(spec.src_uri)
        if cached is not None and cached[0] == spec.context:
            return cached[1]
        drawn = draw()
        self._bodies[spec.src_uri] = (spec.context, drawn)
        return drawn


class EventCache:
    """Encoded calendar events across serve rebuilds: an unchanged plan keeps its commitment objects (ReadCache)."""

    def __init__(self) -> None:
        self._events: dict[int, tuple[Commitment, bytes]] = {}
        self._site_url: str | None = None

    def encode_all(self, entries: list[Entry], site_url: str, encode: Callable[[Entry], bytes]) -> dict[int, bytes]:
        """Each entry's event by id(commitment); only this build's commitments are kept for the next."""
        if site_url != self._site_url:  # events carry the plan's URL
            self._events, self._site_url = {}, site_url
        fresh = {}
        for entry in entries:
            cached = self._events.get(id(entry.commitment))
            # The commitment is kept beside its bytes, so its id cannot be reused by another object meanwhile.
            if cached is None or cached[0] is not entry.commitment:
                cached = (entry.commitment, encode(entry))
            fresh[id(entry.commitment)] = cached
        self._events = fresh
        return {key: encoded for key, (_commitment, encoded) in fresh.items()}
