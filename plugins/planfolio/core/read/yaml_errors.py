"""Explain a YAML syntax error (PF003) in the plan author's words, on the line the author must change.

PyYAML reports where its parser gave up, in parser terms ("while parsing a block collection, did not find
expected '-' indicator"), often a line after the mistake. Here the mistake is worked out again from the
token stream before the error and the lines around it: which blocks were open at which columns, which
quote or bracket was never closed, which key lacks its `:`. The PyYAML message text is not relied on:
libyaml and the pure-Python parser word it differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from yaml import tokens as t

from ..findings import code

# The keys of the plan format: a line starting with one of them lacked its `:` rather than continuing a text.
_PLAN_KEYS = frozenset(
    "account owner goal csfs conditions obstacles commitments status period team tags reviewed statement due "
    "baseline target current unit id title note csf met condition obstacle completed link".split()
)
_KEY_WORD = re.compile(r"[A-Za-z_][\w.-]*")
_QUOTES = "\"'"
_OPENERS = {t.FlowSequenceStartToken: ("[", "]", "list"), t.FlowMappingStartToken: ("{", "}", "mapping")}
_CLOSERS = (t.FlowSequenceEndToken, t.FlowMappingEndToken)
# What a scanner error's context mark points at, when it is not a quote or the start of a key.
_INDICATORS = {
    "&": "`&` starts a YAML anchor, which plans do not use",
    "*": "`*` starts a YAML alias, which plans do not use",
    "!": "`!` starts a YAML tag, which plans do not use",
    "%": "a line starting with `%` is a YAML directive, which plans do not use",
}
# Characters shown in a message as escapes: an editor or a log may start a new line at them.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_LONGEST_QUOTE = 60


@dataclass(frozen=True, slots=True)
class Explanation:
    """Where the author must change the front matter (0-based line and column in it) and what is wrong."""

    line: int
    column: int
    message: str


@dataclass(slots=True)
class _Level:
    """A block mapping or list open above the error: its column and the nearest key or item of it."""

    kind: str  # "map" or "seq"
    column: int
    label: str = ""
    count: int = 0
    indentless: bool = False  # a list written at its key's column (`key:` then `- item`)


@dataclass(slots=True)
class _Context:
    error: yaml.MarkedYAMLError
    lines: list[str]  # the front matter as written, for quoting and columns
    tokens: list[t.Token]  # the tokens that start before the error's position
    line: int  # the error's problem position
    column: int
    first_line: int  # the file's line number of the front matter's first line, for line numbers in messages

    def shown_line(self, line: int) -> int:
        return line + self.first_line

    def char(self, line: int, column: int) -> str:
        return self.lines[line][column] if 0 <= line < len(self.lines) and 0 <= column < len(self.lines[line]) else ""

    def indent(self, line: int) -> int:
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        return len(text) - len(text.lstrip(" "))


def explain(error: yaml.MarkedYAMLError, scanned: str, written: str, loader: type, first_line: int = 1) -> Explanation:
    """Explain `error`, raised reading `scanned` (the text the parser saw; `written` is the same text as
    the author wrote it, character for character) whose first line is line `first_line` of its file."""
    lines = written.split("\n")
    try:
        found = _explain(error, scanned, lines, loader, first_line)
    except Exception:  # noqa: BLE001 - an explanation must never cost the finding itself
        found = _fallback(error, lines)
    return _clamped(found, lines)


def _explain(error: yaml.MarkedYAMLError, scanned: str, lines: list[str], loader: type, first_line: int = 1) -> Explanation:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
    context = _Context(error, lines, _scan(scanned, loader, line, column), line, column, first_line)
    for detector in _DETECTORS:
        found = detector(context)
        if found is not None:
            return found
    return _fallback(error, lines)


def _scan(source: str, loader: type, line: int, column: int) -> list[t.Token]:
    """The tokens up to the error's position: the scanner stops at its own errors by itself."""
    scanner = loader(source)
    found: list[t.Token] = []
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if (token.start_mark.line, token.start_mark.column) >= (line, column):
                break
            found.append(token)
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError):
        pass
    finally:
        scanner.dispose()
    return found


