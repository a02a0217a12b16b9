"""Which pages the portfolio site has: one per plan, the index, and the rollups, each with its template data.

This decides *what* is shown; `render.py` draws it and `plugin.py` hands it to MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .core.derive.diagram import mermaid
from .core.derive.necessity import reading
from .core.derive.rollups import DUE_WINDOWS, Rollups
from .core.findings import Severity, sort_key
from .core.portfolio import PlanReport, Portfolio
from .core.publish.slug import unique_slugs

ROLLUP_ROOT = "portfolio"


@dataclass(slots=True)
class PageSpec:
    key: str  # how templates link to it: url("plan:acme"), url("owner:Dana Kim:1") (page 1 of a listing), url("due")
    src_uri: str
    title: str
    template: str
    # The template's data; a function for plan pages, so a rebuild that skips a page (--dirty) skips its work.
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    in_nav: bool = False
    searchable: bool = False
    # The body depends on nothing but `context` (plain data, no rollups), the site's layout and the templates:
    # under `mkdocs serve` it is drawn again only when one of them changed (render.BodyCache).
    reusable: bool = False


def _paged(
    key: str, stem: str, title: str, rows: list[Any], size: int, extra: dict[str, Any],
    template: str = "planfolio/listing.html", rows_as: str = "entries", reusable: bool = False,
) -> list[PageSpec]:
    """A listing split into pages of at most `size` rows: `stem.md`, `stem/2.md`, ... (no clash with other slugs)"""
    chunks = [rows[start : start + size] for start in range(0, len(rows), size)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        suffix = "" if number == 1 else f"/{number}"
        pager = {
            "number": number,
            "count": len(chunks),
            "previous": f"{key}:{number - 1}" if number > 1 else None,
            "next": f"{key}:{number + 1}" if number < len(chunks) else None,
            "total": len(rows),
        }
        shown_title = title if number == 1 else f"{title} (page {number})"
        context = {rows_as: chunk, "pager": pager, "heading": title, **extra}
        pages.append(PageSpec(f"{key}:{number}", f"{stem}{suffix}.md", shown_title, template, context, reusable=reusable))
    return pages


def plan_page(report: PlanReport, src_uri: str, rollups: Rollups) -> PageSpec:
    chain = report.chain
    assert chain is not None  # only readable plans get a page

    def context() -> dict[str, Any]:
        return {
            "plan": chain.plan,
            "chain": chain,
            "diagram": mermaid(chain),
            "reading": reading(chain),
            "notices": [finding for finding in sorted(report.findings, key=sort_key) if finding.severity is not Severity.ERROR],
            "next_due": rollups.next_due.get(chain.plan.id),
        }

    return PageSpec(f"plan:{chain.plan.id}", src_uri, chain.plan.title, "planfolio/plan.html", context, searchable=True)


def people_slugs(rollups: Rollups) -> dict[str, str]:
    """Everyone with a page of their own (owners of commitments, plan owners and team members), by name."""
    people = sorted(set(rollups.by_owner) | set(rollups.owned), key=str.casefold)
    return unique_slugs(people, "person")


def owner_page(slug: str) -> str:
    return f"{ROLLUP_ROOT}/owners/{slug}"


def site_pages(
    portfolio: Portfolio, rollups: Rollups, plan_src_uris: dict[str, str], page_size: int, index: str = "index.md"
) -> list[PageSpec]:
    """Every page of the site: plans (at their own files), the index (`index`) and the rollups."""
    pages = [plan_page(report, plan_src_uris[report.plan.id], rollups) for report in portfolio.reports if report.chain]
    root = ROLLUP_ROOT
    # The index lists every plan, so it is paged too: no page grows with the portfolio.
    index_pages = _paged("index", index[: -len(".md")], "Portfolio", rollups.chains, page_size, {"rollups": rollups}, "planfolio/index.html", "chains")
    index_pages[0].in_nav = True
    pages += index_pages

    owned = rollups.owned
    slugs = people_slugs(rollups)
    people = list(slugs)
    pages.append(
        PageSpec("owners", f"{root}/owners.md", "Commitments by owner", "planfolio/owners.html", {"people": people, "rollups": rollups, "owned": owned}, in_nav=True)
    )
    for person in people:
        extra = {"person": person, "owned": owned.get(person, []), "kind": "owner"}
        pages += _paged(f"owner:{person}", owner_page(slugs[person]), person, rollups.by_owner.get(person, []), page_size, extra, reusable=True)

    windows = [(slug, heading, rollups.by_window[slug]) for slug, heading in DUE_WINDOWS]
    pages.append(PageSpec("due", f"{root}/due.md", "Commitments by due date", "planfolio/overview.html", {"groups": windows, "group_key": "due"}, in_nav=True))
    for slug, heading, entries in windows:
        pages += _paged(f"due:{slug}", f"{root}/due/{slug}", heading, entries, page_size, {"kind": "due"}, reusable=True)

    statuses = [(status, status.capitalize(), entries) for status, entries in rollups.by_status.items()]
    pages.append(PageSpec("status", f"{root}/status.md", "Commitments by status", "planfolio/overview.html", {"groups": statuses, "group_key": "status"}, in_nav=True))
    for status, heading, entries in statuses:
        pages += _paged(f"status:{status}", f"{root}/status/{status}", f"Commitments {status}", entries, page_size, {"kind": "status"}, reusable=True)

    tags = list(rollups.by_tag.items())
    pages.append(PageSpec("tags", f"{root}/tags.md", "Plans by tag", "planfolio/tags.html", {"tags": tags}, in_nav=True))
    for tag, slug in unique_slugs([tag for tag, _chains in tags], "tag").items():
        extra = {"tag": tag, "rollups": rollups}
        pages += _paged(f"tag:{tag}", f"{root}/tags/{slug}", f"Plans tagged {tag}", rollups.by_tag[tag], page_size, extra, "planfolio/tag.html", "chains")
    return pages
