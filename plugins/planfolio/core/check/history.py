"""Checks that need the plan's history: a commitment that keeps slipping (PF202)."""

from __future__ import annotations

from .. import codes
from ..derive.slips import PlanDerived
from ..findings import Finding
from ..model import Plan


def slip_findings(plan: Plan, derived: PlanDerived, slip_limit: int) -> list[Finding]:
    """PF202 (info): each live commitment, not done, whose `due` slipped `slip_limit` times or more."""
    findings = []
    for commitment in plan.commitments:
        found = derived.commitments.get(commitment.id)
        if found is None or not commitment.live or commitment.status == "done" or found.slips < slip_limit:
            continue
        line, column = commitment.at.get("due") or commitment.at.get("item") or (1, 1)
        later = f", {found.slipped_days} days later" if found.slipped_days is not None else ""
        message = f"{commitment.describe()} has slipped {found.slips} times: first due {found.original_due}, now due {commitment.due}{later}"
        findings.append(codes.SLIPPED.at(plan.path, line, column, message))
    return findings