def _clamped(found: Explanation, lines: list[str]) -> Explanation:
    """The end of the text is reported on its last line, not on the closing `---` after it."""
    last = len(lines) - 1
    while last > 0 and not lines[last].strip():
        last -= 1
    if found.line > last:
        return Explanation(last, len(lines[last]), found.message)
    return Explanation(max(found.line, 0), max(found.column, 0), found.message)


def _fallback(error: yaml.MarkedYAMLError, lines: list[str]) -> Explanation:
    mark = error.problem_mark or error.context_mark
    words = ", ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
    return Explanation(line, column, f"this line cannot be read as YAML (the parser says: {_shown(words, 200)})")


# -- wording -------------------------------------------------------------------------------------------


def _shown(text: str, longest: int = _LONGEST_QUOTE) -> str:
    """Plan text as `code`, shortened, with no character that could start a new line of output."""
    if len(text) > longest:
        text = text[: longest - 1] + "…"
    # code() escapes control characters; its escapes of `"` and `\\` are undone, so that a suggested
    # `account: "ACME: GmbH"` can be copied as it is.
    shown = _JSON_QUOTE_ESCAPES.sub(lambda escape: escape.group(1) if escape.group(1) in '"\\' else escape.group(0), code(text))
    for character, escape in _LINE_BREAKS.items():
        shown = shown.replace(character, escape)
    return shown


_JSON_QUOTE_ESCAPES = re.compile(r"\\(.)")


def _is_quoted(token: t.ScalarToken) -> bool:
    return bool(token.style) and token.style in _QUOTES  # a plain scalar's style is None or ""


def _spaces(count: int) -> str:
    return "one space" if count == 1 else f"{count} spaces"


