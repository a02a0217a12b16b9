"""The plan page for a leader and progress over time (issue 14) in Chromium: the diagram above the tables, the
detail's tabs by mouse and keyboard, the charts drawn with their text alternative, themed for both palettes and
axe clean in both, the index's chart on a phone, and the plan still one A4 sheet.

The site is the example with a history (scripts/example_history.py: five dated commits, the same ones the
README's chart picture shows), built `--strict` and served as in test_browser.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

import test_browser
from sitebuild import ROOT, TODAY
from test_browser import (
    NO_TRANSITIONS,
    Served,
    Tab,
    _serve,
    axe_violations,
    call_on,
    contrast,
    pdf_pages,
    read_diagrams,
    toggle_palette,
    visit,
)

# test_browser's fixtures serve this module's tests too: Chromium, its shared page, tabs.
browser, shared, tabs = test_browser.browser, test_browser.shared, test_browser.tabs

sys.path.insert(0, str(ROOT / "scripts"))
from example_history import GIT_ENVIRONMENT, VERSION_DATES, example_with_history  # noqa: E402 - the pictures' history lives in scripts/

PLAN_ID = "berg-sons-logistics"


@pytest.fixture(scope="module")
def historied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site = example_with_history(tmp_path_factory.mktemp("historied") / "portfolio", date.fromisoformat(TODAY))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in GIT_ENVIRONMENT.items():
            patch.setenv(name, value)  # the build's git reads no configuration of the machine either
        yield from _serve(site)


def wait_for_drawn(tab: Tab, count: int) -> None:
    """Until Material has drawn `count` diagrams and charts (bounded by the context's timeout)."""
    tab.page.wait_for_function("n => document.querySelectorAll('div.mermaid').length >= n && !document.querySelector('pre.mermaid')", arg=count)


# Runs on a chart's <svg>: its role, each line's colour, path and dash, and each text's colour.
_CHART = """function () {
    return {
        role: this.getAttribute("aria-roledescription"),
        lines: [...this.querySelectorAll("[class^='line-plot-'] path")].map(path => [getComputedStyle(path).stroke, path.getAttribute("d"), getComputedStyle(path).strokeDasharray]),
        texts: [...this.querySelectorAll("text")].filter(text => text.textContent.trim()).map(text => [text.textContent, getComputedStyle(text).fill]),
    };
}"""


def charts(tab: Tab) -> list[dict[str, Any]]:
    """Every drawn xychart: its role, lines (stroke, path, dash) and texts (text, fill)."""
    drawn = [call_on(tab, diagram.svg, _CHART) for diagram in read_diagrams(tab)]
    return [chart for chart in drawn if chart["role"] == "xychart"]


def assert_readable(tab: Tab, drawn: list[dict[str, Any]]) -> None:
    """Lines 3:1 against the page (WCAG's non-text contrast), texts 4.5:1: axe cannot see into the shadow root."""
    page = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    page = page if page.startswith("rgb(") else "rgb(255, 255, 255)"  # a transparent body shows the white canvas
    for chart in drawn:
        assert chart["lines"] and all(path.startswith("M") for _stroke, path, _dash in chart["lines"]), chart
        for stroke, _path, _dash in chart["lines"]:
            assert contrast(stroke, page) >= 3, (stroke, page)
        for text, fill in chart["texts"]:
            assert contrast(fill, page) >= 4.5, (text, fill, page)


def test_the_diagram_comes_before_the_tables_and_the_tabs_switch_by_mouse_and_keyboard(tabs: Any, historied: Served) -> None:
    tab = tabs(historied)
    page = tab.page
    visit(tab, historied.page(f"{PLAN_ID}/"))
    wait_for_drawn(tab, 3)
    tops = page.evaluate(
        """() => ({
            diagram: document.querySelector('.pf-part--diagram .mermaid').getBoundingClientRect().top,
            tables: [...document.querySelectorAll('.md-content table')].filter(t => t.getClientRects().length).map(t => t.getBoundingClientRect().top),
        })"""
    )
    assert tops["tables"] and all(tops["diagram"] < top for top in tops["tables"]), tops

    def shown() -> list[str]:
        return page.evaluate("() => [...document.querySelectorAll('.pf-tabs section')].filter(s => s.getClientRects().length).map(s => s.className)")

    assert shown() == ["pf-part pf-part--commitments"]  # who delivers what by when: open first
    page.locator(".pf-tabs label", has_text="Obstacles").click()
    assert shown() == ["pf-part pf-part--obstacles"]
    page.keyboard.press("ArrowLeft")  # the tabs are radio buttons: the arrows move between them
    assert shown() == ["pf-part pf-part--conditions"]
    tab.assert_clean()


def test_a_plans_charts_draw_with_their_text_alternative_in_both_palettes(tabs: Any, historied: Served) -> None:
    tab = tabs(historied)
    page = tab.page
    visit(tab, historied.page(f"{PLAN_ID}/"))
    wait_for_drawn(tab, 3)  # the constraint diagram, progress, the goal's current figure
    light = charts(tab)
    assert len(light) == 2
    assert [text for text, _fill in light[0]["texts"] if text.startswith("2026-")] == [str(day) for day in VERSION_DATES]
    assert_readable(tab, light)
    table = page.locator(".pf-part--progress details.pf-chart-values table")
    assert table.locator("tbody tr").count() == len(VERSION_DATES) and not table.is_visible()  # in the page, closed
    assert page.locator(".pf-part--progress details summary").inner_text() == f"The figures of each version ({len(VERSION_DATES)})"
    page.locator(".pf-part--progress details summary").click()
    assert table.locator("tbody tr").first.locator("td").first.inner_text() == str(VERSION_DATES[0])
    assert axe_violations(page) == []

    page.add_style_tag(content=NO_TRANSITIONS)
    assert toggle_palette(page) == "slate"
    dark = charts(tab)
    assert [line[0] for chart in dark for line in chart["lines"]] != [line[0] for chart in light for line in chart["lines"]]  # they follow the palette
    assert_readable(tab, dark)
    assert axe_violations(page) == []
    tab.assert_clean()


def test_the_index_draws_the_portfolio_over_time_in_both_palettes_and_on_a_phone(tabs: Any, historied: Served) -> None:
    tab = tabs(historied)
    page = tab.page
    visit(tab, historied.page())
    wait_for_drawn(tab, 1)
    (chart,) = charts(tab)
    assert len(chart["lines"]) == 3 and [text for text, _fill in chart["texts"] if text in ("Live", "Done", "Overdue")] == ["Live", "Done", "Overdue"]
    assert len({dash for _stroke, _path, dash in chart["lines"]}) == 3  # told apart by more than colour
    assert_readable(tab, [chart])
    assert page.locator(".pf-over-time details.pf-chart-values table tbody tr").count() == len(VERSION_DATES)
    assert axe_violations(page) == []
    page.add_style_tag(content=NO_TRANSITIONS)
    assert toggle_palette(page) == "slate"
    assert_readable(tab, charts(tab))
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    width = page.evaluate("document.querySelector('.pf-over-time .mermaid').getBoundingClientRect().width")
    assert 300 <= width <= 390, width  # the chart shrinks to the phone's width
    assert axe_violations(page) == []
    tab.assert_clean()


def test_the_plan_with_its_charts_still_prints_on_one_a4_sheet(tabs: Any, historied: Served) -> None:
    tab = tabs(historied)
    page = tab.page
    visit(tab, historied.page(f"{PLAN_ID}/"))
    wait_for_drawn(tab, 3)
    assert len(pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))) == 1
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.pf-part--progress > *, .pf-part--details, .pf-part--diagram .mermaid')]
            .filter(element => element.getClientRects().length).map(element => element.className)"""
    )
    assert shown == ["mermaid", "pf-print-only pf-progress-line"]  # the diagram, and one line for the charts
    line = page.locator(".pf-progress-line").inner_text()
    assert line.startswith(f"Progress over time: 0 % on {VERSION_DATES[0]} → 20 % on {VERSION_DATES[-1]} ({len(VERSION_DATES)} versions)"), line
    tab.assert_clean()


@pytest.mark.parametrize("plan_id", test_browser.PLAN_IDS)
def test_every_plan_with_history_prints_on_one_sheet(tabs: Any, historied: Served, plan_id: str) -> None:
    tab = tabs(historied)
    page = tab.page
    visit(tab, historied.page(f"{plan_id}/"))
    wait_for_drawn(tab, 1 + page.locator(".pf-chart").count())  # the constraint diagram and the plan's charts
    assert len(pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))) == 1
    page.emulate_media(media="print")
    shown = page.evaluate("() => [...document.querySelectorAll('.pf-part--progress > *')].filter(e => e.getClientRects().length).map(e => e.className)")
    assert shown == (["pf-print-only pf-progress-line"] if page.locator(".pf-chart").count() else [])  # on paper a line for the charts
    tab.assert_clean()
