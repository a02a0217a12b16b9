"""Real sites built with `mkdocs build`: pages, failures, escaping, and what the plugin must never do."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re

import pytest
from markupsafe import escape as markup_escape

from planfolio.cli import main as planfolio
from sitebuild import (
    MKDOCS_YML,
    PEOPLE,
    PLAN,
    ROOT,
    TODAY,
    build,
    copy_example,
    diagrams,
    example_plan_files,
    write_site,
)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    site = copy_example(tmp_path_factory.mktemp("example"))
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    return result


def plan_ids() -> list[str]:
    return sorted(path.stem for path in example_plan_files())  # not the site's own pages (How we plan)


def test_example_builds_strict_with_a_page_per_plan(example):
    for plan_id in plan_ids():
        html = example.page(f"{plan_id}/")
        assert 'class="pf-plan' in html
        assert len(diagrams(html)) == 1
    index = example.page("")
    for plan_id in plan_ids():
        assert f'href="{plan_id}/"' in index


def test_portfolio_json_is_the_export(example, capsys, monkeypatch):
    monkeypatch.chdir(example.site)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert planfolio(["export"]) == 0  # today comes from the site's option, as in the build
    exported = json.loads(capsys.readouterr().out)
    published = json.loads((example.out / "portfolio.json").read_text(encoding="utf-8"))
    assert published == exported
    assert {plan["id"] for plan in published["plans"]} == set(plan_ids())


def test_commitments_csv_lists_every_commitment(example):
    published = json.loads((example.out / "portfolio.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((example.out / "commitments.csv").read_text(encoding="utf-8"))))
    assert len(rows) == sum(len(plan["commitments"]) for plan in published["plans"])
    overdue = {(row["plan"], row["commitment"]) for row in rows if row["overdue"] == "yes"}
    expected = {(plan["id"], c["id"]) for plan in published["plans"] for c in plan["commitments"] if c["overdue"]}
    assert overdue == expected and overdue


def test_plan_page_shows_the_five_parts_diagram_reading_and_notes(example):
    html = example.page("nordwerk-antriebe/")
    for heading in ("Goal", "Critical success factors", "Necessary conditions", "Obstacles", "Commitments", "Constraint diagram", "Necessity reading", "Notes"):
        assert heading in html
    assert "In order to reach" in html and " prevents " in html and " commits to " in html
    [diagram] = diagrams(html)
    assert diagram.startswith("---\nconfig:\n  layout: elk\n---\nflowchart BT\n")  # ELK: no edge through a box not its own
    source = (ROOT / "plans" / "nordwerk-antriebe.md").read_text(encoding="utf-8")
    items = len(re.findall(r"^  - id: ", source, re.M))
    nodes = re.findall(r'^  ([GFNOKM]\d*)[\[\(\{]', diagram, re.M)
    assert len(nodes) == items + 1  # every item and the goal


def test_index_totals_match_the_export(example):
    plans = json.loads((example.out / "portfolio.json").read_text(encoding="utf-8"))["plans"]
    current = [c for plan in plans if plan["status"] != "archived" for c in plan["commitments"]]  # archived: not rolled up
    totals = dict(
        (label, int(value))
        for value, label in re.findall(r'<span class="pf-total__value">(?:⚠ )?(\d+)</span> ([a-z ]+)<', example.page(""))
    )
    assert totals == {
        "active plans": sum(plan["status"] == "active" for plan in plans),
        "drafts": sum(plan["status"] == "draft" for plan in plans),
        "archived": sum(plan["status"] == "archived" for plan in plans),
        "live commitments": sum(c["status"] != "dropped" for c in current),
        "done": sum(c["status"] == "done" for c in current),
        "overdue": sum(c["overdue"] for c in current),
    }
    assert all(totals.values())


def test_overdue_is_marked_in_words(example):
    html = example.page("kestrel-cloud-systems/")
    assert "⚠ Overdue" in html and "pf-row--overdue" in html
    overdue_page = example.page("portfolio/due/overdue/")
    assert "Kestrel Cloud Systems" in overdue_page


def test_draft_diagram_marks_missing_links(example):
    html = example.page("tasman-fresh-foods/")
    assert "missing: necessary condition" in html and "missing: obstacle" in html and "missing: commitment" in html
    assert "✎ Draft" in example.page("")


def test_owner_pages_roll_up_across_accounts(example):
    published = json.loads((example.out / "portfolio.json").read_text(encoding="utf-8"))
    luis = [(p["account"], c["title"]) for p in published["plans"] if p["status"] != "archived" for c in p["commitments"] if c["owner"] == "Luis Ortega" and c["status"] != "dropped"]
    assert len({account for account, _title in luis}) > 1
    html = example.page("portfolio/owners/luis-ortega/")
    for _account, title in luis:
        assert str(markup_escape(title)) in html
    # Their plans head the page, each role labelled: those they own, those they are on the team of, archived ones left out.
    plans_line = re.search(r'<p class="pf-meta pf-plans">(.*?)</p>', html, re.S).group(1)
    items = re.findall(r'<span class="pf-meta__item">([^<:]+): (.*?)</span>', plans_line, re.S)
    shown = {role: sorted(re.findall(r'<a href="\.\./\.\./\.\./([^/]+)/">', links)) for role, links in items}
    current = [p for p in published["plans"] if p["status"] != "archived"]
    expected = {
        "Key account manager": sorted(p["id"] for p in current if p["owner"] == "Luis Ortega"),
        "Account team": sorted(p["id"] for p in current if "Luis Ortega" in p["team"] and p["owner"] != "Luis Ortega"),
    }
    assert shown == expected and all(expected.values())


def test_plans_stay_out_of_the_navigation(example):
    html = example.page("portfolio/owners/")
    nav = re.search(r'<nav[^>]*class="md-nav md-nav--primary".*?</nav>', html, re.S).group(0)
    assert "Commitments by owner" in nav
    for plan_id in plan_ids():
        assert f"/{plan_id}/" not in nav


def test_search_finds_plans_but_not_rollups(example):
    index = json.loads((example.out / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "nordwerk-antriebe/" in locations
    assert not any(location.startswith("portfolio/") for location in locations)
    titles = " ".join(doc["title"] for doc in index["docs"])
    assert "Nordwerk Antriebe AG" in titles
    # The body is indexed, not only the title: planfolio draws it before the search plugin reads it.
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("nordwerk-antriebe/"))
    assert "Executive meeting between our COO and the new CPO" in text


def test_no_page_is_written_into_the_plans_folder(tmp_path):
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE)
    before = {path: path.stat().st_mtime_ns for path in (site / "plans").rglob("*")}
    assert build(site).returncode == 0
    after = {path: path.stat().st_mtime_ns for path in (site / "plans").rglob("*")}
    assert after == before


def test_errors_fail_the_build_with_every_finding_as_path_line_col(tmp_path):
    broken = PLAN.replace("    owner: Mia Chen\n", "    owner: Mia Chen\n    stauts: doing\n").replace("csf: CSF1\n", "csf: CSF9\n")
    site = write_site(tmp_path, {"acme.md": broken, "beta.md": "---\naccount: [\n---\n"}, people=PEOPLE)
    result = build(site)
    assert result.returncode == 1
    assert "plans/acme.md:23:10: error PF022" in result.output
    assert re.search(r"plans/acme\.md:\d+:5: error PF012 .*did you mean `status`", result.output)
    assert re.search(r"plans/beta\.md:\d+:\d+: error PF003", result.output)
    assert "Traceback" not in result.output


def test_warnings_fail_only_strict_and_info_never(tmp_path):
    long_title = PLAN.replace("title: Budget for new suppliers frozen until Q3", "title: " + "Budget frozen " * 10)
    site = write_site(tmp_path / "warn", {"acme.md": long_title}, people=PEOPLE)
    assert build(site).returncode == 0
    strict = build(site, "--strict")
    assert strict.returncode == 1 and "PF104" in strict.output
    overdue = PLAN.replace("due: 2027-02-15", "due: 2026-01-15")
    site = write_site(tmp_path / "info", {"acme.md": overdue}, people=PEOPLE)
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    assert "PF200" in result.output


def test_today_comes_from_source_date_epoch(tmp_path):
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE, options="today: null")
    result = build(site, env={"SOURCE_DATE_EPOCH": "1798675200"})  # 2026-12-31 UTC
    assert result.returncode == 0, result.output
    assert json.loads((result.out / "portfolio.json").read_text())["today"] == "2026-12-31"


def test_unknown_person_and_bad_people_file(tmp_path):
    site = write_site(tmp_path / "a", {"acme.md": PLAN}, people=["Dana Kim", "Luis Ortega"])
    result = build(site)
    assert result.returncode == 1 and "PF023" in result.output and "Mia Chen" in result.output
    site = write_site(tmp_path / "b", {"acme.md": PLAN}, people=PEOPLE)
    (site / "people.yml").write_text("- [unclosed\n")
    result = build(site)
    assert result.returncode == 1 and "people.yml" in result.output and "Traceback" not in result.output


def test_pages_that_are_not_plans_are_excluded_by_configuration(tmp_path):
    about = "# About\n\nHow we plan.\n"
    site = write_site(tmp_path / "excluded", {"acme.md": PLAN, "about.md": about}, people=PEOPLE, options="not_plans: [about.md]")
    result = build(site)
    assert result.returncode == 0, result.output
    assert "How we plan." in result.page("about/")
    site = write_site(tmp_path / "not-excluded", {"acme.md": PLAN, "about.md": about}, people=PEOPLE)
    result = build(site)
    assert result.returncode == 1 and "plans/about.md:1:1: error PF002" in result.output


def test_long_listings_are_paginated(tmp_path):
    plans = {f"acct-{number}.md": PLAN.replace("ACME Manufacturing GmbH", f"Account {number}") for number in range(4)}
    site = write_site(tmp_path, plans, people=PEOPLE, options="page_size: 3")
    result = build(site)
    assert result.returncode == 0, result.output
    first = result.page("portfolio/status/open/")
    assert "page 1 of 2" in first and 'rel="next"' in first
    assert "page 2 of 2" in result.page("portfolio/status/open/2/")
    assert first.count("<tr") - 1 == 3
    index, second = result.page(""), result.page("index/2/")  # four plans, three a page
    assert "page 1 of 2" in index and "page 2 of 2" in second
    assert sum(f'href="acct-{n}/"' in index or f'href="../../acct-{n}/"' in second for n in range(4)) == 4
    # Every plan is tagged `emea`: the tag's plans are paged too, and the overview only counts them.
    tags = result.page("portfolio/tags/")
    assert '<a href="emea/">emea</a></td><td>4</td>' in tags and "acct-" not in tags
    tagged, tagged_second = result.page("portfolio/tags/emea/"), result.page("portfolio/tags/emea/2/")
    assert "page 1 of 2" in tagged and "page 2 of 2" in tagged_second
    assert sum(f'acct-{n}/"' in tagged + tagged_second for n in range(4)) == 4


def test_a_tag_written_twice_tags_the_plan_once(tmp_path):
    result = build(write_site(tmp_path, {"acme.md": PLAN.replace("tags: [manufacturing, emea]", "tags: [emea, emea]")}, people=PEOPLE))
    assert result.returncode == 0, result.output
    assert '<a href="emea/">emea</a></td><td>1</td>' in result.page("portfolio/tags/")
    assert result.page("portfolio/tags/emea/").count('href="../../../acme/"') == 1


def test_no_person_or_tag_takes_the_url_of_an_overview(tmp_path):
    plan = PLAN.replace("tags: [manufacturing, emea]", "tags: [Index, emea]").replace("    owner: Luis Ortega\n", "    owner: Index\n")
    result = build(write_site(tmp_path, {"acme.md": plan}, people=[*PEOPLE, "Index"]))
    assert result.returncode == 0, result.output
    assert "Plans tagged Index" in result.page("portfolio/tags/index-2/") and "Plans by tag" in result.page("portfolio/tags/")
    assert "<h1>Index</h1>" in result.page("portfolio/owners/index-2/") and "Commitments by owner" in result.page("portfolio/owners/")


def test_templates_can_be_overridden_from_overrides(tmp_path):
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE)
    custom = site / "overrides" / "planfolio"
    custom.mkdir(parents=True)
    (custom / "tags.html").write_text("<h1>Our own tag page</h1>{{ tags | length }} tags\n")
    result = build(site)
    assert result.returncode == 0, result.output
    assert "Our own tag page" in result.page("portfolio/tags/") and "2 tags" in result.page("portfolio/tags/")


HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    'Quote " and #35; hash # pipe | [bracket] (paren) {brace} `tick`',
    "end",
    "%%{init: {'theme': 'forest'}}%%",
    "Line one\nclick G call alert(1)",
    "=HYPERLINK(\"http://evil.example\")",
]


def hostile_plan() -> str:
    text = PLAN
    replacements = {
        "ACME Manufacturing GmbH": HOSTILE[0],
        "Preferred supplier for the new Lyon plant": HOSTILE[1],
        "Plant engineering specifies our drive systems": HOSTILE[2],
        "Service quality rated good by the maintenance lead": HOSTILE[3],
        "Budget for new suppliers frozen until Q3": HOSTILE[4],
    }
    for old, new in replacements.items():
        text = text.replace(old, json.dumps(new))
    text = text.replace("Reference visit to the Mueller plant with the engineering lead", json.dumps(HOSTILE[5]))
    text = text.replace("Total-cost-of-ownership case signed off by our CFO", json.dumps(HOSTILE[6]))
    text = text.replace("Notes: the Lyon plant's line 2 tender opens in April.", "<script>alert('notes')</script>\n\n[click](javascript:alert(1)) and ![pixel](https://tracker.example/p.gif)")
    return text


def test_hostile_plan_text_is_escaped_everywhere(tmp_path):
    site = write_site(tmp_path, {"acme.md": hostile_plan()}, people=PEOPLE)
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    for page in result.out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html and "<img src=\"x\"" not in html, page
        assert 'href="javascript:' not in html, page
        assert "tracker.example" not in html or "<img" not in html.split("tracker.example")[0][-200:], page
    html = result.page("acme/")
    assert "&lt;script&gt;alert" in html  # shown literally
    [source] = diagrams(html)
    for line in source.splitlines()[1:]:
        assert not line.lstrip().startswith(("click", "%%")), line
        assert "<" not in line.replace("-->", "").replace(".->", "").replace("<br>", "")  # a line break is the core's own
    assert "%%{" not in source and "#37;#37;{init" in source
    rows = list(csv.reader(io.StringIO((result.out / "commitments.csv").read_text(encoding="utf-8"))))
    assert rows[2][4].startswith("'=HYPERLINK")


def test_a_home_page_of_the_sites_own_moves_the_index_aside(tmp_path):
    home = "# Welcome\n\nOur key accounts.\n"
    site = write_site(tmp_path, {"acme.md": PLAN, "index.md": home}, people=PEOPLE, options="not_plans: [index.md]")
    result = build(site)
    assert result.returncode == 0, result.output
    assert "Our key accounts." in result.page("")
    assert 'href="../acme/"' in result.page("portfolio/")


def test_paged_listings_never_clash_with_a_similar_name(tmp_path):
    people = [*PEOPLE, "Mia  Chen"]
    plan = PLAN.replace("    owner: Luis Ortega\n", "    owner: Mia  Chen\n")
    site = write_site(tmp_path, {"acme.md": plan, "beta.md": PLAN.replace("ACME Manufacturing GmbH", "Beta")}, people=people, options="page_size: 1")
    result = build(site)
    assert result.returncode == 0, result.output
    pages = {re.search(r"<h1>(.*?)</h1>", result.page(url)).group(1): url for url in ("portfolio/owners/mia-chen/", "portfolio/owners/mia-chen-2/")}
    assert set(pages) == {"Mia Chen", "Mia  Chen"}
    second = result.page(pages["Mia Chen"] + "2/")  # Mia Chen has two commitments: two pages of one row
    assert "page 2 of 2" in second and "Mia Chen" in second
    assert "Account team: " in result.page(pages["Mia Chen"]) and "Account team: " not in second  # her plans head page 1 only


@pytest.mark.parametrize("name", ["portfolio.json", "commitments.csv", "portfolio/owners/dana-kim.ics"])
def test_a_file_of_the_sites_own_is_never_overwritten_by_an_export(tmp_path, name):
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE)
    (site / "plans" / name).parent.mkdir(parents=True, exist_ok=True)
    (site / "plans" / name).write_text("mine", encoding="utf-8")
    result = build(site)
    assert result.returncode == 1
    assert f"planfolio: {name} would be replaced by {name}, which planfolio generates" in result.output
    assert "Traceback" not in result.output and (site / "plans" / name).read_text(encoding="utf-8") == "mine"


def test_a_page_never_shares_its_url_with_a_generated_page(tmp_path):
    # With a home page of the site's own, the index moves to portfolio/: a page `portfolio.md` would be hidden.
    pages = {"acme.md": PLAN, "portfolio.md": "# Mine\n", "index.md": "# Home\n"}
    site = write_site(tmp_path, pages, people=PEOPLE, options="not_plans: [index.md, portfolio.md]")
    result = build(site)
    assert result.returncode == 1
    assert "planfolio: portfolio.md would be replaced by portfolio/index.html, which planfolio generates" in result.output


def test_the_sites_own_pages_may_link_to_the_exports(tmp_path):
    about = "# About\n\n[JSON](portfolio.json), [CSV](commitments.csv), [calendar](commitments.ics)\n"
    site = write_site(tmp_path, {"acme.md": PLAN, "about.md": about}, people=PEOPLE, options="not_plans: [about.md]")
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    html = result.page("about/")
    for name in ("portfolio.json", "commitments.csv", "commitments.ics"):
        assert f'href="../{name}"' in html
        assert (result.out / name).stat().st_size > 100  # the placeholder was filled after the pages


def test_progress_and_overdue_match_an_independent_computation(example):
    """Recompute from the plan files with plain PyYAML, the contract's definitions in a few lines."""
    import datetime

    import yaml

    today = datetime.date.fromisoformat(TODAY)
    published = {plan["id"]: plan for plan in json.loads((example.out / "portfolio.json").read_text())["plans"]}
    for path in example_plan_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        commitments = data.get("commitments", [])
        live = [c for c in commitments if c.get("status", "open") != "dropped"]
        done = [c for c in live if c.get("status") == "done"]
        overdue = [c for c in live if c.get("status", "open") != "done" and c["due"] < today]
        plan = published[path.stem]
        assert plan["progress"] == pytest.approx(len(done) / len(live) if live else 0.0), path.name
        assert plan["overdue"] == len(overdue), path.name
        assert {c["id"] for c in plan["commitments"] if c["overdue"]} == {c["id"] for c in overdue}


