"""The example portfolio with a history, for the pictures of progress over time (`make screenshots`) and the
browser tests that look at them.

A copy of the example (mkdocs.yml, people.yml, plans/, overrides/) in a new git repository, whose commits on
VERSION_DATES bring each plan to the text it has now, told backwards: a version has the first commitments of the
plan and one more on each later date; a commitment done after a version's date (by its `completed`, or done
without one) is still `doing` in it; the goal's `current` moves from the `baseline` on the first date, in even
steps, to its present value. The same example gives the same commits, ids included: the author, the committer and
their dates are fixed, and no git configuration of the machine is read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION_DATES = (date(2026, 6, 1), date(2026, 8, 3), date(2026, 9, 14), date(2026, 10, 19), date(2026, 11, 27))
FIRST_COMMITMENTS = 3  # how many the first version has
GIT_ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Léa Martin", "GIT_AUTHOR_EMAIL": "lea@example.com",
    "GIT_COMMITTER_NAME": "Léa Martin", "GIT_COMMITTER_EMAIL": "lea@example.com",
}
_COMMITMENTS = re.compile(r"^commitments:\n(.*?)(?=^\S)", re.M | re.S)  # the list, up to the next key or `---`
_ITEM = re.compile(r"^  - .*?(?=^  - |\Z)", re.M | re.S)


def _still_doing(item: str, day: date) -> str:
    """A commitment as it stood on `day`: one done later than that is still being done."""
    completed = re.search(r"^    completed: (\d{4}-\d{2}-\d{2})\n", item, re.M)
    if "    status: done\n" not in item or (completed and date.fromisoformat(completed.group(1)) <= day):
        return item
    item = item.replace("    status: done\n", "    status: doing\n")
    return item.replace(completed.group(0), "") if completed else item


def _current(text: str, share: float) -> str:
    """The goal's `current` `share` of the way from its baseline to its value now (kept where either is missing)."""
    baseline = re.search(r"^  baseline: ([-\d.]+)$", text, re.M)
    current = re.search(r"^  current: ([-\d.]+)$", text, re.M)
    if not (baseline and current):
        return text
    start, end = float(baseline.group(1)), float(current.group(1))
    return text.replace(current.group(0), f"  current: {round(start + (end - start) * share, 2):g}")


def as_of(text: str, version: int) -> str:
    """A plan's text at VERSION_DATES[version] (the last: the text itself)."""
    if version == len(VERSION_DATES) - 1:
        return text
    day = VERSION_DATES[version]
    found = _COMMITMENTS.search(text)
    if found:
        items = _ITEM.findall(found.group(1))[: FIRST_COMMITMENTS + version]
        text = text[: found.start(1)] + "".join(_still_doing(item, day) for item in items) + text[found.end(1) :]
    return _current(text, version / (len(VERSION_DATES) - 1))


def _git(folder: Path, *args: str, day: date | None = None) -> None:
    stamp = {"GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00"} if day else {}
    subprocess.run(["git", *args], cwd=folder, env={**os.environ, **GIT_ENVIRONMENT, **stamp}, check=True, capture_output=True)


def example_with_history(folder: Path, today: date) -> Path:
    """The example in `folder` (which must not exist), a git repository of one commit on each of VERSION_DATES,
    its site's `today` pinned; node_modules linked from the repository's. Returns `folder`."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "people.yml", folder / "people.yml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    option = "      people: people.yml\n"
    assert option in config, "the example's planfolio options moved: pin `today` where they are now"
    (folder / "mkdocs.yml").write_text(config.replace(option, f"{option}      today: {today}\n"), encoding="utf-8")
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    (folder / "node_modules").symlink_to(ROOT / "node_modules")
    (folder / ".gitignore").write_text("/node_modules\n/site\n", encoding="utf-8")
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "plans").glob("*.md"))}
    _git(folder, "init", "-q", "-b", "main")
    for version, day in enumerate(VERSION_DATES):
        for name, text in texts.items():
            path = folder / "plans" / name
            path.parent.mkdir(exist_ok=True)
            path.write_text(as_of(text, version), encoding="utf-8")
        _git(folder, "add", "-A")
        _git(folder, "commit", "-q", "-m", f"Plans as of {day}", day=day)
    return folder
