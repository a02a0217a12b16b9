"""A portfolio read, checked and derived: the pipeline from plan files to reports (read -> check -> derive)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import codes
from .check.chain import chain_findings
from .check.history import slip_findings
from .check.items import item_findings
from .check.portfolio import (
    Identity,
    cross_plan_findings,
    file_findings,
    reserved_id_findings,
)
from .derive.chain import Chain, derive
from .derive.events import Event
from .derive.history import GitHistory, History, PlanHistory, open_history
from .derive.progress import PlanPoint, PortfolioPoint, plan_points, portfolio_points
from .derive.slips import PlanDerived, derive_history
from .findings import Finding, Severity, sort_key
from .model import Explained, Plan
from .read import yamltree
from .read.files import PlanSource
from .read.git import NoHistory
from .read.plan import read_plan
from .read.versions import VersionCache
from .read.yamltree import Sections
from .settings import Limits


@dataclass(slots=True)
class PlanReport:
    plan: Plan
    chain: Chain | None  # None when the front matter could not be read at all
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of a plan as its timeline shows it: when, by whom, in which commit (None: uncommitted), what changed."""

    date: date
    commit: str | None
    author: str | None
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class PlanChanges:
    """What a plan's page shows of its history: the events since its review, and every version, newest first."""

    since_review: tuple[Event, ...]  # the events `changes_since_review` counts, oldest first
    timeline: tuple[Revision, ...]  # newest first


@dataclass(frozen=True, slots=True)
class PortfolioHistory:
    """What git tells about the plans, by the path each plan is shown as; where there is none, why."""

    plans: dict[str, PlanDerived] = field(default_factory=dict)
    missing: str | None = None  # the one info line: no git, no work tree, a shallow clone
    changes: dict[str, PlanChanges] = field(default_factory=dict)  # keyed like `plans`
    progress: dict[str, tuple[PlanPoint, ...]] = field(default_factory=dict)  # keyed like `plans`: a point a day with a version
    over_time: tuple[PortfolioPoint, ...] = ()  # the portfolio's commitments at each date with a version of any plan

    def of(self, plan: Plan) -> PlanDerived | None:
        return self.plans.get(plan.path)

    def progress_of(self, plan: Plan) -> tuple[PlanPoint, ...]:
        return self.progress.get(plan.path, ())

    def changes_of(self, plan: Plan) -> PlanChanges | None:
        return self.changes.get(plan.path)


def plan_changes(history: PlanHistory, facts: PlanDerived) -> PlanChanges:
    """What a plan's page shows of its history: the events since its review (as derived), and every version."""
    timeline = tuple(Revision(step.version.date, step.version.commit, step.version.author, step.events) for step in reversed(history.steps))
    return PlanChanges(facts.since_review, timeline)


@dataclass(slots=True)
class Portfolio:
    today: date
    reports: list[PlanReport]
    history: PortfolioHistory | None = None  # None: history was not asked for

    @property
    def findings(self) -> list[Finding]:
        return sorted((finding for report in self.reports for finding in report.findings), key=sort_key)

    def count(self, severity: Severity) -> int:
        return sum(finding.severity is severity for report in self.reports for finding in report.findings)


def read_source(source: PlanSource, today: date, limits: Limits, people: frozenset[str] | None, sections: Sections | None = None) -> PlanReport:
    """Read, validate and derive one plan file (its front matter through `sections` where given)."""
    try:
        data = source.file.read_bytes()
    except OSError as error:
        plan = Plan(id=source.plan_id, path=source.shown_as, readable=False)
        problem = "a link to a file that does not exist" if source.file.is_symlink() else error.strerror
        finding = codes.NOT_UTF8.at(source.shown_as, 1, 1, f"cannot read the file: {problem}")
        return PlanReport(plan, None, [finding])
    report = read_text(source.shown_as, source.plan_id, data, today, limits, people, sections)
    report.findings[:0] = file_findings(source)
    return report


def read_text(
    shown_as: str, plan_id: str, data: bytes, today: date, limits: Limits, people: frozenset[str] | None, sections: Sections | None = None
) -> PlanReport:
    text, problem = yamltree.decode(data)
    if problem is not None:
        plan = Plan(id=plan_id, path=shown_as, readable=False)
        return PlanReport(plan, None, [problem.rule.at(shown_as, problem.line, problem.column, problem.message)])
    explained = Explained()  # the chain gaps the reading findings explain: held back
    plan, findings = read_plan(shown_as, plan_id, yamltree.read(text or "", sections), people, explained)
    findings += item_findings(plan) + reserved_id_findings(shown_as, plan_id)
    if not plan.readable:
        return PlanReport(plan, None, findings)
    chain = derive(plan, today, explained)
    findings.extend(chain_findings(chain, limits))
    return PlanReport(plan, chain, findings)


def _derived(found: History | NoHistory, shown_prefix: str) -> PortfolioHistory:
    if isinstance(found, NoHistory):
        return PortfolioHistory(missing=found.reason)
    derived = {shown_prefix + path: facts for path, plan in found.plans.items() if (facts := derive_history(plan)) is not None}
    changes = {shown: plan_changes(found.plans[shown[len(shown_prefix) :]], facts) for shown, facts in derived.items()}
    progress = {shown: plan_points(found.plans[shown[len(shown_prefix) :]]) for shown in derived}
    return PortfolioHistory(derived, changes=changes, progress=progress, over_time=portfolio_points(found.plans.values()))


