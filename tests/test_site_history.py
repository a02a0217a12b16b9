"""History on the site, built from real git repositories: the plan page's changes since the review, each
commitment's slips and the timeline; the index's columns; the slipped commitments page; people's slips;
and none of it where there is no history."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from gitrepo import ENVIRONMENT, commit, git
from sitebuild import PEOPLE, PLAN, Build, build, write_site

ACME = PLAN.replace("reviewed: 2026-11-02", "reviewed: 2026-01-05").replace("  unit: EUR M\n", "  unit: EUR M\n  current: 2.4\n")
BETA = PLAN.replace("ACME Manufacturing GmbH", "Beta Logistics AG").replace("reviewed: 2026-11-02", "reviewed: 2026-01-05")
BETA = BETA.replace("Reference visit to the Mueller plant", "Beta site visit")


def _commit(root: Path, day: str, plans: dict[str, str]) -> str:
    for name, text in plans.items():
        (root / "plans" / name).write_text(text, encoding="utf-8")
    return commit(root, day, f"plans of {day}")


def _repository(root: Path) -> list[str]:
    """acme and beta: two slips of acme's C1 (+14, +40 days), one of beta's C2 (+10) and of beta's C1 (+5,
    then done); a review between; then C2 of acme handed over and the goal's current figure moved."""
    write_site(root, {"acme.md": ACME, "beta.md": BETA}, people=PEOPLE)
    git(root, "init", "-q", "-b", "main")
    commits = [_commit(root, "2026-01-10", {})]
    acme = ACME.replace("due: 2027-02-15", "due: 2027-03-01")
    beta = BETA.replace("due: 2027-03-31", "due: 2027-04-10").replace("due: 2027-02-15", "due: 2027-02-20")
    commits.append(_commit(root, "2026-03-01", {"acme.md": acme, "beta.md": beta}))
    acme = acme.replace("reviewed: 2026-01-05", "reviewed: 2026-06-01")
    commits.append(_commit(root, "2026-06-01", {"acme.md": acme}))
    acme = acme.replace("due: 2027-03-01", "due: 2027-04-10").replace("    owner: Mia Chen\n", "    owner: Luis Ortega\n")
    acme = acme.replace("current: 2.4", "current: 2.9")
    beta = beta.replace("    due: 2027-02-20\n", "    due: 2027-02-20\n    status: done\n    completed: 2026-08-30\n")
    commits.append(_commit(root, "2026-09-01", {"acme.md": acme, "beta.md": beta}))
    return commits


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("history") / "portfolio"
    return root, _repository(root)


