"""planfolio and git history, over real repositories: `planfolio diff` (formats, paths, exit status), PF202 in
`check`, the derived fields in `export`, and what is said where there is no history."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from gitrepo import commit, git
from sitebuild import PLAN

TODAY = "2026-12-10"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A portfolio repository: acme and beta committed on 2026-01-01, then C1 slipped and beta retitled."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\n", encoding="utf-8")
    (root / "plans" / "acme.md").write_text(PLAN, encoding="utf-8")
    (root / "plans" / "beta.md").write_text(PLAN.replace("ACME Manufacturing GmbH", "Beta AG"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "2026-01-01")
    (root / "plans" / "acme.md").write_text(PLAN.replace("due: 2027-02-15", "due: 2027-03-31"), encoding="utf-8")
    commit(root, "2026-02-01")
    monkeypatch.chdir(root)
    return root


def test_text_is_one_line_an_event_at_the_item(planfolio, repo) -> None:
    status, out, err = planfolio("diff", "HEAD~1", "HEAD", "--today", TODAY)
    assert (status, err) == (0, "")
    # At the commitment's `id` line in the newer version.
    assert out.splitlines() == ['plans/acme.md:39:5: commitment C1 "Reference visit to the Mueller plant with the engineering lead": due 2027-02-15 → 2027-03-31 (+44 days)']


def test_the_working_tree_is_the_default_second_revision(planfolio, repo) -> None:
    (repo / "plans" / "beta.md").write_text(PLAN.replace("ACME Manufacturing GmbH", "Beta AG").replace("status: doing", "status: done"), encoding="utf-8")
    status, out, _err = planfolio("diff", "HEAD", "--format", "json", "--today", TODAY)
    assert status == 0
    found = json.loads(out)
    assert found["from"]["rev"] == "HEAD" and len(found["from"]["commit"]) == 40
    assert found["to"] == {"rev": None, "commit": None}
    [plan] = found["plans"]
    assert (plan["id"], plan["path"], plan["account"]) == ("beta", "plans/beta.md", "Beta AG")
    [event] = plan["events"]
    assert {key: event[key] for key in ("plan", "kind", "id", "event", "from", "to")} == {
        "plan": "beta", "kind": "commitment", "id": "C2", "event": "status", "from": "doing", "to": "done",
    }


def test_paths_pick_plans_and_a_second_revision_that_is_a_path_is_a_path(planfolio, repo) -> None:
    assert planfolio("diff", "HEAD~1", "plans/beta.md", "--today", TODAY)[:2] == (0, "")  # beta did not change
    status, out, _err = planfolio("diff", "HEAD~1", "plans/acme.md", "--today", TODAY)
    assert status == 0 and out.startswith("plans/acme.md:")


def test_markdown_for_a_pull_request_summarises_first_and_says_nothing_when_nothing_changed(planfolio, repo) -> None:
    status, out, _err = planfolio("diff", "HEAD~1", "HEAD", "--format", "markdown", "--today", TODAY)
    assert status == 0
    first = out.splitlines()[0]
    assert first.startswith("**1 plan changed**") and "1 commitment slipped by 44 days" in first
    assert "<details>" in out
    assert planfolio("diff", "HEAD", "HEAD", "--format", "markdown", "--today", TODAY)[:2] == (0, "")


@pytest.mark.parametrize("revision", ["nosuchrev", "HEAD~9"])
def test_an_unknown_revision_is_a_usage_error(planfolio, repo, revision) -> None:
    status, out, err = planfolio("diff", revision, "--today", TODAY)
    assert (status, out) == (2, "") and err.startswith("planfolio: unknown revision")


def test_outside_a_git_work_tree_diff_is_a_usage_error(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.md").write_text(PLAN, encoding="utf-8")
    status, out, err = planfolio("diff", "HEAD", "--today", TODAY)
    assert (status, out) == (2, "")
    assert err == "planfolio: no history: plans is not in a git work tree, so planfolio shows no changes, slips or review dates\n"


def _slip_again(repo: Path) -> None:
    """C1 moves later a second time (2027-03-31 -> 2027-04-30) on 2026-03-01, and the plan is reviewed."""
    text = PLAN.replace("due: 2027-02-15", "due: 2027-04-30").replace("reviewed: 2026-11-02", "reviewed: 2026-03-01")
    (repo / "plans" / "acme.md").write_text(text, encoding="utf-8")
    commit(repo, "2026-03-01")


def test_check_reports_a_commitment_that_keeps_slipping(planfolio, repo) -> None:
    _slip_again(repo)
    status, out, err = planfolio("check", "--today", TODAY)
    assert status == 0  # info never fails a check
    assert 'plans/acme.md:43:10: info PF202 commitment C1 "Reference visit to the Mueller plant with the engineering lead" has slipped 2 times: first due 2027-02-15, now due 2027-04-30, 74 days later' in out.splitlines()
    assert err.endswith("2 plans checked: 0 errors, 0 warnings, 2 info\n") and "no history" not in err  # and PF201: reviewed in March
    assert planfolio("check", "--today", TODAY, "--quiet")[1] == ""


def test_a_plan_named_by_its_absolute_path_has_its_history_too(planfolio, repo) -> None:
    _slip_again(repo)
    status, out, _err = planfolio("check", repo / "plans" / "acme.md", "--today", TODAY)
    assert status == 0 and any(" info PF202 " in line and line.startswith("plans/acme.md:") for line in out.splitlines())


def test_the_export_carries_what_history_tells(planfolio, repo) -> None:
    _slip_again(repo)
    (repo / "plans" / "acme.md").write_text((repo / "plans" / "acme.md").read_text().replace("status: doing", "status: done"), encoding="utf-8")
    status, out, _err = planfolio("export", "--today", TODAY)
    assert status == 0
    acme = next(plan for plan in json.loads(out)["plans"] if plan["id"] == "acme")
    # the working tree differs from HEAD: it is the newest version, dated today
    assert (acme["last_changed"], acme["reviewed_at"], acme["changes_since_review"]) == (TODAY, "2026-03-01", 1)
    c1, c2 = acme["commitments"]
    assert {key: c1[key] for key in ("original_due", "slips", "slipped_days", "since")} == {
        "original_due": "2027-02-15", "slips": 2, "slipped_days": 74, "since": "2026-01-01",
    }
    assert (c2["slips"], c2["slipped_days"]) == (0, 0)
    status, csv_text, _err = planfolio("export", "--format", "csv", "--today", TODAY)
    header, first = csv_text.splitlines()[:2]
    assert header.endswith(",original_due,slips,slipped_days") and first.endswith(",2027-02-15,2,74")


def test_without_history_check_says_why_in_one_line_and_the_export_says_null(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.md").write_text(PLAN, encoding="utf-8")
    status, _out, err = planfolio("check", "--today", TODAY)
    assert status == 0
    assert err.splitlines()[0] == "planfolio: no history: plans is not in a git work tree, so planfolio shows no changes, slips or review dates"
    assert len(err.splitlines()) == 2  # and the summary
    [plan] = json.loads(planfolio("export", "--today", TODAY)[1])["plans"]
    assert (plan["last_changed"], plan["reviewed_at"], plan["changes_since_review"]) == (None, None, None)
    assert {plan["commitments"][0][key] for key in ("original_due", "slips", "slipped_days", "since")} == {None}


def test_a_shallow_clone_says_how_to_fetch_the_history(planfolio, repo, tmp_path, monkeypatch) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True, capture_output=True)
    monkeypatch.chdir(shallow)
    status, _out, err = planfolio("check", "--today", TODAY)
    assert status == 0 and "shallow" in err.splitlines()[0] and "fetch-depth: 0" in err.splitlines()[0]


def test_a_plan_deleted_since_rev_is_a_path_and_a_typo_is_said_plainly(planfolio, repo) -> None:
    (repo / "plans" / "beta.md").unlink()
    status, out, _err = planfolio("diff", "HEAD~1", "plans/beta.md", "--today", TODAY)  # gone from disk: still a PATH
    assert (status, out.splitlines()) == (0, ['plans/beta.md:2:1: plan "Beta AG": removed "Beta AG" → null'])
    status, out, err = planfolio("diff", "HEAD~1", "nosuchrev", "--today", TODAY)
    assert (status, out) == (2, "") and err == 'planfolio: "nosuchrev" is neither a revision git knows nor a path in the plans folder plans\n'


def test_one_day_is_one_day(planfolio, repo) -> None:
    (repo / "plans" / "acme.md").write_text(PLAN.replace("due: 2027-02-15", "due: 2027-04-01"), encoding="utf-8")
    status, out, _err = planfolio("diff", "HEAD", "--format", "markdown", "--today", TODAY)
    assert status == 0 and "C1 slipped 1 day (2027-03-31 → 2027-04-01)" in out and "1 commitment slipped by 1 day in all" in out
