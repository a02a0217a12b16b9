"""The constraint diagram's Mermaid source: its layout, its labels (no state words; owner and due on a line of their
own), the states in words in its accessible description, and its legend. How it draws: test_browser_diagram.py."""

from __future__ import annotations

import re
from datetime import date

from planfolio.core.derive.chain import Chain
from planfolio.core.derive.diagram import CLASS_STYLES, legend, mermaid
from planfolio.core.portfolio import read_text
from planfolio.core.settings import Limits
from sitebuild import PLAN, TODAY


def chain_of(text: str) -> Chain:
    report = read_text("acme.md", "acme", text.encode("utf-8"), date.fromisoformat(TODAY), Limits(), None)
    assert report.chain is not None, report.findings
    return report.chain


def test_the_diagram_asks_for_the_elk_layout_in_its_front_matter() -> None:
    assert mermaid(chain_of(PLAN)).startswith("---\nconfig:\n  layout: elk\n---\nflowchart BT\n")


def test_a_commitment_shows_owner_and_due_on_a_line_of_their_own_and_no_state() -> None:
    source = mermaid(chain_of(PLAN))
    assert '  K1["C1: Reference visit to the Mueller plant with the engineering lead<br>Luis Ortega, 2027\u201102\u201115"]\n' in source
    assert '  K2["C2: Total-cost-of-ownership case signed off by our CFO<br>Mia Chen, 2027\u201103\u201131"]\n' in source
    assert '  G(["GOAL: Grow ACME revenue from EUR 2.0 M to EUR 3.5 M in FY2027"])\n' in source
    assert " | " not in source


def test_plan_text_never_makes_a_line_break_or_any_other_markup() -> None:
    hostile = "<br>two<br/>lines | open <b>bold</b>"
    source = mermaid(chain_of(PLAN.replace("title: Reference visit to the Mueller plant with the engineering lead", f'title: "{hostile}"')))
    [k1] = [line for line in source.splitlines() if line.startswith("  K1[")]
    assert k1 == '  K1["C1: #lt;br#gt;two#lt;br/#gt;lines | open #lt;b#gt;bold#lt;/b#gt;<br>Luis Ortega, 2027\u201102\u201115"]'
    assert source.count("<br>") == 2  # one for each commitment, and no other markup
    assert "<" not in source.replace("<br>", "").replace("-->", "").replace(".->", "")


def test_the_states_in_words_are_the_diagrams_description() -> None:
    source = mermaid(chain_of(PLAN.replace("    due: 2027-02-15\n", "    due: 2026-11-01\n")))
    [description] = re.findall(r"^  accDescr: (.*)$", source, re.M)
    assert description == (
        "Goal not yet within reach. Critical success factors: CSF1 open, CSF2 open. Necessary conditions: NC1 open, NC2 open, NC3 met. "
        "Obstacles: OB1 open, OB2 open. Commitments: C1 overdue, C2 doing."
    )
    assert "  accTitle: Constraint diagram\n" in source


def test_a_goal_within_reach_is_drawn_as_achieved() -> None:
    done = PLAN.replace("    due: 2027-02-15\n", "    due: 2027-02-15\n    status: done\n").replace("    status: doing\n", "    status: done\n")
    source = mermaid(chain_of(done))
    assert "Goal within reach." in source
    assert re.search(r"^  class [^ ]*\bG\b[^ ]* achieved$", source, re.M), source


def test_the_legend_names_each_look_the_diagram_draws_once() -> None:
    entries = legend(chain_of(PLAN))  # open items of every kind, a met condition, a commitment being done
    assert [(entry.words, entry.kind) for entry in entries] == [
        ("goal", True),
        ("critical success factor", True),
        ("necessary condition", True),
        ("obstacle", True),
        ("commitment", True),
        ("within reach, achieved, met, overcome or done", False),
        ("doing", False),
    ]
    goal = entries[0]
    assert (goal.fill, goal.stroke, goal.stroke_width, goal.dashed) == ("#fff1c2", "#8a6200", "3px", False)
    dropped = PLAN.replace("    status: doing\n", "    status: dropped\n")  # C2 dropped: OB2 has no live commitment
    words = [entry.words for entry in legend(chain_of(dropped))]
    assert "doing" not in words and "dropped" in words and "missing link" in words
    assert next(entry for entry in legend(chain_of(dropped)) if entry.words == "dropped").dashed
    assert {entry.fill for entry in legend(chain_of(dropped))} <= {style.split(",")[0].removeprefix("fill:") for style in CLASS_STYLES.values()}
