"""What `planfolio check` passes, `mkdocs build` builds; what it fails, the build fails the same way — for
names that make file names, folders that clash with planfolio's own files, and how plan files are found."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from icalendar import Calendar

from planfolio.cli import main as planfolio
from sitebuild import PEOPLE, PLAN, TODAY, build, write_site


def _check(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[dict[str, object]]]:
    monkeypatch.chdir(site)
    capsys.readouterr()
    status = planfolio(["check", "--format", "json", "--today", TODAY])
    return status, json.loads(capsys.readouterr().out or "[]")


def _errors(findings: list[dict[str, object]]) -> list[tuple[object, object]]:
    return sorted((finding["path"], finding["code"]) for finding in findings if finding["severity"] == "error")


def test_names_holding_newlines_and_separators_build_and_their_calendars_parse(tmp_path, capsys, monkeypatch):
    odd = "Nils\nBerg, Sales; EMEA\\"
    plan = PLAN.replace("team: [Luis Ortega, Mia Chen]", f"team: [Luis Ortega, {json.dumps(odd)}]")
    plan = plan.replace("owner: Mia Chen\n    due", f"owner: {json.dumps(odd)}\n    due")
    site = write_site(tmp_path, {"acme.md": plan}, people=[*PEOPLE, "Nils"])
    (site / "people.yml").write_text("".join(f"- {json.dumps(name)}\n" for name in [*PEOPLE, odd]), encoding="utf-8")
    assert _check(site, capsys, monkeypatch)[0] == 0
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    feeds = sorted((result.out / "portfolio" / "owners").glob("*.ics"))
    assert feeds and all(feed.stat().st_size > 100 for feed in feeds)
    [mine] = [feed for feed in feeds if feed.name.startswith("nils")]
    calendar = Calendar.from_ical(mine.read_bytes())
    assert [str(event["summary"]) for event in calendar.walk("VEVENT")] == ["ACME Manufacturing GmbH: Total-cost-of-ownership case signed off by our CFO"]
    assert b"\nBerg" not in mine.read_bytes().replace(b"\r\n ", b"")  # escaped, not a new content line


def test_very_long_tags_and_names_make_bounded_file_names(tmp_path, capsys, monkeypatch):
    tag, person = "t" * 259 + "x", "Ö" * 260
    plan = PLAN.replace("tags: [manufacturing, emea]", f"tags: [{tag}, {tag[:-1]}y]").replace("owner: Mia Chen\n    due", f"owner: {person}\n    due")
    site = write_site(tmp_path, {"acme.md": plan}, people=[*PEOPLE, person])
    assert _check(site, capsys, monkeypatch)[0] == 0
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    names = [path.name for path in result.out.rglob("*")]
    assert max(len(name) for name in names) <= 70
    tag_pages = sorted(path.name for path in (result.out / "portfolio" / "tags").iterdir() if path.is_dir())
    assert len(tag_pages) == 2 and all(page.startswith("ttt") for page in tag_pages)  # cut to the same slug, still apart


@pytest.mark.parametrize("folder", ["portfolio.json", "commitments.ics", "portfolio", "assets"])
def test_a_plan_where_planfolio_writes_is_an_error_in_check_and_build(tmp_path, capsys, monkeypatch, folder):
    site = write_site(tmp_path, {"acme.md": PLAN, f"{folder}/beta.md": PLAN.replace("ACME Manufacturing GmbH", "Beta")}, people=PEOPLE)
    status, findings = _check(site, capsys, monkeypatch)
    assert status == 1 and _errors(findings) == [(f"plans/{folder}/beta.md", "PF021")]
    result = build(site)
    assert result.returncode == 1 and "Traceback" not in result.output
    assert f"plans/{folder}/beta.md:1:1: error PF021 the site's \"{folder}\" is planfolio's" in result.output


def test_a_plan_named_portfolio_is_an_error_in_check_and_build(tmp_path, capsys, monkeypatch):
    site = write_site(tmp_path, {"portfolio.md": PLAN}, people=PEOPLE)
    assert _errors(_check(site, capsys, monkeypatch)[1]) == [("plans/portfolio.md", "PF021")]
    result = build(site)
    assert result.returncode == 1 and "plans/portfolio.md:1:1: error PF021" in result.output


@pytest.mark.parametrize("asset", ["assets/planfolio/planfolio.css", "assets/vendor/mermaid.min.js", "assets/vendor/tablesort.min.js"])
def test_the_sites_own_asset_is_never_replaced_silently(tmp_path, capsys, monkeypatch, asset):
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE)
    (site / "plans" / asset).parent.mkdir(parents=True, exist_ok=True)
    (site / "plans" / asset).write_text("/* mine */", encoding="utf-8")
    status, findings = _check(site, capsys, monkeypatch)
    assert status == 1 and _errors(findings) == [(f"plans/{asset}", "PF021")]  # check fails as the build will
    result = build(site)
    assert result.returncode == 1 and "Traceback" not in result.output
    assert f"planfolio: {asset} would be replaced by {asset}, which planfolio generates" in result.output


@pytest.mark.parametrize("name", ["beta.markdown", "beta.mkd", "beta.MD", "beta.mdown"])
def test_a_markdown_file_with_another_extension_is_a_misnamed_plan_for_both(tmp_path, capsys, monkeypatch, name):
    site = write_site(tmp_path, {"acme.md": PLAN, name: PLAN.replace("ACME Manufacturing GmbH", "Beta")}, people=PEOPLE)
    status, findings = _check(site, capsys, monkeypatch)
    assert status == 1 and _errors(findings) == [(f"plans/{name}", "PF021")]
    assert "rename \"" + name + "\" to \"beta.md\"" in next(f["message"] for f in findings if f["code"] == "PF021")  # lower case: a valid id
    result = build(site)
    assert result.returncode == 1 and f"plans/{name}:1:1: error PF021 plan files end in `.md`" in result.output


def test_a_markdown_file_excluded_by_not_plans_is_no_plan_for_either(tmp_path, capsys, monkeypatch):
    site = write_site(tmp_path, {"acme.md": PLAN, "about.markdown": "# About us\n"}, people=PEOPLE, options="not_plans: [about.markdown]")
    assert _check(site, capsys, monkeypatch) == (0, [])
    result = build(site, "--strict")
    assert result.returncode == 0, result.output
    assert "About us" in result.page("about/")


def test_a_symlinked_folder_of_plans_is_checked_and_built(tmp_path, capsys, monkeypatch):
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE)
    elsewhere = tmp_path / "shared-plans"
    elsewhere.mkdir()
    (elsewhere / "beta.md").write_text(PLAN.replace("ACME Manufacturing GmbH", "Beta").replace("csf: CSF1\n", "csf: CSF7\n"), encoding="utf-8")
    os.symlink(elsewhere, site / "plans" / "emea")
    status, findings = _check(site, capsys, monkeypatch)
    assert status == 1 and _errors(findings) == [("plans/emea/beta.md", "PF022")]
    result = build(site)
    assert result.returncode == 1 and "plans/emea/beta.md:23:10: error PF022" in result.output
    (elsewhere / "beta.md").write_text(PLAN.replace("ACME Manufacturing GmbH", "Beta"), encoding="utf-8")
    assert _check(site, capsys, monkeypatch)[0] == 0
    fixed = build(site, "--strict")
    assert fixed.returncode == 0, fixed.output
    assert "Beta" in fixed.page("emea/beta/")


def test_a_folder_linked_into_itself_fails_check_and_build_alike(tmp_path, capsys, monkeypatch):
    # MkDocs walks the link again and again (until the system's limit on links) and publishes each plan again.
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE)
    os.symlink(".", site / "plans" / "loop")
    status, findings = _check(site, capsys, monkeypatch)
    duplicates = {finding["path"] for finding in findings if finding["code"] == "PF021"}
    assert status == 1 and "plans/loop/acme.md" in duplicates and "plans/loop/loop/acme.md" in duplicates
    result = build(site)
    assert result.returncode == 1 and "Traceback" not in result.output
    built = set(re.findall(r"planfolio: (\S+):1:1: error PF021 plan id `acme` is already the id of plans/acme.md", result.output))
    assert built == duplicates


def test_a_dangling_symlink_is_an_unreadable_plan_for_both(tmp_path, capsys, monkeypatch):
    site = write_site(tmp_path, {"acme.md": PLAN}, people=PEOPLE)
    os.symlink(tmp_path / "gone.md", site / "plans" / "gone.md")
    status, findings = _check(site, capsys, monkeypatch)
    assert status == 1 and _errors(findings) == [("plans/gone.md", "PF001")]
    result = build(site)
    assert result.returncode == 1 and "Traceback" not in result.output
    assert "plans/gone.md:1:1: error PF001 cannot read the file: a link to a file that does not exist" in result.output
