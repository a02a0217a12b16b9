"""The constraint diagram as drawn, measured in Chromium: no edge runs through a box that is not one of its ends,
labels carry no state words (colour, border and the legend say it; the accessible description says it in words),
a commitment's owner and due date stand on a line of their own, and no date breaks across two lines.

Every plan page of the example and of a generated portfolio (bench/generate.py, plans with shared conditions)
is opened; the geometry is read from the SVG Material draws into its shadow root (see test_browser.py).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import test_browser
from planfolio.core.derive.chain import Chain
from planfolio.core.derive.diagram import diagram_size
from planfolio.core.portfolio import read_source
from planfolio.core.read.files import PlanSource
from planfolio.core.settings import Limits
from sitebuild import ROOT, TODAY, diagrams, write_site
from test_browser import Served, Tab, _serve, call_on, visit, wait_for_diagrams

# test_browser's fixtures serve this module's tests too: Chromium, its shared page, tabs, the example site.
browser, shared, tabs, example = test_browser.browser, test_browser.shared, test_browser.tabs, test_browser.example

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402 - the benchmarks' portfolio generator lives outside the packages

GENERATED_PLANS = 30
TOLERANCE = 2  # px (SVG units) an edge may graze a box by: its stroke, and the rounding of a path's points

# ---- measured in the page --------------------------------------------------------------------------------

# Runs on the <svg>. Node ids are the core's own (G, F1, N2, O3, K4, M5: no underscore), so Mermaid's ids for
# a node group (`…-flowchart-F1-3`) and an edge path (`data-id="L_F1_G_0"`) name their nodes unambiguously.
_CROSSINGS = """function (tolerance) {
    const svg = this;
    const toSvg = element => svg.getScreenCTM().inverse().multiply(element.getScreenCTM());
    const boxes = new Map();
    for (const node of svg.querySelectorAll("g.node")) {
        const box = node.getBBox(), matrix = toSvg(node);
        const corners = [[box.x, box.y], [box.x + box.width, box.y + box.height]].map(([x, y]) => new DOMPoint(x, y).matrixTransform(matrix));
        boxes.set(/flowchart-([^-]+)-\\d+$/.exec(node.id)[1], {
            left: Math.min(corners[0].x, corners[1].x) + tolerance, right: Math.max(corners[0].x, corners[1].x) - tolerance,
            top: Math.min(corners[0].y, corners[1].y) + tolerance, bottom: Math.max(corners[0].y, corners[1].y) - tolerance,
        });
    }
    const edges = [], crossings = [];
    for (const path of svg.querySelectorAll("path.flowchart-link")) {
        const [, from, to] = /^L_([^_]+)_([^_]+)_\\d+$/.exec(path.dataset.id);
        edges.push([from, to]);
        const matrix = toSvg(path), length = path.getTotalLength(), through = new Set();
        for (let at = 0; at <= length; at += 1) {
            const point = path.getPointAtLength(at).matrixTransform(matrix);
            for (const [id, box] of boxes) {
                if (id !== from && id !== to && point.x > box.left && point.x < box.right && point.y > box.top && point.y < box.bottom) through.add(id);
            }
        }
        for (const id of through) crossings.push(from + "->" + to + " through " + id);
    }
    return {nodes: [...boxes.keys()], edges, crossings};
}"""

# Runs on the <svg>: each node's label, its lines as drawn (a <br> ends one), the dates that break across two
# lines, and the diagram's accessible name and description.
_LABELS = """function () {
    const lineOf = range => [...range.getClientRects()].filter(r => r.width > 0);
    const labels = [];
    for (const node of this.querySelectorAll("g.node")) {
        const label = node.querySelector(".nodeLabel") || node;
        const lines = [""];
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
        const wrapped = [];
        for (let at = walker.nextNode(); at; at = walker.nextNode()) {
            if (at.nodeType === 1) { if (at.localName === "br") lines.push(""); continue; }
            lines[lines.length - 1] += at.data;
            for (const match of at.data.matchAll(/\\d{4}[-\u2011]\\d{2}[-\u2011]\\d{2}/g)) {
                const range = document.createRange();
                range.setStart(at, match.index);
                range.setEnd(at, match.index + match[0].length);
                const rects = lineOf(range), tops = rects.map(r => r.top);
                if (Math.max(...tops) - Math.min(...tops) > Math.min(...rects.map(r => r.height)) / 2) wrapped.push(match[0]);
            }
        }
        // As read: a non-breaking hyphen (which keeps a date on one line) is a hyphen.
        const fill = getComputedStyle(node.querySelector("rect, polygon, path")).fill;
        labels.push({id: /flowchart-([^-]+)-\\d+$/.exec(node.id)[1], fill, lines: lines.map(l => l.trim().replaceAll("\u2011", "-")), wrapped});
    }
    const named = attribute => (this.getAttribute(attribute) || "").split(" ").filter(Boolean)
        .map(id => this.querySelector("#" + CSS.escape(id))?.textContent ?? "").join(" ");
    return {labels, title: named("aria-labelledby"), description: named("aria-describedby")};
}"""


@dataclass
class Drawn:
    """One plan page's diagram as the browser drew it, and the Mermaid source it was drawn from."""

    plan_id: str
    source_edges: int
    nodes: list[str]
    edges: list[tuple[str, str]]
    crossings: list[str]
    labels: list[dict[str, Any]]
    title: str
    description: str
    legend: list[tuple[str, str]]  # (swatch colour, words) of each entry shown


