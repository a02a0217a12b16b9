"""Every command that README.md and docs/*.md show runs as shown, from the root of a fresh clone.

Each block of commands runs in its own copy of the repository (some write: an export, a new plan, template
overrides), with `.venv` and `node_modules` linked in as `make` leaves them. A command that a block shows
with output must print that output, and exit 1 when the output shows an error finding, else 0."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sitebuild import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELLS = {"console", "shell-session", "sh", "bash", "shell"}

# Shown, but not run here: the set-up commands are what CI runs around this very suite (`make serve` never
# ends, `make test` is this suite), and an install changes the environment every other test runs in.
NOT_RUN = re.compile(r"make( |$)|pip install ")

# Shown as commands, but they do not run as shown on the example portfolio. Each is a bug in the document;
# test_known_broken_commands_are_still_shown_and_still_fail makes sure an entry goes once its document is fixed.


@dataclass
class Command:
    line: str
    output: list[str] = field(default_factory=list)


@dataclass
class Block:
    where: str
    commands: list[Command]


def blocks(path: Path) -> list[Block]:
    """Indented code blocks (every line a command) and fenced shell blocks (`$ ` lines are commands in a
    console block, followed by their output; every line is a command in a script block)."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    name = path.relative_to(ROOT).as_posix()
    number = 0
    while number < len(lines):
        text = lines[number]
        fence = re.match(r"\s*```\s*([\w-]*)", text)
        if fence:
            start, language = number, fence.group(1)
            number += 1
            body: list[str] = []
            while number < len(lines) and not re.match(r"\s*```\s*$", lines[number]):
                body.append(lines[number])
                number += 1
            number += 1
            if language in SHELLS:
                commands: list[Command] = []
                for line in body:
                    if language in ("console", "shell-session"):
                        if line.startswith("$ "):
                            commands.append(Command(line[2:]))
                        elif commands and line.strip():
                            commands[-1].output.append(line)
                    elif line.strip() and not line.lstrip().startswith("#"):
                        commands.append(Command(line.strip()))
                if commands:
                    found.append(Block(f"{name}:{start + 1}", commands))
            continue
        if text.startswith("    ") and text.strip() and (number == 0 or not lines[number - 1].strip()):
            start = number
            commands = []
            while number < len(lines) and (lines[number].startswith("    ") or not lines[number].strip()):
                if lines[number].strip():
                    commands.append(Command(lines[number].strip()))
                number += 1
            found.append(Block(f"{name}:{start + 1}", commands))
            continue
        number += 1
    return found


BLOCKS = [block for path in DOCUMENTS for block in blocks(path)]
RUN = [block for block in BLOCKS if any(not NOT_RUN.match(command.line) for command in block.commands)]


def fresh_clone(folder: Path) -> Path:
    """The repository as a clone has it, after `make`: its files, with the virtual environment and npm's
    packages linked in."""
    clone = folder / "clone"
    skip = {".git", ".venv", "node_modules", "site", ".hypothesis", ".pytest_cache", "__pycache__"}
    shutil.copytree(ROOT, clone, ignore=lambda _folder, names: [name for name in names if name in skip or name.endswith(".egg-info")])
    (clone / ".venv").symlink_to(Path(sys.prefix))
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    return clone


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    environment.pop("NO_MKDOCS_2_WARNING", None)  # a reader's shell does not set it
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)


def expected_status(command: Command) -> int:
    return 1 if any(re.search(r":\d+:\d+: error ", line) for line in command.output) else 0


def test_the_documents_show_commands_and_this_file_finds_them():
    shown = [command.line for block in BLOCKS for command in block.commands]
    assert "make serve" in shown and "make test" in shown
    assert any(line.startswith(".venv/bin/planfolio check ") and "--format github" in line for line in shown)
    assert any(line.startswith("planfolio new ") for line in shown)  # docs/writing-a-plan.md


def test_the_readme_keeps_exactly_two_set_up_commands():
    readme = [command.line for block in BLOCKS if block.where.startswith("README.md:") for command in block.commands]
    assert [line for line in readme if NOT_RUN.match(line)] == ["make serve", "make test"]


@pytest.mark.parametrize("block", RUN, ids=lambda block: block.where)
def test_a_shown_command_runs_as_shown(tmp_path, block):
    clone = fresh_clone(tmp_path)
    for command in block.commands:
        if NOT_RUN.match(command.line):
            continue
        result = run(command.line, clone)
        said = result.stdout + result.stderr
        assert result.returncode == expected_status(command), f"{block.where}: {command.line}\n{said}"
        for line in command.output:
            assert line.strip() in said, f"{block.where}: {command.line} should print {line!r}\n{said}"
        assert "Traceback" not in said
        written = re.search(r">\s*(\S+\.json)\s*$", command.line)
        if written:
            json.loads((clone / written.group(1)).read_text(encoding="utf-8"))
