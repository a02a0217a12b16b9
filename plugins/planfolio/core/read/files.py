"""Which files of a plans folder are plans: the one definition that `planfolio check` and the site share."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# What MkDocs reads as a page. A plan file ends in `.md`; a file with one of the others (or `.MD`) is a plan
# misnamed, never skipped: MkDocs would publish it.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
PLAN_SUFFIX = ".md"


@dataclass(frozen=True, slots=True)
class PlanSource:
    """A plan file to read: where it is, and the path findings name it by."""

    file: Path
    shown_as: str
    relative: str = ""  # its path in the site's plans folder, where it is in it: the site path it gets

    @property
    def plan_id(self) -> str:
        name = self.file.name
        suffix = next((suffix for suffix in MARKDOWN_SUFFIXES if name.lower().endswith(suffix)), "")
        return name[: len(name) - len(suffix)] if suffix else self.file.stem


def is_plan_file(relative: str, not_plans: Iterable[str]) -> bool:
    """Whether a file of the plans folder (its path relative to the folder, `/`-separated) is a plan: every
    Markdown file, whatever the case of its extension, unless hidden, in the top `templates/` folder (MkDocs
    publishes neither) or excluded by the site's `not_plans`. The one definition `check` and the site share."""
    if not relative.lower().endswith(MARKDOWN_SUFFIXES) or relative.startswith("templates/"):
        return False
    if any(part.startswith(".") for part in relative.split("/")):
        return False
    return not any(fnmatch.fnmatch(relative, pattern) for pattern in not_plans)


def find_plans(folder: Path, not_plans: Iterable[str], shown_from: Path | None = None) -> list[PlanSource]:
    """The plan files of a folder, found exactly as MkDocs finds pages (`os.walk`, links followed): a folder
    linked back into the tree is walked again, as MkDocs publishes it again (its plans are then the same plan
    ids twice, PF021); a dangling link is kept (reading it is a finding, not a silent skip)."""
    patterns = tuple(not_plans)
    sources = []
    for directory, _folders, names in os.walk(folder, followlinks=True):
        for name in names:
            file = Path(directory) / name
            relative = file.relative_to(folder).as_posix()
            if is_plan_file(relative, patterns):
                sources.append(PlanSource(file, shown_path(file, shown_from), relative))
    return sorted(sources, key=lambda source: source.relative)


def site_files(folder: Path, not_plans: Iterable[str]) -> list[str]:
    """Every file of the folder that is not a plan, walked as MkDocs walks it, by its `/`-separated path."""
    patterns = tuple(not_plans)
    found = []
    for directory, _folders, names in os.walk(folder, followlinks=True):
        for name in names:
            relative = (Path(directory) / name).relative_to(folder).as_posix()
            if not is_plan_file(relative, patterns) and not any(part.startswith(".") for part in relative.split("/")):
                found.append(relative)
    return sorted(found)


def shown_path(file: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return Path(os.path.abspath(file)).relative_to(os.path.abspath(base)).as_posix()  # links kept as named
        except ValueError:
            pass
    return file.as_posix()
