"""Derived state of a plan's chain: live, overdue, overcome, achieved, progress, and its missing links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .. import codes
from ..codes import Rule
from ..model import CSF, Commitment, Condition, Explained, Obstacle, Plan


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


def gaps(chain: Chain) -> list[tuple[Rule, CSF | Condition | Obstacle]]:
    """The chain's missing links that no reported mistake explains, as (the rule that reports it, the item that
    lacks its next link). The diagram marks the same gaps as the check reports."""
    plan = chain.plan
    found: list[tuple[Rule, CSF | Condition | Obstacle]] = []
    found += [(codes.CSF_WITHOUT_CONDITION, csf) for csf in plan.csfs if not chain.conditions_of[csf.id]]
    found += [(codes.CONDITION_WITHOUT_OBSTACLE, c) for c in plan.conditions if not c.met and not chain.obstacles_of[c.id]]
    found += [(codes.OBSTACLE_WITHOUT_COMMITMENT, o) for o in plan.obstacles if not chain.live_commitments_of(o)]
    return [(rule, item) for rule, item in found if item not in chain.explained]
