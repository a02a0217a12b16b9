"""Derived state of a plan's chain (live, overdue, overcome, achieved, progress) and the findings about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .findings import Finding, Severity, plain
from .model import CSF, Commitment, Condition, Item, Obstacle, Plan


@dataclass(slots=True)
class Explained:
    """Chain gaps that a reported mistake explains, so they are held back (docs: "What is held back").

    By item kind (`CSF` for PF030, `condition` for PF031, `obstacle` for PF032): the ids whose missing
    link a mistake may have taken, or the kinds where it may be any item (the lost link's target is unknown).
    """

    ids: dict[str, set[str]] = field(default_factory=dict)
    every: set[str] = field(default_factory=set)

    def add(self, kind: str, item_id: str) -> None:
        self.ids.setdefault(kind, set()).add(item_id)

    def add_every(self, kind: str) -> None:
        self.every.add(kind)

    def __contains__(self, item: Item) -> bool:
        return item.kind in self.every or item.id in self.ids.get(item.kind, ())


@dataclass(slots=True)
class Chain:
    """The plan's links read downwards (goal -> CSFs -> conditions -> obstacles -> commitments) and their state."""

    plan: Plan
    today: date
    conditions_of: dict[str, list[Condition]] = field(default_factory=dict)
    obstacles_of: dict[str, list[Obstacle]] = field(default_factory=dict)
    commitments_of: dict[str, list[Commitment]] = field(default_factory=dict)
    overcome: set[str] = field(default_factory=set)
    achieved: set[str] = field(default_factory=set)  # ids of achieved conditions and CSFs
    overdue: list[Commitment] = field(default_factory=list)
    explained: Explained = field(default_factory=Explained)

    @property
    def live(self) -> list[Commitment]:
        return [commitment for commitment in self.plan.commitments if commitment.live]

    @property
    def done(self) -> list[Commitment]:
        return [commitment for commitment in self.plan.commitments if commitment.status == "done"]

    @property
    def progress(self) -> float:
        live = self.live
        return len(self.done) / len(live) if live else 0.0

    @property
    def within_reach(self) -> bool:
        return bool(self.plan.csfs) and all(csf.id in self.achieved for csf in self.plan.csfs)

    def live_commitments_of(self, obstacle: Obstacle) -> list[Commitment]:
        return [commitment for commitment in self.commitments_of[obstacle.id] if commitment.live]


def derive(plan: Plan, today: date, explained: Explained | None = None) -> Chain:
    chain = Chain(plan, today, explained=explained or Explained())
    chain.conditions_of = {csf.id: [] for csf in plan.csfs}
    chain.obstacles_of = {condition.id: [] for condition in plan.conditions}
    chain.commitments_of = {obstacle.id: [] for obstacle in plan.obstacles}
    for condition in plan.conditions:
        for csf_id in condition.csfs:
            chain.conditions_of[csf_id].append(condition)
    for obstacle in plan.obstacles:
        for condition_id in obstacle.conditions:
            chain.obstacles_of[condition_id].append(obstacle)
    for commitment in plan.commitments:
        for obstacle_id in commitment.obstacles:
            chain.commitments_of[obstacle_id].append(commitment)
        if commitment.is_overdue(today):
            chain.overdue.append(commitment)
    for obstacle in plan.obstacles:
        live = chain.live_commitments_of(obstacle)
        if live and all(commitment.status == "done" for commitment in live):
            chain.overcome.add(obstacle.id)
    for condition in plan.conditions:
        obstacles = chain.obstacles_of[condition.id]
        if condition.met or (obstacles and all(obstacle.id in chain.overcome for obstacle in obstacles)):
            chain.achieved.add(condition.id)
    for csf in plan.csfs:
        conditions = chain.conditions_of[csf.id]  # a CSF with no condition yet is a gap, not achieved
        if conditions and all(condition.id in chain.achieved for condition in conditions):
            chain.achieved.add(csf.id)
    return chain


GAP_MESSAGES = {
    "PF030": "has no necessary condition",
    "PF031": "is not met and no obstacle is recorded against it",
    "PF032": "has no live commitment",
}


def gaps(chain: Chain) -> list[tuple[str, CSF | Condition | Obstacle]]:
    """The chain's missing links that no reported mistake explains, as (finding code, the item that lacks its next link).

    The diagram marks the same gaps as the check reports.
    """
    plan = chain.plan
    found: list[tuple[str, CSF | Condition | Obstacle]] = []
    found += [("PF030", csf) for csf in plan.csfs if not chain.conditions_of[csf.id]]
    found += [("PF031", c) for c in plan.conditions if not c.met and not chain.obstacles_of[c.id]]
    found += [("PF032", o) for o in plan.obstacles if not chain.live_commitments_of(o)]
    return [(code, item) for code, item in found if item not in chain.explained]


@dataclass(frozen=True, slots=True)
class Limits:
    """The site options that findings depend on."""

    csf_limit: int = 5
    review_days: int = 90


def chain_findings(chain: Chain, limits: Limits) -> list[Finding]:
    """Chain (PF03x), advice (PF100, PF101) and date-dependent (PF2xx) findings of one readable plan."""
    plan = chain.plan
    findings: list[Finding] = []

    def add(code: str, severity: Severity, item: CSF | Condition | Obstacle | Commitment | None, key: str, message: str) -> None:
        line, column = (item.at if item is not None else plan.at).get(key) or plan.at.get("plan", (1, 1))
        findings.append(Finding(plan.path, line, column, severity, code, message))

    if plan.status != "archived":
        chain_severity = Severity.INFO if plan.status == "draft" else Severity.ERROR
        for code, item in gaps(chain):
            add(code, chain_severity, item, "item", f"{item.describe()} {GAP_MESSAGES[code]}")

    if len(plan.csfs) > limits.csf_limit:
        first_extra = plan.csfs[limits.csf_limit]
        add(
            "PF100", Severity.WARNING, first_extra, "item",
            f"{len(plan.csfs)} CSFs, more than {limits.csf_limit}: not the vital few ({first_extra.describe()} is number {limits.csf_limit + 1})",
        )
    for condition in plan.conditions:
        obstacles = chain.obstacles_of[condition.id]
        if condition.met and obstacles:
            names = ", ".join(obstacle.id for obstacle in obstacles)
            add("PF101", Severity.WARNING, condition, "met", f"{condition.describe()} is met but still has obstacles recorded against it ({names})")

    for commitment in chain.overdue:
        add(
            "PF200", Severity.INFO, commitment, "due",
            f"{commitment.describe()} is overdue: due {commitment.due}, owner {plain(commitment.owner) if commitment.owner else 'unknown'}",
        )
    if plan.reviewed is None and "reviewed" not in plan.at:  # an invalid date is already a PF011
        add("PF201", Severity.INFO, None, "plan", "the plan has never had a deep review (no `reviewed` date)")
    elif plan.reviewed is not None and (chain.today - plan.reviewed).days > limits.review_days:
        days = (chain.today - plan.reviewed).days
        add("PF201", Severity.INFO, None, "reviewed", f"the plan was last reviewed {days} days ago, on {plan.reviewed} (more than {limits.review_days})")
    return findings
