"""Calendar feeds (iCalendar): one all-day event on the due date of every live commitment of active plans."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time

from icalendar import Calendar, Event, vText

from ..derive.rollups import Entry, Rollups

PRODUCT_ID = "-//planfolio//key account commitments//EN"
_END = b"END:VCALENDAR\r\n"


def feed_entries(rollups: Rollups) -> list[Entry]:
    """The commitments a feed carries: live ones of active plans, by due date."""
    return [entry for entry in rollups.entries if entry.plan.status == "active" and entry.commitment.live and entry.commitment.due]


def event(entry: Entry, plan_url: Callable[[str], str | None], today: date) -> bytes:
    """One commitment as a VEVENT. The UID is plan id and commitment id, so it is the same event in every build."""
    plan, commitment = entry.plan, entry.commitment
    item = Event()
    item.add("uid", f"{plan.id}.{commitment.id}@planfolio")
    item.add("dtstamp", datetime.combine(today, time(), tzinfo=UTC))  # the same commit and day: the same feed
    item.add("dtstart", commitment.due)  # a date without DTEND: an all-day event (RFC 5545, 3.6.1)
    item.add("summary", f"{plan.account}: {commitment.title}")
    state = "OVERDUE" if entry.overdue else commitment.status
    item.add("description", f"{commitment.id}, owner {commitment.owner}, {state}. Overcomes {', '.join(commitment.obstacles)}.")
    url = plan_url(plan.id)
    if url:
        item.add("url", url)
    encoded: bytes = item.to_ical()
    return encoded


def calendar(name: str, events: Iterable[bytes]) -> bytes:
    """A feed of already serialised events: each event is encoded once, however many feeds carry it."""
    feed = Calendar()
    feed.add("prodid", PRODUCT_ID)
    feed.add("version", "2.0")
    feed.add("x-wr-calname", vText(name))  # an X- property is not known to be text: say so, or it goes out unescaped
    head: bytes = feed.to_ical()
    return head[: -len(_END)] + b"".join(events) + _END
