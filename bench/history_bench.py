"""How much does reading the plans' history cost `planfolio check` and `mkdocs build`?

    python bench/history_bench.py [--plans 1000] [--commits 300] [--per-commit 5] [--repeat 3] [--build] [--dir REPO] [--slip-limit N]

Builds a git repository (a temporary folder unless --dir is given) with N full-size plans (bench/generate.py)
in `plans/`, committed once, then `--commits` dated commits that each move a commitment's `due` or hand it to
another owner in `--per-commit` plans; the repository is packed (`git gc`), as a clone is. Beside it, the
same tree without `.git`. Then, in `--repeat` rounds, each command in both trees one after the other (so a
drift of the shared machine's speed hits both alike), and prints the medians of the CPU seconds of each (the
command and the git processes it starts) and of the ratio with `.git` / without, round by round:

- `planfolio check --today 2026-11-28 plans` (target: ratio <= 1.5), with the site's `slip_limit` (default 2;
  check reads the history only of plans with more versions than that: `--slip-limit 1` reads every plan that
  has an older version);
- with --build, `mkdocs build` (target: ratio <= 1.25);
- in-process, `read_history` with a warm VersionCache: what a `mkdocs serve` rebuild reads (no version parsed).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "plugins"))

from generate import PEOPLE, TODAY, generate  # noqa: E402

from planfolio.core.derive.history import read_history  # noqa: E402
from planfolio.core.read.versions import VersionCache  # noqa: E402

_DUE = re.compile(r"^    due: (\d{4}-\d{2}-\d{2})$", re.M)
_OWNER = re.compile(r"^    owner: .*$", re.M)


def _git(repo: Path, *args: str, day: date = TODAY) -> None:
    stamp = f"{day.isoformat()}T12:00:00+00:00"
    environment = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_GLOBAL": os.devnull}
    environment |= {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
    subprocess.run(["git", *args], cwd=repo, env=environment, check=True, capture_output=True)


def _edit(text: str, rng: random.Random) -> str:
    """One realistic edit: a commitment's due moved (mostly later), or the commitment handed to someone else."""
    if rng.random() < 0.7:
        dues = list(_DUE.finditer(text))
        match = rng.choice(dues)
        moved = date.fromisoformat(match.group(1)) + timedelta(days=rng.choice((-7, 14, 21, 30, 45)))
        return text[: match.start(1)] + moved.isoformat() + text[match.end(1) :]
    owners = list(_OWNER.finditer(text))
    match = rng.choice(owners)
    other = rng.choice([person for person in PEOPLE if f"    owner: {person}" != match.group()])  # a real change
    return text[: match.start()] + f"    owner: {other}" + text[match.end() :]


def build_repo(repo: Path, plans: int, commits: int, per_commit: int, seed: int = 1) -> None:
    """The plans committed once, then `commits` dated commits of `per_commit` edited plans each."""
    files = generate(repo / "plans", plans, seed)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    start = TODAY - timedelta(days=commits)
    _git(repo, "commit", "-q", "-m", "the portfolio", day=start)
    rng = random.Random(seed)
    for number in range(commits):
        chosen = rng.sample(files, per_commit)
        for file in chosen:
            file.write_text(_edit(file.read_text(encoding="utf-8"), rng), encoding="utf-8")
        _git(repo, "add", "--", *(str(file) for file in chosen))
        _git(repo, "commit", "-q", "-m", f"edit {number}", day=start + timedelta(days=number + 1))
    _git(repo, "gc", "-q")  # a clone's objects are packed; loose ones cost a file each to read


def _cpu_seconds(command: list[str], folder: Path) -> float:
    """The CPU seconds (user and system) of one run of `command` in `folder` and of the processes it starts."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=folder, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _without_git(repo: Path) -> Path:
    """The same tree without `.git`, beside the repository (made once)."""
    copy = repo.with_name(repo.name + "-without-git")
    if not copy.is_dir():
        shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"), symlinks=True)
    return copy


def _site(repo: Path, slip_limit: int | None) -> None:
    """The repository's mkdocs.yml with today pinned (and the slip limit, where given), beside the plans (a site
    to build); the copy without `.git` gets it too."""
    config = (BENCH.parent / "mkdocs.yml").read_text(encoding="utf-8")
    options = f"      today: {TODAY}\n" + (f"      slip_limit: {slip_limit}\n" if slip_limit is not None else "")
    (repo / "mkdocs.yml").write_text(config.replace("      people: people.yml\n", "      people: people.yml\n" + options), encoding="utf-8")
    (repo / "overrides").mkdir(exist_ok=True)
    if not (repo / "node_modules").exists():
        (repo / "node_modules").symlink_to(BENCH.parent / "node_modules")


def _compare(name: str, command: list[str], repo: Path, copy: Path, repeat: int, target: float) -> None:
    rounds = [(_cpu_seconds(command, repo), _cpu_seconds(command, copy)) for _ in range(repeat)]
    with_git, without = statistics.median(a for a, _b in rounds), statistics.median(b for _a, b in rounds)
    ratio = statistics.median(a / b for a, b in rounds)
    print(f"{name:16} with .git {with_git:6.2f} s CPU, without {without:6.2f} s: ratio {ratio:4.2f} (target <= {target})")


def _warm_history(repo: Path, repeat: int) -> None:
    plans_dir = repo / "plans"
    cache = VersionCache()
    read_history(plans_dir, TODAY, cache)
    began = time.process_time()
    for _ in range(repeat):
        read_history(plans_dir, TODAY, cache)
    print(f"history, warm cache: {(time.process_time() - began) / repeat:6.2f} s CPU in-process (the first read parsed {cache.parsed} versions)")


def measure(repo: Path, repeat: int, build: bool, slip_limit: int | None = None) -> None:
    _site(repo, slip_limit)
    copy = _without_git(repo)
    shutil.copyfile(repo / "mkdocs.yml", copy / "mkdocs.yml")  # a copy made before has the config of then
    planfolio = str(Path(sys.executable).with_name("planfolio"))
    _compare("planfolio check", [planfolio, "check", "--today", TODAY.isoformat(), "plans"], repo, copy, repeat, 1.5)
    if build:
        mkdocs = str(Path(sys.executable).with_name("mkdocs"))
        _compare("mkdocs build", [mkdocs, "build", "-q"], repo, copy, repeat, 1.25)  # into each tree's site/
    _warm_history(repo, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--per-commit", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="also compare `mkdocs build` (minutes at 1,000 plans)")
    parser.add_argument("--dir", type=Path, help="build the repository here (reused when it has a plans/ folder)")
    parser.add_argument("--slip-limit", type=int, help="the site's slip_limit (check reads the history of plans with more versions)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        repo = options.dir or Path(scratch) / "portfolio"  # the copy without .git goes beside it
        if not (repo / "plans").is_dir():
            began = time.perf_counter()
            build_repo(repo, options.plans, options.commits, options.per_commit)
            print(f"built the repository in {time.perf_counter() - began:.1f} s")
        measure(repo, options.repeat, options.build, options.slip_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
