"""The `planfolio` command: a thin adapter from the command line to the core. It never imports MkDocs."""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from . import __version__
from .core.check.portfolio import site_file_findings
from .core.derive.digest import digest
from .core.derive.history import diff
from .core.findings import Finding, Severity, quote, sort_key
from .core.portfolio import HistoryReader, Portfolio, PortfolioHistory, check_files, history_reader, load_portfolio
from .core.publish.diff import COMMENT_LIMIT
from .core.publish.diff import as_json as diff_json
from .core.publish.diff import as_markdown as diff_markdown
from .core.publish.diff import as_text as diff_text
from .core.publish.digest import Shown, UnreadablePrevious, previous_items
from .core.publish.digest import as_issue as digest_issue
from .core.publish.digest import as_json as digest_json
from .core.publish.digest import as_markdown as digest_markdown
from .core.publish.digest import as_text as digest_text
from .core.publish.export import write_commitments_csv, write_export
from .core.publish.newplan import new_plan_text
from .core.publish.report import render
from .core.publish.schema import plan_schema
from .core.publish.slug import slug
from .core.read.files import PlanSource, find_plans, shown_path, site_files
from .core.read.git import NoHistory, UnknownRevision, is_revision
from .core.read.people import People, load_people
from .core.read.versions import VersionCache
from .core.settings import (
    Limits,
    Settings,
    SettingsError,
    from_mkdocs_yml,
    parse_date,
    resolve_today,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


TODAY_HELP = "today's date, YYYY-MM-DD (default: the site option `today`, else SOURCE_DATE_EPOCH, else the system date)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="planfolio", description="Check and export constraint-focused key account plans.")
    parser.add_argument("--version", action="version", version=f"planfolio {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("--config-file", "-f", type=Path, default=None, help="the site's mkdocs.yml (default: ./mkdocs.yml if present)")
        command.add_argument("--today", help=TODAY_HELP)
        command.add_argument("--people", type=Path, help="the people file (default: the site option `people`)")

    def paths(command: argparse.ArgumentParser) -> None:
        command.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="plan files or folders (default: the site's plans)")

    check = commands.add_parser("check", help="check plan files and report every finding")
    paths(check)
    check.add_argument(
        "--format", choices=("text", "github", "json"), default="text",
        help="text: a line `path:line:col: severity CODE message` each (default); github: GitHub Actions annotations; json: an array",
    )
    check.add_argument("--strict", action="store_true", help="warnings fail the check too")
    check.add_argument("--quiet", "-q", action="store_true", help="leave out the info findings and the summary line")
    common(check)

    export = commands.add_parser("export", help="print the portfolio as JSON (the site's portfolio.json), or its commitments as CSV")
    paths(export)
    export.add_argument("--format", choices=("json", "csv"), default="json", help="json: the whole portfolio (default); csv: the site's commitments.csv")
    common(export)

    new = commands.add_parser("new", help="write a new draft plan for an account into the plans folder")
    new.add_argument("account", help="the account's display name, e.g. \"Zenith Robotics Ltd\"")
    new.add_argument("--owner", help="the key account manager (default: git's user.name)")
    new.add_argument("--dir", type=Path, help="the plans folder (default: the site's)")
    common(new)

    diff = commands.add_parser(
        "diff", help="print what changed in the plans between two git revisions (REV2 default: the working tree)",
        usage="planfolio diff REV [REV2] [PATH ...] [--format text|json|markdown] [options]",
        description="planfolio diff REV [REV2] [PATH ...]: a second argument that names an existing file or folder is a PATH.",
    )
    diff.add_argument("arguments", nargs="+", metavar="REV", help="a git revision (origin/main, HEAD~3, a commit id), optionally a second, then plan files or folders")
    diff.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text",
        help="text: a line `path:line:col: kind ID \"title\": event from → to` each (default); json; markdown: for a pull-request comment",
    )
    common(diff)

    _digest_parser(commands, common)
    commands.add_parser("schema", help="print the JSON Schema of a plan's front matter, for editors")
    return parser


