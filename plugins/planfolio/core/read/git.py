"""Versions of the plan files, read from git in one pass.

One `git log --first-parent --raw -z` over the plans folder lists every version of every plan file, and one
long-lived `git cat-file --batch` process hands out the blobs: thousands of versions read in well under a second.
A `git log` per file costs ~20 ms each (20 s for 1,000 plans), and GitPython leaves `git cat-file` processes
behind (GitPython#1208), which a long `mkdocs serve` cannot afford (docs: FIELD-NOTES, "git history at scale").

A plan is followed by its path, with rename detection off (`--no-renames`, whatever the user's git config
says): a renamed file is a new plan id, so a rename shows as the old plan removed and the new one added.
A plan removed and added again at the same path keeps its whole history, the removal included.
Only regular files are plan versions: a symlink or submodule at a plan's path is no version of it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from .files import find_plans, is_plan_file

SHALLOW_REASON = (
    "no history: the repository is a shallow clone (only its latest commits), so planfolio shows no changes,"
    " slips or review dates; fetch the whole history with `git fetch --unshallow`"
    " (in GitHub Actions: `actions/checkout` with `fetch-depth: 0`)"
)
NO_GIT_REASON = "no history: the `git` command is not installed (or not on the PATH), so planfolio shows no changes, slips or review dates"
# git refuses a work tree another user owns (as in a container where the checkout is not the user's own).
NOT_TRUSTED_REASON = (
    "no history: git does not trust the repository at {top}, which another user owns, so planfolio shows no changes,"
    " slips or review dates; trust it with `git config --global --add safe.directory {top}`"
)


@dataclass(frozen=True, slots=True)
class NoHistory:
    """Why there is no history: one info line in the author's words."""

    reason: str


class GitError(Exception):
    """git failed where it should not (a damaged repository, a missing object)."""


class UnknownRevision(Exception):
    """A revision given for `planfolio diff` that git does not know as a commit."""

    def __init__(self, rev: str, shallow: bool = False) -> None:
        where = "this clone, which is shallow (only its latest commits): fetch the history with `git fetch --unshallow`" if shallow else "this repository"
        super().__init__(f"unknown revision {rev!r}: not a commit in {where}")
        self.rev = rev


@dataclass(frozen=True, slots=True)
class Repository:
    git: str  # the git executable
    top: Path  # the work tree's top folder
    git_dir: Path  # its git folder (`.git`, or where a linked work tree's is)
    folder: str  # the plans folder's path in the repository: "" or ending in "/"
    plans_dir: Path
    not_plans: tuple[str, ...] = ()
    shallow: bool = False  # a shallow clone: only its latest commits are there

    def is_plan(self, repo_path: str) -> bool:
        """Whether a path in the repository is a plan file of the plans folder (as `check` decides)."""
        return repo_path.startswith(self.folder) and is_plan_file(repo_path[len(self.folder) :], self.not_plans)


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a plan file: its blob, or None where the file is absent (removed) in this version."""

    date: date
    blob: str | None
    commit: str | None = None  # None: the working tree, not committed
    author: str | None = None
    data: bytes | None = field(default=None, repr=False, compare=False)  # a working-tree version's bytes

    @property
    def uncommitted(self) -> bool:
        return self.commit is None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The plan files at one revision (or in the working tree), by path relative to the plans folder."""

    rev: str | None  # as the user wrote it; None for the working tree
    commit: str | None
    files: dict[str, Version]


# Ids asked of `git cat-file --batch` before reading its answers: they fit in the pipe to git (64 KiB) while git,
# its answers not read yet, waits to write them.
_GROUP = 256


def _run(repo_git: str, top: Path, *args: str) -> bytes:
    # Literal pathspecs: a plans folder named `[x]` or `*` is that folder, not a pattern.
    environment = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_OPTIONAL_LOCKS": "0"}
    result = subprocess.run([repo_git, "-C", str(top), *args], capture_output=True, env=environment)
    if result.returncode != 0:
        raise GitError(os.fsdecode(result.stderr).strip() or f"git {args[0]} failed")
    return result.stdout


_DUBIOUS = re.compile(r"detected dubious ownership in repository at '([^'\n]*)'")


