"""`mkdocs serve`: an invalid edit shows the findings and the server keeps running; the fix recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from sitebuild import PEOPLE, PLAN, write_site


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _until(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_serve_survives_an_invalid_edit_and_recovers(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"acme.md": PLAN}, people=PEOPLE)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/acme/"
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=site, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        assert _until(lambda: "ACME Manufacturing GmbH" in (_page(url) or "")), log.read_text()
        plan = site / "plans" / "acme.md"
        time.sleep(1.1)  # a new modification time for the watcher
        plan.write_text(PLAN.replace("csf: CSF1\n", "csf: CSF9\n"), encoding="utf-8")
        assert _until(lambda: "plans/acme.md:23:10: error PF022" in log.read_text()), log.read_text()
        assert server.poll() is None  # still serving (MkDocs shows no pages until a build succeeds again)
        plan.write_text(PLAN.replace("ACME Manufacturing GmbH", "ACME Fixed GmbH"), encoding="utf-8")
        assert _until(lambda: "ACME Fixed GmbH" in (_page(url) or "")), log.read_text()
        assert "Traceback" not in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
