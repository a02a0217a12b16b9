"""The digest as Atom feeds (docs/running-a-portfolio.md, "The weekly digest on the site"): one entry a digest
period, written by feedgen, which makes valid Atom and escapes every text it is given.

The entry's content is HTML drawn by the caller (the site's templates, which escape plan text); here it is
only handed on. Nothing here reads the clock: a feed's `updated` is the build's today (or SOURCE_DATE_EPOCH's
instant on that day), and its ids are made from the site's address or name, so a rebuild of the same commit
writes the same feed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from uuid import NAMESPACE_URL, uuid5

from feedgen.feed import FeedGenerator

from ..derive.digest import PersonDigest

# What XML 1.0 cannot hold (lxml refuses it): control characters a plan may carry in a quoted YAML string.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    content_html: str  # escaped by whoever drew it
    link: str | None  # the page that shows the same digest


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    author: str
    updated: datetime
    link: str | None  # the page the feed belongs to
    self_link: str | None  # the feed itself
    entries: tuple[Entry, ...]


def updated_at(today: date, environ: Mapping[str, str] = os.environ) -> datetime:
    """When a build's feeds were updated: SOURCE_DATE_EPOCH's instant where it falls on `today`, else the start
    of `today` (UTC). Never the clock: the same commit built twice gives the same feed."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        instant = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch else None
    except (ValueError, OverflowError, OSError):
        instant = None  # settings.resolve_today stops the build on it where it decides today
    return instant if instant is not None and instant.date() == today else datetime.combine(today, time(), tzinfo=UTC)


def feed_id(feed_url: str | None, site_name: str, path: str) -> str:
    """A feed's id: its address where the site's is known, else a URN made of the site's name and the feed's path."""
    return feed_url or f"urn:uuid:{uuid5(NAMESPACE_URL, f'planfolio:{site_name}:{path}')}"


def entry_id(feed: str, since: date, today: date) -> str:
    """The id of a feed's entry for the period `since`..`today`: the same period, the same id."""
    period = f"{since.isoformat()}..{today.isoformat()}"
    return f"urn:uuid:{uuid5(NAMESPACE_URL, f'{feed}#{period}')}" if feed.startswith("urn:") else f"{feed}#{period}"


def summary(people: tuple[PersonDigest, ...]) -> str:
    """An entry's title after its period: "2 overdue, 1 due soon", or "nothing to report"."""
    counts = [
        (sum(len(person.overdue) for person in people), "overdue"),
        (sum(len(person.slipped) for person in people), "slipped"),
        (sum(len(person.due_soon) for person in people), "due soon"),
        (sum(len(person.stale_plans) for person in people), "plans due a review"),
        (sum(len(person.done) for person in people), "done"),
    ]
    said = [f"{count} {what}" for count, what in counts if count]
    return ", ".join(said) if said else "nothing to report"


def atom(feed: Feed) -> bytes:
    """The feed as an Atom document (UTF-8)."""
    generator = FeedGenerator()
    generator.id(_xml(feed.id))
    generator.title(_xml(feed.title))
    generator.author({"name": _xml(feed.author)})
    generator.updated(feed.updated)
    generator.generator("planfolio")
    if feed.link:
        generator.link(href=_xml(feed.link), rel="alternate", type="text/html")
    if feed.self_link:
        generator.link(href=_xml(feed.self_link), rel="self", type="application/atom+xml")
    for entry in reversed(feed.entries):  # feedgen puts each new entry first
        added = generator.add_entry()
        added.id(_xml(entry.id))
        added.title(_xml(entry.title))
        added.updated(feed.updated)
        added.content(_xml(entry.content_html), type="html")
        if entry.link:
            added.link(href=_xml(entry.link), rel="alternate", type="text/html")
    written: bytes = generator.atom_str(pretty=True)
    return written


def _xml(text: str) -> str:
    """`text` with what XML cannot carry replaced (U+FFFD), so no plan text stops the build."""
    return _NOT_XML.sub("\ufffd", text)
