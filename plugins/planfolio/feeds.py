"""The digest's Atom feeds on the site: the whole portfolio's beside the "This week" page (portfolio/week.xml)
and one per person beside their page (portfolio/owners/<slug>.xml, as their calendar feed). Claimed as files
when the pages are, drawn through the site's templates (templates/planfolio/digest-feed.html) and written
into the built site after the pages, as the other exports are (exports.py).

Each feed has one entry, the digest of the period ending on the build's today; its ids come from `site_url`
where the site has one, else from the site's name and the feed's path (core/publish/feed.py), so a rebuild
of the same commit writes the same feed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.structure.files import File

from . import keys
from .core.publish.feed import Entry, Feed, atom, entry_id, feed_id, summary, updated_at
from .pages import ROLLUP_ROOT, owner_page, people_slugs
from .site import ReadPlans, SitePages
from .sitefiles import FilesEditor

WEEK_FEED = f"{ROLLUP_ROOT}/week.xml"
# Material fetches `sitemap.xml` beside every `<link rel="alternate">` (it takes them all for language versions):
# each folder of feeds gets an empty one, or every page naming a feed would log a 404 (assets/empty-sitemap.xml).
EMPTY_SITEMAP = Path(__file__).parent / "assets" / "empty-sitemap.xml"


class DigestFeeds:
    """The Atom feeds of one build: their files by whose digest they carry (None: the whole portfolio's)."""

    def __init__(self, today: date, site_url: str | None, site_name: str) -> None:
        self._today = today
        self._site_url = site_url or None
        self._site_name = site_name
        self._plans: ReadPlans | None = None
        self._files: dict[str | None, File] = {}

    def add(self, plans: ReadPlans, editor: FilesEditor) -> dict[str, File]:
        """Claim every feed's path with an empty placeholder; the files by key (keys.atom)."""
        self._plans = plans
        self._files = {None: editor.add(WEEK_FEED, b"")}
        self._files |= {person: editor.add(f"{owner_page(slug)}.xml", b"") for person, slug in people_slugs(plans.rollups).items()}
        for folder in sorted({posixpath.dirname(file.dest_uri) for file in self._files.values()} - {""}):
            editor.copy(f"{folder}/sitemap.xml", str(EMPTY_SITEMAP))
        return {keys.atom(person): file for person, file in self._files.items()}

    def write(self, site_dir: str, pages: SitePages) -> None:
        """Every feed into the built site, its entry drawn through the templates with `pages`."""
        assert self._plans is not None, "feeds are written after they are added"
        for person, file in self._files.items():
            path = Path(site_dir) / file.dest_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(atom(self._feed(person, file, pages)))

    def _feed(self, person: str | None, file: File, pages: SitePages) -> Feed:
        assert self._plans is not None
        week = self._plans.week
        people = week.people if person is None else tuple(found for found in week.people if found.name == person)
        url = self._linker(pages.by_key, file)
        context = {"people": people, "since": week.since, "no_history": week.history}
        content = pages.fragment("planfolio/digest-feed.html", context, url)
        feed_url = urljoin(self._site_url, file.url) if self._site_url else None
        identity = feed_id(feed_url, self._site_name, file.dest_uri)
        page = url(keys.week() if person is None else keys.owner(person))
        period = f"{week.since.isoformat()} to {week.today.isoformat()}"
        title = f"{self._site_name}: this week" if person is None else f"{self._site_name}: this week for {person}"
        entry = Entry(entry_id(identity, week.since, week.today), f"{period}: {summary(people)}", content, page)
        return Feed(identity, title, self._site_name, updated_at(self._today), page, feed_url, (entry,))

    def _linker(self, by_key: dict[str, File], feed: File) -> Callable[[str], str | None]:
        """Links from a feed by key: absolute under `site_url`, else relative to the feed's own address."""

        def url(key: str) -> str | None:
            target = by_key.get(key)
            if target is None:
                return None
            return urljoin(self._site_url, target.url) if self._site_url else target.url_relative_to(feed)

        return url
