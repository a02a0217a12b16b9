"""Read a plan file: decode it, split off the front matter and turn the YAML into a tree of positioned nodes.

The tree is built from the parser's events, not from PyYAML's constructed objects, so that every value keeps
its text exactly as written (no YAML 1.1 `NO` -> False), every node knows its line and column, duplicate keys
are seen, and anchors, aliases and tags are refused before anything could expand or execute.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import yaml

from .. import codes
from ..codes import Rule
from ..findings import code
from . import yaml_errors

try:  # libyaml's parser is several times faster; PyYAML wheels ship it.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]


class Scalar:
    __slots__ = ("text", "plain", "line", "column", "alias", "is_null")

    def __init__(self, text: str, plain: bool, line: int, column: int, alias: bool = False) -> None:
        self.text = text
        self.plain = plain  # unquoted: only plain scalars can be numbers, booleans or null
        self.line = line
        self.column = column
        self.alias = alias  # an alias already reported as PF006: readers skip it
        self.is_null = plain and text in _NULLS  # empty, ~ or null, written without quotes


class Mapping:
    __slots__ = ("entries", "line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.entries: dict[str, tuple[Scalar, Node]] = {}
        self.line = line
        self.column = column


class Sequence:
    __slots__ = ("items", "line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.items: list[Node] = []
        self.line = line
        self.column = column


Node = Scalar | Mapping | Sequence

# Ids, names, statuses and keys repeat in every plan of a portfolio: short texts are kept once (sys.intern).
_SHARED_TEXT_LENGTH = 32
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_BYTE_BREAKS = re.compile(rb"\r\n|\r|\n")
# YAML 1.1 (PyYAML, libyaml) also breaks lines at NEL, LS and PS; YAML 1.2, JSON, editors and our line
# numbers do not. They are read as text: the parser sees a stand-in character of the same length instead.
# Private-use characters libyaml reads as ordinary text, from which the stand-ins are taken.
_STAND_IN_RANGES = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))
# Marks count characters in `index`; a reader error's position counts UTF-8 bytes with libyaml.
_READER_COUNTS_BYTES = _EventLoader.__name__ == "CSafeLoader"


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding of the reader, before it is tied to a file."""

    rule: Rule
    line: int
    column: int
    message: str


@dataclass(slots=True)
class Document:
    root: Node | None = None
    notes: str = ""
    problems: list[Problem] = field(default_factory=list)
    sections: Sections | None = None  # what it was read through: its nodes may be shared with other documents


