"""The weekly digest on the site, from real builds: the "This week" page, a person's page opening with their
week, and the Atom feeds (parsed with feedparser, their ids stable, named in the pages' heads, escaping plan
text), from a real git repository with dated commits and from a site without history."""

from __future__ import annotations

import html
import html.parser
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from gitrepo import ENVIRONMENT, commit, git
from planfolio.cli import main as planfolio
from planfolio.core.publish.feed import Entry, Feed, atom, entry_id, feed_id, updated_at
from sitebuild import PEOPLE, PLAN, TODAY, Build, build, copy_example, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
SINCE = "2026-11-21"  # TODAY - 7 days
SITE_URL = "http://127.0.0.1:8000/"

COMMITMENTS = """\
commitments:
  - id: C1
    title: Reference visit to the Mueller plant with the engineering lead
    obstacle: OB1
    owner: Luis Ortega
    due: 2026-12-20
  - id: C2
    title: Total-cost-of-ownership case signed off by our CFO
    obstacle: [OB1, OB2]
    owner: Mia Chen
    due: 2026-12-01
  - id: C3
    title: Budget holder named at procurement
    obstacle: OB2
    owner: Mia Chen
    due: 2026-11-10
  - id: C4
    title: Drive sizing workshop with plant engineering
    obstacle: OB1
    owner: Luis Ortega
    due: 2026-12-05
---
"""
# The same plan with the four commitments above: C1 is done in the week, C2 slips in it, C3 is overdue, C4 due soon.
ACME = PLAN[: PLAN.index("commitments:\n")] + COMMITMENTS + PLAN[PLAN.index("---\n\nNotes") + len("---\n") :]
HOSTILE = "<script>alert(1)</script> kick-off \x01"


def _commit(root: Path, day: str, text: str) -> None:
    (root / "plans" / "acme.md").write_text(text, encoding="utf-8")
    commit(root, day, f"acme on {day}")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """acme, added before the week; in the week C1 is done (2026-11-24) and C2 slips from 2026-12-01 to 2027-01-15 (2026-11-25)."""
    root = tmp_path_factory.mktemp("digest") / "portfolio"
    write_site(root, {"acme.md": ACME}, people=PEOPLE)
    git(root, "init", "-q", "-b", "main")
    commit(root, "2026-10-01", "acme")
    done = ACME.replace("    due: 2026-12-20\n", "    due: 2026-12-20\n    status: done\n    completed: 2026-11-24\n")
    _commit(root, "2026-11-24", done)
    _commit(root, "2026-11-25", done.replace("    due: 2026-12-01\n", "    due: 2027-01-15\n"))
    return root


@pytest.fixture(scope="module")
def site(repo: Path) -> Build:
    result = build(repo, "--strict", env=ENVIRONMENT)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def no_history(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """No git: a plan with a hostile commitment title, and a person whose name is markup."""
    folder = tmp_path_factory.mktemp("nogit")
    marked = 'Mal <i>"q"</i>'
    plan = ACME.replace("title: Drive sizing workshop with plant engineering", f"title: {json.dumps(HOSTILE)}")  # YAML reads JSON's escapes
    plan = plan.replace("    owner: Mia Chen\n    due: 2026-11-10", f"    owner: {json.dumps(marked)}\n    due: 2026-11-10")
    root = write_site(folder / "site", {"acme.md": plan}, people=PEOPLE)
    (root / "people.yml").write_text("".join(f"- {json.dumps(name)}\n" for name in [*PEOPLE, marked]), encoding="utf-8")
    result = build(root, "--strict", env={**ENVIRONMENT, "GIT_CEILING_DIRECTORIES": str(folder)})
    assert result.returncode == 0, result.output
    return result


def _text(fragment: str) -> str:
    """A fragment's text as a reader sees it: tags gone, entities read, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _sections(page: str) -> dict[str, str]:
    """The "This week" page's sections by the person's name."""
    found = re.findall(r'<section class="pf-digest">\s*<h2>(.*?)</h2>(.*?)</section>', page, re.S)
    return {_text(name): body for name, body in found}


def _groups(body: str) -> list[tuple[str, list[str]]]:
    """A person's groups in order: (heading, the items' text)."""
    return [(_text(head), [_text(item) for item in re.findall(r"<li>(.*?)</li>", items, re.S)]) for head, items in re.findall(r"<h3>(.*?)</h3>\s*<ul[^>]*>(.*?)</ul>", body, re.S)]


def _feed(result: Build, path: str) -> tuple[bytes, feedparser.FeedParserDict]:
    data = (result.out / path).read_bytes()
    return data, feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)


class _HeadLinks(html.parser.HTMLParser):
    """The attributes of every `<link>` inside the page's `<head>`, and whether `<i>` appears there."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head, self.links, self.tags = False, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.tags.append(tag)
            if tag == "link":
                self.links.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def _alternates(page: str) -> list[dict[str, str | None]]:
    parser = _HeadLinks()
    parser.feed(page)
    return [link for link in parser.links if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]


