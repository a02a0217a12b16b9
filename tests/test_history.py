"""The plans' history from git (issue 13): real repositories built in temporary folders, dated commits."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest

from gitrepo import git
from planfolio.core.check.history import slip_findings
from planfolio.core.derive.events import Event, events
from planfolio.core.derive.history import Diff, History, PlanDiff, diff, read_history
from planfolio.core.derive.slips import derive_history
from planfolio.core.model import Plan
from planfolio.core.portfolio import HistoryReader, check_files, history_reader, read_text
from planfolio.core.publish.diff import (
    COMMENT_LIMIT,
    as_json,
    as_markdown,
    as_text,
    md,
    sentence,
    summary,
)
from planfolio.core.read.files import find_plans
from planfolio.core.read.git import Git, GitError, NoHistory, UnknownRevision, open_repository
from planfolio.core.read.versions import VersionCache
from planfolio.core.settings import Limits
from sitebuild import PLAN

TODAY = date(2026, 12, 10)


@pytest.fixture(autouse=True)
def no_user_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """git reads neither the user's nor the system's configuration (signing, renames, hooks)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


class Repo:
    """A git work tree with a `plans/` folder, and commits dated as the test says."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.plans = root / "plans"
        self.plans.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, day: str = "2026-01-01", author: str = "Dana Kim") -> str:
        return git(self.root, *args, day=day, author=author)

    def write(self, name: str, text: str) -> None:
        (self.plans / name).write_text(text, encoding="utf-8")

    def commit(self, day: str, author: str = "Dana Kim", message: str = "edit") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, day=day, author=author)
        return self.git("rev-parse", "HEAD")


def history_of(repo: Repo, cache: VersionCache | None = None) -> History:
    found = read_history(repo.plans, TODAY, cache or VersionCache(), shown_prefix="plans/")
    assert isinstance(found, History), found
    return found


def plan_of(text: str, plan_id: str = "acme") -> Plan:
    return read_text(f"plans/{plan_id}.md", plan_id, text.encode(), TODAY, Limits(), None).plan


def triples(found: list[Event]) -> list[tuple[str, str | None, str]]:
    return [(event.kind, event.id, event.event) for event in found]


# -- versions ------------------------------------------------------------------------------------------


def test_versions_oldest_first_with_commit_date_author_and_blob(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    first = repo.commit("2026-01-05", author="Luis Ortega")
    repo.write("other.txt", "not a plan")
    repo.commit("2026-01-06")  # changes no plan: no version
    repo.write("acme.md", PLAN.replace("owner: Luis Ortega", "owner: Mia Chen"))
    second = repo.commit("2026-02-01", author="Mia Chen")
    steps = history_of(repo).plans["acme.md"].steps
    assert [(s.version.commit, s.version.date, s.version.author, s.version.uncommitted) for s in steps] == [
        (first, date(2026, 1, 5), "Luis Ortega", False),
        (second, date(2026, 2, 1), "Mia Chen", False),
    ]
    assert steps[1].version.blob == repo.git("rev-parse", "HEAD:plans/acme.md")
    assert triples(list(steps[0].events)) == [("plan", None, "added")]
    assert triples(list(steps[1].events)) == [("commitment", "C1", "owner")]


def test_committer_date_is_utc(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.git("add", "-A")
    environment = {**os.environ, "GIT_COMMITTER_DATE": "2026-03-01T23:30:00-05:00", "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00"}
    subprocess.run(["git", "-c", "user.name=X", "-c", "user.email=x@x", "commit", "-qm", "late"], cwd=tmp_path, env=environment, check=True)
    assert history_of(repo).plans["acme.md"].steps[0].version.date == date(2026, 3, 2)


def test_working_tree_is_the_newest_version_where_it_differs_from_head(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.write("kept.md", PLAN)
    repo.write("gone.md", PLAN)
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("due: 2027-02-15", "due: 2027-03-01"))
    repo.write("new.md", PLAN)
    (repo.plans / "gone.md").unlink()
    plans = history_of(repo).plans
    newest = plans["acme.md"].steps[-1]
    assert newest.version.uncommitted and newest.version.date == TODAY and newest.version.author is None
    assert triples(list(newest.events)) == [("commitment", "C1", "due")] and newest.events[0].days == 14
    assert len(plans["kept.md"].steps) == 1  # unchanged: HEAD is its newest version
    assert [s.version.uncommitted for s in plans["new.md"].steps] == [True]
    assert plans["gone.md"].steps[-1].plan is None and triples(list(plans["gone.md"].steps[-1].events)) == [("plan", None, "removed")]


def test_a_staged_change_is_the_working_tree_version(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("status: doing", "status: done"))
    repo.git("add", "-A")
    steps = history_of(repo).plans["acme.md"].steps
    assert len(steps) == 2 and steps[-1].version.uncommitted


def test_a_rename_shows_as_the_old_plan_removed_and_the_new_one_added(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.git("mv", "plans/acme.md", "plans/acme-gmbh.md")
    repo.commit("2026-02-01")
    plans = history_of(repo).plans
    assert [s.plan is None for s in plans["acme.md"].steps] == [False, True]
    assert triples(list(plans["acme.md"].steps[-1].events)) == [("plan", None, "removed")]
    renamed = plans["acme-gmbh.md"].steps
    assert len(renamed) == 1 and renamed[0].version.date == date(2026, 2, 1)
    assert renamed[0].plan is not None and renamed[0].plan.id == "acme-gmbh"
    assert derive_history(plans["acme.md"]) is None  # no plan at that path now


def test_a_plan_removed_and_added_again_keeps_its_history(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    (repo.plans / "acme.md").unlink()
    repo.commit("2026-02-01")
    repo.write("acme.md", PLAN.replace("due: 2027-02-15", "due: 2027-04-01"))
    repo.commit("2026-03-01")
    history = history_of(repo).plans["acme.md"]
    assert [triples(list(s.events)) for s in history.steps] == [[("plan", None, "added")], [("plan", None, "removed")], [("plan", None, "added")]]
    derived = derive_history(history)
    assert derived is not None
    c1 = derived.commitments["C1"]
    assert (c1.since, c1.original_due, c1.slips, c1.slipped_days) == (date(2026, 1, 5), date(2027, 2, 15), 0, 45)
    # `reviewed` never changed: the review is the first version's; the removal and the return are changes since
    assert (derived.reviewed_at, derived.changes_since_review) == (date(2026, 1, 5), 2)


def test_merges_count_as_one_first_parent_version(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.git("checkout", "-q", "-b", "topic")
    repo.write("acme.md", PLAN.replace("due: 2027-02-15", "due: 2027-03-01"))
    repo.commit("2026-01-10")
    repo.write("acme.md", PLAN.replace("due: 2027-02-15", "due: 2027-03-15"))
    repo.commit("2026-01-11")
    repo.git("checkout", "-q", "main")
    repo.write("other.md", PLAN)
    repo.commit("2026-01-12")
    repo.git("merge", "-q", "--no-ff", "-m", "merge topic", "topic", day="2026-01-20", author="Mia Chen")
    merge = repo.git("rev-parse", "HEAD")
    steps = history_of(repo).plans["acme.md"].steps
    assert [(s.version.commit, s.version.date) for s in steps[1:]] == [(merge, date(2026, 1, 20))]
    assert steps[1].events[0].days == 28  # straight from the first parent's version


# -- no history ----------------------------------------------------------------------------------------


def _shallow_clone(tmp_path: Path) -> Path:
    """The plans folder of a clone of only the last of two commits (acme's owner: Dana Kim, then Mia Chen)."""
    repo = Repo(tmp_path / "origin")
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("Dana Kim", "Mia Chen"))
    repo.commit("2026-01-06")
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(tmp_path / "clone")], check=True)
    return tmp_path / "clone" / "plans"


