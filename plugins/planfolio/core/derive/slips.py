"""What history tells about a plan: when each commitment came, how often its date slipped, when the plan was
last changed and reviewed, and the PF202 findings about commitments that keep slipping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import Commitment, Plan
from .events import Event, is_slip
from .history import PlanHistory, Step


@dataclass(frozen=True, slots=True)
class CommitmentHistory:
    original_due: date | None  # its `due` in the first version that had it
    slips: int  # how many times its `due` moved later
    slipped_days: int | None  # current `due` - original_due
    since: date  # the date of the first version that had it


@dataclass(frozen=True, slots=True)
class PlanDerived:
    last_changed: date
    reviewed_at: date | None
    since_review: tuple[Event, ...]  # the events after the review's version (all, if never), `reviewed` ones not
    commitments: dict[str, CommitmentHistory]  # by id, for the commitments of the newest version

    @property
    def changes_since_review(self) -> int:
        return len(self.since_review)


def _read(step: Step) -> Plan | None:
    """The step's plan where something could be read of it."""
    return step.plan if step.plan is not None and step.plan.readable else None


def _current_life(steps: tuple[Step, ...]) -> dict[str, tuple[date, Commitment, int]]:
    """Per commitment id: the date and commitment of the version that brought it in last (an id removed and
    used again is a new commitment), and how often its due slipped since then."""
    lives: dict[str, tuple[date, Commitment, int]] = {}
    last: list[Commitment] | None = None
    for step in steps:
        plan = _read(step)
        if plan is not None and plan.commitments is last:  # the very list of the version before (read/plan.py)
            plan = None
        elif plan is not None:
            last = plan.commitments
        present = {commitment.id: commitment for commitment in plan.commitments} if plan is not None else None
        if present is not None:
            for gone in set(lives) - set(present):
                del lives[gone]  # removed: if the id comes back, it is another commitment
            for commitment_id, commitment in present.items():
                lives.setdefault(commitment_id, (step.version.date, commitment, 0))
        for event in step.events:
            if event.kind == "commitment" and event.id in lives and is_slip(event):
                since, first, slips = lives[event.id]
                lives[event.id] = (since, first, slips + 1)
    return lives


def _commitments(history: PlanHistory, current: Plan) -> dict[str, CommitmentHistory]:
    lives = _current_life(history.steps)
    derived: dict[str, CommitmentHistory] = {}
    for commitment in current.commitments:
        since, oldest, slips = lives[commitment.id]
        days = (commitment.due - oldest.due).days if commitment.due and oldest.due else None
        derived.setdefault(commitment.id, CommitmentHistory(oldest.due, slips, days, since))
    return derived


def _review_step(history: PlanHistory, current: Plan) -> int | None:
    """The index of the version that last set `reviewed` to a new date (the first version with one sets it);
    None if never. A plan removed and added back with the same date was not reviewed again."""
    if current.reviewed is None:
        return None
    found, last = None, None
    for index, step in enumerate(history.steps):
        plan = _read(step)
        if plan is None:  # absent, or nothing could be read: `reviewed` is still what it was
            continue
        if plan.reviewed is not None and plan.reviewed != last:
            found = index
        last = plan.reviewed
    return found


def derive_history(history: PlanHistory) -> PlanDerived | None:
    """The derived history of the plan in its newest version; None where the newest version has no plan."""
    current = next((plan for plan in (_read(step) for step in reversed(history.steps)) if plan is not None), None)
    if not history.steps or history.steps[-1].plan is None or current is None:
        return None
    reviewed = _review_step(history, current)
    later = history.steps[reviewed + 1 :] if reviewed is not None else history.steps
    since_review = tuple(event for step in later for event in step.events if event.event != "reviewed")
    reviewed_at = history.steps[reviewed].version.date if reviewed is not None else None
    return PlanDerived(history.steps[-1].version.date, reviewed_at, since_review, _commitments(history, current))
