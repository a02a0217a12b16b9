"""The published site in a real browser: Debian's Chromium, headless, driven by Playwright, offline.

Each site is built with `mkdocs build` and served from 127.0.0.1; every request that would leave that
server is aborted and recorded, and every test ends with that record empty, no console error, no page
error and no dialog. Material draws Mermaid diagrams into a closed shadow root that selectors cannot
reach, so diagrams are read through the Chrome DevTools Protocol (`DOM.getDocument` with `pierce`).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest

from planfolio.core.derive.chain import gaps
from planfolio.core.portfolio import read_source
from planfolio.core.read.files import PlanSource
from planfolio.core.settings import Limits
from sitebuild import (
    PEOPLE,
    PLAN,
    ROOT,
    TODAY,
    Build,
    build,
    copy_example,
    example_plan_files,
    write_site,
)

CHROMIUM = Path(os.environ.get("PLANFOLIO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A second fence behind the request routing: no host but the local server resolves at all.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 15_000  # the longest any page may take to load or draw its diagrams

# `make test` installs both; a machine without them fails here rather than skipping the browser tests.
assert CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: `apt-get install chromium`, or set PLANFOLIO_CHROMIUM"
assert AXE.exists(), "no node_modules/axe-core: run `npm ci`"

PLAN_IDS = sorted(path.stem for path in example_plan_files())  # not the site's own pages (How we plan)


# ---- sites and servers ----------------------------------------------------------------------------------


@dataclass
class Served:
    build: Build
    url: str  # http://127.0.0.1:PORT/
    requests: list[tuple[str, int]]  # (path, status) of every request the server answered

    def page(self, path: str = "") -> str:
        return self.url + path


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.requests.append((self.path, int(code) if isinstance(code, int) else 0))  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a browser that drops a connection it no longer needs is no failure


def _serve(site: Path) -> Iterator[Served]:
    """Bind a port, build the site for that address, then serve it until the fixture ends.

    The address goes into `site_url` (mkdocs.yml reads SITE_URL): without it MkDocs writes an empty sitemap.xml,
    and Material's instant navigation only follows links that are in the sitemap (matched with the port too).
    """
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site / "site")))
    server.requests = []  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    result = build(site, "--strict", env={"SITE_URL": url})
    if result.returncode != 0:
        server.server_close()
        pytest.fail(f"the site does not build:\n{result.output}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(result, url, server.requests)  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The repository's example portfolio, built `--strict` and served."""

    yield from _serve(copy_example(tmp_path_factory.mktemp("example")))


HOSTILE = {
    "account": '<img src=x onerror=alert("account")>',
    "goal": "Grow <b>ACME</b> & co. from `2` to |3.5|",
    "csf": '<script>alert("csf")</script>',
    "condition": '"quotes" #35; end %%{init: {"theme":"forest"}}%%',
    "obstacle": "`backticks` and |pipes| and [brackets] (parens) {braces} ; semicolon",
    "commitment": "</code></pre><img src=x onerror=alert(2)> #lt;b#gt; click",
}


def hostile_plan() -> str:
    replacements = {
        "account: ACME Manufacturing GmbH": f"account: {json.dumps(HOSTILE['account'])}",
        "statement: Grow ACME revenue from EUR 2.0 M to EUR 3.5 M in FY2027": f"statement: {json.dumps(HOSTILE['goal'])}",
        "title: Preferred supplier for the new Lyon plant": f"title: {json.dumps(HOSTILE['csf'])}",
        "title: Plant engineering specifies our drive systems": f"title: {json.dumps(HOSTILE['condition'])}",
        "title: Engineering lead prefers competitor X after the Bremen project": f"title: {json.dumps(HOSTILE['obstacle'])}",
        "title: Reference visit to the Mueller plant with the engineering lead": f"title: {json.dumps(HOSTILE['commitment'])}",
        "Notes: the Lyon plant's line 2 tender opens in April.": "<script>alert('notes')</script> <img src=x onerror=alert(3)>",
    }
    text = PLAN
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A one-plan site whose texts try every way out of HTML, Markdown and Mermaid."""

    yield from _serve(write_site(tmp_path_factory.mktemp("hostile"), {"acme.md": hostile_plan()}, people=PEOPLE))


def expected_nodes(plan_file: Path) -> int:
    """Nodes of the plan's diagram: the goal, every item, and a 'missing' marker per gap of a plan not archived."""
    report = read_source(PlanSource(plan_file, plan_file.name), date.fromisoformat(TODAY), Limits(), None)
    assert report.chain is not None, report.findings
    plan = report.chain.plan
    items = len(plan.csfs) + len(plan.conditions) + len(plan.obstacles) + len(plan.commitments)
    return 1 + items + (len(gaps(report.chain)) if plan.status != "archived" else 0)


# ---- the browser ----------------------------------------------------------------------------------------

