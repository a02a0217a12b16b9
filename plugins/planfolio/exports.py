"""portfolio.json, commitments.csv and the calendar feeds: claimed as files when the pages are, written
straight into the built site after the pages (on_post_build), so they never share memory with them.
Empty placeholders tell MkDocs the files exist: links to them from the site's own pages resolve."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from datetime import date
from pathlib import Path
from typing import TextIO
from urllib.parse import urljoin

from mkdocs.structure.files import File

from . import keys
from .core.derive.rollups import Entry, Rollups
from .core.publish.calendar import calendar, event, feed_entries
from .core.publish.export import write_commitments_csv, write_export
from .pages import owner_page, people_slugs
from .reuse import EventCache
from .site import ReadPlans
from .sitefiles import FilesEditor


class Exports:
    """The exports of one build: their site paths by key, then their contents."""

    def __init__(self, today: date, events: EventCache | None) -> None:
        self._today = today
        self._events = events
        self.paths: dict[str, str] = {}  # by key: keys.export("json"), keys.feed(person), ...
        self._plans: ReadPlans | None = None

    def add(self, plans: ReadPlans, editor: FilesEditor) -> dict[str, File]:
        """Claim the path of every export of `plans` with an empty placeholder; the files by key."""
        self._plans, rollups = plans, plans.rollups
        self.paths = {keys.export("json"): "portfolio.json", keys.export("csv"): "commitments.csv", keys.feed(): "commitments.ics"}
        self.paths |= {keys.feed(person): f"{owner_page(slug)}.ics" for person, slug in people_slugs(rollups).items()}
        return {key: editor.add(path, b"") for key, path in self.paths.items()}

    def write(self, site_dir: str, plan_url: Callable[[str], str | None]) -> None:
        """Every export into the built site; `plan_url(plan id)` is the plan page's absolute URL, if known."""
        assert self._plans is not None, "exports are written after they are added"
        site, portfolio = Path(site_dir), self._plans.portfolio
        with _text(site / self.paths[keys.export("json")]) as out:
            write_export(portfolio, out)
        with _text(site / self.paths[keys.export("csv")]) as out:
            write_commitments_csv(portfolio, out)
        for key, feed in self._feeds(self._plans.rollups, plan_url):
            path = site / self.paths[key]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(feed)

    def _feeds(self, rollups: Rollups, plan_url: Callable[[str], str | None]) -> Iterator[tuple[str, bytes]]:
        """Calendar feeds: the whole portfolio's, and one per person to subscribe to their own commitments."""
        entries = feed_entries(rollups)
        urls: dict[str, str | None] = {}

        def url(plan_id: str) -> str | None:
            if plan_id not in urls:
                urls[plan_id] = plan_url(plan_id)
            return urls[plan_id]

        def encode(entry: Entry) -> bytes:
            return event(entry, url, self._today)

        def shown(entry: Entry) -> Hashable:  # everything `calendar.event` puts into the event
            plan, commitment = entry.plan, entry.commitment
            what = (commitment.id, commitment.title, commitment.due, commitment.owner, commitment.status, commitment.obstacles)
            return (self._today, plan.id, plan.account, *what, entry.overdue, url(plan.id))

        events = self._events.encode_all(entries, shown, encode) if self._events is not None else [encode(entry) for entry in entries]
        yield keys.feed(), calendar("Key account commitments", events)
        for person in people_slugs(rollups):
            mine = [encoded for entry, encoded in zip(entries, events, strict=True) if entry.commitment.owner == person]
            yield keys.feed(person), calendar(f"Commitments of {person}", mine)


def plan_urls(site_url: str, by_key: dict[str, File]) -> Callable[[str], str | None]:
    """A plan page's absolute URL by plan id (for the calendar events), or None without a site_url."""

    def plan_url(plan_id: str) -> str | None:
        page = by_key.get(keys.plan(plan_id))
        return urljoin(site_url, page.url) if page and site_url else None

    return plan_url


def _text(path: Path) -> TextIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8", newline="")