def test_a_shallow_clone_has_no_history_and_says_how_to_fetch_it(tmp_path: Path) -> None:
    found = read_history(_shallow_clone(tmp_path), TODAY, VersionCache())
    assert isinstance(found, NoHistory)
    assert "shallow" in found.reason and "fetch-depth: 0" in found.reason and "\n" not in found.reason


def test_a_diff_in_a_shallow_clone_reads_the_revisions_it_holds_and_says_how_to_fetch_the_others(tmp_path: Path) -> None:
    plans = _shallow_clone(tmp_path)
    (plans / "acme.md").write_text(PLAN.replace("Dana Kim", "Luis Ortega"), encoding="utf-8")
    found = diff(plans, "HEAD", None, TODAY, VersionCache(), shown_prefix="plans/")
    assert isinstance(found, Diff)
    assert [(event.event, event.old, event.new) for plan in found.plans for event in plan.events if event.kind == "plan"] == [("owner", "Mia Chen", "Luis Ortega")]
    with pytest.raises(UnknownRevision, match="which is shallow .*`git fetch --unshallow`"):
        diff(plans, "HEAD~1", None, TODAY, VersionCache(), shown_prefix="plans/")


def test_without_git_there_is_no_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repo(tmp_path / "site")
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    found = read_history(repo.plans, TODAY, VersionCache())
    assert isinstance(found, NoHistory) and "`git`" in found.reason
    assert isinstance(diff(repo.plans, "HEAD", None, TODAY, VersionCache()), NoHistory)


