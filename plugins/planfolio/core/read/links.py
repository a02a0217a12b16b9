"""Resolve the references between items, in one step once every list is read: ids used twice (PF020),
references to ids that do not exist or are of another kind (PF022), and the gaps these mistakes explain."""

from __future__ import annotations

from dataclasses import dataclass

from .. import codes
from ..findings import code
from .held_back import Gap
from .items import ItemRead
from .values import Problem, nearest, suggest


@dataclass(slots=True)
class Linked:
    """The items kept (the first use of each id), each with the ids it links to, the problems and the gaps."""

    links: dict[int, tuple[str, ...]]  # by id() of each kept item
    problems: list[Problem]
    gaps: list[Gap]


def resolve(items: list[ItemRead], dropped: set[str]) -> Linked:
    """`items` in reading order (the lists in file order, each in its order)."""
    seen, duplicates, problems = _first_uses(items)
    linked = Linked({}, problems, [])
    for item in items:
        wanted = item.kind.refers_to
        if id(item) in duplicates:  # a duplicate left out: what it linked is lost with it
            if item.live:
                linked.gaps += [(wanted, reference.target) for reference in item.references]
            continue
        targets: list[str] = []
        for reference in item.references:
            found = seen.get(reference.target)
            if found is None or found.kind.kind != wanted:
                problem, gap = _unresolved(item, reference.target, reference.line, reference.column, found, seen, dropped)
                linked.problems.append(problem)
                if gap is not None:
                    linked.gaps.append(gap)
            elif reference.target not in targets:
                targets.append(reference.target)
        linked.links[id(item)] = tuple(targets)
    return linked


def relinked(items: list[ItemRead], last_items: list[ItemRead], last: Linked) -> Linked | None:
    """The links `resolve` finds for `items`, from those it found, with nothing wrong, for `last_items` (another
    version's): where each item is the very one in its place then, or has its kind, its id and the ids it names.
    Every id then stands where it stood, so each reference resolves as it did. Else None."""
    if last.problems or last.gaps or len(items) != len(last_items):
        return None
    links = dict(last.links)  # by id() of each item: those of the items in both versions stay
    for item, before in zip(items, last_items):
        if item is before:
            continue
        if item.kind is not before.kind or item.id != before.id or _targets(item) != _targets(before):
            return None
        links[id(item)] = links.pop(id(before))
    return Linked(links, [], [])


def _targets(item: ItemRead) -> list[str]:
    return [reference.target for reference in item.references]


def _first_uses(items: list[ItemRead]) -> tuple[dict[str, ItemRead], set[int], list[Problem]]:
    """The first item of each id in the file, the later ones (by id()), and a PF020 for each of those."""
    seen: dict[str, ItemRead] = {}
    duplicates: set[int] = set()
    problems: list[Problem] = []
    for item in items:  # in reading order, which is file order
        first = seen.setdefault(item.id, item)
        if first is not item:  # the second use in the file is the one reported and left out
            duplicates.add(id(item))
            message = f"{item.describe()}: id `{item.id}` is already used by {first.describe()} on line {first.at['id'][0]}"
            problems.append(Problem(codes.DUPLICATE_ID, *item.at["id"], message))
    return seen, duplicates, problems


def _article(kind: str) -> str:
    """`a CSF`, `a condition`, `an obstacle`, `a commitment`."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _unresolved(
    item: ItemRead, target: str, line: int, column: int, found: ItemRead | None, seen: dict[str, ItemRead], dropped: set[str]
) -> tuple[Problem, Gap | None]:
    """PF022 for a reference to an id that does not exist or is of another kind, and the gap it explains."""
    wanted = item.kind.refers_to
    key = item.kind.link.name if item.kind.link is not None else ""
    candidates = [other.id for other in seen.values() if other.kind.kind == wanted]
    what = "does not exist" if found is None else f"is {_article(found.kind.kind)}, not {_article(wanted)}"
    message = f"{item.describe()}: `{key}` refers to {code(target)}, which {what}{suggest(target, candidates)}"
    problem = Problem(codes.BAD_REFERENCE, line, column, message)
    if not item.live or target in dropped:
        return problem, None  # a dropped commitment overcomes nothing; an item left out has no gap to report
    return problem, (wanted, nearest(target, candidates))  # meant, most likely, as suggested; else any of the kind