CONTEXT = {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light", "locale": "en-GB"}


@dataclass
class Network:
    """Lets a browser context reach the local servers only; records every other request it tried."""

    allowed: set[str] = field(default_factory=set)
    blocked: list[str] = field(default_factory=list)

    def attach(self, context: Any) -> Any:
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", self._route)
        context.on("request", self._request)  # also sees what workers ask for
        return context

    def _local(self, url: str) -> bool:
        return url.startswith(tuple(self.allowed))

    def _route(self, route: Any) -> None:
        if self._local(route.request.url):
            route.continue_()
        else:
            self._block(route.request.url)
            route.abort()

    def _request(self, request: Any) -> None:
        if not self._local(request.url) and not request.url.startswith(("data:", "blob:")):
            self._block(request.url)

    def _block(self, url: str) -> None:
        if url not in self.blocked:
            self.blocked.append(url)


@dataclass
class Tab:
    """A page, with everything that went wrong in it."""

    page: Any
    network: Network
    own_context: bool
    cdp_session: Any = None
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    listeners: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def blocked(self) -> list[str]:
        return self.network.blocked

    @property
    def cdp(self) -> Any:
        """One DevTools session for the page's life: detaching one resets the page's media emulation."""
        if self.cdp_session is None:
            self.cdp_session = self.page.context.new_cdp_session(self.page)
        return self.cdp_session

    def on(self, event: str, listener: Any) -> None:
        """Listen to the page for this test only."""
        self.page.on(event, listener)
        self.listeners.append((event, listener))

    def problems(self) -> dict[str, list[str]]:
        return {name: values for name, values in (("blocked", self.blocked), ("errors", self.errors), ("dialogs", self.dialogs)) if values}

    def assert_clean(self) -> None:
        assert self.problems() == {}


# The one Playwright and Chromium of this test process, and how many `browser` fixtures hold them: each module that
# imports these fixtures (test_browser_diagram.py, test_browser_index.py) has a session fixture of its own, and
# Playwright's sync API runs once a process (a second start fails: "Sync API inside the asyncio loop").
_CHROMIUM: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not _CHROMIUM:
        playwright = playwright_api.sync_playwright().start()
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        _CHROMIUM.update(playwright=playwright, chromium=chromium, holders=0)
    _CHROMIUM["holders"] += 1
    yield _CHROMIUM["chromium"]
    _CHROMIUM["holders"] -= 1
    if not _CHROMIUM["holders"]:
        _CHROMIUM["chromium"].close()
        _CHROMIUM["playwright"].stop()
        _CHROMIUM.clear()


@dataclass
class Shared:
    page: Any
    network: Network
    cdp: Any


@pytest.fixture(scope="session")
def shared(browser: Any) -> Iterator[Shared]:
    """One page, in one context, for the tests that need no settings of their own: a page that has run
    Mermaid's 3 MB once loads the next plan in half the time."""
    network = Network()
    page = network.attach(browser.new_context(**CONTEXT)).new_page()
    yield Shared(page, network, page.context.new_cdp_session(page))
    page.context.close()


@pytest.fixture
def tabs(browser: Any, shared: Shared) -> Iterator[Any]:
    """open(*sites, **context options) -> Tab: the shared page, or with options a page in a context of its own.

    Each test asserts its tabs clean at its end; here, after it, no request may have been blocked either.
    """
    shared.network.blocked = []
    opened: list[Tab] = []

    def open_tab(*served: Served, **options: Any) -> Tab:
        if options:
            own = Network()
            tab = Tab(own.attach(browser.new_context(**{**CONTEXT, **options})).new_page(), own, own_context=True)
        else:
            assert all(tab.own_context for tab in opened), "one shared tab a test"
            tab = Tab(shared.page, shared.network, own_context=False, cdp_session=shared.cdp)
        tab.network.allowed.update(site.url for site in served)
        tab.on("console", lambda message: tab.errors.append(f"console: {message.text}") if message.type == "error" else None)
        tab.on("pageerror", lambda error: tab.errors.append(f"page error: {error}"))

        def dialog(dialog: Any) -> None:
            tab.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        tab.on("dialog", dialog)
        opened.append(tab)
        return tab

    yield open_tab
    blocked = [url for tab in opened for url in tab.blocked]
    for tab in opened:
        if tab.own_context:
            tab.page.context.close()
            continue
        for event, listener in tab.listeners:
            tab.page.remove_listener(event, listener)
        if tab.page.url.startswith("http"):
            tab.page.evaluate("() => { localStorage.clear(); sessionStorage.clear() }")  # the palette, for one
        tab.page.emulate_media(media="null")
        tab.page.set_viewport_size(CONTEXT["viewport"])
        tab.page.goto("about:blank")
    assert blocked == []


def visit(tab: Tab, url: str) -> None:
    tab.page.goto(url, wait_until="load")
    tab.page.wait_for_function("() => typeof document$ !== 'undefined'")


# ---- diagrams through the Chrome DevTools Protocol ---------------------------------------------------------


@dataclass
class Diagram:
    shadow: str  # the type of the shadow root it is drawn into
    nodes: int  # Mermaid node groups: <g class="node ...">
    text: str  # every text node of the SVG, space-joined
    svg: int  # backendNodeId of the <svg>
    label: int | None  # backendNodeId of one node label


def _walk(node: dict[str, Any], skip: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    yield node
    if node.get("localName") in skip:
        return
    for key in ("children", "shadowRoots"):
        for child in node.get(key, ()):
            yield from _walk(child, skip)
    if "contentDocument" in node:
        yield from _walk(node["contentDocument"], skip)


def _classes(node: dict[str, Any]) -> list[str]:
    attributes = node.get("attributes", [])
    return dict(zip(attributes[::2], attributes[1::2])).get("class", "").split()


def read_diagrams(tab: Tab) -> list[Diagram]:
    """Every diagram Material drew: the SVG inside each `div.mermaid` shadow host."""
    root = tab.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    found = []
    for host in _walk(root):
        if host.get("localName") != "div" or "mermaid" not in _classes(host) or not host.get("shadowRoots"):
            continue
        shadow = host["shadowRoots"][0]
        svg = next((node for node in _walk(shadow) if node.get("localName") == "svg"), None)
        if svg is None:
            continue
        nodes = [node for node in _walk(svg) if node.get("localName") == "g" and "node" in _classes(node)]
        texts = [node["nodeValue"] for node in _walk(svg, skip=("style",)) if node.get("nodeType") == 3 and node["nodeValue"].strip()]
        label = next((node for node in _walk(svg) if "nodeLabel" in _classes(node)), None)
        found.append(Diagram(shadow.get("shadowRootType", ""), len(nodes), " ".join(texts), svg["backendNodeId"], label and label["backendNodeId"]))
    return found


def wait_for_diagrams(tab: Tab, count: int = 1) -> list[Diagram]:
    """Wait until Material has replaced every `pre.mermaid` by a drawn diagram (bounded), then read them."""
    page = tab.page
    page.wait_for_function(
        "n => document.querySelectorAll('div.mermaid').length >= n && !document.querySelector('pre.mermaid')", arg=count
    )
    deadline = 50  # the SVG is in place when the host is; allow a few polls for its content all the same
    while True:
        diagrams = read_diagrams(tab)
        if (len(diagrams) >= count and all(diagram.nodes for diagram in diagrams)) or deadline == 0:
            return diagrams
        deadline -= 1
        page.wait_for_timeout(100)


def call_on(tab: Tab, backend_node_id: int, function: str) -> Any:
    """Run `function` (a JS function of `this`) on a node that selectors cannot reach; return its JSON value."""
    handle = tab.cdp.send("DOM.resolveNode", {"backendNodeId": backend_node_id})["object"]["objectId"]
    result = tab.cdp.send("Runtime.callFunctionOn", {"objectId": handle, "functionDeclaration": function, "returnByValue": True})
    tab.cdp.send("Runtime.releaseObject", {"objectId": handle})
    assert "exceptionDetails" not in result, result
    return result["result"].get("value")


def edge_colour(tab: Tab, diagram: Diagram) -> str:
    return call_on(tab, diagram.svg, "function () { return getComputedStyle(this.querySelector('.flowchart-link')).stroke }")


_LABEL_COLOURS = """function () {
    const solid = colour => colour !== "transparent" && !/^rgba\\(.*,\\s*0\\)$/.test(colour);
    const pairs = [];
    for (const element of this.querySelectorAll("g.node *, g.edgeLabel *")) {
        if (![...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim())) continue;
        const group = element.closest("g.node, g.edgeLabel");
        let background = group.matches("g.node") ? getComputedStyle(group.querySelector("rect, polygon, path, circle, ellipse")).fill : null;
        for (let at = element; !background && at && at !== group; at = at.parentElement) {
            if (solid(getComputedStyle(at).backgroundColor)) background = getComputedStyle(at).backgroundColor;
        }
        pairs.push([element.textContent.trim(), getComputedStyle(element).color, background || getComputedStyle(document.body).backgroundColor]);
    }
    return pairs;
}"""


def _rgba(colour: str) -> tuple[float, float, float, float]:
    numbers = [float(number) for number in re.findall(r"[\d.]+", colour)]
    assert colour.startswith("rgb") and len(numbers) in (3, 4), colour
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) == 4 else 1.0)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of a (possibly translucent) text colour over an opaque background."""
    *front, alpha = _rgba(foreground)
    back = _rgba(background)[:3]
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(front, back)]

    def luminance(rgb: list[float] | tuple[float, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(blended), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def faint_labels(tab: Tab, diagram: Diagram) -> list[tuple[str, float]]:
    """Texts of the diagram (node and edge labels) below 4.5:1 against what they are drawn on: axe cannot see
    into the closed shadow root, so this is its colour-contrast rule for the diagram."""
    pairs = call_on(tab, diagram.svg, _LABEL_COLOURS)
    assert pairs
    page = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    page = page if _rgba(page)[3] == 1 else "rgb(255, 255, 255)"
    found = [(text, round(contrast(fg, _over(bg, page)), 2)) for text, fg, bg in pairs]
    return [(text, ratio) for text, ratio in found if ratio < 4.5]


def _over(colour: str, page: str) -> str:
    """A translucent fill (Material's own node colour is one) as it shows over the page."""
    *front, alpha = _rgba(colour)
    back = _rgba(page)[:3]
    return "rgb({}, {}, {})".format(*(round(alpha * f + (1 - alpha) * b) for f, b in zip(front, back)))


# ---- helpers for pages --------------------------------------------------------------------------------------

NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def toggle_palette(page: Any) -> str:
    """Click Material's light/dark switch; return the scheme it switched to."""
    before = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator('form[data-md-component="palette"] label:visible').click()
    page.wait_for_function("scheme => document.body.dataset.mdColorScheme !== scheme", arg=before)
    return page.evaluate("document.body.dataset.mdColorScheme")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations of the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
    )
    return [violation for violation in violations if violation["impact"] in ("serious", "critical")]


