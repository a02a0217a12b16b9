"""A portfolio read, checked and derived: the pipeline from plan files to reports (read -> check -> derive)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
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
from .derive.history import GitHistory, History, HistoryReading, PlanHistory, open_history
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


@dataclass(frozen=True, slots=True)
class HistoryReader:
    """How to read the plans' history as the plans themselves are read: git's account of each file's versions,
    and the versions read before (`reading`)."""

    git: GitHistory
    cache: VersionCache

    def reading(self, order: Iterable[str] = (), least: int = 1) -> AbstractContextManager[HistoryReading]:
        return self.git.reading(self.cache, order, least)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector pauses while a portfolio and its history are read. They hold the plans read
    (with history, every version's) and the trees being read: many thousand objects, none in a cycle, which
    the collector would otherwise scan again and again as they pile up. The cycles made meanwhile, if any, are
    collected once it runs again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def history_reader(plans_dir: Path, today: date, cache: VersionCache, not_plans: Iterable[str], shown_prefix: str) -> HistoryReader | PortfolioHistory:
    """How to read the plans' history from git in one pass, derived per plan and keyed as `shown_prefix` + their
    path, as the plans are read; where git has none (no git, no work tree, a shallow clone), that history: none,
    and why."""
    opened = open_history(plans_dir, today, not_plans=not_plans, shown_prefix=shown_prefix)
    return PortfolioHistory(missing=opened.reason) if isinstance(opened, NoHistory) else HistoryReader(opened, cache)


def _reading(history: HistoryReader | PortfolioHistory | None, sources: list[PlanSource], least: int = 1) -> AbstractContextManager[HistoryReading | None]:
    if not isinstance(history, HistoryReader):
        return nullcontext()
    return history.reading((source.shown_as for source in sources), least)


def check_files(
    sources: list[PlanSource],
    today: date,
    limits: Limits,
    people: frozenset[str] | None = None,
    history: HistoryReader | PortfolioHistory | None = None,
) -> tuple[list[Finding], str | None]:
    """Every finding of the plan files, reading one file at a time (and, where asked for, its history right
    after it: `history_reader`), and why there is no history where there is none.

    PF202 is the one finding history gives, and a commitment's due slips at most once a version: so only the
    history of a plan with more versions than the slip limit is read (a plan with fewer cannot have it)."""
    findings: list[Finding] = []
    identities = []
    slips: list[Finding] = []  # PF202: kept back until the whole history is read, as git may fail on the way
    with _cycle_collector_paused(), _reading(history, sources, least=limits.slip_limit + 1) as reading:
        for source in sources:
            sections = reading.sections(source.shown_as, people) if reading is not None else None
            report = read_source(source, today, limits, people, sections)
            findings += report.findings
            identities.append(Identity.of(report.plan))
            if reading is not None and report.chain is not None:
                read = reading.add(source.shown_as, report.plan, sections, keep=False)  # read once, derived, let go
                facts = derive_history(read) if read is not None else None
                slips += slip_findings(report.plan, facts, limits.slip_limit) if facts is not None else []
        findings += cross_plan_findings(identities)
    if isinstance(history, PortfolioHistory):
        return sorted(findings, key=sort_key), history.missing
    failed = reading.failed if reading is not None else None
    if failed is None:
        findings += slips
    return sorted(findings, key=sort_key), failed.reason if failed is not None else None


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
    what the plans' history tells where it was read (`history_reader`), each plan's right after it."""
    read = read or read_source
    reports = []
    with _cycle_collector_paused(), _reading(history, sources) as reading:
        for source in sources:
            sections = reading.sections(source.shown_as, people) if reading is not None else None
            report = read(source, today, limits, people, sections)
            # A fresh report around the file's findings (a cached report is never changed): the cross-plan ones join them.
            reports.append(PlanReport(report.plan, report.chain, list(report.findings)))
            if reading is not None:
                reading.add(source.shown_as, report.plan if report.plan.readable else None, sections)
        by_path = {report.plan.path: report for report in reports}
        for finding in cross_plan_findings([Identity.of(report.plan) for report in reports]):
            by_path[finding.path].findings.append(finding)
        told = _derived(reading.finish(), reading.prefix) if reading is not None else _told(history)
    for report in reports:
        report.findings += history_findings(report, told, limits)
    return Portfolio(today, reports, told)


def _told(history: HistoryReader | PortfolioHistory | None) -> PortfolioHistory | None:
    """The history where there is nothing to read: none asked for, or none in git (and why)."""
    return history if isinstance(history, PortfolioHistory) else None


def history_findings(report: PlanReport, history: PortfolioHistory | None, limits: Limits) -> list[Finding]:
    facts = history.of(report.plan) if history is not None and report.chain is not None else None
    return slip_findings(report.plan, facts, limits.slip_limit) if facts is not None else []
