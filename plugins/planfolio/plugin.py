"""The MkDocs plugin: it only hands off, to collaborators made when the configuration is read.

- `reuse.Kept` (on_startup, the only state that outlives a build): what `mkdocs serve` keeps between
  rebuilds; defining on_startup keeps this plugin alive across them, so unchanged plans aren't re-read;
- `assets.SiteAssets`: the site's own scripts and stylesheet; `assets.check_mermaid2`;
- `site.PlanReader`: the plans among the docs folder's files, read through the core;
- `site.SitePages`: their pages and the rollups (pages.py), put into the build's files and drawn (render.py);
- `exports.Exports`: portfolio.json, commitments.csv and the calendar feeds;
- `feeds.DigestFeeds`: the digest's Atom feeds (the "This week" page's and each person's);
- `sitefiles.FilesEditor`: adds each generated file to the build once it has claimed its path.

Plan files stay what they are on disk (so `mkdocs serve --dirty` skips the unchanged ones); their page
body is drawn by planfolio and put in place after Markdown, like every generated rollup page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .assets import SiteAssets, check_mermaid2
from .config import PlanfolioConfig
from .core.read.git import head_log_folder
from .core.settings import SettingsError, parse_date, resolve_today
from .exports import Exports, plan_urls
from .feeds import DigestFeeds
from .render import TEMPLATES
from .reuse import Kept
from .site import PlanReader, SitePages
from .sitefiles import FilesEditor

__all__ = ["PlanfolioConfig", "PlanfolioPlugin"]


class PlanfolioPlugin(BasePlugin[PlanfolioConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.kept = Kept.for_command(command)  # `mkdocs build` calls this too: it keeps nothing

    @event_priority(100)  # before mermaid2 looks at the configuration
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        today = _today(self.config.today)
        if self.config.page_size < 1:
            raise PluginError("planfolio: the option `page_size` must be at least 1")
        self.assets = SiteAssets(self.config.vendor_dir)
        self.assets.link(config)
        check_mermaid2(config)
        self.reader = PlanReader(self.config, config, today, self.kept.reads, self.kept.versions)
        self.pages = SitePages(config, self.config.page_size, today, self.kept.bodies)
        self.exports = Exports(today, self.kept.events)
        self.feeds = DigestFeeds(today, config.site_url, config.site_name)
        # Last among the theme's folders: the theme template that names a page's Atom feed in its head (site.FEED_PAGE).
        config.theme.dirs.append(str(TEMPLATES))
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.config.people:
            server.watch(self.config.people)
        commits = head_log_folder(Path(config.docs_dir))
        if commits is not None:  # a commit, checkout or reset moves the plans' history without changing a file
            server.watch(str(commits), recursive=False)
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        plans = self.reader.read(files)
        editor = FilesEditor(files, config)
        self.pages.add(plans, editor)
        self.pages.name(self.exports.add(plans, editor))
        self.pages.name(self.feeds.add(plans, editor))
        self.assets.add_to(editor)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        page.meta = self.pages.meta(spec)  # not the plan's own keys: Material reads `status`, `tags`, ... from meta
        return ""  # the body is drawn in on_page_context; Markdown need not parse it

    # Bodies are drawn one page at a time as MkDocs writes it, and let go once written. Drawn in on_page_content,
    # MkDocs would hold every page's body at once (it converts all pages before writing any): most of the
    # build's memory at a thousand plans.
    @event_priority(50)  # before the search plugin indexes page.content in its own on_page_context
    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        spec = self.pages.specs.get(page.file.src_uri)
        if spec is not None:
            page.content = self.pages.body(spec)
        return context

    @event_priority(-100)  # after every other plugin has seen the page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.pages.specs:
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.exports.write(config.site_dir, plan_urls(config.site_url or "", self.pages.by_key))
        self.feeds.write(config.site_dir, self.pages)


def _today(fixed: object) -> date:
    """The option `today` (a date, or its YYYY-MM-DD text), else SOURCE_DATE_EPOCH, else the system date."""
    try:
        if isinstance(fixed, str):
            fixed = parse_date(fixed, "the option `today`")
        assert fixed is None or isinstance(fixed, date)  # the option's type
        return resolve_today(fixed)
    except SettingsError as error:
        raise PluginError(f"planfolio: {error}") from None
