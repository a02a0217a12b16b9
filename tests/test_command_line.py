"""The command line's manners (contract 1.1): version, summary, --quiet, strict dates, pipes, the whole
chain in the export, CSV, `new` writing whole files, and output no plan text can break into lines."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from planfolio import __version__
from sitebuild import PLAN

CORPUS = Path(__file__).parent / "corpus"
TODAY = "2026-11-28"
PLANFOLIO = [sys.executable, "-c", "from planfolio.cli import run; run()"]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_version_and_the_bare_command(planfolio) -> None:
    assert planfolio("--version") == (0, f"planfolio {__version__}\n", "")
    status, out, err = planfolio()
    assert (status, out) == (2, "")
    for command in ("check", "export", "new", "schema"):
        assert command in err


def test_every_option_has_help() -> None:
    from planfolio.cli import _parser

    [commands] = [action for action in _parser()._actions if action.dest == "command"]
    for name, command in commands.choices.items():  # type: ignore[union-attr]
        for action in command._actions:
            assert action.help, (name, action.option_strings or action.dest)
    check = commands.choices["check"]  # type: ignore[index]
    assert "site option" in check.format_help() and "annotations" in check.format_help()


@pytest.mark.parametrize(
    ("plans", "summary"),
    [
        ({"a.md": PLAN}, "1 plan checked: 0 errors, 0 warnings, 1 info"),  # C1 is due 2027-02-15: not overdue; never overdue info
        ({"a.md": PLAN, "b.md": PLAN.replace("csf: CSF1\n", "csf: CSF7\n")}, "2 plans checked: 1 error, 1 warning, 2 info"),
    ],
)
def test_the_summary_line_goes_to_stderr(planfolio, tmp_path, plans, summary) -> None:
    for name, text in plans.items():
        _write(tmp_path / "plans", name, text.replace("reviewed: 2026-11-02\n", ""))  # never reviewed: PF201 info
    status, out, err = planfolio("check", tmp_path / "plans", "--today", TODAY)
    assert err.splitlines()[-1] == summary  # after the one line that says there is no history here
    assert status == (1 if " 0 errors" not in summary else 0)
    quiet_status, quiet_out, quiet_err = planfolio("check", tmp_path / "plans", "--today", TODAY, "--quiet")
    assert quiet_status == status and quiet_err == ""
    assert any(": info PF" in line for line in out.splitlines())
    assert quiet_out.splitlines() == [line for line in out.splitlines() if ": info PF" not in line]


@pytest.mark.parametrize("value", ["today: 2026-13-01", "docs_dir: 2026-99-99"])
def test_an_impossible_date_in_mkdocs_yml_is_a_usage_error(planfolio, tmp_path, value) -> None:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\n{value}\n", encoding="utf-8")
    status, out, err = planfolio("check", "--config-file", tmp_path / "mkdocs.yml")
    assert (status, out) == (2, "") and err.startswith("planfolio: cannot read ") and "Traceback" not in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("today", ["20270115", "2027W035", "", "2027-1-15", "2027-02-30", "١٢٣٤-٠١-٠١"])
def test_today_is_written_yyyy_mm_dd_only(planfolio, today) -> None:
    status, out, err = planfolio("check", CORPUS / "valid-example.md", "--today", today)
    assert (status, out) == (2, "")
    assert "--today must be a date YYYY-MM-DD" in err


def test_output_into_a_pipe_that_closes_early(tmp_path) -> None:
    for number in range(40):  # never reviewed: an info line each, so every command has more to say than is read
        _write(tmp_path / "plans", f"p{number}.md", PLAN.replace("ACME Manufacturing GmbH", f"ACME {number}").replace("reviewed: 2026-11-02\n", ""))
    run = f"{PLANFOLIO[0]} -c '{PLANFOLIO[2]}'"
    for command in ("export plans", "export plans --format csv", "check plans", "schema"):
        shell = f"{run} {command} --today {TODAY} | head -c 10" if command != "schema" else f"{run} schema | head -c 10"
        result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr, result.stderr
        assert result.returncode == 0, (command, result.stderr)
        assert len(result.stdout) == 10


def test_the_export_carries_the_whole_chain(planfolio, tmp_path) -> None:
    plan = PLAN.replace("    status: doing\n", "    status: done\n")  # C2 done: OB2 overcome, so NC2 achieved
    _write(tmp_path / "plans", "acme.md", plan)
    status, out, _err = planfolio("export", tmp_path / "plans", "--today", TODAY)
    assert status == 0
    [exported] = json.loads(out)["plans"]
    assert exported["csfs"] == [
        {"id": "CSF1", "title": "Preferred supplier for the new Lyon plant", "state": "open"},  # NC1 waits on OB1 (C1 open)
        {"id": "CSF2", "title": "Service contract renewed on multi-year terms", "state": "achieved"},  # NC2 achieved, NC3 met
    ]
    assert [(c["id"], c["csfs"], c["met"], c["state"]) for c in exported["conditions"]] == [
        ("NC1", ["CSF1"], False, "open"), ("NC2", ["CSF1", "CSF2"], False, "achieved"), ("NC3", ["CSF2"], True, "achieved"),
    ]
    assert [(o["id"], o["conditions"], o["state"]) for o in exported["obstacles"]] == [("OB1", ["NC1"], "open"), ("OB2", ["NC2"], "overcome")]
    assert exported["goal"] == {
        "statement": "Grow ACME revenue from EUR 2.0 M to EUR 3.5 M in FY2027", "due": "2027-12-31",
        "baseline": 2.0, "target": 3.5, "current": None, "unit": "EUR M", "within_reach": False,
    }
    assert {c["id"]: c["obstacles"] for c in exported["commitments"]} == {"C1": ["OB1"], "C2": ["OB1", "OB2"]}


def test_export_as_csv_neutralises_formulas_in_every_piece(planfolio, tmp_path) -> None:
    hostile = "Q3;=cmd|' /C calc'!A0"
    plan = PLAN.replace("title: Budget for new suppliers frozen until Q3", "title: x").replace(
        "title: Reference visit to the Mueller plant with the engineering lead", f"title: \"{hostile}\""
    ).replace("owner: Luis Ortega\n    due", "owner: \"@Luis, -Ortega\"\n    due")
    _write(tmp_path / "plans", "acme.md", plan)
    status, out, _err = planfolio("export", tmp_path / "plans", "--format", "csv", "--today", TODAY)
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["title"] == "Q3;'=cmd|' /C calc'!A0"
    assert rows[0]["owner"] == "'@Luis, -Ortega"  # a cell that starts with a space is text
    for separator in (",", ";", "\t", "|"):
        for row in rows:
            for cell in row.values():
                for piece in (cell or "").split(separator):
                    assert not piece.startswith(("=", "+", "-", "@")), (separator, cell)


def test_new_refuses_an_account_that_is_not_utf8_and_leaves_no_file(tmp_path) -> None:
    command = [*PLANFOLIO, "new", b"Caf\xe9 Corp", "--owner", "Dana Kim", "--dir", "plans", "--today", TODAY]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert b"not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr
    assert not list((tmp_path / "plans").iterdir()) if (tmp_path / "plans").exists() else True
    retry = subprocess.run([*PLANFOLIO, "new", "Café Corp", "--owner", "Dana Kim", "--dir", "plans", "--today", TODAY], cwd=tmp_path, capture_output=True, timeout=60)
    assert retry.returncode == 0, retry.stderr
    assert [path.name for path in (tmp_path / "plans").iterdir()] == ["cafe-corp.md"]  # no temporary file left either


def test_new_writes_values_unquoted_as_the_docs_teach(planfolio, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert planfolio("new", "Zenith Robotics Ltd", "--owner", "Dana Kim", "--dir", "plans", "--today", TODAY)[0] == 0
    text = (tmp_path / "plans" / "zenith-robotics-ltd.md").read_text(encoding="utf-8")
    assert "\naccount: Zenith Robotics Ltd\n" in text and "\nowner: Dana Kim\n" in text and "\"" not in text.split("---")[1].replace('"Zenith', "")
    assert planfolio("new", "NO", "--owner", "Dana Kim", "--dir", "plans", "--today", TODAY)[0] == 0
    assert '\naccount: "NO"\n' in (tmp_path / "plans" / "no.md").read_text(encoding="utf-8")  # YAML 1.1 readers see false


def test_a_long_account_makes_a_bounded_file_name(planfolio, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert planfolio("new", "Very " * 80 + "Long Holdings", "--owner", "Dana Kim", "--dir", "plans", "--today", TODAY)[0] == 0
    [path] = (tmp_path / "plans").iterdir()
    assert len(path.name) <= 64 + 3 and path.name.startswith("very-very-")


@pytest.mark.parametrize(
    "name",
    ["Dana\n::error file=x.md::forged", "Dana\r::add-mask::secret", "Dana\u2028::warning::forged", "Dana\x1b[2J forged"],
)
def test_no_plan_text_starts_a_line_of_output(planfolio, tmp_path, name) -> None:
    # An overdue commitment (PF200 names its owner) whose owner and obstacle title are hostile, in a file whose
    # link name is hostile too (a misnamed plan file: PF021 names it).
    plan = PLAN.replace("owner: Luis Ortega\n    due: 2027-02-15", f"owner: {json.dumps(name)}\n    due: 2026-02-15")
    plan = plan.replace("title: Budget for new suppliers frozen until Q3", f"title: {json.dumps(name)}")
    path = _write(tmp_path / "plans", "acme.md", plan)
    (tmp_path / "plans" / "evil\n::error::forged.markdown").symlink_to(path)
    for output_format, starts in (("text", "plans/"), ("github", ("::error ", "::warning ", "::notice "))):
        status, out, _err = planfolio("check", tmp_path / "plans", "--today", TODAY, "--format", output_format)
        assert status == 1  # the misnamed file is PF021
        lines = out.splitlines()
        assert len(lines) >= 3 and all(line.startswith(starts) for line in lines), lines
        assert sum("forged" in line for line in lines) >= 2
    status, out, _err = planfolio("check", tmp_path / "plans", "--today", TODAY, "--format", "json")
    assert "\u2028" not in out and "\x1b" not in out
    assert {finding["code"] for finding in json.loads(out)} >= {"PF021", "PF200"}
