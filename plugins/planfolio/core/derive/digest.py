"""What each person has to know for the coming week (docs: PLAN-FORMAT.md, "Digest"): per person, their
commitments done and slipped in the period (from history), overdue and due soon (now), and the plans they own
that are due a review. Plain data; `core/publish/digest.py` writes it out.

The period runs from `since` = today - days up to today, both included; a version counts by its date (the
uncommitted one is dated today). Archived plans are left out: they are nobody's week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Commitment, Plan
from ..portfolio import PlanChanges, Portfolio
from ..settings import Limits
from .events import Event

DUE_SOON_DAYS = 14  # due soon: today <= due <= today + 14 (due today is due soon, not overdue)


@dataclass(frozen=True, slots=True)
class Due:
    """A commitment as the digest names it, with where it is written."""

    plan: str  # the plan's id
    id: str
    title: str
    due: date | None
    path: str  # the plan file, as `check` shows it
    line: int
    account: str  # the plan's account, which names it in the Markdown


@dataclass(frozen=True, slots=True)
class Slip:
    """A commitment whose due date was later at the end of the period than at its start."""

    commitment: Due
    old: date  # its due date before the first move in the period (the contract's `from`)
    new: date  # after the last (`to`)


@dataclass(frozen=True, slots=True)
class StalePlan:
    plan: str
    account: str
    reviewed: date | None  # None: never reviewed
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class PersonDigest:
    name: str
    done: tuple[Due, ...] = ()
    slipped: tuple[Slip, ...] = ()
    overdue: tuple[Due, ...] = ()
    due_soon: tuple[Due, ...] = ()
    stale_plans: tuple[StalePlan, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.done or self.slipped or self.overdue or self.due_soon or self.stale_plans)


@dataclass(frozen=True, slots=True)
class Digest:
    today: date
    since: date
    history: str | None  # why there is no history (then nothing is done or slipped); None where there is
    people: tuple[PersonDigest, ...]  # only people with something to report, by name (casefold)
    paths: dict[str, str]  # plan file as shown -> its path in the plans folder, for the page links ("" outside it)


def _due(plan: Plan, commitment: Commitment) -> Due:
    line = (commitment.at.get("item") or (1, 1))[0]
    return Due(plan.id, commitment.id, commitment.title, commitment.due, plan.path, line, plan.account)


def _in_period(changes: PlanChanges | None, since: date, today: date) -> list[Event]:
    """The plan's events of the versions dated in the period, oldest first."""
    if changes is None:
        return []
    return [event for revision in reversed(changes.timeline) if since <= revision.date <= today for event in revision.events]


def _done(plan: Plan, found: list[Event]) -> list[Commitment]:
    """The plan's commitments that had a `status` event to done in the period (those no longer in it left out)."""
    ids = {event.id for event in found if event.kind == "commitment" and event.event == "status" and event.new == "done"}
    return [commitment for commitment in plan.commitments if commitment.id in ids]


def _slipped(plan: Plan, found: list[Event]) -> list[tuple[Commitment, date, date]]:
    """The plan's commitments whose due date at the end of the period is later than at its start."""
    moves: dict[str, tuple[date, date]] = {}
    for event in found:
        if event.kind == "commitment" and event.event == "due" and event.id is not None and isinstance(event.old, str) and isinstance(event.new, str):
            first = moves[event.id][0] if event.id in moves else date.fromisoformat(event.old)
            moves[event.id] = (first, date.fromisoformat(event.new))
    return [(commitment, *moves[commitment.id]) for commitment in plan.commitments if commitment.id in moves and moves[commitment.id][1] > moves[commitment.id][0]]


def _stale(plan: Plan, today: date, limits: Limits) -> StalePlan | None:
    """A plan not reviewed within `review_days`, or never: as PF201 says (an invalid date is no review date)."""
    if plan.reviewed is None and "reviewed" in plan.at:
        return None
    if plan.reviewed is not None and (today - plan.reviewed).days <= limits.review_days:
        return None
    line = (plan.at.get("reviewed") or plan.at.get("plan") or (1, 1))[0]
    return StalePlan(plan.id, plan.account, plan.reviewed, plan.path, line)


@dataclass(slots=True)
class _Gathered:
    done: list[Due]
    slipped: list[Slip]
    overdue: list[Due]
    due_soon: list[Due]
    stale_plans: list[StalePlan]


def _gather(portfolio: Portfolio, since: date, limits: Limits) -> dict[str, _Gathered]:
    today = portfolio.today
    people: dict[str, _Gathered] = {}

    def of(name: str) -> _Gathered:
        return people.setdefault(name, _Gathered([], [], [], [], []))

    for report in portfolio.reports:
        plan = report.plan
        if report.chain is None or plan.status == "archived":
            continue
        if plan.owner and (stale := _stale(plan, today, limits)) is not None:
            of(plan.owner).stale_plans.append(stale)
        found = _in_period(portfolio.history.changes_of(plan) if portfolio.history else None, since, today)
        for commitment in _done(plan, found):
            if commitment.owner:
                of(commitment.owner).done.append(_due(plan, commitment))
        for commitment, old, new in _slipped(plan, found):
            if commitment.owner:
                of(commitment.owner).slipped.append(Slip(_due(plan, commitment), old, new))
        for commitment in plan.commitments:
            if not commitment.owner or commitment.due is None or not commitment.live or commitment.status == "done":
                continue
            if commitment.due < today:
                of(commitment.owner).overdue.append(_due(plan, commitment))
            elif commitment.due <= today + timedelta(days=DUE_SOON_DAYS):
                of(commitment.owner).due_soon.append(_due(plan, commitment))
    return people


def _by_due(entries: list[Due]) -> tuple[Due, ...]:
    return tuple(sorted(entries, key=lambda entry: (entry.due or date.max, entry.path, entry.line, entry.id)))


def digest(portfolio: Portfolio, days: int, limits: Limits, owner: str | None = None, paths: dict[str, str] | None = None) -> Digest:
    """The digest of the `days` before today (both ends included), for everyone or only `owner` (as written in the plans:
    a name no plan has gives an empty digest)."""
    if days < 0:
        raise ValueError("the period of a digest is a number of days, 0 or more")
    since = portfolio.today - timedelta(days=days)
    people = []
    for name, found in _gather(portfolio, since, limits).items():
        if owner is not None and name != owner:
            continue
        person = PersonDigest(
            name,
            done=_by_due(found.done),
            slipped=tuple(sorted(found.slipped, key=lambda slip: (slip.commitment.path, slip.commitment.line, slip.commitment.id))),
            overdue=_by_due(found.overdue),
            due_soon=_by_due(found.due_soon),
            stale_plans=tuple(sorted(found.stale_plans, key=lambda stale: (stale.path, stale.plan))),
        )
        if not person.empty:
            people.append(person)
    people.sort(key=lambda person: (person.name.casefold(), person.name))
    history = portfolio.history.missing if portfolio.history is not None else "no history: it was not read"
    return Digest(portfolio.today, since, history, tuple(people), dict(paths or {}))