# ---- the front end is the site's own -------------------------------------------------------------------------


def test_front_end_is_served_from_the_site(example: Served) -> None:
    """Mermaid and tablesort are copies of the pinned npm packages, and no page refers to another host."""
    out = example.build.out
    for site_path, package_file in (
        ("assets/vendor/mermaid.min.js", "mermaid/dist/mermaid.min.js"),
        ("assets/vendor/tablesort.min.js", "tablesort/dist/tablesort.min.js"),
        ("assets/vendor/tablesort.number.min.js", "tablesort/dist/sorts/tablesort.number.min.js"),
    ):
        assert (out / site_path).read_bytes() == (ROOT / "node_modules" / package_file).read_bytes(), site_path
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/mermaid"]["version"] == json.loads((ROOT / "node_modules/mermaid/package.json").read_text())["version"]
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for _tag, address in re.findall(r"<(script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)=\"([^\"]*)\"", html):
            assert address.startswith(example.url) or not re.match(r"(?i)([a-z][a-z0-9+.-]*:)?//", address), (page, address)
        assert "unpkg.com" not in html and "googleapis" not in html and "jsdelivr" not in html, page


# ---- each kind of page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_plan_page_draws_its_diagram(tabs: Any, example: Served, plan_id: str) -> None:
    tab = tabs(example)
    visit(tab, example.page(f"{plan_id}/"))
    (diagram,) = wait_for_diagrams(tab)
    assert diagram.shadow == "closed"  # drawn by Material (mermaid2 would draw into the page itself)
    assert diagram.nodes == expected_nodes(ROOT / "plans" / f"{plan_id}.md")
    assert tab.page.locator(".pf-part--diagram svg").count() == 0
    assert "GOAL:" in diagram.text
    tab.assert_clean()


