"""Diagnostics: the codes of the plan format and the findings that carry them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


# Plan text in a message is cut to this many characters: a 10 MB title is not repeated whole in every finding.
QUOTE_LIMIT = 80


def _cut(text: str) -> tuple[str, str]:
    """Text cut to QUOTE_LIMIT with an ellipsis, escaped (one line, never a raw newline), and its length if cut."""
    length = ""
    if len(text) > QUOTE_LIMIT:
        text, length = text[: QUOTE_LIMIT - 1] + "\u2026", f" ({len(text)} characters)"
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    # JSON leaves these raw, and they end a line for many readers (Python's splitlines, editors).
    return escaped.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"), length


def plain(text: str) -> str:
    """Plan text as it reads (a name), escaped and cut like `quote`, without quotes."""
    inner, length = _cut(text)
    return inner + length


def code(text: str) -> str:
    """Plan text shown as `code` in a one-line message: control characters escaped, never a raw newline."""
    inner, length = _cut(text)
    return f"`{inner}`{length}"


def quote(text: str) -> str:
    """Quote plan text for a one-line message: control characters and quotes escaped, never a raw newline."""
    inner, length = _cut(text)
    return f'"{inner}"{length}'


def sort_key(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.path, finding.line, finding.column, finding.code)