def test_calendar_feeds_are_linked_from_the_pages(example):
    assert 'href="commitments.ics"' in example.page("")
    owner = example.page("portfolio/owners/luis-ortega/")
    assert "luis-ortega.ics" in owner and (example.out / "portfolio" / "owners" / "luis-ortega.ics").is_file()


def test_mermaid2_has_nothing_to_parse_on_planfolio_pages(example):
    # mermaid2 parses, whole, every page whose HTML holds "mermaid"; it has nothing to do on ours (Material draws).
    # The site's own How we plan holds a ```mermaid fence (a `pre.mermaid`): it is no planfolio page.
    pages = [page for page in example.out.rglob("*.html") if "how-we-plan" not in page.parts]
    assert len(pages) > len(plan_ids())
    for page in pages:
        assert "mermaid" not in page.read_text(encoding="utf-8"), page


def test_a_plan_that_says_mermaid_still_draws_once_through_mermaid2(tmp_path):
    # The word in plan text makes mermaid2 parse and re-serialise the page: the diagram must survive as Material's.
    plan = PLAN.replace("Grow ACME revenue", "Grow Mermaid <Marine> revenue")
    result = build(write_site(tmp_path, {"acme.md": plan}, people=PEOPLE))
    assert result.returncode == 0, result.output
    html = result.page("acme/")
    [diagram] = diagrams(html)
    assert diagram.startswith("---\nconfig:\n  layout: elk\n---\nflowchart BT\n") and "Grow Mermaid #lt;Marine#gt; revenue" in diagram
    assert "mermaid.initialize" not in html  # mermaid2 found no diagram of its own to draw
    assert "Grow Mermaid &lt;Marine&gt; revenue" in html


