"""The plan format, declared once: every key of the front matter, of `goal` and of each kind of item.

Plain data, read by the plan reader (`read/plan.py`) and by the JSON Schema for editors
(`publish/schema.py`). The contract is docs' PLAN-FORMAT. A description may name `{title_limit}` or
`{csf_limit}`: the schema fills them in from the checks' limits, which are not the reader's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from ..model import COMMITMENT_STATUSES, PLAN_STATUSES

ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")
PLAN_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


class Type(Enum):
    """What a key's value must be."""

    TEXT = "text"
    PERSON = "person"  # text that names someone in the people file
    DATE = "date"  # YYYY-MM-DD
    NUMBER = "number"
    BOOLEAN = "boolean"
    CHOICE = "choice"  # one of `Key.choices`
    LINK = "link"  # an http:// or https:// URL
    ID = "id"  # an item's own id
    REFERENCES = "references"  # an id, or a list of ids, of items of the kind `Key.refers_to`
    TEXTS = "texts"  # a list of text
    PEOPLE = "people"  # a list of persons
    MAPPING = "mapping"  # keys of its own: `Key.keys`
    ITEMS = "items"  # a list of items of the kind `Key.items`


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    type: Type
    required: bool = False
    description: str | None = None
    default: str | bool | None = None  # the value of a key that is not written
    choices: tuple[str, ...] = ()  # CHOICE
    refers_to: str = ""  # REFERENCES: the kind of item named
    keys: Keys | None = None  # MAPPING
    items: ItemKind | None = None  # ITEMS
    at_least_one: bool = False  # ITEMS: an empty list is a finding


@dataclass(frozen=True, slots=True)
class Keys:
    """The keys of one mapping, in the order the contract lists them (and missing keys are reported)."""

    keys: tuple[Key, ...]
    named: dict[str, Key] = field(init=False, compare=False)
    required: tuple[Key, ...] = field(init=False, compare=False)
    required_names: frozenset[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "named", {key.name: key for key in self.keys})
        object.__setattr__(self, "required", tuple(key for key in self.keys if key.required))
        object.__setattr__(self, "required_names", frozenset(key.name for key in self.required))


@dataclass(frozen=True, slots=True)
class ItemKind:
    """One kind of item: `kind` names it in messages (`condition NC1 "..."`)."""

    kind: str
    description: str
    keys: Keys
    link: Key | None = field(init=False, compare=False)  # the key that names the items it serves (a CSF has none)
    refers_to: str = field(init=False, compare=False)  # the kind of those items ("" for a CSF)

    def __post_init__(self) -> None:
        link = next((key for key in self.keys.keys if key.type is Type.REFERENCES), None)
        object.__setattr__(self, "link", link)
        object.__setattr__(self, "refers_to", link.refers_to if link is not None else "")


def _item(kind: str, description: str, *extra: Key) -> ItemKind:
    common = (
        Key("id", Type.ID, required=True),
        Key("title", Type.TEXT, required=True, description="One line; more than {title_limit} characters draws a warning (the plan must fit one page)."),
        Key("note", Type.TEXT, description="An optional remark."),
    )
    return ItemKind(kind, description, Keys((*common, *extra)))


CSFS = _item("CSF", "A critical success factor.")
CONDITIONS = _item(
    "condition",
    "A necessary condition.",
    Key("csf", Type.REFERENCES, required=True, refers_to="CSF"),
    Key("met", Type.BOOLEAN, default=False, description="Already in place: needs no obstacle."),
)
OBSTACLES = _item("obstacle", "An obstacle.", Key("condition", Type.REFERENCES, required=True, refers_to="condition"))
COMMITMENTS = _item(
    "commitment",
    "A commitment.",
    Key("obstacle", Type.REFERENCES, required=True, refers_to="obstacle"),
    Key("owner", Type.PERSON, required=True, description="Who delivers it."),
    Key("due", Type.DATE, required=True, description="By when, YYYY-MM-DD."),
    Key("status", Type.CHOICE, default="open", choices=COMMITMENT_STATUSES),
    Key("completed", Type.DATE, description="When it was delivered, YYYY-MM-DD."),
    Key("link", Type.LINK, description="An http:// or https:// URL, e.g. the CRM task."),
)

GOAL = Keys(
    (
        Key("statement", Type.TEXT, required=True, description="The goal in one sentence."),
        Key("due", Type.DATE),
        Key("baseline", Type.NUMBER),
        Key("target", Type.NUMBER),
        Key("current", Type.NUMBER),
        Key("unit", Type.TEXT, description="Unit of baseline, target and current, e.g. EUR M."),
    )
)

TOP = Keys(
    (
        Key("account", Type.TEXT, required=True, description="The customer account's display name."),
        Key("owner", Type.PERSON, required=True, description="The key account manager accountable for the plan."),
        Key("status", Type.CHOICE, default="active", choices=PLAN_STATUSES, description="Drafts may have an incomplete chain; archived plans are not checked for it."),
        Key("period", Type.TEXT, description="The plan's period, e.g. FY2027."),
        Key("team", Type.PEOPLE, description="The account team."),
        Key("tags", Type.TEXTS, description="E.g. region and segment."),
        Key("reviewed", Type.DATE, description="Date of the last deep review, YYYY-MM-DD."),
        Key("goal", Type.MAPPING, required=True, description="The account sales goal.", keys=GOAL),
        Key(
            "csfs", Type.ITEMS, required=True, items=CSFS, at_least_one=True,
            description="Critical success factors: what must be true to reach the goal (the vital few: at most {csf_limit}).",
        ),
        Key("conditions", Type.ITEMS, required=True, items=CONDITIONS, at_least_one=True, description="Necessary conditions: what must be in place for each CSF."),
        Key("obstacles", Type.ITEMS, items=OBSTACLES, description="What currently prevents a necessary condition."),
        Key("commitments", Type.ITEMS, items=COMMITMENTS, description="What a named owner will deliver, by a date, to overcome an obstacle."),
    )
)

# The keys that hold the chain's lists of links, and their kinds: {key: kind}.
LINK_LISTS = {key.name: key.items for key in TOP.keys if key.items is not None and key.items.link is not None}
