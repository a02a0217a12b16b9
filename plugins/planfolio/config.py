"""The plugin's options in mkdocs.yml (`plugins: - planfolio: ...`)."""

from __future__ import annotations

from datetime import date

from mkdocs.config import base
from mkdocs.config import config_options as c

from .core.settings import Limits


class PlanfolioConfig(base.Config):
    people = c.Optional(c.File(exists=True))
    """A YAML list (or mapping) of the people who may own plans and commitments."""
    not_plans = c.ListOfItems(c.Type(str), default=[])
    """Glob patterns, relative to the docs folder, of Markdown pages that are not plans."""
    csf_limit = c.Type(int, default=Limits().csf_limit)
    review_days = c.Type(int, default=Limits().review_days)
    slip_limit = c.Type(int, default=Limits().slip_limit)
    """PF202: a live commitment whose due date moved later this many times, or more (from git history)."""
    today = c.Optional(c.Type((str, date)))
    """Fix today's date (YYYY-MM-DD); else SOURCE_DATE_EPOCH, else the system date."""
    page_size = c.Type(int, default=200)
    """Rows per page of a commitment listing, so no page grows without bound."""
    vendor_dir = c.Dir(exists=False, default="node_modules")
    """Where `npm ci` installed the front-end libraries (package.json), relative to mkdocs.yml."""
