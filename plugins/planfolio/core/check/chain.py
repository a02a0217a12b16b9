"""Checks of one plan's derived chain, one small function per code: the chain's gaps (PF030-PF032), advice
(PF100, PF101, PF105) and what depends on today (PF200, PF201)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .. import codes
from ..codes import Rule
from ..derive.chain import Chain, gaps
from ..derive.diagram import (
    MERMAID_MAX_EDGES,
    MERMAID_MAX_TEXT_SIZE,
    diagram_size,
    mermaid,
    size_bound,
)
from ..findings import Finding, plain
from ..model import Item
from ..settings import Limits

_GAP_MESSAGES = {
    codes.CSF_WITHOUT_CONDITION: "has no necessary condition",
    codes.CONDITION_WITHOUT_OBSTACLE: "is not met and no obstacle is recorded against it",
    codes.OBSTACLE_WITHOUT_COMMITMENT: "has no live commitment",
}


def _finding(chain: Chain, rule: Rule, item: Item | None, key: str, message: str) -> Finding:
    """A finding at `key` of the item (or of the plan), else at the plan's first key."""
    plan = chain.plan
    line, column = (item.at if item is not None else plan.at).get(key) or plan.at.get("plan", (1, 1))
    return rule.at(plan.path, line, column, message, plan.status)


def _missing(chain: Chain, rule: Rule) -> Iterator[Finding]:
    """The chain's gaps of one kind that no reported mistake explains (derive/chain.py `gaps`: the diagram
    marks the same ones); archived plans are not checked for them."""
    if chain.plan.status == "archived":
        return
    for found, item in gaps(chain):
        if found is rule:
            yield _finding(chain, rule, item, "item", f"{item.describe()} {_GAP_MESSAGES[rule]}")


def csf_without_condition(chain: Chain, limits: Limits) -> Iterator[Finding]:
    """PF030: a CSF no necessary condition serves."""
    yield from _missing(chain, codes.CSF_WITHOUT_CONDITION)


def condition_without_obstacle(chain: Chain, limits: Limits) -> Iterator[Finding]:
    """PF031: a condition not met, with no obstacle recorded against it."""
    yield from _missing(chain, codes.CONDITION_WITHOUT_OBSTACLE)


def obstacle_without_commitment(chain: Chain, limits: Limits) -> Iterator[Finding]:
    """PF032: an obstacle with no live commitment to overcome it."""
    yield from _missing(chain, codes.OBSTACLE_WITHOUT_COMMITMENT)


def too_many_csfs(chain: Chain, limits: Limits) -> Iterator[Finding]:
    csfs = chain.plan.csfs
    if len(csfs) > limits.csf_limit:
        first_extra = csfs[limits.csf_limit]
        message = f"{len(csfs)} CSFs, more than {limits.csf_limit}: not the vital few ({first_extra.describe()} is number {limits.csf_limit + 1})"
        yield _finding(chain, codes.TOO_MANY_CSFS, first_extra, "item", message)


def met_with_obstacles(chain: Chain, limits: Limits) -> Iterator[Finding]:
    for condition in chain.plan.conditions:
        obstacles = chain.obstacles_of[condition.id]
        if condition.met and obstacles:
            names = ", ".join(obstacle.id for obstacle in obstacles)
            message = f"{condition.describe()} is met but still has obstacles recorded against it ({names})"
            yield _finding(chain, codes.MET_WITH_OBSTACLES, condition, "met", message)


def diagram_too_large(chain: Chain, limits: Limits) -> Iterator[Finding]:
    """PF105: a diagram past the limits the site gives Mermaid would fail in the browser."""
    characters, edges = size_bound(chain)
    if characters <= MERMAID_MAX_TEXT_SIZE and edges <= MERMAID_MAX_EDGES:
        return
    characters, edges = diagram_size(mermaid(chain))
    if characters > MERMAID_MAX_TEXT_SIZE or edges > MERMAID_MAX_EDGES:
        message = (
            f"the constraint diagram has {characters} characters and {edges} edges, more than Mermaid draws "
            f"({MERMAID_MAX_TEXT_SIZE} characters, {MERMAID_MAX_EDGES} edges): split the plan into smaller ones"
        )
        yield _finding(chain, codes.DIAGRAM_TOO_LARGE, None, "csfs", message)


def overdue(chain: Chain, limits: Limits) -> Iterator[Finding]:
    for commitment in chain.overdue:
        owner = plain(commitment.owner) if commitment.owner else "unknown"
        yield _finding(chain, codes.OVERDUE, commitment, "due", f"{commitment.describe()} is overdue: due {commitment.due}, owner {owner}")


def review_due(chain: Chain, limits: Limits) -> Iterator[Finding]:
    plan = chain.plan
    if plan.reviewed is None and "reviewed" not in plan.at:  # an invalid date is already a PF011
        yield _finding(chain, codes.REVIEW_DUE, None, "plan", "the plan has never had a deep review (no `reviewed` date)")
    elif plan.reviewed is not None and (chain.today - plan.reviewed).days > limits.review_days:
        days = (chain.today - plan.reviewed).days
        message = f"the plan was last reviewed {days} days ago, on {plan.reviewed} (more than {limits.review_days})"
        yield _finding(chain, codes.REVIEW_DUE, None, "reviewed", message)


CHAIN_CHECKS: tuple[Callable[[Chain, Limits], Iterator[Finding]], ...] = (
    csf_without_condition, condition_without_obstacle, obstacle_without_commitment,
    too_many_csfs, met_with_obstacles, diagram_too_large, overdue, review_due,
)


def chain_findings(chain: Chain, limits: Limits) -> list[Finding]:
    """Every finding of one readable plan's derived chain."""
    return [finding for check in CHAIN_CHECKS for finding in check(chain, limits)]
