"""Conformance of `planfolio check` to the plan format (/work/shared/PLAN-FORMAT.md).

The corpus (tests/corpus/) holds small plan files, and tests/corpus/expected.yml the exact findings
each must produce, derived by hand from the contract and the position conventions.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from planfolio.core.chain import Limits
from planfolio.core.findings import CODES
from planfolio.core.portfolio import read_text

CORPUS = Path(__file__).parent / "corpus"
PEOPLE = CORPUS / "people.yml"
TODAY = "2026-11-28"
MANIFEST: dict[str, list[list[object]]] = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))

Row = tuple[str, str, str, int, int]  # (file relative to the corpus, code, severity, line, column)


def _units() -> list[str]:
    """What one check run covers: each top-level plan file alone, each sub-folder as a whole."""
    files = sorted(path.name for path in CORPUS.glob("*.md"))
    folders = sorted(path.name for path in CORPUS.iterdir() if path.is_dir())
    return files + folders


def _relative(shown: str) -> str:
    return Path(shown).resolve().relative_to(CORPUS.resolve()).as_posix()


def _expected(unit: str) -> list[Row]:
    rows = []
    for file, findings in MANIFEST.items():
        if file == unit or file.startswith(unit + "/"):
            rows.extend((file, str(code), str(severity), int(line), int(column)) for code, severity, line, column in findings)
    return sorted(rows)


def _check_json(planfolio, *paths: Path, people: Path | None = PEOPLE) -> tuple[int, list[dict[str, object]]]:
    args: list[object] = ["check", *paths, "--format", "json", "--today", TODAY]
    if people is not None:
        args += ["--people", people]
    status, out, err = planfolio(*args)
    assert status in (0, 1), err
    return status, json.loads(out)


def _rows(findings: list[dict[str, object]]) -> list[Row]:
    return sorted(
        (_relative(str(f["path"])), str(f["code"]), str(f["severity"]), int(f["line"]), int(f["column"]))  # type: ignore[arg-type]
        for f in findings
    )


def _read(data: bytes | str, plan_id: str = "plan", people: frozenset[str] | None = None):
    """The findings of one plan file's bytes, through the core (no files involved)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return read_text(f"{plan_id}.md", plan_id, data, date(2026, 11, 28), Limits(), people).findings


def _codes(findings) -> list[str]:
    return sorted(finding.code for finding in findings)


# -- the corpus --------------------------------------------------------------------------------------


def test_manifest_covers_the_corpus_and_every_code() -> None:
    on_disk = {path.relative_to(CORPUS).as_posix() for path in CORPUS.rglob("*.md")}
    assert on_disk == set(MANIFEST), "every corpus plan needs an entry in expected.yml, and every entry a file"
    listed = {str(code) for findings in MANIFEST.values() for code, *_ in findings}
    assert listed == set(CODES), f"codes without a corpus case: {sorted(set(CODES) - listed)}"
    assert len(CODES) == 23
    chain_or_fixed = {"PF030": {"error", "info"}, "PF031": {"error", "info"}, "PF032": {"error", "info"}}
    for findings in MANIFEST.values():
        for code, severity, *_ in findings:
            assert severity in chain_or_fixed.get(code, {CODES[code]}), (code, severity)


@pytest.mark.parametrize("unit", _units())
def test_corpus_findings(planfolio, unit: str) -> None:
    status, findings = _check_json(planfolio, CORPUS / unit)
    expected = _expected(unit)
    assert _rows(findings) == expected
    assert status == (1 if any(row[2] == "error" for row in expected) else 0)


def test_all_findings_of_all_files_in_one_run(planfolio) -> None:
    """One run over the whole corpus folder reports every finding of every plan, not just the first."""
    status, findings = _check_json(planfolio, CORPUS)
    expected = sorted(row for unit in _units() for row in _expected(unit))
    assert _rows(findings) == expected
    assert status == 1


