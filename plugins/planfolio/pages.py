"""Which pages the portfolio site has: one per plan, the index, and the rollups, each with its template data.

This decides *what* is shown; `render.py` draws it and `plugin.py` hands it to MkDocs.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from . import keys
from .core.derive.charts import current_chart, portfolio_chart, progress_chart
from .core.derive.diagram import legend, mermaid
from .core.derive.digest import Digest, PersonDigest
from .core.derive.events import Event, is_slip
from .core.derive.necessity import reading
from .core.derive.rollups import DUE_WINDOWS, Entry, Rollups
from .core.findings import Severity, plain, sort_key
from .core.model import Plan
from .core.portfolio import PlanChanges, PlanReport, Portfolio, PortfolioHistory
from .core.publish.diff import sentence
from .core.publish.slug import unique_slugs

ROLLUP_ROOT = "portfolio"
# Material's sidebars hidden, so the table of plans (the index, a tag's page) has the whole width (render.WIDE_PAGE).
WIDE = ("navigation", "toc")


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
    feed: tuple[str, str] | None = None  # (key, title) of the Atom feed the page names in its head
    hide: tuple[str, ...] = ()  # Material's parts the page hides (its front matter `hide`): "navigation", "toc"


def _paged(
    key: Callable[[int], str], stem: str, title: str, rows: list[Any], size: int, extra: dict[str, Any],
    template: str = "planfolio/listing.html", rows_as: str = "entries", hide: tuple[str, ...] = (),
) -> list[PageSpec]:
    """A listing split into pages of at most `size` rows: `stem.md`, `stem/2.md`, ... (no clash with other slugs);
    `key(n)` is the key of page n; each page hides `hide` (see PageSpec)."""
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
        pages.append(PageSpec(key(number), f"{stem}{suffix}.md", shown_title, template, context, hide=hide))
    return pages


# A slip as a listing shows it: (slips, days slipped, the first due date); plain data, compared by value.
Slip = tuple[int, int | None, date | None]


def _event_text(event: Event, nth: int | None, unit: str) -> str:
    """An event in the method's words as plain text (the template escapes it): `planfolio diff`'s sentences,
    the goal's figures with their unit."""
    if event.kind == "goal" and event.event in ("current", "target", "due"):
        suffix = f" {plain(unit)}" if unit and event.event != "due" else ""
        return f"Goal {event.event} {plain(str(event.old))} \u2192 {plain(str(event.new))}{suffix}"
    said = sentence(event, {(event.plan, event.id or ""): nth} if nth else None)
    return html.unescape(said.replace("`", ""))  # diff.py writes Markdown: its character references read back as text


def told(changes: PlanChanges, unit: str) -> dict[int, str]:
    """Each event of a plan's timeline in words, by the event's identity; a slip says which slip it was."""
    counted: dict[str, int] = {}
    words: dict[int, str] = {}
    for revision in reversed(changes.timeline):  # oldest first, to count the slips
        for event in revision.events:
            nth = None
            if event.kind == "commitment" and is_slip(event):
                nth = counted[event.id or ""] = counted.get(event.id or "", 0) + 1
            words[id(event)] = _event_text(event, nth, unit)
    return words


def _history_context(plan: Plan, history: PortfolioHistory | None, repo_url: str | None) -> dict[str, Any]:
    facts = history.of(plan) if history is not None else None
    changes = history.changes_of(plan) if history is not None else None
    if facts is None or changes is None:
        return {"history": None, "changes": None, "since_review": [], "timeline": [], "repo_url": None}
    words = told(changes, plan.goal.unit or "")
    return {
        "history": facts,
        "changes": changes,
        "since_review": [words[id(event)] for event in changes.since_review],
        "timeline": [(revision, [words[id(event)] for event in revision.events]) for revision in changes.timeline],
        "repo_url": repo_url.rstrip("/") if repo_url else None,
    }


