"""Renew the README's screenshots of the example portfolio: docs/images/index.png, plan.png, how-we-plan.png,
phone.png (the index on a 390 px phone) and progress.png (a plan's progress over time).

    .venv/bin/python scripts/screenshots.py

Builds the example site (mkdocs.yml, plans/) into a temporary folder, serves it on 127.0.0.1 and takes
the pictures with Debian's Chromium through Playwright, offline: every request that would leave the
local server is refused, and the script fails if any was tried. Progress over time needs history, which the
example folder has not of its own: that picture comes from a copy of the example in a git repository of a
few dated commits (scripts/example_history.py). Today's date is fixed (--today), and so are those commits,
so the same commit gives the same pictures.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from example_history import GIT_ENVIRONMENT, example_with_history

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--hide-scrollbars",
]
STILL = "*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@dataclass(frozen=True)
class Shot:
    url: str  # the page, relative to the site
    name: str  # the picture's file name
    width: int | None = None  # the window's width (None: --width)
    part: str | None = None  # a CSS selector: only that part of the page (None: the whole page)


def build_site(out: Path, today: date, folder: Path = ROOT) -> None:
    """The site of the mkdocs.yml in `folder`, built into `out`; its git reads no configuration of the machine."""
    epoch = int(datetime.combine(today, time(12), UTC).timestamp())
    env = {**os.environ, **GIT_ENVIRONMENT, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=folder, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stdout}{result.stderr}")


def take(site: Path, shots: list[Shot], args: argparse.Namespace, refused: list[str], errors: list[str]) -> None:
    """Serve `site` on 127.0.0.1 and take each shot into args.out; what was refused or went wrong is added to the lists."""
    from playwright.sync_api import sync_playwright

    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(args.chromium), args=CHROMIUM_ARGS)
            for shot in shots:
                context = browser.new_context(
                    viewport={"width": shot.width or args.width, "height": 800}, device_scale_factor=1, color_scheme="light", locale="en-GB"
                )

                def route(route: Any) -> None:
                    if route.request.url.startswith(base):
                        route.continue_()
                    else:
                        refused.append(route.request.url)
                        route.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                page.goto(base + shot.url, wait_until="networkidle")
                page.add_style_tag(content=STILL)
                # Material replaces each <pre class="mermaid"> by the drawn diagram.
                page.wait_for_function("() => !document.querySelector('pre.mermaid')", timeout=15_000)
                page.evaluate("document.fonts.ready")
                path = args.out / shot.name
                if shot.part:
                    page.locator(shot.part).screenshot(path=str(path), animations="disabled")
                else:
                    page.screenshot(path=str(path), full_page=True, animations="disabled")
                print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder for the pictures (default: docs/images)")
    parser.add_argument("--plan", default="berg-sons-logistics", help="the plan to show (default: one with every commitment state)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 28), help="the date the example is shown at (default: 2026-11-28)")
    parser.add_argument("--width", type=int, default=1280, help="the window's width in CSS pixels (default: 1280)")
    parser.add_argument("--chromium", type=Path, default=Path(os.environ.get("PLANFOLIO_CHROMIUM", "/usr/bin/chromium")))
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="planfolio-screenshots-") as folder:
        site = Path(folder) / "site"
        build_site(site, args.today)
        shots = [Shot("", "index.png"), Shot(f"{args.plan}/", "plan.png"), Shot("how-we-plan/", "how-we-plan.png"), Shot("", "phone.png", width=390)]
        take(site, shots, args, refused, errors)
        historied = example_with_history(Path(folder) / "historied", args.today)
        build_site(historied / "site", args.today, historied)
        take(historied / "site", [Shot(f"{args.plan}/", "progress.png", part=".pf-part--progress")], args, refused, errors)
    if refused or errors:
        print("refused: " + ", ".join(refused) if refused else "", "\n".join(errors), file=sys.stderr, sep="\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
