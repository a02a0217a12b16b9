"""Parsed plan versions by blob id: a blob never changes its content, so an entry never goes stale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..model import Plan
from ..portfolio import read_text
from ..settings import Limits
from .files import PlanSource
from .git import Git, Version

# A version's Plan depends on its bytes, its path and its id only: today, the limits and the people file change
# its findings, which history does not keep. Fixed values make them part of no cache key.
_PARSE_TODAY = date(2000, 1, 1)
_PARSE_LIMITS = Limits()


class VersionCache:
    """The Plan of each version read, by (blob id, path shown). Keep one for the life of a process (the plugin
    across `mkdocs serve` rebuilds): a rebuild then parses only the versions it has never seen.
    The Plans it hands out are shared: never change them."""

    def __init__(self) -> None:
        self._plans: dict[tuple[str, str], Plan] = {}
        self.parsed = 0  # versions parsed so far: what the cache did not save

    def plan(self, git: Git, version: Version, relative: str, shown_as: str) -> Plan | None:
        """The plan as this version reads (with what could be read of it); None where the file is absent."""
        if version.blob is None:
            return None
        key = (version.blob, shown_as)
        plan = self._plans.get(key)
        if plan is None:
            plan_id = PlanSource(Path(relative), shown_as).plan_id
            plan = read_text(shown_as, plan_id, git.load(version), _PARSE_TODAY, _PARSE_LIMITS, None).plan
            self._plans[key] = plan
            self.parsed += 1
        return plan