def _days(text: str) -> int:
    """A whole number of days, 0 or more (argparse reports anything else as a usage error)."""
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 0 or more, not {text!r}")
    return int(text)


def _digest_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: Callable[[argparse.ArgumentParser], None]) -> None:
    digest = commands.add_parser(
        "digest", help="print what each person has to know for the coming week: done, slipped, overdue, due soon, plans due a review",
        description="planfolio digest: per person (plan owners and commitment owners), what was done and what slipped in the "
        "last N days (from git history), what is overdue, what is due in the next 14 days, and the plans due a review.",
    )
    digest.add_argument("--days", type=_days, default=7, metavar="N", help="the period: from today - N days up to today, both included (default: 7)")
    digest.add_argument("--owner", metavar="NAME", help="only this person, written as in the plans (a name no plan has: an empty digest)")
    digest.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text",
        help="text: a line an item (default); markdown: a section a person, for a GitHub issue or an e-mail; json",
    )
    digest.add_argument(
        "--previous", type=Path, metavar="FILE",
        help="with --format markdown: print the body of the digest issue, FILE being its previous body (empty for the first): "
        "items it showed that are no longer open are struck through",
    )
    common(digest)


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
        elif path.exists() or path.is_symlink():  # shown as plans found in a folder are: relative where it can be
            sources.append(PlanSource(path, shown_path(path, Path.cwd()), _in_folder(path, settings.plans_dir)))
        else:
            raise UsageError(f"no such file or folder: {path}")
    return sources


def _in_folder(path: Path, folder: Path) -> str:
    """The path of a file within the site's plans folder ("" outside it): where the site publishes it."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(folder)).as_posix()
    except ValueError:
        return ""


def _today(arguments: argparse.Namespace, settings: Settings) -> date:
    return resolve_today(parse_date(arguments.today, "--today") if arguments.today is not None else settings.today)


def _inputs(arguments: argparse.Namespace) -> tuple[list[PlanSource], date, Limits, People | None]:
    """The plan files, today, the limits and the people a check or export works with."""
    settings: Settings = arguments.settings
    today = _today(arguments, settings)
    people_file = arguments.people or settings.people_file
    people = load_people(people_file) if people_file else None
    sources = _sources(arguments.paths, settings)
    if not sources:
        raise UsageError("no plan found")
    return sources, today, settings.limits, people


def _new_plan(arguments: argparse.Namespace) -> Path:
    settings: Settings = arguments.settings
    today = _today(arguments, settings)
    owner = arguments.owner or _git_user() or ""
    if not owner.strip():
        raise UsageError("name the key account manager with --owner")
    for what, text in (("account name", arguments.account), ("owner", owner)):
        if not _is_text(text):
            raise UsageError(f"the {what} {quote(text.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace'))} is not valid UTF-8 text: check your terminal's encoding")
    people_file = arguments.people or settings.people_file
    if people_file and owner not in load_people(people_file):
        raise UsageError(f"{quote(owner)} is not in the people file {people_file}: pass --owner with a listed name")
    plan_id = slug(arguments.account)
    if not plan_id:
        raise UsageError(f"cannot make a file name from {quote(arguments.account)}")
    folder = arguments.dir or settings.plans_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{plan_id}.md"
    _write_new(path, new_plan_text(arguments.account, owner, today))
    return path


def _is_text(text: str) -> bool:
    """Whether a command-line argument was valid UTF-8 (Python keeps undecodable bytes as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet, whole or not at all: a hidden temporary file (never a plan) is
    written, then linked to its name, which fails if the name is taken; a plan is never overwritten."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".", suffix=".md.tmp", delete=False) as file:
        file.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(file.name, 0o666 & ~umask)  # as any file the user writes, not the temporary file's 0600
    try:
        os.link(file.name, path)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "already exists", str(path)) from None
    finally:
        os.unlink(file.name)