# --- the "This week" page -----------------------------------------------------------------------------------


def test_this_week_lists_done_slipped_overdue_and_due_soon_most_urgent_first(site: Build) -> None:
    page = site.page("portfolio/week")
    assert f"{SINCE} to {TODAY}" in _text(page)
    sections = _sections(page)
    assert list(sections) == ["Luis Ortega", "Mia Chen"]  # Dana Kim owns the plan, which is not due a review: nothing to report
    assert _groups(sections["Mia Chen"]) == [
        ("⚠ Overdue", ["ACME Manufacturing GmbH · C3 Budget holder named at procurement — due 2026-11-10"]),
        ("↷ Slipped", ["ACME Manufacturing GmbH · C2 Total-cost-of-ownership case signed off by our CFO — due 2026-12-01 → 2027-01-15 (+45 days)"]),
    ]
    assert _groups(sections["Luis Ortega"]) == [
        ("Due in the next 14 days", ["ACME Manufacturing GmbH · C4 Drive sizing workshop with plant engineering — due 2026-12-05"]),
        ("✓ Done", ["ACME Manufacturing GmbH · C1 Reference visit to the Mueller plant with the engineering lead — done"]),
    ]
    assert "left empty" not in page  # there is history


def test_each_item_links_to_its_plan_page_and_each_person_to_theirs(site: Build) -> None:
    page = site.page("portfolio/week")
    base = "http://example.test/portfolio/week/"
    items = re.findall(r'<li><a href="([^"]+)">ACME Manufacturing GmbH</a>', page)
    assert len(items) == 4 and {urljoin(base, href) for href in items} == {"http://example.test/acme/"}
    people = re.findall(r'<h2><a href="([^"]+)">', page)
    assert [urljoin(base, href) for href in people] == ["http://example.test/portfolio/owners/luis-ortega/", "http://example.test/portfolio/owners/mia-chen/"]


def test_without_git_the_page_says_why_done_and_slipped_are_empty(no_history: Build) -> None:
    page = no_history.page("portfolio/week")
    assert "Done and slipped are left empty (they are read from the plans' history in git) — no history: plans is not in a git work tree" in _text(page)
    assert str(no_history.site) not in page  # the docs folder as mkdocs.yml names it, not the build machine's path
    headings = [heading for body in _sections(page).values() for heading, _items in _groups(body)]
    assert set(headings) == {"Due in the next 14 days", "⚠ Overdue"}  # they need no history


def test_the_example_lists_this_week_second_in_its_navigation(tmp_path: Path) -> None:
    result = build(copy_example(tmp_path), "--strict")
    assert result.returncode == 0, result.output
    nav = re.search(r'<nav[^>]*class="md-nav md-nav--primary".*?</nav>', result.page("portfolio/week"), re.S)
    assert nav
    titles = [_text(title) for title in re.findall(r'<span class="md-ellipsis">(.*?)</span>', nav.group(), re.S)]
    assert list(dict.fromkeys(titles))[:2] == ["Portfolio", "This week"]


