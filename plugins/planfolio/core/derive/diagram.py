"""The constraint diagram of a plan as Mermaid flowchart source.

Plan text is untrusted and the diagram source reaches the page and Mermaid's parser, so every label is
quoted, and every character that could end a label, start a statement or directive, or form HTML is
written as a Mermaid entity code. Node ids are generated, never taken from the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import codes
from ..model import Commitment
from .chain import Chain, gaps

# What the site's Mermaid is configured to draw (its `maxTextSize` and `maxEdges`); a larger diagram is not
# drawn at all. The one place these numbers live: the site's Mermaid configuration is to be given MERMAID_CONFIG.
MERMAID_MAX_TEXT_SIZE = 200_000
MERMAID_MAX_EDGES = 2_000
MERMAID_CONFIG = {"maxTextSize": MERMAID_MAX_TEXT_SIZE, "maxEdges": MERMAID_MAX_EDGES}
_EDGE = re.compile(r"  \w+ (?:-->|-\.->|-\.-|-\. prevents \.->) \w+")  # the edge statements mermaid() writes

# `#` first: every later replacement writes a `#`. `%` stops `%%{init}%%` directives and `%%` comments.
_ENTITIES = (
    ("#", "#35;"),
    ('"', "#quot;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("&", "#amp;"),
    ("`", "#96;"),
    ("%", "#37;"),
)

# The layout: Mermaid's ELK (the site serves and registers it, see assets.py) routes every edge around the boxes
# that are not its own; Mermaid's default, dagre, draws some edges straight through a box, so that a condition
# seems to serve a CSF it does not. Front matter rather than an `%%{init}%%` directive: plan text may never
# start a directive, and the diagram's own settings stay apart from its statements.
HEADER = "---\nconfig:\n  layout: elk\n---\nflowchart BT"

# A node's state is its colour and border (and said once, in the legend under the diagram); its label names the
# item. The states in words are the diagram's accessible description, for a screen reader.
CLASS_STYLES = {
    "goal": "fill:#fff1c2,stroke:#8a6200,color:#3d2b00,stroke-width:3px,font-weight:bold",
    "csf": "fill:#dbe9fb,stroke:#1a4d8f,color:#0d2a52",
    "condition": "fill:#eef3f8,stroke:#51667a,color:#1c2833",
    "obstacle": "fill:#fdebd3,stroke:#b35900,color:#4d2600",
    "commitment": "fill:#ffffff,stroke:#51667a,color:#1c2833",
    "achieved": "fill:#d8f0dc,stroke:#1e7b34,color:#0f3d1a",
    "doing": "fill:#efe6f7,stroke:#6a3d9a,color:#2e1a47",
    "done": "fill:#d8f0dc,stroke:#1e7b34,color:#0f3d1a",
    "overdue": "fill:#fbe0e0,stroke:#b3261e,color:#5c0f0a,stroke-width:3px",
    "dropped": "fill:#f2f2f2,stroke:#8a8a8a,color:#555555,stroke-dasharray:4 3",
    "missing": "fill:#fff8e1,stroke:#b35900,color:#4d2600,stroke-dasharray:6 4",
}
# What each class says, in the legend's words (`done` looks as `achieved` does: one entry for both).
LEGEND_WORDS = {
    "goal": "goal",
    "csf": "critical success factor",
    "condition": "necessary condition",
    "obstacle": "obstacle",
    "commitment": "commitment",
    "achieved": "within reach, achieved, met, overcome or done",
    "doing": "doing",
    "overdue": "overdue",
    "dropped": "dropped",
    "missing": "missing link",
}
NON_BREAKING_HYPHEN = "\u2011"
KINDS = ("goal", "csf", "condition", "obstacle", "commitment")  # the classes that name a kind, not a state


MISSING_LINK = {codes.CSF_WITHOUT_CONDITION: "necessary condition", codes.CONDITION_WITHOUT_OBSTACLE: "obstacle", codes.OBSTACLE_WITHOUT_COMMITMENT: "commitment"}


def label(text: str) -> str:
    """Plan text as the inside of a quoted Mermaid label: one line, nothing Mermaid or HTML would interpret."""
    text = " ".join(text.split())  # newlines would start new statements (`click`, `classDef`, ...)
    for raw, code in _ENTITIES:
        text = text.replace(raw, code)
    return "".join(character if character.isprintable() else " " for character in text)


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One swatch of the legend: what it says and how a node in that state is drawn."""

    words: str
    kind: bool  # the colour of an open item of a kind, or a state's
    fill: str
    stroke: str
    stroke_width: str
    dashed: bool