def test_all_findings_of_listed_files_in_one_run(planfolio) -> None:
    files = [CORPUS / "pf011-invalid-values.md", CORPUS / "pf022-unknown-reference.md", CORPUS / "pf200-overdue.md"]
    _status, findings = _check_json(planfolio, *files)
    expected = sorted(row for file in files for row in _expected(file.name))
    assert _rows(findings) == expected
    assert len(expected) == 9 + 3 + 2


def test_valid_plans_check_clean_in_strict_mode(planfolio) -> None:
    valid = sorted(CORPUS.glob("valid-*.md"))
    assert len(valid) >= 6
    status, out, err = planfolio("check", "--strict", "--today", TODAY, "--people", PEOPLE, *valid)
    assert status == 0, out + err
    assert all(" info " in line for line in out.splitlines()), out  # the draft's chain findings only


# -- messages ----------------------------------------------------------------------------------------


def _messages(planfolio, name: str) -> dict[tuple[str, int, int], str]:
    _status, findings = _check_json(planfolio, CORPUS / name)
    return {(str(f["code"]), int(f["line"]), int(f["column"])): str(f["message"]) for f in findings}  # type: ignore[arg-type]


def test_chain_messages_name_the_item_by_id_and_title(planfolio) -> None:
    messages = _messages(planfolio, "pf032-obstacle-without-live-commitment.md")
    assert messages[("PF032", 15, 5)] == 'obstacle OB1 "Budget frozen until Q3" has no live commitment'
    assert 'OB2 "Engineering lead prefers competitor X"' in messages[("PF032", 18, 5)]
    messages = _messages(planfolio, "pf030-csf-without-condition.md")
    assert 'CSF2 "Service contract renewed"' in messages[("PF030", 10, 5)]
    messages = _messages(planfolio, "pf031-condition-without-obstacle.md")
    assert 'NC1 "Engineering specifies our drives"' in messages[("PF031", 12, 5)]


def test_item_messages_name_the_item(planfolio) -> None:
    messages = _messages(planfolio, "pf011-invalid-values.md")
    assert 'C1 "Budget case"' in messages[("PF011", 28, 10)]  # due
    assert "2027-02-30" in messages[("PF011", 28, 10)]
    assert 'C1 "Budget case"' in messages[("PF011", 30, 11)]  # link
    assert 'NC1 "Engineering specifies our drives"' in messages[("PF011", 18, 10)]  # met
    messages = _messages(planfolio, "pf010-missing-keys.md")
    assert "NC2" in messages[("PF010", 13, 5)] and "`title`" in messages[("PF010", 13, 5)]
    assert 'C1 "Budget case"' in messages[("PF010", 23, 5)] and "`due`" in messages[("PF010", 23, 5)]
    assert "`owner`" in messages[("PF010", 2, 1)]
    assert "`statement`" in messages[("PF010", 5, 3)]
    messages = _messages(planfolio, "pf102-completed-not-done.md")
    assert 'C1 "Budget case"' in messages[("PF102", 25, 16)]
    messages = _messages(planfolio, "pf104-long-title.md")
    assert "C1" in messages[("PF104", 20, 12)] and "Reference visit to the Mueller plant" in messages[("PF104", 20, 12)]
    messages = _messages(planfolio, "pf200-overdue.md")
    assert 'C1 "Budget case"' in messages[("PF200", 23, 10)]
    assert 'C5 "Steering call"' in messages[("PF200", 46, 10)]
    messages = _messages(planfolio, "pf101-met-condition-with-obstacle.md")
    assert 'NC1 "Engineering specifies our drives"' in messages[("PF101", 14, 10)] and "OB1" in messages[("PF101", 14, 10)]
    messages = _messages(planfolio, "pf020-duplicate-id.md")
    assert "CSF1" in messages[("PF020", 15, 9)] and "A condition that reuses a CSF id" in messages[("PF020", 15, 9)]
    messages = _messages(planfolio, "pf100-too-many-csfs.md")
    assert 'CSF6 "Six"' in messages[("PF100", 18, 5)]


