"""Progress over time (issue 14): a plan's progress and goal figure at each version, the portfolio's live, done
and overdue commitments at each date, from real git repositories with dated commits; and their charts' source."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from planfolio.core.derive.charts import MAX_POINTS, current_chart, number, portfolio_chart, progress_chart, thinned
from planfolio.core.derive.history import History, read_history
from planfolio.core.derive.progress import PlanPoint, PortfolioPoint, plan_points, portfolio_points
from planfolio.core.portfolio import HistoryReader, history_reader, load_portfolio
from planfolio.core.read.versions import VersionCache
from planfolio.core.settings import Limits
from sitebuild import PLAN
from test_history import Repo

TODAY = date(2026, 12, 10)  # dates the working tree's version


@pytest.fixture(autouse=True)
def no_user_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """The core's own git runs read neither the user's nor the system's configuration."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def done(text: str, commitment: str) -> str:
    """`text` with C1 (open) or C2 (doing) of sitebuild.PLAN done."""
    old, new = {"C1": ("    owner: Luis Ortega\n", "    owner: Luis Ortega\n    status: done\n"), "C2": ("    status: doing\n", "    status: done\n")}[commitment]
    assert text.count(old) == 1
    return text.replace(old, new)


ACME = PLAN.replace("due: 2027-02-15", "due: 2026-04-01").replace("due: 2027-03-31", "due: 2026-08-01")  # C1 open, C2 doing
BETA = PLAN.replace("ACME Manufacturing GmbH", "Beta Logistics AG").replace("due: 2027-02-15", "due: 2026-02-01")
GAMMA = done(PLAN.replace("ACME Manufacturing GmbH", "Gamma AG").replace("due: 2027-02-15", "due: 2026-02-15"), "C2")
C3 = """  - id: C3
    title: Second reference visit
    obstacle: OB2
    owner: Dana Kim
    due: 2026-12-31
---
"""


def current(text: str, value: str) -> str:
    return text.replace("  unit: EUR M\n", f"  unit: EUR M\n  current: {value}\n")


def build_repository(root: Path) -> Repo:
    """acme: C1 done and a current figure (two commits on 2026-03-01), an unreadable version, C3 added, then C2
    done in the working tree; beta archived on 2026-06-01; gamma added on 2026-03-01 and removed on 2026-07-01."""
    repo = Repo(root)
    repo.write("acme.md", ACME)
    repo.write("beta.md", BETA)
    repo.commit("2026-01-10")
    acme = current(done(ACME, "C1"), "2.2")
    repo.write("acme.md", acme)
    repo.write("gamma.md", GAMMA)
    repo.commit("2026-03-01")
    acme = acme.replace("current: 2.2", "current: 2.4")
    repo.write("acme.md", acme)
    repo.commit("2026-03-01")  # the same day again: this version is the day's
    repo.write("acme.md", "---\naccount: [unclosed\n---\n")
    repo.commit("2026-05-01")
    repo.write("beta.md", BETA.replace("status: active", "status: archived"))
    repo.commit("2026-06-01")
    (repo.plans / "gamma.md").unlink()
    repo.commit("2026-07-01")
    acme = acme.replace("current: 2.4", "current: 2.9").replace("\n---\n", "\n" + C3, 1)
    repo.write("acme.md", acme)
    repo.commit("2026-09-01")
    repo.write("acme.md", done(acme, "C2"))  # not committed: the working tree's version, dated today
    return repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        return build_repository(tmp_path_factory.mktemp("progress") / "portfolio")


@pytest.fixture(scope="module")
def history(repo: Repo) -> History:
    found = read_history(repo.plans, TODAY, VersionCache(), shown_prefix="plans/")
    assert isinstance(found, History), found
    return found


def test_a_plan_has_a_point_a_day_the_last_version_of_the_day_winning(history: History) -> None:
    assert len(history.plans["acme.md"].steps) == 6  # five commits and the working tree
    assert plan_points(history.plans["acme.md"]) == (
        PlanPoint(date(2026, 1, 10), done=0, live=2, current=None),
        PlanPoint(date(2026, 3, 1), done=1, live=2, current=2.4),  # the day's second commit, not its first (2.2)
        # 2026-05-01: nothing could be read of that version, so it has no point
        PlanPoint(date(2026, 9, 1), done=1, live=3, current=2.9),
        PlanPoint(TODAY, done=2, live=3, current=2.9),
    )


def test_progress_is_done_over_live_as_a_percentage_and_zero_without_live_commitments() -> None:
    assert PlanPoint(TODAY, 1, 3, None).percent == pytest.approx(100 / 3)
    assert PlanPoint(TODAY, 2, 2, None).percent == 100
    assert PlanPoint(TODAY, 0, 0, None).percent == 0


def test_an_archived_plan_keeps_its_points_and_a_removal_has_none(history: History) -> None:
    assert [(point.date, point.live) for point in plan_points(history.plans["beta.md"])] == [(date(2026, 1, 10), 2), (date(2026, 6, 1), 2)]
    assert [point.date for point in plan_points(history.plans["gamma.md"])] == [date(2026, 3, 1)]  # not 2026-07-01, when it went


