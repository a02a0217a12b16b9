"""A portfolio: finding the plan files, reading them all, and the checks that span plans."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import yamltree
from .chain import Chain, Explained, Limits, chain_findings, derive
from .diagram import size_findings
from .findings import Finding, Severity, quote, sort_key
from .model import Plan
from .settings import SettingsError
from .validate import People, read_plan
from .yamltree import Mapping, Scalar, Sequence

RESERVED_IDS = frozenset(("index",))  # the portfolio index is the site's home page
# The top of the site that planfolio writes: its rollups, exports and assets. A plan there would clash with them.
RESERVED_SITE_PATHS = frozenset(("portfolio", "portfolio.json", "commitments.csv", "commitments.ics", "assets"))


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


# What MkDocs reads as a page. A plan file ends in `.md`; a file with one of the others (or `.MD`) is a plan
# misnamed, never skipped: MkDocs would publish it.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
PLAN_SUFFIX = ".md"


@dataclass(frozen=True, slots=True)
class PlanSource:
    """A plan file to read: where it is, and the path findings name it by."""

    file: Path
    shown_as: str
    relative: str = ""  # its path in the site's plans folder, where it is in it: the site path it gets

    @property
    def plan_id(self) -> str:
        name = self.file.name
        suffix = next((suffix for suffix in MARKDOWN_SUFFIXES if name.lower().endswith(suffix)), "")
        return name[: len(name) - len(suffix)] if suffix else self.file.stem


def is_plan_file(relative: str, not_plans: Iterable[str]) -> bool:
    """Whether a file of the plans folder (its path relative to the folder, `/`-separated) is a plan: every
    Markdown file, whatever the case of its extension, unless hidden, in the top `templates/` folder (MkDocs
    publishes neither) or excluded by the site's `not_plans`. The one definition `check` and the site share."""
    if not relative.lower().endswith(MARKDOWN_SUFFIXES) or relative.startswith("templates/"):
        return False
    if any(part.startswith(".") for part in relative.split("/")):
        return False
    return not any(fnmatch.fnmatch(relative, pattern) for pattern in not_plans)


def find_plans(folder: Path, not_plans: Iterable[str], shown_from: Path | None = None) -> list[PlanSource]:
    """The plan files of a folder, found as MkDocs finds pages: symlinked folders followed (each real folder
    once), a dangling link kept (reading it is a finding, not a silent skip)."""
    patterns = tuple(not_plans)
    sources = []
    seen: set[str] = set()
    for directory, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen:  # a link back up the tree
            folders.clear()
            continue
        seen.add(real)
        for name in names:
            file = Path(directory) / name
            if is_plan_file(file.relative_to(folder).as_posix(), patterns):
                sources.append(PlanSource(file, _shown(file, shown_from), file.relative_to(folder).as_posix()))
    return sorted(sources, key=lambda source: source.file.relative_to(folder).as_posix())


