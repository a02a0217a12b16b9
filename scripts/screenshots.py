"""Renew the README's screenshots of the example portfolio: docs/images/index.png, plan.png and how-we-plan.png.

    .venv/bin/python scripts/screenshots.py

Builds the example site (mkdocs.yml, plans/) into a temporary folder, serves it on 127.0.0.1 and takes
the pictures with Debian's Chromium through Playwright, offline: every request that would leave the
local server is refused, and the script fails if any was tried. Today's date is fixed (--today) so the
same commit gives the same pictures.
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
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

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


def build_site(out: Path, today: date) -> None:
    epoch = int(datetime.combine(today, time(12), UTC).timestamp())
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stdout}{result.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder for index.png, plan.png and how-we-plan.png (default: docs/images)")
    parser.add_argument("--plan", default="berg-sons-logistics", help="the plan to show (default: one with every commitment state)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 28), help="the date the example is shown at (default: 2026-11-28)")
    parser.add_argument("--width", type=int, default=1280, help="the window's width in CSS pixels (default: 1280)")
    parser.add_argument("--chromium", type=Path, default=Path(os.environ.get("PLANFOLIO_CHROMIUM", "/usr/bin/chromium")))
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="planfolio-screenshots-") as folder:
        site = Path(folder) / "site"
        build_site(site, args.today)
        server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        refused: list[str] = []
        errors: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(args.chromium), args=CHROMIUM_ARGS)
                context = browser.new_context(
                    viewport={"width": args.width, "height": 800}, device_scale_factor=1, color_scheme="light", locale="en-GB"
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
                for url, name in (("", "index.png"), (f"{args.plan}/", "plan.png"), ("how-we-plan/", "how-we-plan.png")):
                    page.goto(base + url, wait_until="networkidle")
                    page.add_style_tag(content=STILL)
                    # Material replaces each <pre class="mermaid"> by the drawn diagram.
                    page.wait_for_function("() => !document.querySelector('pre.mermaid')", timeout=15_000)
                    page.evaluate("document.fonts.ready")
                    page.screenshot(path=str(args.out / name), full_page=True, animations="disabled")
                    print(f"wrote {(args.out / name).relative_to(ROOT) if (args.out / name).is_relative_to(ROOT) else args.out / name}")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    if refused or errors:
        print("refused: " + ", ".join(refused) if refused else "", "\n".join(errors), file=sys.stderr, sep="\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
