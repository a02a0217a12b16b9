"""Property tests: mutated plans never make the checker raise, findings point into the file, runs repeat."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planfolio.core.findings import Finding
from planfolio.core.portfolio import read_text
from planfolio.core.settings import Limits
from test_conformance import CONTRACT

CORPUS = Path(__file__).parent / "corpus"
TODAY = date(2026, 11, 28)
PEOPLE = frozenset(("Dana Kim", "Luis Ortega", "Mia Chen", "NO", "Jürgen Weiß"))

# Plans to mutate: the valid ones and a few with findings of every layer (references, chain, warnings).
BASES = [
    (CORPUS / name).read_bytes()
    for name in (
        "valid-example.md",
        "valid-bom-crlf.md",
        "valid-draft-incomplete.md",
        "valid-archived.md",
        "valid-text-as-written.md",
        "valid-done-and-dropped.md",
        "pf022-unknown-reference.md",
        "pf101-met-condition-with-obstacle.md",
        "pf200-overdue.md",
    )
]

# The brief's hostile alphabet, and YAML's other indicators.
HOSTILE = [":", "-", "&", "*", "!", "#", '"', "'", "\t", "\r", "\x00", "\ufeff", "[", "]", "{", "}", ",", "?", "|", ">",
           "%", "@", "`", " ", "\n", "---", "...", "- ", ": ", "&a ", "*a", "!!python/object/apply:os.system", "é", "\r\n"]
# Characters that YAML, but not the file's line count, treats as line breaks (see test_conformance: a known bug).
LINE_SEPARATORS = ["\x85", "\u2028", "\u2029"]
INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80"]

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _mutations(alphabet: list[str]) -> st.SearchStrategy[bytes]:
    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = draw(st.sampled_from(BASES))
        lines = data.decode("utf-8").split("\n")
        for _ in range(draw(st.integers(1, 5))):
            operation = draw(st.sampled_from(("delete", "duplicate", "swap lines", "swap values", "inject", "inject many")))
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if operation == "delete" and len(lines) > 1:
                del lines[i]
            elif operation == "duplicate":
                lines.insert(j, lines[i])
            elif operation == "swap lines":
                lines[i], lines[j] = lines[j], lines[i]
            elif operation == "swap values" and ": " in lines[i] and ": " in lines[j]:
                key_i, value_i = lines[i].split(": ", 1)
                key_j, value_j = lines[j].split(": ", 1)
                lines[i], lines[j] = f"{key_i}: {value_j}", f"{key_j}: {value_i}"
            else:
                line = lines[i]
                at = draw(st.integers(0, len(line)))
                count = 1 if operation == "inject" else draw(st.integers(2, 8))
                chunk = "".join(draw(st.lists(st.sampled_from(alphabet), min_size=count, max_size=count)))
                lines[i] = line[:at] + chunk + line[at:]
        result = "\n".join(lines).encode("utf-8")
        if draw(st.booleans()):
            at = draw(st.integers(0, len(result)))
            result = result[:at] + draw(st.sampled_from(INVALID_UTF8)) + result[at:]
        if draw(st.integers(0, 3)) == 0:
            result = result[: draw(st.integers(0, len(result)))]
        return result

    return mutate()


def _check(data: bytes, people: frozenset[str] | None = PEOPLE) -> list[Finding]:
    return read_text("plan.md", "plan", data, TODAY, Limits(), people).findings


def _line_count(data: bytes) -> int:
    """Lines as the checker counts them: after decoding, without the BOM; CRLF and CR are one line break each."""
    text = data.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def _status(data: bytes) -> str:
    """The plan's status as a top-level `status:` line of the front matter says, else `active`."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    front_matter = []
    for line in lines[1:]:
        if line.rstrip(" \t") == "---":
            break
        front_matter.append(line)
    for line in front_matter:
        if line.startswith("status:"):
            return line.split(":", 1)[1].strip(" \t")
    return "active"


@SETTINGS
@given(_mutations(HOSTILE + LINE_SEPARATORS))
def test_mutated_plans_never_raise(data: bytes) -> None:
    for people in (PEOPLE, None):
        findings = _check(data, people)
        assert all(finding.code in CONTRACT for finding in findings)


@SETTINGS
@given(_mutations(HOSTILE))
def test_findings_point_into_the_file(data: bytes) -> None:
    lines = _line_count(data)
    for finding in _check(data):
        assert 1 <= finding.line <= lines, (finding, lines)
        assert finding.column >= 1, finding


@SETTINGS
@given(_mutations(HOSTILE + LINE_SEPARATORS))
def test_checking_is_deterministic(data: bytes) -> None:
    first = _check(data)
    second = _check(bytes(data))
    assert first == second
    assert [f.as_dict() for f in first] == [f.as_dict() for f in _check(data)]


@SETTINGS
@given(_mutations(HOSTILE))
def test_severities_follow_the_contract(data: bytes) -> None:
    findings = _check(data)
    status = _status(data)
    for finding in findings:
        fixed = CONTRACT[finding.code]
        if fixed == "chain":
            assert finding.severity.value in ("error", "info"), finding
        else:
            assert finding.severity.value == fixed, finding
    if not any(finding.code in ("PF001", "PF002", "PF003", "PF004", "PF005", "PF006", "PF011", "PF012") for finding in findings):
        # A readable plan whose status was read as written: chain findings follow the status.
        chain = {finding.severity.value for finding in findings if CONTRACT[finding.code] == "chain"}
        if status == "archived":
            assert chain == set()
        elif status == "draft":
            assert chain <= {"info"}
        elif status in ("active", ""):
            assert chain <= {"error"}


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    for prefix in (b"", b"---\n", b"\xef\xbb\xbf---\r\n"):
        findings = _check(prefix + data)
        lines = _line_count(prefix + data)
        assert all(f.column >= 1 and f.line >= 1 for f in findings)
        assert all(f.line <= lines for f in findings if f.code != "PF003")  # PF003: see the control-character bug


@SETTINGS
@given(st.lists(st.sampled_from(HOSTILE + ["a", "b", "id", "title", "csfs", "owner", "x", "2027-02-30"]), max_size=80))
def test_arbitrary_front_matter_never_raises(tokens: list[str]) -> None:
    front_matter = "".join(tokens)
    data = f"---\n{front_matter}\n---\nNotes\n".encode()
    findings = _check(data)
    lines = _line_count(data)
    assert all(1 <= f.line <= lines and f.column >= 1 for f in findings)
    assert findings == _check(data)


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    """The same commit checks the same way in every process (no set or hash order leaks into the output)."""
    outputs = []
    for seed in ("1", "2", "3"):
        environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
        environment["PYTHONHASHSEED"] = seed
        result = subprocess.run(
            [sys.executable, "-c", "import sys, planfolio.cli; sys.exit(planfolio.cli.main(sys.argv[1:]))",
             "export", str(CORPUS), "--today", "2026-11-28", "--people", str(CORPUS / "people.yml")],
            cwd=tmp_path, capture_output=True, text=True, env=environment, timeout=120,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1] == outputs[2]
