"""The `planfolio` command: a thin adapter from the command line to the core. It never imports MkDocs."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .core.export import write_export
from .core.findings import Severity
from .core.chain import Limits
from .core.portfolio import PlanSource, check_files, find_plans, load_people, load_portfolio
from .core.newplan import new_plan_text
from .core.report import render
from .core.schema import plan_schema
from .core.settings import Settings, SettingsError, from_mkdocs_yml, parse_date, resolve_today
from .core.slug import slug

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planfolio", description="Check and export constraint-focused key account plans.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("--config-file", "-f", type=Path, default=None, help="the site's mkdocs.yml (default: ./mkdocs.yml if present)")
        command.add_argument("--today", help="today's date, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else the system date)")
        command.add_argument("--people", type=Path, help="the people file (default: the site option)")

    check = commands.add_parser("check", help="check plan files and report every finding")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="plan files or folders (default: the site's plans)")
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    common(check)

    export = commands.add_parser("export", help="print the portfolio as JSON")
    export.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="plan files or folders (default: the site's plans)")
    common(export)

    new = commands.add_parser("new", help="write a new draft plan for an account into the plans folder")
    new.add_argument("account", help="the account's display name, e.g. \"Zenith Robotics Ltd\"")
    new.add_argument("--owner", help="the key account manager (default: git's user.name)")
    new.add_argument("--dir", type=Path, help="the plans folder (default: the site's)")
    common(new)

    commands.add_parser("schema", help="print the JSON Schema of a plan's front matter, for editors")
    return parser


def _settings(config_file: Path | None) -> Settings:
    if config_file is not None:
        if not config_file.is_file():
            raise UsageError(f"no such config file: {config_file}")
        return from_mkdocs_yml(config_file)
    default = Path("mkdocs.yml")
    return from_mkdocs_yml(default) if default.is_file() else Settings()


def _sources(paths: Sequence[Path], settings: Settings) -> list[PlanSource]:
    if not paths:
        if not settings.plans_dir.is_dir():
            raise UsageError(f"no plans folder {settings.plans_dir}: name plan files or folders")
        return find_plans(settings.plans_dir, settings.not_plans, Path.cwd())
    sources: list[PlanSource] = []
    for path in paths:
        if path.is_dir():
            sources.extend(find_plans(path, settings.not_plans, Path.cwd()))
        elif path.exists():
            sources.append(PlanSource(path, path.as_posix()))
        else:
            raise UsageError(f"no such file or folder: {path}")
    return sources


def _inputs(arguments: argparse.Namespace) -> tuple[list[PlanSource], date, Limits, frozenset[str] | None]:
    """The plan files, today, the limits and the people a check or export works with."""
    settings = _settings(arguments.config_file)
    today = resolve_today(parse_date(arguments.today, "--today") if arguments.today else settings.today)
    people_file = arguments.people or settings.people_file
    people = load_people(people_file) if people_file else None
    sources = _sources(arguments.paths, settings)
    if not sources:
        raise UsageError("no plan found")
    return sources, today, settings.limits, people


def _new_plan(arguments: argparse.Namespace) -> Path:
    settings = _settings(arguments.config_file)
    today = resolve_today(parse_date(arguments.today, "--today") if arguments.today else settings.today)
    owner = arguments.owner or _git_user() or ""
    if not owner.strip():
        raise UsageError("name the key account manager with --owner")
    people_file = arguments.people or settings.people_file
    if people_file and owner not in load_people(people_file):
        raise UsageError(f"{owner!r} is not in the people file {people_file}: pass --owner with a listed name")
    plan_id = slug(arguments.account)
    if not plan_id:
        raise UsageError(f"cannot make a file name from {arguments.account!r}")
    folder = arguments.dir or settings.plans_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{plan_id}.md"
    with path.open("x", encoding="utf-8") as file:  # "x": never overwrite a plan
        file.write(new_plan_text(arguments.account, owner, today))
    return path


def _git_user() -> str | None:
    try:
        result = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit:  # argparse has printed its message
        return EXIT_USAGE if exit.code else EXIT_OK
    try:
        if arguments.command == "schema":
            sys.stdout.write(json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n")
            return EXIT_OK
        if arguments.command == "new":
            path = _new_plan(arguments)
            print(f"planfolio: wrote {path.as_posix()}: fill it in, then run `planfolio check {path.as_posix()}`")
            return EXIT_OK
        sources, today, limits, people = _inputs(arguments)
        if arguments.command == "export":
            portfolio = load_portfolio(sources, today, limits, people)
            write_export(portfolio, sys.stdout, indent=2)
            sys.stdout.write("\n")
            return EXIT_OK
        findings = check_files(sources, today, limits, people)
    except (UsageError, SettingsError) as error:
        print(f"planfolio: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FileExistsError as error:
        print(f"planfolio: {error.filename} already exists: it is left as it is (choose another name, or edit it)", file=sys.stderr)
        return EXIT_FINDINGS
    sys.stdout.write(render(findings, arguments.format))
    severities = {finding.severity for finding in findings}
    failed = Severity.ERROR in severities or (arguments.strict and Severity.WARNING in severities)
    return EXIT_FINDINGS if failed else EXIT_OK


def run() -> None:
    sys.exit(main())
