"""Where a site build spends its time or memory: cProfile or tracemalloc around an in-process `mkdocs build`.

    python bench/profile_build.py --plans 300                 # cProfile of a full build, by cumulative time
    python bench/profile_build.py --plans 1000 --dirty        # cProfile of a `serve --dirty` rebuild after one edit
    python bench/profile_build.py --plans 1000 --memory       # tracemalloc: what is held before pages are written, and at the end

The site is build_bench.py's planfolio site of N generated plans, made in `--dir` (a temporary folder
unless given; an existing one is reused).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import make_sites  # noqa: E402
from mkdocs.commands import build as build_module  # noqa: E402
from mkdocs.commands.build import _build_page, build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402


def _memory_report(label: str, top: int) -> None:
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    print(f"--- {label}: {current / 2**20:.1f} MiB held, peak so far {peak / 2**20:.1f} MiB")
    for stat in tracemalloc.take_snapshot().statistics("lineno")[:top]:
        print(f"{stat.size / 2**20:8.1f} MiB {stat.count:9d}  {stat.traceback.format()[-1].strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--dir", type=Path, help="where to make (or find) the site")
    parser.add_argument("--dirty", action="store_true", help="profile a `serve --dirty` rebuild after an edit to one plan")
    parser.add_argument("--memory", action="store_true", help="tracemalloc instead of cProfile")
    parser.add_argument("--top", type=int, default=30)
    arguments = parser.parse_args(argv)

    folder = arguments.dir or Path(tempfile.mkdtemp(prefix=f"profile-{arguments.plans}-"))
    if not (folder / "planfolio").is_dir():
        make_sites(folder, arguments.plans)
    site = folder / "planfolio"
    os.chdir(site)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config("mkdocs.yml", site_dir=str(folder / "profiled-site"))
    config.plugins.on_startup(command="serve" if arguments.dirty else "build", dirty=arguments.dirty)
    if arguments.dirty:  # the first build of a serve session, then one edit
        build(config, dirty=True)
        plan = sorted((site / "plans").glob("*.md"))[0]
        plan.write_text(plan.read_text(encoding="utf-8").replace("    title: ", "    title: Edited ", 1), encoding="utf-8")

    if arguments.memory:
        tracemalloc.start()
        first_page = []

        def reporting_build_page(*args, **kwargs):  # type: ignore[no-untyped-def]  # MkDocs writes the first page
            if not first_page:
                first_page.append(True)
                _memory_report("every page converted, none written yet", arguments.top)
            return _build_page(*args, **kwargs)

        build_module._build_page = reporting_build_page
        build(config, dirty=arguments.dirty)
        _memory_report("end of the build", arguments.top)
        return 0

    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(build, config, dirty=arguments.dirty)
    print(f"build: {time.perf_counter() - start:.1f} s under cProfile")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(arguments.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