PAGES = {
    "index": "",
    "plan": "nordwerk-antriebe/",
    "draft plan": "tasman-fresh-foods/",
    "owners": "portfolio/owners/",
    "owner rollup": "portfolio/owners/luis-ortega/",
    "due overview": "portfolio/due/",
    "due-window rollup": "portfolio/due/overdue/",
    "slipped": "portfolio/slipped/",
    "this week": "portfolio/week/",
}
# Pages with no table in the example: its plans have no history there (no slips), and the week is lists.
WITHOUT_TABLES = {"slipped", "this week"}


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_is_readable_by_everyone(tabs: Any, example: Served, kind: str) -> None:
    """No console error; headings in order; table headers; state in words; axe clean in both palettes."""
    tab = tabs(example)
    page = tab.page
    visit(tab, example.page(PAGES[kind]))
    if "plan" in kind:
        wait_for_diagrams(tab)
    page.add_style_tag(content=NO_TRANSITIONS)

    levels = page.evaluate(
        """() => [...document.querySelectorAll('.md-content :is(h1, h2, h3, h4, h5, h6)')]
            .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))"""
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), levels

    tables = page.evaluate(
        """() => [...document.querySelectorAll('.md-content table')].map(table => ({
            headers: [...table.querySelectorAll('thead th')].map(th => th.getAttribute('scope')),
            columns: Math.max(...[...table.rows].map(row => [...row.cells].reduce((n, c) => n + c.colSpan, 0)))}))"""
    )
    assert bool(tables) != (kind in WITHOUT_TABLES)
    for table in tables:
        assert table["headers"] and set(table["headers"]) == {"col"} and len(table["headers"]) == table["columns"], table

    overdue = page.evaluate(
        """() => [...document.querySelectorAll('.pf-row--overdue, .pf-state--overdue, .pf-total--overdue')]
            .map(element => element.innerText)"""
    )
    for text in overdue:  # never by colour alone
        assert "⚠" in text or "Overdue" in text, text
    if kind in ("due-window rollup", "owner rollup"):
        assert overdue

    assert axe_violations(page) == []
    assert toggle_palette(page) == "slate"
    assert axe_violations(page) == []
    if kind == "index":  # on a phone the index is a card a plan: nothing scrolls sideways (test_browser_index.py)
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("(t => t.scrollWidth <= t.clientWidth)(document.querySelector('table.pf-index'))")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
    tab.assert_clean()


