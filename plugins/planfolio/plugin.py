"""The MkDocs plugin: a thin adapter that feeds the docs folder's plans to the core and hands back pages.

Plan files stay what they are on disk (so `mkdocs serve --dirty` skips the unchanged ones); their page
body is drawn by planfolio and put in place after Markdown, like every generated rollup page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .core.derive.rollups import build
from .core.findings import Finding, Severity
from .core.portfolio import load_portfolio
from .core.publish.calendar import calendar, event, feed_entries
from .core.publish.export import write_commitments_csv, write_export
from .core.publish.report import as_text, one_line
from .core.read.files import PlanSource, is_plan_file
from .core.read.people import load_people
from .core.settings import Limits, SettingsError, parse_date, resolve_today
from .pages import PageSpec, owner_page, people_slugs, site_pages
from .render import Renderer, page_meta
from .reuse import BodyCache, EventCache, ReadCache

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "assets/planfolio/planfolio.css"
# Served from the site itself, never from a CDN: (site path, file under the npm `vendor_dir` or our own asset,
# listed in extra_javascript). Mermaid is not listed: planfolio.js loads it on the pages that have a diagram.
SCRIPTS = (
    ("assets/vendor/mermaid.min.js", "mermaid/dist/mermaid.min.js", False),
    ("assets/vendor/tablesort.min.js", "tablesort/dist/tablesort.min.js", True),
    ("assets/vendor/tablesort.number.min.js", "tablesort/dist/sorts/tablesort.number.min.js", True),
    ("assets/planfolio/planfolio.js", None, True),
)


class PlanfolioConfig(base.Config):
    people = c.Optional(c.File(exists=True))
    """A YAML list (or mapping) of the people who may own plans and commitments."""
    not_plans = c.ListOfItems(c.Type(str), default=[])
    """Glob patterns, relative to the docs folder, of Markdown pages that are not plans."""
    csf_limit = c.Type(int, default=Limits().csf_limit)
    review_days = c.Type(int, default=Limits().review_days)
    today = c.Optional(c.Type((str, date)))
    """Fix today's date (YYYY-MM-DD); else SOURCE_DATE_EPOCH, else the system date."""
    page_size = c.Type(int, default=200)
    """Rows per page of a commitment listing, so no page grows without bound."""
    vendor_dir = c.Dir(exists=False, default="node_modules")
    """Where `npm ci` installed the front-end libraries (package.json), relative to mkdocs.yml."""


