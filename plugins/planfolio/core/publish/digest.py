"""`planfolio digest` written out: text (one line an item), JSON, and Markdown for a GitHub issue or an e-mail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote as url_quote

from ..derive.digest import Digest, Due, PersonDigest, Slip, StalePlan
from ..findings import plain, quote
from ..read.files import MARKDOWN_SUFFIXES
from .diff import md
from .report import one_line

NO_HISTORY_TOLD = "done and slipped are left empty"
_MARKUP = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>&\"':@$=^%/]")  # as `diff.md`, for a text of ours that must not be cut


def _commitment(entry: Due) -> dict[str, object]:
    return {"plan": entry.plan, "id": entry.id, "title": entry.title, "due": entry.due.isoformat() if entry.due else None}


def _slip(slip: Slip) -> dict[str, object]:
    return {**_commitment(slip.commitment), "from": slip.old.isoformat(), "to": slip.new.isoformat()}


def _stale(stale: StalePlan) -> dict[str, object]:
    return {"plan": stale.plan, "id": None, "account": stale.account, "reviewed": stale.reviewed.isoformat() if stale.reviewed else None}


def _person(person: PersonDigest) -> dict[str, object]:
    return {
        "name": person.name,
        "done": [_commitment(entry) for entry in person.done],
        "slipped": [_slip(slip) for slip in person.slipped],
        "overdue": [_commitment(entry) for entry in person.overdue],
        "due_soon": [_commitment(entry) for entry in person.due_soon],
        "stale_plans": [_stale(stale) for stale in person.stale_plans],
    }


def as_json(digest: Digest) -> str:
    """`{"today", "since", "history", "people"}`; `history` is null where history was read, else why not."""
    data = {"today": digest.today.isoformat(), "since": digest.since.isoformat(), "history": digest.history, "people": [_person(p) for p in digest.people]}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"  # JSON leaves them raw


def _period(digest: Digest) -> str:
    return f"{digest.since.isoformat()} to {digest.today.isoformat()}"


def _counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# --- text: one line an item ------------------------------------------------------------------------------


def _text_items(person: PersonDigest) -> list[str]:
    def due(entry: Due) -> str:
        return f"due {entry.due.isoformat()}" if entry.due else "no due date"

    def where(path: str, line: int) -> str:
        return f"({path}:{line})"

    lines = [f"overdue: {e.plan} {e.id} {quote(e.title)}, {due(e)} {where(e.path, e.line)}" for e in person.overdue]
    lines += [f"due soon: {e.plan} {e.id} {quote(e.title)}, {due(e)} {where(e.path, e.line)}" for e in person.due_soon]
    lines += [
        f"slipped: {s.commitment.plan} {s.commitment.id} {quote(s.commitment.title)}, due {s.old} \u2192 {s.new} ({(s.new - s.old).days:+d} days) "
        + where(s.commitment.path, s.commitment.line)
        for s in person.slipped
    ]
    lines += [f"done: {e.plan} {e.id} {quote(e.title)} {where(e.path, e.line)}" for e in person.done]
    lines += [f"stale plan: {s.plan} {quote(s.account)}, {_reviewed(s)} {where(s.path, s.line)}" for s in person.stale_plans]
    return [one_line(f"{plain(person.name)}: {line}") for line in lines]


def _reviewed(stale: StalePlan) -> str:
    return f"last reviewed {stale.reviewed.isoformat()}" if stale.reviewed else "never reviewed"


def as_text(digest: Digest) -> str:
    """A head line (the period; where there is no history, why), then one line an item, person by person."""
    people = _counted(len(digest.people), "person", "people") if digest.people else "nothing to report"
    lines = [f"digest {_period(digest)}: {people}"]
    if digest.history:
        lines.append(one_line(f"{digest.history}: {NO_HISTORY_TOLD}"))
    for person in digest.people:
        lines += _text_items(person)
    return "".join(line + "\n" for line in lines)


# --- Markdown: a GitHub issue body, an e-mail --------------------------------------------------------------


def page_url(site_url: str, relative: str, directory_urls: bool = True) -> str | None:
    """A plan page's address, as MkDocs makes it: site_url + the plan's path in the plans folder without `.md`,
    then `/` (or `.html` where the site has `use_directory_urls: false`); None outside the plans folder."""
    suffix = next((suffix for suffix in MARKDOWN_SUFFIXES if relative.lower().endswith(suffix)), None)
    if not relative or suffix is None:
        return None
    page = relative[: len(relative) - len(suffix)]
    if not directory_urls:
        page += ".html"
    elif page == "index" or page.endswith("/index"):
        page = page[: -len("index")]
    else:
        page += "/"
    base = url_quote(site_url.rstrip("/") + "/", safe=":/?#@!$&'*+,;=%~")  # no space, bracket or parenthesis ends the link
    return base + url_quote(page, safe="/")


def _linker(digest: Digest, site_url: str | None, directory_urls: bool) -> Callable[[str, str, int], str]:
    """How an item names its plan: a link to the plan's page where the site's address is known, else `path:line`."""

    def link(account: str, path: str, line: int) -> str:
        url = page_url(site_url, digest.paths.get(path, ""), directory_urls) if site_url else None
        return f"[{md(account)}]({url})" if url else f"{md(account)} ({md(path)}:{line})"

    return link


def _md_section(person: PersonDigest, link: Callable[[str, str, int], str]) -> str:
    def due(entry: Due) -> str:
        return f"due {entry.due.isoformat()}" if entry.due else "no due date"

    def item(entry: Due, what: str) -> str:
        return f"- **{md(entry.id)}** {md(entry.title)} \u2014 {what} \u00b7 {link(entry.account or entry.plan, entry.path, entry.line)}\n"

    parts = [
        ("Overdue", "".join(item(e, due(e)) for e in person.overdue)),
        ("Due in the next 14 days", "".join(item(e, due(e)) for e in person.due_soon)),
        ("Slipped", "".join(item(s.commitment, f"due {s.old} \u2192 {s.new} ({(s.new - s.old).days:+d} days)") for s in person.slipped)),
        ("Done", "".join(item(e, "done") for e in person.done)),
        ("Plans due a review", "".join(f"- {link(s.account or s.plan, s.path, s.line)} \u2014 {_reviewed(s)}\n" for s in person.stale_plans)),
    ]
    body = "\n".join(f"**{title}**\n\n{items}" for title, items in parts if items)
    return f"## {md(person.name)}\n\n{body}"


def as_markdown(digest: Digest, site_url: str | None = None, directory_urls: bool = True) -> str:
    """A summary line, a line where there is no history, then one `##` section a person: overdue, due soon,
    slipped, done, plans due a review. Every item links to its plan's page where `site_url` is known."""
    people = _counted(len(digest.people), "person has", "people have") if digest.people else "nobody has"
    head = f"**Digest of {_period(digest)}**: {people} something to report.\n"
    if digest.history:
        reason = _MARKUP.sub(lambda match: f"&#{ord(match.group())};", one_line(digest.history))
        head += f"\n_{reason}: {NO_HISTORY_TOLD}._\n"
    link = _linker(digest, site_url, directory_urls)
    return "\n".join([head, *(_md_section(person, link) for person in digest.people)])