def open_repository(plans_dir: Path, not_plans: Iterable[str] = (), shallow: bool = False) -> Repository | NoHistory:
    """The git work tree the plans folder is in, or why there is no history to read; a shallow clone only where
    `shallow` is allowed (a diff needs only the revisions it names)."""
    git = shutil.which("git")
    if git is None:
        return NoHistory(NO_GIT_REASON)
    not_in = NoHistory(f"no history: {plans_dir.as_posix()} is not in a git work tree, so planfolio shows no changes, slips or review dates")
    if not plans_dir.is_dir():
        return not_in
    try:
        out = _run(git, plans_dir, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-toplevel", "--absolute-git-dir", "--show-prefix")
    except GitError as error:
        owned = _DUBIOUS.search(str(error))
        if owned is None:
            return not_in
        top = owned.group(1)  # a path to paste into the shell: quoted for it, and only a printable one
        return NoHistory(NOT_TRUSTED_REASON.format(top=shlex.quote(top) if top.isprintable() else "PATH"))
    lines = os.fsdecode(out).split("\n")
    if lines[0] != "true":
        return not_in
    if lines[1] == "true" and not shallow:
        return NoHistory(SHALLOW_REASON)
    return Repository(git, Path(lines[2]), Path(lines[3]), lines[4], plans_dir, tuple(not_plans), lines[1] == "true")


def head_log_folder(plans_dir: Path) -> Path | None:
    """The folder of the log git appends to on every commit, checkout or reset of the plans folder's work tree
    (`logs/` in the git folder), where there is one: watching it sees history move when no file does."""
    repo = open_repository(plans_dir)
    if isinstance(repo, NoHistory):
        return None
    folder = repo.git_dir / "logs"
    return folder if folder.is_dir() else None


class Git:
    """One session of reading blobs: a single `git cat-file --batch` process, ended by `close` (or `with`)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._process: subprocess.Popen[bytes] | None = None
        self._fetched: dict[str, bytes] = {}

    def fetch(self, blob_ids: Iterable[str]) -> None:
        """Read these blobs, asking git for them a group at a time (asked one at a time, each blob costs a round
        trip); `blob` then hands them out. Ask for what is read next: the blobs fetched are held till then."""
        wanted = [blob_id for blob_id in dict.fromkeys(blob_ids) if blob_id not in self._fetched]
        for first in range(0, len(wanted), _GROUP):
            group = wanted[first : first + _GROUP]
            stdin, stdout = self._pipes()
            stdin.write("".join(f"{blob_id}\n" for blob_id in group).encode("ascii"))
            stdin.flush()
            for blob_id in group:
                header = stdout.readline().split()
                if len(header) != 3 or header[1] != b"blob":
                    raise GitError(f"git cat-file: no blob {blob_id}")
                self._fetched[blob_id] = stdout.read(int(header[2]) + 1)[:-1]  # the content, then a newline

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._process is None:  # started on first use: a read where every blob is cached starts none
            environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
            command = [self.repo.git, "-C", str(self.repo.top), "cat-file", "--batch"]
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
        assert self._process.stdin is not None and self._process.stdout is not None
        return self._process.stdin, self._process.stdout

    def __enter__(self) -> Git:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._process is not None:
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.close()  # cat-file ends at the end of its input
            self._process.stdout.read()  # the answers left unread after an error, which git waits to write
            self._process.wait()
            self._process.stdout.close()
            self._process = None

    def blob(self, blob_id: str) -> bytes:
        if blob_id not in self._fetched:
            self.fetch([blob_id])
        return self._fetched.pop(blob_id)

    def load(self, version: Version) -> bytes:
        if version.data is not None:
            return version.data
        assert version.blob is not None, "a removed version has no content"
        return self.blob(version.blob)


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (SHA-1): a working-tree version, once committed, is a cache hit."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _utc_date(timestamp: bytes) -> date:
    return datetime.fromtimestamp(int(timestamp), tz=UTC).date()


def _entry(raw: bytes) -> tuple[str | None, bool]:
    """A `--raw` entry's new blob (None: no regular file there now) and whether either side is a regular file."""
    _old_mode, new_mode, _old, new, _status = raw.lstrip(b"\n:").split(b" ")
    regular = new_mode.startswith(b"100")
    blob = new.decode("ascii") if regular and new.decode("ascii").strip("0") else None
    return blob, regular or _old_mode.startswith(b"100")


def _log(repo: Repository) -> Iterator[tuple[Version, str]]:
    """(version, path in the repository) of every change to a plan file, newest first."""
    try:
        _run(repo.git, repo.top, "rev-parse", "--verify", "--quiet", "HEAD")
    except GitError:
        return  # no commit yet: the working tree is all there is
    args = ["log", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev", "--no-renames", "-z"]
    args += ["--format=%x01%H%x00%ct%x00%an%x00", "HEAD", "--", repo.folder or "."]
    tokens = iter(_run(repo.git, repo.top, *args).split(b"\0"))
    commit, when, author = "", date.min, ""
    for token in tokens:
        if token.startswith(b"\x01"):
            # An author's name that is not UTF-8 is shown with replacement characters, never as raw bytes.
            commit, when, author = token[1:].decode("ascii"), _utc_date(next(tokens)), next(tokens).decode("utf-8", "replace")
        elif token.lstrip(b"\n").startswith(b":"):
            path = os.fsdecode(next(tokens))
            blob, regular = _entry(token)
            if regular and repo.is_plan(path):
                yield Version(when, blob, commit, author), path


def _worktree_changes(repo: Repository, today: date) -> Iterator[tuple[str, Version]]:
    """The plan files whose working-tree state differs from HEAD (edited, added, deleted), as uncommitted versions."""
    out = _run(repo.git, repo.top, "status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=all", "--", repo.folder or ".")
    for entry in out.split(b"\0"):
        path = os.fsdecode(entry[3:])
        if not entry or not repo.is_plan(path):
            continue
        file = repo.top / path
        if file.is_file() and not file.is_symlink():
            data = file.read_bytes()
            yield path, Version(today, blob_id(data), data=data)
        elif not file.exists():
            yield path, Version(today, None)


def plan_versions(repo: Repository, today: date) -> dict[str, list[Version]]:
    """Every version of every plan file, oldest first, by path relative to the plans folder; the working
    tree, where it differs from HEAD, last (dated today)."""
    versions: dict[str, list[Version]] = {}
    for version, path in _log(repo):
        versions.setdefault(path[len(repo.folder) :], []).append(version)
    for history in versions.values():
        history.reverse()
    for path, version in _worktree_changes(repo, today):
        history = versions.setdefault(path[len(repo.folder) :], [])
        if history and history[-1].blob == version.blob:  # staged, then put back as it was: no new version
            continue
        if history or version.blob is not None:  # added to the index, then deleted: never a version
            history.append(version)
    return versions


def is_revision(plans_dir: Path, text: str) -> bool:
    """Whether git, in the plans folder's repository (a shallow clone too), knows `text` as a commit."""
    repo = open_repository(plans_dir, shallow=True)
    if isinstance(repo, NoHistory) or text.startswith("-"):
        return False
    result = subprocess.run([repo.git, "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}"], cwd=repo.top, capture_output=True)
    return result.returncode == 0


def read_revision(repo: Repository, rev: str) -> Snapshot:
    """The plan files at a revision (`origin/main`, `HEAD~3`, a commit id); UnknownRevision if git knows none."""
    if rev.startswith("-"):  # never an option to git
        raise UnknownRevision(rev, repo.shallow)
    try:
        commit = os.fsdecode(_run(repo.git, repo.top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")).strip()
    except GitError:
        raise UnknownRevision(rev, repo.shallow) from None
    when = _utc_date(_run(repo.git, repo.top, "show", "-s", "--format=%ct", commit).strip())
    out = _run(repo.git, repo.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", repo.folder or ".")
    files = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        info, name = entry.split(b"\t", 1)
        mode, _kind, blob = info.decode("ascii").split(" ")
        path = os.fsdecode(name)
        if mode.startswith("100") and repo.is_plan(path):
            files[path[len(repo.folder) :]] = Version(when, blob, commit)
    return Snapshot(rev, commit, files)


def read_worktree(repo: Repository, today: date) -> Snapshot:
    """The plan files of the working tree, found as `check` finds them, dated today."""
    files = {}
    for source in find_plans(repo.plans_dir, repo.not_plans):
        try:
            data = source.file.read_bytes()
        except OSError:
            continue  # `check` reports it; the diff has nothing to compare
        files[source.file.relative_to(repo.plans_dir).as_posix()] = Version(today, blob_id(data), data=data)
    return Snapshot(None, None, files)
