"""The leadership view in Chromium: the index uses the width (a plan one or two lines, no date broken across lines),
reads on a 390 px phone without sideways scrolling (a card a plan, still a table to a screen reader, still
sortable), the people pages say who is on which plan with their commas attached, and every changed page is axe
clean in both palettes. The example portfolio (today pinned), served as test_browser.py serves it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import test_browser
from sitebuild import TODAY
from test_browser import NO_TRANSITIONS, Served, Tab, axe_violations, toggle_palette, visit

# test_browser's fixtures serve this module's tests too: Chromium, its shared page, tabs, the example site.
browser, shared, tabs, example = test_browser.browser, test_browser.shared, test_browser.tabs, test_browser.example

WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
VITAL = ("Account", "Status", "Progress", "Overdue", "Next due")  # what a phone shows of every plan, at least

# Pages with tables that hold dates: the index and the views it links, a person's page, a plan page.
TABLE_PAGES = {
    "index": "",
    "tag": "portfolio/tags/emea/",
    "owners": "portfolio/owners/",
    "person": "portfolio/owners/luis-ortega/",
    "due window": "portfolio/due/next-90-days/",
    "status": "portfolio/status/open/",
    "plan": "nordwerk-antriebe/",
}
CHANGED_PAGES = {name: TABLE_PAGES[name] for name in ("index", "tag", "owners", "person", "plan")} | {"slipped": "portfolio/slipped/", "this week": "portfolio/week/"}
# Every kind of page a leader opens on a phone.
PHONE_PAGES = TABLE_PAGES | {"slipped": "portfolio/slipped/", "this week": "portfolio/week/", "how we plan": "how-we-plan/", "tags": "portfolio/tags/"}


def _open(tabs: Any, example: Served, path: str, viewport: dict[str, int]) -> Tab:
    tab = tabs(example)
    tab.page.set_viewport_size(viewport)
    visit(tab, example.page(path))
    tab.page.add_style_tag(content=NO_TRANSITIONS)
    return tab


# Every date (YYYY-MM-DD) shown in the page's parts that match a selector, and those drawn on more than one line.
_DATES_IN = r"""selector => {
    const shown = [], broken = [];
    for (const table of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const rects = [...range.getClientRects()].filter(rect => rect.width > 0);
                if (!rects.length) continue;
                shown.push(match[0]);
                if (new Set(rects.map(rect => Math.round(rect.top))).size > 1) broken.push(match[0]);
            }
        }
    }
    return {shown, broken, times: [...document.querySelectorAll(".md-content table time")].map(time => time.getClientRects().length)};
}"""


@pytest.mark.parametrize("kind", list(TABLE_PAGES))
def test_no_date_in_a_table_breaks_across_lines_at_1400_px(tabs: Any, example: Served, kind: str) -> None:
    tab = _open(tabs, example, TABLE_PAGES[kind], WIDE)
    dates = tab.page.evaluate(_DATES_IN, ".md-content table")
    assert dates["shown"], "no date in the page's tables"
    assert dates["broken"] == []
    assert all(lines == 1 for lines in dates["times"]), dates["times"]  # each <time> one box: one line
    tab.assert_clean()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400px", "390px"])
@pytest.mark.parametrize("kind", ["this week", "person"])
def test_no_date_in_a_digest_breaks_across_lines(tabs: Any, example: Served, kind: str, viewport: dict[str, int]) -> None:
    tab = _open(tabs, example, PHONE_PAGES[kind], viewport)
    dates = tab.page.evaluate(_DATES_IN, ".md-content .pf-digest__items")
    assert dates["shown"], "no date in the page's digest"
    assert dates["broken"] == []
    tab.assert_clean()


# Each row of the index as lines of its first cell's line height, and what a draft row says.
_ROWS = r"""t => [t.tHead.rows[0], ...t.tBodies[0].rows].map(row => {
    const cell = row.cells[0], style = getComputedStyle(cell);
    const height = row.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom) - parseFloat(style.borderTopWidth);
    return {lines: height / parseFloat(style.lineHeight), draft: row.classList.contains("pf-row--draft"), text: row.innerText,
            after: [...row.cells].map(cell => getComputedStyle(cell, "::after").content).filter(content => content !== "none")};
})"""


def test_the_index_uses_the_width_and_each_plan_is_at_most_two_lines(tabs: Any, example: Served) -> None:
    tab = _open(tabs, example, "", WIDE)
    page = tab.page
    assert page.evaluate("document.querySelector('.md-sidebar--primary').getClientRects().length") == 0  # hidden
    # ... and the site's navigation, every top-level entry of it, is in tabs above the page instead
    entries = page.evaluate(
        """() => [[...document.querySelectorAll('.md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link')].map(a => a.href),
                  [...document.querySelectorAll('.md-tabs .md-tabs__link')].filter(a => a.checkVisibility()).map(a => a.href)]"""
    )
    assert entries[0] and entries[1] == entries[0]
    table = page.locator("table.pf-index[data-pf-sortable]")
    table.wait_for()
    assert table.evaluate("t => t.getBoundingClientRect().width") > 0.9 * WIDE["width"]
    assert page.evaluate("(box => box.scrollWidth <= box.clientWidth)(document.querySelector('.pf-table-scroll'))")
    header, *rows = table.evaluate(_ROWS)
    assert len(rows) == len(test_browser.PLAN_IDS)
    assert header["lines"] <= 2.25, header
    for row in rows:  # one line of the first cell's line height and one smaller: under 2.25, three would be 2.6 or more
        assert row["lines"] <= 2.25, row
    drafts = [row for row in rows if row["draft"]]
    assert drafts and all(row["text"].count("Draft") == 1 and row["after"] == [] for row in drafts)
    tab.assert_clean()


# The index on a phone: the page's width, each table's, and where each vital cell of each row is drawn.
_PHONE = r"""vital => {
    const table = document.querySelector("table.pf-index");
    const headers = [...table.tHead.rows[0].cells].map(cell => cell.innerText.trim());
    const cells = [...table.tBodies[0].rows].flatMap(row => vital.map(name => {
        const cell = row.cells[headers.indexOf(name)], rect = cell.getBoundingClientRect();
        return {name, text: cell.innerText.trim(), shown: cell.checkVisibility() && rect.width > 0 && rect.height > 0,
                inside: rect.left >= 0 && rect.right <= innerWidth + 0.5};
    }));
    return {page: document.documentElement.scrollWidth, inner: innerWidth, headers, cells,
            tables: [...document.querySelectorAll(".md-content table, .pf-table-scroll")].map(box => box.scrollWidth - box.clientWidth)};
}"""


def _accessible_table(tab: Tab) -> dict[str, int]:
    """What Chromium tells a screen reader of the page's tables: how many tables, rows, column headers and cells."""
    nodes = tab.cdp.send("Accessibility.getFullAXTree")["nodes"]
    roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
    return {role: roles.count(role) for role in ("table", "row", "columnheader", "cell")}