def test_outside_a_work_tree_there_is_no_history(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.md").write_text(PLAN, encoding="utf-8")
    found = read_history(tmp_path / "plans", TODAY, VersionCache())
    assert isinstance(found, NoHistory) and "not in a git work tree" in found.reason


def test_a_repository_another_user_owns_says_how_to_trust_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a container whose checkout is not the user's: git refuses it ("dubious ownership"); not "no work tree"."""
    repo = Repo(tmp_path / "site with space")
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own switch for testing exactly this
    found = read_history(repo.plans, TODAY, VersionCache())
    assert isinstance(found, NoHistory)
    assert "another user owns" in found.reason and "not in a git work tree" not in found.reason
    assert f"git config --global --add safe.directory '{repo.root.resolve()}'" in found.reason


def test_a_repository_without_commits_has_the_working_tree_only(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    steps = history_of(repo).plans["acme.md"].steps
    assert len(steps) == 1 and steps[0].version.uncommitted


def test_an_unknown_revision_is_an_error(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    for rev in ("no-such-branch", "--all", "HEAD:plans"):
        with pytest.raises(UnknownRevision):
            diff(repo.plans, rev, None, TODAY, VersionCache())


# -- events --------------------------------------------------------------------------------------------


EDITED = (
    PLAN.replace("account: ACME Manufacturing GmbH", "account: ACME Manufacturing SE")
    .replace("owner: Dana Kim", "owner: Mia Chen")
    .replace("status: active", "status: draft")
    .replace("reviewed: 2026-11-02", "reviewed: 2026-12-01")
    .replace("tags: [manufacturing, emea]", "tags: [manufacturing]")
    .replace("statement: Grow ACME revenue", "statement: Grow ACME sales")
    .replace("  due: 2027-12-31", "  due: 2028-01-31")
    .replace("target: 3.5", "target: 4.0\n  current: 2.4")
    .replace("unit: EUR M", "unit: MEUR")
    .replace("title: Service contract renewed on multi-year terms", "title: Service contract renewed for five years")
    .replace("    csf: [CSF1, CSF2]", "    csf: [CSF2, CSF1]")  # the same links, in another order: no event
    .replace("    csf: CSF1\n", "    csf: [CSF1, CSF2]\n", 1)
    .replace("    met: true", "    met: false")
    .replace("    condition: NC2", "    condition: [NC2, NC1]")
    .replace("    owner: Luis Ortega\n    due: 2027-02-15", "    owner: Mia Chen\n    due: 2027-03-31\n    status: doing\n    link: https://crm.example.com/1")
    .replace("    obstacle: [OB1, OB2]", "    obstacle: OB2")
    .replace("    status: doing\n---", "    status: done\n    completed: 2026-12-01\n    note: signed\n---")
)


def test_every_event_of_an_edit_in_file_order() -> None:
    found = events(plan_of(PLAN), plan_of(EDITED))
    assert triples(found) == [
        ("plan", None, "changed"), ("plan", None, "owner"), ("plan", None, "status"), ("plan", None, "changed"),
        ("plan", None, "reviewed"),
        ("goal", None, "retitled"), ("goal", None, "due"), ("goal", None, "target"), ("goal", None, "current"), ("goal", None, "changed"),
        ("csf", "CSF2", "retitled"),
        ("condition", "NC1", "links"),
        ("condition", "NC3", "met"),
        ("obstacle", "OB2", "links"),
        ("commitment", "C1", "status"), ("commitment", "C1", "owner"), ("commitment", "C1", "due"), ("commitment", "C1", "changed"),
        ("commitment", "C2", "status"), ("commitment", "C2", "links"), ("commitment", "C2", "changed"), ("commitment", "C2", "changed"),
    ]
    by = {(e.kind, e.id, e.event, e.key): e.as_dict() for e in found}
    assert by[("plan", None, "changed", "account")] | {"line": 0, "column": 0} == {
        "plan": "acme", "kind": "plan", "id": None, "event": "changed", "from": "ACME Manufacturing GmbH",
        "to": "ACME Manufacturing SE", "key": "account", "line": 0, "column": 0,
    }
    assert by[("plan", None, "status", None)]["from"] == "active"
    assert by[("commitment", "C1", "status", None)]["from"] == "open"  # the default, written out
    assert by[("goal", None, "due", None)]["days"] == 31
    assert by[("goal", None, "current", None)]["from"] is None and by[("goal", None, "current", None)]["to"] == 2.4
    # Every goal event stands at the goal's key (line 9 of the file), not at the plan's first key.
    assert {(e.line, e.column) for e in found if e.kind == "goal"} == {(9, 1)}
    assert by[("condition", "NC1", "links", None)]["to"] == ["CSF1", "CSF2"]
    assert by[("obstacle", "OB2", "links", None)]["to"] == ["NC1", "NC2"]
    assert (by[("condition", "NC3", "met", None)]["from"], by[("condition", "NC3", "met", None)]["to"]) == (True, False)
    assert by[("commitment", "C1", "due", None)]["days"] == 44
    assert by[("commitment", "C1", "changed", "link")]["to"] == "https://crm.example.com/1"
    assert by[("plan", None, "changed", "tags")]["to"] == ["manufacturing"]


def test_items_added_and_removed_where_they_stand() -> None:
    new = PLAN.replace(
        "  - id: CSF2\n    title: Service contract renewed on multi-year terms\n", ""
    ).replace("    csf: [CSF1, CSF2]", "    csf: CSF1").replace("    csf: CSF2\n", "    csf: CSF1\n").replace(
        "commitments:\n", "commitments:\n  - id: C0\n    title: Kick-off call\n    obstacle: OB1\n    owner: Dana Kim\n    due: 2027-01-10\n"
    )
    old_plan, new_plan = plan_of(PLAN), plan_of(new)
    found = events(old_plan, new_plan)
    assert triples(found) == [
        ("csf", "CSF2", "removed"), ("condition", "NC2", "links"), ("condition", "NC3", "links"), ("commitment", "C0", "added"),
    ]
    removed, added = found[0], found[-1]
    assert (removed.old, removed.new, (removed.line, removed.column)) == ("Service contract renewed on multi-year terms", None, old_plan.csfs[1].at["item"])
    assert (added.old, added.new, (added.line, added.column)) == (None, "Kick-off call", new_plan.commitments[0].at["item"])


def test_a_plan_added_or_removed_is_one_event() -> None:
    plan = plan_of(PLAN)
    assert [e.as_dict() | {"line": 0} for e in events(None, plan)] == [
        {"plan": "acme", "kind": "plan", "id": None, "event": "added", "from": None, "to": "ACME Manufacturing GmbH", "line": 0, "column": 1}
    ]
    assert triples(events(plan, None)) == [("plan", None, "removed")]
    assert events(plan, plan_of(PLAN.replace("Notes:", "More notes:"))) == []  # the notes are no key


def test_goal_added_and_removed() -> None:
    without = plan_of(PLAN.replace("goal:\n  statement:", "gaol:\n  statement:"))
    assert triples(events(without, plan_of(PLAN))) == [("goal", None, "added")]
    assert triples(events(plan_of(PLAN), without)) == [("goal", None, "removed")]


def test_a_version_with_errors_takes_part_with_what_could_be_read(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("  - id: C1\n", "  - id: 1C\n").replace("due: 2027-03-31", "due: 2027-04-30"))
    repo.commit("2026-01-06")
    repo.write("acme.md", "---\naccount: [unclosed\n---\n")
    repo.commit("2026-01-07")
    repo.write("acme.md", PLAN.replace("due: 2027-03-31", "due: 2027-05-31"))
    repo.commit("2026-01-08")
    steps = history_of(repo).plans["acme.md"].steps
    assert triples(list(steps[1].events)) == [("commitment", "C1", "removed"), ("commitment", "C2", "due")]
    assert steps[2].events == ()  # nothing could be read: the next version is compared with the last read
    assert triples(list(steps[3].events)) == [("commitment", "C1", "added"), ("commitment", "C2", "due")]


# -- derived -------------------------------------------------------------------------------------------


def _slipping_repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN.replace("reviewed: 2026-11-02\n", ""))
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("due: 2027-03-31", "due: 2027-04-30"))  # C2 slips 30 days; reviewed
    repo.commit("2026-02-01")
    repo.write("acme.md", PLAN.replace("due: 2027-03-31", "due: 2027-04-20"))  # earlier: no slip
    repo.commit("2026-03-01")
    repo.write("acme.md", PLAN.replace("due: 2027-03-31", "due: 2027-05-31").replace("Dana Kim", "Mia Chen"))
    repo.commit("2026-04-01")
    return repo


def test_derived_fields_of_commitments_and_plan(tmp_path: Path) -> None:
    history = history_of(_slipping_repo(tmp_path)).plans["acme.md"]
    derived = derive_history(history)
    assert derived is not None
    c2 = derived.commitments["C2"]
    assert (c2.original_due, c2.slips, c2.slipped_days, c2.since) == (date(2027, 3, 31), 2, 61, date(2026, 1, 5))
    c1 = derived.commitments["C1"]
    assert (c1.original_due, c1.slips, c1.slipped_days) == (date(2027, 2, 15), 0, 0)
    assert derived.last_changed == date(2026, 4, 1)
    assert derived.reviewed_at == date(2026, 2, 1)
    assert derived.changes_since_review == 3  # C2 due (earlier), C2 due (slip), plan owner


def test_never_reviewed_counts_every_event(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN.replace("reviewed: 2026-11-02\n", ""))
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("reviewed: 2026-11-02\n", "").replace("Dana Kim", "Mia Chen"))
    repo.commit("2026-01-06")
    derived = derive_history(history_of(repo).plans["acme.md"])
    assert derived is not None and (derived.reviewed_at, derived.changes_since_review) == (None, 2)