@dataclass(slots=True)
class _Drawing:
    lines: list[str] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in CLASS_STYLES})
    states: dict[str, list[str]] = field(default_factory=dict)  # heading -> "CSF1 open", ... for the description
    looks: set[str] = field(default_factory=set)  # the classes that decide how some node looks (its last)

    def node(self, node_id: str, lines: tuple[str, ...], shape: tuple[str, str], *class_names: str | None) -> None:
        """A node whose label is `lines` of plan text, each escaped; `<br>`, the only markup, is the core's own."""
        self.lines.append(f'  {node_id}{shape[0]}"{"<br>".join(label(line) for line in lines)}"{shape[1]}')
        named = [class_name for class_name in class_names if class_name]
        for class_name in named:
            self.classes[class_name].append(node_id)
        self.looks.add(named[-1])

    def state(self, heading: str, item_id: str, state: str) -> None:
        self.states.setdefault(heading, []).append(f"{item_id} {state}")


def _commitment_state(commitment: Commitment, overdue: bool) -> tuple[str, str | None]:
    """(the state in words, the class that draws it)."""
    if overdue:
        return "overdue", "overdue"
    return commitment.status, commitment.status if commitment.status != "open" else None


def _draw_items(chain: Chain, drawing: _Drawing, node_of: dict[str, str]) -> None:
    plan = chain.plan
    for number, csf in enumerate(plan.csfs, 1):
        node_of[csf.id] = f"F{number}"
        achieved = csf.id in chain.achieved
        drawing.node(f"F{number}", (f"{csf.id}: {csf.title}",), ("[", "]"), "csf", "achieved" if achieved else None)
        drawing.state("Critical success factors", csf.id, "achieved" if achieved else "open")
        drawing.lines.append(f"  F{number} --> G")
    for number, condition in enumerate(plan.conditions, 1):
        node_of[condition.id] = f"N{number}"
        state = "met" if condition.met else "achieved" if condition.id in chain.achieved else "open"
        drawing.node(f"N{number}", (f"{condition.id}: {condition.title}",), ("(", ")"), "condition", "achieved" if state != "open" else None)
        drawing.state("Necessary conditions", condition.id, state)
        drawing.lines += [f"  N{number} --> {node_of[csf_id]}" for csf_id in condition.csfs]
    for number, obstacle in enumerate(plan.obstacles, 1):
        node_of[obstacle.id] = f"O{number}"
        overcome = obstacle.id in chain.overcome
        drawing.node(f"O{number}", (f"{obstacle.id}: {obstacle.title}",), ("{{", "}}"), "obstacle", "achieved" if overcome else None)
        drawing.state("Obstacles", obstacle.id, "overcome" if overcome else "open")
        drawing.lines += [f"  O{number} -. prevents .-> {node_of[condition_id]}" for condition_id in obstacle.conditions]
    for number, commitment in enumerate(plan.commitments, 1):
        state, state_class = _commitment_state(commitment, commitment.is_overdue(chain.today))
        # Non-breaking hyphens: a browser may break a line after "2027-03-", in the middle of the date.
        due = commitment.due.isoformat().replace("-", NON_BREAKING_HYPHEN) if commitment.due else "no date"
        owner_and_due = f"{commitment.owner or 'no owner'}, {due}"  # a line of its own
        drawing.node(f"K{number}", (f"{commitment.id}: {commitment.title}", owner_and_due), ("[", "]"), "commitment", state_class)
        drawing.state("Commitments", commitment.id, state)
        arrow = "-.-" if commitment.status == "dropped" else "-->"
        drawing.lines += [f"  K{number} {arrow} {node_of[obstacle_id]}" for obstacle_id in commitment.obstacles]