def _quoted(value: str) -> str | None:
    """`value` written as a quoted YAML text, or None where no simple quoting keeps it as it is."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return None


def _value_text(line: str, start: int) -> str:
    """A value as written from `start` to the end of its line, without a trailing comment."""
    value = line[start:]
    comment = value.find(" #")
    return (value[:comment] if comment >= 0 else value).rstrip()


def _quote_hint(line: str, start: int) -> str:
    """', e.g. `account: "ACME: GmbH"`' for the value starting at `start`, or ''."""
    suggestion = _quoted(_value_text(line, start))
    return f", e.g. {_shown(line[:start].lstrip() + suggestion)}" if suggestion else ""


# -- the open blocks above a line ----------------------------------------------------------------------


def _levels(context: _Context, before_line: int) -> list[_Level]:
    """The block mappings and lists still open at the end of the line before `before_line`, outermost first."""
    stack: list[_Level] = []
    flow = 0
    tokens = context.tokens
    for at, token in enumerate(tokens):
        if token.start_mark.line >= before_line:
            break
        kind, column = type(token), token.start_mark.column
        if kind in _OPENERS:
            flow += 1
        elif kind in _CLOSERS:
            flow = max(flow - 1, 0)
        elif flow:
            continue
        elif kind is t.BlockMappingStartToken or kind is t.BlockSequenceStartToken:
            stack.append(_Level("map" if kind is t.BlockMappingStartToken else "seq", column))
        elif kind is t.BlockEndToken:
            while stack and stack[-1].indentless:
                stack.pop()
            if stack:
                stack.pop()
        elif kind is t.BlockEntryToken:
            if not (stack and stack[-1].kind == "seq" and stack[-1].column == column):
                stack.append(_Level("seq", column, indentless=True))
            stack[-1].label, stack[-1].count = _item_label(context, at), stack[-1].count + 1
        elif kind is t.KeyToken:
            while stack and stack[-1].indentless and stack[-1].column >= column:
                stack.pop()
            if stack and stack[-1].kind == "map":
                stack[-1].label, stack[-1].count = _key_label(context, at), stack[-1].count + 1
    return stack


def _key_label(context: _Context, at: int) -> str:
    """`title:` for the key token at `at`, as written."""
    tokens = context.tokens
    if at + 2 < len(tokens) and type(tokens[at + 2]) is t.ValueToken:
        start, end = tokens[at].start_mark, tokens[at + 2].start_mark
        if start.line == end.line:
            return str(context.lines[start.line][start.column : end.column]).rstrip() + ":"
    scalar = tokens[at + 1] if at + 1 < len(tokens) else None
    if isinstance(scalar, t.ScalarToken):
        return f"{scalar.value}:"
    return ":"


def _item_label(context: _Context, at: int) -> str:
    """`- id:` for a list item that starts with a key, else `-`."""
    tokens = context.tokens
    if at + 2 < len(tokens) and type(tokens[at + 1]) is t.BlockMappingStartToken and type(tokens[at + 2]) is t.KeyToken:
        if tokens[at + 2].start_mark.line == tokens[at].start_mark.line:
            return f"- {_key_label(context, at + 2)}"
    return "-"


def _nearest(levels: list[_Level], column: int, kind: str) -> _Level | None:
    """The open block whose column is nearest to `column`, of `kind` where there is one; ties go inwards."""
    candidates = [level for level in levels if level.kind == kind] or levels
    best: _Level | None = None
    for level in candidates:  # outermost first: a later level at the same distance is the inner one
        if best is None or abs(level.column - column) <= abs(best.column - column):
            best = level
    return best


def _line_kind(context: _Context, line: int) -> str:
    """What the line at `line` starts with: a list item, a key (`name:`) or text."""
    text = context.lines[line].lstrip(" ") if 0 <= line < len(context.lines) else ""
    if text == "-" or text.startswith("- "):
        return "item"
    if _KEY_WORD.match(text) and re.match(r"[^:#]*:(\s|$)", text) and " " not in text.split(":", 1)[0]:
        return "key"
    return "text"


# -- detectors: each returns an explanation when it recognises the mistake, else None ------------------


def _tab(context: _Context) -> Explanation | None:
    """A tab where YAML expects indentation spaces."""
    for line in dict.fromkeys((context.line, _context_line(context))):
        text = context.lines[line] if 0 <= line < len(context.lines) else ""
        leading = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in leading:
            return Explanation(line, leading.index("\t"), "a tab is used for indentation here: indent with spaces only")
    if context.char(context.line, context.column) == "\t" and isinstance(context.error, yaml.scanner.ScannerError):
        return Explanation(context.line, context.column, "a tab cannot stand here: use spaces")
    return None


def _context_line(context: _Context) -> int:
    mark = context.error.context_mark
    return mark.line if mark is not None else context.line


def _unclosed_quote(context: _Context) -> Explanation | None:
    """A quoted value whose closing quote never comes, or a bad `\\` escape inside double quotes."""
    mark = context.error.context_mark
    if not isinstance(context.error, yaml.scanner.ScannerError) or mark is None:
        return None
    quote = context.char(mark.line, mark.column)
    if quote not in _QUOTES:
        return None
    # libyaml points at the backslash of a bad escape, the pure-Python parser at the character after it.
    backslash = next((at for at in (context.column, context.column - 1) if context.char(context.line, at) == "\\"), -1)
    if quote == '"' and backslash >= 0 and (context.line, backslash) > (mark.line, mark.column):
        escape = context.lines[context.line][backslash : backslash + 2]
        return Explanation(
            context.line,
            backslash,
            f"{_shown(escape)} is not a valid escape inside double quotes: write `\\\\` for a backslash, or use single quotes",
        )
    return Explanation(mark.line, mark.column, f"the quote {_shown(quote)} opened here is never closed")


def _quote_runs_on(context: _Context) -> Explanation | None:
    """A quote closed only on a later line, after which the text no longer reads as YAML."""
    scalars = [token for token in context.tokens if type(token) is t.ScalarToken]
    quoted = next((token for token in reversed(scalars[-2:]) if _is_quoted(token)), None)
    if quoted is None or quoted.start_mark.line == quoted.end_mark.line:
        return None
    start, end = quoted.start_mark, quoted.end_mark
    if context.line != end.line:  # the text after the closing quote is what does not read
        return None
    return Explanation(
        start.line,
        start.column,
        f"the quote {_shown(quoted.style)} opened here is closed only on line {context.shown_line(end.line)}: close it on this line",
    )


def _scanner_indicator(context: _Context) -> Explanation | None:
    """An anchor, alias, tag, directive, block text or character that cannot start a value, where text was meant."""
    if not isinstance(context.error, yaml.scanner.ScannerError):
        return None
    mark = context.error.context_mark
    if mark is not None and (mark.line, mark.column) != (context.line, context.column):
        character = context.char(mark.line, mark.column)
        if character in _INDICATORS:
            hint = _quote_hint(context.lines[mark.line], mark.column) if character != "%" else ""
            return Explanation(mark.line, mark.column, f"{_INDICATORS[character]}: put the value in quotes{hint}")
        if character in "|>":
            return Explanation(
                mark.line,
                mark.column,
                f"{_shown(character)} starts a block of text, and only `-`, `+` or a digit may follow it on its line: "
                f"start the text on the next line, indented, or put the value in quotes"
                + _quote_hint(context.lines[mark.line], mark.column),
            )
        return None
    character = context.char(context.line, context.column)
    if character in ("@", "`"):
        hint = _quote_hint(context.lines[context.line], context.column)
        name = "a backtick" if character == "`" else "`@`"
        return Explanation(context.line, context.column, f"a value cannot start with {name}: put it in quotes{hint}")
    return None


def _unclosed_bracket(context: _Context) -> Explanation | None:
    """A `[` or `{` never closed, or a flow list or mapping written wrongly on its line."""
    opened = _open_flows(context)
    if not opened:
        return None
    opener = opened[-1]
    start = opener.start_mark
    bracket, closer, what = _OPENERS[type(opener)]
    found = context.char(context.line, context.column)
    rest = context.lines[start.line][start.column :]
    if context.line > start.line and rest.count(closer) < rest.count(bracket):
        return Explanation(start.line, start.column, f"the {_shown(bracket)} opened here is never closed: end the {what} with {_shown(closer)}")
    if found == "-":
        problem = f"a {_shown('- ')} item cannot stand inside {_shown(bracket + closer)}: separate the items with `,`"
    elif found in "]}" and found and found != closer:
        problem = f"{_shown(found)} does not close the {_shown(bracket)} at column {start.column + 1}: write {_shown(closer)}"
    else:
        problem = f"inside {_shown(bracket + closer)}, separate the items with `,` and end the {what} with {_shown(closer)}"
    return Explanation(context.line, context.column, problem)


def _open_flows(context: _Context) -> list[t.Token]:
    opened: list[t.Token] = []
    for token in context.tokens:
        if (token.start_mark.line, token.start_mark.column) >= (context.line, context.column):
            break
        if type(token) in _OPENERS:
            opened.append(token)
        elif type(token) in _CLOSERS and opened:
            opened.pop()
    return opened


def _mapping_value(context: _Context) -> Explanation | None:
    """A `: ` where no key can start: inside an unquoted value, or on a line that continues one."""
    if not isinstance(context.error, yaml.scanner.ScannerError) or context.error.context_mark is not None:
        return None
    if context.char(context.line, context.column) != ":":
        return None
    scalar = next((token for token in reversed(context.tokens) if type(token) is t.ScalarToken), None)
    if scalar is None:
        return None
    start = scalar.start_mark
    if start.line == context.line:
        hint = _quote_hint(context.lines[start.line], start.column)
        return Explanation(context.line, context.column, f"`: ` inside an unquoted value: put the value in quotes{hint}")
    at = context.tokens.index(scalar)
    value = context.tokens[at - 1] if at > 0 and type(context.tokens[at - 1]) is t.ValueToken else None
    if value is None or value.start_mark.line != start.line:  # the text on `start.line` was meant as a key
        return _missing_colon_at(context, start.line, start.column)
    if _line_kind(context, context.line) == "key":
        return _indentation(context, context.line, "key")
    return Explanation(
        context.line,
        context.column,
        f"`: ` inside an unquoted value that starts on line {context.shown_line(start.line)}: put the whole value in quotes",
    )


def _missing_colon(context: _Context) -> Explanation | None:
    """A line at a key's column with no `: ` on it (the scanner waited for a key's colon in vain)."""
    mark = context.error.context_mark
    if not isinstance(context.error, yaml.scanner.ScannerError) or mark is None:
        return None
    if context.char(mark.line, mark.column) in "\"'&*!|>%" or mark.column != context.indent(mark.line):
        return None
    return _missing_colon_at(context, mark.line, mark.column)


def _missing_colon_at(context: _Context, line: int, column: int) -> Explanation:
    text = context.lines[line]
    levels = _levels(context, line)
    if levels and levels[-1].kind == "seq" and levels[-1].column == column:
        return Explanation(line, column, f"a list item needs {_shown('- ')} before it, like the items above it ({_shown(levels[-1].label)} at column {column + 1})")
    glued = re.match(r"([A-Za-z_][\w.-]*):([^ \t])", text[column:])  # not \S: Python counts LS and PS as spaces
    if glued:
        fixed = f"{glued.group(1)}: {_value_text(text, column + glued.end(1) + 1)}"
        return Explanation(line, column + glued.end(1), f"a key needs a space after its `:`: write {_shown(fixed)}")
    word = _KEY_WORD.match(text, column)
    rest = _value_text(text, word.end()).strip() if word else ""
    if word and word.group() in _PLAN_KEYS:
        fixed = f"{word.group()}: {rest}".rstrip()
        return Explanation(line, word.end(), f"a key needs `:` after its name: write {_shown(fixed)}")
    above = levels[-1] if levels else None
    if above is not None and above.kind == "map" and column <= above.column:
        return Explanation(
            line,
            column,
            f"a key needs `:` after its name; if this line continues the text of {_shown(above.label)} above, "
            f"indent it more than {_shown(above.label)} (column {above.column + 1})",
        )
    return Explanation(line, column, "a key needs `:` after its name")


def _entry_not_allowed(context: _Context) -> Explanation | None:
    """`key: - item`: a list starting on its key's line."""
    if not isinstance(context.error, yaml.scanner.ScannerError) or context.error.context_mark is not None:
        return None
    if context.char(context.line, context.column) != "-" or context.column == context.indent(context.line):
        return None
    key = context.lines[context.line][: context.column].strip()
    return Explanation(
        context.line,
        context.column,
        f"a list cannot start on the same line as {_shown(key)}: put each {_shown('- ')} item on a line of its own, "
        f"indented under {_shown(key)}, or put the value in quotes",
    )


