"""One build's portfolio site: the plans read from the docs folder's files, and the pages made of them.

`PlanReader` finds the plans among MkDocs' files and reads them through the core (logging its findings,
stopping the build on errors); `SitePages` turns the result into page specs (pages.py), puts each into the
build's files and draws its body when MkDocs asks (render.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from .config import PlanfolioConfig
from .core.derive.digest import Digest, digest
from .core.derive.rollups import Rollups, build
from .core.findings import Finding, Severity
from .core.portfolio import HistoryReader, Portfolio, PortfolioHistory, Reader, history_reader, load_portfolio
from .core.publish.report import as_text
from .core.read.files import PlanSource, is_plan_file
from .core.read.people import load_people
from .core.read.versions import VersionCache
from .core.settings import Limits, SettingsError
from .pages import PageSpec, site_pages
from .render import Renderer, page_meta
from .reuse import BodyCache
from .sitefiles import FilesEditor

log = get_plugin_logger(__name__)

WEEK_DAYS = 7  # "This week": the digest of the last 7 days up to today, as `planfolio digest` gives by default


@dataclass(frozen=True, slots=True)
class ReadPlans:
    """A build's portfolio, its rollups, each plan's file (src_uri) by plan id, and this week's digest."""

    portfolio: Portfolio
    rollups: Rollups
    src_uri_of: dict[str, str]
    week: Digest


class PlanReader:
    """Reads the docs folder's plans: every file `planfolio check` would check, pages or not (a `.MD` is a
    static file to MkDocs); paths are shown relative to mkdocs.yml, as `planfolio check` shows them."""

    def __init__(self, options: PlanfolioConfig, config: MkDocsConfig, today: date, read: Reader | None, versions: VersionCache) -> None:
        self._options = options
        self._base_dir = Path(config.config_file_path or ".").parent
        self._docs_dir = Path(config.docs_dir)
        self._today = today
        self._read = read
        self._versions = versions
        self._limits = Limits(csf_limit=options.csf_limit, review_days=options.review_days, slip_limit=options.slip_limit)

    def read(self, files: Files) -> ReadPlans:
        sources = {file.src_uri: self._source(file) for file in files if self._is_plan(file)}
        portfolio = load_portfolio(list(sources.values()), self._today, self._limits, self._people(), self._read, self._history())
        if portfolio.history is not None and portfolio.history.missing:
            log.info(portfolio.history.missing)  # the plugin's logger says "planfolio:" already
        _log_findings(portfolio.findings)
        errors = portfolio.count(Severity.ERROR)
        if errors:
            raise PluginError(f"planfolio: {errors} error(s) in the plans, listed above as path:line:col")
        return ReadPlans(portfolio, build(portfolio), {source.plan_id: src_uri for src_uri, source in sources.items()}, self._week(portfolio))

    def _week(self, portfolio: Portfolio) -> Digest:
        """The digest of the last WEEK_DAYS days. Where there is no history, the reason names the docs folder as the
        log does; the pages name it as plan paths are shown (relative to mkdocs.yml), not by the build machine's path."""
        week = digest(portfolio, WEEK_DAYS, self._limits)
        if week.history is None:
            return week
        return replace(week, history=week.history.replace(self._docs_dir.as_posix(), _shown(str(self._docs_dir), self._base_dir)))

    def _history(self) -> HistoryReader | PortfolioHistory:
        """The plans' history from git, keyed by the paths plans are shown as."""
        prefix = _shown(str(self._docs_dir), self._base_dir).rstrip("/") + "/"
        return history_reader(self._docs_dir, self._today, self._versions, self._options.not_plans, prefix)

    def _is_plan(self, file: File) -> bool:
        return file.inclusion.is_included() and bool(file.abs_src_path) and file.generated_by is None and is_plan_file(file.src_uri, self._options.not_plans)

    def _source(self, file: File) -> PlanSource:
        path = file.abs_src_path
        assert path is not None
        return PlanSource(Path(path), _shown(path, self._base_dir), file.src_uri)

    def _people(self) -> frozenset[str] | None:
        people = self._options.people
        try:
            # shown as plan paths are (relative to mkdocs.yml): PF023 names it as where to add a person
            return load_people(Path(people), _shown(people, self._base_dir)) if people else None
        except SettingsError as error:
            raise PluginError(f"planfolio: {error}") from None


class SitePages:
    """The pages of one build: which spec each page has, which file each key names, and their bodies."""

    def __init__(self, config: MkDocsConfig, page_size: int, today: date, bodies: BodyCache | None) -> None:
        self._config = config
        self._page_size = page_size
        self._today = today
        self._bodies = bodies
        self.specs: dict[str, PageSpec] = {}  # by src_uri
        self.by_key: dict[str, File] = {}
        self._files = Files([])
        self._renderer: Renderer | None = None

    def add(self, plans: ReadPlans, editor: FilesEditor) -> None:
        """Every page into the build's files: plans stay at their own files, out of the nav (Material draws the
        whole nav into every page); the index and the rollups are generated, with empty Markdown."""
        files = self._files = editor.files
        # A home page of the site's own (excluded from the plans) keeps its place; the index moves aside.
        index = "portfolio/index.md" if files.get_file_from_path("index.md") else "index.md"
        specs = site_pages(plans.portfolio, plans.rollups, plans.src_uri_of, self._page_size, index, self._config.repo_url, week=plans.week)
        for spec in specs:
            if spec.plan_file:
                file = files.get_file_from_path(spec.src_uri)
                assert file is not None
                file.inclusion = InclusionLevel.NOT_IN_NAV
            else:
                file = editor.add(spec.src_uri, "", InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV)
            self.by_key[spec.key] = file
            self.specs[spec.src_uri] = spec
        custom_dir = self._config.theme.custom_dir
        self._renderer = Renderer([Path(custom_dir)] if custom_dir else [], self.url_of, self._today, self._bodies)
        self._renderer.start((self._config.use_directory_urls, *((spec.key, spec.src_uri) for spec in specs)))

    def name(self, files: dict[str, File]) -> None:
        """Let templates link to other files by key (the exports)."""
        self.by_key.update(files)

    def url_of(self, key: str, from_src_uri: str) -> str | None:
        """The relative URL from one page to the page or file `key` names, or None where there is none."""
        target = self.by_key.get(key)
        return target.url_relative_to(self._files.src_uris[from_src_uri]) if target else None

    def body(self, spec: PageSpec) -> str:
        assert self._renderer is not None, "pages are drawn after they are added"
        return self._renderer.body(spec)

    def meta(self, spec: PageSpec) -> dict[str, object]:
        """The page's meta for MkDocs and the theme; a page with an Atom feed is drawn by planfolio's theme
        template, which names the feed in the page's head (templates/planfolio/feed-page.html)."""
        meta = page_meta(spec)
        href = self.url_of(spec.feed[0], spec.src_uri) if spec.feed else None
        if spec.feed and href:
            meta |= {"template": FEED_PAGE, "planfolio_feed": {"href": href, "title": spec.feed[1]}}
        return meta

    def fragment(self, template: str, context: dict[str, Any], url: Callable[[str], str | None]) -> str:
        """A template drawn outside any page (an Atom feed's content), linking other files by key with `url`."""
        assert self._renderer is not None, "fragments are drawn after the pages are added"
        return self._renderer.env.get_template(template).render(context, url=url, today=self._today)


# A template of the theme's (MkDocs' Jinja, which does not autoescape), found in planfolio's templates folder
# (plugin.py adds it to the theme's folders after the site's overrides and the theme): it extends main.html.
FEED_PAGE = "planfolio/feed-page.html"


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