def test_messages_suggest_the_nearest_key_or_id(planfolio) -> None:
    messages = _messages(planfolio, "pf012-unknown-key.md")
    assert "did you mean `status`" in messages[("PF012", 25, 5)]
    assert 'C1 "Budget case"' in messages[("PF012", 25, 5)]
    messages = _messages(planfolio, "pf022-unknown-reference.md")
    assert "did you mean `CSF1`" in messages[("PF022", 13, 17)]
    assert 'NC1 "Engineering specifies our drives"' in messages[("PF022", 13, 17)]
    assert "CSF1" in messages[("PF022", 17, 22)] and "is a CSF" in messages[("PF022", 17, 22)]  # not a condition
    assert "did you mean `OB1`" in messages[("PF022", 26, 21)]
    messages = _messages(planfolio, "pf011-invalid-values.md")
    assert "did you mean `active`" in messages[("PF011", 4, 9)]
    messages = _messages(planfolio, "pf023-unknown-person.md")
    assert "did you mean `Dana Kim`" in messages[("PF023", 3, 8)]
    assert "did you mean `Luis Ortega`" in messages[("PF023", 23, 12)]


def test_a_mistyped_item_key_is_suggested() -> None:
    plan = (CORPUS / "pf101-met-condition-with-obstacle.md").read_text(encoding="utf-8")
    findings = _read(plan.replace("    condition: NC1", "    conditon: NC1"))
    unknown = [f for f in findings if f.code == "PF012"]
    assert len(unknown) == 1 and "did you mean `condition`" in unknown[0].message
    missing = [f for f in findings if f.code == "PF010"]
    assert [(f.line, f.column) for f in missing] == [(16, 5)]  # OB1 lacks `condition`: at its `id` key


# -- text as written, in the export --------------------------------------------------------------------


def _export(planfolio, *paths: Path) -> dict[str, object]:
    status, out, err = planfolio("export", *paths, "--today", TODAY, "--people", PEOPLE)
    assert status == 0, err
    return json.loads(out)


def test_text_is_kept_as_written(planfolio) -> None:
    plans = _export(planfolio, CORPUS / "valid-text-as-written.md", CORPUS / "valid-version-text.md")["plans"]
    norway, version = plans  # type: ignore[misc]
    assert norway["owner"] == "NO"
    assert norway["period"] == "2027"
    assert norway["tags"] == ["no", "yes"]
    assert norway["team"] == ["NO", "Jürgen Weiß"]
    assert norway["goal"]["statement"] == "yes"
    assert norway["goal"]["unit"] == "off"
    assert norway["diagnostics"] == []
    assert version["period"] == "1.10"
    assert version["tags"] == ["1.10", "0x1F", "1_000", "2027-01-01"]
    assert version["goal"]["statement"] == "1.10"
    [commitment] = version["commitments"]
    assert commitment["title"] == "12:30"
    assert commitment["due"] == "2027-01-15"  # a quoted date is a date


# -- hostile inputs ------------------------------------------------------------------------------------

HEAD = "---\naccount: Hostile GmbH\nowner: Dana Kim\nreviewed: 2026-11-02\n"
TAIL = "goal:\n  statement: Grow\ncsfs:\n  - id: CSF1\n    title: One\nconditions:\n  - id: NC1\n    title: Met\n    csf: CSF1\n    met: true\n---\n"


def test_deep_flow_nesting_does_not_raise() -> None:
    findings = _read(HEAD + "tags: " + "[" * 5000 + "]" * 5000 + "\n" + TAIL)
    assert any(f.severity.value == "error" for f in findings)
    findings = _read(HEAD + "team: " + "{a: " * 5000 + "b" + "}" * 5000 + "\n" + TAIL)
    assert any(f.severity.value == "error" for f in findings)


def test_deep_block_nesting_does_not_raise() -> None:
    for nested in (
        "".join(" " * depth + "k:\n" for depth in range(5000)),
        "".join(" " * (2 * depth) + "- \n" for depth in range(5000)),
    ):
        text = "---\n" + nested + "---\n"
        findings = _read(text)
        assert any(f.severity.value == "error" for f in findings)
        assert all(1 <= f.line <= text.count("\n") + 1 and f.column >= 1 for f in findings)