def test_a_nav_that_does_not_list_this_week_still_builds_it(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"acme.md": ACME}, people=PEOPLE, extra_yml="nav:\n  - Portfolio: index.md\n  - Commitments by owner: portfolio/owners.md\n")
    result = build(site, "--strict", env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert result.returncode == 0, result.output
    assert "C4" in result.page("portfolio/week")


# --- a person's page ------------------------------------------------------------------------------------------


def test_a_persons_page_opens_with_their_own_week(site: Build) -> None:
    page = site.page("portfolio/owners/mia-chen")
    body = page[page.index("<h1>Mia Chen</h1>") :]
    section = re.match(r'<h1>Mia Chen</h1>\s*<section class="pf-digest pf-digest--person"[^>]*>(.*?)</section>', body, re.S)
    assert section, "the digest comes right after the heading"
    assert _groups(section.group(1)) == [
        ("⚠ Overdue", ["ACME Manufacturing GmbH · C3 Budget holder named at procurement — due 2026-11-10"]),
        ("↷ Slipped", ["ACME Manufacturing GmbH · C2 Total-cost-of-ownership case signed off by our CFO — due 2026-12-01 → 2027-01-15 (+45 days)"]),
    ]
    assert "Drive sizing workshop" not in section.group(1)  # Luis's
    assert "Nothing to report" in site.page("portfolio/owners/dana-kim")


# --- the Atom feeds -------------------------------------------------------------------------------------------


def test_both_feeds_parse_and_carry_this_weeks_digest(site: Build) -> None:
    for path, title in (("portfolio/week.xml", "Test portfolio: this week"), ("portfolio/owners/mia-chen.xml", "Test portfolio: this week for Mia Chen")):
        _data, parsed = _feed(site, path)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.feed.title == title
        assert parsed.feed.id == urljoin(SITE_URL, path)
        [entry] = parsed.entries
        assert entry.id == f"{urljoin(SITE_URL, path)}#{SINCE}..{TODAY}"
        assert entry.updated == parsed.feed.updated == f"{TODAY}T00:00:00+00:00"
        content = entry.content[0]
        assert content.type == "text/html"
        assert "due 2026-12-01 → 2027-01-15 (+45 days)" in _text(content.value)  # Mia's slip, in both
        assert 'href="http://127.0.0.1:8000/acme/"' in content.value  # absolute under site_url
    _data, mine = _feed(site, "portfolio/owners/mia-chen.xml")
    assert mine.entries[0].title == f"{SINCE} to {TODAY}: 1 overdue, 1 slipped"
    assert "Drive sizing workshop" not in mine.entries[0].content[0].value
    assert mine.entries[0].link == urljoin(SITE_URL, "portfolio/owners/mia-chen/")
    _data, everyone = _feed(site, "portfolio/week.xml")
    assert everyone.entries[0].title == f"{SINCE} to {TODAY}: 1 overdue, 1 slipped, 1 due soon, 1 done"


def test_a_rebuild_of_the_same_commit_writes_the_same_feeds(site: Build, repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "again"
    shutil.copytree(repo, copy, symlinks=True, ignore=shutil.ignore_patterns("site"))
    again = build(copy, "--strict", env=ENVIRONMENT)
    assert again.returncode == 0, again.output
    for path in ("portfolio/week.xml", "portfolio/owners/luis-ortega.xml", "portfolio/owners/dana-kim.xml"):
        assert (again.out / path).read_bytes() == (site.out / path).read_bytes(), path


def test_the_pages_name_their_feed_in_the_head_and_link_it_visibly(site: Build) -> None:
    for url, feed, title in (
        ("portfolio/week", "portfolio/week.xml", "This week in the portfolio"),
        ("portfolio/owners/mia-chen", "portfolio/owners/mia-chen.xml", "This week for Mia Chen"),
    ):
        page = site.page(url)
        [link] = _alternates(page)
        assert link["title"] == title
        assert urljoin(f"http://example.test/{url}/", link["href"]) == f"http://example.test/{feed}"
        assert (site.out / feed).is_file()
        assert re.search(rf'<a href="{re.escape(link["href"] or "")}" type="application/atom\+xml">Atom feed', page)  # and in the body
    assert _alternates(site.page("acme")) == [] and _alternates(site.page("portfolio/owners")) == []


def test_beside_each_feed_the_theme_finds_a_sitemap(site: Build) -> None:
    """Material takes every `<link rel="alternate">` for a language version and fetches `sitemap.xml` beside it:
    there is one (empty), so no page that names a feed logs a 404."""
    for url in ("portfolio/week", "portfolio/owners/mia-chen", "portfolio/owners/dana-kim"):
        [link] = _alternates(site.page(url))
        sitemap = urlsplit(urljoin(urljoin(f"http://example.test/{url}/", link["href"]), "sitemap.xml")).path.lstrip("/")
        assert sitemap != "sitemap.xml"  # not the site's own
        root = ElementTree.parse(site.out / sitemap).getroot()
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset" and list(root) == []


def test_a_person_named_sitemap_keeps_their_feed_apart(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"acme.md": ACME.replace("owner: Mia Chen", "owner: Sitemap")}, people=[*PEOPLE, "Sitemap"])
    result = build(site, "--strict", env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert result.returncode == 0, result.output
    assert "Sitemap" in result.page("portfolio/owners/sitemap-2")
    assert feedparser.parse((result.out / "portfolio/owners/sitemap-2.xml").read_bytes()).feed.title == "Test portfolio: this week for Sitemap"


def test_the_feed_escapes_a_hostile_title(no_history: Build) -> None:
    data, parsed = _feed(no_history, "portfolio/week.xml")
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    content = ElementTree.fromstring(data).find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.text is not None
    assert "<script" not in content.text and "&lt;script&gt;alert(1)&lt;/script&gt; kick-off \ufffd" in content.text
    assert "<script" not in parsed.entries[0].content[0].value  # feedparser, told not to sanitise, sees text too
    assert "<i>" not in content.text and "Mal &lt;i&gt;&#34;q&#34;&lt;/i&gt;" in content.text
    assert "<script>alert" not in no_history.page("portfolio/week")


def test_a_person_named_with_markup_is_text_in_the_head(no_history: Build) -> None:
    [person] = [path for path in (no_history.out / "portfolio" / "owners").glob("mal-*") if path.is_dir()]
    page = (person / "index.html").read_text(encoding="utf-8")
    parser = _HeadLinks()
    parser.feed(page)
    [link] = _alternates(page)
    assert link["title"] == 'This week for Mal <i>"q"</i>' and "i" not in parser.tags


def test_without_git_the_feed_says_why_too(no_history: Build) -> None:
    _data, parsed = _feed(no_history, "portfolio/owners/luis-ortega.xml")
    assert "Done and slipped are left empty" in _text(parsed.entries[0].content[0].value)


def test_without_site_url_ids_are_stable_and_links_relative(tmp_path: Path) -> None:
    builds = []
    for name in ("one", "two"):
        site = write_site(tmp_path / name, {"acme.md": ACME}, people=PEOPLE)
        config = site / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace('site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]\n', ""), encoding="utf-8")
        result = build(site, "--strict", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
        assert result.returncode == 0, result.output
        builds.append(result)
    feeds = [_feed(result, "portfolio/week.xml") for result in builds]
    assert feeds[0][0] == feeds[1][0]  # the same feed from another folder
    parsed = feeds[0][1]
    assert parsed.bozo == 0 and parsed.feed.id.startswith("urn:uuid:") and parsed.entries[0].id.startswith("urn:uuid:")
    assert parsed.entries[0].id != parsed.feed.id
    assert parsed.entries[0].link == "week/"  # relative to the feed's own address
    for href in re.findall(r'href="([^"]+)"', parsed.entries[0].content[0].value):
        target = urlsplit(urljoin("http://example.test/portfolio/week.xml", href)).path.lstrip("/")
        assert (builds[0].out / target / "index.html").is_file(), href


def test_source_date_epoch_dates_the_feeds_and_the_week(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"acme.md": ACME}, people=PEOPLE, options="today: null")
    result = build(site, env={"SOURCE_DATE_EPOCH": str(1798675200 + 5 * 3600), "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})  # 2026-12-31 05:00 UTC
    assert result.returncode == 0, result.output
    _data, parsed = _feed(result, "portfolio/week.xml")
    assert parsed.feed.updated == parsed.entries[0].updated == "2026-12-31T05:00:00+00:00"
    assert parsed.entries[0].id.endswith("#2026-12-24..2026-12-31")
    assert "2026-12-24 to 2026-12-31" in _text(result.page("portfolio/week"))


# --- where planfolio writes, check and build agree ------------------------------------------------------------


@pytest.mark.parametrize("name", ["portfolio/week.md", "portfolio/week.xml", "portfolio/sitemap.xml", "portfolio/owners/sitemap.xml"])
def test_a_file_of_the_sites_own_where_the_week_goes_fails_check_and_build(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    site = write_site(tmp_path, {"acme.md": ACME, name: "# Mine\n"}, people=PEOPLE, options=f"not_plans: [{name}]")
    monkeypatch.chdir(site)
    capsys.readouterr()
    status = planfolio(["check", "--format", "json", "--today", TODAY])
    findings = json.loads(capsys.readouterr().out)
    assert status == 1 and [(finding["path"], finding["code"]) for finding in findings if finding["severity"] == "error"] == [(f"plans/{name}", "PF021")]
    result = build(site)
    assert result.returncode == 1 and "Traceback" not in result.output
    assert f"planfolio: {name} would be replaced by " in result.output


# --- the feed writer --------------------------------------------------------------------------------------


def test_updated_is_source_date_epochs_instant_only_on_the_builds_today() -> None:
    noon = {"SOURCE_DATE_EPOCH": str(int(datetime(2026, 11, 28, 12, 30, tzinfo=UTC).timestamp()))}
    assert updated_at(date(2026, 11, 28), noon) == datetime(2026, 11, 28, 12, 30, tzinfo=UTC)
    assert updated_at(date(2026, 11, 27), noon) == datetime(2026, 11, 27, tzinfo=UTC)  # today pinned to another day
    assert updated_at(date(2026, 11, 28), {}) == updated_at(date(2026, 11, 28), {"SOURCE_DATE_EPOCH": "soon"}) == datetime(2026, 11, 28, tzinfo=UTC)


def test_ids_depend_on_the_site_and_the_period_only() -> None:
    week = feed_id(None, "Portfolio", "portfolio/week.xml")
    assert week == feed_id(None, "Portfolio", "portfolio/week.xml") != feed_id(None, "Other", "portfolio/week.xml")
    assert week != feed_id(None, "Portfolio", "portfolio/owners/dana-kim.xml")
    assert feed_id("https://plans.example/portfolio/week.xml", "Portfolio", "portfolio/week.xml") == "https://plans.example/portfolio/week.xml"
    first = entry_id(week, date(2026, 11, 21), date(2026, 11, 28))
    assert first == entry_id(week, date(2026, 11, 21), date(2026, 11, 28)) != entry_id(week, date(2026, 11, 22), date(2026, 11, 29))


def test_text_xml_cannot_hold_is_replaced_not_a_crash() -> None:
    when = datetime(2026, 11, 28, tzinfo=UTC)
    feed = Feed("urn:uuid:x", "Week \x00 of \x1b Dana", "Site \x0b", when, None, None, (Entry("urn:uuid:y", "Nothing\x08", "<p>a \x02 b</p>", None),))
    parsed = feedparser.parse(atom(feed))
    assert parsed.bozo == 0 and parsed.feed.title == "Week \ufffd of \ufffd Dana"
    assert parsed.entries[0].content[0].value == "<p>a \ufffd b</p>"
