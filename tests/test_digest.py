"""`planfolio digest` over real git repositories with dated commits: each section, `--owner`, the edges of the
period, no history, the three formats, and plan text that tries to break out of its line or its Markdown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gitrepo import commit, git
from sitebuild import PLAN

TODAY = "2026-12-10"  # --days 7: since 2026-12-03
C1 = "Reference visit to the Mueller plant with the engineering lead"
C2 = "Total-cost-of-ownership case signed off by our CFO"


def _plan(account: str = "ACME Manufacturing GmbH", c1_due: str = "2027-02-15", c2_due: str = "2027-03-31", c2_status: str = "doing", reviewed: bool = True) -> str:
    text = PLAN.replace("ACME Manufacturing GmbH", account).replace("due: 2027-02-15", f"due: {c1_due}")
    text = text.replace("due: 2027-03-31\n    status: doing", f"due: {c2_due}\n    status: {c2_status}")
    return text if reviewed else text.replace("reviewed: 2026-11-02\n", "")


def _write(root: Path, acme: str, beta: str) -> None:
    (root / "plans" / "acme.md").write_text(acme, encoding="utf-8")
    (root / "plans" / "beta.md").write_text(beta, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """acme (reviewed 2026-11-02) and beta (never reviewed), both Dana Kim's; C1 is Luis Ortega's, C2 Mia Chen's.

    2026-11-01: acme C1 due 2026-12-20; beta C1 due 2026-11-30, beta C2 due 2026-12-24.
    2026-12-02 (8 days before today): acme C2 done; beta C1 slips to 2026-12-01 (now overdue).
    2026-12-03 (7 days before today): acme C1 slips to 2026-12-22; beta C2 done.
    """
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    _write(root, _plan(c1_due="2026-12-20"), _plan("Beta AG", "2026-11-30", "2026-12-24", reviewed=False))
    commit(root, "2026-11-01")
    _write(root, _plan(c1_due="2026-12-20", c2_status="done"), _plan("Beta AG", "2026-12-01", "2026-12-24", reviewed=False))
    commit(root, "2026-12-02")
    _write(root, _plan(c1_due="2026-12-22", c2_status="done"), _plan("Beta AG", "2026-12-01", "2026-12-24", "done", reviewed=False))
    commit(root, "2026-12-03")
    monkeypatch.chdir(root)
    return root


def _json(planfolio, *args: str) -> dict:
    status, out, err = planfolio("digest", "--format", "json", "--today", TODAY, *args)
    assert (status, err) == (0, "")
    return json.loads(out)


def test_json_has_the_exact_shape_and_every_section(planfolio, repo) -> None:
    empty = {"done": [], "slipped": [], "overdue": [], "due_soon": [], "stale_plans": []}
    assert _json(planfolio) == {
        "today": "2026-12-10",
        "since": "2026-12-03",
        "history": None,
        "people": [
            {"name": "Dana Kim", **empty, "stale_plans": [{"plan": "beta", "id": None, "account": "Beta AG", "reviewed": None}]},
            {
                "name": "Luis Ortega",
                **empty,
                "slipped": [{"plan": "acme", "id": "C1", "title": C1, "due": "2026-12-22", "from": "2026-12-20", "to": "2026-12-22"}],
                "overdue": [{"plan": "beta", "id": "C1", "title": C1, "due": "2026-12-01"}],
                "due_soon": [{"plan": "acme", "id": "C1", "title": C1, "due": "2026-12-22"}],
            },
            {"name": "Mia Chen", **empty, "done": [{"plan": "beta", "id": "C2", "title": C2, "due": "2026-12-24"}]},
        ],
    }


def test_a_change_exactly_n_days_ago_is_in_and_n_plus_one_days_ago_is_out(planfolio, repo) -> None:
    six = {person["name"]: person for person in _json(planfolio, "--days", "6")["people"]}
    assert six["Luis Ortega"]["slipped"] == [] and "Mia Chen" not in six  # 2026-12-03 is 7 days ago: out
    eight = {person["name"]: person for person in _json(planfolio, "--days", "8")["people"]}
    assert [(s["plan"], s["from"], s["to"]) for s in eight["Luis Ortega"]["slipped"]] == [("acme", "2026-12-20", "2026-12-22"), ("beta", "2026-11-30", "2026-12-01")]
    assert [(d["plan"], d["id"]) for d in eight["Mia Chen"]["done"]] == [("beta", "C2"), ("acme", "C2")]  # by due date
    assert _json(planfolio, "--days", "8")["since"] == "2026-12-02"


def test_the_uncommitted_version_is_dated_today(planfolio, repo) -> None:
    (repo / "plans" / "acme.md").write_text(_plan(c1_due="2026-12-22", c2_status="done").replace("due: 2026-12-22", "due: 2027-01-10"), encoding="utf-8")
    people = {person["name"]: person for person in _json(planfolio, "--days", "0")["people"]}
    assert people["Luis Ortega"]["slipped"] == [{"plan": "acme", "id": "C1", "title": C1, "due": "2027-01-10", "from": "2026-12-22", "to": "2027-01-10"}]


def test_owner_narrows_to_one_person_and_an_unknown_owner_is_an_empty_digest(planfolio, repo) -> None:
    assert [person["name"] for person in _json(planfolio, "--owner", "Mia Chen")["people"]] == ["Mia Chen"]
    status, out, err = planfolio("digest", "--owner", "Nobody", "--today", TODAY)
    assert (status, err) == (0, "") and out == "digest 2026-12-03 to 2026-12-10: nothing to report\n"
    assert _json(planfolio, "--owner", "Nobody")["people"] == []


@pytest.mark.parametrize("days", ["-1", "x", "1.5", ""])
def test_a_bad_period_is_a_usage_error(planfolio, repo, days) -> None:
    status, out, err = planfolio("digest", "--days", days, "--today", TODAY)
    assert (status, out) == (2, "") and "--days" in err


def test_text_is_one_line_an_item_most_urgent_first(planfolio, repo) -> None:
    status, out, err = planfolio("digest", "--today", TODAY)
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "digest 2026-12-03 to 2026-12-10: 3 people",
        'Dana Kim: stale plan: beta "Beta AG", never reviewed (plans/beta.md:2)',
        f'Luis Ortega: overdue: beta C1 "{C1}", due 2026-12-01 (plans/beta.md:38)',
        f'Luis Ortega: due soon: acme C1 "{C1}", due 2026-12-22 (plans/acme.md:39)',
        f'Luis Ortega: slipped: acme C1 "{C1}", due 2026-12-20 \u2192 2026-12-22 (+2 days) (plans/acme.md:39)',
        f'Mia Chen: done: beta C2 "{C2}" (plans/beta.md:43)',
    ]


def test_markdown_has_a_section_a_person_and_links_to_path_and_line_without_a_site_url(planfolio, repo) -> None:
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert status == 0
    assert out.startswith("**Digest of 2026-12-03 to 2026-12-10**: 3 people have something to report.\n")
    assert [line for line in out.splitlines() if line.startswith("## ")] == ["## Dana Kim", "## Luis Ortega", "## Mia Chen"]
    luis = out.split("## Luis Ortega\n")[1].split("## ")[0]
    assert luis.index("**Overdue**") < luis.index("**Due in the next 14 days**") < luis.index("**Slipped**")
    assert "- **C1** Reference visit to the Mueller plant with the engineering lead \u2014 due 2026-12-01 \u00b7 Beta AG (plans/beta.md:38)" in luis
    assert "](" not in out and "no history" not in out


def test_markdown_links_each_item_to_its_plan_page_with_a_site_url(planfolio, repo) -> None:
    (repo / "mkdocs.yml").write_text("site_name: x\nsite_url: https://example.com/portfolio\ndocs_dir: plans\n", encoding="utf-8")
    (repo / "plans" / "team").mkdir()
    (repo / "plans" / "team" / "gamma.md").write_text(_plan("Gamma SA", "2026-12-11", reviewed=False), encoding="utf-8")
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert status == 0
    assert "\u00b7 [Beta AG](https://example.com/portfolio/beta/)" in out
    assert "\u00b7 [ACME Manufacturing GmbH](https://example.com/portfolio/acme/)" in out
    assert "[Gamma SA](https://example.com/portfolio/team/gamma/)" in out
    items = [line for line in out.splitlines() if line.startswith("- ")]
    assert items and all("](https://example.com/portfolio/" in line for line in items)


def test_markdown_links_follow_use_directory_urls(planfolio, repo) -> None:
    config = "site_name: x\nsite_url: https://example.com/portfolio\ndocs_dir: plans\nuse_directory_urls: false\n"
    (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert status == 0 and "\u00b7 [Beta AG](https://example.com/portfolio/beta.html)" in out


@pytest.mark.parametrize(("days", "today"), [("1000000", TODAY), ("1", "0001-01-01")])
def test_a_period_past_the_calendar_is_a_usage_error(planfolio, repo, days, today) -> None:
    status, out, err = planfolio("digest", "--days", days, "--today", today)
    assert (status, out) == (2, "") and "reaches past the dates a calendar has" in err and "Traceback" not in err


def test_without_history_done_and_slipped_are_empty_and_said(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.md").write_text(_plan(c1_due="2026-12-05"), encoding="utf-8")
    found = _json(planfolio)
    assert found["history"].startswith("no history: plans is not in a git work tree")
    assert [(p["name"], p["done"], p["slipped"], len(p["overdue"])) for p in found["people"]] == [("Luis Ortega", [], [], 1)]
    text = planfolio("digest", "--today", TODAY)[1].splitlines()
    assert text[1] == "no history: plans is not in a git work tree, so planfolio shows no changes, slips or review dates: done and slipped are left empty"
    markdown = planfolio("digest", "--format", "markdown", "--today", TODAY)[1]
    assert "_no history&#58; plans is not in a git work tree, so planfolio shows no changes, slips or review dates: done and slipped are left empty._" in markdown


def test_due_soon_counts_today_up_to_fourteen_days_ahead_and_overdue_is_before_today(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    dues = {"acme": ("2026-12-09", "2026-12-10"), "beta": ("2026-12-24", "2026-12-25")}
    for name, (c1, c2) in dues.items():
        (tmp_path / "plans" / f"{name}.md").write_text(_plan(name.title(), c1, c2), encoding="utf-8")
    people = {person["name"]: person for person in _json(planfolio)["people"]}
    assert [(e["plan"], e["due"]) for e in people["Luis Ortega"]["overdue"]] == [("acme", "2026-12-09")]
    assert [(e["plan"], e["due"]) for e in people["Luis Ortega"]["due_soon"]] == [("beta", "2026-12-24")]
    assert [(e["plan"], e["due"]) for e in people["Mia Chen"]["due_soon"]] == [("acme", "2026-12-10")]  # beta's C2: 15 days ahead
    assert "Dana Kim" not in people  # reviewed 2026-11-02: within 90 days


def test_hostile_plan_text_stays_on_its_line_and_out_of_the_markup(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    title = '"Evil\\n## Mallory <script>alert(1)</script> [x](javascript:alert(1))\\u2028@team"'
    owner = '"Eve\\n# Boss\\u2029"'
    text = _plan(c1_due="2026-12-05", reviewed=False).replace(f"title: {C1}", f"title: {title}").replace("owner: Luis Ortega", f"owner: {owner}")
    text = text.replace("owner: Dana Kim", "owner: \"Dana\\r\\nKim\"")
    (tmp_path / "plans" / "acme.md").write_text(text, encoding="utf-8")
    out = planfolio("digest", "--today", TODAY)[1]
    lines = out.splitlines()
    assert len(lines) == 4 and len(out.split("\n")) == 5  # head, no history, Dana's plan, Eve's overdue
    assert lines[3].startswith("Eve\\n# Boss\\u2029: overdue: acme C1 \"Evil\\n## Mallory")
    assert lines[2].startswith("Dana\\r\\nKim: stale plan:")
    markdown = planfolio("digest", "--format", "markdown", "--today", TODAY)[1]
    assert "<script" not in markdown and "](javascript" not in markdown and "\u2028" not in markdown and "\u2029" not in markdown
    assert [line for line in markdown.splitlines() if line.startswith("#")] == ["## Dana&#92;r&#92;nKim", "## Eve&#92;n&#35; Boss&#92;u2029"]
    assert json.loads(planfolio("digest", "--format", "json", "--today", TODAY)[1])["people"][1]["name"] == "Eve\n# Boss\u2029"
