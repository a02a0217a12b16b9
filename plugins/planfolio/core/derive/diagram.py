"""The constraint diagram of a plan as Mermaid flowchart source.

Plan text is untrusted and the diagram source reaches the page and Mermaid's parser, so every label is
quoted, and every character that could end a label, start a statement or directive, or form HTML is
written as a Mermaid entity code. Node ids are generated, never taken from the plan.
"""

from __future__ import annotations

import re

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

CLASS_STYLES = {
    "goal": "fill:#fff1c2,stroke:#8a6200,color:#3d2b00,stroke-width:3px,font-weight:bold",
    "csf": "fill:#dbe9fb,stroke:#1a4d8f,color:#0d2a52",
    "condition": "fill:#eef3f8,stroke:#51667a,color:#1c2833",
    "obstacle": "fill:#fdebd3,stroke:#b35900,color:#4d2600",
    "commitment": "fill:#ffffff,stroke:#51667a,color:#1c2833",
    "achieved": "fill:#d8f0dc,stroke:#1e7b34,color:#0f3d1a",
    "done": "fill:#d8f0dc,stroke:#1e7b34,color:#0f3d1a",
    "overdue": "fill:#fbe0e0,stroke:#b3261e,color:#5c0f0a,stroke-width:3px",
    "dropped": "fill:#f2f2f2,stroke:#8a8a8a,color:#555555,stroke-dasharray:4 3",
    "missing": "fill:#fff8e1,stroke:#b35900,color:#4d2600,stroke-dasharray:6 4",
}


MISSING_LINK = {codes.CSF_WITHOUT_CONDITION: "necessary condition", codes.CONDITION_WITHOUT_OBSTACLE: "obstacle", codes.OBSTACLE_WITHOUT_COMMITMENT: "commitment"}


def label(text: str) -> str:
    """Plan text as the inside of a quoted Mermaid label: one line, nothing Mermaid or HTML would interpret."""
    text = " ".join(text.split())  # newlines would start new statements (`click`, `classDef`, ...)
    for raw, code in _ENTITIES:
        text = text.replace(raw, code)
    return "".join(character if character.isprintable() else " " for character in text)


def _commitment_text(commitment: Commitment, overdue: bool) -> str:
    state = "OVERDUE" if overdue else commitment.status
    due = commitment.due.isoformat() if commitment.due else "no date"
    return f"{commitment.id}: {commitment.title} | {commitment.owner or 'no owner'}, {due} | {state}"


def mermaid(chain: Chain) -> str:
    plan = chain.plan
    lines = ["flowchart BT"]
    classes: dict[str, list[str]] = {name: [] for name in CLASS_STYLES}
    node_of: dict[str, str] = {}

    def node(node_id: str, text: str, shape: tuple[str, str], *class_names: str) -> None:
        lines.append(f'  {node_id}{shape[0]}"{label(text)}"{shape[1]}')
        for class_name in class_names:
            classes[class_name].append(node_id)

    goal_state = "within reach" if chain.within_reach else "not yet within reach"
    node("G", f"GOAL: {plan.goal.statement or plan.account} | {goal_state}", ("([", "])"), "goal")
    missing = 0

    def missing_link(parent: str, what: str) -> None:
        nonlocal missing
        missing += 1
        node_id = f"M{missing}"
        node(node_id, f"missing: {what}", ("[/", "/]"), "missing")
        lines.append(f"  {node_id} -.-> {parent}")

    for number, csf in enumerate(plan.csfs, 1):
        node_of[csf.id] = f"F{number}"
        state = "achieved" if csf.id in chain.achieved else "open"
        node(f"F{number}", f"{csf.id}: {csf.title} | {state}", ("[", "]"), "csf", *(["achieved"] if state == "achieved" else []))
        lines.append(f"  F{number} --> G")
    for number, condition in enumerate(plan.conditions, 1):
        node_of[condition.id] = f"N{number}"
        state = "met" if condition.met else "achieved" if condition.id in chain.achieved else "open"
        node(f"N{number}", f"{condition.id}: {condition.title} | {state}", ("(", ")"), "condition", *(["achieved"] if state != "open" else []))
        for csf_id in condition.csfs:
            lines.append(f"  N{number} --> {node_of[csf_id]}")
    for number, obstacle in enumerate(plan.obstacles, 1):
        node_of[obstacle.id] = f"O{number}"
        state = "overcome" if obstacle.id in chain.overcome else "open"
        node(f"O{number}", f"{obstacle.id}: {obstacle.title} | {state}", ("{{", "}}"), "obstacle", *(["achieved"] if state == "overcome" else []))
        for condition_id in obstacle.conditions:
            lines.append(f"  O{number} -. prevents .-> {node_of[condition_id]}")
    for number, commitment in enumerate(plan.commitments, 1):
        is_overdue = commitment.is_overdue(chain.today)
        state_class = "overdue" if is_overdue else commitment.status if commitment.status in ("done", "dropped") else None
        node(f"K{number}", _commitment_text(commitment, is_overdue), ("[", "]"), "commitment", *([state_class] if state_class else []))
        arrow = "-.-" if commitment.status == "dropped" else "-->"
        for obstacle_id in commitment.obstacles:
            lines.append(f"  K{number} {arrow} {node_of[obstacle_id]}")

    if plan.status != "archived":  # the chain's gaps, shown where an author has still to fill them in
        for rule, item in gaps(chain):
            missing_link(node_of[item.id], MISSING_LINK[rule])

    for name, style in CLASS_STYLES.items():
        lines.append(f"  classDef {name} {style}")
    for name, node_ids in classes.items():
        if node_ids:
            lines.append(f"  class {','.join(node_ids)} {name}")
    return "\n".join(lines) + "\n"



def size_bound(chain: Chain) -> tuple[int, int]:
    """At least the (characters, edges) of `mermaid(chain)`, without drawing it: most plans are far below the
    limits, and drawing every plan's diagram to check it would cost `planfolio check` a tenth of its time.
    A character of plan text is at most 6 in the source (`#quot;`), a node or an edge line its text plus 80."""
    plan = chain.plan
    items = [*plan.csfs, *plan.conditions, *plan.obstacles, *plan.commitments]
    edges = len(plan.csfs) + sum(len(c.csfs) for c in plan.conditions) + sum(len(o.conditions) for o in plan.obstacles)
    edges += sum(len(k.obstacles) for k in plan.commitments) + len(plan.csfs) + len(plan.conditions) + len(plan.obstacles)  # gaps
    texts = len(plan.goal.statement or plan.account) + sum(len(item.id) + len(item.title) + len(getattr(item, "owner", None) or "") for item in items)
    return 3_000 + 6 * texts + 80 * (len(items) + 1) + 80 * edges, edges


def diagram_size(source: str) -> tuple[int, int]:
    """(characters, edges) of Mermaid source, as Mermaid counts them: JavaScript string length, edge statements."""
    characters = len(source.encode("utf-16-le")) // 2  # a character beyond U+FFFF is two in JavaScript
    edges = sum(1 for line in source.splitlines() if _EDGE.fullmatch(line))
    return characters, edges