def history_findings(report: PlanReport, history: PortfolioHistory | None, limits: Limits) -> list[Finding]:
    facts = history.of(report.plan) if history is not None and report.chain is not None else None
    return slip_findings(report.plan, facts, limits.slip_limit) if facts is not None else []


@dataclass(frozen=True, slots=True)
class HistoryReader:
    """Reads the plans' history once the plans themselves are read: their newest versions are those plans, and
    the older ones are read through the sections read with them (only plans that have older versions are read
    through sections: `has_older`)."""

    git: GitHistory
    cache: VersionCache

    def has_older(self, shown_as: str) -> bool:
        return self.git.has_older(shown_as)

    def __call__(self, current: Mapping[str, Plan], sections: Mapping[str, Sections]) -> PortfolioHistory:
        return _derived(self.git.read(self.cache, current, sections), self.git.prefix)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector pauses while a portfolio and its history are read. They hold the plans and
    the trees they were read from: a few hundred thousand objects, none in a cycle, which the collector would
    otherwise scan again and again as they pile up (twice the time of reading a 1,000-plan history). The
    cycles made meanwhile, if any, are collected once it runs again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def history_reader(plans_dir: Path, today: date, cache: VersionCache, not_plans: Iterable[str], shown_prefix: str) -> HistoryReader | PortfolioHistory:
    """How to read the plans' history from git in one pass, derived per plan and keyed as `shown_prefix` + their
    path, once the plans are read; where git has none (no git, no work tree, a shallow clone), that history: none,
    and why."""
    opened = open_history(plans_dir, today, not_plans=not_plans, shown_prefix=shown_prefix)
    return PortfolioHistory(missing=opened.reason) if isinstance(opened, NoHistory) else HistoryReader(opened, cache)


def _sections_for(source: PlanSource, history: HistoryReader | PortfolioHistory | None, sections: dict[str, Sections], people: frozenset[str] | None) -> Sections | None:
    """The sections to read a plan file through, kept by the path it is shown as: where its older versions
    will be read (else kept for nothing)."""
    if not isinstance(history, HistoryReader) or not history.has_older(source.shown_as):
        return None
    return sections.setdefault(source.shown_as, Sections(people))


def _read_history(history: HistoryReader | PortfolioHistory | None, reports: list[PlanReport], sections: dict[str, Sections]) -> PortfolioHistory | None:
    if history is None or isinstance(history, PortfolioHistory):
        return history
    return history({report.plan.path: report.plan for report in reports if report.plan.readable}, sections)


def check_files(
    sources: list[PlanSource],
    today: date,
    limits: Limits,
    people: frozenset[str] | None = None,
    history: HistoryReader | PortfolioHistory | None = None,
) -> tuple[list[Finding], PortfolioHistory | None]:
    """Every finding of the plan files, reading one file at a time (only the plans are kept, for the history),
    and the history where it was asked for (`history_reader`)."""
    findings: list[Finding] = []
    identities = []
    reports = []
    sections: dict[str, Sections] = {}  # each plan file's, by the path it is shown as
    with _cycle_collector_paused():
        for source in sources:
            report = read_source(source, today, limits, people, _sections_for(source, history, sections, people))
            findings += report.findings
            identities.append(Identity.of(report.plan))
            if isinstance(history, HistoryReader):  # only the history needs the plans once read
                reports.append(PlanReport(report.plan, report.chain))
        findings += cross_plan_findings(identities)
        told = _read_history(history, reports, sections)
        sections.clear()  # their trees go before the collector runs again, which would scan them all once
    for report in reports:
        findings += history_findings(report, told, limits)
    return sorted(findings, key=sort_key), told


Reader = Callable[[PlanSource, date, Limits, "frozenset[str] | None", "Sections | None"], PlanReport]


def load_portfolio(
    sources: list[PlanSource],
    today: date,
    limits: Limits,
    people: frozenset[str] | None = None,
    read: Reader | None = None,
    history: HistoryReader | PortfolioHistory | None = None,
) -> Portfolio:
    """Every plan file read (by `read`: under `mkdocs serve`, the reuse cache), the checks across plans, and
    what the plans' history tells where it was read (`history_reader`)."""
    read = read or read_source
    sections: dict[str, Sections] = {}  # each plan file's, by the path it is shown as
    with _cycle_collector_paused():
        # Fresh reports around each file's findings (a cached report is never changed): the cross-plan ones join them.
        reports = [
            PlanReport(report.plan, report.chain, list(report.findings))
            for report in (read(source, today, limits, people, _sections_for(source, history, sections, people)) for source in sources)
        ]
        by_path = {report.plan.path: report for report in reports}
        for finding in cross_plan_findings([Identity.of(report.plan) for report in reports]):
            by_path[finding.path].findings.append(finding)
        told = _read_history(history, reports, sections)
        sections.clear()  # their trees go before the collector runs again, which would scan them all once
    for report in reports:
        report.findings += history_findings(report, told, limits)
    return Portfolio(today, reports, told)
