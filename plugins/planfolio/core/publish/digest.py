"""`planfolio digest` written out: text (one line an item), JSON, and Markdown for a GitHub issue or an e-mail."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote as url_quote

from ..derive.digest import Digest, Due, PersonDigest, Slip, StalePlan
from ..findings import QUOTE_LIMIT, plain, quote
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


def _linker(digest: Digest, site_url: str | None, directory_urls: bool) -> Callable[[str, str, int | None], str]:
    """How an item names its plan: a link to the plan's page where the site's address is known, else `path:line`
    (`path` alone where the line is not known: an item of last week's digest)."""

    def link(account: str, path: str, line: int | None) -> str:
        url = page_url(site_url, digest.paths.get(path, ""), directory_urls) if site_url else None
        if url:
            return f"[{md(account)}]({url})"
        return f"{md(account)} ({md(path)}:{line})" if line is not None else f"{md(account)} ({md(path)})"

    return link


def _md_parts(person: PersonDigest, link: Callable[[str, str, int | None], str]) -> list[tuple[str, str]]:
    """A person's parts, most urgent first: (title, its items as Markdown list lines)."""

    def due(entry: Due) -> str:
        return f"due {entry.due.isoformat()}" if entry.due else "no due date"

    def item(entry: Due, what: str) -> str:
        return f"- **{md(entry.id)}** {md(entry.title)} \u2014 {what} \u00b7 {link(entry.account or entry.plan, entry.path, entry.line)}\n"

    return [
        ("Overdue", "".join(item(e, due(e)) for e in person.overdue)),
        ("Due in the next 14 days", "".join(item(e, due(e)) for e in person.due_soon)),
        ("Slipped", "".join(item(s.commitment, f"due {s.old} \u2192 {s.new} ({(s.new - s.old).days:+d} days)") for s in person.slipped)),
        ("Done", "".join(item(e, "done") for e in person.done)),
        ("Plans due a review", "".join(f"- {link(s.account or s.plan, s.path, s.line)} \u2014 {_reviewed(s)}\n" for s in person.stale_plans)),
    ]


def _md_section(name: str, parts: list[tuple[str, str]], handle: str | None) -> str:
    """A person's `##` section; the heading @-mentions them where the people file gives their GitHub handle (a
    handle is checked against GitHub's rule when the file is read, and escaped here all the same)."""
    mention = f" (@{md(handle)})" if handle else ""
    body = "\n".join(f"**{title}**\n\n{items}" for title, items in parts if items)
    return f"## {md(name)}{mention}\n\n{body}"


def _head(digest: Digest, sections: int) -> str:
    people = _counted(sections, "person has", "people have") if sections else "nobody has"
    head = f"**Digest of {_period(digest)}**: {people} something to report.\n"
    if digest.history:
        reason = _MARKUP.sub(lambda match: f"&#{ord(match.group())};", one_line(digest.history))
        head += f"\n_{reason}: {NO_HISTORY_TOLD}._\n"
    return head


def as_markdown(digest: Digest, site_url: str | None = None, directory_urls: bool = True, handles: Mapping[str, str] | None = None) -> str:
    """A summary line, a line where there is no history, then one `##` section a person: overdue, due soon,
    slipped, done, plans due a review. Every item links to its plan's page where `site_url` is known; a person
    with a GitHub handle in `handles` (name -> handle, from the people file) is @-mentioned in their heading."""
    link = _linker(digest, site_url, directory_urls)
    sections = [_md_section(person.name, _md_parts(person, link), (handles or {}).get(person.name)) for person in digest.people]
    return "\n".join([_head(digest, len(sections)), *sections])


# --- the digest issue: one GitHub issue, rewritten every week ---------------------------------------------
#
# Its body starts with a marker line, by which the workflow finds it, and ends with a hidden line listing the
# open items it shows (overdue, due soon, plans due a review). The next week's run reads that line back from the
# previous body: an item listed there that is no longer open is shown struck through, "closed since the last
# digest". The line is JSON with `<`, `>` and `&` written as escapes, so it can never end its HTML comment.

ISSUE_MARKER = "<!-- planfolio-digest -->"
ISSUE_LIMIT = 65_536  # GitHub's limit of an issue body, in characters
_OPEN_START, _OPEN_END = "<!-- planfolio-digest-open ", " -->"
_OPEN_LINE = re.compile("^" + re.escape(_OPEN_START) + "(.*)" + re.escape(_OPEN_END) + "$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Shown:
    """An open item of a digest issue, as the next week's run reads it back."""

    person: str
    plan: str  # the plan's id
    id: str | None  # the commitment's id; None for a plan due a review
    title: str  # the commitment's title, cut as the issue shows it; the plan's account for a plan
    account: str
    path: str  # the plan file, as `check` shows it

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.plan, self.id)


def _shortened(text: str) -> str:
    """Text that is only shown, cut where the issue's Markdown cuts it: the hidden line stays small."""
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "\u2026"


def shown_items(person: PersonDigest) -> list[Shown]:
    """A person's open items: overdue and due soon commitments, plans due a review."""
    items = [Shown(person.name, e.plan, e.id, _shortened(e.title), _shortened(e.account or e.plan), e.path) for e in (*person.overdue, *person.due_soon)]
    items += [Shown(person.name, s.plan, None, _shortened(s.account or s.plan), _shortened(s.account or s.plan), s.path) for s in person.stale_plans]
    return items


def _encoded(item: Shown) -> str:
    text = json.dumps([item.person, item.plan, item.id, item.title, item.account, item.path], ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class UnreadablePrevious(ValueError):
    """The hidden line of a previous digest issue is there but cannot be read (someone edited it)."""


def previous_items(body: str) -> list[Shown]:
    """The open items a previous digest issue listed on its hidden line; none where it has no such line (the
    first digest, or another text). Raises UnreadablePrevious where the line is there but not as written."""
    found = _OPEN_LINE.search(body.replace("\r\n", "\n"))
    if found is None:
        return []
    try:
        entries = json.loads(found.group(1))
    except (ValueError, RecursionError):
        raise UnreadablePrevious("its list of open items is not valid JSON") from None
    if not isinstance(entries, list):
        raise UnreadablePrevious("its list of open items is not a list")
    items = []
    for entry in entries:
        texts = entry if isinstance(entry, list) and len(entry) == 6 else []
        if not texts or not all(isinstance(text, str) or (index == 2 and text is None) for index, text in enumerate(texts)):
            raise UnreadablePrevious("an entry of its list of open items is not [person, plan, id, title, account, path]")
        items.append(Shown(*texts))
    return items


def _closed(items: list[Shown], link: Callable[[str, str, int | None], str]) -> str:
    lines = [f"- ~~**{md(item.id)}** {md(item.title)}~~ \u00b7 {link(item.account, item.path, None)}\n" for item in items if item.id is not None]
    lines += [f"- ~~plan due a review~~ \u00b7 {link(item.account, item.path, None)}\n" for item in items if item.id is None]
    return "".join(lines)


def _issue_sections(digest: Digest, previous: list[Shown], link: Callable[[str, str, int | None], str], handles: Mapping[str, str]) -> list[tuple[str, list[Shown]]]:
    """Each person's section of the issue with the open items it shows: the people of the digest, and those
    with items closed since the previous one; by name as the digest sorts them."""
    current = {person.name: person for person in digest.people}
    shown = {name: shown_items(person) for name, person in current.items()}
    still_open = {name: {item.key for item in items} for name, items in shown.items()}
    closed: dict[str, list[Shown]] = {}
    for item in previous:
        if item.key not in still_open.get(item.person, set()):
            still_open.setdefault(item.person, set()).add(item.key)  # an item listed twice is struck once
            closed.setdefault(item.person, []).append(item)
    sections = []
    for name in sorted(set(current) | set(closed), key=lambda name: (name.casefold(), name)):
        parts = _md_parts(current[name], link) if name in current else []
        parts.append(("Closed since the last digest", _closed(closed.get(name, []), link)))
        sections.append((_md_section(name, parts, handles.get(name)), shown.get(name, [])))
    return sections


def as_issue(
    digest: Digest, previous: list[Shown], site_url: str | None = None, directory_urls: bool = True,
    handles: Mapping[str, str] | None = None, limit: int = ISSUE_LIMIT,
) -> str:
    """The body of the digest issue: the marker line, the Markdown digest with each person's items closed since
    the `previous` issue struck through, and the hidden line of the open items it shows; at most `limit`
    characters (past it, the sections that fit and how many people more)."""
    link = _linker(digest, site_url, directory_urls)
    sections = _issue_sections(digest, previous, link, handles or {})
    body = f"{ISSUE_MARKER}\n{_head(digest, len(sections))}"
    encoded: list[str] = []
    size = len(_OPEN_START) + len("[]") + len(_OPEN_END) + 2  # the hidden line and the newlines around it
    for index, (section, items) in enumerate(sections):
        more = _counted(len(sections) - index, "more person", "more people")
        rest = f"\n_And {more}: the digest is longer than one issue holds; the workflow run's summary has it whole._\n"
        adding = [_encoded(item) for item in items]
        added = 1 + len(section) + sum(len(text) + 1 for text in adding)
        if len(body) + size + added + len(rest) > limit:
            body += rest
            break
        body += "\n" + section
        encoded += adding
        size += added - 1 - len(section)
    return f"{body}\n{_OPEN_START}[{','.join(encoded)}]{_OPEN_END}\n"