class PlanfolioPlugin(BasePlugin[PlanfolioConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this plugin alive across `mkdocs serve` rebuilds: unchanged plans aren't re-read.
        self.cache = ReadCache()
        self.events = EventCache()
        self.bodies = BodyCache() if command == "serve" else None  # a single build draws every page once

    @event_priority(100)  # before mermaid2 looks at the configuration
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        fixed = self.config.today
        try:
            self.today = resolve_today(parse_date(fixed, "the option `today`") if isinstance(fixed, str) else fixed)
        except SettingsError as error:
            raise PluginError(f"planfolio: {error}") from None
        if self.config.page_size < 1:
            raise PluginError("planfolio: the option `page_size` must be at least 1")
        self.scripts: list[tuple[str, Path]] = []
        for site_path, vendored, on_every_page in SCRIPTS:
            source = Path(self.config.vendor_dir) / vendored if vendored else ASSETS / Path(site_path).name
            if not source.is_file():
                raise PluginError(f"planfolio: {source} is missing: run `npm ci` next to mkdocs.yml to install the site's front-end libraries")
            self.scripts.append((site_path, source))
            if on_every_page:
                config.extra_javascript.append(site_path)
        config.extra_css.append(STYLESHEET)
        # mermaid2 is optional (Material draws the diagrams: docs/running-a-portfolio.md). Where a site has it, its
        # library must be the site's own copy: mermaid2 looks for `javascript:` on disk in docs_dir, where the copy
        # planfolio serves never is (nothing is written there), and without the option it fetches from a CDN.
        mermaid2 = config.plugins.get("mermaid2")
        if mermaid2 is not None:
            javascript = str(mermaid2.config.get("javascript") or "")
            ours = next(site_path for site_path, vendored, _every_page in SCRIPTS if vendored == "mermaid/dist/mermaid.min.js")
            fix = f"set `javascript: {ours}` under mermaid2 in mkdocs.yml (the copy of Mermaid planfolio serves)"
            if not javascript:
                raise PluginError(f"planfolio: mermaid2 has no `javascript:` option, so it would fetch Mermaid from a CDN: {fix}")
            if javascript.startswith("//") or ":" in javascript.split("/")[0]:
                raise PluginError(f"planfolio: mermaid2's `javascript: {javascript}` is on another host, and the site loads nothing from outside: {fix}")
            if os.path.normpath(javascript) == os.path.normpath(ours):
                mermaid2._javascript = ours  # mermaid2's own check (a file in docs_dir) would fail: planfolio serves it
            elif not (Path(config.docs_dir) / javascript).is_file():
                raise PluginError(f"planfolio: mermaid2's `javascript: {javascript}` is neither in the docs folder nor served by planfolio: {fix}")
        if not hasattr(self, "cache"):  # a plain build: no on_startup
            self.cache, self.events, self.bodies = ReadCache(), EventCache(), None
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.people:
            server.watch(self.config.people)
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        base_dir = Path(config.config_file_path or ".").parent
        plan_files = [  # every file `planfolio check` would check, pages or not (a `.MD` is a static file to MkDocs)
            file
            for file in files
            if file.inclusion.is_included() and file.abs_src_path and file.generated_by is None and is_plan_file(file.src_uri, self.config.not_plans)
        ]
        sources = {file.src_uri: PlanSource(Path(file.abs_src_path), _shown(file.abs_src_path, base_dir), file.src_uri) for file in plan_files}  # type: ignore[arg-type]
        try:
            # shown as plan paths are (relative to mkdocs.yml): PF023 names it as where to add a person
            people = load_people(Path(self.config.people), _shown(self.config.people, base_dir)) if self.config.people else None
        except SettingsError as error:
            raise PluginError(f"planfolio: {error}") from None
        limits = Limits(csf_limit=self.config.csf_limit, review_days=self.config.review_days)
        portfolio = load_portfolio(list(sources.values()), self.today, limits, people, self.cache.read)
        _log_findings(portfolio.findings)
        errors = portfolio.count(Severity.ERROR)
        if errors:
            raise PluginError(f"planfolio: {errors} error(s) in the plans, listed above as path:line:col")

        rollups = build(portfolio)
        src_uri_of = {source.plan_id: src_uri for src_uri, source in sources.items()}
        # A home page of the site's own (excluded from the plans) keeps its place; the index moves aside.
        index = "portfolio/index.md" if files.get_file_from_path("index.md") else "index.md"
        specs = site_pages(portfolio, rollups, src_uri_of, self.config.page_size, index)
        self.pages: dict[str, PageSpec] = {}
        by_key: dict[str, File] = {}
        taken = SiteFiles(files)

        def generated(src_uri: str, content: str | bytes | None = None, inclusion: InclusionLevel = InclusionLevel.UNDEFINED, abs_src_path: str | None = None) -> File:
            file = File.generated(config, src_uri, content=content, abs_src_path=abs_src_path, inclusion=inclusion)
            taken.claim(file)
            files.append(file)
            return file

        for spec in specs:
            file = files.get_file_from_path(spec.src_uri)
            if spec.key.startswith("plan:"):
                file.inclusion = InclusionLevel.NOT_IN_NAV  # type: ignore[union-attr]  # Material draws the whole nav into every page
            else:
                file = generated(spec.src_uri, "", _inclusion(spec.in_nav))
            by_key[spec.key] = file  # type: ignore[assignment]
            self.pages[spec.src_uri] = spec
        # The exports' contents are written after the pages (on_post_build), so they never share memory with
        # them. Empty placeholders tell MkDocs the files exist: links to them from the site's own pages resolve.
        self.exports = {"json": "portfolio.json", "csv": "commitments.csv", "ics": "commitments.ics"}
        self.exports |= {f"ics:{person}": f"{owner_page(slug)}.ics" for person, slug in people_slugs(rollups).items()}
        for key, path in self.exports.items():
            by_key[key] = generated(path, b"")
        self.portfolio, self.rollups, self.plan_pages = portfolio, rollups, by_key
        generated(STYLESHEET, abs_src_path=str(ASSETS / "planfolio.css"))
        for site_path, source in self.scripts:
            generated(site_path, abs_src_path=str(source))

        def url_of(key: str, from_src_uri: str) -> str | None:
            target = by_key.get(key)
            return target.url_relative_to(files.src_uris[from_src_uri]) if target else None

        custom_dir = config.theme.custom_dir
        self.renderer = Renderer([Path(custom_dir)] if custom_dir else [], url_of, self.today, self.bodies)
        self.renderer.start((config.use_directory_urls, *((spec.key, spec.src_uri) for spec in specs)))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            return markdown
        page.meta = page_meta(spec)  # not the plan's own keys: Material reads `status`, `tags`, ... from meta
        return ""  # the body is drawn in on_page_context; Markdown need not parse it

    # Bodies are drawn one page at a time as MkDocs writes it, and let go once written. Drawn in on_page_content,
    # MkDocs would hold every page's body at once (it converts all pages before writing any): most of the
    # build's memory at a thousand plans.
    @event_priority(50)  # before the search plugin indexes page.content in its own on_page_context
    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            page.content = self.renderer.body(spec)
        return context

    @event_priority(-100)  # after every other plugin has seen the page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.pages:
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """portfolio.json, commitments.csv and the calendar feeds, each written straight into the site."""
        site = Path(config.site_dir)
        with _export(site / self.exports["json"]) as out:
            write_export(self.portfolio, out)
        with _export(site / self.exports["csv"]) as out:
            write_commitments_csv(self.portfolio, out)
        for key, feed in self._feeds(config.site_url or ""):
            with _export(site / self.exports[key], binary=True) as out:
                out.write(feed)

    def _feeds(self, site_url: str) -> Iterator[tuple[str, bytes]]:
        """Calendar feeds: the whole portfolio's, and one per person to subscribe to their own commitments."""

        def plan_url(plan_id: str) -> str | None:
            page = self.plan_pages.get(f"plan:{plan_id}")
            return urljoin(site_url, page.url) if page and site_url else None

        entries = feed_entries(self.rollups)
        events = self.events.encode_all(entries, site_url, lambda entry: event(entry, plan_url, self.today))
        yield "ics", calendar("Key account commitments", events.values())
        for person in people_slugs(self.rollups):
            mine = [events[id(entry.commitment)] for entry in entries if entry.commitment.owner == person]
            yield f"ics:{person}", calendar(f"Commitments of {person}", mine)


class SiteFiles:
    """Where the site's own files go, so that no file planfolio generates replaces one or clashes with a folder."""

    def __init__(self, files: Files) -> None:
        self._files = {file.dest_uri: file.src_uri for file in files if not file.inclusion.is_excluded()}
        self._folders = {folder: src_uri for dest_uri, src_uri in self._files.items() for folder in _folders(dest_uri)}

    def claim(self, file: File) -> None:
        """Take `file.dest_uri` for a generated file, or fail the build naming the site's file in the way."""
        clash = self._files.get(file.dest_uri) or self._folders.get(file.dest_uri)
        clash = clash or next((self._files[folder] for folder in _folders(file.dest_uri) if folder in self._files), None)
        if clash is not None:
            raise PluginError(one_line(f"planfolio: {clash} would be replaced by {file.dest_uri}, which planfolio generates; rename your file or exclude it"))
        self._files[file.dest_uri] = file.src_uri
        self._folders.update((folder, file.src_uri) for folder in _folders(file.dest_uri))


def _folders(dest_uri: str) -> list[str]:
    """The folders a site path lies in: `a/b/c.html` -> `a`, `a/b`."""
    parts = dest_uri.split("/")[:-1]
    return ["/".join(parts[: end]) for end in range(1, len(parts) + 1)]


def _export(path: Path, binary: bool = False) -> IO[Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("wb") if binary else path.open("w", encoding="utf-8", newline="")


def _inclusion(in_nav: bool) -> InclusionLevel:
    return InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV


def _shown(path: str, base_dir: Path) -> str:
    relative = os.path.relpath(path, base_dir)
    return Path(relative).as_posix() if not relative.startswith("..") else Path(path).as_posix()


def _log_findings(findings: list[Finding]) -> None:
    for finding in findings:
        line = as_text(finding)
        if finding.severity is Severity.ERROR:
            log.error(line)
        elif finding.severity is Severity.WARNING:
            log.warning(line)
        else:
            log.info(line)
