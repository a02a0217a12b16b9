"""Findings written out: one line each as text, GitHub Actions workflow commands, or JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ..findings import Finding, Severity

_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


# Any character that could end a line in a terminal, a CI log or an editor: control characters (newline, CR,
# escape sequences) and the Unicode line and paragraph separators.
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text that stays on its line: every control or line-breaking character written as an escape (`\\n`)."""
    return _LINE_BREAKING.sub(lambda match: json.dumps(match.group())[1:-1], text)


def as_text(finding: Finding) -> str:
    # Messages quote plan text already; the path is a file name, which may hold anything but `/` and NUL.
    return one_line(f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.value} {finding.code} {finding.message}")


def _escape_data(text: str) -> str:
    # actions/toolkit command.ts escapeData: a newline could otherwise start a second workflow command.
    return one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(finding: Finding) -> str:
    properties = ",".join(
        f"{name}={_escape_property(value)}"
        for name, value in (
            ("file", finding.path),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", finding.code),
        )
    )
    return f"::{_GITHUB_COMMAND[finding.severity]} {properties}::{_escape_data(finding.message)}"


def render(findings: Iterable[Finding], output_format: str) -> str:
    """All findings in one format; text and github end with a newline per finding."""
    findings = list(findings)
    if output_format == "json":
        text = json.dumps([finding.as_dict() for finding in findings], ensure_ascii=False, indent=2)
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"  # JSON leaves them raw
    line = as_github if output_format == "github" else as_text
    return "".join(line(finding) + "\n" for finding in findings)
