"""`planfolio diff` written out: text (one line an event), JSON, and Markdown for a pull-request comment."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ..derive.events import Event, Value, is_slip
from ..derive.history import Diff, PlanDiff
from ..findings import plain, quote
from .report import one_line

# GitHub keeps a pull-request comment to 65,536 characters.
COMMENT_LIMIT = 65_536
_DATE_KEYS = frozenset(("due", "reviewed", "completed"))
_ITEM_KINDS = frozenset(("csf", "condition", "obstacle", "commitment"))


def _shown(event: Event, raw: Value) -> str:
    """A value on one line: dates and numbers as written, text quoted, lists as [..], none as null."""
    if raw is None or isinstance(raw, bool):
        return json.dumps(raw)
    if isinstance(raw, list):
        return "[" + ", ".join(raw if event.event == "links" else map(quote, raw)) + "]"
    if isinstance(raw, str) and (event.event in _DATE_KEYS or event.key in _DATE_KEYS):
        return raw
    return quote(raw) if isinstance(raw, str) else str(raw)


def text_line(path: str, event: Event) -> str:
    """`path:line:col: kind ID "title": event from → to`; plan text quoted, so the line never breaks."""
    name = f"{event.kind} {event.id}" if event.id is not None else event.kind
    what = f"changed {event.key}" if event.key is not None else event.event
    days = f" ({event.days:+d} days)" if event.days is not None else ""
    line = f"{path}:{event.line}:{event.column}: {name} {quote(event.title)}: {what} {_shown(event, event.old)} \u2192 {_shown(event, event.new)}{days}"
    return one_line(line)


def as_text(diff: Diff) -> str:
    return "".join(text_line(plan.path, event) + "\n" for plan in diff.plans for event in plan.events)


def as_json(diff: Diff) -> str:
    data = {
        "from": {"rev": diff.old.rev, "commit": diff.old.commit},
        "to": {"rev": diff.new.rev, "commit": diff.new.commit},
        "plans": [
            {"id": plan.id, "path": plan.path, "account": plan.account, "events": [event.as_dict() for event in plan.events]}
            for plan in diff.plans
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"  # JSON leaves them raw


# Every character that Markdown or HTML could read as markup (or GitHub as a mention, an emoji, a reference)
# is written as a character reference, which both read as the character itself.
_MARKUP = re.compile(r"[\\`*_{}\[\]<>&|~#!:@$]")  # what starts markup inside a line; `-` `.` `/` stay readable


def md(text: str) -> str:
    """Plan text safe in a comment's Markdown and HTML: one line, cut like a finding's quote, no markup."""
    return _MARKUP.sub(lambda match: f"&#{ord(match.group())};", plain(text))


def _ordinal(number: int) -> str:
    words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
    return words[number - 1] if 0 < number <= len(words) else f"{number}th"


def _sentence_of_plan(event: Event) -> str:
    old, new = (md(str(side)) if side is not None else "none" for side in (event.old, event.new))
    match event.event:
        case "added" | "removed":
            return f"The plan was {event.event}"
        case "owner":
            return f"The plan was handed from {old} to {new}"
        case "status":
            return f"The plan is now {new} (was {old})"
        case "reviewed":
            return f"Deep review on {new} (the last was {old})" if event.new else "The review date was removed"
        case _:
            return f"`{md(event.key or '')}` changed"


def _sentence_of_goal(event: Event) -> str:
    old, new = (md(str(side)) if side is not None else "none" for side in (event.old, event.new))
    match event.event:
        case "added" | "removed" | "retitled":
            return {"added": f"Goal set: {md(event.title)}", "removed": "The goal was removed"}.get(event.event, f"Goal restated: {new} (was {old})")
        case "due":
            return f"The goal is now due {new} (was {old})"
        case "current" | "target":
            return f"The goal's {event.event} is now {new} (was {old})"
        case _:
            return f"The goal's `{md(event.key or '')}` changed: {new} (was {old})"


def _slip_sentence(event: Event, name: str, slips: int | None) -> str:
    assert event.days is not None
    nth = f", its {_ordinal(slips)} slip" if slips else ""
    if event.days > 0:
        return f"{name} slipped {_counted(event.days, 'day', 'days')} ({event.old} \u2192 {event.new}){nth}"
    return f"{name} was brought forward {_counted(-event.days, 'day', 'days')} ({event.old} \u2192 {event.new})"


def _sentence_of_item(event: Event, slips: int | None) -> str:
    name = md(event.id or "")
    old, new = (md(str(side)) if side is not None else "none" for side in (event.old, event.new))
    links = {"condition": "serves", "obstacle": "prevents", "commitment": "overcomes"}
    match event.event:
        case "added" | "removed":
            return f"{event.kind.upper() if event.kind == 'csf' else event.kind.capitalize()} {name} {event.event}: {md(event.title)}"
        case "retitled":
            return f"{name} retitled: {new} (was {old})"
        case "status":
            return {"done": f"{name} is done", "dropped": f"{name} was dropped"}.get(str(event.new), f"{name} is now {new} (was {old})")
        case "owner":
            return f"{name} handed from {old} to {new}"
        case "due" if event.days is not None:
            return _slip_sentence(event, name, slips)
        case "met":
            return f"{name} is now met" if event.new else f"{name} is no longer met"
        case "links":
            listed = (", ".join(md(entry) for entry in side) if isinstance(side, list) else "" for side in (event.old, event.new))
            was, now = listed
            return f"{name} now {links[event.kind]} {now or 'nothing'} (was {was or 'nothing'})"
        case _:
            return f"{name}: `{md(event.key or event.event)}` is now {new} (was {old})"


def sentence(event: Event, slips: Mapping[tuple[str, str], int] | None = None) -> str:
    """An event in the method's words, as a pull-request comment says it; `slips` gives a commitment's
    slips over its whole history, by (plan id, commitment id), for "its second slip"."""
    if event.kind == "plan":
        return _sentence_of_plan(event)
    if event.kind == "goal":
        return _sentence_of_goal(event)
    count = slips.get((event.plan, event.id or "")) if slips is not None and is_slip(event) else None
    return _sentence_of_item(event, count)


def _counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary(diff: Diff) -> str:
    """One paragraph: plans changed, commitments added, done, dropped and slipped (by how many days), items removed."""
    found = [event for plan in diff.plans for event in plan.events]
    commitments = [event for event in found if event.kind == "commitment"]
    slipped = [event.days or 0 for event in commitments if is_slip(event)]
    parts = [
        _counted(sum(e.kind == "plan" and e.event == "added" for e in found), "plan added", "plans added"),
        _counted(sum(e.kind == "plan" and e.event == "removed" for e in found), "plan removed", "plans removed"),
        _counted(sum(e.event == "added" for e in commitments), "commitment added", "commitments added"),
        f"{sum(e.event == 'status' and e.new == 'done' for e in commitments)} done",
        f"{sum(e.event == 'status' and e.new == 'dropped' for e in commitments)} dropped",
        f"{_counted(len(slipped), 'commitment', 'commitments')} slipped by {_counted(sum(slipped), 'day', 'days')} in all",
        _counted(sum(e.kind in _ITEM_KINDS and e.event == "removed" for e in found), "item removed", "items removed"),
    ]
    told = [part for part in parts if not part.startswith("0 ")]
    head = f"**{_counted(len(diff.plans), 'plan', 'plans')} changed**"
    return head + (": " + ", ".join(told) + "." if told else ".")


def _section(plan: PlanDiff, slips: Mapping[tuple[str, str], int] | None) -> str:
    title = f"{md(plan.account or plan.id)} ({md(plan.path)}): {_counted(len(plan.events), 'change', 'changes')}"
    lines = "".join(f"- {sentence(event, slips)}\n" for event in plan.events)
    return f"<details><summary>{title}</summary>\n\n{lines}\n</details>\n"


def _short(diff: Diff, head: str, limit: int) -> str:
    """The summary and as many plans' names as fit, where every event would not fit a comment."""
    text = head + "\n\nThe changes are too many for one comment: the job summary lists them all.\n\n"
    for index, plan in enumerate(diff.plans):
        line = f"- {md(plan.account or plan.id)} ({md(plan.path)}): {_counted(len(plan.events), 'change', 'changes')}\n"
        rest = f"- and {_counted(len(diff.plans) - index, 'more plan', 'more plans')}\n"
        if len(text) + len(line) + len(rest) > limit:
            return text + rest
        text += line
    return text


def as_markdown(diff: Diff, slips: Mapping[tuple[str, str], int] | None = None, limit: int = COMMENT_LIMIT) -> str:
    """A pull-request comment: the summary, then one collapsible section a plan; "" when no plan changed;
    at most `limit` characters (past it, the summary and the plans' names, pointing at the job summary)."""
    if not diff.plans:
        return ""
    head = summary(diff)
    text = head + "\n\n" + "\n".join(_section(plan, slips) for plan in diff.plans)
    return text if len(text) <= limit else _short(diff, head, limit)
