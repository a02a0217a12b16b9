"""Parsed plan versions by blob id: a blob never changes its content, so an entry never goes stale."""

from __future__ import annotations

from pathlib import Path

from ..model import Plan
from . import yamltree
from .files import PlanSource
from .git import Git, Version
from .plan import read_plan
from .yamltree import Sections


class VersionCache:
    """The Plan of each version read, by (blob id, path shown). Keep one for the life of a process (the plugin
    across `mkdocs serve` rebuilds): a rebuild then parses only the versions it has never seen.
    The Plans it hands out are shared: never change them."""

    def __init__(self) -> None:
        self._plans: dict[tuple[str, str], Plan] = {}
        self.parsed = 0  # versions parsed so far: what the cache did not save

    def seed(self, blob: str, shown_as: str, plan: Plan) -> None:
        """The plan of a blob already read elsewhere (the working file `check` just read): not parsed again."""
        self._plans.setdefault((blob, shown_as), plan)

    def forget(self, versions: list[Version], shown_as: str) -> None:
        """Let these versions of a file go: read once, and not wanted again (`planfolio check`)."""
        for version in versions:
            self._plans.pop((version.blob or "", shown_as), None)

    def unread(self, versions: list[Version], shown_as: str) -> list[str]:
        """The blobs of these versions of a file that are not read yet."""
        return [version.blob for version in versions if version.blob is not None and version.data is None and (version.blob, shown_as) not in self._plans]

    def plan(self, git: Git, version: Version, relative: str, shown_as: str, sections: Sections | None = None) -> Plan | None:
        """The plan as this version reads (with what could be read of it), its front matter read through
        `sections` where given; None where the file is absent."""
        if version.blob is None:
            return None
        key = (version.blob, shown_as)
        plan = self._plans.get(key)
        if plan is None:
            plan = _read(shown_as, PlanSource(Path(relative), shown_as).plan_id, git.load(version), sections)
            self._plans[key] = plan
            self.parsed += 1
        return plan


def _read(shown_as: str, plan_id: str, data: bytes, sections: Sections | None) -> Plan:
    """A version's plan, read as `check` reads it, with what could be read of it. Only the reader runs: a
    version's findings depend on today and the people file, and history keeps none of them."""
    text, problem = yamltree.decode(data)
    if problem is not None:
        return Plan(id=plan_id, path=shown_as, readable=False)
    people = sections.people if sections is not None else None  # the people the newest version was read with
    plan, _findings = read_plan(shown_as, plan_id, yamltree.read(text or "", sections), people)
    return plan