def test_the_phone_index_reads_without_sideways_scrolling(tabs: Any, example: Served) -> None:
    tab = _open(tabs, example, "", PHONE)
    page = tab.page
    page.locator("table.pf-index[data-pf-sortable]").wait_for()
    measured = page.evaluate(_PHONE, list(VITAL))
    assert measured["page"] <= measured["inner"] == PHONE["width"]
    assert measured["tables"] and all(overflow <= 0 for overflow in measured["tables"]), measured["tables"]
    assert len(measured["cells"]) == len(VITAL) * len(test_browser.PLAN_IDS)
    for cell in measured["cells"]:
        assert cell["shown"] and cell["inside"] and cell["text"], cell
    # Still one table to a screen reader: every header and cell, the header row and a row a plan.
    columns = len(measured["headers"])
    assert _accessible_table(tab) == {"table": 1, "row": 1 + len(test_browser.PLAN_IDS), "columnheader": columns, "cell": columns * len(test_browser.PLAN_IDS)}
    # The headers still sort, the cards now.
    header = page.locator("table.pf-index thead th", has_text="Next due")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    column = measured["headers"].index("Next due")
    keys = page.evaluate("i => [...document.querySelector('table.pf-index').tBodies[0].rows].map(row => row.cells[i].dataset.sort)", column)
    assert keys == sorted(keys) and keys[0] >= TODAY
    tab.assert_clean()