def test_a_plan_added_reviewed_was_reviewed_then(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("  - id: C1\n", "  - id: C9\n"))
    derived = derive_history(history_of(repo).plans["acme.md"])
    assert derived is not None
    assert (derived.reviewed_at, derived.changes_since_review, derived.last_changed) == (date(2026, 1, 5), 2, TODAY)
    assert derived.commitments["C9"].since == TODAY


def test_pf202_for_a_live_open_commitment_that_slipped_twice(tmp_path: Path) -> None:
    history = history_of(_slipping_repo(tmp_path)).plans["acme.md"]
    derived = derive_history(history)
    assert derived is not None
    plan = history.steps[-1].plan
    assert plan is not None
    [finding] = slip_findings(plan, derived, slip_limit=2)
    c2 = plan.commitments[1]
    assert (finding.code, finding.severity.value, (finding.line, finding.column)) == ("PF202", "info", c2.at["due"])
    assert finding.message == (
        'commitment C2 "Total-cost-of-ownership case signed off by our CFO" has slipped 2 times: first due 2027-03-31, now due 2027-05-31, 61 days later'
    )
    assert slip_findings(plan, derived, slip_limit=3) == []
    done = plan_of(PLAN.replace("status: doing", "status: done"))
    assert slip_findings(done, derived, slip_limit=2) == []
    dropped = plan_of(PLAN.replace("status: doing", "status: dropped"))
    assert slip_findings(dropped, derived, slip_limit=2) == []


