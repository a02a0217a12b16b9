"""The portfolio as JSON: the `planfolio export` output and the site's `portfolio.json`."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from typing import Any, TextIO

from ..derive.chain import Chain
from ..derive.slips import PlanDerived
from ..findings import sort_key
from ..portfolio import PlanReport, Portfolio, PortfolioHistory


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def commitment_rows(chain: Chain, facts: PlanDerived | None = None) -> list[dict[str, Any]]:
    """Each commitment with what history tells of it (`null` where there is no history, or it is new)."""
    rows = []
    for commitment in chain.plan.commitments:
        told = facts.commitments.get(commitment.id) if facts is not None else None
        rows.append({
            "id": commitment.id,
            "title": commitment.title,
            "owner": commitment.owner,
            "due": _date(commitment.due),
            "status": commitment.status,
            "overdue": commitment.is_overdue(chain.today),
            "obstacles": list(commitment.obstacles),
            "completed": _date(commitment.completed),
            "link": commitment.link,
            "original_due": _date(told.original_due) if told else None,
            "slips": told.slips if told else None,
            "slipped_days": told.slipped_days if told else None,
            "since": _date(told.since) if told else None,
        })
    return rows


def chain_rows(chain: Chain) -> dict[str, list[dict[str, Any]]]:
    """The chain above the commitments: each item with the ids it links to and its derived state."""
    plan = chain.plan

    def achieved(item_id: str) -> str:
        return "achieved" if item_id in chain.achieved else "open"

    return {
        "csfs": [{"id": csf.id, "title": csf.title, "state": achieved(csf.id)} for csf in plan.csfs],
        "conditions": [
            {"id": condition.id, "title": condition.title, "csfs": list(condition.csfs), "met": condition.met, "state": achieved(condition.id)}
            for condition in plan.conditions
        ],
        "obstacles": [
            {
                "id": obstacle.id, "title": obstacle.title, "conditions": list(obstacle.conditions),
                "state": "overcome" if obstacle.id in chain.overcome else "open",
            }
            for obstacle in plan.obstacles
        ],
    }


def plan_export(report: PlanReport, history: PortfolioHistory | None = None) -> dict[str, Any]:
    plan, chain = report.plan, report.chain
    facts = history.of(plan) if history is not None else None
    goal = plan.goal
    return {
        "id": plan.id,
        "path": plan.path,
        "account": plan.account or None,
        "owner": plan.owner or None,
        "status": plan.status,
        "period": plan.period,
        "tags": plan.tags,
        "team": plan.team,
        "reviewed": _date(plan.reviewed),
        "goal": {
            "statement": goal.statement or None,
            "due": _date(goal.due),
            "baseline": goal.baseline,
            "target": goal.target,
            "current": goal.current,
            "unit": goal.unit,
            "within_reach": chain.within_reach if chain else False,
        },
        "progress": chain.progress if chain else 0.0,
        "overdue": len(chain.overdue) if chain else 0,
        "within_reach": chain.within_reach if chain else False,
        **(chain_rows(chain) if chain else {"csfs": [], "conditions": [], "obstacles": []}),
        "commitments": commitment_rows(chain, facts) if chain else [],
        "last_changed": _date(facts.last_changed) if facts else None,
        "reviewed_at": _date(facts.reviewed_at) if facts else None,
        "changes_since_review": facts.changes_since_review if facts else None,
        "diagnostics": [finding.as_dict() for finding in sorted(report.findings, key=sort_key)],
    }


def write_export(portfolio: Portfolio, out: TextIO, indent: int | None = None) -> None:
    """The export as JSON, `{"today": ..., "plans": [...]}`, written a plan at a time (a portfolio of thousands
    of plans never sits in memory as one document); the same text as `json.dumps` of the whole."""
    skeleton = {"today": portfolio.today.isoformat(), "plans": [None] if portfolio.reports else []}
    head, _, tail = json.dumps(skeleton, ensure_ascii=False, indent=indent).partition("null")  # where the plans go
    depth = "\n" + " " * (2 * indent) if indent is not None else ""  # a plan sits two levels deep
    out.write(head)
    for number, report in enumerate(portfolio.reports):
        if number:
            out.write("," + depth if indent is not None else ", ")
        out.write(json.dumps(plan_export(report, portfolio.history), ensure_ascii=False, indent=indent).replace("\n", depth))
    out.write(tail)


# OWASP's CSV injection guidance: a spreadsheet starts a formula at `=`, `+`, `-`, `@`, a tab or a CR at the
# start of a cell, and a spreadsheet that splits on `;` or a tab (German or French Excel) starts a cell
# after each of those: every piece that a separator could begin is neutralised with a `'`.
_FORMULA = re.compile(r"(^|[,;\t|])(?=[=+\-@\t\r])")
CSV_COLUMNS = (
    "plan", "account", "plan_status", "commitment", "title", "owner", "due", "status", "overdue", "obstacles", "link",
    "original_due", "slips", "slipped_days",
)


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, however it splits the line into cells."""
    text = "" if value is None else str(value)
    return _FORMULA.sub(r"\1'", text)


def write_commitments_csv(portfolio: Portfolio, out: TextIO) -> None:
    """Every commitment of the portfolio's readable plans, a row each (open `out` with `newline=""`)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for report in portfolio.reports:
        if report.chain is None:
            continue
        plan = report.plan
        for row in commitment_rows(report.chain, portfolio.history.of(plan) if portfolio.history else None):
            cells = [plan.id, plan.account, plan.status, row["id"], row["title"], row["owner"], row["due"], row["status"]]
            cells += ["yes" if row["overdue"] else "no", " ".join(row["obstacles"]), row["link"], row["original_due"], row["slips"], row["slipped_days"]]
            writer.writerow([_cell(cell) for cell in cells])