def decode(data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text with the BOM dropped and every line ending made `\\n`, or PF001 at the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        breaks = _BYTE_BREAKS.findall(before)
        line_start = len(before) - len(_BYTE_BREAKS.split(before)[-1])
        if line_start == 0 and before.startswith(codecs.BOM_UTF8):
            line_start = len(codecs.BOM_UTF8)
        line = len(breaks) + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        return None, Problem(codes.NOT_UTF8, line, column, f"the file is not valid UTF-8 text (byte 0x{data[error.start]:02x})")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def read(text: str, sections: Sections | None = None) -> Document:
    """Split `text` into front matter and notes and parse the front matter (through `sections` where given)."""
    document = Document(sections=sections)
    if not text.startswith("---") or _FENCE.match(text) is None:
        document.problems.append(Problem(codes.NO_FRONT_MATTER, 1, 1, "no front matter: the file must start with a line `---`"))
        return document
    start = text.find("\n") + 1
    closing = _closing_fence(text, start) if start else -1
    if closing < 0:
        document.problems.append(
            Problem(codes.NO_FRONT_MATTER, 1, 1, "the front matter opened on line 1 is never closed by a line `---`")
        )
        return document
    source = text[start:closing]
    end_of_fence = text.find("\n", closing)
    document.notes = "" if end_of_fence < 0 else text[end_of_fence + 1 :]
    document.root = (sections.parse if sections is not None else parse)(source, document.problems, 2)
    return document


def _closing_fence(text: str, start: int) -> int:
    """Where the line `---` that closes the front matter starts, or -1."""
    at = start - 1  # the newline before `start`, so the first line after the opening fence counts too
    while (at := text.find("\n---", at)) >= 0:
        line_end = text.find("\n", at + 4)
        if not text[at + 4 : line_end if line_end >= 0 else len(text)].strip(" \t"):
            return at + 1
        at += 1
    return -1


def parse(source: str, problems: list[Problem], first_line: int = 1) -> Node | None:
    """Build the node tree of a YAML text whose first line is line `first_line` of its file."""
    scanned, restore = _stand_ins(source)
    loader = _EventLoader(scanned)
    try:
        return _build(loader, problems, first_line, restore)
    except yaml.MarkedYAMLError as error:
        found = yaml_errors.explain(error, scanned, source, _EventLoader, first_line)
        problems.append(Problem(codes.YAML_SYNTAX, found.line + first_line, found.column + 1, f"YAML syntax error: {found.message}"))
    except yaml.reader.ReaderError as error:
        line, column = _Remap(scanned, first_line, _READER_COUNTS_BYTES)(error.position)
        problems.append(Problem(codes.YAML_SYNTAX, line, column, f"YAML syntax error: {_unreadable_character(error.character)}"))
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as error:
        problems.append(Problem(codes.YAML_SYNTAX, first_line, 1, f"YAML syntax error: {_unreadable(error)}"))
    finally:
        loader.dispose()
    return None


# Where a front matter may be cut into sections: a top-level key's line; a key with nothing after it (its block
# list may be cut into items); the first line with content after it; a list's lines by their indentation
# (_list_lines). A front matter with a document marker or directive is read whole (_has_marker).
# Each line pattern starts with the line break before the line: a pattern that starts with a character is
# searched for fast, one that starts with `^` is tried at every character.
_KEY_LINE = re.compile(r"\n[A-Za-z_][A-Za-z0-9_-]*:(?=[ \t\n]|\Z)")
_HEADER_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:[ \t]*(?:\n|\Z)")
_COMMENTS = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*")
_CONTENT_LINE = re.compile(r"\n( *)[^ \n#]")
_ITEM_START = re.compile(r"-(?:[ \t\n]|\Z)")
_LIST_LINES: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _list_lines(indent: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The lines that start an item of a list indented `indent` spaces, and those that end such a list: content
    less indented, or as indented and no item."""
    if indent not in _LIST_LINES:
        item = _ITEM_START.pattern
        less = rf" {{0,{indent - 1}}}[^ \n#]|" if indent else ""
        _LIST_LINES[indent] = (re.compile(rf"\n {{{indent}}}{item}"), re.compile(rf"\n(?:{less} {{{indent}}}(?!{item})[^ \n#])"))
    return _LIST_LINES[indent]


class _Span(NamedTuple):
    """Characters `start` to `end` of a front matter (`line`: the line `start` is on): a key with its value
    (role "key"); a key whose block list is cut into items, up to its first item (role "head", `items` holding
    each item's span, `indent` their `-`'s column); or an item ("item")."""

    role: Literal["key", "head", "item"]
    start: int
    end: int
    line: int
    at: int  # where its key, or its item's `-`, is
    items: tuple[_Span, ...] = ()
    indent: int = 0


# A section as kept: its nodes (a key and its value, a key alone, or an item) and the problems found in it.
_Parsed = tuple[tuple[Node, ...], tuple[Problem, ...]]
SectionKey = tuple[str, str, int]  # a section's role, its text and its first line


class _Cut(NamedTuple):
    """A top-level key not kept whole, in its sections: its own (the key with its value, or the key up to its
    list's first item) and its list's items'. Once put together it is kept whole (`whole`)."""

    whole: SectionKey
    own: SectionKey
    items: tuple[SectionKey, ...] = ()
    line: int = 0  # the list's line and the column of its items' `-`
    indent: int = 0


class _ListCut(NamedTuple):
    """How a top-level key's list was cut last: its text, its span, and its items' sections."""

    text: str
    span: _Span
    items: tuple[SectionKey, ...]


def _item_keys(text: str, items: tuple[_Span, ...], line: int) -> tuple[SectionKey, ...]:
    """The sections of these items of a list whose text, from line `line`, is `text`."""
    return tuple(("item", text[item.start : item.end], line + item.line) for item in items)


class Sections:
    """The front matters of one plan file's versions read in sections: each top-level key with its value, and
    the items of a top-level list where a version changes it. A section's nodes are kept by its text and first
    line, so a version of the plan, which differs from the one read before it in a few lines, parses only its
    few new sections (its history is read newest first).

    The tree and problems are those of reading the whole front matter. A text is cut only at a line where
    the parser starts a new top-level key (or list item) whatever came before, provided the section before
    it reads alone without error, so ends outside any quote or bracket. A section is kept from a reading of
    the whole only where that reading has a key (or item) at each cut. Anything else is read whole.
    Keep one per plan file for one read of a portfolio and its history: it holds the trees of its versions."""

    def __init__(self, people: frozenset[str] | None = None) -> None:
        self._parsed: dict[SectionKey, _Parsed] = {}
        # A list kept whole from a reading of the whole, by its key's name and first line: its items are kept
        # only once a version changes it (most of a plan's lists never change).
        self._unsplit: dict[tuple[str, int], SectionKey] = {}
        self._lists: dict[tuple[str, int], _ListCut] = {}  # how a list was cut last, by its key's name and first line
        self._last: _Cuts | None = None  # of the front matter read last, which the next one read mostly shares
        self.people = people  # the portfolio's people file: the plan's older versions are read with it too
        self.derived: dict[tuple[object, ...], tuple[object, object]] = {}  # for readers: see read/items.py
        self.read_alone = 0  # sections parsed on their own so far: those not kept from another reading

    def parse(self, source: str, problems: list[Problem], first_line: int) -> Node | None:
        """As `parse`: the tree of `source`, whose first line is line `first_line` of its file."""
        cuts = self._last.keys_of(source, first_line) if self._last is not None else None
        if cuts is None:
            keys = _top_keys(source) if _sections_read_alike(source) else None
            cuts = (keys, [_section_key(source, key, first_line) for key in keys]) if keys is not None else None
        self._last = _Cuts(source, first_line, *cuts) if cuts is not None else None
        if cuts is None:
            return parse(source, problems, first_line)
        keys, wholes = cuts
        parsed = self._parsed
        if not any(whole in parsed for whole in wholes):  # nothing to share: the plan's first version read
            return self._parse_whole(source, problems, first_line, keys, wholes)
        parts = [whole if whole in parsed else self._cut(source, key, whole, first_line) for key, whole in zip(keys, wholes)]
        new = sum(len(section[1]) for part in parts if type(part) is _Cut for section in (part.own, *part.items) if section not in parsed)
        if 2 * new > len(source):  # one parse beats many small
            return self._parse_whole(source, problems, first_line, keys, wholes)
        found: list[Problem] = []
        root = self._assemble(parts, found)
        if root is None:
            return parse(source, problems, first_line)
        problems += found
        return root

    def _cut(self, source: str, key: _Span, whole: SectionKey, first_line: int) -> _Cut:
        """A top-level key's sections; where it holds a list, its items' (those of the list as it was last read
        whole kept first). The list is cut where it changed only, given how it was cut last."""
        name, text, line = source[key.at : source.index(":", key.at)], whole[1], whole[2]
        kept_whole = self._unsplit.pop((name, line), None)
        if kept_whole is not None:
            self._split(kept_whole)
        last = self._lists.get((name, line))
        recut = _recut_list(last.text, last.span, text) if last is not None else None
        if recut is not None and last is not None:
            span, before, after = recut
            # The items before and after the lines that changed are the same text on the same lines: the same sections.
            changed = span.items[before : len(span.items) - (len(last.span.items) - after)]
            items = (*last.items[:before], *_item_keys(text, changed, line), *last.items[after:])
        else:
            span = _key_span(text, 0, key.at - key.start, len(text), 0)
            if not span.items:
                return _Cut(whole, whole)
            items = _item_keys(text, span.items, line)
        self._lists[(name, line)] = _ListCut(text, span, items)
        own = ("head", text[: span.items[0].start], line)
        return _Cut(whole, own, items, line + span.items[0].line, span.indent)

    def _split(self, whole: SectionKey) -> None:
        """Keep the items of a list kept whole, as its reading has them, where it has an item at each cut."""
        (key, value), found = self._parsed[whole]
        text, line = whole[1], whole[2]
        span = _key_span(text, 0, _COMMENTS.match(text).end(), len(text), 0)  # type: ignore[union-attr]  # it matches empty
        if type(key) is not Scalar or type(value) is not Sequence or not span.items or not _items_at_cuts(value, span, line, text):
            return
        items = _item_keys(text, span.items, line)
        self._lists[(key.text, line)] = _ListCut(text, span, items)
        starts = [line] + [item[2] for item in items]
        sections: list[tuple[SectionKey, tuple[Node, ...]]] = [(("head", text[: span.items[0].start], line), (key,))]
        sections += [(item, (node,)) for item, node in zip(items, value.items)]
        for (section, nodes), start, end in zip(sections, starts, [*starts[1:], sys.maxsize]):
            self._parsed.setdefault(section, (nodes, _between(found, start, end) if found else ()))

    def _assemble(self, parts: list[SectionKey | _Cut], problems: list[Problem]) -> Mapping | None:
        """The tree from each top-level key kept, or put together from its sections; None where it cannot be."""
        root: Mapping | None = None
        for part in parts:
            nodes = self._put_together(part, problems) if isinstance(part, _Cut) else self._section(part, problems)
            if nodes is None:
                return None
            key, value = nodes
            assert type(key) is Scalar
            root = root or Mapping(key.line, key.column)  # the mapping starts where its first key does
            if key.text in root.entries:
                return None
            root.entries[key.text] = (key, value)
        return root

    def _put_together(self, cut: _Cut, problems: list[Problem]) -> tuple[Node, ...] | None:
        """A top-level key's nodes from its sections, kept whole from then on."""
        found: list[Problem] = []
        nodes = self._section(cut.own, found)
        if nodes is None:
            return None
        if cut.items:
            value = Sequence(cut.line, cut.indent + 1)
            parsed = self._parsed
            for item in cut.items:
                kept = parsed.get(item)  # most items are kept: `_section`, written out
                if kept is not None and not kept[1]:
                    value.items.append(kept[0][0])
                    continue
                item_nodes = self._section(item, found)
                if item_nodes is None:
                    return None
                value.items.append(item_nodes[0])
            nodes = (nodes[0], value)
        self._parsed[cut.whole] = (nodes, tuple(found))
        problems += found
        return nodes

    def _section(self, key: SectionKey, problems: list[Problem]) -> tuple[Node, ...] | None:
        """A section's nodes (by its role, text and first line), read alone unless kept; its problems added."""
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed = _read_alone(key[1], key[2], key[0])
            self.read_alone += 1
            if parsed is None:
                return None
            self._parsed[key] = parsed
        problems += parsed[1]
        return parsed[0]

    def _parse_whole(self, source: str, problems: list[Problem], first_line: int, keys: list[_Span], wholes: list[SectionKey]) -> Node | None:
        """`parse` of the whole, and its top-level keys kept where its tree has a key at each cut."""
        found: list[Problem] = []
        root = parse(source, found, first_line)
        problems += found
        if type(root) is not Mapping or not _keys_at_cuts(root, keys, first_line, source):
            return root
        ends = [whole[2] for whole in wholes[1:]] + [sys.maxsize]
        for (name, nodes), whole, end in zip(root.entries.items(), wholes, ends):
            if whole not in self._parsed:
                self._parsed[whole] = (nodes, _between(found, whole[2], end))
                if type(nodes[1]) is Sequence:
                    self._unsplit[(name, whole[2])] = whole
        return root


class _Cuts(NamedTuple):
    """A front matter's top-level keys: their spans and sections."""

    source: str
    first_line: int
    keys: list[_Span]
    wholes: list[SectionKey]

    def keys_of(self, source: str, first_line: int) -> tuple[list[_Span], list[SectionKey]] | None:
        """The top-level keys of another version of this front matter, found only in the lines where it differs
        (and has as many lines): the keys before and after those are these, where they end before the first
        such line or start after the last. None where that is not so."""
        if first_line != self.first_line:
            return None
        recut = _recut(self.source, self.keys, source, self.keys[0].end, _KEY_LINE, "key", 0, _sections_read_alike)
        if recut is None:
            return None
        keys, before, after = recut
        middle = keys[before : len(keys) - (len(self.keys) - after)]
        return keys, self.wholes[:before] + [_section_key(source, key, first_line) for key in middle] + self.wholes[after:]


def _recut(
    old: str, spans: list[_Span], new: str, floor: int, lines: re.Pattern[str], role: Literal["key", "item"], indent: int, alike: Callable[[str], bool]
) -> tuple[list[_Span], int, int] | None:
    """The spans of `new` cut at its `lines` (a pattern starting with the line break before one), from `spans`,
    those of `old`, another version of it. Only the lines where the two differ are cut again: the spans that end
    before the first such line, or start after the last, are the old ones (moved by as many characters). None
    where the changed lines begin before `floor`, add or remove lines, do not read `alike`, or begin inside a
    span before them (it changed too). Else the spans, and the first and the next old span that were not cut
    again."""
    same_start = _common_prefix(old, new)
    if same_start == len(old) == len(new):
        return spans, len(spans), len(spans)
    same_end = len(old) - _common_suffix(old, new, min(len(old), len(new)) - same_start)  # in `old`
    changed_line = old.rfind("\n", 0, same_start) + 1
    if changed_line < floor:
        return None
    before = next((index for index, span in enumerate(spans) if span.end > changed_line), len(spans))
    after = next((index for index, span in enumerate(spans) if span.start > same_end), len(spans))
    shift = len(new) - len(old)
    start = spans[before].start if before < len(spans) else len(old)
    end = spans[after].start + shift if after < len(spans) else len(new)
    if new.count("\n", start, end) != old.count("\n", start, end - shift) or not alike(new[start:end]):
        return None  # lines added or removed: the spans after them are on other lines
    starts = [found.start() + 1 for found in lines.finditer(new, start - 1, end)]
    if start < end and starts[:1] != [start]:
        return None
    cut = spans[:before]
    last = spans[-1]
    line = spans[before].line if before < len(spans) else last.line + old.count("\n", last.start)
    for at, span_end in zip(starts, [*starts[1:], end]):
        cut.append(_Span(role, at, span_end, line, at + indent))
        line += new.count("\n", at, span_end)
    if shift:  # the spans after, moved (none of these has items of its own)
        cut += [_Span(span.role, span.start + shift, span.end + shift, span.line, span.at + shift) for span in spans[after:]]
    else:
        cut += spans[after:]
    return cut, before, after


def _recut_list(old: str, span: _Span, new: str) -> tuple[_Span, int, int] | None:
    """The span of a key's list in `new` from its span in `old`, another version of it (see `_recut`): the key's
    own lines unchanged, the changed lines all items at the list's indentation or lines inside them. With it, the
    first and the next old item that were not cut again."""
    item_lines, other_lines = _list_lines(span.indent)
    recut = _recut(old, list(span.items), new, span.items[0].start, item_lines, "item", span.indent, lambda lines: not other_lines.search("\n" + lines))
    if recut is None:
        return None
    items, before, after = recut
    return span._replace(end=len(new), items=tuple(items)), before, after


def _common_prefix(one: str, other: str) -> int:
    """How many characters the two start with alike: found by halves, each compared in C (not a loop in Python)."""
    low, high = 0, min(len(one), len(other))
    while low < high:
        middle = (low + high + 1) // 2
        if one[low:middle] == other[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(one: str, other: str, limit: int) -> int:
    """How many characters, up to `limit`, the two end with alike."""
    low, high = 0, limit
    one_end, other_end = len(one), len(other)
    while low < high:
        middle = (low + high + 1) // 2
        if one[one_end - middle : one_end - low] == other[other_end - middle : other_end - low]:
            low = middle
        else:
            high = middle - 1
    return low


def _sections_read_alike(source: str) -> bool:
    """Whether cutting the text into sections can read as the whole does: no line break that YAML alone counts,
    no line that starts with a document marker or a directive."""
    return not _has_yaml_only_break(source) and not _has_marker(source)


def _between(problems: list[Problem] | tuple[Problem, ...], start: int, end: int) -> tuple[Problem, ...]:
    """The problems from line `start` to before line `end` (most readings have none)."""
    return tuple(problem for problem in problems if start <= problem.line < end) if problems else ()


def _has_yaml_only_break(source: str) -> bool:
    return "\x85" in source or "\u2028" in source or "\u2029" in source  # three searches beat one regex


def _has_marker(source: str) -> bool:
    """Whether a line starts with a document marker or a directive."""
    return source.startswith(_MARKERS) or _MARKER_LINE.search(source) is not None


_MARKERS = ("---", "...", "%")
_MARKER_LINE = re.compile(r"\n(?:---|\.\.\.|%)")  # one search: three for "\n---" and the others take four times as long


def _section_key(source: str, span: _Span, first_line: int) -> SectionKey:
    """A top-level key's section: its role, its text and its first line."""
    return span.role, source[span.start : span.end], first_line + span.line


def _read_alone(text: str, first_line: int, role: str) -> _Parsed | None:
    """A section's nodes read alone: (key, value) of a mapping of one key; (key,) for a key whose list is cut;
    (item,) of a list of one item. None where it does not read so, or does not read."""
    found: list[Problem] = []
    loader = _EventLoader(text)
    try:
        tree = _build(loader, found, first_line, None)
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError):
        return None
    finally:
        loader.dispose()
    if role != "item" and type(tree) is Mapping and len(tree.entries) == 1:
        key, value = next(iter(tree.entries.values()))
        return ((key, value) if role == "key" else (key,)), tuple(found)
    if role == "item" and type(tree) is Sequence and len(tree.items) == 1:
        return (tree.items[0],), tuple(found)
    return None


def _keys_at_cuts(root: Mapping, keys: list[_Span], first_line: int, source: str) -> bool:
    """Whether a reading of the whole has a top-level key at each cut, and nothing else at the top level."""
    if len(root.entries) != len(keys):
        return False
    return all(
        (key.line, key.column) == (first_line + span.line + source.count("\n", span.start, span.at), 1)
        for span, (key, _value) in zip(keys, root.entries.values())
    )


def _items_at_cuts(value: Sequence, span: _Span, line: int, text: str) -> bool:
    """Whether a reading of a list (`span`, in `text` from line `line`) has an item at each cut, and only those."""
    first_item = span.items[0]
    if len(value.items) != len(span.items) or (value.line, value.column) != (line + first_item.line, span.indent + 1):
        return False
    # Each item starts on its `-` line with only blanks after the `-`: that `-` is the parser's.
    return all(
        item.line == line + item_span.line and not text[item_span.at + 1 : item_span.start + item.column - 1].strip(" ")
        for item_span, item in zip(span.items, value.items)
    )


def _top_keys(source: str) -> list[_Span] | None:
    """The top-level keys' spans; None where the text does not start with a key (after blank and comment lines)."""
    starts = [found.start() for found in _KEY_LINE.finditer("\n" + source)]  # the line break: one character before
    if not starts or _COMMENTS.match(source).end() != starts[0]:  # type: ignore[union-attr]  # it matches empty
        return None
    keys: list[_Span] = []
    line = 0
    for at, end in zip(starts, [*starts[1:], len(source)]):
        start = 0 if not keys else at  # the first key's section carries the comments before it
        keys.append(_Span("key", start, end, line, at))
        line += source.count("\n", start, end)
    return keys


def _key_span(source: str, start: int, at: int, end: int, line: int) -> _Span:
    """A top-level key's span, with its items' where it holds one block list at one indentation."""
    whole = _Span("key", start, end, line, at)
    header = _HEADER_LINE.match(source, at, end)
    first = _CONTENT_LINE.search(source, header.end() - 1, end) if header else None
    if first is None or not _ITEM_START.match(source, first.end() - 1, end):
        return whole
    indent = len(first.group(1))
    item_lines, other_lines = _list_lines(indent)
    if other_lines.search(source, first.start(), end):
        return whole  # not one block list at one indentation: the key is one section
    starts = [found.start() + 1 for found in item_lines.finditer(source, first.start(), end)]
    item_line = line + source.count("\n", start, starts[0])
    items = []
    for item_start, item_end in zip(starts, [*starts[1:], end]):
        items.append(_Span("item", item_start, item_end, item_line, item_start + indent))
        item_line += source.count("\n", item_start, item_end)
    return _Span("head", start, end, line, at, tuple(items), indent)


def _build(loader: yaml.SafeLoader | yaml.CSafeLoader, problems: list[Problem], first_line: int, restore: dict[int, str] | None) -> Node | None:
    """The node tree from the loader's events; yaml errors propagate to parse()."""
    stack: list[Mapping | Sequence] = []
    pending_keys: list[Scalar | None] = []  # per open mapping: the key waiting for its value
    root: Node | None = None
    documents = 0
    while True:
        # Dispatched on the event's exact type, the fastest test; each branch knows the attributes it reads.
        event: Any = loader.get_event()
        kind = type(event)
        if kind is _ScalarEvent:  # most events are scalars: test them first
            mark = event.start_mark
            line, column = mark.line + first_line, mark.column + 1
            if event.anchor is not None or event.tag is not None:
                _check_properties(event, line, column, problems)
            text = event.value if restore is None else event.value.translate(restore)
            text = text if len(text) > _SHARED_TEXT_LENGTH else sys.intern(text)
            node: Node = Scalar(text, not event.style, line, column)  # plain: None (Python) or "" (libyaml)
        elif kind is _MappingEndEvent:
            pending_keys.pop()
            node = stack.pop()
        elif kind is _SequenceEndEvent:
            node = stack.pop()
        elif kind is _MappingStartEvent or kind is _SequenceStartEvent:
            mark = event.start_mark
            line, column = mark.line + first_line, mark.column + 1
            if event.anchor is not None or event.tag is not None:
                _check_properties(event, line, column, problems)
            if kind is _MappingStartEvent:
                stack.append(Mapping(line, column))
                pending_keys.append(None)
            else:
                stack.append(Sequence(line, column))
            continue
        elif kind is yaml.AliasEvent:
            mark = event.start_mark
            line, column = mark.line + first_line, mark.column + 1
            problems.append(Problem(codes.ANCHOR_ALIAS_TAG, line, column, f"YAML alias `*{event.anchor}` is not allowed: write the value out"))
            node = Scalar("", False, line, column, alias=True)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                problems.append(Problem(codes.YAML_SYNTAX, mark.line + first_line, mark.column + 1, _SECOND_DOCUMENT))
                return None
            continue
        elif kind is yaml.StreamEndEvent:
            return root
        else:  # the stream's start and the document's end
            continue
        if stack:
            _attach(stack[-1], pending_keys, node, line, column, problems)
        else:
            root = node


def _attach(parent: Mapping | Sequence, pending_keys: list[Scalar | None], node: Node, line: int, column: int, problems: list[Problem]) -> None:
    """Add a finished node to its parent: an item, a key, or the value of the key waiting for it."""
    if isinstance(parent, Sequence):
        parent.items.append(node)
        return
    key = pending_keys[-1]
    if key is None:
        if type(node) is not Scalar:
            problems.append(Problem(codes.UNKNOWN_KEY, line, column, "a key must be a plain name, not a list or mapping"))
            node = Scalar("", False, line, column, alias=True)
        pending_keys[-1] = node
        return
    pending_keys[-1] = None
    if key.alias:
        return
    if key.text in parent.entries:
        first = parent.entries[key.text][0]
        problems.append(Problem(codes.DUPLICATE_KEY, key.line, key.column, f"key {code(key.text)} appears twice (first on line {first.line})"))
        return
    parent.entries[key.text] = (key, node)


_ScalarEvent, _MappingStartEvent, _MappingEndEvent = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStartEvent, _SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent


def _check_properties(event: yaml.ScalarEvent | yaml.CollectionStartEvent, line: int, column: int, problems: list[Problem]) -> None:
    if event.anchor is not None:
        problems.append(Problem(codes.ANCHOR_ALIAS_TAG, line, column, f"YAML anchor `&{event.anchor}` is not allowed"))
    if event.tag is not None and event.tag != "!":
        tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
        problems.append(Problem(codes.ANCHOR_ALIAS_TAG, line, column, f"explicit YAML tag `{tag}` is not allowed"))


class _Remap:
    """Line and column of a parser mark's index, counting only the line breaks an editor counts."""

    def __init__(self, source: str, first_line: int, counts_bytes: bool = False) -> None:
        self.source = source
        self.encoded = source.encode("utf-8") if counts_bytes else None
        self.first_line = first_line

    def __call__(self, index: int) -> tuple[int, int]:
        if self.encoded is not None:
            index = len(self.encoded[:index].decode("utf-8", "ignore"))
        line = self.source.count("\n", 0, index) + self.first_line
        return line, index - (self.source.rfind("\n", 0, index) + 1) + 1


def _code_point(character: int | str) -> int:
    return character if isinstance(character, int) else ord(character)


def _stand_ins(source: str) -> tuple[str, dict[int, str] | None]:
    """`source` with NEL, LS and PS replaced by unused private-use characters, and the table that restores them."""
    if not _has_yaml_only_break(source):
        return source, None
    used = set(source)
    free = (chr(point) for points in _STAND_IN_RANGES for point in points if chr(point) not in used)
    forward: dict[int, str] = {}
    for character in "\x85\u2028\u2029":
        stand_in = next(free, None)
        if stand_in is None:  # every candidate is used by the text: YAML then counts the rest as line breaks
            break
        forward[ord(character)] = stand_in
    return source.translate(forward), {ord(stand_in): chr(point) for point, stand_in in forward.items()}


_SECOND_DOCUMENT = "YAML syntax error: a line starting with `---` ends the plan's YAML here: delete it, or indent or quote it"


def _unreadable_character(character: int | str) -> str:
    point = _code_point(character)
    kind = "control character" if point < 0x20 or 0x7F <= point < 0xA0 else "invisible character"
    return f"the {kind} U+{point:04X} cannot be part of a plan: delete it (most editors do not show it)"


def _unreadable(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "the front matter is nested too deeply to read"
    if isinstance(error, MemoryError):
        return "the front matter is too large to read"
    return "the front matter cannot be read as YAML"
