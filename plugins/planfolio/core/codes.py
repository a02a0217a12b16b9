"""The registry of diagnostic codes: every finding planfolio reports is made through one of these rules.

A rule has its code, its severity class, a one-line summary and its section in the authors' docs. The
severity of a finding is stamped here and nowhere else: `chain` findings are errors in active plans, info in
drafts (archived plans are not checked for them). Where each rule is checked: `check/` (by stage) or the
reader (`read/`) for what is wrong in the file as written — `Rule.checked_in` says which module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .findings import Finding, Severity

DOCS = "docs/writing-a-plan.md"


class Kind(str, Enum):
    ERROR = "error"
    CHAIN = "chain"  # a gap in the chain: its severity follows the plan's status
    WARNING = "warning"
    INFO = "info"  # depends on today's date (or history): never fails a check


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    kind: Kind
    summary: str
    anchor: str  # the section of the docs that explains it
    checked_in: str  # the module, under plugins/planfolio/core/, that reports it

    @property
    def docs(self) -> str:
        return f"{DOCS}#{self.anchor}"

    def severity(self, plan_status: str = "active") -> Severity:
        if self.kind is Kind.CHAIN:
            return Severity.INFO if plan_status == "draft" else Severity.ERROR
        return Severity(self.kind.value)

    def at(self, path: str, line: int, column: int, message: str, plan_status: str = "active") -> Finding:
        """This rule's finding at a 1-based position of a file."""
        return Finding(path, line, column, self.severity(plan_status), self.code, message)


RULES: dict[str, Rule] = {}


def _rule(code: str, kind: Kind, summary: str, anchor: str, checked_in: str) -> Rule:
    rule = Rule(code, kind, summary, anchor, checked_in)
    RULES[code] = rule
    return rule


NOT_UTF8 = _rule("PF001", Kind.ERROR, "the file is not readable as UTF-8 text", "pf001-not-utf-8", "read/yamltree.py, portfolio.py")
NO_FRONT_MATTER = _rule("PF002", Kind.ERROR, "no front matter, or it is never closed", "pf002-no-front-matter", "read/yamltree.py")
YAML_SYNTAX = _rule("PF003", Kind.ERROR, "YAML syntax error", "pf003-yaml-syntax-error", "read/yamltree.py")
NOT_A_MAPPING = _rule("PF004", Kind.ERROR, "the front matter is not a mapping", "pf004-front-matter-is-not-a-mapping", "read/plan.py")
DUPLICATE_KEY = _rule("PF005", Kind.ERROR, "a key appears twice in one mapping", "pf005-duplicate-key", "read/yamltree.py")
ANCHOR_ALIAS_TAG = _rule("PF006", Kind.ERROR, "a YAML anchor, alias or explicit tag", "pf006-anchor-alias-or-tag", "read/yamltree.py")
MISSING_KEY = _rule("PF010", Kind.ERROR, "a required key is missing", "pf010-required-key-missing", "read/keys.py")
INVALID_VALUE = _rule("PF011", Kind.ERROR, "a value has the wrong type or is invalid", "pf011-wrong-type-or-invalid-value", "read/values.py, read/items.py")
UNKNOWN_KEY = _rule("PF012", Kind.ERROR, "an unknown key", "pf012-unknown-key", "read/keys.py, read/yamltree.py")
DUPLICATE_ID = _rule("PF020", Kind.ERROR, "an id is used twice in the plan", "pf020-id-used-twice", "read/links.py")
INVALID_ID = _rule("PF021", Kind.ERROR, "an invalid id, or a file name that is not a valid plan id", "pf021-invalid-id-or-file-name", "read/items.py, read/plan.py, check/portfolio.py")
BAD_REFERENCE = _rule("PF022", Kind.ERROR, "a reference to an id that does not exist or is of the wrong kind", "pf022-unknown-or-wrong-reference", "read/links.py")
UNKNOWN_PERSON = _rule("PF023", Kind.ERROR, "a person not in the people file", "pf023-person-not-in-the-people-file", "read/values.py")
CSF_WITHOUT_CONDITION = _rule("PF030", Kind.CHAIN, "a CSF has no necessary condition", "pf030-csf-without-a-condition", "check/chain.py")
CONDITION_WITHOUT_OBSTACLE = _rule("PF031", Kind.CHAIN, "a condition is not met and no obstacle is recorded against it", "pf031-condition-without-an-obstacle", "check/chain.py")
OBSTACLE_WITHOUT_COMMITMENT = _rule("PF032", Kind.CHAIN, "an obstacle has no live commitment", "pf032-obstacle-without-a-live-commitment", "check/chain.py")
TOO_MANY_CSFS = _rule("PF100", Kind.WARNING, "more CSFs than the limit (5, a site option): not the vital few", "pf100-more-csfs-than-the-limit", "check/chain.py")
MET_WITH_OBSTACLES = _rule("PF101", Kind.WARNING, "a met condition still has obstacles recorded against it", "pf101-met-condition-with-obstacles", "check/chain.py")
COMPLETED_NOT_DONE = _rule("PF102", Kind.WARNING, "`completed` is set on a commitment that is not done", "pf102-completed-but-not-done", "check/items.py")
SAME_ACCOUNT_TWICE = _rule("PF103", Kind.WARNING, "two plans for the same account and period", "pf103-same-account-and-period-twice", "check/portfolio.py")
LONG_TITLE = _rule("PF104", Kind.WARNING, "a title longer than 120 characters", "pf104-title-too-long", "check/items.py")
DIAGRAM_TOO_LARGE = _rule("PF105", Kind.WARNING, "the constraint diagram is larger than Mermaid draws", "pf105-diagram-too-large-to-draw", "check/chain.py")
OVERDUE = _rule("PF200", Kind.INFO, "a commitment is overdue", "pf200-overdue-commitment", "check/chain.py")
REVIEW_DUE = _rule("PF201", Kind.INFO, "the plan has not been reviewed in 90 days (a site option), or never", "pf201-review-due", "check/chain.py")
SLIPPED = _rule("PF202", Kind.INFO, "a live commitment's due date slipped `slip_limit` times or more", "pf202-commitment-keeps-slipping", "check/history.py")