def test_check_reads_only_the_history_that_can_hold_a_pf202(tmp_path: Path) -> None:
    """A due slips at most once a version, so `check` reads the history of a plan only where it has more
    versions than the slip limit: acme's four (two slips), not beta's two."""
    repo = _slipping_repo(tmp_path)
    repo.write("beta.md", PLAN.replace("ACME", "Beta"))
    repo.commit("2026-04-02")
    repo.write("beta.md", PLAN.replace("ACME", "Beta").replace("due: 2027-03-31", "due: 2027-04-30"))
    repo.commit("2026-04-03")
    sources = find_plans(repo.plans, (), repo.root)
    for limit, parsed, found in ((2, 3, ["plans/acme.md"]), (1, 4, ["plans/acme.md", "plans/beta.md"]), (5, 0, [])):
        cache = VersionCache()
        history = history_reader(repo.plans, TODAY, cache, (), "plans/")
        assert isinstance(history, HistoryReader)
        findings, missing = check_files(sources, TODAY, Limits(slip_limit=limit), None, history)
        assert missing is None
        assert sorted({finding.path for finding in findings if finding.code == "PF202"}) == found
        assert cache.parsed == parsed  # the older versions read (the newest is the file `check` read)


# -- the cache -----------------------------------------------------------------------------------------


