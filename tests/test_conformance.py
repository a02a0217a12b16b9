"""Conformance of `planfolio check` to the plan format (/work/shared/PLAN-FORMAT.md).

The corpus (tests/corpus/) holds small plan files, and tests/corpus/expected.yml the exact findings
each must produce, derived by hand from the contract and the position conventions.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from planfolio.core import codes
from planfolio.core.portfolio import read_text
from planfolio.core.settings import Limits

# The contract's table of codes and their severity classes (PF105 is planfolio's own warning, in the docs).
CONTRACT = {
    **dict.fromkeys(("PF001", "PF002", "PF003", "PF004", "PF005", "PF006", "PF010", "PF011", "PF012"), "error"),
    **dict.fromkeys(("PF020", "PF021", "PF022", "PF023"), "error"),
    **dict.fromkeys(("PF030", "PF031", "PF032"), "chain"),
    **dict.fromkeys(("PF100", "PF101", "PF102", "PF103", "PF104", "PF105"), "warning"),
    **dict.fromkeys(("PF200", "PF201", "PF202"), "info"),
}
HISTORY_CODES = {"PF202"}  # they need a plan's git history: tests/test_history.py

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
    assert listed == set(CONTRACT) - HISTORY_CODES, f"codes without a corpus case: {sorted(set(CONTRACT) - listed)}"
    chain_or_fixed = {"PF030": {"error", "info"}, "PF031": {"error", "info"}, "PF032": {"error", "info"}}
    for findings in MANIFEST.values():
        for code, severity, *_ in findings:
            assert severity in chain_or_fixed.get(code, {CONTRACT[code]}), (code, severity)


def test_the_registry_is_the_contracts_table() -> None:
    assert {code: rule.kind.value for code, rule in codes.RULES.items()} == CONTRACT
    docs = (Path(__file__).parent.parent / "docs" / "writing-a-plan.md").read_text(encoding="utf-8")
    core = Path(codes.__file__).parent
    for rule in codes.RULES.values():
        heading = next(line for line in docs.splitlines() if line.startswith(f"### {rule.code} "))
        assert re.sub(r"[^a-z0-9 -]", "", heading[4:].lower()).replace(" ", "-") == rule.anchor, heading
        for module in rule.checked_in.split(", "):
            assert f"codes.{_name(rule)}" in (core / module).read_text(encoding="utf-8"), (rule.code, module)


def _name(rule: codes.Rule) -> str:
    return next(name for name, value in vars(codes).items() if value is rule)


def test_a_codes_string_appears_in_the_registry_only() -> None:
    package = Path(codes.__file__).parent.parent
    for path in package.rglob("*.py"):
        if path != Path(codes.__file__):
            assert not re.search(r"[\"']PF\d{3}[\"']", path.read_text(encoding="utf-8")), path


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


# -- one mistake, one finding (issue 10) ---------------------------------------------------------------

HELD = (CORPUS / "pf021-invalid-commitment-id.md").read_text(encoding="utf-8").replace("id: C 2", "id: C2")
# HELD: OB1 (line 15) and OB2 (line 18) prevent NC1; C1 (line 22) overcomes OB1, C2 (line 27) OB2, at 29:15.


def _at(findings) -> list[tuple[str, int, int]]:
    return sorted((f.code, f.line, f.column) for f in findings)


def test_the_held_back_base_plan_is_clean() -> None:
    assert _read(HELD) == []


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("mistyped reference key", "    obstacle: OB2", "    obstcle: OB2", [("PF010", 27, 5), ("PF012", 29, 5)]),
        ("missing reference key", "    obstacle: OB2\n", "", [("PF010", 27, 5)]),
        ("reference key not an id", "    obstacle: OB2", "    obstacle: {OB2: yes}", [("PF011", 29, 15)]),
        ("invalid commitment id", "id: C2", "id: C 2", [("PF021", 27, 9)]),
        ("commitment id used twice", "id: C2", "id: C1", [("PF020", 27, 9)]),
        ("wrong-kind reference", "    obstacle: OB2", "    obstacle: NC1", [("PF022", 29, 15)]),
        ("unknown reference, nothing near", "    obstacle: OB2", "    obstacle: XYZ", [("PF022", 29, 15)]),
        ("mistyped list key", "commitments:", "comitments:", [("PF012", 21, 1)]),
        ("list key not a list", "commitments:\n  - id: C1", "commitments: C1\nnotes:\n  - id: C1", [("PF011", 21, 14), ("PF012", 22, 1)]),
    ],
)
def test_chain_findings_a_mistake_explains_are_held_back(name: str, old: str, new: str, expected: list[tuple[str, int, int]]) -> None:
    assert HELD.count(old) == 1, name
    assert _at(_read(HELD.replace(old, new))) == expected, name


def test_a_reference_to_a_missing_id_holds_back_only_the_suggested_gap() -> None:
    # C2 names OB22 (did you mean OB2); OB3 is a gap of its own and stays reported.
    text = HELD.replace("    obstacle: OB2", "    obstacle: OB22").replace(
        "commitments:", "  - id: OB3\n    title: Nobody on it\n    condition: NC1\ncommitments:"
    )
    findings = _read(text)
    assert _at(findings) == [("PF022", 32, 15), ("PF032", 21, 5)]
    assert findings[0].message == 'commitment C2 "Reference visit": `obstacle` refers to `OB22`, which does not exist (did you mean `OB2`?)'
    assert findings[1].message == 'obstacle OB3 "Nobody on it" has no live commitment'


def test_what_a_mistake_cannot_explain_is_still_reported() -> None:
    dropped = HELD.replace("id: C2", "id: C 2").replace("    due: 2027-03-15", "    due: 2027-03-15\n    status: dropped")
    assert _at(_read(dropped)) == [("PF021", 27, 9), ("PF032", 18, 5)]  # a dropped commitment overcomes nothing
    empty = HELD[: HELD.index("commitments:")] + "commitments:\n---\n"
    assert _at(_read(empty)) == [("PF011", 21, 13), ("PF032", 15, 5), ("PF032", 18, 5)]  # lists none, as if absent
    # An unknown key that is no near miss of `obstacle` hides nothing.
    stray = HELD.replace("    obstacle: OB2", "    xyz: OB2")
    assert _at(_read(stray)) == [("PF010", 27, 5), ("PF012", 29, 5)]


def test_a_missing_or_mistyped_conditions_list_holds_back_the_csf_gaps() -> None:
    no_conditions = HELD.replace("conditions:\n  - id: NC1\n    title: Engineering specifies our drives\n    csf: CSF1\n", "")
    assert [f.code for f in _read(no_conditions)] == ["PF010", "PF022", "PF022"]  # no PF030 for CSF1
    mistyped = HELD.replace("conditions:", "conditons:")
    assert [f.code for f in _read(mistyped)] == ["PF012", "PF010", "PF022", "PF022"]


def test_a_refused_met_value_holds_back_the_condition_gap() -> None:
    text = HELD[: HELD.index("obstacles:")].replace("    csf: CSF1", "    csf: CSF1\n    met: yes") + "---\n"
    findings = _read(text)
    assert _at(findings) == [("PF011", 14, 10)]
    assert _at(_read(text.replace("    met: yes", "    mett: true"))) == [("PF012", 14, 5)]
    assert _at(_read(text.replace("    met: yes\n", ""))) == [("PF031", 11, 5)]  # without the mistake: the gap


def test_held_back_gaps_are_not_drawn_as_missing() -> None:
    from planfolio.core.derive.diagram import mermaid

    report = read_text("p.md", "p", (CORPUS / "pf012-mistyped-list-key.md").read_bytes(), date(2026, 11, 28), Limits(), None)
    assert report.chain is not None
    diagram = mermaid(report.chain)
    assert diagram.count('"missing: commitment"') == 1  # OB5's, the gap that is reported
    assert "  M1 -.-> O5\n" in diagram


# -- messages (issue 10, 11) ---------------------------------------------------------------------------


def test_wrong_kind_messages_use_the_right_article(planfolio) -> None:
    messages = _messages(planfolio, "pf022-wrong-kind.md")
    assert messages[("PF022", 13, 10)] == 'condition NC1 "Engineering specifies our drives": `csf` refers to `OB1`, which is an obstacle, not a CSF'
    assert messages[("PF022", 21, 15)] == 'commitment C1 "Budget case": `obstacle` refers to `NC1`, which is a condition, not an obstacle'
    messages = _messages(planfolio, "pf022-unknown-reference.md")
    assert messages[("PF022", 17, 22)] == 'obstacle OB1 "Budget frozen": `condition` refers to `CSF1`, which is a CSF, not a condition'
    [finding] = _read(HELD.replace("    obstacle: OB2", "    obstacle: C1"))
    assert finding.message == 'commitment C2 "Reference visit": `obstacle` refers to `C1`, which is a commitment, not an obstacle'


def test_an_unknown_person_with_no_near_name_is_told_where_to_add_them(planfolio, tmp_path: Path) -> None:
    messages = _messages(planfolio, "pf023-unknown-person.md")
    assert messages[("PF023", 4, 18)] == (
        f'plan: `team` names "Ada Lovelace", who is not in the people file: if they are new, add them to `{PEOPLE.as_posix()}`'
    )
    assert messages[("PF023", 3, 8)] == 'plan: `owner` names "Dana Kimm", who is not in the people file (did you mean `Dana Kim`?)'
    plan = tmp_path / "plans" / "acme.md"
    plan.parent.mkdir()
    plan.write_bytes((CORPUS / "pf023-unknown-person.md").read_bytes())
    (tmp_path / "team.yml").write_bytes(PEOPLE.read_bytes())
    status, out, _err = planfolio("check", "plans/acme.md", "--people", "team.yml", "--today", TODAY)  # run in tmp_path
    assert status == 1 and "who is not in the people file: if they are new, add them to `team.yml`" in out
    findings = _read((CORPUS / "pf023-unknown-person.md").read_bytes(), people=frozenset(["Mia Chen", "Dana Kim", "Luis Ortega"]))
    [finding] = [f for f in findings if (f.line, f.column) == (4, 18)]  # a set of names with no file: no path to give
    assert finding.message.endswith("who is not in the people file: if they are new, add them to it")


def test_numbers_are_finite(planfolio) -> None:
    messages = _messages(planfolio, "pf011-infinite-number.md")
    assert messages[("PF011", 8, 11)] == 'goal: `target` "1e999" is too large a number: the largest is about 1.8e308'
    assert messages[("PF011", 9, 12)] == f'goal: `current` "{"9" * 79}…" (309 characters) is too large a number: the largest is about 1.8e308'
    for value in ("-1e999", "1" + "0" * 309, "1e400"):
        findings = _read(HEAD + TAIL.replace("  statement: Grow\n", f"  statement: Grow\n  target: {value}\n"))
        assert _at(findings) == [("PF011", 7, 11)], value
    assert _read(HEAD + TAIL.replace("  statement: Grow\n", "  statement: Grow\n  target: 1e-999\n")) == []  # 0.0: finite


def test_an_overflowing_number_never_reaches_the_export(planfolio) -> None:
    status, out, err = planfolio("export", CORPUS / "pf011-infinite-number.md", "--today", TODAY, "--people", PEOPLE)
    assert "Infinity" not in out and "Traceback" not in err
    json.loads(out)  # strict JSON
    [plan] = json.loads(out)["plans"]
    assert plan["goal"]["baseline"] == 1e308 and plan["goal"]["target"] is None and plan["goal"]["current"] is None


def test_long_plan_texts_are_cut_in_messages(planfolio) -> None:
    messages = _messages(planfolio, "pf104-cut-in-messages.md")
    shown = ("Reference visit " + "and more detail " * 30)[:79]
    assert messages[("PF104", 9, 12)] == (
        f'CSF CSF1 "{shown}…" (495 characters): title has 495 characters, more than 120: keep the plan to one page'
    )
    title = "A" * 10_000_000
    findings = _read(HEAD + TAIL.replace("    title: One", f"    title: {title}").replace("csfs:", f"sponsor{'x' * 200}: 1\ncsfs:"))
    assert _at(findings) == [("PF012", 7, 1), ("PF104", 10, 12), ("PF105", 8, 1)]  # the diagram is too large as well
    assert all(len(f.message) < 300 for f in findings)
    assert findings[0].message == f"plan: unknown key `sponsor{'x' * 72}…` (207 characters)"
    assert findings[1].message == f'CSF CSF1 "{"A" * 79}…" (10000000 characters): title has 10000000 characters, more than 120: keep the plan to one page'


def test_an_owner_name_in_a_message_stays_on_one_line() -> None:
    text = (CORPUS / "pf200-overdue.md").read_text(encoding="utf-8").replace("owner: Luis Ortega", 'owner: "Luis\\nOrtega"', 1)
    overdue = [f.message for f in _read(text) if f.code == "PF200"]
    assert overdue[0] == 'commitment C1 "Budget case" is overdue: due 2026-11-27, owner Luis\\nOrtega'


# -- PF105: a diagram too large for Mermaid (issue 11) ----------------------------------------------------


def test_diagram_too_large_message(planfolio) -> None:
    from planfolio.core.derive.diagram import MERMAID_CONFIG, diagram_size, mermaid

    assert MERMAID_CONFIG == {"maxTextSize": 200_000, "maxEdges": 2_000}
    report = read_text("p.md", "p", (CORPUS / "pf105-diagram-too-large.md").read_bytes(), date(2026, 11, 28), Limits(), None)
    assert report.chain is not None
    source = mermaid(report.chain)
    assert diagram_size(source) == (len(source), 1 + 40 + 50 * 40 + 50)
    messages = _messages(planfolio, "pf105-diagram-too-large.md")
    assert messages[("PF105", 7, 1)] == (
        f"the constraint diagram has {len(source)} characters and 2091 edges, more than Mermaid draws "
        "(200000 characters, 2000 edges): split the plan into smaller ones"
    )


def _commitments(count: int, title: str = "c") -> str:
    items = "".join(f"  - {{id: C{n}, title: {title}, obstacle: OB1, owner: Dana Kim, due: 2027-06-30}}\n" for n in range(1, count + 1))
    return HEAD + TAIL.replace("    met: true\n", "").replace("---\n", "obstacles:\n  - {id: OB1, title: o, condition: NC1}\ncommitments:\n" + items + "---\n")


def test_diagram_edges_limit_is_inclusive() -> None:
    # 1 CSF, 1 condition, 1 obstacle: 3 edges, then one a commitment.
    assert _read(_commitments(1997)) == []
    [finding] = _read(_commitments(1998))
    assert (finding.code, finding.severity.value, finding.line, finding.column) == ("PF105", "warning", 7, 1)
    assert " 2001 edges," in finding.message


def test_diagram_text_size_limit() -> None:
    # 1300 commitments of 120-character titles: far fewer than 2000 edges, but more than 200000 characters.
    [finding] = _read(_commitments(1300, "T" * 120))
    assert finding.code == "PF105" and " and 1303 edges, " in finding.message
    characters = int(finding.message.split(" has ")[1].split(" ")[0])
    assert characters > 200_000


def test_people_carry_their_file_and_differ_by_it(tmp_path: Path) -> None:
    from planfolio.core.read.people import load_people

    (tmp_path / "a.yml").write_bytes(PEOPLE.read_bytes())
    (tmp_path / "b.yml").write_bytes(PEOPLE.read_bytes())
    a, b = load_people(tmp_path / "a.yml"), load_people(tmp_path / "b.yml", "site/b.yml")
    assert (a.path, b.path) == ((tmp_path / "a.yml").as_posix(), "site/b.yml")
    assert set(a) == set(b) == {"Dana Kim", "Luis Ortega", "Mia Chen", "NO", "Jürgen Weiß"}
    assert a != b and not a == b  # a cached check names the file it was told: another file is another context
    assert a == load_people(tmp_path / "a.yml") and hash(a) == hash(load_people(tmp_path / "a.yml"))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.md")), ids=lambda path: path.name)
def test_the_diagram_size_bound_is_never_below_the_diagram(path: Path) -> None:
    from planfolio.core.derive.diagram import diagram_size, mermaid, size_bound

    report = read_text(path.name, path.stem, path.read_bytes(), date(2026, 11, 28), Limits(), None)
    if report.chain is not None:
        bound, exact = size_bound(report.chain), diagram_size(mermaid(report.chain))
        assert bound[0] >= exact[0] and bound[1] >= exact[1], (bound, exact)


def test_the_diagram_size_bound_holds_for_text_that_expands_most() -> None:
    from planfolio.core.derive.diagram import diagram_size, mermaid, size_bound

    hostile = '"#&<>`%' * 17  # every character written as a Mermaid entity code
    text = re.sub(r"(?m)^(\s+title: ).*$", lambda match: match.group(1) + json.dumps(hostile), (CORPUS / "valid-example.md").read_text(encoding="utf-8"))
    report = read_text("x.md", "x", text.encode(), date(2026, 11, 28), Limits(), None)
    assert report.chain is not None
    bound, exact = size_bound(report.chain), diagram_size(mermaid(report.chain))
    assert bound[0] >= exact[0] > 2000 and bound[1] >= exact[1]
