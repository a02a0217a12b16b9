"""The plan page for a leader and progress over time (issue 14), in real site builds: what comes first, the detail
in tabs, the necessity reading a block a CSF, and the charts with their tables where there is history (a git
repository with dated commits, tests/test_site_history.py) and none where there is not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gitrepo import ENVIRONMENT, commit, git
from sitebuild import PEOPLE, PLAN, Build, build, diagrams, write_site
from test_site_history import ACME, _repository, _text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """acme and beta with four versions (2026-01-10, 03-01, 06-01, 09-01); acme has a goal figure in each."""
    root = tmp_path_factory.mktemp("plan-page") / "portfolio"
    _repository(root)
    result = build(root, env=ENVIRONMENT)
    assert result.returncode == 0, result.output
    return result


def _part(page: str, name: str) -> str | None:
    found = re.search(rf'<section class="pf-part pf-part--{name}".*?</section>', page, re.S)
    return found.group() if found else None


def _charts(page: str) -> list[str]:
    return [source for source in diagrams(page) if source.split("\n---\n", 1)[-1].startswith("xychart-beta")]


def _rows(fragment: str) -> list[list[str]]:
    """The cells of each row of a table's body."""
    body = re.search(r"<tbody>(.*?)</tbody>", fragment, re.S)
    assert body, fragment
    return [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def test_status_goal_and_progress_come_first_then_the_diagram_then_the_detail(site: Build) -> None:
    page = site.page("acme")
    order = [page.index(marker) for marker in ('class="pf-summary"', "pf-part--goal", "pf-part--diagram", "pf-part--progress", "pf-part--changes", "pf-part--details", "pf-part--csfs")]
    assert order == sorted(order)
    diagram = _part(page, "diagram")
    assert diagram and 'class="pf-legend"' in diagram  # the legend moved with it


def test_the_four_tables_are_tabs_with_the_commitments_open(site: Build) -> None:
    details = re.search(r'<div class="tabbed-set tabbed-alternate pf-tabs" data-tabs="1:4">.*?</div>\s*</div>\s*</section>', site.page("acme"), re.S)
    assert details
    inputs = re.findall(r'<input( checked="checked")? id="([^"]+)" name="pf-tabs" type="radio">', details.group())
    assert inputs == [("", "pf-tab-csfs"), ("", "pf-tab-conditions"), ("", "pf-tab-obstacles"), (' checked="checked"', "pf-tab-commitments")]
    labels = [_text(label) for _for, label in re.findall(r'<label for="([^"]+)">(.*?)</label>', details.group())]
    assert labels == ["2 Critical success factors", "3 Necessary conditions", "4 Obstacles", "5 Commitments"]
    blocks = re.findall(r'<div class="tabbed-block">\s*<section class="pf-part pf-part--(\w+)"', details.group())
    assert blocks == ["csfs", "conditions", "obstacles", "commitments"]


def test_the_reading_is_a_block_a_csf_with_the_chain_nested_and_who_what_when_in_bold(site: Build) -> None:
    reading = _part(site.page("acme"), "reading")
    assert reading
    blocks = re.findall(r'<div class="pf-reading">(.*?)</div>', reading, re.S)
    assert [_text(re.search(r"<h3[^>]*>(.*?)</h3>", block, re.S).group(1)) for block in blocks] == [
        "CSF1 Preferred supplier for the new Lyon plant",
        "CSF2 Service contract renewed on multi-year terms",
    ]
    first = blocks[0]
    # CSF -> condition -> obstacle -> commitment: four lists, one inside the other.
    assert re.search(r"In order to reach .*?<ul>\s*<li>In order to have .*?<ul>\s*<li>“Engineering lead prefers .*?<ul>\s*<li>so <strong>", first, re.S)
    assert (
        "<li>so <strong>Luis Ortega</strong> commits to <strong>“Reference visit to the Mueller plant with the engineering lead”</strong>"
        " by <strong>10 Apr 2027</strong>;</li>"
    ) in first
    assert "<li>and <strong>Luis Ortega</strong> commits to <strong>“Total-cost-of-ownership case signed off by our CFO”</strong> by <strong>31 Mar 2027</strong>.</li>" in first
    text = _text(reading)
    assert "In order to reach “Grow ACME revenue from EUR 2.0 M to EUR 3.5 M in FY2027” we must have “Preferred supplier for the new Lyon plant”." in text
    assert "we must have “Service quality rated good by the maintenance lead” (already in place)." in text


def test_with_history_the_plan_page_draws_progress_and_the_goal_figure_with_their_table(site: Build) -> None:
    page = site.page("acme")
    progress = _part(page, "progress")
    assert progress
    charts = _charts(page)
    assert len(charts) == 2 and len(diagrams(page)) == 3  # the constraint diagram, progress, the goal's current
    assert '  x-axis ["2026-01-10", "2026-03-01", "2026-06-01", "2026-09-01"]' in charts[0] and '  line "Progress" [0, 0, 0, 0]' in charts[0]
    assert '  line "Current" [2.4, 2.4, 2.4, 2.9]' in charts[1]
    assert "<figcaption>Goal: current (EUR M)</figcaption>" in progress
    assert _rows(progress) == [
        ["2026-01-10", "0", "2", "0 %", "2.4"],
        ["2026-03-01", "0", "2", "0 %", "2.4"],
        ["2026-06-01", "0", "2", "0 %", "2.4"],
        ["2026-09-01", "0", "2", "0 %", "2.9"],
    ]
    assert "Progress over time: 0 % on 2026-01-10 → 0 % on 2026-09-01 (4 versions); goal current 2.4 → 2.9 EUR M." in _text(progress)


def test_a_plan_without_a_goal_figure_draws_progress_only(site: Build) -> None:
    beta = site.page("beta")  # versions on 2026-01-10, 03-01, 09-01; C1 done in the last
    charts = _charts(beta)
    assert len(charts) == 1 and '  line "Progress" [0, 0, 50]' in charts[0]
    progress = _part(beta, "progress")
    assert progress and "Goal: current" not in progress and _rows(progress)[-1] == ["2026-09-01", "1", "2", "50 %"]


def test_the_index_draws_the_portfolios_commitments_over_time_with_their_table(site: Build) -> None:
    index = (site.out / "index.html").read_text(encoding="utf-8")
    (chart,) = _charts(index)
    lines = dict(re.findall(r'^  line "(\w+)" \[([^\]]*)\]$', chart, re.M))
    assert lines == {"Live": "4, 4, 4, 4", "Done": "0, 0, 0, 1", "Overdue": "0, 0, 0, 0"}
    section = re.search(r'<section class="pf-over-time".*?</section>', index, re.S)
    assert section and _rows(section.group()) == [["2026-01-10", "4", "0", "0"], ["2026-03-01", "4", "0", "0"], ["2026-06-01", "4", "0", "0"], ["2026-09-01", "4", "1", "0"]]
    assert index.index("pf-index") < index.index("pf-over-time")  # after the plans


def test_search_reaches_the_charts_tables(site: Build) -> None:
    documents = json.loads((site.out / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    progress = next(document for document in documents if document["location"] == "acme/#progress")
    assert "2026-01-10 0 2 0 % 2.4" in " ".join(progress["text"].split())  # the timeline, which also says it, is left out


def test_without_history_or_with_one_version_there_is_no_chart_and_no_frame(tmp_path: Path) -> None:
    plain = write_site(tmp_path / "plain", {"acme.md": PLAN}, people=PEOPLE)
    once = write_site(tmp_path / "once" / "portfolio", {"acme.md": ACME, "beta.md": PLAN.replace("ACME Manufacturing GmbH", "Beta AG")}, people=PEOPLE)
    git(once, "init", "-q", "-b", "main")
    commit(once, "2026-03-01")
    for folder, environment in ((plain, {"GIT_CEILING_DIRECTORIES": str(tmp_path)}), (once, {})):
        result = build(folder, env={**ENVIRONMENT, **environment})
        assert result.returncode == 0, result.output
        for page in (result.page("acme"), (result.out / "index.html").read_text(encoding="utf-8")):
            assert _charts(page) == [] and "xychart" not in page
            assert "pf-part--progress" not in page and "pf-over-time" not in page and "pf-chart" not in page
        assert len(diagrams(result.page("acme"))) == 1  # the constraint diagram still


def test_a_goal_unit_is_plan_text_escaped_in_the_page_and_never_in_a_chart(tmp_path: Path) -> None:
    unit = '<img src=x onerror=alert("unit")> & "EUR"'
    root = write_site(tmp_path / "portfolio", {"acme.md": ACME.replace("  unit: EUR M\n", f"  unit: {json.dumps(unit)}\n")}, people=PEOPLE)
    git(root, "init", "-q", "-b", "main")
    commit(root, "2026-03-01")
    (root / "plans" / "acme.md").write_text((root / "plans" / "acme.md").read_text(encoding="utf-8").replace("current: 2.4", "current: 2.6"), encoding="utf-8")
    commit(root, "2026-04-01")
    result = build(root, env=ENVIRONMENT)
    assert result.returncode == 0, result.output
    page = result.page("acme")
    assert unit not in page
    assert "<figcaption>Goal: current (&lt;img src=x onerror=alert(&#34;unit&#34;)&gt; &amp; &#34;EUR&#34;)</figcaption>" in page
    charts = _charts(page)
    assert len(charts) == 2 and not any("img" in chart or "EUR" in chart for chart in charts)
