"""The plans' history (every version of each, with its events) and the plans at two revisions, compared."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import Plan
from ..read.git import (
    Git,
    GitError,
    NoHistory,
    Repository,
    Snapshot,
    Version,
    open_repository,
    plan_versions,
    read_revision,
    read_worktree,
)
from ..read.versions import VersionCache
from ..read.yamltree import Sections
from .events import Event, events


@dataclass(frozen=True, slots=True)
class Step:
    """One version of a plan file, the plan it holds (None: the file is absent) and its events since the last."""

    version: Version
    plan: Plan | None
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class PlanHistory:
    path: str  # relative to the plans folder
    steps: tuple[Step, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class History:
    plans: dict[str, PlanHistory]  # by path relative to the plans folder


@dataclass(frozen=True, slots=True)
class PlanDiff:
    id: str
    path: str  # as shown
    account: str
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class Diff:
    old: Snapshot
    new: Snapshot
    plans: tuple[PlanDiff, ...]  # only plans with events, by id


def _prefix(plans_dir: Path, shown_prefix: str | None) -> str:
    return shown_prefix if shown_prefix is not None else plans_dir.as_posix().rstrip("/") + "/"


def _failed(error: Exception) -> NoHistory:
    return NoHistory(f"no history: git could not read it ({error})")


def _plan_history(git: Git, cache: VersionCache, relative: str, shown_as: str, versions: list[Version], sections: Sections) -> PlanHistory:
    # Read newest first: each version then differs in a few lines from one whose sections are read already.
    plans = [cache.plan(git, version, relative, shown_as, sections) for version in reversed(versions)][::-1]
    steps = []
    last: Plan | None = None
    for version, plan in zip(versions, plans):
        steps.append(Step(version, plan, tuple(events(last, plan))))
        if plan is None or plan.readable or last is None:  # a version nothing could be read of: compared past
            last = plan
    return PlanHistory(relative, tuple(steps))


@dataclass(frozen=True, slots=True)
class GitHistory:
    """A plans folder's history as git tells it, before any version is read: each file's versions."""

    repo: Repository
    prefix: str  # plans are shown as `prefix` + their path in the plans folder
    versions: dict[str, list[Version]]  # by path in the plans folder, oldest first

    def versions_of(self, shown_as: str) -> list[Version] | None:
        return self.versions.get(shown_as[len(self.prefix) :]) if shown_as.startswith(self.prefix) else None

    @contextmanager
    def reading(self, cache: VersionCache, order: Iterable[str] = (), least: int = 1) -> Iterator[HistoryReading]:
        """A reading of the versions (see `HistoryReading`), the plans to be added in `order` (by the path they
        are shown as), their blobs from one `git cat-file` process that ends with it; only the plans with at
        least `least` versions are read."""
        with Git(self.repo) as git:
            yield HistoryReading(self, cache, git, order, least)


class HistoryReading:
    """The history read plan by plan as the plans themselves are read (`add`), then the rest (`finish`).

    A plan's older versions are read right after its newest, through the sections that one was read with, and
    those sections then go: the trees of a whole portfolio's versions are never all held. Where git fails, the
    history is that failure (`failed`)."""

    def __init__(self, history: GitHistory, cache: VersionCache, git: Git, order: Iterable[str] = (), least: int = 1) -> None:
        self._history = history
        self.prefix = history.prefix  # plans are shown as `prefix` + their path in the plans folder
        self._cache = cache
        self._git = git
        self._least = least  # a plan with fewer versions is not read
        self._plans: dict[str, PlanHistory] = {}  # by path in the plans folder
        self._order = [shown_as for shown_as in order if self._has_older(history.versions_of(shown_as))]
        self._place = {shown_as: index for index, shown_as in enumerate(self._order)}
        self._asked_up_to = 0  # the plans in order before this one had their older versions' blobs asked for
        self.failed: NoHistory | None = None

    def sections(self, shown_as: str, people: frozenset[str] | None) -> Sections | None:
        """The sections to read the plan shown so through: where it has older versions to read (else kept for nothing)."""
        found = self._history.versions_of(shown_as)
        return Sections(people) if self._has_older(found) else None

    def _has_older(self, found: list[Version] | None) -> bool:
        """Whether a plan with these versions has older versions to read."""
        return found is not None and len(found) > 1 and len(found) >= self._least

    def add(self, shown_as: str, plan: Plan | None, sections: Sections | None, keep: bool = True) -> PlanHistory | None:
        """The history of the plan shown so, its newest version read as `plan` (None: nothing could be read of
        it) through `sections`; None where git has none of it, or failed. Unless kept (for `finish`, and in
        the cache), it is not wanted again: a one-off reading lets the versions' plans go once handed out."""
        found = self._history.versions_of(shown_as)
        if found is None or len(found) < self._least or self.failed is not None:
            return None
        if plan is not None and found[-1].blob is not None:
            self._cache.seed(found[-1].blob, shown_as, plan)  # those very bytes: HEAD's blob, or the working tree's
        relative = shown_as[len(self._history.prefix) :]
        try:
            self._fetch(shown_as, found)
            read = _plan_history(self._git, self._cache, relative, shown_as, found, sections or Sections())
        except (GitError, OSError) as error:
            self.failed = _failed(error)
            return None
        if keep:
            self._plans[relative] = read
        else:
            self._cache.forget(found, shown_as)
        return read

    def _fetch(self, shown_as: str, found: list[Version]) -> None:
        """The blobs of this plan's versions not read yet and, where it comes in order, of the older versions of
        the next few dozen plans: one request to git for them all, and not the whole history's held at once."""
        place = self._place.get(shown_as)
        ahead: list[str] = []
        if place is not None and place >= self._asked_up_to:
            ahead = self._order[place + 1 : place + _PLANS_AHEAD]
            self._asked_up_to = place + _PLANS_AHEAD
        older = (blob for plan in ahead for blob in self._cache.unread(self._history.versions[plan[len(self.prefix) :]][:-1], plan))
        self._git.fetch([*self._cache.unread(found, shown_as), *older])

    def finish(self) -> History | NoHistory:
        """Every file's history: those of the files not added (a plan removed since, say) read now."""
        for relative in sorted(self._history.versions.keys() - self._plans.keys()):
            self.add(self._history.prefix + relative, None, None)
        return self.failed or History({relative: self._plans[relative] for relative in sorted(self._plans)})