def test_the_cache_parses_each_blob_once(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.write("beta.md", PLAN.replace("ACME", "Beta"))
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("Dana Kim", "Mia Chen"))
    repo.commit("2026-01-06")
    cache = VersionCache()
    first = history_of(repo, cache)
    assert cache.parsed == 3
    assert history_of(repo, cache) == first and cache.parsed == 3  # a second read parses no blob again
    repo.write("beta.md", PLAN.replace("ACME", "Beta").replace("Dana Kim", "Mia Chen"))
    history_of(repo, cache)
    assert cache.parsed == 4  # the working tree's new version
    repo.commit("2026-01-07")
    history_of(repo, cache)
    assert cache.parsed == 4  # committed as it was read: the same blob id
    repo.write("beta.md", PLAN.replace("ACME", "Beta"))  # back to an old blob
    repo.write("gamma.md", PLAN.replace("ACME", "Gamma"))
    repo.commit("2026-01-08")
    history_of(repo, cache)
    assert cache.parsed == 5  # only gamma's blob is new


# -- planfolio diff ------------------------------------------------------------------------------------


def _diff_repo(tmp_path: Path) -> tuple[Repo, str]:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.write("beta.md", PLAN.replace("ACME Manufacturing GmbH", "Beta <b>*AG*</b>"))
    repo.write("gone.md", PLAN.replace("ACME Manufacturing GmbH", "Gone Ltd"))
    base = repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("due: 2027-02-15", "due: 2027-03-31").replace("    met: true", "    met: false"))
    repo.write("beta.md", PLAN.replace("ACME Manufacturing GmbH", "Beta <b>*AG*</b>").replace("status: doing", "status: done")
               .replace("owner: Luis Ortega", "owner: Ingrid Solberg"))
    (repo.plans / "gone.md").unlink()
    repo.write("new.md", PLAN.replace("ACME Manufacturing GmbH", "New Co"))
    return repo, base