def _drawing(chain: Chain) -> _Drawing:
    plan = chain.plan
    drawing = _Drawing([HEADER, "  accTitle: Constraint diagram"])
    node_of: dict[str, str] = {}
    goal = "within reach" if chain.within_reach else "not yet within reach"
    drawing.node("G", (f"GOAL: {plan.goal.statement or plan.account}",), ("([", "])"), "goal", "achieved" if chain.within_reach else None)
    _draw_items(chain, drawing, node_of)
    if plan.status != "archived":  # the chain's gaps, shown where an author has still to fill them in
        for number, (rule, item) in enumerate(gaps(chain), 1):
            drawing.node(f"M{number}", (f"missing: {MISSING_LINK[rule]}",), ("[/", "/]"), "missing")
            drawing.lines.append(f"  M{number} -.-> {node_of[item.id]}")
    said = [f"Goal {goal}."] + [f"{heading}: {', '.join(states)}." for heading, states in drawing.states.items()]
    drawing.lines.insert(2, f"  accDescr: {label(' '.join(said))}")
    return drawing


def mermaid(chain: Chain) -> str:
    drawing = _drawing(chain)
    lines = drawing.lines + [f"  classDef {name} {style}" for name, style in CLASS_STYLES.items()]
    lines += [f"  class {','.join(node_ids)} {name}" for name, node_ids in drawing.classes.items() if node_ids]
    return "\n".join(lines) + "\n"


def legend(chain: Chain) -> list[LegendEntry]:
    """The legend of `mermaid(chain)`: the kinds and states its nodes are drawn in, each once."""
    used = _drawing(chain).looks
    if "done" in used:
        used = (used - {"done"}) | {"achieved"}
    entries = []
    for name in CLASS_STYLES:
        if name in used:
            style = dict(part.split(":", 1) for part in CLASS_STYLES[name].split(","))
            entries.append(LegendEntry(LEGEND_WORDS[name], name in KINDS, style["fill"], style["stroke"], style.get("stroke-width", "1px"), "stroke-dasharray" in style))
    return entries


def size_bound(chain: Chain) -> tuple[int, int]:
    """At least the (characters, edges) of `mermaid(chain)`, without drawing it: most plans are far below the
    limits, and drawing every plan's diagram to check it would cost `planfolio check` a tenth of its time.
    A character of plan text is at most 6 in the source (`#quot;`), a node or an edge line its text plus 80."""
    plan = chain.plan
    items = [*plan.csfs, *plan.conditions, *plan.obstacles, *plan.commitments]
    edges = len(plan.csfs) + sum(len(c.csfs) for c in plan.conditions) + sum(len(o.conditions) for o in plan.obstacles)
    edges += sum(len(k.obstacles) for k in plan.commitments) + len(plan.csfs) + len(plan.conditions) + len(plan.obstacles)  # gaps
    # An id is written twice: in its node's label and in the accessible description.
    texts = len(plan.goal.statement or plan.account) + sum(2 * len(item.id) + len(item.title) + len(getattr(item, "owner", None) or "") for item in items)
    return 3_000 + 6 * texts + 80 * (len(items) + 1) + 80 * edges, edges


def diagram_size(source: str) -> tuple[int, int]:
    """(characters, edges) of Mermaid source, as Mermaid counts them: JavaScript string length, edge statements."""
    characters = len(source.encode("utf-16-le")) // 2  # a character beyond U+FFFF is two in JavaScript
    edges = sum(1 for line in source.splitlines() if _EDGE.fullmatch(line))
    return characters, edges
