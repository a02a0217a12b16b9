"""How much does reading the plans' history cost, against reading the plans alone?

    python bench/history_bench.py [--plans 1000] [--commits 300] [--per-commit 5] [--repeat 3] [--dir REPO]

Builds a git repository (a temporary folder unless --dir is given) with N full-size plans (bench/generate.py)
in `plans/`, committed once, then `--commits` dated commits that each move a commitment's `due` or hand it to
another owner in `--per-commit` plans. Then measures, best of `--repeat` wall times (history runs git
subprocesses, which CPU time of this process would not see):

- check without history: `check_files` of every plan file, as `planfolio check` runs it outside git;
- check with history, cold: the same with the history read into a new VersionCache, as `check` runs it in
  git: every older version parsed (through the sections read with the files);
- history, warm: `read_history` again with the same cache - a `mkdocs serve` rebuild, no version parsed;

and prints each with its ratio to the check without history, in one run. The repository is packed (`git gc`), as a clone is.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "plugins"))

from generate import PEOPLE, TODAY, generate  # noqa: E402

from planfolio.core.derive.history import read_history
from planfolio.core.portfolio import PortfolioHistory, check_files, history_reader  # noqa: E402
from planfolio.core.read.files import find_plans
from planfolio.core.read.versions import VersionCache  # noqa: E402
from planfolio.core.settings import Limits  # noqa: E402

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
    return text[: match.start()] + f"    owner: {rng.choice(PEOPLE)}" + text[match.end() :]


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


def _best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def _check(plans_dir: Path, cache: VersionCache | None) -> PortfolioHistory | None:
    """`check_files` as `planfolio check` runs it, with the history read into `cache` (None: without history)."""
    sources = find_plans(plans_dir, ())
    prefix = sources[0].shown_as.rsplit("/", 1)[0] + "/"
    history = history_reader(plans_dir, TODAY, cache, (), prefix) if cache is not None else None
    return check_files(sources, TODAY, Limits(), None, history)[1]


def measure(repo: Path, repeat: int) -> None:
    plans_dir = repo / "plans"
    reader = _best(repeat, lambda: _check(plans_dir, None))
    cold = _best(repeat, lambda: _check(plans_dir, VersionCache()))
    warm_cache = VersionCache()
    found = _check(plans_dir, warm_cache)
    assert found is not None and not found.missing, found
    warm = _best(repeat, lambda: read_history(plans_dir, TODAY, warm_cache))
    print(f"{len(found.plans)} plans with history, {warm_cache.parsed} older versions parsed once")
    print(f"check without history:     {reader:7.3f} s")
    print(f"check with history, cold:  {cold:7.3f} s   {cold / reader:5.2f} x without")
    print(f"history, warm cache:       {warm:7.3f} s   {warm / reader:5.2f} x the check without")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--per-commit", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="build the repository here (reused when it has a plans/ folder)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        repo = options.dir or Path(scratch)
        if not (repo / "plans").is_dir():
            began = time.perf_counter()
            build_repo(repo, options.plans, options.commits, options.per_commit)
            print(f"built the repository in {time.perf_counter() - began:.1f} s")
        measure(repo, options.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