def _document_end(context: _Context) -> Explanation | None:
    """A line `...` (or `--- text`) inside the front matter, which ends the YAML document there."""
    # A `---` right at the start opens the one document; only a marker after some content ends it.
    marker = next(
        (
            token
            for at, token in enumerate(context.tokens)
            if type(token) is t.DocumentEndToken or (type(token) is t.DocumentStartToken and at > 1)
        ),
        None,
    )
    if marker is None and context.column == 0 and re.match(r"\.\.\.(\s|$)", context.lines[context.line] if context.line < len(context.lines) else ""):
        marker = t.DocumentEndToken(yaml.Mark("", 0, context.line, 0, "", 0), None)  # the error is at it
    if marker is None:
        return None
    start = marker.start_mark
    written = context.lines[start.line][start.column : start.column + 3]
    return Explanation(
        start.line, start.column, f"a line starting with {_shown(written)} ends the plan's YAML here: delete it, or indent or quote it"
    )


def _structure(context: _Context) -> Explanation | None:
    """A parser error at the first token of a line: a key, item or text line at the wrong indentation."""
    if not isinstance(context.error, yaml.parser.ParserError):
        return None
    if context.column != context.indent(context.line) or context.line >= len(context.lines):
        return None
    found = context.char(context.line, context.column)
    if found == ":":
        return Explanation(context.line, context.column, "a line cannot start with `:`: write the key's name before it")
    if found in ("]", "}", ","):
        return Explanation(context.line, context.column, f"{_shown(found)} cannot start a line here: remove it, or put the text in quotes")
    dash = re.match(r"-([^\s-])", context.lines[context.line][context.column :])
    if dash:
        fixed = "- " + context.lines[context.line][context.column + 1 :].strip()
        return Explanation(context.line, context.column + 1, f"a list item needs a space after its `-`: write {_shown(fixed)}")
    block_text = _block_text_above(context)
    if block_text is not None:
        return block_text
    kind = _line_kind(context, context.line)
    return _indentation(context, context.line, kind)


