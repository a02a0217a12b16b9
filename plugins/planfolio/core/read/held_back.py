"""The chain gaps that a reported mistake in the file explains, so that they are held back (docs: "What is
held back"): a list of links that was not read, an item left out, a reference key missing or mistyped.

Worked out from the tree as written and the lists read; `links.py` adds the gaps of bad references.
"""

from __future__ import annotations

from .format import COMMITMENTS, CONDITIONS, LINK_LISTS, TOP, ItemKind
from .items import ListRead
from .values import nearest
from .yamltree import Mapping, Node, Scalar, Sequence

Gap = tuple[str, "str | None"]  # (item kind, id), or (item kind, None) where it may be any item of the kind


def lost_links(root: Mapping, lists: dict[str, ListRead]) -> list[Gap]:
    """The gaps left by each list of links, as written: mistyped, missing, empty, not a list; or by its items."""
    gaps: list[Gap] = []
    for name, kind in LINK_LISTS.items():
        gaps += _list_gaps(root, name, kind)
        listed = lists.get(name)
        if listed is not None:
            gaps += _items_gaps(kind, listed)
    return gaps


def _items_gaps(kind: ItemKind, listed: ListRead) -> list[Gap]:
    """The gaps of the items of a list read: those left out, and those whose links were not read as written."""
    gaps = [gap for entry in listed.left_out for gap in _item_gaps(kind, entry, kept=False)]
    for item in listed.items:
        gaps += _item_gaps(kind, item.node, kept=True)
        if kind is CONDITIONS and "met" not in item.values.flag and _met_written(item.node):
            gaps.append(("condition", item.id))  # `met` refused or mistyped: its PF031 would follow from that
    return gaps


def _list_gaps(root: Mapping, name: str, kind: ItemKind) -> list[Gap]:
    assert kind.link is not None
    target, required = kind.link.refers_to, TOP.named[name].required
    gaps: list[Gap] = []
    mistyped = [written for written in root.entries if written not in TOP.named and nearest(written, TOP.named) == name]
    for written in mistyped:  # its items were not read: their links are lost
        value = root.entries[written][1]
        for entry in value.items if type(value) is Sequence else [value]:
            gaps += _item_gaps(kind, entry, kept=False)
    real = root.entries.get(name)
    if real is None:
        if required and not mistyped:
            gaps.append((target, None))  # its PF010 says it all
        return gaps
    value = real[1]
    empty = (type(value) is Scalar and value.is_null) or (type(value) is Sequence and not value.items)
    if (type(value) is not Sequence and not empty) or (required and empty):
        gaps.append((target, None))  # not a list (PF011): what it linked cannot be told
        # (an empty optional list names nothing: it is as if the key were absent, gaps and all)
    return gaps


def _item_gaps(kind: ItemKind, node: Node, kept: bool) -> list[Gap]:
    """The gaps an item's links would fill, where a reported mistake kept the links from the chain: the item
    was left out (`kept` False), or its reference key is missing, mistyped or not a list of ids."""
    if kind.link is None or (type(node) is Scalar and node.is_null):
        return []  # a CSF links nothing; an empty entry names nothing
    key, target = kind.link.name, kind.link.refers_to
    if type(node) is not Mapping:
        return [(target, None)]
    if kind is COMMITMENTS and _raw_text(node, "status") == "dropped":
        return []  # a dropped commitment overcomes no obstacle, read or not
    keys = kind.keys.named
    written = [value for name, (_key, value) in node.entries.items() if name == key or (name not in keys and nearest(name, keys) == key)]
    if kept and len(written) == 1 and key in node.entries and _ids_of(written[0]) is not None:
        return []  # read as written; whether the ids exist is checked with the references
    ids = [_ids_of(value) for value in written]
    gaps: list[Gap] = [(target, None)] if not ids or None in ids else []  # which item it linked cannot be told
    return gaps + [(target, item_id) for item_ids in ids for item_id in item_ids or ()]


def _met_written(node: Mapping) -> bool:
    """`met` is written, or mistyped."""
    keys = CONDITIONS.keys.named
    return any(name == "met" or (name not in keys and nearest(name, keys) == "met") for name in node.entries)


def _raw_text(node: Mapping, key: str) -> str | None:
    """The text of a key's scalar as written, for an item that is not read."""
    value = node.entries.get(key, (None, None))[1]
    return value.text if type(value) is Scalar and not value.is_null else None


def _ids_of(node: Node) -> list[str] | None:
    """The ids a reference value names as written, or None where it cannot be read as ids."""
    nodes = node.items if type(node) is Sequence else [node]
    ids: list[str] = []
    for item in nodes:
        if type(item) is not Scalar or item.alias or item.is_null or not item.text.strip():
            return None
        ids.append(item.text)
    return ids or None
