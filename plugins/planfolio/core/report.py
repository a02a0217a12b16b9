"""Findings written out: one line each as text, GitHub Actions workflow commands, or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .findings import Finding, Severity

_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def as_text(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.value} {finding.code} {finding.message}"


def _escape_data(text: str) -> str:
    # actions/toolkit command.ts escapeData: a newline could otherwise start a second workflow command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        return json.dumps([finding.as_dict() for finding in findings], ensure_ascii=False, indent=2) + "\n"
    line = as_github if output_format == "github" else as_text
    return "".join(line(finding) + "\n" for finding in findings)
