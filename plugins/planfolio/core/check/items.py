"""Checks of each item as read, one small function per code: a title too long for one page (PF104), a
`completed` date on a commitment that is not done (PF102)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import codes
from ..findings import Finding
from ..model import Commitment, Item, Plan

TITLE_LIMIT = 120  # characters: the plan must fit one page


def long_title(plan: Plan, item: Item) -> Iterator[Finding]:
    title_at = item.at.get("title")
    if title_at and len(item.title) > TITLE_LIMIT:
        message = f"{item.describe()}: title has {len(item.title)} characters, more than {TITLE_LIMIT}: keep the plan to one page"
        yield codes.LONG_TITLE.at(plan.path, *title_at, message)


def completed_not_done(plan: Plan, item: Item) -> Iterator[Finding]:
    if isinstance(item, Commitment) and item.completed and item.status != "done":
        message = f"{item.describe()}: `completed` is set but the status is {item.status}, not done"
        yield codes.COMPLETED_NOT_DONE.at(plan.path, *item.at["completed"], message)


def item_findings(plan: Plan) -> list[Finding]:
    """Every finding of the plan's items, in file order."""
    items: list[Item] = [*plan.csfs, *plan.conditions, *plan.obstacles, *plan.commitments]
    items.sort(key=lambda item: item.at["id"])
    return [finding for item in items for check in (long_title, completed_not_done) for finding in check(plan, item)]