def test_diagrams_render_in_both_palettes(tabs: Any, example: Served) -> None:
    plan_id = "berg-sons-logistics"
    nodes = expected_nodes(ROOT / "plans" / f"{plan_id}.md")
    light = tabs(example)
    visit(light, example.page(f"{plan_id}/"))
    assert light.page.evaluate("document.body.dataset.mdColorScheme") == "default"
    (diagram,) = wait_for_diagrams(light)
    assert diagram.nodes == nodes
    assert faint_labels(light, diagram) == []
    light_edges = edge_colour(light, diagram)
    light.page.add_style_tag(content=NO_TRANSITIONS)

    assert toggle_palette(light.page) == "slate"
    (diagram,) = wait_for_diagrams(light)
    assert diagram.nodes == nodes
    dark_edges = edge_colour(light, diagram)
    assert dark_edges != light_edges  # the drawing follows the palette
    assert faint_labels(light, diagram) == []

    dark = tabs(example, color_scheme="dark")  # a reader whose system is dark starts in the dark palette
    visit(dark, example.page(f"{plan_id}/"))
    assert dark.page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    (diagram,) = wait_for_diagrams(dark)
    assert diagram.nodes == nodes
    assert edge_colour(dark, diagram) == dark_edges
    assert faint_labels(dark, diagram) == []
    assert toggle_palette(dark.page) == "default"
    (diagram,) = wait_for_diagrams(dark)
    assert diagram.nodes == nodes and edge_colour(dark, diagram) == light_edges
    light.assert_clean()
    dark.assert_clean()


def test_diagrams_render_after_instant_navigation(tabs: Any, example: Served) -> None:
    tab = tabs(example)
    page = tab.page
    visit(tab, example.page())
    page.wait_for_load_state("networkidle")  # Material follows links instantly once it has read sitemap.xml
    page.evaluate("window.__planfolioNoReload = true")  # gone if a click loads a whole new document
    documents: list[str] = []
    tab.on("request", lambda request: documents.append(request.url) if request.resource_type == "document" else None)

    for plan_id, account in (("nordwerk-antriebe", "Nordwerk Antriebe AG"), ("tasman-fresh-foods", "Tasman Fresh Foods Pty Ltd")):
        page.locator("table.pf-index").get_by_role("link", name=account, exact=True).click()
        page.wait_for_url(f"**/{plan_id}/")
        (diagram,) = wait_for_diagrams(tab)
        assert diagram.shadow == "closed"
        assert diagram.nodes == expected_nodes(ROOT / "plans" / f"{plan_id}.md")
        page.locator(".md-nav--primary").get_by_role("link", name="Portfolio", exact=True).click()
        page.wait_for_url(example.page())
        page.locator("table.pf-index[data-pf-sortable]").wait_for()  # the index's script ran again

    assert documents == []
    assert page.evaluate("window.__planfolioNoReload") is True
    tab.assert_clean()


