"""Progress over time, from the plans' history: a plan's progress and its goal's `current` at each of its
versions, and the portfolio's live, done and overdue commitments at each date any plan changed."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..model import Commitment, Plan
from .history import PlanHistory, Step


@dataclass(frozen=True, slots=True)
class PlanPoint:
    """A plan as it stood at the end of one day with a version of it."""

    date: date
    done: int
    live: int
    current: float | None  # the goal's `current`; None where that version has none

    @property
    def percent(self) -> float:
        """Done ÷ live commitments as a percentage (no live commitment: 0, as the plan's progress)."""
        return 100 * self.done / self.live if self.live else 0.0


@dataclass(frozen=True, slots=True)
class PortfolioPoint:
    """The commitments of every plan not archived, as the plans stood at the end of `date`."""

    date: date
    live: int
    done: int
    overdue: int  # live, not done, due before `date`


@dataclass(frozen=True, slots=True)
class _Standing:
    """What the portfolio counts of one plan from a date on."""

    live: int
    done: int
    open_dues: tuple[date, ...]  # of its live commitments not done: each is overdue once a later date comes


def _by_day(steps: Iterable[Step]) -> dict[date, Plan | None]:
    """Each day's last version of a plan (None: the file was removed); a version nothing could be read of
    tells nothing, so the plan stands as its last readable one."""
    days: dict[date, Plan | None] = {}
    for step in steps:
        if step.plan is None or step.plan.readable:
            days[step.version.date] = step.plan
    return days


def _live(plan: Plan) -> tuple[list[Commitment], int]:
    """The plan's live commitments, and how many of them are done."""
    live = [commitment for commitment in plan.commitments if commitment.live]
    return live, sum(commitment.status == "done" for commitment in live)


def plan_points(history: PlanHistory) -> tuple[PlanPoint, ...]:
    """One point a day that has a version of the plan, oldest first; none for a day it was removed."""
    points = []
    for day, plan in sorted(_by_day(history.steps).items(), key=lambda item: item[0]):
        if plan is not None:
            live, done = _live(plan)
            points.append(PlanPoint(day, done, len(live), plan.goal.current))
    return tuple(points)


def _standing(plan: Plan | None) -> _Standing | None:
    """None where the portfolio counts nothing of the plan: removed, or archived (as the index's totals)."""
    if plan is None or plan.status == "archived":
        return None
    live, done = _live(plan)
    open_dues = tuple(commitment.due for commitment in live if commitment.status != "done" and commitment.due is not None)
    return _Standing(len(live), done, open_dues)


def portfolio_points(histories: Iterable[PlanHistory]) -> tuple[PortfolioPoint, ...]:
    """One point for each date with a version of any plan, oldest first: each plan counted as its last version
    on or before that date left it, overdue counted against that date."""
    changes: dict[date, list[tuple[int, _Standing | None]]] = {}
    for index, history in enumerate(histories):
        for step in history.steps:
            changes.setdefault(step.version.date, [])  # a date of an unreadable version still has its overdue
        for day, plan in _by_day(history.steps).items():
            changes[day].append((index, _standing(plan)))
    standing: dict[int, _Standing] = {}
    live = done = 0
    dues: list[date] = []  # every open due of the plans as they stand, sorted: overdue is those before the date
    points = []
    for day in sorted(changes):
        for index, new in changes[day]:
            old = standing.pop(index, None)
            if old is not None:
                live, done = live - old.live, done - old.done
                for due in old.open_dues:
                    del dues[bisect_left(dues, due)]
            if new is not None:
                standing[index] = new
                live, done = live + new.live, done + new.done
                for due in new.open_dues:
                    insort(dues, due)
        points.append(PortfolioPoint(day, live, done, bisect_left(dues, day)))
    return tuple(points)
