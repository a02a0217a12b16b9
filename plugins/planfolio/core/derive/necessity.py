"""The necessity reading of a plan: its chain read upwards, one CSF at a time, for deep reviews. The page writes
it out as sentences ("In order to reach ... we must have ..."), the chain as nested lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .chain import Chain


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "no date"


@dataclass(frozen=True, slots=True)
class Pledge:
    """A live commitment that overcomes the obstacle: who delivers (or delivered) what, by when."""

    owner: str  # "nobody" where the commitment names no one
    title: str
    due: str  # the long date, "no date" where there is none
    delivered: bool  # done


@dataclass(frozen=True, slots=True)
class Prevents:
    """An obstacle to the condition, and the commitments to overcome it (none: nobody has committed yet)."""

    obstacle: str
    pledges: tuple[Pledge, ...]


@dataclass(frozen=True, slots=True)
class Needs:
    """A necessary condition of the CSF, already in place (`met`) or prevented by its obstacles."""

    condition: str
    met: bool
    obstacles: tuple[Prevents, ...]


@dataclass(frozen=True, slots=True)
class Factor:
    """One CSF of the goal and the chain below it."""

    id: str
    title: str
    conditions: tuple[Needs, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    goal: str  # the goal's statement (the account where it has none)
    factors: tuple[Factor, ...]


def reading(chain: Chain) -> Reading:
    """Goal <- CSF, CSF <- conditions, condition <- obstacles <- live commitments, one Factor per CSF."""
    plan = chain.plan
    factors = []
    for csf in plan.csfs:
        conditions = []
        for condition in chain.conditions_of[csf.id]:
            obstacles = []
            for obstacle in chain.obstacles_of[condition.id]:
                pledges = tuple(
                    Pledge(commitment.owner or "nobody", commitment.title, long_date(commitment.due), commitment.status == "done")
                    for commitment in chain.live_commitments_of(obstacle)
                )
                obstacles.append(Prevents(obstacle.title, pledges))
            conditions.append(Needs(condition.title, condition.met, tuple(obstacles)))
        factors.append(Factor(csf.id, csf.title, tuple(conditions)))
    return Reading(plan.goal.statement or plan.account, tuple(factors))