def _git_user() -> str | None:
    try:
        result = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _summary(plans: int, findings: list[Finding]) -> str:
    def counted(number: int, word: str, plural: str) -> str:
        return f"{number} {word if number == 1 else plural}"

    severities = [finding.severity for finding in findings]
    errors, warnings, info = (severities.count(severity) for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    return f"{counted(plans, 'plan', 'plans')} checked: {counted(errors, 'error', 'errors')}, {counted(warnings, 'warning', 'warnings')}, {info} info"


def _history(arguments: argparse.Namespace, today: date) -> HistoryReader | PortfolioHistory | None:
    """Reads the history of the site's plans folder (plans elsewhere have none); None where there is no folder."""
    settings: Settings = arguments.settings
    folder = settings.plans_dir
    if not folder.is_dir():
        return None
    return history_reader(folder, today, VersionCache(), settings.not_plans, _shown_prefix(folder))


def _say_why_no_history(arguments: argparse.Namespace, missing: str | None) -> None:
    if missing and not getattr(arguments, "quiet", False):
        print(f"planfolio: {missing}", file=sys.stderr)


def _check(arguments: argparse.Namespace) -> int:
    sources, today, limits, people = _inputs(arguments)
    findings, missing = check_files(sources, today, limits, people, _history(arguments, today))
    findings += _site_findings(arguments)
    shown = [finding for finding in findings if not (arguments.quiet and finding.severity is Severity.INFO)]
    _write(lambda out: out.write(render(shown, arguments.format)))
    _say_why_no_history(arguments, missing)
    if arguments.format == "text" and not arguments.quiet:
        print(_summary(len(sources), findings), file=sys.stderr)
    severities = {finding.severity for finding in findings}
    failed = Severity.ERROR in severities or (arguments.strict and Severity.WARNING in severities)
    return EXIT_FINDINGS if failed else EXIT_OK


def _site_findings(arguments: argparse.Namespace) -> list[Finding]:
    """Where the site's whole plans folder is checked: its own files where planfolio writes (the build fails on them)."""
    settings: Settings = arguments.settings
    folder = settings.plans_dir
    if arguments.paths and not any(path.is_dir() and os.path.samefile(path, folder) for path in arguments.paths if folder.is_dir()):
        return []
    shown = _in_folder(folder, Path.cwd()) or folder.as_posix()
    return sorted(site_file_findings(shown, site_files(folder, settings.not_plans)), key=sort_key)


def _diff(arguments: argparse.Namespace) -> int:
    settings: Settings = arguments.settings
    today = _today(arguments, settings)
    rev, *rest = arguments.arguments
    # A second argument is REV2 where git knows it as a commit; else a PATH (a plan deleted since REV included).
    rev2 = rest.pop(0) if rest and not Path(rest[0]).exists() and is_revision(settings.plans_dir, rest[0]) else None
    folder = settings.plans_dir
    wanted = {_in_folder(Path(path), folder) for path in rest}
    outside = [path for path in rest if not _in_folder(Path(path), folder)]
    if outside:
        raise UsageError(f"{quote(outside[0])} is neither a revision git knows nor a path in the plans folder {folder}")

    def only(relative: str) -> bool:
        return not wanted or any(relative == path or relative.startswith(path.rstrip("/") + "/") or path == "." for path in wanted)

    try:
        found = diff(folder, rev, rev2, today, VersionCache(), not_plans=settings.not_plans, shown_prefix=_shown_prefix(folder), only=only)
    except UnknownRevision as error:
        raise UsageError(str(error)) from None
    if isinstance(found, NoHistory):
        raise UsageError(found.reason)
    if arguments.format == "json":
        _write(lambda out: out.write(diff_json(found) + "\n"))
    elif arguments.format == "markdown":
        # Room for a marker line above it (the pull-request workflow adds one), under GitHub's comment limit.
        _write(lambda out: out.write(diff_markdown(found, limit=COMMENT_LIMIT - 64)))
    else:
        _write(lambda out: out.write(diff_text(found)))
    return EXIT_OK


def _shown_prefix(folder: Path) -> str:
    """Plan paths in output as `check` shows them: relative to the working folder where they lie in it."""
    shown = _in_folder(folder, Path.cwd())
    return (shown.rstrip("/") + "/") if shown and shown != "." else ("" if shown == "." else folder.as_posix().rstrip("/") + "/")


def _digest(arguments: argparse.Namespace) -> int:
    settings: Settings = arguments.settings
    arguments.paths = []
    if arguments.previous is not None and arguments.format != "markdown":
        raise UsageError("--previous is for the digest issue: use it with --format markdown")
    previous = _previous_items(arguments.previous, arguments.owner) if arguments.previous is not None else None
    sources, today, limits, people = _inputs(arguments)
    portfolio = load_portfolio(sources, today, limits, people, history=_history(arguments, today))
    paths = {source.shown_as: source.relative for source in sources}
    try:
        found = digest(portfolio, arguments.days, limits, arguments.owner, paths)
    except OverflowError:  # today - N days before the year 1, or 14 days past the year 9999
        raise UsageError(f"--days {arguments.days} with today {today} reaches past the dates a calendar has") from None
    handles = people.handles if people is not None else {}
    if arguments.format == "json":
        _write(lambda out: out.write(digest_json(found)))
    elif previous is not None:
        _write(lambda out: out.write(digest_issue(found, previous, settings.site_url, settings.use_directory_urls, handles)))
    elif arguments.format == "markdown":
        _write(lambda out: out.write(digest_markdown(found, settings.site_url, settings.use_directory_urls, handles)))
    else:
        _write(lambda out: out.write(digest_text(found)))
    return EXIT_OK


def _previous_items(path: Path, owner: str | None) -> list[Shown]:
    """The open items of the previous digest issue (only `owner`'s with --owner); none, with a warning, where its
    hidden list was edited out of shape: the weekly run goes on, and strikes nothing this once."""
    try:
        body = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise UsageError(f"cannot read the previous digest {path}: {reason}") from None
    try:
        items = previous_items(body)
    except UnreadablePrevious as error:
        print(f"planfolio: warning: the previous digest {path}: {error}: nothing is struck through this time", file=sys.stderr)
        return []
    return [item for item in items if owner is None or item.person == owner]


def _export(arguments: argparse.Namespace) -> int:
    sources, today, limits, people = _inputs(arguments)
    portfolio = load_portfolio(sources, today, limits, people, history=_history(arguments, today))
    _say_why_no_history(arguments, portfolio.history.missing if portfolio.history is not None else None)
    if arguments.format == "csv":
        _write(lambda out: write_commitments_csv(portfolio, out))
    else:
        _write(lambda out: _export_json(portfolio, out))
    return EXIT_OK


def _export_json(portfolio: Portfolio, out: TextIO) -> None:
    write_export(portfolio, out, indent=2)
    out.write("\n")


def _write(write: Callable[[TextIO], object]) -> None:
    """Write to standard output; a reader that stops early (`planfolio export | head -1`) is no error."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit:  # argparse has printed its message (or the version)
        return EXIT_USAGE if exit.code else EXIT_OK
    if arguments.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if arguments.command == "schema":
            _write(lambda out: out.write(json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"))
            return EXIT_OK
        arguments.settings = _settings(arguments.config_file)  # mkdocs.yml is read once a run
        if arguments.command == "new":
            path = _new_plan(arguments)
            print(f"planfolio: wrote {path.as_posix()}: fill it in, then run `planfolio check {path.as_posix()}`")
            return EXIT_OK
        if arguments.command == "diff":
            return _diff(arguments)
        if arguments.command == "digest":
            return _digest(arguments)
        return _export(arguments) if arguments.command == "export" else _check(arguments)
    except (UsageError, SettingsError) as error:
        print(f"planfolio: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FileExistsError as error:
        print(f"planfolio: {error.filename} already exists: it is left as it is (choose another name, or edit it)", file=sys.stderr)
        return EXIT_FINDINGS


def run() -> None:
    # A command reads, answers and exits: what it holds goes with the process, so Python's cycle collector,
    # which would scan the plans read again and again as they pile up, is not needed (main() called from a
    # long-lived process, as the tests do, leaves it on).
    gc.disable()
    sys.exit(main())
