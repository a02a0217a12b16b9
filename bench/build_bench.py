"""Site build at scale: planfolio against plain MkDocs, in one run, as ratios.

    python bench/build_bench.py [--sizes 100 300 1000] [--serve-size 1000] [--enforce]

For each N, two sites are built in a temporary folder with the same theme and plugins (Material, search,
mermaid2, Mermaid served from the site):

- planfolio: N generated plans (5 CSFs, 10 conditions, 12 obstacles, 24 commitments) with the repository's
  mkdocs.yml: plan pages, the index, the paginated rollups, portfolio.json, CSV and calendar feeds;
- plain: N hand-written Markdown pages of the same size — the goal, a Mermaid diagram of the same plan
  (about 45 nodes, in a ```mermaid fence that mermaid2 renders), a table of its 24 commitments and a
  paragraph of notes — kept out of the navigation, as a plain MkDocs site would do it.

It reports wall time, time per page, the ratio planfolio/plain, peak RSS of each build, the largest HTML
page, and (with --serve-size) how long `mkdocs serve --dirty` takes to show an edit to one plan on its page
and in a rollup. Targets (issue 5): ratio <= 1.0 at N = 1,000, linear growth, no page over 1 MB,
peak RSS <= 1.5x plain, an edit visible within 5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "plugins"))

from generate import TODAY, generate  # noqa: E402

from planfolio.core.derive.diagram import mermaid  # noqa: E402
from planfolio.core.portfolio import read_source  # noqa: E402
from planfolio.core.read.files import PlanSource
from planfolio.core.settings import Limits  # noqa: E402

PLAIN_YML = """\
site_name: Plain portfolio
docs_dir: docs
theme:
  name: material
  font: false
  features: [navigation.instant]
nav:
  - index.md
plugins:
  - search
  - mermaid2:
      javascript: js/mermaid.min.js
      arguments:
        securityLevel: strict
"""


def plain_page(source: Path) -> str:
    """The same plan as a page someone would write by hand."""
    report = read_source(PlanSource(source, source.name), TODAY, Limits(), None)
    assert report.chain is not None
    plan = report.chain.plan
    rows = "\n".join(
        f"| {c.id} | {c.title} | {c.owner} | {c.due} | {c.status} | {', '.join(c.obstacles)} |" for c in plan.commitments
    )
    return (
        f"# {plan.account}\n\n**Goal:** {plan.goal.statement}\n\n"
        f"```mermaid\n{mermaid(report.chain)}```\n\n"
        f"| Id | Commitment | Owner | Due | Status | Overcomes |\n|---|---|---|---|---|---|\n{rows}\n\n"
        f"{plan.notes.strip()}\n"
    )


def make_sites(folder: Path, plans: int) -> tuple[Path, Path]:
    ours = folder / "planfolio"
    sources = generate(ours / "plans", plans)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      people: people.yml\n", f"      people: people.yml\n      today: {TODAY}\n")
    (ours / "mkdocs.yml").write_text(config, encoding="utf-8")
    (ours / "overrides").mkdir()
    (ours / "node_modules").symlink_to(ROOT / "node_modules")

    plain = folder / "plain"
    (plain / "docs" / "js").mkdir(parents=True)
    shutil.copy(ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js", plain / "docs" / "js")
    (plain / "docs" / "index.md").write_text("# Portfolio\n", encoding="utf-8")
    for source in sources:
        (plain / "docs" / source.name).write_text(plain_page(source), encoding="utf-8")
    (plain / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
    return ours, plain


def timed_build(site: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one `mkdocs build`."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=site, env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed in {site}: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return elapsed, usage.ru_maxrss // 1024


def largest_page(site: Path) -> tuple[int, str]:
    return max((page.stat().st_size, str(page.relative_to(site / "site"))) for page in (site / "site").rglob("*.html"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, text: str, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.1)
    return None


def edit_latency(site: Path, edits: int = 3) -> list[tuple[float | None, float | None]]:
    """Seconds from saving an edit to a plan until `mkdocs serve --dirty` shows it on the plan's page and in
    portfolio.json (which holds every commitment; page 1 of a paged rollup may not hold this one), for
    `edits` edits to different plans, one after another in the same server."""
    port = _free_port()
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=site, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    plans = sorted((site / "plans").glob("*.md"))
    results = []
    try:
        if _wait_for(base + f"{plans[0].stem}/", "pf-plan", 900) is None:
            raise SystemExit("mkdocs serve did not come up")
        for plan in plans[:edits]:
            text = plan.read_text(encoding="utf-8")
            first_title = re.search(r"^commitments:\n  - id: (\S+)\n    title: (.+)$", text, re.M)
            assert first_title is not None
            marker = f"Edited {time.time_ns()}"
            start = time.perf_counter()
            plan.write_text(text.replace(first_title.group(0), f"commitments:\n  - id: {first_title.group(1)}\n    title: {marker}", 1), encoding="utf-8")
            on_page = _wait_for(base + f"{plan.stem}/", marker, 120)
            on_page = None if on_page is None else time.perf_counter() - start
            exported = _wait_for(base + "portfolio.json", marker, 120)
            exported = None if exported is None else time.perf_counter() - start
            results.append((on_page, exported))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--serve-size", type=int, default=0, help="measure the edit latency of `mkdocs serve --dirty` at this size")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    arguments = parser.parse_args(argv)
    missed = []
    print(f"{'N':>6} {'planfolio s':>12} {'plain s':>9} {'ratio':>6} {'ms/plan':>8} {'RSS MiB':>8} {'plain RSS':>9} {'RSS ratio':>9}  largest page")
    for size in arguments.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}-") as folder:
            ours, plain = make_sites(Path(folder), size)
            plain_time, plain_rss = timed_build(plain)
            our_time, our_rss = timed_build(ours)
            largest, largest_name = largest_page(ours)
            ratio, rss_ratio = our_time / plain_time, our_rss / plain_rss
            print(f"{size:>6} {our_time:>12.1f} {plain_time:>9.1f} {ratio:>6.2f} {1000 * our_time / size:>8.1f} {our_rss:>8} {plain_rss:>9} {rss_ratio:>9.2f}  {largest / 1e6:.2f} MB {largest_name}")
            if size >= 1000 and ratio > 1.0:
                missed.append(f"build ratio {ratio:.2f} > 1.0 at N={size}")
            if rss_ratio > 1.5:
                missed.append(f"peak RSS ratio {rss_ratio:.2f} > 1.5 at N={size}")
            if largest > 1_000_000:
                missed.append(f"{largest_name} is {largest / 1e6:.2f} MB")
            if size == arguments.serve_size:
                for number, (on_page, exported) in enumerate(edit_latency(ours), 1):
                    if on_page is None or exported is None:
                        print(f"serve --dirty at N={size}, edit {number}: not visible within 120 s")
                        missed.append("edit not visible within 5 s")
                        continue
                    print(f"serve --dirty at N={size}, edit {number}: visible on the plan page after {on_page:.1f} s, in portfolio.json after {exported:.1f} s")
                    if max(on_page, exported) > 5:
                        missed.append(f"edit {number} not visible within 5 s")
    for line in missed:
        print("MISSED:", line)
    return 1 if missed and arguments.enforce else 0


if __name__ == "__main__":
    sys.exit(main())