def test_diff_to_the_working_tree_as_text_and_json(tmp_path: Path) -> None:
    repo, base = _diff_repo(tmp_path)
    found = diff(repo.plans, "HEAD", None, TODAY, VersionCache(), shown_prefix="plans/")
    assert isinstance(found, Diff)
    lines = as_text(found).splitlines()
    acme = plan_of(PLAN)
    line, column = acme.conditions[2].at["item"]
    assert f'plans/acme.md:{line}:{column}: condition NC3 "Service quality rated good by the maintenance lead": met true \u2192 false' in lines
    line, column = acme.commitments[0].at["item"]
    assert f'plans/acme.md:{line}:{column}: commitment C1 "Reference visit to the Mueller plant with the engineering lead": due 2027-02-15 \u2192 2027-03-31 (+44 days)' in lines
    assert 'plans/gone.md:2:1: plan "Gone Ltd": removed "Gone Ltd" \u2192 null' in lines
    assert 'plans/new.md:2:1: plan "New Co": added null \u2192 "New Co"' in lines
    data = json.loads(as_json(found))
    assert data["from"] == {"rev": "HEAD", "commit": base} and data["to"] == {"rev": None, "commit": None}
    assert [plan["id"] for plan in data["plans"]] == ["acme", "beta", "gone", "new"]
    assert [event["event"] for event in data["plans"][0]["events"]] == ["met", "due"]  # file order
    assert data["plans"][1]["account"] == "Beta <b>*AG*</b>"


def test_diff_between_two_revisions_and_of_some_plans(tmp_path: Path) -> None:
    repo, base = _diff_repo(tmp_path)
    head = repo.commit("2026-02-01")
    found = diff(repo.plans, base, "HEAD", TODAY, VersionCache(), only=lambda path: path == "beta.md")
    assert isinstance(found, Diff) and found.new.commit == head
    assert [(plan.id, [e.event for e in plan.events]) for plan in found.plans] == [("beta", ["owner", "status"])]
    same = diff(repo.plans, "HEAD", None, TODAY, VersionCache())
    assert isinstance(same, Diff) and same.plans == () and as_markdown(same) == "" and as_text(same) == ""


def test_diff_as_markdown_summary_and_sections(tmp_path: Path) -> None:
    repo, _base = _diff_repo(tmp_path)
    found = diff(repo.plans, "HEAD", None, TODAY, VersionCache(), shown_prefix="plans/")
    assert isinstance(found, Diff)
    text = as_markdown(found, slips={("acme", "C1"): 2})
    assert text.startswith(
        "**4 plans changed**: 1 plan added, 1 plan removed, 1 done, 1 commitment slipped by 44 days in all.\n\n<details><summary>"
    )
    assert "C1 slipped 44 days (2027-02-15 \u2192 2027-03-31), its second slip" in text
    assert "NC3 is no longer met" in text and "C2 is done" in text
    assert "C1 handed from Luis Ortega to Ingrid Solberg" in text
    assert "<b>" not in text and "*AG*" not in text and "Beta &#60;b&#62;&#42;AG&#42;" in text
    assert text.count("<details>") == 4


def test_markdown_sentences_in_the_methods_words() -> None:
    old = plan_of(PLAN.replace("    met: true", "    met: false"))
    new = plan_of(PLAN.replace("status: doing", "status: dropped").replace("  - id: C1\n", "  - id: C5\n"))
    said = [sentence(event) for event in events(old, new)]
    assert said == [
        "NC3 is now met",
        "Commitment C1 removed: Reference visit to the Mueller plant with the engineering lead",
        "Commitment C5 added: Reference visit to the Mueller plant with the engineering lead",
        "C2 was dropped",
    ]


def test_markdown_text_is_escaped_and_one_line() -> None:
    escaped = md("<script>alert(1)</script> *x* @team\n[link](javascript:x)")
    assert "<" not in escaped and "*" not in escaped and "@" not in escaped and "\n" not in escaped and "[" not in escaped


