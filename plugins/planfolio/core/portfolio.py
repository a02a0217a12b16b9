"""A portfolio read, checked and derived: the pipeline from plan files to reports (read -> check -> derive)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from . import codes
from .check.chain import chain_findings
from .check.items import item_findings
from .check.portfolio import (
    Identity,
    cross_plan_findings,
    file_findings,
    reserved_id_findings,
)
from .derive.chain import Chain, derive
from .findings import Finding, Severity, sort_key
from .model import Explained, Plan
from .read import yamltree
from .read.files import PlanSource
from .read.plan import read_plan
from .settings import Limits


@dataclass(slots=True)
class PlanReport:
    plan: Plan
    chain: Chain | None  # None when the front matter could not be read at all
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class Portfolio:
    today: date
    reports: list[PlanReport]

    @property
    def findings(self) -> list[Finding]:
        return sorted((finding for report in self.reports for finding in report.findings), key=sort_key)

    def count(self, severity: Severity) -> int:
        return sum(finding.severity is severity for report in self.reports for finding in report.findings)


def read_source(source: PlanSource, today: date, limits: Limits, people: frozenset[str] | None) -> PlanReport:
    """Read, validate and derive one plan file."""
    try:
        data = source.file.read_bytes()
    except OSError as error:
        plan = Plan(id=source.plan_id, path=source.shown_as, readable=False)
        problem = "a link to a file that does not exist" if source.file.is_symlink() else error.strerror
        finding = codes.NOT_UTF8.at(source.shown_as, 1, 1, f"cannot read the file: {problem}")
        return PlanReport(plan, None, [finding])
    report = read_text(source.shown_as, source.plan_id, data, today, limits, people)
    report.findings[:0] = file_findings(source)
    return report


def read_text(
    shown_as: str, plan_id: str, data: bytes, today: date, limits: Limits, people: frozenset[str] | None
) -> PlanReport:
    text, problem = yamltree.decode(data)
    if problem is not None:
        plan = Plan(id=plan_id, path=shown_as, readable=False)
        return PlanReport(plan, None, [problem.rule.at(shown_as, problem.line, problem.column, problem.message)])
    explained = Explained()  # the chain gaps the reading findings explain: held back
    plan, findings = read_plan(shown_as, plan_id, yamltree.read(text or ""), people, explained)
    findings += item_findings(plan) + reserved_id_findings(shown_as, plan_id)
    if not plan.readable:
        return PlanReport(plan, None, findings)
    chain = derive(plan, today, explained)
    findings.extend(chain_findings(chain, limits))
    return PlanReport(plan, chain, findings)


def check_files(sources: list[PlanSource], today: date, limits: Limits, people: frozenset[str] | None = None) -> list[Finding]:
    """Every finding of the plan files, reading one file at a time: memory stays flat however many there are."""
    findings: list[Finding] = []
    identities = []
    for source in sources:
        report = read_source(source, today, limits, people)
        findings += report.findings
        identities.append(Identity.of(report.plan))
    findings += cross_plan_findings(identities)
    return sorted(findings, key=sort_key)


Reader = Callable[[PlanSource, date, Limits, "frozenset[str] | None"], PlanReport]


def load_portfolio(
    sources: list[PlanSource], today: date, limits: Limits, people: frozenset[str] | None = None, read: Reader | None = None
) -> Portfolio:
    """Every plan file read (by `read`: under `mkdocs serve`, the reuse cache), and the checks across plans."""
    read = read or read_source
    # Fresh reports around each file's findings (a cached report is never changed): the cross-plan ones join them.
    reports = [PlanReport(report.plan, report.chain, list(report.findings)) for report in (read(source, today, limits, people) for source in sources)]
    by_path = {report.plan.path: report for report in reports}
    for finding in cross_plan_findings([Identity.of(report.plan) for report in reports]):
        by_path[finding.path].findings.append(finding)
    return Portfolio(today, reports)
