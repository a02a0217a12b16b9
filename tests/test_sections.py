"""Front matter read in sections (yamltree.Sections) reads exactly as read whole, whatever the versions of a plan
read before it; and the sections a version shares with one read before are not parsed again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planfolio.core.derive.events import events
from planfolio.core.model import Explained
from planfolio.core.read import yamltree
from planfolio.core.read.plan import read_plan
from planfolio.core.read.yamltree import Mapping, Node, Scalar, Sections, Sequence

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted([*(ROOT / "tests" / "corpus").glob("*.md"), *(ROOT / "plans").glob("*.md")])
TEXTS = [text for path in PLANS if (text := yamltree.decode(path.read_bytes())[0]) is not None]
# What an edit puts into a line: YAML's indicators, indentation, line breaks, markers, quotes left open.
PIECES = ['"', "'", "[", "]", "{", "}", ": ", " ", "#", "|", "|+", ">", "- ", "&a ", "*a", "!x ", "\n", "\n  ", "\n- ", "\n  - ", "x", ",", "? ", "\t", "...", "---", "%", "\u2028"]


def tree(node: Node | None) -> Any:
    """A node tree as plain data: every text, style and position."""
    if node is None:
        return None
    if type(node) is Scalar:
        return ("scalar", node.text, node.plain, node.line, node.column, node.alias)
    if type(node) is Sequence:
        return ("sequence", node.line, node.column, [tree(item) for item in node.items])
    assert type(node) is Mapping
    return ("mapping", node.line, node.column, [(name, tree(key), tree(value)) for name, (key, value) in node.entries.items()])


def read_both(text: str, sections: Sections) -> tuple[Any, Any]:
    whole, in_sections = yamltree.read(text), yamltree.read(text, sections)
    return (tree(whole.root), whole.problems, whole.notes), (tree(in_sections.root), in_sections.problems, in_sections.notes)


def edited(text: str, edits: list[tuple[int, int, int, int]]) -> list[str]:
    """The versions a run of edits makes of `text`, each edit on the version before: a piece put into a line, a
    line dropped, a line written twice, two lines swapped."""
    versions = [text]
    for where, what, piece, other in edits:
        lines = versions[-1].split("\n")
        line = where % len(lines)
        if what == 0:
            column = other % (len(lines[line]) + 1)
            lines[line] = lines[line][:column] + PIECES[piece % len(PIECES)] + lines[line][column:]
        elif what == 1 and len(lines) > 2:
            del lines[line]
        elif what == 2:
            lines.insert(line, lines[other % len(lines)])
        else:
            swap = other % len(lines)
            lines[line], lines[swap] = lines[swap], lines[line]
        versions.append("\n".join(lines))
    return versions


EDITS = st.lists(st.tuples(st.integers(0, 400), st.integers(0, 3), st.integers(0, 100), st.integers(0, 400)), max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), EDITS)
def test_every_version_reads_as_it_reads_whole(text: str, edits: list[tuple[int, int, int, int]]) -> None:
    sections = Sections()
    versions = edited(text, edits)
    for version in [*versions, *reversed(versions)]:  # newest first too, as history reads them
        whole, in_sections = read_both(version, sections)
        assert in_sections == whole


def front_matter(text: str) -> str | None:
    start = text.find("\n") + 1
    closing = yamltree._closing_fence(text, start) if text.startswith("---\n") else -1
    return text[start:closing] if closing >= 0 else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([found for text in TEXTS if (found := front_matter(text)) is not None]), EDITS)
def test_the_keys_found_in_the_changed_lines_alone_are_those_found_in_the_whole(source: str, edits: list[tuple[int, int, int, int]]) -> None:
    """A version's top-level keys found from the version read before it, looking only at the lines where the two
    differ, are the keys found in the whole text (or not found that way at all)."""
    versions = edited(source, edits)
    for newer, older in zip(versions[1:], versions):  # each older version after the newer, as history reads them
        keys = yamltree._top_keys(newer) if yamltree._sections_read_alike(newer) else None
        if keys is None:
            continue
        last = yamltree._Cuts(newer, 2, keys, [yamltree._section_key(newer, key, 2) for key in keys])
        found = last.keys_of(older, 2)
        if found is not None:
            whole = yamltree._top_keys(older)
            assert whole is not None and yamltree._sections_read_alike(older)
            assert found == (whole, [yamltree._section_key(older, key, 2) for key in whole])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([found for text in TEXTS if (found := front_matter(text)) is not None]), EDITS)
def test_a_list_cut_again_only_where_it_changed_is_cut_as_its_whole_text_is(source: str, edits: list[tuple[int, int, int, int]]) -> None:
    """A version's list cut into its items from how the version read before it was cut, looking only at the
    lines where the two differ, is cut as its whole text is (or not cut that way at all)."""
    versions = edited(source, edits)
    for newer, older in zip(versions[1:], versions):
        newer_keys, older_keys = yamltree._top_keys(newer), yamltree._top_keys(older)
        if newer_keys is None or older_keys is None or len(newer_keys) != len(older_keys):
            continue
        for newer_key, older_key in zip(newer_keys, older_keys):
            newer_text, older_text = newer[newer_key.start : newer_key.end], older[older_key.start : older_key.end]
            span = yamltree._key_span(newer_text, 0, newer_key.at - newer_key.start, len(newer_text), 0)
            found = yamltree._recut_list(newer_text, span, older_text) if span.items else None
            if found is not None:
                recut, before, after = found
                assert recut == yamltree._key_span(older_text, 0, older_key.at - older_key.start, len(older_text), 0)
                # The items not cut again are the same text as before, shifted alike.
                shift = len(older_text) - len(newer_text)
                kept = [*zip(span.items[:before], recut.items[:before]), *zip(span.items[after:], recut.items[len(recut.items) - (len(span.items) - after) :])]
                assert all(newer_text[first.start : first.end] == older_text[again.start : again.end] and first.line == again.line for first, again in kept)
                assert all(again.start == first.start + shift for first, again in kept[before:])


def test_the_corpus_and_the_example_read_as_they_read_whole_once_and_again() -> None:
    sections = Sections()
    for text in TEXTS + TEXTS:
        whole, in_sections = read_both(text, sections)
        assert in_sections == whole


PLAN = """---
account: ACME
owner: Dana Kim
goal:
  statement: Grow