@pytest.fixture(scope="module")
def site(repo: tuple[Path, list[str]]) -> Build:
    result = build(repo[0], env=ENVIRONMENT)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def linked(repo: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The same repository, its site configured with a `repo_url`."""
    copy = tmp_path_factory.mktemp("linked") / "portfolio"
    shutil.copytree(repo[0], copy, symlinks=True, ignore=shutil.ignore_patterns("site"))
    with (copy / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("repo_url: https://github.com/example/plans/\n")
    result = build(copy, env=ENVIRONMENT)
    assert result.returncode == 0, result.output
    return result


def _text(fragment: str) -> str:
    """A fragment's text as a reader sees it: tags gone, entities read, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _section(page: str, name: str) -> str:
    match = re.search(rf'<section class="pf-part pf-part--{name}".*?</section>', page, re.S)
    assert match, f"no {name} section"
    return match.group()


def test_the_plan_page_tells_the_changes_since_the_last_review(site: Build) -> None:
    changes = _section(site.page("acme"), "changes")
    assert "Changes since the last review (2026-06-01)" in _text(changes)
    items = [_text(item) for item in re.findall(r"<li>(.*?)</li>", changes, re.S)]
    assert items == [
        "Goal current 2.4 → 2.9 EUR M",
        "C1 slipped 40 days (2027-03-01 → 2027-04-10), its second slip",
        "C2 handed from Mia Chen to Luis Ortega",
    ]


def test_a_commitment_row_shows_its_slips_and_first_due(site: Build) -> None:
    rows = {_text(row).split()[0]: _text(row) for row in re.findall(r'<tr[^>]*><td class="pf-id">.*?</tr>', _section(site.page("acme"), "commitments"), re.S)}
    assert "2027-04-10 slipped 2×, +54 d, first due 2027-02-15" in rows["C1"]
    assert "slipped" not in rows["C2"]  # its due never moved


def test_the_timeline_is_newest_first_with_author_commit_and_events(site: Build, repo: tuple[Path, list[str]]) -> None:
    timeline = _section(site.page("acme"), "history")
    heads = [_text(head) for head in re.findall(r'<p class="pf-timeline__head">(.*?)</p>', timeline, re.S)]
    commits = repo[1]
    assert heads == [f"{day} · Dana Kim · {commit[:7]}" for day, commit in zip(("2026-09-01", "2026-06-01", "2026-03-01", "2026-01-10"), reversed(commits))]
    assert "/commit/" not in timeline  # no repo_url: the commit is named, not linked
    text = _text(timeline)
    assert "Deep review on 2026-06-01 (the last was 2026-01-05)" in text
    assert "C1 slipped 14 days (2027-02-15 → 2027-03-01), its first slip" in text
    assert text.endswith("The plan was added")


def test_with_repo_url_each_version_links_its_commit(linked: Build, repo: tuple[Path, list[str]]) -> None:
    timeline = _section(linked.page("acme"), "history")
    links = re.findall(r'<a class="pf-id" href="([^"]+)">', timeline)
    assert links == [f"https://github.com/example/plans/commit/{commit}" for commit in reversed(repo[1])]


def _index_rows(page: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="pf-table pf-sortable pf-index[^"]*">.*?</table>', page, re.S)
    assert table
    header = [_text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", table.group(), re.S)]
    rows = {}
    for row in re.findall(r"<tr class=.*?</tr>", table.group(), re.S):
        cells = [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        account = _text(re.search(r"<a [^>]*>(.*?)</a>", row, re.S).group(1))  # the first cell also holds period and goal
        rows[account] = dict(zip(header, cells))
    return rows


def test_the_index_counts_slipped_commitments_and_changes_since_review(site: Build) -> None:
    page = (site.out / "index.html").read_text(encoding="utf-8")
    rows = _index_rows(page)
    assert (rows["ACME Manufacturing GmbH"]["Slipped"], rows["ACME Manufacturing GmbH"]["Changes since review"]) == ("↷ 1", "3")
    # beta was never reviewed since it was added (the review came with it): every later change counts; its
    # C1 slipped but is done, C2 slipped and is still doing.
    assert (rows["Beta Logistics AG"]["Slipped"], rows["Beta Logistics AG"]["Changes since review"]) == ("↷ 1", "4")
    assert re.search(r'<td data-sort="3"[^>]*>3</td>', page)  # a number the index's number sort reads


def test_the_slipped_page_lists_slips_most_days_first(site: Build) -> None:
    page = site.page("portfolio/slipped")
    rows = [[_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in re.findall(r"<tr[^>]*>\s*<td.*?</tr>", page, re.S)]
    assert rows == [
        ["ACME Manufacturing GmbH", "C1 Reference visit to the Mueller plant with the engineering lead", "Luis Ortega", "2027-02-15", "2027-04-10", "2×", "+54 d"],
        ["Beta Logistics AG", "C2 Total-cost-of-ownership case signed off by our CFO", "Mia Chen", "2027-03-31", "2027-04-10", "1×", "+10 d"],
    ]  # beta's C1 slipped too, but it is done
    nav = site.page("acme")
    assert re.search(r'href="[^"]*portfolio/slipped/"[^>]*>\s*(<span[^>]*>)?\s*Slipped commitments', nav)


def test_a_persons_page_shows_their_slips(site: Build) -> None:
    luis = _text(site.page("portfolio/owners/luis-ortega"))
    assert "2027-04-10 slipped 2×, +54 d, first due 2027-02-15" in luis
    assert "2027-02-20 slipped 1×, +5 d, first due 2027-02-15" in luis  # done: still their history
    mia = _text(site.page("portfolio/owners/mia-chen"))
    assert "2027-04-10 slipped 1×, +10 d, first due 2027-03-31" in mia


def test_an_uncommitted_edit_is_the_newest_version(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    _repository(root)
    hostile = "<img src=x onerror=alert(1)>"
    (root / "plans" / "acme.md").write_text(ACME.replace("Reference visit to the Mueller plant", hostile), encoding="utf-8")
    result = build(root, env=ENVIRONMENT)
    assert result.returncode == 0, result.output
    page = result.page("acme")
    timeline = _section(page, "history")
    assert "uncommitted" in _text(re.findall(r'<p class="pf-timeline__head">(.*?)</p>', timeline, re.S)[0])
    assert hostile not in page and html.escape(hostile, quote=False) in page


def test_no_history_no_section_and_no_columns(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {"acme.md": PLAN}, people=PEOPLE)
    result = build(site, env={**ENVIRONMENT, "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.returncode == 0, result.output
    page = result.page("acme")
    assert "pf-part--changes" not in page and "pf-part--history" not in page and "pf-slip" not in page
    assert "Changes since" not in (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "this build had none (its log says why)" in result.page("portfolio/slipped")
