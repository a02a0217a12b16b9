"""Draw pages through Jinja templates a site can override, with autoescape on: plan text is untrusted."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from markupsafe import escape

from . import keys
from .core.derive.necessity import long_date
from .notes import notes_html
from .pages import PageSpec
from .reuse import BodyCache

TEMPLATES = Path(__file__).parent / "templates"
# A theme template (MkDocs' Jinja) in planfolio's templates folder, which plugin.py adds to the theme's folders.
WIDE_PAGE = "planfolio/wide-page.html"
# A commitment's status in words and a symbol: never in colour alone.
STATUS_LABELS = {"open": "○ Open", "doing": "◐ Doing", "done": "✓ Done", "dropped": "✕ Dropped"}


@functools.cache
def environment(template_dirs: tuple[Path, ...], overrides: tuple[str, ...] = ()) -> Environment:
    """Our Jinja environment, autoescaping, overrides first. Kept across serve rebuilds: Jinja recompiles
    a template only when its file changes. `overrides`, the override files there are, is only part of the
    cache's key: Jinja would go on serving a packaged template that a newly added override shadows."""
    loaders = [FileSystemLoader(str(directory)) for directory in template_dirs if directory.is_dir()]
    env = Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("planfolio", "templates")]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["long_date"] = long_date
    env.filters["percent"] = lambda value: f"{round(value * 100)} %"
    env.filters["notes"] = notes_html
    env.filters["number"] = lambda value: f"{value:g}"
    env.globals["status_labels"] = STATUS_LABELS
    env.globals["keys"] = keys.FOR_TEMPLATES  # url(keys.plan(plan.id)): every key made by one builder
    return env


class Renderer:
    """Renders page specs into the HTML body MkDocs puts into its page template."""

    def __init__(
        self, template_dirs: list[Path], url_of: Callable[[str, str], str | None], today: date, cache: BodyCache | None = None
    ) -> None:
        overrides = tuple(sorted(str(path) for directory in template_dirs for path in directory.glob("planfolio/**/*.html")))
        self.env = environment(tuple(template_dirs), overrides)
        self.template_dirs = template_dirs
        self.url_of = url_of  # (key, from src_uri) -> relative URL, or None where no such page exists
        self.today = today
        self.cache = cache

    def start(self, layout: tuple[object, ...]) -> None:
        """Begin a build whose pages sit at `layout`; reused bodies must come from the same layout and templates."""
        if self.cache is not None:
            self.cache.start((layout, self.today, _template_files([*self.template_dirs, TEMPLATES])))

    def body(self, spec: PageSpec) -> str:
        """The page's HTML content (what MkDocs would have made of Markdown)."""
        if self.cache is not None and self.cache.reusable(spec):
            return self.cache.body(spec, lambda: self._draw(spec))
        return self._draw(spec)

    def _draw(self, spec: PageSpec) -> str:
        known: dict[str, str | None] = {}  # a listing links the same plans and people many times

        def url(key: str) -> str | None:
            if key not in known:
                known[key] = self.url_of(key, spec.src_uri)
            return known[key]

        context = spec.context() if callable(spec.context) else spec.context
        return self.env.get_template(spec.template).render(context, url=url, today=self.today, page=spec)


def _template_files(directories: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Every file a template may include, import or extend, with its modification time and size."""
    found = []
    for directory in directories:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                status = path.stat()
                found.append((str(path), status.st_mtime_ns, status.st_size))
    return tuple(found)


def page_meta(spec: PageSpec) -> dict[str, object]:
    # MkDocs' and Material's templates print the title without escaping: hand them escaped HTML text.
    meta: dict[str, object] = {"title": str(escape(spec.title))}
    if not spec.searchable:
        meta["search"] = {"exclude": True}
    if spec.hide:
        meta["hide"] = list(spec.hide)
    if "navigation" in spec.hide:
        meta["template"] = WIDE_PAGE  # the site's navigation as tabs, in place of the hidden sidebar
    return meta

