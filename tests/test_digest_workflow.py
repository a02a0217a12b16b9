"""The scheduled "Portfolio digest" workflow: what it may do (its token, its triggers, the whole history), and its
one step run as GitHub would, in a real git repository, against a stand-in `gh` that keeps issues in a file:
the issue is opened once, then rewritten in place (reopened if closed), never a second one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from gitrepo import commit, git
from planfolio.core.publish.digest import ISSUE_MARKER
from sitebuild import PLAN
from test_authoring import actionlint

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "portfolio-digest.yml"
BOT = "github-actions[bot]"
C1 = "Reference visit to the Mueller plant with the engineering lead"


def _workflow(path: Path = WORKFLOW) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_workflow_passes_actionlint() -> None:
    assert actionlint(WORKFLOW) == []


def test_it_runs_on_monday_mornings_and_by_hand_one_run_at_a_time() -> None:
    workflow = _workflow()
    assert workflow[True] == {"schedule": [{"cron": "0 6 * * 1"}], "workflow_dispatch": None}  # PyYAML reads `on` as true
    assert workflow["concurrency"] == {"group": "portfolio-digest", "cancel-in-progress": False}  # two runs would open two issues
    [job] = workflow["jobs"].values()
    assert job["if"] == "vars.PORTFOLIO_DIGEST != 'off'"  # the documented switch


def test_its_token_may_write_issues_and_read_the_repository_and_nothing_else() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8")


def test_it_fetches_the_whole_history_with_the_actions_the_portfolio_workflow_uses() -> None:
    steps = _steps(_workflow())
    [checkout] = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    portfolio = {step["uses"].split("@")[0]: step["uses"] for step in _steps(_workflow(WORKFLOWS / "portfolio.yml")) if "uses" in step}
    used = [step["uses"] for step in steps if "uses" in step]
    assert used == [portfolio["actions/checkout"], portfolio["actions/setup-python"]]


def test_no_expression_is_expanded_inside_a_script() -> None:
    steps = _steps(_workflow())
    assert all("${{" not in step.get("run", "") for step in steps)
    [write] = [step for step in steps if "planfolio digest" in step.get("run", "")]
    assert write["env"] == {"GH_TOKEN": "${{ github.token }}", "GH_REPO": "${{ github.repository }}"}


# -- the step, run -----------------------------------------------------------------------------------------

# A stand-in for `gh api`, as the step calls it: the repository's issues and labels live in $FAKE_GH_STATE;
# every call is logged to $FAKE_GH_LOG. A list is printed one issue a page, as `--paginate` prints pages.
FAKE_GH = textwrap.dedent(
    """\
    import json, os, sys
    from urllib.parse import parse_qs, urlsplit

    args = sys.argv[1:]
    assert args[0] == "api", args
    method, paginate, body, fields, endpoint = "GET", False, None, {}, None
    index = 1
    while index < len(args):
        arg = args[index]
        if arg == "--method":
            method = args[index + 1]; index += 1
        elif arg == "--paginate":
            paginate = True
        elif arg == "--input":
            body = json.load(open(args[index + 1], encoding="utf-8")); index += 1
        elif arg == "-f":
            key, _, value = args[index + 1].partition("="); fields[key] = value; index += 1
        elif arg == "--silent":
            pass
        else:
            assert endpoint is None, args
            endpoint = arg
        index += 1
    with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"method": method, "endpoint": endpoint, "body": body, "fields": fields, "paginate": paginate}) + "\\n")
    state = json.load(open(os.environ["FAKE_GH_STATE"], encoding="utf-8"))
    url = urlsplit(endpoint)
    path, query = url.path.split("/"), parse_qs(url.query)
    assert path[:3] == ["repos", "acme", "plans"], endpoint
    if path[3:] == ["issues"] and method == "GET":
        assert query == {"labels": ["portfolio-digest"], "state": ["all"], "per_page": ["100"]} and paginate, endpoint
        found = [issue for issue in state["issues"] if "portfolio-digest" in [label["name"] for label in issue["labels"]]]
        print("".join(json.dumps([issue]) for issue in found) or "[]")
    elif path[3:] == ["issues"] and method == "POST":
        number = max([issue["number"] for issue in state["issues"]] + [0]) + 1
        issue = {"number": number, "title": body["title"], "body": body["body"], "state": "open", "user": {"login": "github-actions[bot]"},
                 "labels": [{"name": name} for name in body["labels"]]}
        state["issues"].append(issue)
    elif path[3] == "issues" and len(path) == 5 and method == "PATCH":
        [issue] = [issue for issue in state["issues"] if issue["number"] == int(path[4])]
        issue.update(body)
    elif path[3:] == ["labels"] and method == "POST":
        state["labels"].append(fields)
    elif path[3] == "labels" and len(path) == 5 and method == "GET":
        if path[4] not in [label["name"] for label in state["labels"]]:
            print("gh: Not Found (HTTP 404)", file=sys.stderr); sys.exit(1)
    else:
        print(f"gh: unexpected {method} {endpoint}", file=sys.stderr); sys.exit(1)
    json.dump(state, open(os.environ["FAKE_GH_STATE"], "w", encoding="utf-8"))
    """
)


def _plan(c1_due: str, c1_done: bool = False) -> str:
    text = PLAN.replace("due: 2027-02-15", f"due: {c1_due}")
    return text.replace(f"due: {c1_due}\n", f"due: {c1_due}\n    status: done\n") if c1_done else text


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """acme, committed 2026-12-01: Luis Ortega's C1 due 2026-12-05 (overdue on 2026-12-10); Luis has a handle."""
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\nplugins:\n  - planfolio:\n      people: people.yml\n", encoding="utf-8")
    (root / "people.yml").write_text("Dana Kim:\nLuis Ortega: {github: luis-o}\nMia Chen:\n", encoding="utf-8")
    (root / "plans" / "acme.md").write_text(_plan("2026-12-05"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "2026-12-01")
    return root


class GitHub:
    """The stand-in's state: issues and labels, and the calls the step made."""

    def __init__(self, folder: Path, issues: list[dict] | None = None, labels: tuple[str, ...] = ()) -> None:
        self.bin, self.state, self.log = folder / "bin", folder / "github.json", folder / "calls.jsonl"
        self.bin.mkdir()
        (self.bin / "gh").write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
        (self.bin / "gh").chmod(0o755)
        self.state.write_text(json.dumps({"issues": issues or [], "labels": [{"name": name} for name in labels]}), encoding="utf-8")

    @property
    def issues(self) -> list[dict]:
        return json.loads(self.state.read_text(encoding="utf-8"))["issues"]

    @property
    def labels(self) -> list[dict]:
        return json.loads(self.state.read_text(encoding="utf-8"))["labels"]

    def calls(self) -> list[tuple[str, str]]:
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        return [(call["method"], call["endpoint"]) for call in map(json.loads, lines)]


def _run(repository: Path, github: GitHub, today: str) -> subprocess.CompletedProcess[str]:
    """The workflow's digest step, as written, in `repository` on `today` (SOURCE_DATE_EPOCH dates planfolio's today)."""
    [step] = [step for step in _steps(_workflow()) if "planfolio digest" in step.get("run", "")]
    github.log.unlink(missing_ok=True)
    summary = github.bin.parent / "summary.md"
    epoch = int(datetime.fromisoformat(f"{today}T07:00:00").replace(tzinfo=UTC).timestamp())
    environment = {
        **os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "SOURCE_DATE_EPOCH": str(epoch),
        "PATH": f"{github.bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GH_TOKEN": "token", "GH_REPO": "acme/plans", "GITHUB_STEP_SUMMARY": str(summary), "FAKE_GH_STATE": str(github.state), "FAKE_GH_LOG": str(github.log),
    }
    return subprocess.run(["bash", "-c", step["run"]], cwd=repository, env=environment, capture_output=True, text=True, timeout=300)


def test_the_first_run_makes_the_label_and_opens_the_issue_once_then_rewrites_it(portfolio, tmp_path) -> None:
    github = GitHub(tmp_path)
    first = _run(portfolio, github, "2026-12-10")
    assert first.returncode == 0, first.stderr
    assert github.calls() == [
        ("GET", "repos/acme/plans/issues?labels=portfolio-digest&state=all&per_page=100"),
        ("GET", "repos/acme/plans/labels/portfolio-digest"),
        ("POST", "repos/acme/plans/labels"),
        ("POST", "repos/acme/plans/issues"),
    ]
    assert [label["name"] for label in github.labels] == ["portfolio-digest"]
    [issue] = github.issues
    assert (issue["number"], issue["title"], issue["labels"]) == (1, "Portfolio digest", [{"name": "portfolio-digest"}])
    assert issue["body"].startswith(ISSUE_MARKER + "\n") and "## Luis Ortega (@luis-o)\n" in issue["body"]
    assert f"**Overdue**\n\n- **C1** {C1} \u2014 due 2026-12-05" in issue["body"]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### Portfolio digest\n\n**Digest of 2026-12-03 to 2026-12-10**") and "## Luis Ortega (@luis-o)" in summary

    (portfolio / "plans" / "acme.md").write_text(_plan("2026-12-05", c1_done=True), encoding="utf-8")
    commit(portfolio, "2026-12-14")
    second = _run(portfolio, github, "2026-12-17")
    assert second.returncode == 0, second.stderr
    assert github.calls() == [("GET", "repos/acme/plans/issues?labels=portfolio-digest&state=all&per_page=100"), ("PATCH", "repos/acme/plans/issues/1")]
    [issue] = github.issues  # the same issue, rewritten: C1 is done, and struck through as closed
    assert issue["state"] == "open" and issue["body"].startswith(ISSUE_MARKER + "\n**Digest of 2026-12-10 to 2026-12-17**")
    assert f"**Done**\n\n- **C1** {C1} \u2014 done" in issue["body"]
    assert f"**Closed since the last digest**\n\n- ~~**C1** {C1}~~ \u00b7 ACME Manufacturing GmbH (plans/acme.md)\n" in issue["body"]


def _issue(number: int, body: str, login: str = BOT, state: str = "open", pull_request: bool = False) -> dict:
    issue = {"number": number, "title": "Portfolio digest", "body": body, "state": state, "user": {"login": login}, "labels": [{"name": "portfolio-digest"}]}
    return {**issue, "pull_request": {"url": "x"}} if pull_request else issue


def test_only_the_bots_oldest_issue_with_the_marker_is_rewritten_and_a_closed_one_is_reopened(portfolio, tmp_path) -> None:
    marked = f"{ISSUE_MARKER}\nlast week\n"
    github = GitHub(tmp_path, [
        _issue(3, marked, login="mallory"),  # anyone may write the marker: not the bot's
        _issue(4, "someone's own issue under the label"),
        _issue(5, marked, pull_request=True),  # the issues list holds pull requests too
        _issue(7, marked, state="closed"),
        _issue(9, marked),  # a newer one (it should not exist): the oldest is kept current
    ], labels=("portfolio-digest",))
    result = _run(portfolio, github, "2026-12-10")
    assert result.returncode == 0, result.stderr
    assert github.calls() == [("GET", "repos/acme/plans/issues?labels=portfolio-digest&state=all&per_page=100"), ("PATCH", "repos/acme/plans/issues/7")]
    issues = {issue["number"]: issue for issue in github.issues}
    assert issues[7]["state"] == "open" and issues[7]["body"].startswith(ISSUE_MARKER + "\n**Digest of 2026-12-03 to 2026-12-10**")
    assert [issues[number]["body"] for number in (3, 4, 5, 9)] == [marked, "someone's own issue under the label", marked, marked]


def test_an_existing_label_is_not_made_again(portfolio, tmp_path) -> None:
    github = GitHub(tmp_path, labels=("portfolio-digest",))
    result = _run(portfolio, github, "2026-12-10")
    assert result.returncode == 0, result.stderr
    assert ("POST", "repos/acme/plans/labels") not in github.calls() and ("POST", "repos/acme/plans/issues") in github.calls()
    assert len(github.issues) == 1


def test_a_failing_digest_posts_nothing(portfolio, tmp_path) -> None:
    (portfolio / "people.yml").write_text("Luis Ortega: {github: -luis}\n", encoding="utf-8")
    github = GitHub(tmp_path)
    result = _run(portfolio, github, "2026-12-10")
    assert result.returncode != 0 and "is not a GitHub handle" in result.stderr
    assert github.issues == [] and github.calls() == [("GET", "repos/acme/plans/issues?labels=portfolio-digest&state=all&per_page=100")]