def _indentation(context: _Context, line: int, kind: str) -> Explanation | None:
    """Compare the indentation of `line` with the blocks open above it."""
    levels = _levels(context, line)
    column = context.indent(line)
    same = [level for level in levels if level.column == column]
    if same:
        return _misplaced(context, line, kind, same[-1], levels)
    level = _nearest(levels, column, "seq" if kind == "item" else "map")
    if level is None:
        return None
    delta = column - level.column
    what = "this list item" if kind == "item" else "this line"
    things = ("list item" if level.kind == "seq" else "key") + ("s" if level.count != 1 else "")
    return Explanation(
        line,
        column,
        f"{what} is indented {_spaces(abs(delta))} {'more' if delta > 0 else 'less'} than the {things} above it "
        f"({_shown(level.label)} at column {level.column + 1})",
    )


def _misplaced(context: _Context, line: int, kind: str, level: _Level, levels: list[_Level]) -> Explanation | None:
    """A line at the column of an open block of the other kind: a key among list items, or an item among keys."""
    column = level.column
    if kind == "item" and level.kind == "map":
        return Explanation(
            line,
            column,
            f"a {_shown('- ')} list item cannot stand among the keys above it ({_shown(level.label)} at column {column + 1}): "
            "put the list under a key of its own, indented",
        )
    if kind != "item" and level.kind == "seq":
        inner = levels[levels.index(level) + 1] if levels.index(level) + 1 < len(levels) else None
        fix = f": line it up with {_shown(inner.label)} (column {inner.column + 1})" if inner and inner.kind == "map" else ""
        return Explanation(
            line,
            column,
            f"this line is at the column of the {_shown('-')} of the list items above it ({_shown(level.label)}){fix}",
        )
    return None


