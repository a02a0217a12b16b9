"""The portfolio as JSON: the `planfolio export` output and the site's `portfolio.json`."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from .chain import Chain
from .findings import sort_key
from .portfolio import PlanReport, Portfolio


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def commitment_rows(chain: Chain) -> list[dict[str, Any]]:
    return [
        {
            "id": commitment.id,
            "title": commitment.title,
            "owner": commitment.owner,
            "due": _date(commitment.due),
            "status": commitment.status,
            "overdue": commitment.is_overdue(chain.today),
            "obstacles": list(commitment.obstacles),
            "completed": _date(commitment.completed),
            "link": commitment.link,
        }
        for commitment in chain.plan.commitments
    ]


def plan_export(report: PlanReport) -> dict[str, Any]:
    plan, chain = report.plan, report.chain
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
        },
        "progress": chain.progress if chain else 0.0,
        "overdue": len(chain.overdue) if chain else 0,
        "within_reach": chain.within_reach if chain else False,
        "commitments": commitment_rows(chain) if chain else [],
        "diagnostics": [finding.as_dict() for finding in sorted(report.findings, key=sort_key)],
    }


def portfolio_export(portfolio: Portfolio) -> dict[str, Any]:
    return {"today": portfolio.today.isoformat(), "plans": [plan_export(report) for report in portfolio.reports]}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("plan", "account", "plan_status", "commitment", "title", "owner", "due", "status", "overdue", "obstacles", "link")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading `=`, `+`, `-` or `@` would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def commitments_csv(portfolio: Portfolio) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for report in portfolio.reports:
        if report.chain is None:
            continue
        plan = report.plan
        for row in commitment_rows(report.chain):
            cells = (plan.id, plan.account, plan.status, row["id"], row["title"], row["owner"], row["due"], row["status"])
            cells += ("yes" if row["overdue"] else "no", " ".join(row["obstacles"]), row["link"])
            writer.writerow([_cell(cell) for cell in cells])
    return buffer.getvalue()
