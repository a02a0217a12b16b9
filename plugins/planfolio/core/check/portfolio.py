"""Checks of plan files within the portfolio: where a file lies and what it is named, and the checks that
span plans (the same plan id twice, the same account and period twice)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import codes
from ..findings import Finding, quote
from ..model import Plan
from ..read.files import PLAN_SUFFIX, PlanSource

RESERVED_IDS = frozenset(("index",))  # the portfolio index is the site's home page
# The top of the site that planfolio writes: its rollups, exports and assets. A plan there would clash with them.
RESERVED_SITE_PATHS = frozenset(("portfolio", "portfolio.json", "commitments.csv", "commitments.ics", "assets"))


def file_findings(source: PlanSource) -> list[Finding]:
    """PF021 for a plan file whose name or place the site cannot publish it under."""
    findings = []
    top = source.relative.split("/")[0]
    if (top if "/" in source.relative else source.plan_id) in RESERVED_SITE_PATHS:
        message = f"the site's {quote(top.removesuffix(PLAN_SUFFIX))} is planfolio's (its rollups, exports and assets): move or rename the plan"
        findings.append(codes.INVALID_ID.at(source.shown_as, 1, 1, message))
    if not source.file.name.endswith(PLAN_SUFFIX):
        name = quote(source.file.name)
        message = f"plan files end in `{PLAN_SUFFIX}`: rename {name} to {quote(source.plan_id.lower() + PLAN_SUFFIX)}, or exclude it with `not_plans`"
        findings.append(codes.INVALID_ID.at(source.shown_as, 1, 1, message))
    return findings


# What planfolio generates into the site besides plan pages: a file of the site's own there would be replaced.
# (The "This week" page and its Atom feed are portfolio/week.md and .xml, with an empty sitemap.xml beside the feed
# for the theme; each person's feed is in portfolio/owners/.)
GENERATED_FILES = frozenset((
    "portfolio.json", "commitments.csv", "commitments.ics", "portfolio/week.xml", "portfolio/sitemap.xml",
    *(f"portfolio/{page}.md" for page in ("index", "week", "owners", "due", "status", "slipped", "tags")),
))
GENERATED_FOLDERS = ("assets/planfolio/", "assets/vendor/", "portfolio/owners/", "portfolio/due/", "portfolio/status/", "portfolio/slipped/", "portfolio/tags/")


def site_file_findings(shown_folder: str, relative_paths: Iterable[str]) -> list[Finding]:
    """PF021 for a file of the site's own (not a plan) where planfolio writes one: the build would fail on it."""
    findings = []
    for relative in relative_paths:
        if relative in GENERATED_FILES or relative.startswith(GENERATED_FOLDERS):
            message = f"{quote(relative)} is where planfolio writes a file of the site: rename or move yours (the build fails on it)"
            findings.append(codes.INVALID_ID.at(f"{shown_folder}/{relative}", 1, 1, message))
    return findings


def reserved_id_findings(path: str, plan_id: str) -> list[Finding]:
    if plan_id not in RESERVED_IDS:
        return []
    message = f"`{plan_id}` is reserved for the portfolio index: rename the plan file (a home page of your own that is not a plan: exclude it with `not_plans`)"
    return [codes.INVALID_ID.at(path, 1, 1, message)]


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
            findings.append(codes.INVALID_ID.at(plan.path, 1, 1, message))
        if not plan.account:
            continue
        first = by_account.setdefault((" ".join(plan.account.casefold().split()), plan.period or ""), plan)
        if first is not plan:
            period = f" for {quote(plan.period)}" if plan.period else " with no period"
            message = f"{quote(plan.account)}{period} already has a plan: {first.path}"
            findings.append(codes.SAME_ACCOUNT_TWICE.at(plan.path, *plan.account_at, message))
    return findings