def test_deep_nesting_through_the_cli(planfolio, tmp_path: Path) -> None:
    plan = tmp_path / "deep.md"
    plan.write_text(HEAD + "goal: " + "[" * 5000 + "]" * 5000 + "\n" + TAIL.replace("goal:\n  statement: Grow\n", ""))
    status, out, err = planfolio("check", plan, "--today", TODAY)
    assert status == 1 and "Traceback" not in err


def test_billion_laughs_is_refused_without_expanding() -> None:
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        bomb.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    started = time.monotonic()
    findings = _read("---\n" + "\n".join(bomb) + "\n---\n")
    assert time.monotonic() - started < 5
    assert Counter(f.code for f in findings)["PF006"] == 10 + 9 * 9  # every anchor and every alias
    assert all(f.severity.value == "error" for f in findings if f.code == "PF006")


def test_python_tags_never_execute(planfolio, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    plan = tmp_path / "evil.md"
    plan.write_text(HEAD + f'period: !!python/object/apply:os.system ["touch {marker}"]\n' + TAIL)
    for command in ("check", "export"):
        status, out, err = planfolio(command, plan, "--today", TODAY)
        assert "Traceback" not in err
    assert not marker.exists()
    findings = _read(plan.read_bytes())
    assert [(f.code, f.line, f.column) for f in findings if f.code == "PF006"] == [("PF006", 5, 9)]
    assert not marker.exists()
    findings = _read(HEAD + f"account2: !!python/object/new:os.system [\"touch {marker}\"]\n" + TAIL)
    assert "PF006" in _codes(findings)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("tab indentation", "---\naccount: A\ngoal:\n\tstatement: Grow\n---\n", [("PF003", 4, 1)]),
        ("unclosed front matter", "---\naccount: A\nowner: B\n", [("PF002", 1, 1)]),
        ("unclosed, nothing after the fence", "---", [("PF002", 1, 1)]),
        ("a lone fence and a newline", "---\n", [("PF002", 1, 1)]),
        ("empty front matter", "---\n---\n", [("PF004", 1, 1)]),
        ("front matter of only a comment", "---\n# nothing\n---\n", [("PF004", 1, 1)]),
        ("a list as front matter", "---\n- a\n- b\n---\n", [("PF004", 2, 1)]),
        ("a text as front matter", "---\njust some words\n---\n", [("PF004", 2, 1)]),
        ("an empty file", "", [("PF002", 1, 1)]),
        ("a BOM only", "\ufeff", [("PF002", 1, 1)]),
        ("no fence", "account: A\n", [("PF002", 1, 1)]),
    ],
)
def test_hostile_front_matter(name: str, text: str, expected: list[tuple[str, int, int]]) -> None:
    findings = _read(text)
    assert sorted((f.code, f.line, f.column) for f in findings if f.severity.value == "error") == sorted(expected), name


def test_impossible_date() -> None:
    findings = _read(HEAD + TAIL.replace("  statement: Grow\n", "  statement: Grow\n  due: 2027-02-30\n"))
    assert [(f.code, f.line, f.column) for f in findings] == [("PF011", 7, 8)]
    assert "2027-02-30" in findings[0].message


def test_a_document_end_marker_inside_the_front_matter() -> None:
    findings = _read("---\naccount: A\n...\nowner: B\n---\n")
    assert [f.code for f in findings if f.severity.value == "error"] in (["PF003"], ["PF003", "PF003"])
    assert all(2 <= f.line <= 5 for f in findings)


def test_tabs_inside_values_are_text() -> None:
    findings = _read(HEAD.replace("Hostile GmbH", "Hostile\tGmbH") + TAIL)
    assert findings == []


@pytest.mark.parametrize("value", ["1", "true", "[a, b]", "{a: b}", "~", "''", "2026-11-28", "- a"])
def test_wrong_typed_values_never_raise(value: str) -> None:
    for key in ("account", "owner", "goal", "csfs", "conditions", "obstacles", "commitments", "status", "period", "team", "tags", "reviewed"):
        text = f"---\n{key}: {value}\n---\n" if value != "- a" else f"---\n{key}:\n  - a\n---\n"
        _read(text)
    for key in ("id", "title", "note", "csf", "met", "condition", "obstacle", "owner", "due", "status", "completed", "link"):
        line = f"    {key}: {value}\n" if value != "- a" else f"    {key}:\n      - a\n"
        _read(HEAD + TAIL.replace("    met: true\n", line))