commitments:
  - id: C1
    title: First
    due: 2027-01-15
  - id: C2
    title: Second
    due: 2027-02-15
  - id: C3
    title: Third
    due: 2027-03-15
---
"""


def test_a_version_that_changes_one_item_parses_that_item_alone() -> None:
    sections = Sections()
    yamltree.read(PLAN, sections)  # read whole: every section kept
    assert sections.read_alone == 0
    moved = yamltree.read(PLAN.replace("2027-02-15", "2027-04-01"), sections)
    assert sections.read_alone == 1
    commitments = moved.root.entries["commitments"][1] if type(moved.root) is Mapping else None
    assert type(commitments) is Sequence
    second = commitments.items[1]
    assert type(second) is Mapping and second.entries["due"][1].text == "2027-04-01"
    assert (second.entries["due"][1].line, second.entries["due"][1].column) == (12, 10)
    # The other sections are the very nodes read before: nothing else was parsed.
    again = yamltree.read(PLAN, sections)
    assert sections.read_alone == 1 and type(again.root) is Mapping


def test_a_quote_left_open_across_a_key_is_read_whole_with_its_error() -> None:
    sections = Sections()
    yamltree.read(PLAN, sections)
    broken = PLAN.replace("title: Second", 'title: "Second')
    whole, in_sections = read_both(broken, sections)
    assert in_sections == whole
    assert any("YAML syntax error" in problem.message for problem in whole[1])


PEOPLE = frozenset(("Dana Kim", "Luis Ortega", "Mia Chen"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), EDITS)
def test_every_version_reads_as_the_same_plan_with_the_same_findings(text: str, edits: list[tuple[int, int, int, int]]) -> None:
    """The readers' own sharing (an item, a list, a model item read or made once for the versions that share its
    nodes) gives the plan and findings of reading each version on its own."""
    sections = Sections(PEOPLE)
    versions = edited(text, edits)
    for version in [*versions, *reversed(versions)]:
        alone = read_plan("plans/acme.md", "acme", yamltree.read(version), PEOPLE, Explained())
        shared = read_plan("plans/acme.md", "acme", yamltree.read(version, sections), PEOPLE, Explained())
        assert shared == alone


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), EDITS)
def test_the_events_between_versions_read_through_sections_are_those_of_the_versions_read_alone(text: str, edits: list[tuple[int, int, int, int]]) -> None:
    """Lists and items shared by two versions (read once, made once) are skipped by their events: what is left
    out so is what has no event."""
    sections = Sections(PEOPLE)
    versions = edited(text, edits)
    shared = [read_plan("plans/acme.md", "acme", yamltree.read(version, sections), PEOPLE)[0] for version in reversed(versions)][::-1]
    alone = [read_plan("plans/acme.md", "acme", yamltree.read(version), PEOPLE)[0] for version in versions]
    for older, newer in zip(range(len(versions)), range(1, len(versions))):
        assert events(shared[older], shared[newer]) == events(alone[older], alone[newer])