def _block_text_above(context: _Context) -> Explanation | None:
    """A line less indented than the `|` or `>` text just above it."""
    scalars = [token for token in context.tokens if type(token) is t.ScalarToken]
    if not scalars or scalars[-1].style not in ("|", ">") or not scalars[-1].style or context.char(context.line, context.column) == "-":
        return None
    block = scalars[-1]
    first = block.start_mark.line + 1
    if first >= len(context.lines) or _line_kind(context, context.line) == "key":
        return None
    return Explanation(
        context.line,
        context.column,
        f"this line is indented less than the text started by {_shown(block.style)} on line {context.shown_line(block.start_mark.line)} "
        f"(column {context.indent(first) + 1}): indent every line of that text at least as much as its first line",
    )


def _after_value(context: _Context) -> Explanation | None:
    """More text on a line after a complete value: after a closing quote or bracket."""
    if not isinstance(context.error, yaml.parser.ParserError):
        return None
    before = [token for token in context.tokens if (token.end_mark.line, token.end_mark.column) <= (context.line, context.column)]
    if not before or before[-1].end_mark.line != context.line:
        return None
    last = before[-1]
    if type(last) is t.ScalarToken and _is_quoted(last):
        closing = last.end_mark.column - 1
        apostrophe = last.style == "'" and context.column == last.end_mark.column
        advice = "; inside single quotes, write an apostrophe as `''`" if apostrophe else ""
        return Explanation(
            context.line,
            closing,
            f"the quoted value ends at this {_shown(last.style)}, but more text follows: put the whole value in quotes{advice}",
        )
    if type(last) in _CLOSERS:
        return Explanation(
            context.line, context.column, f"text after the closing {_shown(context.char(last.start_mark.line, last.start_mark.column))}: a value ends there"
        )
    found = context.char(context.line, context.column)
    if found in ("]", "}", ","):
        return Explanation(context.line, context.column, f"a value cannot start with {_shown(found)}: remove it, or put the value in quotes")
    return None


_DETECTORS: tuple[Callable[[_Context], Explanation | None], ...] = (
    _tab,
    _unclosed_quote,
    _scanner_indicator,
    _document_end,
    _unclosed_bracket,
    _quote_runs_on,
    _mapping_value,
    _missing_colon,
    _entry_not_allowed,
    _after_value,
    _structure,
)
