"""Where does `planfolio check` spend its time and memory?

    python bench/profile_check.py [--plans 2000] [--dir SITE] [--top 15] [--sort tottime] [--memory]

Runs the in-process check of bench/check_bench.py (core API: find_plans, load_people, load_portfolio,
render as text) over N generated full-size plans under cProfile and prints the top functions, sorted by
`--sort` (default tottime). With --memory it instead runs the check under tracemalloc and prints the source
lines holding the most memory while the loaded portfolio is still alive (what makes the peak RSS).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import sys
import tempfile
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from check_bench import check_in_process, prepare  # noqa: E402
from generate import TODAY  # noqa: E402


def profile_time(plans_dir: Path, people_file: Path, top: int, sort: str) -> None:
    check_in_process(plans_dir, people_file)  # warm up: imports, page cache
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    check_in_process(plans_dir, people_file)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(sort).print_stats(top)
    print(out.getvalue())


def profile_memory(plans_dir: Path, people_file: Path, top: int) -> None:
    from planfolio.core.portfolio import load_portfolio
    from planfolio.core.read.files import find_plans
    from planfolio.core.read.people import load_people
    from planfolio.core.settings import Limits

    people = load_people(people_file)
    sources = find_plans(plans_dir, (), Path.cwd())
    gc.collect()
    tracemalloc.start(1)
    portfolio = load_portfolio(sources, TODAY, Limits(), people)
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    n = len(portfolio.reports)
    print(f"traced memory held by the loaded portfolio of {n:,} plans: {current / 2**20:.1f} MiB "
          f"({current / n / 1024:.1f} KiB a plan); traced peak {peak / 2**20:.1f} MiB")
    snapshot = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    for stat in snapshot.statistics("lineno")[:top]:
        frame = stat.traceback[0]
        print(f"{stat.size / 2**20:8.1f} MiB {stat.count:>9,} blocks  {frame.filename.split('/plugins/')[-1]}:{frame.lineno}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="site folder to generate into / reuse (default: a temporary folder)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="tottime", help="a pstats sort key: tottime, cumulative, ncalls, ...")
    parser.add_argument("--memory", action="store_true", help="tracemalloc instead of cProfile")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planfolio-profile-") as temporary:
        site = (arguments.dir or Path(temporary)).resolve()
        plans_dir, people_file, _seconds = prepare(site, arguments.plans, arguments.seed)
        os.chdir(site)
        if arguments.memory:
            profile_memory(plans_dir, people_file, arguments.top)
        else:
            profile_time(plans_dir, people_file, arguments.top, arguments.sort)
    return 0


if __name__ == "__main__":
    sys.exit(main())
