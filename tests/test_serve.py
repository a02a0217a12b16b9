"""`mkdocs serve`: an invalid edit shows the findings and the server keeps running; the fix recovers; under
`--dirty`, an edit reaches every rollup that shows it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

from gitrepo import git
from planfolio.pages import PageSpec
from planfolio.render import Renderer
from planfolio.reuse import BodyCache
from sitebuild import PEOPLE, PLAN, real_clock, write_site


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


def _article(html: str | None) -> str:
    """The page's content, without the live-reload script serve adds (it carries a build number)."""
    assert html is not None
    return html[html.index("<article") : html.index("</article>")]


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
            cwd=site, stdout=output, stderr=subprocess.STDOUT, env=real_clock({**os.environ, "NO_MKDOCS_2_WARNING": "1"}),
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


def test_serve_dirty_redraws_every_rollup_an_edit_touches(tmp_path: Path) -> None:
    """Under `serve --dirty` listings are reused when what they show is unchanged: an edit must still reach
    every rollup that shows it, and leave the others as they were."""
    beta = PLAN.replace("ACME Manufacturing GmbH", "Beta Logistics AG").replace("Reference visit to the Mueller plant", "Beta site visit")
    site = write_site(tmp_path / "site", {"acme.md": PLAN, "beta.md": beta}, people=PEOPLE)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=site, stdout=output, stderr=subprocess.STDOUT, env=real_clock({**os.environ, "NO_MKDOCS_2_WARNING": "1"}),
        )
    try:
        luis, mia = base + "portfolio/owners/luis-ortega/", base + "portfolio/owners/mia-chen/"
        assert _until(lambda: "Reference visit to the Mueller plant" in (_page(luis) or "")), log.read_text()
        untouched = _article(_page(base + "portfolio/status/doing/"))
        time.sleep(1.1)  # a new modification time for the watcher
        edited = PLAN.replace("Reference visit to the Mueller plant", "Plant tour in Lyon").replace("    owner: Luis Ortega\n", "    owner: Mia Chen\n")
        (site / "plans" / "acme.md").write_text(edited, encoding="utf-8")
        assert _until(lambda: "Plant tour in Lyon" in (_page(mia) or "")), log.read_text()
        luis_page = _page(luis) or ""
        assert "Reference visit to the Mueller plant" not in luis_page and "Plant tour in Lyon" not in luis_page
        assert "Beta site visit" in luis_page  # beta's commitment stays with Luis
        assert "Plant tour in Lyon" in (_page(base + "portfolio/status/open/") or "")
        assert "Plant tour in Lyon" in (_page(base + "portfolio/due/later/") or "") + (_page(base + "portfolio/due/next-90-days/") or "")
        assert "Plant tour in Lyon" in (_page(base + "portfolio.json") or "")
        assert _article(_page(base + "portfolio/status/doing/")) == untouched  # nothing it shows changed
        assert "Traceback" not in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_follows_a_commit_of_a_plan_whose_file_did_not_change(tmp_path: Path) -> None:
    """A commit changes history, not files: acme's pending slip, committed, moves acme's timeline from
    "uncommitted" to the commit, though no file changed (serve watches the git folder's log of commits)."""
    beta = PLAN.replace("ACME Manufacturing GmbH", "Beta Logistics AG")
    site = write_site(tmp_path / "site", {"acme.md": PLAN, "beta.md": beta}, people=PEOPLE)
    git(site, "init", "-q", "-b", "main", day="2026-01-10")
    git(site, "add", "-A", day="2026-01-10")
    git(site, "commit", "-q", "-m", "plans", day="2026-01-10")
    (site / "plans" / "acme.md").write_text(PLAN.replace("due: 2027-02-15", "due: 2027-03-01"), encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/acme/"
    log = tmp_path / "serve.log"
    environment = real_clock({**os.environ, "NO_MKDOCS_2_WARNING": "1", "GIT_CONFIG_GLOBAL": os.devnull})
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=site, stdout=output, stderr=subprocess.STDOUT, env=environment,
        )
    try:
        assert _until(lambda: "uncommitted" in (_page(url) or "")), log.read_text()
        assert "slipped 1×, +14 d, first due 2027-02-15" in _article(_page(url))
        time.sleep(1.1)  # a new modification time for the watcher
        git(site, "commit", "-q", "-m", "C1 slips", "plans/acme.md", day="2026-02-01")
        assert _until(lambda: "uncommitted" not in _article(_page(url) or "<article></article>")), log.read_text()
        page = _article(_page(url))
        assert "uncommitted" not in page and "<strong>2026-02-01</strong> · Dana Kim" in page
        assert "slipped 1×, +14 d, first due 2027-02-15" in page
        assert "Traceback" not in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_reused_body_is_one_whose_context_and_build_are_unchanged() -> None:
    cache, drawn = BodyCache(), []

    def listing(entries: list[str]) -> PageSpec:
        return PageSpec("status:open:1", "portfolio/status/open.md", "Open", "planfolio/listing.html", {"entries": entries}, reusable=True)

    def draw(body: str) -> Callable[[], str]:
        return lambda: drawn.append(body) or body

    cache.start(("layout", 1))
    assert cache.body(listing(["C1", "C2"]), draw("first")) == "first"
    assert cache.body(listing(["C1", "C2"]), draw("again")) == "first"  # an equal context: reused
    assert cache.body(listing(["C1", "C3"]), draw("changed")) == "changed"
    cache.start(("layout", 1))
    assert cache.body(listing(["C1", "C3"]), draw("same build")) == "changed"
    cache.start(("layout", 2))  # pages moved (or the date, or a template): every link may differ
    assert cache.body(listing(["C1", "C3"]), draw("new build")) == "new build"
    assert drawn == ["first", "changed", "new build"]


def test_an_override_added_while_serving_is_used_by_the_next_build(tmp_path: Path) -> None:
    # Each build makes a Renderer; the Jinja environment is kept across builds, with its template cache.
    overview = PageSpec("tags", "portfolio/tags.md", "Plans by tag", "planfolio/tags.html", {"tags": []})

    def drawn() -> str:
        return Renderer([tmp_path], lambda key, here: None, date(2026, 11, 28)).body(overview)

    assert "No plan has tags." in drawn()
    (tmp_path / "planfolio").mkdir()
    (tmp_path / "planfolio" / "tags.html").write_text("Our own tag page", encoding="utf-8")
    assert drawn() == "Our own tag page"


def test_a_reused_listing_follows_every_template_file_it_may_include(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    (overrides / "planfolio").mkdir(parents=True)
    (overrides / "partials").mkdir()
    (overrides / "planfolio" / "listing.html").write_text('{% include "partials/note.html" %}', encoding="utf-8")
    (overrides / "planfolio" / ".listing.html.swp").write_bytes(b"\xff\xfe\x00 not a template")  # an editor's file
    note = overrides / "partials" / "note.html"
    cache = BodyCache()
    listing = PageSpec("status:open:1", "portfolio/status/open.md", "Open", "planfolio/listing.html", {"entries": []}, reusable=True)

    def drawn() -> str:  # one serve rebuild: a new Renderer over the same cache
        renderer = Renderer([overrides], lambda key, here: None, date(2026, 11, 28), cache)
        renderer.start(("the same layout",))
        return renderer.body(listing)

    note.write_text("NOTE-ONE", encoding="utf-8")
    assert drawn() == "NOTE-ONE"
    note.write_text("NOTE-TWO, longer", encoding="utf-8")
    assert drawn() == "NOTE-TWO, longer"