def _progress_context(plan: Plan, history: PortfolioHistory | None) -> dict[str, Any]:
    """The plan's figures at each version, and their charts (None: fewer than two versions to draw)."""
    points = history.progress_of(plan) if history is not None else ()
    return {"progress_points": points, "progress_chart": progress_chart(points), "current_chart": current_chart(points)}


def plan_page(report: PlanReport, src_uri: str, rollups: Rollups, history: PortfolioHistory | None = None, repo_url: str | None = None) -> PageSpec:
    chain = report.chain
    assert chain is not None  # only readable plans get a page

    def context() -> dict[str, Any]:
        return {
            "plan": chain.plan,
            "chain": chain,
            "diagram": mermaid(chain),
            "legend": legend(chain),
            "reading": reading(chain),
            "notices": [finding for finding in sorted(report.findings, key=sort_key) if finding.severity is not Severity.ERROR],
            "next_due": rollups.next_due.get(chain.plan.id),
            **_history_context(chain.plan, history, repo_url),
            **_progress_context(chain.plan, history),
        }

    return PageSpec(keys.plan(chain.plan.id), src_uri, chain.plan.title, "planfolio/plan.html", context, searchable=True, plan_file=True, hide=("toc",))


def people_slugs(rollups: Rollups) -> dict[str, str]:
    """Everyone with a page of their own (owners of commitments, plan owners and team members), by name."""
    people = sorted(set(rollups.by_owner) | set(rollups.owned), key=str.casefold)
    return unique_slugs(people, "person")


def owner_page(slug: str) -> str:
    return f"{ROLLUP_ROOT}/owners/{slug}"


def site_pages(
    portfolio: Portfolio, rollups: Rollups, plan_src_uris: dict[str, str], page_size: int, index: str = "index.md", repo_url: str | None = None,
    *, week: Digest,
) -> list[PageSpec]:
    """Every page of the site: plans (at their own files), the index (`index`), this week's digest (`week`) and
    the rollups; `repo_url` (the site's) links each version of a plan to its commit."""
    history = portfolio.history
    pages = [plan_page(report, plan_src_uris[report.plan.id], rollups, history, repo_url) for report in portfolio.reports if report.chain]
    by_plan = plan_history(rollups, history)
    # The index lists every plan, so it is paged too: no page grows with the portfolio.
    over_time = history.over_time if history is not None else ()
    extra = {"rollups": rollups, "plan_history": by_plan, "over_time": over_time, "over_time_chart": portfolio_chart(over_time)}
    # The index's table needs the page's width.
    index_pages = _paged(keys.index, index[: -len(".md")], "Portfolio", rollups.chains, page_size, extra, "planfolio/index.html", "chains", WIDE)
    index_pages[0].in_nav = True
    slipped = _slipped_pages(rollups, history, page_size)
    rest = _owner_pages(rollups, page_size, week, history) + _group_pages(rollups, page_size) + _tag_pages(rollups, page_size, by_plan)
    return pages + index_pages + [week_page(week)] + slipped + rest


WEEK_PAGE = f"{ROLLUP_ROOT}/week.md"


def week_page(week: Digest) -> PageSpec:
    """This week: the portfolio's digest, one section a person; its Atom feed named in the page's head."""
    context = {"people": week.people, "since": week.since, "no_history": week.history}
    return PageSpec(keys.week(), WEEK_PAGE, "This week", "planfolio/week.html", context, in_nav=True, feed=(keys.atom(), "This week in the portfolio"))


def _slip(plan: Plan, commitment_id: str, history: PortfolioHistory | None) -> Slip | None:
    """The commitment's slips where its due date ever moved later; None where it never did or there is no history."""
    facts = history.of(plan) if history is not None else None
    found = facts.commitments.get(commitment_id) if facts is not None else None
    return (found.slips, found.slipped_days, found.original_due) if found is not None and found.slips else None


def _is_slipped(entry: Entry, history: PortfolioHistory | None) -> Slip | None:
    """A live commitment, not done, whose due date is later now than it first was."""
    slip = _slip(entry.plan, entry.commitment.id, history) if entry.commitment.live and entry.commitment.status != "done" else None
    return slip if slip is not None and (slip[1] or 0) > 0 else None


