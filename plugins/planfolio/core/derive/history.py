"""The plans' history (every version of each, with its events) and the plans at two revisions, compared."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
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

    def has_older(self, shown_as: str) -> bool:
        """Whether the plan shown so has versions before its newest (to be read with the sections of that one)."""
        found = self.versions.get(shown_as[len(self.prefix) :]) if shown_as.startswith(self.prefix) else None
        return found is not None and len(found) > 1

    def read(self, cache: VersionCache, current: Mapping[str, Plan] | None = None, sections: Mapping[str, Sections] | None = None) -> History | NoHistory:
        """Every file's versions read, with their events (see `read_history`)."""
        prefix = self.prefix
        try:
            for path, found in self.versions.items():
                plan = (current or {}).get(prefix + path)
                if plan is not None and found and found[-1].blob is not None:
                    cache.seed(found[-1].blob, prefix + path, plan)
            with Git(self.repo) as git:
                git.fetch(blob for path, found in self.versions.items() for blob in cache.unread(found, prefix + path))
                kept = sections or {}
                plans = {
                    path: _plan_history(git, cache, path, prefix + path, found, kept.get(prefix + path) or Sections())
                    for path, found in sorted(self.versions.items())
                }
        except (GitError, OSError) as error:
            return _failed(error)
        return History(plans)


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
    plans_dir: Path,
    today: date,
    cache: VersionCache,
    *,
    not_plans: Iterable[str] = (),
    shown_prefix: str | None = None,
    current: Mapping[str, Plan] | None = None,
    sections: Mapping[str, Sections] | None = None,
) -> History | NoHistory:
    """Every plan file's versions with their events; `today` dates the working tree's version. Plans appear
    as they are shown as `shown_prefix` + their path in the plans folder (default: the plans folder's path).
    `current` holds plans just read from their files, by the path they are shown as: a file's newest version
    is those very bytes (HEAD's blob, or the working tree's where it differs), so it is not parsed again.
    Each file's versions are read through its `sections`, by the path it is shown as (given the sections read
    with `current`, most are found there)."""
    opened = open_history(plans_dir, today, not_plans=not_plans, shown_prefix=shown_prefix)
    return opened if isinstance(opened, NoHistory) else opened.read(cache, current, sections)


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
    picks plans by their path in the plans folder. Raises UnknownRevision for a revision git does not know."""
    repo = open_repository(plans_dir, not_plans)
    if isinstance(repo, NoHistory):
        return repo
    prefix = _prefix(plans_dir, shown_prefix)
    try:
        old, new = _snapshot(repo, rev, today), _snapshot(repo, rev2, today)
        with Git(repo) as git:
            return Diff(old, new, tuple(_compare(git, cache, old, new, prefix, only)))
    except (GitError, OSError) as error:
        return _failed(error)
