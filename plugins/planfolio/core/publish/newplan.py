"""The text of a new draft plan: the five parts laid out, with comments that coach the author."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib.resources import files
from string import Template

import yaml

from ..read import yamltree


def _yaml_text(text: str) -> str:
    """The text as the docs teach it, unquoted, where it reads back as exactly this text — for planfolio and
    for any YAML reader, so an editor sees text too (`NO`, `2027` are not); else quoted."""
    problems: list[yamltree.Problem] = []
    root = yamltree.parse(f"key: {text}\n", problems)
    value = root.entries["key"][1] if type(root) is yamltree.Mapping and "key" in root.entries else None
    if not problems and type(value) is yamltree.Scalar and value.plain and not value.is_null and value.text == text:
        if yaml.safe_load(f"key: {text}\n") == {"key": text}:
            return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def new_plan_text(account: str, owner: str, today: date) -> str:
    """A draft whose chain is complete in form, so it checks clean; every text is for the author to replace."""
    template = Template(files("planfolio").joinpath("templates/new-plan.md").read_text(encoding="utf-8"))
    period = f"FY{today.year + 1}" if today.month >= 10 else f"FY{today.year}"
    return template.substitute(
        account=_yaml_text(account),
        owner=_yaml_text(owner),
        period=period,
        statement=_yaml_text(f"Grow {account} revenue from ... to ... in {period}"),
        goal_due=date(int(period[2:]), 12, 31).isoformat(),
        commitment_due=(today + timedelta(days=30)).isoformat(),
    )