def slipped_rows(rollups: Rollups, history: PortfolioHistory | None) -> list[tuple[Entry, int, int, date | None]]:
    """Every slipped commitment of the plans people work on (archived ones left out), most days slipped first."""
    rows = []
    for entry in rollups.by_status["open"] + rollups.by_status["doing"]:
        slip = _is_slipped(entry, history)
        if slip is not None:
            rows.append((entry, slip[0], slip[1] or 0, slip[2]))
    return sorted(rows, key=lambda row: (-row[2], row[0].plan.account.casefold(), row[0].plan.id, row[0].commitment.id))


def plan_history(rollups: Rollups, history: PortfolioHistory | None) -> dict[str, tuple[int, int]] | None:
    """By plan id: (its slipped commitments, its changes since the review); None where there is no history."""
    if history is None or history.missing is not None:
        return None
    found = {}
    for chain in rollups.chains:
        facts = history.of(chain.plan)
        if facts is not None:
            slipped = sum(_is_slipped(Entry(chain.plan, commitment, False), history) is not None for commitment in chain.plan.commitments)
            found[chain.plan.id] = (slipped, facts.changes_since_review)
    return found


def _slipped_pages(rollups: Rollups, history: PortfolioHistory | None, page_size: int) -> list[PageSpec]:
    missing = history.missing if history is not None else "no history: it was not read"
    extra = {"missing": missing, "kind": "slipped"}
    pages = _paged(keys.slipped, f"{ROLLUP_ROOT}/slipped", "Slipped commitments", slipped_rows(rollups, history), page_size, extra, "planfolio/slipped.html", "rows")
    pages[0].in_nav = True
    return pages


def _overview(kind: str, title: str, template: str, context: dict[str, Any]) -> PageSpec:
    return PageSpec(keys.overview(kind), f"{ROLLUP_ROOT}/{kind}.md", title, template, context, in_nav=True)


def _owner_pages(rollups: Rollups, page_size: int, week: Digest, history: PortfolioHistory | None = None) -> list[PageSpec]:
    owned = rollups.owned
    slugs = people_slugs(rollups)
    people = list(slugs)
    pages = [_overview("owners", "Commitments by owner", "planfolio/owners.html", {"people": people, "rollups": rollups, "owned": owned})]
    digests = {person.name: person for person in week.people}
    for person in people:
        # Their slips by "plan id:commitment id", by value: a new commit redraws the page it changes (reuse.py).
        slips = {f"{entry.plan.id}:{entry.commitment.id}": slip for entry in rollups.by_owner.get(person, []) if (slip := _slip(entry.plan, entry.commitment.id, history))}
        extra: dict[str, Any] = {"person": person, "owned": owned.get(person, []), "kind": "owner", "slips": slips}
        # Their first page opens with their week (the digest leaves out people with nothing to report).
        extra |= {"digest": digests.get(person, PersonDigest(person)), "since": week.since, "no_history": week.history}
        mine = _paged(partial(keys.owner, person), owner_page(slugs[person]), person, rollups.by_owner.get(person, []), page_size, extra)
        for page in mine:
            page.feed = (keys.atom(person), f"This week for {person}")
        pages += mine
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


def _tag_pages(rollups: Rollups, page_size: int, by_plan: dict[str, tuple[int, int]] | None = None) -> list[PageSpec]:
    tags = list(rollups.by_tag.items())
    pages = [_overview("tags", "Plans by tag", "planfolio/tags.html", {"tags": tags})]
    for tag, slug in unique_slugs([tag for tag, _chains in tags], "tag").items():
        extra = {"tag": tag, "rollups": rollups, "plan_history": by_plan}
        # The index's table, as wide.
        pages += _paged(partial(keys.tag, tag), f"{ROLLUP_ROOT}/tags/{slug}", f"Plans tagged {tag}", rollups.by_tag[tag], page_size, extra, "planfolio/tag.html", "chains", WIDE)
    return pages