def _big_diff(plans: int) -> Diff:
    from planfolio.core.read.git import Snapshot

    event = Event("p", "commitment", "C1", "due", "2027-01-01", "2027-02-01", "A title " * 9, 10, 5, days=31)
    found = tuple(PlanDiff(f"plan-{n:04d}", f"plans/plan-{n:04d}.md", f"Account {n}", (event,) * 20) for n in range(plans))
    return Diff(Snapshot("HEAD", "0" * 40, {}), Snapshot(None, None, {}), found)


def test_markdown_past_the_comment_limit_is_summarised() -> None:
    small = as_markdown(_big_diff(2))
    assert len(small) < COMMENT_LIMIT and "job summary" not in small
    big = _big_diff(300)
    text = as_markdown(big)
    assert len(text) <= COMMENT_LIMIT and text.startswith(summary(big) + "\n\n")
    assert "the job summary lists them all" in text and "<details>" not in text
    assert "- Account 0 (plans/plan-0000.md): 20 changes" in text
    huge = as_markdown(_big_diff(5000))
    assert len(huge) <= COMMENT_LIMIT and huge.rstrip().endswith("more plans")


def test_history_of_a_plans_folder_below_the_top(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    (repo.plans / "sub").mkdir()
    (repo.plans / "sub" / "deep.md").write_text(PLAN, encoding="utf-8")
    (tmp_path / "README.md").write_text("not in plans", encoding="utf-8")
    repo.commit("2026-01-05")
    found = history_of(repo)
    assert list(found.plans) == ["sub/deep.md"]
    plan = found.plans["sub/deep.md"].steps[0].plan
    assert plan is not None and (plan.id, plan.path) == ("deep", "plans/sub/deep.md")



def test_an_id_used_again_after_a_removal_is_a_new_commitment(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("due: 2027-02-15", "due: 2027-03-01"))  # C1 slips once
    repo.commit("2026-02-01")
    without_c1 = PLAN.split("  - id: C1\n")
    second = without_c1[1][without_c1[1].index("  - id: C2"):]
    repo.write("acme.md", without_c1[0] + second)  # C1 removed
    repo.commit("2026-03-01")
    repo.write("acme.md", PLAN.replace("title: Reference visit to the Mueller plant with the engineering lead", "title: A new thing").replace("due: 2027-02-15", "due: 2027-06-30"))
    repo.commit("2026-04-01")  # a new C1
    derived = derive_history(history_of(repo).plans["acme.md"])
    assert derived is not None
    c1 = derived.commitments["C1"]
    assert (c1.since, c1.original_due, c1.slips, c1.slipped_days) == (date(2026, 4, 1), date(2027, 6, 30), 0, 0)


def test_a_file_staged_then_put_back_is_no_new_version(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN)
    repo.commit("2026-01-05")
    repo.write("acme.md", PLAN.replace("due: 2027-02-15", "due: 2027-03-01"))
    repo.git("add", "-A")
    repo.write("acme.md", PLAN)  # the file is as HEAD has it again; the index still differs
    steps = history_of(repo).plans["acme.md"].steps
    assert [step.version.commit is None for step in steps] == [False]


def test_a_blob_git_does_not_have_fails_the_reading_and_the_session_still_ends(tmp_path: Path) -> None:
    """The blobs are asked of `git cat-file` a group at a time: when one is missing, the answers still owed
    (here a blob larger than the pipe to git holds) are read out, so ending the session does not wait forever."""
    repo = Repo(tmp_path)
    repo.write("acme.md", PLAN + "\n" + "notes line\n" * 20_000)  # some 200 KB
    repo.commit("2026-02-01")
    big = repo.git("rev-parse", "HEAD:plans/acme.md")
    opened = open_repository(repo.plans)
    assert not isinstance(opened, NoHistory)
    session = Git(opened)
    with pytest.raises(GitError, match="no blob"):
        session.fetch(["0" * 39 + "1", big])
    ended = threading.Thread(target=session.close, daemon=True)
    ended.start()
    ended.join(timeout=30)
    assert not ended.is_alive()