def _roles(example: Served, person: str) -> list[str]:
    """A person's plans as their page should say them: by role, each line "Role: account, account"."""
    plans = [plan for plan in json.loads((example.build.out / "portfolio.json").read_text(encoding="utf-8"))["plans"] if plan["status"] != "archived"]
    owned = [plan["account"] for plan in plans if plan["owner"] == person]
    team = [plan["account"] for plan in plans if person in plan["team"] and plan["owner"] != person]
    return [f"{role}: {', '.join(accounts)}" for role, accounts in (("Key account manager", owned), ("Account team", team)) if accounts]


# Each ", " of the line of plans: how far it is from the end of the link before it, and whether on the same line.
_COMMAS = r"""line => [...line.querySelectorAll("a")].flatMap(link => {
    const next = link.nextSibling;
    if (!next || next.nodeType !== 3 || !next.data.startsWith(",")) return [];
    const range = document.createRange();
    range.setStart(next, 0);
    range.setEnd(next, 1);
    const comma = range.getClientRects()[0], end = [...link.getClientRects()].at(-1);
    return [{gap: comma.left - end.right, sameLine: Math.abs(comma.bottom - end.bottom) < 2}];
})"""


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400px", "390px"])
def test_a_persons_plans_read_with_their_roles_and_commas_attached(tabs: Any, example: Served, viewport: dict[str, int]) -> None:
    person = "Luis Ortega"  # key account manager of one plan, on the team of others
    expected = _roles(example, person)
    assert len(expected) == 2 and "," in expected[1]
    tab = _open(tabs, example, "portfolio/owners/luis-ortega/", viewport)
    line = tab.page.locator("p.pf-plans")
    shown = [re.sub(r"\s+", " ", text).strip() for text in line.inner_text().split("\n") if text.strip()]
    assert shown == expected  # one line a role: its label, names and commas together (a flex item each would break them)
    commas = line.evaluate(_COMMAS)
    assert len(commas) == expected[1].count(",")
    for comma in commas:
        assert comma["sameLine"] and abs(comma["gap"]) < 1, comma
    tab.assert_clean()


def test_an_overdue_count_leads_to_that_persons_overdue_items(tabs: Any, example: Served) -> None:
    tab = _open(tabs, example, "portfolio/owners/", WIDE)
    page = tab.page
    link = page.locator("table.pf-owners a.pf-state--overdue").first
    count = int(re.match(r"⚠ (\d+)", link.inner_text()).group(1))
    person = link.locator("xpath=ancestor::tr").locator("td").first.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"#this-week$"))
    page.locator("h1", has_text=person).wait_for()  # Material's instant navigation swaps the page in
    assert page.locator("#this-week").evaluate("h => h.getBoundingClientRect().top < innerHeight")  # scrolled to
    assert page.locator("section.pf-digest--person .pf-digest__items--overdue li").count() == count
    tab.assert_clean()


@pytest.mark.parametrize("kind", list(PHONE_PAGES))
def test_no_page_scrolls_sideways_on_a_phone(tabs: Any, example: Served, kind: str) -> None:
    """A table too wide for 390 px scrolls in its own box; the page itself never does."""
    tab = _open(tabs, example, PHONE_PAGES[kind], PHONE)
    assert tab.page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    tab.assert_clean()


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400px", "390px"])
@pytest.mark.parametrize("kind", list(CHANGED_PAGES))
def test_the_changed_pages_are_axe_clean_in_both_palettes(tabs: Any, example: Served, kind: str, viewport: dict[str, int]) -> None:
    tab = _open(tabs, example, CHANGED_PAGES[kind], viewport)
    page = tab.page
    assert axe_violations(page) == []
    assert toggle_palette(page) == "slate"
    assert axe_violations(page) == []
    tab.assert_clean()
