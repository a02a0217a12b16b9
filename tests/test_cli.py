"""The `planfolio` command line: exit status, output formats, GitHub escaping, the export, today."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from planfolio.core.portfolio import load_portfolio
from planfolio.core.publish.export import plan_export, write_export
from planfolio.core.read.files import PlanSource
from planfolio.core.settings import Limits

CORPUS = Path(__file__).parent / "corpus"
PEOPLE = CORPUS / "people.yml"
TODAY = "2026-11-28"

VALID = CORPUS / "valid-example.md"
ERRORS = CORPUS / "pf011-invalid-values.md"
WARNINGS = CORPUS / "pf101-met-condition-with-obstacle.md"
INFO = CORPUS / "pf200-overdue.md"

TEXT_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info) (?P<code>PF\d{3}) (?P<message>.+)$")
GITHUB_LINE = re.compile(
    r"^::(?P<command>error|warning|notice) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<column>\d+),title=(?P<code>PF\d{3})::(?P<message>.*)$"
)


def _json(planfolio, *args: object) -> list[dict[str, object]]:
    status, out, err = planfolio("check", *args, "--format", "json")
    assert status in (0, 1), err
    return json.loads(out)


# -- exit status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "strict", "status"),
    [
        (VALID, False, 0),
        (VALID, True, 0),
        (ERRORS, False, 1),
        (ERRORS, True, 1),
        (WARNINGS, False, 0),
        (WARNINGS, True, 1),
        (INFO, False, 0),
        (INFO, True, 0),  # info never fails a check
        (CORPUS / "valid-draft-incomplete.md", True, 0),  # chain findings of a draft are info
        (CORPUS / "pf201-never-reviewed.md", True, 0),
    ],
)
def test_exit_status(planfolio, plan: Path, strict: bool, status: int) -> None:
    args = ["check", plan, "--today", TODAY, "--people", PEOPLE] + (["--strict"] if strict else [])
    assert planfolio(*args)[0] == status


def test_exit_status_of_a_folder_with_errors_and_warnings(planfolio) -> None:
    assert planfolio("check", CORPUS / "pf103-same-account", "--today", TODAY)[0] == 0
    assert planfolio("check", CORPUS / "pf103-same-account", "--today", TODAY, "--strict")[0] == 1


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["lint"],
        ["check", "--format", "xml", VALID],
        ["check", "--bogus", VALID],
        ["check", "--today", "28.11.2026", VALID],
        ["check", "--today", "2026-02-30", VALID],
        ["export", "--today", "tomorrow", VALID],
    ],
)
def test_usage_errors_exit_2(planfolio, args: list[object]) -> None:
    assert planfolio(*args)[0] == 2


def test_help_exits_0(planfolio) -> None:
    status, out, _err = planfolio("check", "--help")
    assert status == 0 and "--strict" in out


def test_missing_people_file_exits_2(planfolio, tmp_path: Path) -> None:
    status, _out, err = planfolio("check", VALID, "--today", TODAY, "--people", tmp_path / "nobody.yml")
    assert status == 2 and "nobody.yml" in err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("folder", None),
        ("invalid-utf8.yml", b"- Dana Kim\n- J\xfcrgen\n"),
        ("syntax.yml", b"- Dana Kim\n- [unclosed\n"),
        ("scalar.yml", b"just a name\n"),
        ("nested.yml", b"- Dana Kim\n- [Luis Ortega]\n"),
        ("alias.yml", b"- &a Dana Kim\n- *a\n"),
    ],
)
def test_unreadable_people_file_exits_2(planfolio, tmp_path: Path, name: str, content: bytes | None) -> None:
    people = tmp_path / name
    if content is None:
        people.mkdir()
    else:
        people.write_bytes(content)
    status, out, err = planfolio("check", VALID, "--today", TODAY, "--people", people)
    assert status == 2, out
    assert err.startswith("planfolio: ") and "Traceback" not in err


def test_people_file_as_a_mapping(planfolio, tmp_path: Path) -> None:
    people = tmp_path / "people.yml"
    people.write_text("Dana Kim: {email: dana@example.com}\nLuis Ortega: {}\nMia Chen:\n", encoding="utf-8")
    assert planfolio("check", VALID, "--today", TODAY, "--people", people)[0] == 0
    people.write_text("Dana Kim:\nLuis Ortega:\n", encoding="utf-8")
    findings = _json(planfolio, VALID, "--today", TODAY, "--people", people)
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("PF023", 4, 21), ("PF023", 47, 12)]


@pytest.mark.parametrize("command", ["check", "export"])
def test_no_plan_found_exits_2(planfolio, tmp_path: Path, command: str) -> None:
    empty = tmp_path / "plans"
    empty.mkdir()
    (empty / "README.txt").write_text("not a plan")
    status, _out, err = planfolio(command, empty, "--today", TODAY)
    assert status == 2 and "no plan found" in err


def test_no_such_path_exits_2(planfolio, tmp_path: Path) -> None:
    status, _out, err = planfolio("check", tmp_path / "missing-folder", "--today", TODAY)
    assert status == 2 and "missing-folder" in err


def test_no_plans_folder_by_default_exits_2(planfolio) -> None:
    assert planfolio("check", "--today", TODAY)[0] == 2


def test_default_plans_folder(planfolio, tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.md").write_bytes(VALID.read_bytes())
    status, out, _err = planfolio("check", "--today", TODAY)
    assert (status, out) == (0, "")


def test_a_missing_md_file_is_reported_not_skipped(planfolio, tmp_path: Path) -> None:
    status, _out, err = planfolio("check", tmp_path / "gone.md", "--today", TODAY)
    assert status in (1, 2), "a plan file that was meant to be checked is never skipped silently"
    if status == 1:
        findings = _json(planfolio, tmp_path / "gone.md", "--today", TODAY)
        assert [f["code"] for f in findings] == ["PF001"]


def test_bad_source_date_epoch_exits_2(planfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert planfolio("check", VALID)[0] == 2


def test_site_options_from_the_config_file(planfolio, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    config = tmp_path / "site" / "mkdocs.yml"
    config.write_text(
        "site_name: Plans\nplugins:\n  - search\n  - planfolio:\n      csf_limit: 7\n      review_days: 100\n"
        "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n",
        encoding="utf-8",
    )
    plans = [CORPUS / "pf100-too-many-csfs.md", CORPUS / "pf201-stale-review.md"]
    assert _json(planfolio, *plans, "--today", TODAY, "--config-file", config) == []
    assert sorted(f["code"] for f in _json(planfolio, *plans, "--today", TODAY)) == ["PF100", "PF201"]
    assert planfolio("check", *plans, "--config-file", tmp_path / "none.yml")[0] == 2
    (tmp_path / "mkdocs.yml").write_bytes(config.read_bytes())  # ./mkdocs.yml is read by default
    assert _json(planfolio, *plans, "--today", TODAY) == []


# -- output formats ------------------------------------------------------------------------------------


def test_text_format_matches_json(planfolio) -> None:
    args = [CORPUS, "--today", TODAY, "--people", PEOPLE]
    findings = _json(planfolio, *args)
    status, out, _err = planfolio("check", *args)
    assert status == 1
    lines = out.splitlines()
    assert out.endswith("\n") and len(lines) == len(findings) > 40
    for line, finding in zip(lines, findings):
        match = TEXT_LINE.match(line)
        assert match, line
        assert line == f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['severity']} {finding['code']} {finding['message']}"


def test_text_format_as_in_the_contract(planfolio) -> None:
    (Path.cwd() / "plans").mkdir()
    plan = Path("plans") / "acme.md"
    plan.write_bytes((CORPUS / "pf032-obstacle-without-live-commitment.md").read_bytes())
    status, out, _err = planfolio("check", plan, "--today", TODAY)
    assert status == 1
    assert out.splitlines()[0] == 'plans/acme.md:15:5: error PF032 obstacle OB1 "Budget frozen until Q3" has no live commitment'


def test_no_findings_when_clean(planfolio) -> None:
    assert planfolio("check", VALID, "--today", TODAY, "--format", "text") == (0, "", "1 plan checked: 0 errors, 0 warnings, 0 info\n")
    assert planfolio("check", VALID, "--today", TODAY, "--format", "github") == (0, "", "")
    status, out, _err = planfolio("check", VALID, "--today", TODAY, "--format", "json")
    assert (status, json.loads(out)) == (0, [])


def test_json_format(planfolio) -> None:
    findings = _json(planfolio, CORPUS, "--today", TODAY, "--people", PEOPLE)
    assert findings
    for finding in findings:
        assert set(finding) >= {"path", "line", "column", "severity", "code", "message"}
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
        assert finding["severity"] in ("error", "warning", "info")
        assert re.fullmatch(r"PF\d{3}", str(finding["code"]))
        assert isinstance(finding["message"], str) and finding["message"]


def test_github_format_matches_json(planfolio) -> None:
    args = [CORPUS, "--today", TODAY, "--people", PEOPLE]
    findings = _json(planfolio, *args)
    status, out, _err = planfolio("check", *args, "--format", "github")
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == len(findings)
    commands = {"error": "error", "warning": "warning", "info": "notice"}
    seen = set()
    for line, finding in zip(lines, findings):
        match = GITHUB_LINE.match(line)
        assert match, line
        seen.add(match["command"])
        assert match["command"] == commands[str(finding["severity"])]
        assert (int(match["line"]), int(match["column"]), match["code"]) == (finding["line"], finding["column"], finding["code"])
        assert match["file"] == str(finding["path"]).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
        assert match["message"] == str(finding["message"]).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    assert seen == {"error", "warning", "notice"}


INJECTED_TITLE = "Budget 100% frozen\n::error::injected\r\n::warning file=x::more"


def _injection_plan(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / "plan.md"
    plan.write_text(
        "---\naccount: Injection GmbH\nowner: Dana Kim\nreviewed: 2026-11-02\ngoal:\n  statement: Grow\n"
        "csfs:\n  - id: CSF1\n    title: Preferred supplier\nconditions:\n  - id: NC1\n    title: Drives specified\n    csf: CSF1\n"
        f"obstacles:\n  - id: OB1\n    title: {json.dumps(INJECTED_TITLE)}\n    condition: NC1\n---\n",
        encoding="utf-8",
    )
    return plan


def test_github_injection_through_a_title_and_a_path(planfolio) -> None:
    plan = _injection_plan(Path("emea,north:2027 50%"))
    status, out, _err = planfolio("check", plan, "--today", TODAY, "--format", "github")
    assert status == 1
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) == 2, out  # one finding, one line
    line = lines[0]
    assert line.startswith("::error file=emea%2Cnorth%3A2027 50%25/plan.md,line=15,col=5,title=PF032::")
    message = line.split("title=PF032::", 1)[1]
    assert "\n" not in message and "\r" not in message
    assert "100%25 frozen" in message and "100% " not in message
    for text_line in planfolio("check", plan, "--today", TODAY)[1].splitlines():
        assert TEXT_LINE.match(text_line)


def test_github_injection_through_every_finding(planfolio) -> None:
    """No plan text can start a second workflow command: every output line is one finding and starts with `::`."""
    plan = _injection_plan(Path("x"))
    text = plan.read_text(encoding="utf-8")
    quoted = json.dumps("\n::error::injected\n")
    text = text.replace("account: Injection GmbH", f"account: {quoted}\n{quoted}: 1\nperiod: {quoted}\nstatus: {quoted}")
    text = text.replace("    csf: CSF1", f"    csf: [{quoted}]\n    met: {quoted}")
    text = text.replace("owner: Dana Kim", f"owner: {quoted}")
    plan.write_text(text, encoding="utf-8")
    findings = _json(planfolio, plan, "--today", TODAY, "--people", PEOPLE)
    assert len(findings) >= 6
    out = planfolio("check", plan, "--today", TODAY, "--people", PEOPLE, "--format", "github")[1]
    lines = out.splitlines()
    assert len(lines) == len(findings)
    assert all(GITHUB_LINE.match(line) for line in lines), out


def test_text_format_is_one_line_a_finding_whatever_the_plan_says(planfolio) -> None:
    """BUG: unknown keys, duplicate keys and reference ids are written raw into messages: a newline in
    them splits a text finding over two lines (and `::error::` at a line start is a workflow command)."""
    plan = Path("keys.md")
    plan.write_text(
        '---\naccount: K\nowner: Dana Kim\nreviewed: 2026-11-02\n"bad\\n::error::key": 1\ngoal:\n  statement: g\n'
        'csfs:\n  - id: CSF1\n    title: t\nconditions:\n  - id: NC1\n    title: t\n    csf: [CSF1, "CSF\\n::error::x"]\n'
        "    met: true\n---\n",
        encoding="utf-8",
    )
    findings = _json(planfolio, plan, "--today", TODAY)
    assert sorted(f["code"] for f in findings) == ["PF012", "PF022"]
    out = planfolio("check", plan, "--today", TODAY)[1]
    assert len(out.splitlines()) == len(findings), out
    assert all(TEXT_LINE.match(line) for line in out.splitlines()), out


# -- the export ------------------------------------------------------------------------------------------


def _export(planfolio, *args: object) -> dict:
    status, out, err = planfolio("export", *args)
    assert status == 0, err
    return json.loads(out)


def test_export_shape(planfolio) -> None:
    exported = _export(planfolio, CORPUS, "--today", TODAY, "--people", PEOPLE)
    assert set(exported) >= {"today", "plans"} and exported["today"] == TODAY
    files = sorted(CORPUS.rglob("*.md"))
    assert len(exported["plans"]) == len(files)
    for plan in exported["plans"]:
        assert set(plan) >= {"id", "account", "owner", "status", "period", "tags", "progress", "overdue", "commitments", "diagnostics"}
        assert isinstance(plan["id"], str)
        assert plan["status"] in ("draft", "active", "archived")
        assert isinstance(plan["tags"], list)
        assert isinstance(plan["progress"], (int, float)) and 0 <= plan["progress"] <= 1
        assert isinstance(plan["overdue"], int) and plan["overdue"] >= 0
        for commitment in plan["commitments"]:
            assert set(commitment) >= {"id", "title", "owner", "due", "status", "overdue", "obstacles"}
            assert isinstance(commitment["overdue"], bool) and isinstance(commitment["obstacles"], list)
        for diagnostic in plan["diagnostics"]:
            assert set(diagnostic) >= {"path", "line", "column", "severity", "code", "message"}


def test_export_of_the_example(planfolio) -> None:
    [plan] = _export(planfolio, VALID, "--today", TODAY)["plans"]
    assert {key: plan[key] for key in ("id", "account", "owner", "status", "period", "tags", "progress", "overdue")} == {
        "id": "valid-example",
        "account": "ACME Manufacturing GmbH",
        "owner": "Dana Kim",
        "status": "active",
        "period": "FY2027",
        "tags": ["manufacturing", "emea"],
        "progress": 0,
        "overdue": 0,
    }
    assert [
        {key: commitment[key] for key in ("id", "title", "owner", "due", "status", "overdue", "obstacles")} for commitment in plan["commitments"]
    ] == [
        {"id": "C1", "title": "Reference visit to the Mueller plant with the engineering lead", "owner": "Luis Ortega",
         "due": "2027-02-15", "status": "open", "overdue": False, "obstacles": ["OB1"]},
        {"id": "C2", "title": "Total-cost-of-ownership case signed off by our CFO", "owner": "Mia Chen",
         "due": "2027-03-31", "status": "doing", "overdue": False, "obstacles": ["OB1", "OB2"]},
    ]
    assert plan["diagnostics"] == []


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("plans", [0, 1, None])  # none, one, the whole corpus (readable or not)
def test_export_written_a_plan_at_a_time_is_json_dumps_of_the_whole(plans: int | None, indent: int | None) -> None:
    sources = [PlanSource(path, path.name) for path in sorted(CORPUS.glob("*.md"))[:plans]]
    portfolio = load_portfolio(sources, date(2026, 11, 28), Limits())
    whole = {"today": "2026-11-28", "plans": [plan_export(report) for report in portfolio.reports]}
    written = io.StringIO()
    write_export(portfolio, written, indent)
    assert written.getvalue() == json.dumps(whole, ensure_ascii=False, indent=indent)
    assert len(whole["plans"]) == len(sources) == (plans if plans is not None else len(list(CORPUS.glob("*.md"))))


def test_export_progress_excludes_dropped_commitments(planfolio) -> None:
    plans = _export(planfolio, CORPUS / "valid-done-and-dropped.md", INFO, CORPUS / "valid-archived.md", "--today", TODAY)["plans"]
    done_and_dropped, overdue, archived = plans
    assert done_and_dropped["progress"] == 1  # 1 done of 1 live (the dropped one does not count)
    assert done_and_dropped["overdue"] == 0
    assert overdue["progress"] == 0.25  # 1 done (C3) of 4 live (C1, C2, C3, C5; C4 dropped)
    assert overdue["overdue"] == 2
    assert {c["id"]: c["overdue"] for c in overdue["commitments"]} == {"C1": True, "C2": False, "C3": False, "C4": False, "C5": True}
    assert archived["progress"] == 0  # no live commitment
    assert archived["status"] == "archived"


def test_export_diagnostics_are_the_check_findings(planfolio) -> None:
    exported = _export(planfolio, CORPUS, "--today", TODAY, "--people", PEOPLE)
    from_export = sorted(json.dumps(d, sort_keys=True) for plan in exported["plans"] for d in plan["diagnostics"])
    from_check = sorted(json.dumps(d, sort_keys=True) for d in _json(planfolio, CORPUS, "--today", TODAY, "--people", PEOPLE))
    assert from_export == from_check


def test_export_of_unreadable_plans(planfolio) -> None:
    names = ["pf001-invalid-utf8.md", "pf002-unclosed.md", "pf003-syntax-error.md", "pf004-list.md"]
    plans = _export(planfolio, *(CORPUS / name for name in names), "--today", TODAY)["plans"]
    assert [plan["id"] for plan in plans] == [name[:-3] for name in names]
    for plan in plans:
        assert plan["progress"] == 0 and plan["overdue"] == 0 and plan["commitments"] == []
        assert [d["severity"] for d in plan["diagnostics"]] == ["error"]


# -- today -----------------------------------------------------------------------------------------------


def test_today_from_the_option(planfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225599")
    assert _export(planfolio, VALID, "--today", "2027-02-16")["today"] == "2027-02-16"
    [plan] = _export(planfolio, VALID, "--today", "2027-02-16")["plans"]
    assert plan["overdue"] == 1 and [c["overdue"] for c in plan["commitments"]] == [True, False]
    codes = sorted(f["code"] for f in _json(planfolio, VALID, "--today", "2027-02-16"))
    assert codes == ["PF200", "PF201"]  # C1 overdue; reviewed 106 days before


def test_today_from_source_date_epoch(planfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225599")  # 2025-12-31T23:59:59Z
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "XXX-14"  # UTC+14: already 2026-01-01 there; the UTC date counts
    try:
        time.tzset()
        assert _export(planfolio, VALID)["today"] == "2025-12-31"
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1803859200")  # 2027-03-01T00:00:00Z
        [plan] = _export(planfolio, VALID)["plans"]
        assert plan["overdue"] == 1
        assert sorted(f["code"] for f in _json(planfolio, VALID)) == ["PF200", "PF201"]
    finally:
        if old_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_tz
        time.tzset()


def test_today_defaults_to_the_system_date(planfolio) -> None:
    from datetime import date

    before = date.today().isoformat()
    today = _export(planfolio, VALID)["today"]
    assert today in (before, date.today().isoformat())


# -- the check command stays light ---------------------------------------------------------------------


def test_check_does_not_import_mkdocs(tmp_path: Path) -> None:
    script = (
        "import sys, io, contextlib\n"
        "import planfolio.cli\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    status = planfolio.cli.main(['check', {str(CORPUS / 'pf200-overdue.md')!r}, '--today', '2026-11-28', '--format', 'json'])\n"
        f"    planfolio.cli.main(['export', {str(VALID)!r}, '--today', '2026-11-28'])\n"
        "assert status == 0, status\n"
        "assert out.getvalue().count('PF200') == 2, out.getvalue()\n"
        "loaded = sorted(name for name in sys.modules if name == 'mkdocs' or name.startswith('mkdocs.') or name.startswith('material'))\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, env=environment, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("planfolio")
    assert script.exists(), "the planfolio console script is installed next to this Python (pip install -e .)"
    result = subprocess.run(
        [str(script), "check", str(ERRORS), "--today", TODAY, "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert len(json.loads(result.stdout)) == 9


def test_site_options_are_read_from_a_plugins_mapping_too(planfolio, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "acme.md").write_text(VALID.read_text(encoding="utf-8").replace("owner: Dana Kim\n", "owner: Nobody\n", 1), encoding="utf-8")
    (tmp_path / "people.yml").write_text(PEOPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  search: {}\n  planfolio:\n    people: people.yml\n", encoding="utf-8")
    status, out, _err = planfolio("check", "--config-file", tmp_path / "mkdocs.yml", "--today", TODAY, "--format", "json")
    assert status == 1
    assert [finding["code"] for finding in json.loads(out)] == ["PF023"]
