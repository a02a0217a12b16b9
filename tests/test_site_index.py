"""The leadership view, built: the index's next due is the next date today or later (overdue has its own column,
zero is quiet, a draft is said once), a plan page names its next due commitment, and the people pages say
each person's plans by role, their open and doing work, their next due and where their overdue items are."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest

from planfolio.core.derive import rollups
from planfolio.core.portfolio import Portfolio, read_text
from planfolio.core.settings import Limits
from sitebuild import PEOPLE, PLAN, TODAY, Build, build, write_site

DAY = date.fromisoformat(TODAY)
PAST, TOMORROW, LATER = DAY - timedelta(days=27), DAY + timedelta(days=1), DAY + timedelta(days=40)
EXTRA = "Make sure the installer signs off the site plan"


def _commitment(cid: str, title: str, owner: str, due: date, status: str) -> str:
    return f"  - id: {cid}\n    title: {title}\n    obstacle: OB2\n    owner: {owner}\n    due: {due}\n    status: {status}\n"


# acme: C1 overdue, C3 due today (the next due: due today is not overdue), C4 done and C5 dropped before C3's date,
# C2 doing later. beta: its only open commitment is overdue, the other done (no next due). gamma: a draft, none overdue.
ACME = PLAN.replace("due: 2027-02-15", f"due: {PAST}").replace(
    "    status: doing\n",
    "    status: doing\n"
    + _commitment("C3", EXTRA, "Luis Ortega", DAY, "open")
    + _commitment("C4", "Done before today's date", "Luis Ortega", TOMORROW, "done")
    + _commitment("C5", "Dropped before today's date", "Mia Chen", TOMORROW, "dropped"),
)
BETA = PLAN.replace("ACME Manufacturing GmbH", "Beta Logistics AG").replace("due: 2027-02-15", f"due: {PAST}").replace("status: doing", "status: done")
GAMMA = PLAN.replace("ACME Manufacturing GmbH", "Gamma Foods Ltd").replace("status: active", "status: draft").replace("due: 2027-03-31", f"due: {LATER}")
PLANS = {"acme.md": ACME, "beta.md": BETA, "gamma.md": GAMMA}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(write_site(tmp_path_factory.mktemp("index"), PLANS, people=PEOPLE), "--strict")
    assert result.returncode == 0, result.output
    return result


def _text(fragment: str) -> str:
    """A fragment's text as a reader sees it: tags gone (nothing put in their place), entities read, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _cells(row: str) -> dict[str, tuple[dict[str, str], str]]:
    """A row's cells by their `data-label` (the first cell, the account's, as "account"): (attributes, inner HTML)."""
    found = {}
    for attributes, inner in re.findall(r"<td([^>]*)>(.*?)</td>", row, re.S):
        named = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        found[named.get("data-label", "account" if not found else f"cell {len(found)}")] = (named, inner)
    return found


def _table_rows(page: str, table_class: str) -> dict[str, dict[str, tuple[dict[str, str], str]]]:
    """The rows of the page's table of that class, by the text of each row's first link."""
    table = re.search(rf'<table class="[^"]*\b{table_class}\b[^"]*">(.*?)</table>', page, re.S)
    assert table, table_class
    rows = {}
    for row in re.findall(r"<tr[^>]*>\s*<td.*?</tr>", table.group(1), re.S):
        rows[_text(re.search(r"<a [^>]*>(.*?)</a>", row, re.S).group(1))] = _cells(row)
    return rows


def _export(site: Build) -> dict[str, dict[str, Any]]:
    return {plan["account"]: plan for plan in json.loads((site.out / "portfolio.json").read_text(encoding="utf-8"))["plans"]}


def _next_due(commitments: list[dict[str, Any]]) -> str | None:
    """What the export says is next due: the earliest live commitment, not done, due today or later."""
    ahead = [c["due"] for c in commitments if c["status"] not in ("done", "dropped") and c["due"] >= TODAY]
    return min(ahead, default=None)


QUIET_NONE = '<span class="pf-none" aria-hidden="true">–</span><span class="pf-sr-only">none</span>'


def test_rollups_next_due_is_the_next_date_today_or_later() -> None:
    reports = [read_text(f"plans/{name}", name[:-3], text.encode(), DAY, Limits(), None) for name, text in PLANS.items()]
    found = rollups.build(Portfolio(DAY, reports))
    assert {plan: (entry.commitment.id, entry.commitment.due) for plan, entry in found.next_due.items()} == {
        "acme": ("C3", DAY), "gamma": ("C2", LATER),
    }
    # by owner, across plans: Luis's C1s of acme and beta are overdue, so acme's C3; Mia's C2 of gamma is due before
    # acme's (and her C5 of acme, due earlier, is dropped)
    assert {person: (entry.plan.id, entry.commitment.id) for person, entry in found.next_due_by_owner.items()} == {
        "Luis Ortega": ("acme", "C3"), "Mia Chen": ("gamma", "C2"),
    }
    assert all(not entry.overdue and entry.commitment.due >= DAY for entry in found.next_due.values())


