"""PF003: YAML syntax errors explained in the plan author's words, on the line the author must change.

Every case starts from one valid plan (`BASE`) and changes a few of its lines, so the line numbers below
are those of a file a plan author would have in front of them.
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planfolio.core.portfolio import read_text
from planfolio.core.read import yaml_errors, yamltree
from planfolio.core.settings import Limits

BASE = [
    "---",  # line 1
    "account: ACME Manufacturing GmbH",
    "owner: Dana Kim",
    "reviewed: 2026-11-02",
    "goal:",  # line 5
    "  statement: Grow revenue",
    "  due: 2027-12-31",
    "csfs:",
    "  - id: CSF1",
    "    title: Preferred supplier",  # line 10
    "conditions:",
    "  - id: NC1",
    "    title: Engineering specifies our drives",
    "    csf: CSF1",
    "    met: true",  # line 15
    "---",
    "Notes.",
]


def _plan(changes: dict[int, str]) -> str:
    """BASE with the lines numbered in `changes` (1-based) replaced; a replacement may hold several lines."""
    lines = [changes.get(number, text) for number, text in enumerate(BASE, start=1)]
    return "\n".join(lines) + "\n"


def _findings(text: str):
    return read_text("plan.md", "plan", text.encode("utf-8"), date(2026, 11, 28), Limits(), None).findings


def _pf003(text: str) -> tuple[int, int, str]:
    findings = _findings(text)
    assert [f.code for f in findings] == ["PF003"], [(f.code, f.line, f.message) for f in findings]
    return findings[0].line, findings[0].column, findings[0].message


P = "YAML syntax error: "

# (name, changed lines, line, column, message): the rows of issue 11 first, then other common mistakes.
CASES = [
    (
        "a key indented one space too far",
        {7: "   due: 2027-12-31"},
        7, 4, P + "this line is indented one space more than the key above it (`statement:` at column 3)",
    ),
    (
        "a top-level key indented one space too far",
        {3: " owner: Dana Kim"},
        3, 2, P + "this line is indented one space more than the key above it (`account:` at column 1)",
    ),
    (
        "a list item indented one space too far",
        {10: "    title: Preferred supplier\n   - id: CSF2\n    title: Service contract"},
        11, 4, P + "this list item is indented one space more than the list item above it (`- id:` at column 3)",
    ),
    (
        "a list item indented one space too little",
        {10: "    title: Preferred supplier\n - id: CSF2\n   title: Service contract"},
        11, 2, P + "this list item is indented one space less than the list item above it (`- id:` at column 3)",
    ),
    (
        "a key indented one space too little",
        {10: "    title: Preferred supplier\n   note: Lyon plant"},
        11, 4, P + "this line is indented one space less than the keys above it (`title:` at column 5)",
    ),
    (
        "a key indented one space too little, between two levels",
        {7: " due: 2027-12-31"},
        7, 2, P + "this line is indented one space less than the key above it (`statement:` at column 3)",
    ),
    (
        "a key indented two spaces under a key that has a value",
        {3: "  owner: Dana Kim"},
        3, 3, P + "this line is indented 2 spaces more than the key above it (`account:` at column 1)",
    ),
    (
        "a key at the column of the list's dash",
        {10: "  title: Preferred supplier"},
        10, 3, P + "this line is at the column of the `-` of the list items above it (`- id:`): line it up with `id:` (column 5)",
    ),
    (
        "a list item among keys",
        {7: "  - Grow margin"},
        7, 3, P + "a `- ` list item cannot stand among the keys above it (`statement:` at column 3): put the list under a key of its own, indented",
    ),
    (
        "a key without its colon",
        {3: "owner Tomas Berg"},
        3, 6, P + "a key needs `:` after its name: write `owner: Tomas Berg`",
    ),
    (
        "a key without its colon inside a list item",
        {10: "    title Preferred supplier"},
        10, 10, P + "a key needs `:` after its name: write `title: Preferred supplier`",
    ),
    (
        "a key without the space after its colon",
        {3: "owner:Dana Kim"},
        3, 6, P + "a key needs a space after its `:`: write `owner: Dana Kim`",
    ),
    (
        "a key without the space after its colon, on the first line",
        {2: "account:ACME"},
        2, 8, P + "a key needs a space after its `:`: write `account: ACME`",
    ),
    (
        "a wrapped title continued at the start of the line",
        {10: "    title: Preferred supplier for\nthe new Lyon plant"},
        11, 1, P + "a key needs `:` after its name; if this line continues the text of `title:` above, indent it more than `title:` (column 5)",
    ),
    (
        "a list item without its dash",
        {4: "team:\n  - Luis Ortega\n  Mia Chen\nreviewed: 2026-11-02"},
        6, 3, P + "a list item needs `- ` before it, like the items above it (`-` at column 3)",
    ),
    (
        "an unclosed double quote",
        {2: 'account: "ACME Manufacturing GmbH'},
        2, 10, P + 'the quote `"` opened here is never closed',
    ),
    (
        "an unclosed single quote on a later line",
        {13: "    title: 'Engineering specifies our drives"},
        13, 12, P + "the quote `'` opened here is never closed",
    ),
    (
        "a quote closed only on the next line",
        {2: 'account: "ACME', 3: 'owner: "Dana Kim"'},
        2, 10, P + 'the quote `"` opened here is closed only on line 3: close it on this line',
    ),
    (
        "text after a closing quote",
        {2: 'account: "ACME" Manufacturing'},
        2, 15, P + 'the quoted value ends at this `"`, but more text follows: put the whole value in quotes',
    ),
    (
        "an apostrophe inside single quotes",
        {10: "    title: 'Mueller's plant'"},
        10, 20, P + "the quoted value ends at this `'`, but more text follows: put the whole value in quotes; inside single quotes, write an apostrophe as `''`",
    ),
    (
        "a bad escape inside double quotes",
        {13: '    title: "Drives for C:\\data"'},
        13, 26, P + "`\\d` is not a valid escape inside double quotes: write `\\\\` for a backslash, or use single quotes",
    ),
    (
        "a tab used for indentation",
        {6: "\tstatement: Grow revenue"},
        6, 1, P + "a tab is used for indentation here: indent with spaces only",
    ),
    (
        "a tab after spaces in a list's indentation",
        {10: "  \t  title: Preferred supplier"},
        10, 3, P + "a tab is used for indentation here: indent with spaces only",
    ),
    (
        "a colon and space inside an unquoted value",
        {2: "account: ACME: GmbH"},
        2, 14, P + '`: ` inside an unquoted value: put the value in quotes, e.g. `account: "ACME: GmbH"`',
    ),
    (
        "a colon and space inside a value that holds a double quote",
        {13: '    title: Engineering "likes": drives'},
        13, 31, P + "`: ` inside an unquoted value: put the value in quotes, e.g. `title: 'Engineering \"likes\": drives'`",
    ),
    (
        "a colon and space on a continuation line",
        {10: "    title: Preferred supplier\n      for the plant: Lyon"},
        11, 20, P + "`: ` inside an unquoted value that starts on line 10: put the whole value in quotes",
    ),
    (
        "an unclosed [",
        {4: "team: [Luis Ortega, Mia Chen\nreviewed: 2026-11-02"},
        4, 7, P + "the `[` opened here is never closed: end the list with `]`",
    ),
    (
        "an unclosed [ on the last line",
        {14: "    csf: [CSF1\n---"},
        14, 10, P + "the `[` opened here is never closed: end the list with `]`",
    ),
    (
        "an unclosed {",
        {5: "goal: {statement: Grow revenue", 6: "", 7: "  due: 2027-12-31"},
        5, 7, P + "the `{` opened here is never closed: end the mapping with `}`",
    ),
    (
        "a [ closed with }",
        {4: "team: [Luis Ortega, Mia Chen}\nreviewed: 2026-11-02"},
        4, 29, P + "`}` does not close the `[` at column 7: write `]`",
    ),
    (
        "text after a closing ]",
        {14: "    csf: [CSF1] CSF2"},
        14, 17, P + "text after the closing `]`: a value ends there",
    ),
    (
        "a list started on its key's line",
        {8: "csfs: - id: CSF1", 9: "", 10: "    title: Preferred supplier"},
        8, 7, P + "a list cannot start on the same line as `csfs:`: put each `- ` item on a line of its own, indented under `csfs:`, or put the value in quotes",
    ),
    (
        "a value starting with @",
        {3: "owner: @dana"},
        3, 8, P + 'a value cannot start with `@`: put it in quotes, e.g. `owner: "@dana"`',
    ),
    (
        "a value starting with & (a YAML anchor)",
        {2: "account: & Co"},
        2, 10, P + '`&` starts a YAML anchor, which plans do not use: put the value in quotes, e.g. `account: "& Co"`',
    ),
    (
        "a value starting with * (a YAML alias)",
        {10: "    title: * Preferred supplier"},
        10, 12, P + '`*` starts a YAML alias, which plans do not use: put the value in quotes, e.g. `title: "* Preferred supplier"`',
    ),
    (
        "a value starting with > (block text)",
        {10: "    title: > 5 plants"},
        10, 12, P + '`>` starts a block of text, and only `-`, `+` or a digit may follow it on its line: start the text on the next line, '
        'indented, or put the value in quotes, e.g. `title: "> 5 plants"`',
    ),
    (
        "a line of block text indented less than its first line",
        {13: "    title: Engineering\n    note: |\n      first line\n     second line"},
        16, 6, P + "this line is indented less than the text started by `|` on line 14 (column 7): indent every line of that text at least as much as its first line",
    ),
    (
        "a list item without the space after its dash",
        {10: "    title: Preferred supplier\n  -id: CSF2\n    title: Service contract"},
        11, 4, P + "a list item needs a space after its `-`: write `- id: CSF2`",
    ),
    (
        "a value starting with a comma",
        {14: "    csf: ,CSF1"},
        14, 10, P + "a value cannot start with `,`: remove it, or put the value in quotes",
    ),
    (
        "a line starting with a closing bracket",
        {4: "]reviewed: 2026-11-02"},
        4, 1, P + "`]` cannot start a line here: remove it, or put the text in quotes",
    ),
    (
        "a line starting with a colon",
        {3: ": Dana Kim"},
        3, 1, P + "a line cannot start with `:`: write the key's name before it",
    ),
    (
        "a document end marker",
        {4: "...\nreviewed: 2026-11-02"},
        4, 1, P + "a line starting with `...` ends the plan's YAML here: delete it, or indent or quote it",
    ),
    (
        "a second document",
        {4: "--- reviewed"},
        4, 1, P + "a line starting with `---` ends the plan's YAML here: delete it, or indent or quote it",
    ),
    (
        "a control character",
        {3: "owner: Dana\x07Kim"},
        3, 12, P + "the control character U+0007 cannot be part of a plan: delete it (most editors do not show it)",
    ),
]


@pytest.mark.parametrize(("name", "changes", "line", "column", "message"), CASES, ids=[case[0] for case in CASES])
def test_the_mistake_is_explained_on_its_line(name: str, changes: dict[int, str], line: int, column: int, message: str) -> None:
    assert _pf003(_plan(changes)) == (line, column, message), name


def test_the_base_plan_has_no_syntax_error() -> None:
    assert "PF003" not in [f.code for f in _findings(_plan({}))]


# Rows whose explanation does not depend on the parser: the pure-Python one (PyYAML without libyaml) words
# its errors differently and must lead to the same line, column and message.
LOADER_INDEPENDENT = [case for case in CASES if case[0] not in ("a control character",)]


@pytest.mark.parametrize(("name", "changes", "line", "column", "message"), LOADER_INDEPENDENT, ids=[case[0] for case in LOADER_INDEPENDENT])
def test_the_pure_python_parser_gives_the_same_explanation(
    monkeypatch: pytest.MonkeyPatch, name: str, changes: dict[int, str], line: int, column: int, message: str
) -> None:
    monkeypatch.setattr(yamltree, "_EventLoader", yaml.SafeLoader)
    assert _pf003(_plan(changes)) == (line, column, message), name


def test_the_old_parser_words_are_gone() -> None:
    jargon = ("mapping values are not allowed", "block collection", "simple key", "expected '-' indicator", "scanning", "parsing")
    for _name, changes, *_ in CASES:
        message = _pf003(_plan(changes))[2]
        assert not any(word in message for word in jargon), message


def test_an_unrecognised_error_still_names_the_line_and_says_what_the_parser_found() -> None:
    error = yaml.parser.ParserError("while parsing something", None, "did not find the thing", yaml.Mark("x", 0, 1, 3, None, None))
    found = yaml_errors.explain(error, "a: b\nc: d\n", "a: b\nc: d\n", yaml.SafeLoader)
    assert (found.line, found.column) == (1, 3)
    assert found.message == "this line cannot be read as YAML (the parser says: `while parsing something, did not find the thing`)"


def test_an_error_at_the_end_points_at_the_last_line_of_the_front_matter() -> None:
    error = yaml.scanner.ScannerError(None, None, "odd", yaml.Mark("x", 12, 3, 0, None, None))
    found = yaml_errors.explain(error, "a: b\nc: d\n\n", "a: b\nc: d\n\n", yaml.SafeLoader)
    assert (found.line, found.column) == (1, 4)


# -- issue 10: NEL, LS and PS are text, as in YAML 1.2, JSON and the editors' schema ------------------------

SEPARATORS = [("NEL", "\x85"), ("LS", "\u2028"), ("PS", "\u2029")]


@pytest.mark.parametrize(("name", "separator"), SEPARATORS)
@pytest.mark.parametrize("written", ["{}", '"{}"', "'{}'"])
def test_a_pasted_line_separator_is_text(name: str, separator: str, written: str) -> None:
    title = f"Preferred{separator}supplier"
    text = _plan({10: "    title: " + written.format(title)})
    assert _findings(text) == [], name
    document = yamltree.read(text)
    item = document.root.entries["csfs"][1].items[0]  # type: ignore[union-attr]
    assert item.entries["title"][1].text == title
    assert (item.entries["title"][1].line, item.entries["title"][1].column) == (10, 12)


@pytest.mark.parametrize(("name", "separator"), SEPARATORS)
def test_positions_after_a_line_separator_are_the_editors(name: str, separator: str) -> None:
    findings = _findings(_plan({10: f"    title: Preferred{separator}supplier\n    bogus: 1"}))
    assert [(f.code, f.line, f.column) for f in findings] == [("PF012", 11, 5)], name


@pytest.mark.parametrize(("name", "separator"), SEPARATORS)
def test_a_syntax_error_after_a_line_separator_is_on_its_line_and_shows_it_escaped(name: str, separator: str) -> None:
    line, column, message = _pf003(_plan({2: f"account: ACME{separator}Lyon: GmbH"}))
    escaped = f"\\u{ord(separator):04x}"
    assert (line, column) == (2, 19), name
    assert message == P + f'`: ` inside an unquoted value: put the value in quotes, e.g. `account: "ACME{escaped}Lyon: GmbH"`'
    assert not any(character in message for _name, character in SEPARATORS)


def test_a_text_using_the_private_characters_the_parser_sees_instead_keeps_them() -> None:
    title = "\ue000 Preferred\u2028supplier \ue001\ue002"
    text = _plan({10: f'    title: "{title}"'})
    assert _findings(text) == []
    item = yamltree.read(text).root.entries["csfs"][1].items[0]  # type: ignore[union-attr]
    assert item.entries["title"][1].text == title


# -- no input makes the explainer fail, point outside the front matter or write two lines ---------------

PIECES = [":", ": ", "-", "- ", "  ", " ", "\n", "\t", '"', "'", "[", "]", "{", "}", ",", "#", "&", "*", "!", "|", ">",
          "%", "@", "`", "?", "\\", "...", "---", "key", "title", "a b", "\u2028", "\x85", "é"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_every_syntax_error_is_explained_inside_the_front_matter(pieces: list[str]) -> None:
    source = "".join(pieces) + "\n"
    problems: list[yamltree.Problem] = []
    yamltree.parse(source, problems, first_line=2)
    last_line = 1 + len(source.split("\n"))
    for problem in (p for p in problems if p.rule.code == "PF003"):
        assert 2 <= problem.line <= last_line and problem.column >= 1, problem
        assert problem.message.startswith(P) and problem.message.isprintable(), problem
    # The same errors without the safety net of explain(): a crash in a detector would be hidden there.
    scanned, _restore = yamltree._stand_ins(source)
    try:
        list(yaml.parse(scanned, Loader=yamltree._EventLoader))
    except yaml.MarkedYAMLError as error:
        yaml_errors._explain(error, scanned, source.split("\n"), yamltree._EventLoader, 2)
    except yaml.YAMLError:
        pass