# ---- notes and hand-written diagrams (issues 10 and 16) ----------------------------------------------------

NOTES_ATTACKS = """\
[CRM](javascript&#x3a;alert(1)) [ERP](javascript&colon;alert(2)) [BI](javascript&#58;alert(3)) [wiki][wiki]
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [ok](https://example.com/crm)

[wiki]: javascript&#x3a;alert(4)

![pixel](https://pixel.evil.example/pixel.png)

```{.json #__config}
{"base": "https://evil.example/"}
```

```{.text .mermaid}
%%{init: {"themeCSS": "@import url(https://fonts.evil.example/f.css);"}}%%
flowchart LR
  A --> B
```

```mermaid
flowchart LR
  P["<img src=x onerror=alert(5)>"] --> Q
```
"""


class _Attributes(html.parser.HTMLParser):
    """Start tags with their attributes, entity-decoded as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _tags(fragment: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Attributes()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def _notes_of(page_html: str) -> str:
    section = re.search(r'<section class="pf-part pf-part--notes"[^>]*>\s*<h2 id="notes">Notes</h2>(.*?)</section>', page_html, re.S)
    assert section, "no notes section"
    return section.group(1)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    plan = PLAN.replace("Notes: the Lyon plant's line 2 tender opens in April.", NOTES_ATTACKS)
    result = build(write_site(tmp_path_factory.mktemp("notes"), {"acme.md": plan}, people=PEOPLE), "--strict")
    assert result.returncode == 0, result.output  # a ```mermaid fence in the notes used to crash mermaid2
    assert "Traceback" not in result.output
    return result


def test_a_mermaid_fence_in_the_notes_builds_and_shows_as_code(attacked):
    notes = _notes_of(attacked.page("acme/"))
    assert '<pre><code>flowchart LR\n  P["&lt;img src=x onerror=alert(5)&gt;"] --&gt; Q\n</code></pre>' in notes
    assert "mermaid" not in notes.lower()  # nothing Material draws, nothing mermaid2 converts
    assert len(diagrams(attacked.page("acme/"))) == 1  # planfolio's own diagram, only


def test_unsafe_hrefs_in_notes_are_gone_after_decoding(attacked):
    for page in attacked.out.rglob("*.html"):
        for tag, attributes in _tags(page.read_text(encoding="utf-8")):
            for name in ("href", "src"):
                value = "".join(attributes.get(name, "").split()).lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (page, tag, attributes)
    links = [attributes.get("href") for tag, attributes in _tags(_notes_of(attacked.page("acme/"))) if tag == "a"]
    assert links == [None, None, None, None, None, "https://example.com/crm", "https://pixel.evil.example/pixel.png"]
    assert not any(tag == "img" for tag, _attributes in _tags(_notes_of(attacked.page("acme/"))))


def test_notes_carry_no_id_or_class_from_their_authors(attacked):
    page = attacked.page("acme/")
    for tag, attributes in _tags(_notes_of(page)):
        assert not {"id", "class", "style"} & set(attributes), (tag, attributes)
    assert len(re.findall(r'\bid="__config"', page)) == 1  # Material's own


HAND_WRITTEN_PAGE = "# About\n\n```mermaid\nflowchart LR\n  A[\"x < y\"] --> B\n```\n"


def test_a_page_of_the_sites_own_may_hold_mermaid_fences(tmp_path):
    # As the docs configure it: pymdownx.superfences's mermaid fence, a `pre.mermaid` that Material draws.
    site = write_site(tmp_path / "documented", {"acme.md": PLAN, "about.md": HAND_WRITTEN_PAGE}, people=PEOPLE, options="not_plans: [about.md]")
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    about = result.page("about/")
    assert '<pre class="mermaid"><code>flowchart LR\n  A["x &lt; y"] --&gt; B</code></pre>' in about  # escaped in the page
    # With mermaid2's own fence (no superfences), mermaid2 converts it and loads the site's own Mermaid.
    site = write_site(tmp_path / "mermaid2", {"acme.md": PLAN, "about.md": HAND_WRITTEN_PAGE}, people=PEOPLE, options="not_plans: [about.md]")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (site / "mkdocs.yml").write_text(config[: config.index("markdown_extensions:")], encoding="utf-8")
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    about = result.page("about/")
    assert '<div class="mermaid">flowchart LR' in about and '<script src="../assets/vendor/mermaid.min.js">' in about
    assert "unpkg" not in about


@pytest.mark.parametrize(
    ("javascript", "message"),
    [
        (None, "planfolio: mermaid2 has no `javascript:` option, so it would fetch Mermaid from a CDN"),
        ("https://unpkg.com/mermaid@11/dist/mermaid.min.js", "planfolio: mermaid2's `javascript: https://unpkg.com/mermaid@11/dist/mermaid.min.js` is on another host"),
        ("js/mermaid.min.js", "planfolio: mermaid2's `javascript: js/mermaid.min.js` is neither in the docs folder nor served by planfolio"),
    ],
)
def test_a_misconfigured_mermaid2_is_named_in_one_line(tmp_path, javascript, message):
    site = write_site(tmp_path, {"acme.md": PLAN, "about.md": HAND_WRITTEN_PAGE}, people=PEOPLE, options="not_plans: [about.md]")
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    line = "      javascript: assets/vendor/mermaid.min.js\n"
    assert line in config
    (site / "mkdocs.yml").write_text(config.replace(line, f"      javascript: {javascript}\n" if javascript else ""), encoding="utf-8")
    result = build(site, env={"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"})  # never the network
    assert result.returncode == 1
    assert "Traceback" not in result.output and "FileNotFoundError" not in result.output
    [said] = [line for line in result.output.splitlines() if "planfolio: mermaid2" in line]
    assert message in said and "set `javascript: assets/vendor/mermaid.min.js`" in said
    # A copy of the site's own in the docs folder is what mermaid2 expects: that builds.
    if javascript == "js/mermaid.min.js":
        (site / "plans" / "js").mkdir()
        (site / "plans" / "js" / "mermaid.min.js").write_bytes((ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js").read_bytes())
        assert build(site, "--strict").returncode == 0


def test_the_sites_mermaid_limits_are_the_same_everywhere():
    script = (ROOT / "plugins" / "planfolio" / "assets" / "planfolio.js").read_text(encoding="utf-8")
    limits = {key: int(value) for key, value in re.findall(r"\b(maxTextSize|maxEdges): (\d+)", script)}
    assert limits == {"maxTextSize": 200_000, "maxEdges": 2_000}
    for config in ((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), MKDOCS_YML):
        assert "        maxTextSize: 200000\n        maxEdges: 2000\n" in config  # mermaid2's arguments, where it draws
