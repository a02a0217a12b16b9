"""A JSON Schema (draft 2020-12) of a plan's front matter, for editors that validate YAML while typing.

Generated from the format's declaration (`read/format.py`), with the checks' limits filled in. Editors read
YAML 1.2: a date arrives as a string, `2027` as a number, `NO` as a string. The schema accepts every valid
plan read that way; what it cannot express (references, chain completeness, people) is left to
`planfolio check`.
"""

from __future__ import annotations

from typing import Any

from ..check.items import TITLE_LIMIT
from ..read.format import ID_PATTERN, TOP, ItemKind, Key, Keys, Type
from ..settings import Limits

SCHEMA_ID = "https://planfolio.example/schema/plan-v1.json"

# planfolio keeps scalars as written, so `period: 2027` and `owner: true` are text too.
TEXT = {"type": ["string", "number", "boolean"], "minLength": 1, "pattern": r"\S"}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date", "description": "A date, YYYY-MM-DD."}
ID = {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$", "description": "Starts with a letter; at most 32 letters, digits, `_`, `.`, `-`."}
PERSON = {**TEXT, "description": "A person's name; where the site has a people file, it must be listed there."}
LINK = {"type": "string", "pattern": r"^https?://[^\s/]+\S*$"}

# What each type of value is, before its description (and default) are added.
_BASES: dict[Type, dict[str, Any]] = {
    Type.TEXT: TEXT,
    Type.PERSON: PERSON,
    Type.DATE: DATE,
    Type.NUMBER: {"type": "number"},
    Type.BOOLEAN: {"type": "boolean"},
    Type.LINK: LINK,
    Type.ID: ID,
    Type.TEXTS: {"type": "array", "items": TEXT},
    Type.PEOPLE: {"type": "array", "items": PERSON},
}


def _described(key: Key) -> str | None:
    if key.description is None:
        return None
    return key.description.format(title_limit=TITLE_LIMIT, csf_limit=Limits().csf_limit)


def _value(key: Key) -> dict[str, Any]:
    """The schema of one key's value."""
    if key.type is Type.MAPPING:
        assert key.keys is not None, key
        return _object(key.keys, _described(key))
    if key.type is Type.ITEMS:
        assert key.items is not None, key
        listed: dict[str, Any] = {"type": "array", **({"minItems": 1} if key.at_least_one else {})}
        return {**listed, "description": _described(key), "items": _item(key.items)}
    if key.type is Type.REFERENCES:
        return {
            "description": f"The id of the {key.refers_to} (or a list of ids) this entry serves.",
            "oneOf": [ID, {"type": "array", "items": ID, "minItems": 1}],
        }
    schema: dict[str, Any] = {"enum": list(key.choices)} if key.type is Type.CHOICE else dict(_BASES[key.type])
    if key.default is not None:
        schema["default"] = key.default
    description = _described(key)
    if description is not None:
        schema["description"] = description
    return schema


def _object(keys: Keys, description: str | None) -> dict[str, Any]:
    return {
        "type": "object",
        **({"description": description} if description is not None else {}),
        "additionalProperties": False,
        "required": [key.name for key in keys.required],
        "properties": {key.name: _value(key) for key in keys.keys},
    }


def _item(kind: ItemKind) -> dict[str, Any]:
    return _object(kind.keys, kind.description)


def plan_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "planfolio key account plan (front matter, format version 1)",
        "description": "A one-page, constraint-focused key account plan: goal, CSFs, necessary conditions, obstacles, commitments.",
        "type": "object",
        "additionalProperties": False,
        "required": [key.name for key in TOP.required],
        "properties": {key.name: _value(key) for key in TOP.keys},
    }
