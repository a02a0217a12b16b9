"""How fast and how lean is `planfolio check`, against the least any checker must do?

    python bench/check_bench.py [--plans 10000] [--repeat 3] [--seed 1] [--dir SITE] [--enforce]

Generates N full-size plans (bench/generate.py) into SITE/plans with SITE/people.yml (a temporary folder
unless --dir is given; an existing SITE/plans with exactly N plans is reused), then measures, each
`--repeat` times in interleaved rounds, keeping the best wall time and the best CPU time:

- baseline: for every plan file, read it, split off the front matter (the text between the first two `---`
  lines) and `yaml.load(..., Loader=yaml.CSafeLoader)` it - the floor for any YAML front-matter checker;
- check, in-process: what `planfolio check PLANS --people people.yml --today 2026-11-28` does, through the
  core API (find_plans, load_people, check_files, render as text into a StringIO);
- check, subprocess: the `planfolio check` command itself, stdout to /dev/null (includes start-up);
- for context: the baseline in a subprocess (`python -c`), and `planfolio check` of a single plan (start-up).

Also: the peak memory (VmHWM) of a `planfolio check` subprocess, and whether `mkdocs`
is in `sys.modules` after a check run in a fresh interpreter.

Targets: check / baseline <= 1.5 in CPU time (in-process, and subprocess against the subprocess baseline),
peak RSS < 200 MB, no `mkdocs` import. The ratios use CPU time (process_time in-process, ru_utime + ru_stime
of a child) because on a shared machine wall time swings with other jobs; both are single-threaded, so on an
idle machine CPU and wall time agree. Wall-time ratios are printed too. With --enforce the exit status is 1 when a target is missed (and 2 when the
check itself does not pass on the generated portfolio).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import TODAY, generate  # noqa: E402

RATIO_TARGET = 1.5
RSS_TARGET_MB = 200


# -- what is measured ---------------------------------------------------------------------------------


def baseline(plans_dir: Path) -> int:
    """Read every plan file, split off its front matter and load it with libyaml. Returns the plan count."""
    count = 0
    for path in sorted(plans_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        start = text.index("\n") + 1  # after the first `---` line
        end = text.index("\n---\n", start - 1)
        yaml.load(text[start : end + 1], Loader=yaml.CSafeLoader)
        count += 1
    return count


def check_in_process(plans_dir: Path, people_file: Path) -> tuple[int, int, str]:
    """The core-API equivalent of `planfolio check PLANS --people FILE --today 2026-11-28` (text format).

    Returns (exit status, number of findings, output).
    """
    from planfolio.core.findings import Severity
    from planfolio.core.portfolio import check_files
    from planfolio.core.publish.report import render
    from planfolio.core.read.files import find_plans
    from planfolio.core.read.people import load_people
    from planfolio.core.settings import Limits

    people = load_people(people_file)
    sources = find_plans(plans_dir, (), Path.cwd())
    findings, _history = check_files(sources, TODAY, Limits(), people)
    out = io.StringIO()
    out.write(render(findings, "text"))
    status = 1 if any(finding.severity is Severity.ERROR for finding in findings) else 0
    return status, len(findings), out.getvalue()


def planfolio_command() -> str:
    beside = Path(sys.executable).with_name("planfolio")
    return str(beside) if beside.exists() else (shutil.which("planfolio") or "planfolio")


def run_child(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run a command with stdout to /dev/null: (wall s, CPU s, exit status) of that child."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _pid, wait_status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    return elapsed, usage.ru_utime + usage.ru_stime, process.returncode


_IMPORT_PROBE = """
import contextlib, json, os, resource, sys
from planfolio.cli import main
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    status = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material", "jinja2", "markdown", "mermaid2"))
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so a child of this big benchmark
# process would report the benchmark's own peak. VmHWM belongs to the memory of the program exec'd.
with open("/proc/self/status") as status_file:
    hwm = next(int(line.split()[1]) for line in status_file if line.startswith("VmHWM:"))