def _shown(file: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return Path(os.path.abspath(file)).relative_to(os.path.abspath(base)).as_posix()  # links kept as named
        except ValueError:
            pass
    return file.as_posix()


def load_people(people_file: Path, shown_as: str | None = None) -> People:
    """The names of a people file: a YAML list of names, or a mapping whose keys are names.

    They carry the file's path (`shown_as`, else as given), which PF023 names where to add a person.
    """
    try:
        text, problem = yamltree.decode(people_file.read_bytes())
    except OSError as error:
        raise SettingsError(f"cannot read the people file {people_file}: {error.strerror}") from None
    if problem is not None:
        raise SettingsError(f"{people_file}:{problem.line}:{problem.column}: {problem.message}")
    problems: list[yamltree.Problem] = []
    root = yamltree.parse(text or "", problems)
    if problems:
        first = problems[0]
        raise SettingsError(f"{people_file}:{first.line}:{first.column}: {first.message}")
    if type(root) is Sequence:
        names = [item.text for item in root.items if type(item) is Scalar]
        if len(names) != len(root.items):
            raise SettingsError(f"{people_file}: every entry of the people list must be a name")
    elif type(root) is Mapping:
        names = list(root.entries)
    else:
        raise SettingsError(f"{people_file}: the people file must be a YAML list of names, or a mapping by name")
    return People((name.strip() for name in names if name.strip()), shown_as or people_file.as_posix())


def read_source(source: PlanSource, today: date, limits: Limits, people: frozenset[str] | None) -> PlanReport:
    """Read, validate and derive one plan file."""
    try:
        data = source.file.read_bytes()
    except OSError as error:
        plan = Plan(id=source.plan_id, path=source.shown_as, readable=False)
        problem = "a link to a file that does not exist" if source.file.is_symlink() else error.strerror
        finding = Finding(source.shown_as, 1, 1, Severity.ERROR, "PF001", f"cannot read the file: {problem}")
        return PlanReport(plan, None, [finding])
    report = read_text(source.shown_as, source.plan_id, data, today, limits, people)
    top = source.relative.split("/")[0]
    if (top if "/" in source.relative else source.plan_id) in RESERVED_SITE_PATHS:
        message = f"the site's {quote(top.removesuffix(PLAN_SUFFIX))} is planfolio's (its rollups, exports and assets): move or rename the plan"
        report.findings.insert(0, Finding(source.shown_as, 1, 1, Severity.ERROR, "PF021", message))
    if not source.file.name.endswith(PLAN_SUFFIX):
        name = quote(source.file.name)
        message = f"plan files end in `{PLAN_SUFFIX}`: rename {name} to {quote(source.plan_id + PLAN_SUFFIX)}, or exclude it with `not_plans`"
        report.findings.insert(0, Finding(source.shown_as, 1, 1, Severity.ERROR, "PF021", message))
    return report


def read_text(
    shown_as: str, plan_id: str, data: bytes, today: date, limits: Limits, people: frozenset[str] | None
) -> PlanReport:
    text, problem = yamltree.decode(data)
    if problem is not None:
        plan = Plan(id=plan_id, path=shown_as, readable=False)
        return PlanReport(plan, None, [Finding(shown_as, problem.line, problem.column, Severity.ERROR, problem.code, problem.message)])
    explained = Explained()  # the chain gaps the reading findings explain: held back
    plan, findings = read_plan(shown_as, plan_id, yamltree.read(text or ""), people, explained)
    if plan_id in RESERVED_IDS:
        findings.append(
            Finding(shown_as, 1, 1, Severity.ERROR, "PF021", f"`{plan_id}` is reserved for the portfolio index: rename the plan file (a home page of your own that is not a plan: exclude it with `not_plans`)")
        )
    if not plan.readable:
        return PlanReport(plan, None, findings)
    chain = derive(plan, today, explained)
    findings.extend(chain_findings(chain, limits))
    findings.extend(size_findings(chain))
    return PlanReport(plan, chain, findings)


@dataclass(frozen=True, slots=True)
class Identity:
    """What the checks across plans need of a plan, so a check of many files need not keep their models."""

    plan_id: str
    path: str
    account: str
    period: str | None
    account_at: tuple[int, int]

    @classmethod
    def of(cls, plan: Plan) -> Identity:
        account = plan.account if plan.readable else ""
        return cls(plan.id, plan.path, account, plan.period, plan.at.get("account", (1, 1)))


def cross_plan_findings(identities: list[Identity]) -> list[Finding]:
    """Findings that span plans: the same plan id twice, the same account and period twice."""
    findings = []
    by_id: dict[str, Identity] = {}
    by_account: dict[tuple[str, str], Identity] = {}
    for plan in sorted(identities, key=lambda plan: plan.path):  # the later path is "the second"
        first = by_id.setdefault(plan.plan_id, plan)
        if first is not plan:
            message = f"plan id `{plan.plan_id}` is already the id of {first.path}: plan file names must be unique"
            findings.append(Finding(plan.path, 1, 1, Severity.ERROR, "PF021", message))
        if not plan.account:
            continue
        first = by_account.setdefault((" ".join(plan.account.casefold().split()), plan.period or ""), plan)
        if first is not plan:
            period = f" for {quote(plan.period)}" if plan.period else " with no period"
            message = f"{quote(plan.account)}{period} already has a plan: {first.path}"
            findings.append(Finding(plan.path, *plan.account_at, Severity.WARNING, "PF103", message))
    return findings


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


class ReadCache:
    """Reports of plan files by their size and modification time, for rebuilds where most plans are unchanged."""

    def __init__(self) -> None:
        self._context: tuple[object, ...] | None = None
        self._reports: dict[Path, tuple[tuple[int, int], PlanReport]] = {}

    def read(self, source: PlanSource, today: date, limits: Limits, people: frozenset[str] | None) -> PlanReport:
        context = (today, limits, people)
        if context != self._context:
            self._context, self._reports = context, {}
        try:
            status = source.file.stat()
            stamp = (status.st_mtime_ns, status.st_size)
        except OSError:
            return read_source(source, today, limits, people)
        cached = self._reports.get(source.file)
        if cached is None or cached[0] != stamp or cached[1].plan.path != source.shown_as:
            cached = (stamp, read_source(source, today, limits, people))
            self._reports[source.file] = cached
        return cached[1]


def load_portfolio(
    sources: list[PlanSource], today: date, limits: Limits, people: frozenset[str] | None = None, cache: ReadCache | None = None
) -> Portfolio:
    read = cache.read if cache is not None else read_source
    # Fresh reports around each file's findings (a cached report is never changed): the cross-plan ones join them.
    reports = [PlanReport(report.plan, report.chain, list(report.findings)) for report in (read(source, today, limits, people) for source in sources)]
    by_path = {report.plan.path: report for report in reports}
    for finding in cross_plan_findings([Identity.of(report.plan) for report in reports]):
        by_path[finding.path].findings.append(finding)
    return Portfolio(today, reports)