# -- positions: things the contract fixes that the conventions spell out --------------------------------


def test_positions_after_a_bom_and_crlf_are_those_of_the_text() -> None:
    text = (CORPUS / "pf012-unknown-key.md").read_text(encoding="utf-8")
    plain = [(f.code, f.line, f.column) for f in _read(text)]
    crlf = [(f.code, f.line, f.column) for f in _read(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())]
    cr = [(f.code, f.line, f.column) for f in _read(text.replace("\n", "\r").encode())]
    assert plain == crlf == cr == [("PF012", 5, 1), ("PF012", 25, 5)]


def test_invalid_utf8_position_in_a_file_with_cr_line_endings() -> None:
    """BUG: PF001 counts only LF as a line break, though CR-only files are read with CR as the line break."""
    data = b"---\raccount: A\rowner: \xff\r---\r"
    [finding] = _read(data)
    assert (finding.code, finding.line, finding.column) == ("PF001", 3, 8)


def test_invalid_utf8_position_after_a_bom() -> None:
    """BUG: the byte-order mark is counted as a character of line 1 in the PF001 column."""
    [finding] = _read(b"\xef\xbb\xbf---\xff\n")
    assert (finding.code, finding.line, finding.column) == ("PF001", 1, 4)


def test_control_character_position_after_non_ascii_text() -> None:
    """BUG: the parser reports a byte offset; the checker uses it as a character offset."""
    findings = _read("---\naccount: Jürgen Weiß Müller Öl\nowner: B\nx: a\x00b\n---\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("PF003", 4, 5)]


def test_control_character_position_on_a_later_line() -> None:
    """BUG (same cause): enough multi-byte characters move the reported control character to a later line."""
    findings = _read("---\naccount: " + "é" * 40 + "\nowner: B\x07\ngoal:\n  statement: Grow\n---\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("PF003", 3, 9)]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_do_not_shift_lines(separator: str) -> None:
    """BUG: YAML (libyaml) counts NEL, LS and PS as line breaks; the file has no line break there.

    The finding then points below the line it is about, and past the end of the file here.
    """
    text = f'---\naccount: "Alpha{separator}Beta{separator}Gamma"\nbogus: 1\n---'
    findings = _read(text)
    unknown = [(f.line, f.column) for f in findings if f.code == "PF012"]
    assert unknown == [(3, 1)]
    assert max(f.line for f in findings) <= len(text.split("\n"))


def test_duplicate_id_points_at_the_second_use_in_the_file() -> None:
    """BUG: PF020 goes to whichever list is checked later (csfs, conditions, obstacles, commitments), not to the
    second use in the file, when the lists are written in another order."""
    text = (
        "---\naccount: Order GmbH\nowner: Dana Kim\nreviewed: 2026-11-02\n"
        "commitments:\n  - id: X1\n    title: Commitment first in the file\n    obstacle: OB1\n    owner: Dana Kim\n    due: 2027-01-01\n"
        "goal:\n  statement: Grow\n"
        "csfs:\n  - id: X1\n    title: CSF second in the file\n"
        "conditions:\n  - id: NC1\n    title: c\n    csf: X1\n"
        "obstacles:\n  - id: OB1\n    title: o\n    condition: NC1\n---\n"
    )
    duplicates = [(f.line, f.column) for f in _read(text) if f.code == "PF020"]
    assert duplicates == [(14, 9)]


def test_same_account_is_reported_on_the_later_path_whatever_the_argument_order(planfolio) -> None:
    """BUG: PF103 goes to the later plan in argument order, not in path order."""
    folder = CORPUS / "pf103-same-account"
    for order in (sorted(folder.glob("*.md")), sorted(folder.glob("*.md"), reverse=True)):
        _status, findings = _check_json(planfolio, *order)
        assert _rows(findings) == _expected("pf103-same-account"), [path.name for path in order]