print(json.dumps({"status": status, "mkdocs": "mkdocs" in sys.modules, "heavy": heavy, "maxrss_kib": hwm}))
"""


# -- the run ------------------------------------------------------------------------------------------


def code_version() -> str:
    """The commit of the planfolio sources measured, with `+dirty` when plugins/ has uncommitted changes."""
    repo = BENCH.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "plugins"], cwd=repo, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (commit or "unknown") + ("+dirty" if dirty else "")


def prepare(site: Path, plans: int, seed: int) -> tuple[Path, Path, float | None]:
    plans_dir, people_file = site / "plans", site / "people.yml"
    if plans_dir.is_dir() and people_file.is_file() and sum(1 for _ in plans_dir.glob("*.md")) == plans:
        return plans_dir, people_file, None
    started = time.perf_counter()
    generate(plans_dir, plans, seed, clean=True)
    return plans_dir, people_file, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="site folder to generate into / reuse (default: a temporary folder)")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    arguments = parser.parse_args(argv)

    temporary = None
    if arguments.dir is None:
        temporary = tempfile.TemporaryDirectory(prefix="planfolio-bench-")
        site = Path(temporary.name)
    else:
        site = arguments.dir.resolve()
    try:
        return _run(site, arguments)
    finally:
        if temporary is not None:
            temporary.cleanup()


def _run(site: Path, arguments: argparse.Namespace) -> int:
    plans_dir, people_file, generated_in = prepare(site, arguments.plans, arguments.seed)
    n = arguments.plans
    total_bytes = sum(path.stat().st_size for path in plans_dir.glob("*.md"))
    print(
        f"planfolio check benchmark: {n:,} plans of {total_bytes / n / 1024:.1f} KiB"
        f" ({f'generated in {generated_in:.1f} s' if generated_in is not None else 'reused'}) in {site}"
    )
    print(f"planfolio at {code_version()}; Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml {yaml.__with_libyaml__}), "
          f"{os.cpu_count()} CPUs, best of {arguments.repeat}")

    single = site / "single"
    single.mkdir(exist_ok=True)
    first = sorted(plans_dir.glob("*.md"))[0]
    shutil.copyfile(first, single / first.name)

    cli = planfolio_command()
    check_command = [cli, "check", "plans", "--people", "people.yml", "--today", TODAY.isoformat()]
    single_command = [cli, "check", "single", "--people", "people.yml", "--today", TODAY.isoformat()]
    baseline_command = [
        sys.executable, "-c",
        f"import sys; sys.path.insert(0, {str(BENCH)!r}); from pathlib import Path; import check_bench; "
        f"check_bench.baseline(Path('plans'))",
    ]

    previous = Path.cwd()
    os.chdir(site)  # as a CI job would run it: paths in findings relative to the site
    try:
        baseline(plans_dir)  # warm the page cache and the imports
        status, findings, _output = check_in_process(plans_dir, people_file)
        if status != 0:
            print(f"planfolio check fails on the generated portfolio (exit {status}): fix the generator or the checker")
            return 2
        # (wall seconds, CPU seconds) of each run; CPU time is what the targets use (see the module docs)
        times: dict[str, list[tuple[float, float]]] = {key: [] for key in ("baseline", "inproc", "subproc", "base_sub", "single")}

        def in_process(key: str, function, *args) -> None:
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            function(*args)
            times[key].append((time.perf_counter() - wall, time.process_time() - cpu))
            gc.collect()

        def child(key: str, command: list[str]) -> None:
            wall, cpu, code = run_child(command, site)
            if code != 0:
                print(f"{' '.join(command)} exited {code}")
                raise SystemExit(2)
            times[key].append((wall, cpu))

        for _round in range(arguments.repeat):
            in_process("baseline", baseline, plans_dir)
            in_process("inproc", check_in_process, plans_dir, people_file)
            child("subproc", check_command)
            child("base_sub", baseline_command)
            child("single", single_command)

        probe = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE, "check", "plans", "--people", "people.yml", "--today", TODAY.isoformat()],
            cwd=site, capture_output=True, text=True, check=True,
        )
        imports = json.loads(probe.stdout)
    finally:
        os.chdir(previous)

    wall = {key: min(value[0] for value in values) for key, values in times.items()}
    cpu = {key: min(value[1] for value in values) for key, values in times.items()}
    ratio_inproc = cpu["inproc"] / cpu["baseline"]
    ratio_subproc = cpu["subproc"] / cpu["base_sub"]
    peak_mb = imports["maxrss_kib"] / 1024  # the probe's own peak (VmHWM); wait4's would include ours

    rows = [
        ("baseline: read + split + CSafeLoader (in-process)", "baseline", "baseline"),
        ("planfolio check, in-process (core API)", "inproc", "baseline"),
        ("planfolio check, subprocess", "subproc", "base_sub"),
        ("baseline, subprocess (python -c)", "base_sub", "base_sub"),
        ("planfolio check of 1 plan, subprocess (start-up)", "single", None),
    ]
    print()
    print(f"| {'measurement':<50} | {'CPU s':>7} | {'wall s':>7} | {'CPU ms/plan':>11} | {'÷ baseline CPU':>14} | {'÷ baseline wall':>15} |")
    print(f"|{'-' * 52}|{'-' * 9}|{'-' * 9}|{'-' * 13}|{'-' * 16}|{'-' * 17}|")
    for name, key, against in rows:
        per_plan = f"{cpu[key] / n * 1000:.3f}" if against else "-"
        cpu_ratio = f"{cpu[key] / cpu[against]:.2f}" if against else "-"
        wall_ratio = f"{wall[key] / wall[against]:.2f}" if against else "-"
        print(f"| {name:<50} | {cpu[key]:>7.3f} | {wall[key]:>7.3f} | {per_plan:>11} | {cpu_ratio:>14} | {wall_ratio:>15} |")
    print("(best of each column; subprocess rows are divided by the subprocess baseline)")
    print()
    print("all runs, wall/CPU s: " + "; ".join(
        f"{key} " + ", ".join(f"{w:.2f}/{c:.2f}" for w, c in values) for key, values in times.items()
    ))
    print(f"findings reported: {findings:,} (exit 0: no errors in the generated portfolio)")
    print()

    verdicts = [
        (f"check/baseline CPU time, in-process {ratio_inproc:.2f}", ratio_inproc <= RATIO_TARGET, f"<= {RATIO_TARGET}"),
        (f"check/baseline CPU time, subprocess vs subprocess {ratio_subproc:.2f}", ratio_subproc <= RATIO_TARGET, f"<= {RATIO_TARGET}"),
        (f"peak RSS of `planfolio check` {peak_mb:.0f} MB (VmHWM of a fresh process)", peak_mb < RSS_TARGET_MB, f"< {RSS_TARGET_MB} MB"),
        (f"mkdocs in sys.modules after check: {'yes' if imports['mkdocs'] else 'no'}", not imports["mkdocs"], "no"),
    ]
    for text, passed, target in verdicts:
        print(f"{'PASS' if passed else 'MISS'}  {text}  (target {target})")
    if imports["heavy"]:
        print(f"      site-side modules imported by the check: {', '.join(imports['heavy'][:8])}{' ...' if len(imports['heavy']) > 8 else ''}")
    missed = [text for text, passed, _target in verdicts if not passed]
    if missed and arguments.enforce:
        print(f"{len(missed)} target(s) missed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
