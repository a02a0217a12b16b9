"""Events between two versions of a plan, in the contract's words (docs: PLAN-FORMAT.md, "History").

Items are matched by kind and id. A plan added or removed is one event: its items come and go with it.
The notes below the front matter are no key: editing them is no event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import Goal, Item, Plan, Position

Value = str | int | float | bool | list[str] | None

# The contract's kinds, by the model's list of each.
LISTS = (("csf", "csfs"), ("condition", "conditions"), ("obstacle", "obstacles"), ("commitment", "commitments"))

# Per kind: (key, attribute, event); the event None is `changed` with the key. `title` comes first, as `retitled`.
_ITEM_FIELDS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "csf": (("note", "note", None),),
    "condition": (("met", "met", "met"), ("csf", "csfs", "links"), ("note", "note", None)),
    "obstacle": (("condition", "conditions", "links"), ("note", "note", None)),
    "commitment": (
        ("status", "status", "status"),
        ("owner", "owner", "owner"),
        ("due", "due", "due"),
        ("obstacle", "obstacles", "links"),
        ("completed", "completed", None),
        ("link", "link", None),
        ("note", "note", None),
    ),
}
_PLAN_FIELDS = (
    ("account", None), ("owner", "owner"), ("status", "status"), ("period", None), ("team", None), ("tags", None), ("reviewed", "reviewed"),
)
_GOAL_FIELDS = (("statement", "retitled"), ("due", "due"), ("baseline", None), ("target", "target"), ("current", "current"), ("unit", None))


@dataclass(frozen=True, slots=True)
class Event:
    plan: str
    kind: str  # plan, goal, csf, condition, obstacle, commitment
    id: str | None  # None for the plan and the goal
    event: str
    old: Value  # the contract's `from`
    new: Value  # the contract's `to`
    title: str  # the item's title in the newer version (the older where removed); a plan's account, the goal's statement
    line: int  # where the item is in the newer version (the older where removed)
    column: int
    days: int | None = None  # `due` only: new - old, > 0 a slip
    key: str | None = None  # `changed` only

    def as_dict(self) -> dict[str, object]:
        """The event as the contract writes it (`from`, `to`; `days` and `key` where they belong), with its place."""
        data: dict[str, object] = {"plan": self.plan, "kind": self.kind, "id": self.id, "event": self.event, "from": self.old, "to": self.new}
        if self.days is not None:
            data["days"] = self.days
        if self.key is not None:
            data["key"] = self.key
        data["line"], data["column"] = self.line, self.column
        return data


def value(raw: object) -> Value:
    """A plan value as events carry it: dates as YYYY-MM-DD, lists as lists."""
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, (tuple, list)):
        return [str(entry) for entry in raw]
    assert raw is None or isinstance(raw, (str, int, float, bool))
    return raw


def _change(event: str | None, key: str, old: object, new: object) -> tuple[str, Value, Value, int | None, str | None] | None:
    """(event, from, to, days, key) where a value changed; links compare as sorted id lists."""
    if event == "links" and isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        old, new = sorted(old), sorted(new)
    if old == new:
        return None
    days = (new - old).days if event == "due" and isinstance(old, date) and isinstance(new, date) else None
    return (event or "changed", value(old), value(new), days, None if event else key)


def _plan_position(plan: Plan, key: str = "plan") -> Position:
    return plan.at.get(key) or plan.at.get("plan") or (1, 1)


def _plan_events(old: Plan, new: Plan) -> list[Event]:
    found = []
    for key, event in _PLAN_FIELDS:
        change = _change(event, key, getattr(old, key), getattr(new, key))
        if change is not None:
            name, before, after, days, changed_key = change
            found.append(Event(new.id, "plan", None, name, before, after, new.title, *_plan_position(new, key), days, changed_key))
    return found


def _goal_events(old: Plan, new: Plan) -> list[Event]:
    at = _plan_position(new, "goal")
    if (old.goal == Goal()) != (new.goal == Goal()):  # a goal that could not be read at all is none
        if new.goal == Goal():
            return [Event(new.id, "goal", None, "removed", old.goal.statement, None, old.goal.statement, *at)]
        return [Event(new.id, "goal", None, "added", None, new.goal.statement, new.goal.statement, *at)]
    found = []
    for key, event in _GOAL_FIELDS:
        change = _change(event, key, getattr(old.goal, key), getattr(new.goal, key))
        if change is not None:
            name, before, after, days, changed_key = change
            found.append(Event(new.id, "goal", None, name, before, after, new.goal.statement, *at, days, changed_key))
    return found


def _item_events(plan_id: str, kind: str, old: Item | None, new: Item | None) -> list[Event]:
    item = new or old
    assert item is not None
    at = item.at.get("item") or (1, 1)
    if old is None or new is None:
        added = old is None
        return [Event(plan_id, kind, item.id, "added" if added else "removed", None if added else item.title, item.title if added else None, item.title, *at)]
    found = []
    for key, attribute, event in (("title", "title", "retitled"), *_ITEM_FIELDS[kind]):
        change = _change(event, key, getattr(old, attribute), getattr(new, attribute))
        if change is not None:
            name, before, after, days, changed_key = change
            found.append(Event(plan_id, kind, new.id, name, before, after, new.title, *at, days, changed_key))
    return found


def _items(plan: Plan) -> dict[tuple[str, str], Item]:
    """The plan's items by (kind, id), in file order."""
    items: dict[tuple[str, str], Item] = {}
    for kind, attribute in LISTS:
        for item in getattr(plan, attribute):
            items.setdefault((kind, item.id), item)  # a repeated id (PF020): the first is the item
    return dict(sorted(items.items(), key=lambda entry: entry[1].at.get("item") or (0, 0)))