def test_the_portfolio_counts_each_plan_as_it_stood_and_overdue_against_each_date(history: History) -> None:
    assert portfolio_points(history.plans.values()) == (
        PortfolioPoint(date(2026, 1, 10), live=4, done=0, overdue=0),  # acme 2 + beta 2; nothing due yet
        PortfolioPoint(date(2026, 3, 1), live=6, done=2, overdue=2),  # gamma came; beta's C1 (02-01) and gamma's (02-15) passed
        PortfolioPoint(date(2026, 5, 1), live=6, done=2, overdue=2),  # acme unreadable: it stands as it was
        PortfolioPoint(date(2026, 6, 1), live=4, done=2, overdue=1),  # beta archived: no longer counted
        PortfolioPoint(date(2026, 7, 1), live=2, done=1, overdue=0),  # gamma removed
        PortfolioPoint(date(2026, 9, 1), live=3, done=1, overdue=1),  # acme's C3 came; its C2 (08-01) passed
        PortfolioPoint(TODAY, live=3, done=2, overdue=0),  # C2 done in the working tree
    )


def test_the_sites_history_carries_the_points(repo: Repo, history: History) -> None:
    reader = history_reader(repo.plans, TODAY, VersionCache(), (), "plans/")
    assert isinstance(reader, HistoryReader)
    told = load_portfolio([], TODAY, Limits(), history=reader).history
    assert told is not None
    assert told.missing is None
    acme = next(step.plan for step in history.plans["acme.md"].steps if step.plan is not None and step.plan.readable)
    assert told.progress_of(acme) == plan_points(history.plans["acme.md"])
    assert "plans/gamma.md" not in told.progress  # a plan that is gone has no page
    assert told.over_time == portfolio_points(history.plans.values())


# -- the charts' source --------------------------------------------------------------------------------------


def _points(days: list[date], done: int = 1) -> list[PlanPoint]:
    return [PlanPoint(day, done, 4, float(index)) for index, day in enumerate(days)]


def test_fewer_than_two_points_draw_no_chart() -> None:
    assert progress_chart([]) is None and progress_chart(_points([TODAY])) is None
    assert portfolio_chart([]) is None and portfolio_chart([PortfolioPoint(TODAY, 3, 1, 0)]) is None
    one_current = [PlanPoint(TODAY - timedelta(days=1), 1, 2, None), PlanPoint(TODAY, 1, 2, 2.5)]
    assert progress_chart(one_current) is not None and current_chart(one_current) is None


def test_a_plans_charts_draw_dates_and_numbers_only(history: History) -> None:
    points = plan_points(history.plans["acme.md"])
    chart = progress_chart(points)
    assert chart is not None and chart.drawn == 4 and chart.period is None
    body = chart.source.split("\n---\n", 1)[1]
    assert body.splitlines() == [
        "xychart-beta",
        "  accDescr: Progress, % of live commitments done, from 0 on 2026-01-10 to 67 on 2026-12-10",
        '  x-axis ["2026-01-10", "2026-03-01", "2026-09-01", "2026-12-10"]',
        "  y-axis 0 --> 100",
        '  line "Progress" [0, 50, 33.3, 66.7]',
    ]
    goal = current_chart(points)
    assert goal is not None and goal.drawn == 3  # the first version has no current figure
    assert '  x-axis ["2026-03-01", "2026-09-01", "2026-12-10"]' in goal.source and '  line "Current" [2.4, 2.9, 2.9]' in goal.source
    assert "  y-axis 2.35 --> 2.95" in goal.source  # the values' span and a tenth of it each side
    for text in ("ACME", "Grow", "EUR", "Lyon", "Luis", "Mueller"):  # no plan text: nothing to escape
        assert text not in chart.source + goal.source


def test_the_portfolio_chart_has_three_lines_told_apart_by_dash_and_legend(history: History) -> None:
    chart = portfolio_chart(portfolio_points(history.plans.values()))
    assert chart is not None and chart.drawn == 7
    lines = re.findall(r'^  line "(\w+)" \[([^\]]*)\]$', chart.source, re.M)
    assert lines == [("Live", "4, 6, 6, 4, 2, 3, 3"), ("Done", "0, 2, 2, 2, 1, 1, 2"), ("Overdue", "0, 2, 2, 1, 0, 1, 0")]
    assert "  y-axis 0 --> 6" in chart.source
    assert '"showLegend": true' in chart.source and "stroke-dasharray: 8 4" in chart.source and "stroke-dasharray: 2 4" in chart.source
    for name in ("live", "done", "overdue"):
        assert f"var(--pf-chart-{name})" in chart.source  # the page's colours, which follow its palette


def test_many_dates_are_drawn_as_the_last_of_each_week_month_quarter_or_year() -> None:
    daily = _points([date(2026, 1, 1) + timedelta(days=n) for n in range(MAX_POINTS)])
    assert thinned(daily) == (daily, None)  # as many as fit: every one
    more = _points([date(2026, 1, 1) + timedelta(days=n) for n in range(60)])  # 2026-01-01 is a Thursday
    weekly, period = thinned(more)
    assert period == "week" and len(weekly) == 9 and weekly[0].date == date(2026, 1, 4) and weekly[-1] == more[-1]
    years = _points([date(2000 + n, 6, 1) for n in range(30)] + [date(2029, 7, 1)])
    drawn, period = thinned(years)
    assert period == "year" and len(drawn) == 30 and drawn[-1].date == date(2029, 7, 1)  # no longer period: more than 24 stay
    chart = progress_chart(more)
    assert chart is not None and chart.period == "week" and chart.drawn == 9
    assert 'x-axis "the last of each week" [' in chart.source and '"labelRotation": -45' in chart.source


def test_numbers_are_written_as_the_chart_reads_them() -> None:
    assert [number(value) for value in (2.5, 3.0, -0.0, 1e-7, -2.25, 1234567.891, 1e21)] == [
        "2.5", "3", "0", "0", "-2.25", "1234567.891", "1000000000000000000000",
    ]