def draw(tab: Tab, served: Served, plan_id: str) -> Drawn:
    visit(tab, served.page(f"{plan_id}/"))
    (diagram,) = wait_for_diagrams(tab)
    (source,) = diagrams(served.build.page(f"{plan_id}/"))
    geometry = call_on_with(tab, diagram.svg, _CROSSINGS, TOLERANCE)
    labels = call_on(tab, diagram.svg, _LABELS)
    swatches = tab.page.evaluate(
        """() => [...document.querySelectorAll('.pf-part--diagram .pf-legend li')].filter(li => li.getClientRects().length)
            .map(li => [getComputedStyle(li.querySelector('.pf-legend__swatch')).backgroundColor, li.innerText.trim()])"""
    )
    return Drawn(
        plan_id, diagram_size(source)[1], geometry["nodes"], [tuple(edge) for edge in geometry["edges"]], geometry["crossings"],
        labels["labels"], labels["title"], labels["description"], [tuple(swatch) for swatch in swatches],
    )


def call_on_with(tab: Tab, backend_node_id: int, function: str, argument: Any) -> Any:
    """`call_on` with one argument for `function`."""
    handle = tab.cdp.send("DOM.resolveNode", {"backendNodeId": backend_node_id})["object"]["objectId"]
    result = tab.cdp.send(
        "Runtime.callFunctionOn", {"objectId": handle, "functionDeclaration": function, "arguments": [{"value": argument}], "returnByValue": True}
    )
    tab.cdp.send("Runtime.releaseObject", {"objectId": handle})
    assert "exceptionDetails" not in result, result
    return result["result"].get("value")


# ---- the sites ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A generated portfolio: the largest plans that fit a page, each with a condition shared by two CSFs."""
    folder = tmp_path_factory.mktemp("generated")
    generate(folder / "plans", GENERATED_PLANS, seed=1)
    yield from _serve(write_site(folder, {}, options="people: people.yml"))


def plan_files(served: Served) -> list[Path]:
    files = sorted((served.build.site / "plans").glob("*.md"))
    return [path for path in files if path.name != "how-we-plan.md"]  # the example's page of its own


def read_chain(path: Path) -> Chain:
    report = read_source(PlanSource(path, path.name), date.fromisoformat(TODAY), Limits(), None)
    assert report.chain is not None, report.findings
    return report.chain


def states(chain: Chain) -> dict[str, str]:
    """Every item's state in words, by the contract's rules of derived state."""
    said = {csf.id: "achieved" if csf.id in chain.achieved else "open" for csf in chain.plan.csfs}
    said |= {c.id: "met" if c.met else "achieved" if c.id in chain.achieved else "open" for c in chain.plan.conditions}
    said |= {o.id: "overcome" if o.id in chain.overcome else "open" for o in chain.plan.obstacles}
    return said | {c.id: "overdue" if c.is_overdue(chain.today) else c.status for c in chain.plan.commitments}


SITES = ("example", "generated")


@pytest.fixture(scope="module")
def drawn() -> dict[str, list[tuple[Path, Drawn]]]:
    """What each site's plan pages drew, by site: measured once, by the first test that needs it."""
    return {}


def drawn_plans(request: pytest.FixtureRequest, tabs: Any, drawn: dict[str, list[tuple[Path, Drawn]]], site: str) -> list[tuple[Path, Drawn]]:
    if site not in drawn:
        served: Served = request.getfixturevalue(site)
        tab = tabs(served)
        files = plan_files(served)
        assert len(files) == (GENERATED_PLANS if site == "generated" else 10), files
        drawn[site] = [(path, draw(tab, served, path.stem)) for path in files]
        tab.assert_clean()
    return drawn[site]


