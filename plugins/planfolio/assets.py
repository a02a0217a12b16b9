"""The site's own stylesheet and scripts, served from the site itself, never from a CDN; and mermaid2's library."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from .sitefiles import FilesEditor

ASSETS = Path(__file__).parent / "assets"
STYLESHEET = "assets/planfolio/planfolio.css"
# (site path, file under the npm `vendor_dir` or our own asset, listed in extra_javascript). Mermaid is not
# listed: planfolio.js loads it on the pages that have a diagram.
SCRIPTS = (
    ("assets/vendor/mermaid.min.js", "mermaid/dist/mermaid.min.js", False),
    ("assets/vendor/tablesort.min.js", "tablesort/dist/tablesort.min.js", True),
    ("assets/vendor/tablesort.number.min.js", "tablesort/dist/sorts/tablesort.number.min.js", True),
    ("assets/planfolio/planfolio.js", None, True),
)
MERMAID = next(site_path for site_path, vendored, _every_page in SCRIPTS if vendored == "mermaid/dist/mermaid.min.js")
# Mermaid's ELK layout, which routes every edge around the boxes that are not its own (Mermaid's default, dagre,
# draws some straight through them). It is an ES module with the chunks it imports: (site folder, its folder
# under `vendor_dir`, the module, the chunks' folder). planfolio.js registers it; only a diagram that asks for
# `layout: elk` loads its 1.6 MB renderer.
ELK = ("assets/vendor/layout-elk", "@mermaid-js/layout-elk/dist", "mermaid-layout-elk.esm.min.mjs", "chunks/mermaid-layout-elk.esm.min")


class SiteAssets:
    """The scripts and stylesheet a site build serves: found (or the build stops) when the config is read."""

    def __init__(self, vendor_dir: str) -> None:
        self.scripts: list[tuple[str, Path]] = []
        self._on_every_page: list[str] = []
        for site_path, vendored, on_every_page in SCRIPTS:
            source = Path(vendor_dir) / vendored if vendored else ASSETS / Path(site_path).name
            if not source.is_file():
                raise PluginError(f"planfolio: {source} is missing: run `npm ci` next to mkdocs.yml to install the site's front-end libraries")
            self.scripts.append((site_path, source))
            if on_every_page:
                self._on_every_page.append(site_path)
        self.scripts += _elk_layout(Path(vendor_dir))

    def link(self, config: MkDocsConfig) -> None:
        """Every page loads the stylesheet and the scripts listed for every page."""
        config.extra_javascript.extend(self._on_every_page)
        config.extra_css.append(STYLESHEET)

    def add_to(self, editor: FilesEditor) -> None:
        editor.copy(STYLESHEET, str(ASSETS / "planfolio.css"))
        for site_path, source in self.scripts:
            editor.copy(site_path, str(source))


def _elk_layout(vendor_dir: Path) -> list[tuple[str, Path]]:
    """(site path, file) of the ELK layout's module and of every chunk it may import (all of its folder)."""
    site_folder, package_folder, module, chunks = ELK
    source = vendor_dir / package_folder
    if not (source / module).is_file() or not (source / chunks).is_dir():
        raise PluginError(f"planfolio: {source / module} is missing: run `npm ci` next to mkdocs.yml to install the site's front-end libraries")
    files = [source / module, *sorted((source / chunks).glob("*.mjs"))]
    return [(f"{site_folder}/{file.relative_to(source).as_posix()}", file) for file in files]


def check_mermaid2(config: MkDocsConfig) -> None:
    """mermaid2 is optional (Material draws the diagrams: docs/running-a-portfolio.md). Where a site has it, its
    library must be the site's own copy: mermaid2 looks for `javascript:` on disk in docs_dir, where the copy
    planfolio serves never is (nothing is written there), and without the option it fetches from a CDN."""
    mermaid2 = config.plugins.get("mermaid2")
    if mermaid2 is None:
        return
    javascript = str(mermaid2.config.get("javascript") or "")
    fix = f"set `javascript: {MERMAID}` under mermaid2 in mkdocs.yml (the copy of Mermaid planfolio serves)"
    if not javascript:
        raise PluginError(f"planfolio: mermaid2 has no `javascript:` option, so it would fetch Mermaid from a CDN: {fix}")
    if javascript.startswith("//") or ":" in javascript.split("/")[0]:
        raise PluginError(f"planfolio: mermaid2's `javascript: {javascript}` is on another host, and the site loads nothing from outside: {fix}")
    if os.path.normpath(javascript) == os.path.normpath(MERMAID):
        mermaid2._javascript = MERMAID  # mermaid2's own check (a file in docs_dir) would fail: planfolio serves it
    elif not (Path(config.docs_dir) / javascript).is_file():
        raise PluginError(f"planfolio: mermaid2's `javascript: {javascript}` is neither in the docs folder nor served by planfolio: {fix}")
