"""Page keys: the names by which the plugin and the templates point at a page or file of the site.

Every key is made here, and templates get these functions as the global `keys`, so no key is spelled
out anywhere else: `url(keys.plan(plan.id))`, `url(keys.owner(name))`. The strings themselves are part of
the templates' public API (a site's overrides may write `url("plan:acme")` or `url("index:1")`,
docs/running-a-portfolio.md "Overriding templates"): they never change.

    plan:<plan id>                    a plan's page
    index:<n>                         page n of the portfolio index
    slipped:<n>                       page n of the slipped commitments
    week                              this week's digest (the "This week" page)
    owner:<person>:<n>                page n of one person's commitments (likewise due:, status:, tag:)
    owners, due, status, tags         the overviews
    json, csv, ics, ics:<person>      the exports and calendar feeds
    atom, atom:<person>               the digest's Atom feeds: the whole portfolio's, one person's
"""

from __future__ import annotations

from types import SimpleNamespace

OVERVIEWS = ("owners", "due", "status", "tags")
EXPORTS = ("json", "csv")


def plan(plan_id: str) -> str:
    return f"plan:{plan_id}"


def index(page: int = 1) -> str:
    return f"index:{page}"


def slipped(page: int = 1) -> str:
    """Page `page` of the slipped commitments (their due date later now than it first was)."""
    return f"slipped:{page}"


def week() -> str:
    """The "This week" page: the portfolio's digest of the last seven days."""
    return "week"


def listing(kind: str, name: str, page: int = 1) -> str:
    """Page `page` of a listing: `kind` is "owner", "due", "status" or "tag"; `name` the person, window, status or tag."""
    return f"{kind}:{name}:{page}"


def owner(person: str, page: int = 1) -> str:
    return listing("owner", person, page)


def due(window: str, page: int = 1) -> str:
    return listing("due", window, page)


def status(state: str, page: int = 1) -> str:
    return listing("status", state, page)


def tag(name: str, page: int = 1) -> str:
    return listing("tag", name, page)


def overview(kind: str) -> str:
    """The page that counts a rollup's groups: "owners", "due", "status" or "tags"."""
    if kind not in OVERVIEWS:
        raise ValueError(f"no overview {kind!r}: one of {', '.join(OVERVIEWS)}")
    return kind


def export(kind: str) -> str:
    """portfolio.json ("json") or commitments.csv ("csv")."""
    if kind not in EXPORTS:
        raise ValueError(f"no export {kind!r}: one of {', '.join(EXPORTS)}")
    return kind


def feed(person: str | None = None) -> str:
    """The whole portfolio's calendar feed, or one person's."""
    return "ics" if person is None else f"ics:{person}"


def atom(person: str | None = None) -> str:
    """The Atom feed of the whole portfolio's digest, or of one person's."""
    return "atom" if person is None else f"atom:{person}"


# What templates see as `keys`: these builders and nothing else.
FOR_TEMPLATES = SimpleNamespace(
    plan=plan, index=index, slipped=slipped, listing=listing, owner=owner, due=due, status=status, tag=tag,
    overview=overview, export=export, feed=feed, week=week, atom=atom,
)