# ---- the tests -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_no_edge_runs_through_a_box_that_is_not_its_own(request: pytest.FixtureRequest, tabs: Any, drawn: Any, site: str) -> None:
    crossings: dict[str, list[str]] = {}
    for _path, page in drawn_plans(request, tabs, drawn, site):
        assert len(page.edges) == page.source_edges > 0, page.plan_id  # every edge of the source was measured
        assert {end for edge in page.edges for end in edge} <= set(page.nodes), page.plan_id
        if page.crossings:
            crossings[page.plan_id] = page.crossings
    edges = sum(len({crossing.split(" through ")[0] for crossing in found}) for found in crossings.values())
    assert crossings == {}, f"{edges} edges through a box not their own, in {len(crossings)} plans"


STATE_WORDS = re.compile(r"\|\s*(open|doing|done|dropped|OVERDUE|achieved|met|overcome|within reach|not yet within reach)\s*$")


@pytest.mark.parametrize("site", SITES)
def test_labels_leave_state_to_the_legend_and_keep_dates_whole(request: pytest.FixtureRequest, tabs: Any, drawn: Any, site: str) -> None:
    for path, page in drawn_plans(request, tabs, drawn, site):
        chain = read_chain(path)
        plan = chain.plan
        labels = {label["id"]: label for label in page.labels}
        assert [label for label in page.labels if label["wrapped"]] == [], page.plan_id
        assert [label["lines"] for label in page.labels if any(STATE_WORDS.search(line) for line in label["lines"])] == [], page.plan_id
        for number, commitment in enumerate(plan.commitments, 1):
            label = labels[f"K{number}"]
            due = commitment.due.isoformat() if commitment.due else "no date"
            assert label["lines"] == [f"{commitment.id}: {' '.join(commitment.title.split())}", f"{commitment.owner or 'no owner'}, {due}"], label
        # The states, in words, for a screen reader: every item's id and state in the diagram's description.
        assert page.title.startswith("Constraint diagram"), page.title
        for item_id, state in states(chain).items():
            assert re.search(rf"[ ]{re.escape(item_id)} {state}[,.]", page.description), (item_id, state, page.description)
        goal = "within reach" if chain.within_reach else "not yet within reach"
        assert page.description.startswith(f"Goal {goal}."), page.description
        # The legend, under the diagram, has one swatch for each look a node has, and none it has not.
        assert len(page.legend) == len({colour for colour, _words in page.legend}), page.legend
        assert {colour for colour, _words in page.legend} == {label["fill"] for label in page.labels}, page.plan_id


ELK_PACKAGE = ROOT / "node_modules" / "@mermaid-js" / "layout-elk"


def test_the_elk_layout_is_the_pinned_package_served_from_the_site(example: Served) -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    elk = json.loads((ELK_PACKAGE / "package.json").read_text(encoding="utf-8"))
    mermaid_version = json.loads((ROOT / "node_modules" / "mermaid" / "package.json").read_text(encoding="utf-8"))["version"]
    assert lock["node_modules/@mermaid-js/layout-elk"]["version"] == elk["version"]
    assert re.fullmatch(r"\^(\d+)\.\d+\.\d+", elk["peerDependencies"]["mermaid"])[1] == mermaid_version.split(".")[0]  # for this Mermaid
    served = sorted((example.build.out / "assets" / "vendor" / "layout-elk").rglob("*.mjs"))
    assert len(served) > 2
    for path in served:  # the module and every chunk it may import, as npm installed them
        assert path.read_bytes() == (ELK_PACKAGE / "dist" / path.relative_to(example.build.out / "assets" / "vendor" / "layout-elk")).read_bytes(), path


def test_a_plan_page_draws_with_elk_and_other_diagrams_do_not_fetch_it(tabs: Any, example: Served) -> None:
    def renderer_requests() -> list[tuple[str, int]]:
        return [(path, status) for path, status in example.requests[before:] if "/assets/vendor/layout-elk/" in path and "/render-" in path]

    tab = tabs(example, color_scheme="light")  # a context of its own: nothing cached from other tests
    before = len(example.requests)
    visit(tab, example.page("how-we-plan/"))  # a hand-written diagram, in Mermaid's default layout
    wait_for_diagrams(tab)
    assert renderer_requests() == []
    visit(tab, example.page("berg-sons-logistics/"))
    wait_for_diagrams(tab)
    assert [status for _path, status in renderer_requests()] == [200]
    assert [(path, status) for path, status in example.requests[before:] if "/layout-elk/" in path and status != 200] == []
    tab.assert_clean()