def test_index_sorts_by_clicking_a_column_header(tabs: Any, example: Served) -> None:
    tab = tabs(example)
    page = tab.page
    visit(tab, example.page())
    table = page.locator("table.pf-index[data-pf-sortable]")
    table.wait_for()

    def column(index: int, sort_key: bool = False) -> list[str]:
        attribute = "cell.dataset.sort ?? cell.innerText" if sort_key else "cell.innerText"
        return table.evaluate(f"(t, i) => [...t.tBodies[0].rows].map(row => {{ const cell = row.cells[i]; return ({attribute}).trim() }})", index)

    accounts = column(0)
    header = table.locator("thead th", has_text="Account")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = column(0)
    assert ascending == sorted(accounts, key=str.lower)
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert column(0) == ascending[::-1]

    overdue = table.locator("thead th", has_text="Overdue")
    overdue.focus()
    page.keyboard.press("Enter")  # the headers work from the keyboard too
    headers = table.evaluate("t => [...t.tHead.rows[0].cells].map(cell => cell.innerText.trim())")
    counts = [float(value) for value in column(headers.index("Overdue"), sort_key=True)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert overdue.get_attribute("aria-sort") == "ascending"
    tab.assert_clean()


def test_search_finds_a_plan_by_account_and_by_commitment(tabs: Any, example: Served) -> None:
    tab = tabs(example)
    page = tab.page
    visit(tab, example.page())
    search = page.locator("input.md-search__input")

    def top_results(query: str, plan_id: str) -> list[str]:
        """Search for `query`; wait (bounded) until `plan_id` is the best match; return the result pages."""
        search.click()
        search.fill(query[:-1])
        search.press(query[-1])  # Material searches on a key press: one search, for the whole query
        page.wait_for_function(
            """([query, id]) => document.querySelector('.md-search__input').value === query
                && new URL(document.querySelector('.md-search-result__link')?.href ?? location.origin).pathname.endsWith('/' + id + '/')""",
            arg=[query, plan_id],
        )
        return page.locator(".md-search-result__link").evaluate_all("links => links.map(link => new URL(link.href).pathname)")

    top_results("Havbris Energi", "havbris-energi")
    found = top_results("Workshop with IT security on signed firmware updates", "nordwerk-antriebe")
    assert not any("/portfolio/" in path for path in found)  # rollups are left out of the search
    tab.assert_clean()


def test_hostile_plan_text_shows_literally_and_runs_nothing(tabs: Any, hostile: Served) -> None:
    tab = tabs(hostile)
    page = tab.page
    visit(tab, hostile.page("acme/"))
    (diagram,) = wait_for_diagrams(tab)
    assert diagram.nodes == expected_nodes(hostile.build.site / "plans" / "acme.md")
    page.wait_for_load_state("networkidle")

    shown = page.locator("article.pf-plan").inner_text()
    for name, text in HOSTILE.items():
        assert text in shown, name
    assert page.title().startswith(HOSTILE["account"])
    for name in ("goal", "csf", "condition", "obstacle", "commitment"):
        assert HOSTILE[name] in diagram.text, (name, diagram.text)
    assert "<script>alert('notes')</script>" in shown

    for url in ("", "portfolio/owners/luis-ortega/", "portfolio/due/next-90-days/"):  # where the account is listed
        visit(tab, hostile.page(url))
        page.wait_for_load_state("networkidle")
        assert HOSTILE["account"] in page.locator("article").first.inner_text(), url

    assert tab.dialogs == []
    assert [path for path, _status in hostile.requests if path.rstrip("/").endswith("/x")] == []
    tab.assert_clean()


# ---- on paper --------------------------------------------------------------------------------------------------

A4_LANDSCAPE_PT = (841.92, 594.96)
SHEET_MM = (297 - 2 * 8, 210 - 2 * 8)  # A4 landscape inside the 8 mm margins of planfolio.css
PX_PER_MM = 96 / 25.4
PT_PER_PX = 0.75
MIN_TEXT_PT = 7.0
MIN_LABEL_PT = 6.5  # diagram labels; the example's come out at 7 to 8.5 pt


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The (width, height) in points of every page of a PDF written by Chromium (Skia)."""
    assert pdf.startswith(b"%PDF-")
    count = [int(value) for value in re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", pdf, re.S)]
    boxes = [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert count == [pages] and len(boxes) in (1, pages), (count, pages, boxes)
    return boxes * pages if len(boxes) == 1 else boxes


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_plan_prints_on_one_a4_page_legibly(tabs: Any, example: Served, plan_id: str) -> None:
    tab = tabs(example)
    page = tab.page
    visit(tab, example.page(f"{plan_id}/"))
    wait_for_diagrams(tab)

    pages = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))
    assert len(pages) == 1
    assert all(abs(measure - a4) < 1 for measure, a4 in zip(pages[0], A4_LANDSCAPE_PT)), pages

    # The same sheet as a print layout, to measure it: the diagram fits and every text is large enough.
    width, height = (round(mm * PX_PER_MM) for mm in SHEET_MM)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": width, "height": height})
    (diagram,) = read_diagrams(tab)
    assert diagram.label is not None
    box = call_on(tab, diagram.svg, "function () { const r = this.getBoundingClientRect(); return [r.top, r.bottom, r.width, r.height] }")
    top, bottom, box_width, box_height = box
    assert 0 < top and bottom <= height + 1 and box_height > height / 2, box
    view = call_on(tab, diagram.svg, "function () { const v = this.viewBox.baseVal; return [v.width, v.height] }")
    scale = min(box_width / view[0], box_height / view[1])
    label_px = call_on(tab, diagram.label, "function () { return parseFloat(getComputedStyle(this).fontSize) }")
    assert label_px * scale * PT_PER_PX >= MIN_LABEL_PT, (label_px, scale)

    smallest = page.evaluate(
        """() => {
            let smallest = Infinity;
            for (const element of document.querySelectorAll('article.pf-plan, article.pf-plan *')) {
                const shown = [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
                if (shown && element.getClientRects().length) smallest = Math.min(smallest, parseFloat(getComputedStyle(element).fontSize));
            }
            return smallest;
        }"""
    )
    assert smallest * PT_PER_PX >= MIN_TEXT_PT - 0.01
    assert page.evaluate("document.querySelector('article.pf-plan').getBoundingClientRect().bottom") <= height
    tab.assert_clean()


def test_paper_is_light_in_the_dark_palette(tabs: Any, example: Served) -> None:
    """A reader in the dark palette prints dark text on white paper, diagram included, still on one sheet."""
    tab = tabs(example, color_scheme="dark")
    page = tab.page
    visit(tab, example.page("kestrel-cloud-systems/"))
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    wait_for_diagrams(tab)
    assert len(pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True))) == 1
    page.emulate_media(media="print")
    (diagram,) = read_diagrams(tab)
    body = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('article.pf-plan')).color]")
    assert body[0] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)") and contrast(body[1], "rgb(255, 255, 255)") >= 7, body
    assert faint_labels(tab, diagram) == []
    tab.assert_clean()


# ---- notes, and diagrams on the site's own pages ------------------------------------------------------------

HOSTILE_NOTES = """\
Links: [CRM](javascript&#x3a;alert('hex')), [ERP](javascript&colon;alert('named')), [BI](javascript&#58;alert('dec')),
[wiki][wiki] and [portal](java&#x09;script:alert('tab')).

[wiki]: javascript&#x3a;alert('reference')

![pixel](https://pixel.evil.example/pixel.png)

```{.json #__config}
{"base": "https://evil.example/", "features": [], "search": "https://evil.example/worker.js", "translations": {}}
```

```{#mermaid .mermaid}
flowchart LR
  X --> Y
```

```{.text .mermaid}
%%{init: {"themeCSS": "@font-face {font-family: evil; src: url(https://fonts.evil.example/evil.woff2)} .node {font-family: evil}"}}%%
flowchart LR
  A --> B
```

```mermaid
flowchart LR
  P["<img src=x onerror=alert('fence')>"] --> Q
  Q@{ img: "https://img.evil.example/q.png", label: "q" }
  style P fill:url(https://style.evil.example/p.svg)
```
"""


@pytest.fixture(scope="module")
def hostile_notes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A plan whose notes try each way out that Markdown's own filters let through."""
    plan = PLAN.replace("Notes: the Lyon plant's line 2 tender opens in April.", HOSTILE_NOTES)
    yield from _serve(write_site(tmp_path_factory.mktemp("hostile-notes"), {"acme.md": plan}, people=PEOPLE))


def test_hostile_notes_run_nothing_load_nothing_and_shadow_nothing(tabs: Any, hostile_notes: Served) -> None:
    tab = tabs(hostile_notes)
    page = tab.page
    visit(tab, hostile_notes.page("acme/"))
    (diagram,) = wait_for_diagrams(tab)  # planfolio's own, and no other: no fence of the notes became a diagram
    assert diagram.nodes == expected_nodes(hostile_notes.build.site / "plans" / "acme.md")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # a late diagram or font would be asked for by now

    # Material's configuration and the global `mermaid` are Material's and planfolio's, not the notes'.
    assert page.evaluate("document.getElementById('__config').tagName") == "SCRIPT"
    assert page.evaluate("document.querySelectorAll('[id=\"__config\"], [id=\"mermaid\"]').length") == 1
    assert page.evaluate("typeof window.mermaid.render") == "function"
    notes = page.locator("section.pf-part--notes")
    unsafe = "img, picture, script, iframe, object, svg, [style], [class*=mermaid], [id=__config], [id=mermaid]"
    assert notes.evaluate("(n, unsafe) => n.querySelectorAll(unsafe).length", unsafe) == 0
    hrefs = notes.evaluate("n => [...n.querySelectorAll('a[href]')].map(a => a.protocol)")
    assert set(hrefs) <= {"http:", "https:"}, hrefs  # the picture is a link to it, and no link runs script
    for link in ("CRM", "ERP", "BI", "wiki", "portal"):  # clicked, none runs anything
        notes.get_by_text(link, exact=True).click()
    assert page.url == hostile_notes.page("acme/")
    shown = notes.inner_text()
    assert "%%{init:" in shown and "onerror=alert('fence')" in shown and "image: pixel" in shown  # shown as code and text

    search = page.locator("input.md-search__input")  # Material's search still uses the site's own worker and index
    search.click()
    search.fill("Lyo")
    search.press("n")
    page.locator(".md-search-result__link").first.wait_for()
    assert tab.dialogs == []
    assert [path for path, _status in hostile_notes.requests if "evil" in path or path.rstrip("/").endswith("/x")] == []
    tab.assert_clean()


HAND_WRITTEN = """\
# About our portfolio

## Mermaid

The heading above gives an element the id `mermaid`, which a browser also calls `window.mermaid`.

```mermaid
flowchart BT
  G(["Goal: grow the account"])
  F["Preferred supplier"] --> G
  N("Engineering specifies us") --> F
```
"""


@pytest.fixture(scope="module")
def hand_written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The example (both palettes) with one more page of its own, not a plan, holding a ```mermaid fence; --strict."""
    site = copy_example(tmp_path_factory.mktemp("hand-written"))
    (site / "plans" / "about.md").write_text(HAND_WRITTEN, encoding="utf-8")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "not_plans: [how-we-plan.md]" in config
    (site / "mkdocs.yml").write_text(config.replace("not_plans: [how-we-plan.md]", "not_plans: [how-we-plan.md, about.md]"), encoding="utf-8")
    yield from _serve(site)


def test_a_mermaid_fence_on_a_page_of_the_sites_own_draws_like_planfolios_diagrams(tabs: Any, hand_written: Served) -> None:
    tab = tabs(hand_written)
    page = tab.page
    visit(tab, hand_written.page("nordwerk-antriebe/"))
    (plan_diagram,) = wait_for_diagrams(tab)
    plan_edges = edge_colour(tab, plan_diagram)
    page.add_style_tag(content=NO_TRANSITIONS)
    toggle_palette(page)
    (plan_diagram,) = wait_for_diagrams(tab)
    plan_dark_edges = edge_colour(tab, plan_diagram)
    toggle_palette(page)  # back to light: the palette is kept across pages

    visit(tab, hand_written.page("about/"))
    (diagram,) = wait_for_diagrams(tab)
    assert diagram.shadow == "closed" and diagram.nodes == 3  # drawn by Material, with the site's Mermaid
    assert "Goal: grow the account" in diagram.text and "Engineering specifies us" in diagram.text
    assert edge_colour(tab, diagram) == plan_edges
    assert faint_labels(tab, diagram) == []
    page.add_style_tag(content=NO_TRANSITIONS)
    assert toggle_palette(page) == "slate"
    (diagram,) = wait_for_diagrams(tab)
    assert edge_colour(tab, diagram) == plan_dark_edges != plan_edges
    assert faint_labels(tab, diagram) == []
    loaded = [path for path, _status in hand_written.requests if path.endswith(".js")]
    assert "/assets/vendor/mermaid.min.js" in loaded
    tab.assert_clean()


def test_how_we_plan_page_draws_and_is_readable(tabs: Any, example: Served) -> None:
    tab = tabs(example)
    page = tab.page
    visit(tab, example.page())
    # In the navigation of every page: on the index, whose sidebar is hidden for its table, in tabs above it.
    link = page.locator(".md-nav--primary, .md-tabs").get_by_role("link", name="How we plan", exact=True)
    assert link.evaluate("a => a.href") == example.page("how-we-plan/")
    visit(tab, example.page("how-we-plan/"))
    (diagram,) = wait_for_diagrams(tab)
    assert diagram.shadow == "closed" and diagram.nodes == 12
    for state in ("within reach", "achieved", "met", "done", "OVERDUE", "dropped", "missing: commitment"):
        assert state in diagram.text, state
    assert faint_labels(tab, diagram) == []
    page.add_style_tag(content=NO_TRANSITIONS)
    assert axe_violations(page) == []
    assert toggle_palette(page) == "slate"
    (diagram,) = wait_for_diagrams(tab)
    assert faint_labels(tab, diagram) == []
    assert axe_violations(page) == []
    text = page.locator("article").inner_text()
    for part in ("Goal", "Critical success factors", "Necessary conditions", "Obstacles", "Commitments", "In order to"):
        assert part in text, part
    tab.assert_clean()


# ---- history on the site -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Two plans in a git repository with dated commits (tests/test_site_history.py), built `--strict` and served."""
    from gitrepo import ENVIRONMENT as GIT_ENV
    from test_site_history import _repository

    site = tmp_path_factory.mktemp("history") / "portfolio"
    _repository(site)
    previous = {name: os.environ.get(name) for name in GIT_ENV}
    os.environ.update(GIT_ENV)
    try:
        yield from _serve(site)
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_the_index_sorts_by_slips_and_changes_since_review(tabs: Any, with_history: Served) -> None:
    tab = tabs(with_history)
    page = tab.page
    visit(tab, with_history.page())
    table = page.locator("table.pf-index[data-pf-sortable]")
    table.wait_for()
    headers = table.evaluate("t => [...t.tHead.rows[0].cells].map(cell => cell.innerText.trim())")

    def column(name: str) -> list[str]:
        return table.evaluate("(t, i) => [...t.tBodies[0].rows].map(row => row.cells[i].dataset.sort)", headers.index(name))

    changes = table.locator("thead th", has_text="Changes since review")
    changes.click()
    assert changes.get_attribute("aria-sort") == "ascending"
    assert column("Changes since review") == ["3", "4"]
    changes.click()
    assert changes.get_attribute("aria-sort") == "descending"
    assert column("Changes since review") == ["4", "3"]
    assert table.locator("tbody tr").first.locator("td").first.locator("a").first.inner_text() == "Beta Logistics AG"
    slipped = table.locator("thead th", has_text="Slipped")
    slipped.focus()
    page.keyboard.press("Enter")
    assert slipped.get_attribute("aria-sort") == "ascending" and column("Slipped") == ["1", "1"]
    tab.assert_clean()  # no request left the site


def test_this_week_is_readable_and_names_its_feed(tabs: Any, example: Served) -> None:
    """The "This week" page: headings in order, axe clean in both palettes, its head's Atom feed the served file,
    and no console error (Material fetches a sitemap.xml beside every `link[rel=alternate]`: there is one)."""
    tab = tabs(example)
    page = tab.page
    with page.expect_response(lambda response: response.url == example.page("portfolio/sitemap.xml")) as sitemap:
        visit(tab, example.page("portfolio/week/"))
    assert sitemap.value.status == 200
    page.add_style_tag(content=NO_TRANSITIONS)
    levels = page.evaluate(
        """() => [...document.querySelectorAll('.md-content :is(h1, h2, h3, h4, h5, h6)')]
            .filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))"""
    )
    assert levels[:2] == [1, 2] and levels.count(1) == 1, levels
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), levels
    feed = page.evaluate("""() => document.head.querySelector('link[rel="alternate"][type="application/atom+xml"]').href""")
    assert feed == example.page("portfolio/week.xml")
    assert page.request.get(feed).text().startswith("<?xml")
    assert axe_violations(page) == []
    assert toggle_palette(page) == "slate"
    assert axe_violations(page) == []
    tab.assert_clean()