def _by_id(items: list[Item]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    for item in items:
        found.setdefault(item.id, item)  # a repeated id (PF020): the first is the item
    return found


Placed = list[tuple[tuple[int, int, int, int], list[Event]]]


def _all_item_events(old: Plan, new: Plan) -> Placed:
    """Each item's events with where they go in file order: a removed item after the item before it that stayed."""
    placed: Placed = []
    removed = False
    for kind, attribute in LISTS:
        old_list, new_list = getattr(old, attribute), getattr(new, attribute)
        if old_list is new_list:  # one list shared by both versions (read/plan.py): nothing in it changed
            continue
        old_items, new_items = _by_id(old_list), _by_id(new_list)
        for item_id, item in new_items.items():
            before = old_items.get(item_id)
            if before is not item:  # else one item shared by both versions: nothing changed
                line, column = item.at.get("item") or (0, 0)
                placed.append(((line, column, 0, 0), _item_events(new.id, kind, before, item)))
        removed = removed or not old_items.keys() <= new_items.keys()
    return placed + _removed_item_events(old, new) if removed else placed


def _removed_item_events(old: Plan, new: Plan) -> Placed:
    """Each removed item's events, placed after the item before it (in the older version) that stayed."""
    old_items, new_items = _items(old), _items(new)
    placed: Placed = []
    anchor = (0, 0)
    for key, item in old_items.items():
        if key in new_items:
            anchor = new_items[key].at.get("item") or anchor
        else:
            placed.append(((*anchor, 1, (item.at.get("item") or (0, 0))[0]), _item_events(new.id, key[0], item, None)))
    return placed


def events(old: Plan | None, new: Plan | None) -> list[Event]:
    """What changed from one version of a plan to the next (None: the plan does not exist there), in file order."""
    if old is None or new is None:
        plan = new or old
        if plan is None:
            return []
        name, before, after = ("added", None, plan.title) if old is None else ("removed", plan.title, None)
        return [Event(plan.id, "plan", None, name, before, after, plan.title, *_plan_position(plan))]
    if not (old.readable and new.readable):  # nothing could be read of one: nothing to compare it by
        return []
    found = _plan_events(old, new) + _goal_events(old, new)
    for _place, item_events in sorted(_all_item_events(old, new), key=lambda entry: entry[0]):
        found += item_events
    return found


def is_slip(event: Event) -> bool:
    return event.event == "due" and event.days is not None and event.days > 0

