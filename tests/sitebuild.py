"""Build real MkDocs sites in temporary folders, from plan texts, the way a user would."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
# Every site a test builds has this `today`, so no test depends on the day it runs.
TODAY = "2026-11-28"

MKDOCS_YML = """\
site_name: Test portfolio
docs_dir: plans
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
theme:
  name: material
  custom_dir: overrides
  font: false
plugins:
  - search
  - planfolio:
{options}
  - mermaid2:
      javascript: assets/vendor/mermaid.min.js
      arguments:
        securityLevel: strict
        maxTextSize: 200000
        maxEdges: 2000
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


@dataclass
class Build:
    site: Path  # the folder holding mkdocs.yml
    returncode: int
    output: str  # stdout and stderr together

    @property
    def out(self) -> Path:
        return self.site / "site"

    def page(self, url: str) -> str:
        """The HTML of the page at a site URL such as `acme/` or `portfolio/owners/`."""
        return (self.out / url / "index.html").read_text(encoding="utf-8")


_PRE = re.compile(r'<pre class="([^"]*)"[^>]*>(.*?)</pre>', re.S)


def diagrams(page_html: str) -> list[str]:
    """The Mermaid sources of a page's diagrams: each `pre` whose class a browser reads as `mermaid`, unescaped."""
    return [html.unescape(body) for cls, body in _PRE.findall(page_html) if html.unescape(cls) == "mermaid"]


def write_site(
    folder: Path,
    plans: dict[str, str | bytes],
    *,
    options: str = "",
    people: list[str] | None = None,
    extra_yml: str = "",
) -> Path:
    """A site folder with mkdocs.yml, plans/ holding `plans` ({file name: text}) and an optional people file."""
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    (folder / "overrides").mkdir(exist_ok=True)
    for name, content in plans.items():
        path = folder / "plans" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    lines = []
    if people is not None:
        (folder / "people.yml").write_text("".join(f"- {name}\n" for name in people), encoding="utf-8")
        lines.append("people: people.yml")
    if "today:" not in options:
        lines.append(f"today: {TODAY}")
    lines += textwrap.dedent(options).splitlines()
    block = "\n".join(f"      {line}" for line in lines)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.format(options=block) + extra_yml, encoding="utf-8")
    _link_vendor(folder)
    return folder


def copy_example(folder: Path) -> Path:
    """The repository's example portfolio, copied so a test can change it, with `today` pinned to TODAY."""
    shutil.copy(ROOT / "people.yml", folder / "people.yml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    option = "      people: people.yml\n"
    assert option in config, "the example's planfolio options moved: pin `today` where they are now"
    (folder / "mkdocs.yml").write_text(config.replace(option, f"{option}      today: {TODAY}\n"), encoding="utf-8")
    for name in ("plans", "overrides"):
        shutil.copytree(ROOT / name, folder / name)
    _link_vendor(folder)
    return folder


def example_plan_files() -> list[Path]:
    """The example's plan files as `planfolio check` and the site find them: plans/ without its `not_plans` pages."""
    from planfolio.core.read.files import find_plans
    from planfolio.core.settings import from_mkdocs_yml

    settings = from_mkdocs_yml(ROOT / "mkdocs.yml")
    return [source.file for source in find_plans(ROOT / settings.plans_dir, settings.not_plans)]


def _link_vendor(folder: Path) -> None:
    vendor = ROOT / "node_modules"
    if vendor.is_dir() and not (folder / "node_modules").exists():
        (folder / "node_modules").symlink_to(vendor)


def real_clock(environment: dict[str, str]) -> dict[str, str]:
    """`environment` for a child process without libfaketime (`make test` runs the suite a second time under
    `faketime`): what such a child checks never depends on today (every site pins its own), but its machinery
    does need the real clock: pip's TLS certificates, and the timed waits of `mkdocs serve`'s file watcher."""
    kept = {name: value for name, value in environment.items() if not name.startswith("FAKETIME")}
    preload = " ".join(lib for lib in re.split(r"[: ]", kept.pop("LD_PRELOAD", "")) if lib and "libfaketime" not in lib)
    return kept | ({"LD_PRELOAD": preload} if preload else {})


def build(site: Path, *arguments: str, env: dict[str, str] | None = None) -> Build:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [*MKDOCS, "build", "--site-dir", "site", *arguments],
        cwd=site,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    return Build(site, result.returncode, result.stdout + result.stderr)


PLAN = """\
---
account: ACME Manufacturing GmbH
owner: Dana Kim
team: [Luis Ortega, Mia Chen]
period: FY2027
status: active
reviewed: 2026-11-02
tags: [manufacturing, emea]
goal:
  statement: Grow ACME revenue from EUR 2.0 M to EUR 3.5 M in FY2027
  due: 2027-12-31
  baseline: 2.0
  target: 3.5
  unit: EUR M
csfs:
  - id: CSF1
    title: Preferred supplier for the new Lyon plant
  - id: CSF2
    title: Service contract renewed on multi-year terms
conditions:
  - id: NC1
    title: Plant engineering specifies our drive systems
    csf: CSF1
  - id: NC2
    title: Procurement accepts a three-year price corridor
    csf: [CSF1, CSF2]
  - id: NC3
    title: Service quality rated good by the maintenance lead
    csf: CSF2
    met: true
obstacles:
  - id: OB1
    title: Engineering lead prefers competitor X after the Bremen project
    condition: NC1
  - id: OB2
    title: Budget for new suppliers frozen until Q3
    condition: NC2
commitments:
  - id: C1
    title: Reference visit to the Mueller plant with the engineering lead
    obstacle: OB1
    owner: Luis Ortega
    due: 2027-02-15
  - id: C2
    title: Total-cost-of-ownership case signed off by our CFO
    obstacle: [OB1, OB2]
    owner: Mia Chen
    due: 2027-03-31
    status: doing
---

Notes: the Lyon plant's line 2 tender opens in April.
"""

PEOPLE = ["Dana Kim", "Luis Ortega", "Mia Chen"]
