"""`planfolio digest` over real git repositories with dated commits: each section, `--owner`, the edges of the
period, no history, the three formats, and plan text that tries to break out of its line or its Markdown."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gitrepo import commit, git
from sitebuild import PLAN

TODAY = "2026-12-10"  # --days 7: since 2026-12-03
C1 = "Reference visit to the Mueller plant with the engineering lead"
C2 = "Total-cost-of-ownership case signed off by our CFO"


def _plan(account: str = "ACME Manufacturing GmbH", c1_due: str = "2027-02-15", c2_due: str = "2027-03-31", c2_status: str = "doing", reviewed: bool = True) -> str:
    text = PLAN.replace("ACME Manufacturing GmbH", account).replace("due: 2027-02-15", f"due: {c1_due}")
    text = text.replace("due: 2027-03-31\n    status: doing", f"due: {c2_due}\n    status: {c2_status}")
    return text if reviewed else text.replace("reviewed: 2026-11-02\n", "")


def _write(root: Path, acme: str, beta: str) -> None:
    (root / "plans" / "acme.md").write_text(acme, encoding="utf-8")
    (root / "plans" / "beta.md").write_text(beta, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """acme (reviewed 2026-11-02) and beta (never reviewed), both Dana Kim's; C1 is Luis Ortega's, C2 Mia Chen's.

    2026-11-01: acme C1 due 2026-12-20; beta C1 due 2026-11-30, beta C2 due 2026-12-24.
    2026-12-02 (8 days before today): acme C2 done; beta C1 slips to 2026-12-01 (now overdue).
    2026-12-03 (7 days before today): acme C1 slips to 2026-12-22; beta C2 done.
    """
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\ndocs_dir: plans\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    _write(root, _plan(c1_due="2026-12-20"), _plan("Beta AG", "2026-11-30", "2026-12-24", reviewed=False))
    commit(root, "2026-11-01")
    _write(root, _plan(c1_due="2026-12-20", c2_status="done"), _plan("Beta AG", "2026-12-01", "2026-12-24", reviewed=False))
    commit(root, "2026-12-02")
    _write(root, _plan(c1_due="2026-12-22", c2_status="done"), _plan("Beta AG", "2026-12-01", "2026-12-24", "done", reviewed=False))
    commit(root, "2026-12-03")
    monkeypatch.chdir(root)
    return root


def _json(planfolio, *args: str) -> dict:
    status, out, err = planfolio("digest", "--format", "json", "--today", TODAY, *args)
    assert (status, err) == (0, "")
    return json.loads(out)


def test_json_has_the_exact_shape_and_every_section(planfolio, repo) -> None:
    empty = {"done": [], "slipped": [], "overdue": [], "due_soon": [], "stale_plans": []}
    assert _json(planfolio) == {
        "today": "2026-12-10",
        "since": "2026-12-03",
        "history": None,
        "people": [
            {"name": "Dana Kim", **empty, "stale_plans": [{"plan": "beta", "id": None, "account": "Beta AG", "reviewed": None}]},
            {
                "name": "Luis Ortega",
                **empty,
                "slipped": [{"plan": "acme", "id": "C1", "title": C1, "due": "2026-12-22", "from": "2026-12-20", "to": "2026-12-22"}],
                "overdue": [{"plan": "beta", "id": "C1", "title": C1, "due": "2026-12-01"}],
                "due_soon": [{"plan": "acme", "id": "C1", "title": C1, "due": "2026-12-22"}],
            },
            {"name": "Mia Chen", **empty, "done": [{"plan": "beta", "id": "C2", "title": C2, "due": "2026-12-24"}]},
        ],
    }


def test_a_change_exactly_n_days_ago_is_in_and_n_plus_one_days_ago_is_out(planfolio, repo) -> None:
    six = {person["name"]: person for person in _json(planfolio, "--days", "6")["people"]}
    assert six["Luis Ortega"]["slipped"] == [] and "Mia Chen" not in six  # 2026-12-03 is 7 days ago: out
    eight = {person["name"]: person for person in _json(planfolio, "--days", "8")["people"]}
    assert [(s["plan"], s["from"], s["to"]) for s in eight["Luis Ortega"]["slipped"]] == [("acme", "2026-12-20", "2026-12-22"), ("beta", "2026-11-30", "2026-12-01")]
    assert [(d["plan"], d["id"]) for d in eight["Mia Chen"]["done"]] == [("beta", "C2"), ("acme", "C2")]  # by due date
    assert _json(planfolio, "--days", "8")["since"] == "2026-12-02"


def test_the_uncommitted_version_is_dated_today(planfolio, repo) -> None:
    (repo / "plans" / "acme.md").write_text(_plan(c1_due="2026-12-22", c2_status="done").replace("due: 2026-12-22", "due: 2027-01-10"), encoding="utf-8")
    people = {person["name"]: person for person in _json(planfolio, "--days", "0")["people"]}
    assert people["Luis Ortega"]["slipped"] == [{"plan": "acme", "id": "C1", "title": C1, "due": "2027-01-10", "from": "2026-12-22", "to": "2027-01-10"}]


def test_owner_narrows_to_one_person_and_an_unknown_owner_is_an_empty_digest(planfolio, repo) -> None:
    assert [person["name"] for person in _json(planfolio, "--owner", "Mia Chen")["people"]] == ["Mia Chen"]
    status, out, err = planfolio("digest", "--owner", "Nobody", "--today", TODAY)
    assert (status, err) == (0, "") and out == "digest 2026-12-03 to 2026-12-10: nothing to report\n"
    assert _json(planfolio, "--owner", "Nobody")["people"] == []


@pytest.mark.parametrize("days", ["-1", "x", "1.5", ""])
def test_a_bad_period_is_a_usage_error(planfolio, repo, days) -> None:
    status, out, err = planfolio("digest", "--days", days, "--today", TODAY)
    assert (status, out) == (2, "") and "--days" in err


def test_text_is_one_line_an_item_most_urgent_first(planfolio, repo) -> None:
    status, out, err = planfolio("digest", "--today", TODAY)
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "digest 2026-12-03 to 2026-12-10: 3 people",
        'Dana Kim: stale plan: beta "Beta AG", never reviewed (plans/beta.md:2)',
        f'Luis Ortega: overdue: beta C1 "{C1}", due 2026-12-01 (plans/beta.md:38)',
        f'Luis Ortega: due soon: acme C1 "{C1}", due 2026-12-22 (plans/acme.md:39)',
        f'Luis Ortega: slipped: acme C1 "{C1}", due 2026-12-20 \u2192 2026-12-22 (+2 days) (plans/acme.md:39)',
        f'Mia Chen: done: beta C2 "{C2}" (plans/beta.md:43)',
    ]


def test_markdown_has_a_section_a_person_and_links_to_path_and_line_without_a_site_url(planfolio, repo) -> None:
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert status == 0
    assert out.startswith("**Digest of 2026-12-03 to 2026-12-10**: 3 people have something to report.\n")
    assert [line for line in out.splitlines() if line.startswith("## ")] == ["## Dana Kim", "## Luis Ortega", "## Mia Chen"]
    luis = out.split("## Luis Ortega\n")[1].split("## ")[0]
    assert luis.index("**Overdue**") < luis.index("**Due in the next 14 days**") < luis.index("**Slipped**")
    assert "- **C1** Reference visit to the Mueller plant with the engineering lead \u2014 due 2026-12-01 \u00b7 Beta AG (plans/beta.md:38)" in luis
    assert "](" not in out and "no history" not in out


def test_markdown_links_each_item_to_its_plan_page_with_a_site_url(planfolio, repo) -> None:
    (repo / "mkdocs.yml").write_text("site_name: x\nsite_url: https://example.com/portfolio\ndocs_dir: plans\n", encoding="utf-8")
    (repo / "plans" / "team").mkdir()
    (repo / "plans" / "team" / "gamma.md").write_text(_plan("Gamma SA", "2026-12-11", reviewed=False), encoding="utf-8")
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert status == 0
    assert "\u00b7 [Beta AG](https://example.com/portfolio/beta/)" in out
    assert "\u00b7 [ACME Manufacturing GmbH](https://example.com/portfolio/acme/)" in out
    assert "[Gamma SA](https://example.com/portfolio/team/gamma/)" in out
    items = [line for line in out.splitlines() if line.startswith("- ")]
    assert items and all("](https://example.com/portfolio/" in line for line in items)


def test_markdown_links_follow_use_directory_urls(planfolio, repo) -> None:
    config = "site_name: x\nsite_url: https://example.com/portfolio\ndocs_dir: plans\nuse_directory_urls: false\n"
    (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert status == 0 and "\u00b7 [Beta AG](https://example.com/portfolio/beta.html)" in out


@pytest.mark.parametrize(("days", "today"), [("1000000", TODAY), ("1", "0001-01-01")])
def test_a_period_past_the_calendar_is_a_usage_error(planfolio, repo, days, today) -> None:
    status, out, err = planfolio("digest", "--days", days, "--today", today)
    assert (status, out) == (2, "") and "reaches past the dates a calendar has" in err and "Traceback" not in err


def test_without_history_done_and_slipped_are_empty_and_said(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.md").write_text(_plan(c1_due="2026-12-05"), encoding="utf-8")
    found = _json(planfolio)
    assert found["history"].startswith("no history: plans is not in a git work tree")
    assert [(p["name"], p["done"], p["slipped"], len(p["overdue"])) for p in found["people"]] == [("Luis Ortega", [], [], 1)]
    text = planfolio("digest", "--today", TODAY)[1].splitlines()
    assert text[1] == "no history: plans is not in a git work tree, so planfolio shows no changes, slips or review dates: done and slipped are left empty"
    markdown = planfolio("digest", "--format", "markdown", "--today", TODAY)[1]
    assert "_no history&#58; plans is not in a git work tree, so planfolio shows no changes, slips or review dates: done and slipped are left empty._" in markdown


def test_due_soon_counts_today_up_to_fourteen_days_ahead_and_overdue_is_before_today(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    dues = {"acme": ("2026-12-09", "2026-12-10"), "beta": ("2026-12-24", "2026-12-25")}
    for name, (c1, c2) in dues.items():
        (tmp_path / "plans" / f"{name}.md").write_text(_plan(name.title(), c1, c2), encoding="utf-8")
    people = {person["name"]: person for person in _json(planfolio)["people"]}
    assert [(e["plan"], e["due"]) for e in people["Luis Ortega"]["overdue"]] == [("acme", "2026-12-09")]
    assert [(e["plan"], e["due"]) for e in people["Luis Ortega"]["due_soon"]] == [("beta", "2026-12-24")]
    assert [(e["plan"], e["due"]) for e in people["Mia Chen"]["due_soon"]] == [("acme", "2026-12-10")]  # beta's C2: 15 days ahead
    assert "Dana Kim" not in people  # reviewed 2026-11-02: within 90 days


def test_hostile_plan_text_stays_on_its_line_and_out_of_the_markup(planfolio, tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    title = '"Evil\\n## Mallory <script>alert(1)</script> [x](javascript:alert(1))\\u2028@team"'
    owner = '"Eve\\n# Boss\\u2029"'
    text = _plan(c1_due="2026-12-05", reviewed=False).replace(f"title: {C1}", f"title: {title}").replace("owner: Luis Ortega", f"owner: {owner}")
    text = text.replace("owner: Dana Kim", "owner: \"Dana\\r\\nKim\"")
    (tmp_path / "plans" / "acme.md").write_text(text, encoding="utf-8")
    out = planfolio("digest", "--today", TODAY)[1]
    lines = out.splitlines()
    assert len(lines) == 4 and len(out.split("\n")) == 5  # head, no history, Dana's plan, Eve's overdue
    assert lines[3].startswith("Eve\\n# Boss\\u2029: overdue: acme C1 \"Evil\\n## Mallory")
    assert lines[2].startswith("Dana\\r\\nKim: stale plan:")
    markdown = planfolio("digest", "--format", "markdown", "--today", TODAY)[1]
    assert "<script" not in markdown and "](javascript" not in markdown and "\u2028" not in markdown and "\u2029" not in markdown
    assert [line for line in markdown.splitlines() if line.startswith("#")] == ["## Dana&#92;r&#92;nKim", "## Eve&#92;n&#35; Boss&#92;u2029"]
    assert json.loads(planfolio("digest", "--format", "json", "--today", TODAY)[1])["people"][1]["name"] == "Eve\n# Boss\u2029"


# -- GitHub handles in the people file, and the digest issue (issue 15) -----------------------------------

from planfolio.core.publish.digest import ISSUE_MARKER, previous_items  # noqa: E402
from planfolio.core.read.people import load_people  # noqa: E402
from planfolio.core.settings import SettingsError  # noqa: E402

WITH_PEOPLE = "site_name: x\ndocs_dir: plans\nplugins:\n  - planfolio:\n      people: people.yml\n"
HANDLES = "Dana Kim:\nLuis Ortega: {github: luis-o}\nMia Chen: mia.chen@example.com\n"


def test_the_people_file_maps_names_to_github_handles_beside_its_plain_forms(tmp_path) -> None:
    people_file = tmp_path / "people.yml"
    people_file.write_text(HANDLES + "Omar Haddad:\n  github: 0mar\n  email: omar@example.com\nPriya Raman: {}\n", encoding="utf-8")
    people = load_people(people_file)
    assert isinstance(people, frozenset)  # still a set of names, which the checks and the site use
    assert set(people) == {"Dana Kim", "Luis Ortega", "Mia Chen", "Omar Haddad", "Priya Raman"}
    assert dict(people.handles) == {"Luis Ortega": "luis-o", "Omar Haddad": "0mar"}  # other keys stay the file's own
    with pytest.raises(TypeError):
        people.handles["Dana Kim"] = "dana"  # type: ignore[index]  # a People is never changed once read
    people_file.write_text("- Dana Kim\n- Luis Ortega\n", encoding="utf-8")
    assert dict(load_people(people_file).handles) == {}


@pytest.mark.parametrize("handle", ["a", "A1", "2024", "dana-kim", "x" * 39, "a-b-c-d"])
def test_a_handle_that_keeps_to_github_rules_is_read(tmp_path, handle) -> None:
    (tmp_path / "people.yml").write_text(f"Dana Kim: {{github: '{handle}'}}\n", encoding="utf-8")
    assert dict(load_people(tmp_path / "people.yml").handles) == {"Dana Kim": handle}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{github: -dana}", "1:20: `-dana` is not a GitHub handle: 1-39 letters, digits and single hyphens, no hyphen first or last"),
        ("{github: dana-}", "1:20: `dana-` is not a GitHub handle"),
        ("{github: da--na}", "1:20: `da--na` is not a GitHub handle"),
        ("{github: 'dana kim'}", "1:20: `dana kim` is not a GitHub handle"),
        ("{github: dana_kim}", "1:20: `dana_kim` is not a GitHub handle"),
        ("{github: dänа}", "1:20: `dänа` is not a GitHub handle"),
        ("{github: '" + "x" * 40 + "'}", "1:20: `" + "x" * 40 + "` is not a GitHub handle"),
        ('{github: "dana\\n@everyone"}', "1:20: `dana\\n@everyone` is not a GitHub handle"),
        ("{github: '@dana'}", "1:20: `@dana` is not a GitHub handle: write it without the @"),
        ("{github: ''}", "1:20: `` is not a GitHub handle"),
        ("{github: }", "1:12: `github` needs the person's GitHub handle, e.g. `github: dana-kim`"),
        ("{github: [dana]}", "1:12: `github` needs the person's GitHub handle"),
        ("{githb: dana}", "1:12: unknown key `githb` for a person: did you mean `github`?"),
        ("{email: d@example.com, GitHub: dana}", "1:34: unknown key `GitHub` for a person: did you mean `github`?"),
    ],
)
def test_a_bad_handle_or_key_is_a_settings_error_at_its_place(tmp_path, value, message) -> None:
    (tmp_path / "people.yml").write_text(f"Dana Kim: {value}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        load_people(tmp_path / "people.yml")
    assert str(raised.value).startswith(f"{(tmp_path / 'people.yml')}:{message}")


def test_a_bad_handle_stops_the_digest_with_a_usage_error_not_a_traceback(planfolio, repo) -> None:
    (repo / "mkdocs.yml").write_text(WITH_PEOPLE, encoding="utf-8")
    (repo / "people.yml").write_text("Dana Kim:\nLuis Ortega: {github: luis_o}\nMia Chen:\n", encoding="utf-8")
    status, out, err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert (status, out) == (2, "")
    assert err == "planfolio: people.yml:2:23: `luis_o` is not a GitHub handle: 1-39 letters, digits and single hyphens, no hyphen first or last\n"


def test_markdown_mentions_only_the_people_with_a_handle_in_their_heading(planfolio, repo) -> None:
    (repo / "mkdocs.yml").write_text(WITH_PEOPLE, encoding="utf-8")
    (repo / "people.yml").write_text(HANDLES, encoding="utf-8")
    status, out, err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert (status, err) == (0, "")
    assert [line for line in out.splitlines() if line.startswith("## ")] == ["## Dana Kim", "## Luis Ortega (@luis-o)", "## Mia Chen"]
    assert out.count("@") == 1  # Mia's e-mail address is no handle, and no name is ever made a mention
    for form in ("text", "json"):
        assert "@" not in planfolio("digest", "--format", form, "--today", TODAY)[1]
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY, "--people", repo / "other.yml")
    assert status == 2  # --people names the file instead of the site option: a missing one is a usage error


def test_a_hostile_name_with_a_handle_is_escaped_and_mentioned(planfolio, repo) -> None:
    (repo / "mkdocs.yml").write_text(WITH_PEOPLE, encoding="utf-8")
    (repo / "people.yml").write_text('Dana Kim:\nLuis Ortega:\nMia Chen:\n"Eve\\n# <b>Boss</b> @all": {github: eve}\n', encoding="utf-8")
    text = _plan("Gamma SA", "2026-12-05", reviewed=True).replace("owner: Luis Ortega", 'owner: "Eve\\n# <b>Boss</b> @all"')
    (repo / "plans" / "gamma.md").write_text(text, encoding="utf-8")
    status, out, _err = planfolio("digest", "--format", "markdown", "--today", TODAY)
    assert status == 0
    assert "## Eve&#92;n&#35; &#60;b&#62;Boss&#60;/b&#62; &#64;all (@eve)" in out.splitlines()
    assert out.count("@") == 1 and "<b>" not in out


def _issue(planfolio, previous: Path, today: str, *args: str) -> str:
    status, out, err = planfolio("digest", "--format", "markdown", "--previous", previous, "--today", today, *args)
    assert (status, err) == (0, ""), err
    return out


def _empty(folder: Path) -> Path:
    path = folder / "empty.md"
    path.write_text("", encoding="utf-8")
    return path


def _section(body: str, heading: str) -> str:
    return body.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0].split("\n<!-- ", 1)[0]


def test_the_first_issue_body_has_the_marker_and_lists_its_open_items_on_a_hidden_line(planfolio, repo, tmp_path) -> None:
    body = _issue(planfolio, _empty(tmp_path), TODAY)
    markdown = planfolio("digest", "--format", "markdown", "--today", TODAY)[1]
    assert body.startswith(f"{ISSUE_MARKER}\n{markdown.split(chr(10))[0]}\n")
    lines = body.splitlines()
    assert lines[-1].startswith("<!-- planfolio-digest-open [") and lines[-1].endswith("] -->")
    assert "\n".join(lines[1:-1]).strip() == markdown.strip()  # nothing closed: the digest as --format markdown has it
    assert [(item.person, item.plan, item.id, item.title) for item in previous_items(body)] == [
        ("Dana Kim", "beta", None, "Beta AG"),
        ("Luis Ortega", "beta", "C1", C1),  # overdue
        ("Luis Ortega", "acme", "C1", C1),  # due soon
    ]  # slipped and done are no open items: nothing of them is struck through later


def test_items_closed_since_the_previous_body_are_struck_through_once(planfolio, repo, tmp_path) -> None:
    first = tmp_path / "first.md"
    first.write_text(_issue(planfolio, _empty(tmp_path), TODAY), encoding="utf-8")
    # 2026-12-14: Luis delivers beta's C1 (overdue last week), Dana reviews beta (due a review last week).
    beta = _plan("Beta AG", "2026-12-01", "2026-12-24", "done").replace("due: 2026-12-01\n", "due: 2026-12-01\n    status: done\n")
    _write(repo, _plan(c1_due="2026-12-22", c2_status="done"), beta)
    commit(repo, "2026-12-14")
    second = _issue(planfolio, first, "2026-12-17")
    assert second.splitlines()[1] == "**Digest of 2026-12-10 to 2026-12-17**: 2 people have something to report."
    assert [line for line in second.splitlines() if line.startswith("## ")] == ["## Dana Kim", "## Luis Ortega"]
    assert _section(second, "## Dana Kim") == "\n**Closed since the last digest**\n\n- ~~plan due a review~~ \u00b7 Beta AG (plans/beta.md)\n"
    luis = _section(second, "## Luis Ortega")
    assert f"**Closed since the last digest**\n\n- ~~**C1** {C1}~~ \u00b7 Beta AG (plans/beta.md)\n" in luis
    assert f"**Due in the next 14 days**\n\n- **C1** {C1} \u2014 due 2026-12-22" in luis  # still open: not struck
    assert luis.count("~~") == 2 and luis.index("**Done**") < luis.index("**Closed since the last digest**")
    (tmp_path / "second.md").write_text(second, encoding="utf-8")
    third = _issue(planfolio, tmp_path / "second.md", "2026-12-24")  # acme's C1 went from due soon to overdue
    assert "~~" not in third and "Closed since" not in third  # struck once, and an item overdue now is not closed
    assert f"**Overdue**\n\n- **C1** {C1} \u2014 due 2026-12-22" in _section(third, "## Luis Ortega")


def test_closed_items_link_their_plan_page_and_mention_their_owner(planfolio, repo, tmp_path) -> None:
    config = "site_name: x\nsite_url: https://example.com/portfolio\ndocs_dir: plans\nplugins:\n  - planfolio:\n      people: people.yml\n"
    (repo / "mkdocs.yml").write_text(config, encoding="utf-8")
    (repo / "people.yml").write_text(HANDLES.replace("Dana Kim:", "Dana Kim: {github: dana}"), encoding="utf-8")
    first = tmp_path / "first.md"
    first.write_text(_issue(planfolio, _empty(tmp_path), TODAY), encoding="utf-8")
    _write(repo, _plan(c1_due="2026-12-22", c2_status="done"), _plan("Beta AG", "2026-12-01", "2026-12-24", "done"))
    commit(repo, "2026-12-14")
    second = _issue(planfolio, first, "2026-12-17")
    assert _section(second, "## Dana Kim (@dana)") == "\n**Closed since the last digest**\n\n- ~~plan due a review~~ \u00b7 [Beta AG](https://example.com/portfolio/beta/)\n"


def test_with_owner_only_that_persons_items_of_the_previous_body_count(planfolio, repo, tmp_path) -> None:
    first = tmp_path / "first.md"
    first.write_text(_issue(planfolio, _empty(tmp_path), TODAY), encoding="utf-8")
    _write(repo, _plan(c1_due="2026-12-22", c2_status="done"), _plan("Beta AG", "2026-12-01", "2026-12-24", "done"))
    commit(repo, "2026-12-14")  # beta reviewed: Dana's item is closed, Luis's beta C1 is still overdue
    mine = _issue(planfolio, first, "2026-12-17", "--owner", "Luis Ortega")
    assert [line for line in mine.splitlines() if line.startswith("## ")] == ["## Luis Ortega"] and "~~" not in mine
    assert "## Dana Kim" in _issue(planfolio, first, "2026-12-17")


def test_hostile_text_on_the_previous_hidden_line_is_escaped_and_cannot_end_the_comment(planfolio, repo, tmp_path) -> None:
    entry = ["Luis Ortega", "gone", "C9", "<script>alert(1)</script> --> @everyone ~~x~~", "x](javascript:alert(1))\n# Boss", "plans/gone.md"]
    previous = tmp_path / "previous.md"
    previous.write_text(f"{ISSUE_MARKER}\nedited by hand\n<!-- planfolio-digest-open {json.dumps([entry])} -->\n", encoding="utf-8")
    body = _issue(planfolio, previous, TODAY)
    [struck] = [line for line in body.splitlines() if line.startswith("- ~~")]
    assert struck == (
        "- ~~**C9** &#60;script&#62;alert(1)&#60;/script&#62; --&#62; &#64;everyone &#126;&#126;x&#126;&#126;~~ \u00b7 "
        "x&#93;(javascript&#58;alert(1))&#92;n&#35; Boss (plans/gone.md)"
    )
    assert "<script" not in body and "@everyone" not in body
    hidden = body.splitlines()[-1]
    assert hidden.count("-->") == 1 and hidden.endswith(" -->") and "<" not in hidden[4:] and ">" not in hidden[:-3]
    assert len(body.split("<!--")) == 3  # the marker and the hidden line: plan text opens no comment


@pytest.mark.parametrize(
    "hidden",
    ["[1, 2", '{"a": 1}', "[[1, 2, 3, 4, 5, 6]]", '[["a", "b", "c", "d", "e"]]', '[["a", null, "c", "d", "e", "f"]]', "[" * 100_000 + "]" * 100_000],
)
def test_a_hidden_line_edited_out_of_shape_is_a_warning_and_strikes_nothing(planfolio, repo, tmp_path, hidden) -> None:
    previous = tmp_path / "previous.md"
    previous.write_text(f"{ISSUE_MARKER}\n<!-- planfolio-digest-open {hidden} -->\n", encoding="utf-8")
    status, out, err = planfolio("digest", "--format", "markdown", "--previous", previous, "--today", TODAY)
    assert status == 0 and out.startswith(ISSUE_MARKER) and "~~" not in out
    assert err.startswith(f"planfolio: warning: the previous digest {previous}: ") and err.endswith(": nothing is struck through this time\n")
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_previous_is_for_the_markdown_issue_and_must_be_readable(planfolio, repo, tmp_path) -> None:
    empty = _empty(tmp_path)
    for form in ("text", "json"):
        status, out, err = planfolio("digest", "--format", form, "--previous", empty, "--today", TODAY)
        assert (status, out) == (2, "") and "--previous is for the digest issue: use it with --format markdown" in err
    status, out, err = planfolio("digest", "--format", "markdown", "--previous", tmp_path / "missing.md", "--today", TODAY)
    assert (status, out) == (2, "") and err == f"planfolio: cannot read the previous digest {tmp_path / 'missing.md'}: No such file or directory\n"
    (tmp_path / "latin1.md").write_bytes(b"caf\xe9")
    status, out, err = planfolio("digest", "--format", "markdown", "--previous", tmp_path / "latin1.md", "--today", TODAY)
    assert (status, out) == (2, "") and err.endswith(": it is not UTF-8 text\n")


def test_an_issue_body_keeps_to_the_limit_and_lists_only_the_items_it_shows() -> None:
    from datetime import date

    from planfolio.core.derive.digest import Digest, Due, PersonDigest
    from planfolio.core.publish.digest import as_issue

    def person(number: int) -> PersonDigest:
        due = Due(f"plan-{number}", "C1", f"Commitment of person {number} " + "x" * number, date(2026, 12, 1), f"plans/plan-{number}.md", 30, f"Account {number}")
        return PersonDigest(f"Person {number:02d}", overdue=(due,))

    found = Digest(date(2026, 12, 10), date(2026, 12, 3), None, tuple(person(number) for number in range(40)), {})
    whole = as_issue(found, [])
    assert "more people" not in whole and len(previous_items(whole)) == 40
    cut_at = set()
    for limit in range(600, len(whole) + 200, 97):
        body = as_issue(found, [], limit=limit)
        assert len(body) <= limit and body.startswith(ISSUE_MARKER + "\n**Digest of 2026-12-03 to 2026-12-10**: 40 people have something to report.\n")
        headings = [line[3:] for line in body.splitlines() if line.startswith("## ")]
        assert [item.person for item in previous_items(body)] == headings  # struck next week only what was shown
        if len(headings) < 40:
            more = "1 more person" if len(headings) == 39 else f"{40 - len(headings)} more people"
            assert f"_And {more}: the digest is longer than one issue holds; the workflow run's summary has it whole._" in body
        else:
            assert body == whole
        cut_at.add(len(headings))
    assert min(cut_at) <= 1 and 40 in cut_at and len(cut_at) > 10
