"""Which pages the portfolio site has: one per plan, the index, and the rollups, each with its template data.

This decides *what* is shown; `render.py` draws it and `plugin.py` hands it to MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import keys
from .core.derive.diagram import mermaid
from .core.derive.necessity import reading
from .core.derive.rollups import DUE_WINDOWS, Rollups
from .core.findings import Severity, sort_key
from .core.portfolio import PlanReport, Portfolio
from .core.publish.slug import unique_slugs

ROLLUP_ROOT = "portfolio"


@dataclass(slots=True)
class PageSpec:
    key: str  # how templates link to it: url(keys.plan("acme")), url(keys.owner("Dana Kim")) (see keys.py)
    src_uri: str
    title: str
    template: str
    # The template's data; a function for plan pages, so a rebuild that skips a page (--dirty) skips its work.
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    in_nav: bool = False
    searchable: bool = False
    # Whether, under `mkdocs serve`, the body may be kept until the spec, the site's layout or the templates
    # change (reuse.BodyCache). None: derived from `context`, reusable when it holds only plain data
    # (reuse.plain_data); planfolio never sets it.
    reusable: bool | None = None
    plan_file: bool = False  # the page is a plan's own file in the docs folder; every other page is generated


def _paged(
    key: Callable[[int], str], stem: str, title: str, rows: list[Any], size: int, extra: dict[str, Any],
    template: str = "planfolio/listing.html", rows_as: str = "entries",
) -> list[PageSpec]:
    """A listing split into pages of at most `size` rows: `stem.md`, `stem/2.md`, ... (no clash with other slugs);
    `key(n)` is the key of page n."""
    chunks = [rows[start : start + size] for start in range(0, len(rows), size)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        suffix = "" if number == 1 else f"/{number}"
        pager = {
            "number": number,
            "count": len(chunks),
            "previous": key(number - 1) if number > 1 else None,
            "next": key(number + 1) if number < len(chunks) else None,
            "total": len(rows),
        }
        shown_title = title if number == 1 else f"{title} (page {number})"
        context = {rows_as: chunk, "pager": pager, "heading": title, **extra}
        pages.append(PageSpec(key(number), f"{stem}{suffix}.md", shown_title, template, context))
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

    return PageSpec(keys.plan(chain.plan.id), src_uri, chain.plan.title, "planfolio/plan.html", context, searchable=True, plan_file=True)


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
    # The index lists every plan, so it is paged too: no page grows with the portfolio.
    index_pages = _paged(keys.index, index[: -len(".md")], "Portfolio", rollups.chains, page_size, {"rollups": rollups}, "planfolio/index.html", "chains")
    index_pages[0].in_nav = True
    return pages + index_pages + _owner_pages(rollups, page_size) + _group_pages(rollups, page_size) + _tag_pages(rollups, page_size)


def _overview(kind: str, title: str, template: str, context: dict[str, Any]) -> PageSpec:
    return PageSpec(keys.overview(kind), f"{ROLLUP_ROOT}/{kind}.md", title, template, context, in_nav=True)


def _owner_pages(rollups: Rollups, page_size: int) -> list[PageSpec]:
    owned = rollups.owned
    slugs = people_slugs(rollups)
    people = list(slugs)
    pages = [_overview("owners", "Commitments by owner", "planfolio/owners.html", {"people": people, "rollups": rollups, "owned": owned})]
    for person in people:
        extra = {"person": person, "owned": owned.get(person, []), "kind": "owner"}
        pages += _paged(partial(keys.owner, person), owner_page(slugs[person]), person, rollups.by_owner.get(person, []), page_size, extra)
    return pages


def _group_pages(rollups: Rollups, page_size: int) -> list[PageSpec]:
    """Commitments by due window and by status: an overview of each, and a listing per group."""
    root = ROLLUP_ROOT
    windows = [(slug, heading, rollups.by_window[slug]) for slug, heading in DUE_WINDOWS]
    pages = [_overview("due", "Commitments by due date", "planfolio/overview.html", {"groups": windows, "group_key": "due"})]
    for slug, heading, entries in windows:
        pages += _paged(partial(keys.due, slug), f"{root}/due/{slug}", heading, entries, page_size, {"kind": "due"})

    statuses = [(status, status.capitalize(), entries) for status, entries in rollups.by_status.items()]
    pages.append(_overview("status", "Commitments by status", "planfolio/overview.html", {"groups": statuses, "group_key": "status"}))
    for status, _heading, entries in statuses:
        pages += _paged(partial(keys.status, status), f"{root}/status/{status}", f"Commitments {status}", entries, page_size, {"kind": "status"})
    return pages


def _tag_pages(rollups: Rollups, page_size: int) -> list[PageSpec]:
    tags = list(rollups.by_tag.items())
    pages = [_overview("tags", "Plans by tag", "planfolio/tags.html", {"tags": tags})]
    for tag, slug in unique_slugs([tag for tag, _chains in tags], "tag").items():
        extra = {"tag": tag, "rollups": rollups}
        pages += _paged(partial(keys.tag, tag), f"{ROLLUP_ROOT}/tags/{slug}", f"Plans tagged {tag}", rollups.by_tag[tag], page_size, extra, "planfolio/tag.html", "chains")
    return pages
