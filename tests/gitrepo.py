"""git, as the history tests run it: dated commits by Dana Kim, with none of the machine's git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ENVIRONMENT = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Dana Kim", "GIT_AUTHOR_EMAIL": "d@example.com",
    "GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "ci@example.com",
}


def git(root: Path, *args: str, day: str = "2026-01-01", author: str = "Dana Kim") -> str:
    """Run git in `root` with author and committer dated `day` (noon UTC); its output, stripped."""
    stamp = f"{day}T12:00:00+00:00"
    environment = {**os.environ, **ENVIRONMENT, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    return subprocess.run(["git", *args], cwd=root, env=environment, capture_output=True, text=True, check=True).stdout.strip()


def commit(root: Path, day: str, message: str = "edit") -> str:
    """Commit everything in the work tree on `day`; the commit's id."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, day=day)
    return git(root, "rev-parse", "HEAD")