def test_the_index_never_shows_a_past_date_as_next_due(site: Build) -> None:
    rows = _table_rows(site.page(""), "pf-index")
    exported = _export(site)
    assert set(rows) == set(exported)
    for account, cells in rows.items():
        attributes, inner = cells["Next due"]
        shown = re.findall(r'<time class="pf-date" datetime="([^"]+)">\1</time>', inner)
        expected = _next_due(exported[account]["commitments"])
        assert shown == ([expected] if expected else []), account
        assert attributes["data-sort"] == (expected or "9999-12-31")
        assert all(day >= TODAY for day in re.findall(r"\d{4}-\d{2}-\d{2}", inner)), account
    assert EXTRA in _text(rows["ACME Manufacturing GmbH"]["Next due"][1])  # its commitment's title below the date
    assert rows["Beta Logistics AG"]["Next due"][1] == QUIET_NONE  # its only open commitment is overdue


def test_overdue_has_its_own_column_and_zero_is_quiet(site: Build) -> None:
    rows = _table_rows(site.page(""), "pf-index")
    for account, plan in _export(site).items():
        attributes, inner = rows[account]["Overdue"]
        assert attributes["data-sort"] == str(plan["overdue"])  # the export and the index agree; the sort reads it
        if plan["overdue"]:
            assert _text(inner) == f"⚠ {plan['overdue']}"
        else:
            assert inner == QUIET_NONE
    assert {account for account, plan in _export(site).items() if plan["overdue"]} == {"ACME Manufacturing GmbH", "Beta Logistics AG"}


def test_a_draft_is_said_once(site: Build) -> None:
    page = site.page("")
    row = _table_rows(page, "pf-index")["Gamma Foods Ltd"]
    assert _text("".join(inner for _attributes, inner in row.values())).count("Draft") == 1
    assert "(draft)" not in page and "(draft)" not in (site.out / "assets" / "planfolio" / "planfolio.css").read_text(encoding="utf-8")


def test_the_index_keeps_its_account_period_and_goal_in_one_cell(site: Build) -> None:
    cell = _table_rows(site.page(""), "pf-index")["ACME Manufacturing GmbH"]["account"]
    assert cell[0]["data-sort"] == "ACME Manufacturing GmbH FY2027"  # sorted by the account and period, not the goal below
    assert _text(cell[1]) == "ACME Manufacturing GmbH FY2027 Grow ACME revenue from EUR 2.0 M to EUR 3.5 M in FY2027"


def test_the_plan_page_names_its_next_due_commitment(site: Build) -> None:
    summary = _text(re.search(r'<p class="pf-summary">(.*?)</p>', site.page("acme"), re.S).group(1))
    assert f"Next due {TODAY}: C3 {EXTRA}" in summary
    assert "⚠ 1 overdue" in summary  # C1, said apart from the next due
    assert "Next due" not in _text(re.search(r'<p class="pf-summary">(.*?)</p>', site.page("beta"), re.S).group(1))


def test_the_owners_overview_splits_open_and_doing_and_names_each_next_due(site: Build) -> None:
    page = site.page("portfolio/owners")
    header = [_text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)]
    assert header == ["Person", "Plans", "Open", "Doing", "Overdue", "Next due", "Done"]
    rows = _table_rows(page, "pf-owners")
    commitments = [c for plan in _export(site).values() if plan["status"] != "archived" for c in plan["commitments"]]
    for person in PEOPLE:
        theirs = [c for c in commitments if c["owner"] == person and c["status"] != "dropped"]
        for label, status in (("Open", "open"), ("Doing", "doing"), ("Done", "done")):
            count = sum(c["status"] == status for c in theirs)
            attributes, inner = rows[person][label]
            assert attributes["data-sort"] == str(count) and (_text(inner) == str(count) if count else inner == QUIET_NONE), (person, label)
        expected = _next_due(theirs)
        shown = re.findall(r'datetime="([^"]+)"', rows[person]["Next due"][1])
        assert shown == ([expected] if expected else []), person
    assert EXTRA in _text(rows["Luis Ortega"]["Next due"][1])


def test_an_overdue_count_links_to_that_persons_overdue_items(site: Build) -> None:
    rows = _table_rows(site.page("portfolio/owners"), "pf-owners")
    _attributes, inner = rows["Luis Ortega"]["Overdue"]
    href = re.search(r'<a class="pf-state pf-state--overdue" href="([^"]+)">', inner).group(1)
    assert href == "luis-ortega/#this-week" and _text(inner) == "⚠ 2 overdue, listed on Luis Ortega's page"  # C1 of acme and of beta
    assert rows["Mia Chen"]["Overdue"][1] == QUIET_NONE
    week = re.search(r'<section[^>]*aria-labelledby="this-week">(.*?)</section>', site.page("portfolio/owners/luis-ortega"), re.S).group(1)
    overdue = re.search(r'<ul class="pf-digest__items pf-digest__items--overdue">(.*?)</ul>', week, re.S).group(1)
    assert overdue.count("<li>") == 2 and 'id="this-week"' in week


def test_a_persons_plans_are_labelled_by_role(site: Build) -> None:
    line = re.search(r'<p class="pf-meta pf-plans">(.*?)</p>', site.page("portfolio/owners/dana-kim"), re.S).group(1)
    assert _text(line) == "Key account manager: ACME Manufacturing GmbH, Beta Logistics AG, Gamma Foods Ltd"
    line = re.search(r'<p class="pf-meta pf-plans">(.*?)</p>', site.page("portfolio/owners/mia-chen"), re.S).group(1)
    assert _text(line) == "Account team: ACME Manufacturing GmbH, Beta Logistics AG, Gamma Foods Ltd"
    assert re.search(r"</a>, <a ", line)  # the comma follows the name, inside one item
