"""Calendar feeds (iCalendar): one all-day event on the due date of every live commitment of active plans."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta, timezone

from icalendar import Calendar, Event

from .rollups import Entry, Rollups

PRODUCT_ID = "-//planfolio//key account commitments//EN"


def feed_entries(rollups: Rollups) -> list[Entry]:
    """The commitments a feed carries: live ones of active plans, by due date."""
    return [entry for entry in rollups.entries if entry.plan.status == "active" and entry.commitment.live and entry.commitment.due]


def calendar(name: str, entries: Iterable[Entry], plan_url: Callable[[str], str | None], stamp: datetime) -> bytes:
    """An iCalendar feed. UIDs are plan id and commitment id, so an event keeps its identity across builds."""
    feed = Calendar()
    feed.add("prodid", PRODUCT_ID)
    feed.add("version", "2.0")
    feed.add("x-wr-calname", name)
    for entry in entries:
        plan, commitment = entry.plan, entry.commitment
        assert commitment.due is not None
        event = Event()
        event.add("uid", f"{plan.id}.{commitment.id}@planfolio")
        event.add("dtstamp", stamp)
        event.add("dtstart", commitment.due)
        event.add("dtend", commitment.due + timedelta(days=1))
        event.add("summary", f"{plan.account}: {commitment.title}")
        state = "OVERDUE" if entry.overdue else commitment.status
        event.add("description", f"{commitment.id}, owner {commitment.owner}, {state}. Overcomes {', '.join(commitment.obstacles)}.")
        url = plan_url(plan.id)
        if url:
            event.add("url", url)
        feed.add_component(event)
    return feed.to_ical()


def stamp_of(day: object) -> datetime:
    """DTSTAMP from the build's `today`, so the same commit and date give the same feed."""
    return datetime.combine(day, time(), tzinfo=timezone.utc)  # type: ignore[arg-type]
