"""A JSON Schema (draft 2020-12) of a plan's front matter, for editors that validate YAML while typing.

Editors read YAML 1.2: a date arrives as a string, `2027` as a number, `NO` as a string. The schema accepts
every valid plan read that way; what it cannot express (references, chain completeness, people) is left
to `planfolio check`.
"""

from __future__ import annotations

from typing import Any

from ..model import COMMITMENT_STATUSES, PLAN_STATUSES
from ..read.plan import ID_PATTERN

SCHEMA_ID = "https://planfolio.example/schema/plan-v1.json"

# planfolio keeps scalars as written, so `period: 2027` and `owner: true` are text too.
TEXT = {"type": ["string", "number", "boolean"], "minLength": 1, "pattern": r"\S"}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date", "description": "A date, YYYY-MM-DD."}
ID = {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$", "description": "Starts with a letter; at most 32 letters, digits, `_`, `.`, `-`."}


def _text(description: str) -> dict[str, Any]:
    return {**TEXT, "description": description}


def _references(kind: str) -> dict[str, Any]:
    return {
        "description": f"The id of the {kind} (or a list of ids) this entry serves.",
        "oneOf": [ID, {"type": "array", "items": ID, "minItems": 1}],
    }


def _item(description: str, extra: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "required": ["id", "title", *required],
        "properties": {
            "id": ID,
            "title": _text("One line; more than 120 characters draws a warning (the plan must fit one page)."),
            "note": _text("An optional remark."),
            **extra,
        },
    }


def plan_schema() -> dict[str, Any]:
    person = _text("A person's name; where the site has a people file, it must be listed there.")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "planfolio key account plan (front matter, format version 1)",
        "description": "A one-page, constraint-focused key account plan: goal, CSFs, necessary conditions, obstacles, commitments.",
        "type": "object",
        "additionalProperties": False,
        "required": ["account", "owner", "goal", "csfs", "conditions"],
        "properties": {
            "account": _text("The customer account's display name."),
            "owner": {**person, "description": "The key account manager accountable for the plan."},
            "status": {"enum": list(PLAN_STATUSES), "default": "active", "description": "Drafts may have an incomplete chain; archived plans are not checked for it."},
            "period": _text("The plan's period, e.g. FY2027."),
            "team": {"type": "array", "items": person, "description": "The account team."},
            "tags": {"type": "array", "items": TEXT, "description": "E.g. region and segment."},
            "reviewed": {**DATE, "description": "Date of the last deep review, YYYY-MM-DD."},
            "goal": {
                "type": "object",
                "description": "The account sales goal.",
                "additionalProperties": False,
                "required": ["statement"],
                "properties": {
                    "statement": _text("The goal in one sentence."),
                    "due": DATE,
                    "baseline": {"type": "number"},
                    "target": {"type": "number"},
                    "current": {"type": "number"},
                    "unit": _text("Unit of baseline, target and current, e.g. EUR M."),
                },
            },
            "csfs": {
                "type": "array",
                "minItems": 1,
                "description": "Critical success factors: what must be true to reach the goal (the vital few: at most 5).",
                "items": _item("A critical success factor.", {}),
            },
            "conditions": {
                "type": "array",
                "minItems": 1,
                "description": "Necessary conditions: what must be in place for each CSF.",
                "items": _item(
                    "A necessary condition.",
                    {"csf": _references("CSF"), "met": {"type": "boolean", "default": False, "description": "Already in place: needs no obstacle."}},
                    ("csf",),
                ),
            },
            "obstacles": {
                "type": "array",
                "description": "What currently prevents a necessary condition.",
                "items": _item("An obstacle.", {"condition": _references("condition")}, ("condition",)),
            },
            "commitments": {
                "type": "array",
                "description": "What a named owner will deliver, by a date, to overcome an obstacle.",
                "items": _item(
                    "A commitment.",
                    {
                        "obstacle": _references("obstacle"),
                        "owner": {**person, "description": "Who delivers it."},
                        "due": {**DATE, "description": "By when, YYYY-MM-DD."},
                        "status": {"enum": list(COMMITMENT_STATUSES), "default": "open"},
                        "completed": {**DATE, "description": "When it was delivered, YYYY-MM-DD."},
                        "link": {"type": "string", "pattern": r"^https?://[^\s/]+\S*$", "description": "An http:// or https:// URL, e.g. the CRM task."},
                    },
                    ("obstacle", "owner", "due"),
                ),
            },
        },
    }
