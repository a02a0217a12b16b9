"""Views across the portfolio: commitments by owner, due window and status; plans by tag; totals.

Rollups cover the plans people are working on: archived plans are left out of every commitment rollup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..model import COMMITMENT_STATUSES, Commitment, Plan
from ..portfolio import Portfolio
from .chain import Chain

# (slug, heading), in date order: before today, within 14 days, within 90 days, further out.
DUE_WINDOWS = (
    ("overdue", "Overdue"),
    ("next-14-days", "Due in the next 14 days"),
    ("next-90-days", "Due in 15 to 90 days"),
    ("later", "Due later"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """A commitment in the context of its plan."""

    plan: Plan
    commitment: Commitment
    overdue: bool


@dataclass(slots=True)
class Rollups:
    chains: list[Chain]
    by_owner: dict[str, list[Entry]] = field(default_factory=dict)
    by_window: dict[str, list[Entry]] = field(default_factory=dict)
    by_status: dict[str, list[Entry]] = field(default_factory=dict)
    by_tag: dict[str, list[Chain]] = field(default_factory=dict)
    plans_by_status: Counter[str] = field(default_factory=Counter)
    # Next due: the earliest live commitment, not done, due today or later (one past its date is overdue, not next).
    next_due: dict[str, Entry] = field(default_factory=dict)  # by plan id
    next_due_by_owner: dict[str, Entry] = field(default_factory=dict)  # by the commitment's owner
    owned: dict[str, list[Plan]] = field(default_factory=dict)  # person -> plans they own or are on the team of

    @property
    def entries(self) -> list[Entry]:
        return [entry for entries in self.by_status.values() for entry in entries]

    @property
    def live_count(self) -> int:
        """Commitments that are not dropped (done ones included)."""
        return sum(len(entries) for status, entries in self.by_status.items() if status != "dropped")

    @property
    def overdue(self) -> list[Entry]:
        return self.by_window["overdue"]


def due_window(due: date, today: date) -> str:
    if due < today:
        return "overdue"
    days = (due - today).days
    if days <= 14:
        return "next-14-days"
    return "next-90-days" if days <= 90 else "later"


def _by_due(entry: Entry) -> tuple[date, str, str]:
    return (entry.commitment.due or date.max, entry.plan.account.casefold(), entry.commitment.id)


def _keep_earliest(next_due: dict[str, Entry], key: str, entry: Entry) -> None:
    current = next_due.get(key)
    if current is None or _by_due(entry) < _by_due(current):
        next_due[key] = entry


def build(portfolio: Portfolio) -> Rollups:
    """Rollups over every readable plan of the portfolio."""
    chains = [report.chain for report in portfolio.reports if report.chain is not None]
    rollups = Rollups(chains)
    rollups.by_window = {slug: [] for slug, _heading in DUE_WINDOWS}
    rollups.by_status = {status: [] for status in COMMITMENT_STATUSES}
    for chain in chains:
        plan = chain.plan
        rollups.plans_by_status[plan.status] += 1
        for tag in dict.fromkeys(plan.tags):  # a tag written twice still tags the plan once
            rollups.by_tag.setdefault(tag, []).append(chain)
        if plan.status == "archived":
            continue
        for person in dict.fromkeys([plan.owner, *plan.team]):
            if person:
                rollups.owned.setdefault(person, []).append(plan)
        for commitment in plan.commitments:
            entry = Entry(plan, commitment, commitment.is_overdue(portfolio.today))
            rollups.by_status[commitment.status].append(entry)
            if not commitment.live:
                continue
            if commitment.owner:
                rollups.by_owner.setdefault(commitment.owner, []).append(entry)
            if commitment.status != "done" and commitment.due is not None:
                rollups.by_window[due_window(commitment.due, portfolio.today)].append(entry)
                if not entry.overdue:
                    _keep_earliest(rollups.next_due, plan.id, entry)
                    if commitment.owner:
                        _keep_earliest(rollups.next_due_by_owner, commitment.owner, entry)
    for entries in (*rollups.by_owner.values(), *rollups.by_window.values(), *rollups.by_status.values()):
        entries.sort(key=_by_due)
    rollups.by_owner = dict(sorted(rollups.by_owner.items(), key=lambda item: item[0].casefold()))
    rollups.by_tag = dict(sorted(rollups.by_tag.items(), key=lambda item: item[0].casefold()))
    return rollups