_PLANS_AHEAD = 64


def open_history(plans_dir: Path, today: date, *, not_plans: Iterable[str] = (), shown_prefix: str | None = None) -> GitHistory | NoHistory:
    """The plans folder's history as git tells it (one `git log`), `today` dating the working tree's version;
    or why there is none."""
    repo = open_repository(plans_dir, not_plans)
    if isinstance(repo, NoHistory):
        return repo
    try:
        versions = plan_versions(repo, today)
    except (GitError, OSError) as error:
        return _failed(error)
    return GitHistory(repo, _prefix(plans_dir, shown_prefix), versions)


def read_history(
    plans_dir: Path, today: date, cache: VersionCache, *, not_plans: Iterable[str] = (), shown_prefix: str | None = None
) -> History | NoHistory:
    """Every plan file's versions with their events; `today` dates the working tree's version. Plans appear
    as they are shown as `shown_prefix` + their path in the plans folder (default: the plans folder's path)."""
    opened = open_history(plans_dir, today, not_plans=not_plans, shown_prefix=shown_prefix)
    if isinstance(opened, NoHistory):
        return opened
    with opened.reading(cache) as reading:
        return reading.finish()


def _compare(git: Git, cache: VersionCache, old: Snapshot, new: Snapshot, prefix: str, only: Callable[[str], bool]) -> list[PlanDiff]:
    plans = []
    for path in sorted(set(old.files) | set(new.files)):
        if not only(path):
            continue
        before, after = (cache.plan(git, side.files[path], path, prefix + path) if path in side.files else None for side in (old, new))
        found = events(before, after)
        plan = after or before
        if found and plan is not None:
            plans.append(PlanDiff(plan.id, prefix + path, plan.account, tuple(found)))
    return sorted(plans, key=lambda plan: (plan.id, plan.path))


def _snapshot(repo: Repository, rev: str | None, today: date) -> Snapshot:
    return read_worktree(repo, today) if rev is None else read_revision(repo, rev)


def diff(
    plans_dir: Path,
    rev: str,
    rev2: str | None,
    today: date,
    cache: VersionCache,
    *,
    not_plans: Iterable[str] = (),
    shown_prefix: str | None = None,
    only: Callable[[str], bool] = lambda path: True,
) -> Diff | NoHistory:
    """The events between the plans at `rev` and at `rev2` (None: the working tree, dated today); `only`
    picks plans by their path in the plans folder. Raises UnknownRevision for a revision git does not know (in a
    shallow clone, one it does not hold)."""
    repo = open_repository(plans_dir, not_plans, shallow=True)
    if isinstance(repo, NoHistory):
        return repo
    prefix = _prefix(plans_dir, shown_prefix)
    try:
        old, new = _snapshot(repo, rev, today), _snapshot(repo, rev2, today)
        with Git(repo) as git:
            return Diff(old, new, tuple(_compare(git, cache, old, new, prefix, only)))
    except (GitError, OSError) as error:
        return _failed(error)
