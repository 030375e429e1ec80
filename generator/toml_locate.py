"""Best-effort line numbers for JSON pointers into ``[tool.clientgen]``.

``tomllib`` keeps no positions, so this scans the text: tables and arrays
of tables by their headers, keys by ``key =``, array items by counting the
items of the array (inline tables included). It is used only to point a
configuration error at a line; ``None`` when unsure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_HEADER = re.compile(r"^[ \t]*\[\[?([^\]\n]+)\]\]?[ \t]*(?:#.*)?$", re.M)


def _dotted(header: str) -> list[str]:
    return [part.strip().strip("\"'") for part in header.split(".")]


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _skip_string(text: str, pos: int) -> int:
    """Position after the string starting at ``pos``."""
    quote = text[pos]
    triple = text.startswith(quote * 3, pos)
    end_token = quote * 3 if triple else quote
    i = pos + len(end_token)
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text.startswith(end_token, i):
            return i + len(end_token)
        i += 1
    return len(text)


def _value_end(text: str, pos: int) -> int:
    """End of the value starting at ``pos`` (an array, inline table or scalar)."""
    depth = 0
    i = pos
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _skip_string(text, i)
            continue
        if char == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
            if depth < 0:
                return i
        elif depth == 0 and char in ",\n":
            return i
        i += 1
    return i


def _items(text: str, start: int, end: int) -> list[int]:
    """Start positions of the items of the array or inline table at ``start``."""
    out: list[int] = []
    i = start + 1
    while i < end - 1:
        char = text[i]
        if char in " \t\r\n,":
            i += 1
            continue
        if char == "#":
            while i < end and text[i] != "\n":
                i += 1
            continue
        out.append(i)
        i = _value_end(text, i)
    return out


def _key_in(text: str, key: str, start: int, end: int) -> int | None:
    """Position of ``key =`` at the top level of the region [start, end)."""
    pattern = re.compile(
        r"(?:"
        + re.escape(key)
        + r'|"'
        + re.escape(key)
        + r'"|\''
        + re.escape(key)
        + r"')[ \t]*[=.]",
        re.M,
    )
    i = start
    depth = 0
    while i < end:
        char = text[i]
        if char in "\"'":
            if depth == 0:
                match = pattern.match(text, i)
                if match:
                    return i
            i = _skip_string(text, i)
            continue
        if char == "#":
            while i < end and text[i] != "\n":
                i += 1
            continue
        if char in "[{" and i != start:
            depth += 1
        elif char in "]}":
            depth -= 1
        elif depth == 0 and (i == start or text[i - 1] in " \t\n{,"):
            match = pattern.match(text, i)
            if match:
                return i
        i += 1
    return None


def _key_in_end(text: str, pos: int) -> int:
    """Position of the ``=`` or ``.`` after the key at ``pos``."""
    i = _skip_string(text, pos) if text[pos] in "\"'" else pos
    while text[i] not in "=.":
        i += 1
    return i


class _Header(NamedTuple):
    start: int
    end: int
    path: list[str]


class _Answer(NamedTuple):
    """The final answer of a walk: a line, or None when unsure."""

    line: int | None


class _Walk:
    """A position inside a table's body while following a pointer's tokens."""

    def __init__(self, text: str, start: int, end: int, header_at: int) -> None:
        self.text = text
        self.start, self.end = start, end  # the region keys are searched in
        self.header_at = header_at
        self.pos: int | None = None  # the value reached, if any

    def answer(self, pos: int) -> _Answer:
        return _Answer(_line(self.text, pos))

    def item(self, token: str) -> _Answer | None:
        """Step into item ``token`` of the array at ``pos``."""
        assert self.pos is not None
        items = _items(self.text, self.pos, _value_end(self.text, self.pos))
        if not token.isdigit() or int(token) >= len(items):
            return self.answer(self.pos)
        self.pos = items[int(token)]
        return None

    def key(self, token: str, last: bool) -> _Answer | None:
        """Step to key ``token`` of the table (or inline table at ``pos``)."""
        text = self.text
        if self.pos is not None:
            if text[self.pos] != "{":
                return self.answer(self.pos)
            self.start, self.end = self.pos, _value_end(text, self.pos)
        key_at = _key_in(text, token, self.start, self.end)
        if key_at is None:
            return self.answer(self.pos if self.pos is not None else self.header_at)
        if last:
            return self.answer(key_at)
        after = _key_in_end(text, key_at)
        if text[after] == ".":  # a dotted key: the rest is on this line
            line_end = text.find("\n", after)
            self.start = after + 1
            self.end = line_end if line_end >= 0 else len(text)
            self.pos = None
            return None
        value = after + 1
        while value < self.end and text[value] in " \t":
            value += 1
        self.pos = value
        return None


def _headers(text: str) -> list[_Header]:
    return [
        _Header(m.start(), m.end(), _dotted(m.group(1))) for m in _HEADER.finditer(text)
    ]


def _body(text: str, headers: list[_Header], header: _Header) -> _Walk:
    """A walk at the start of the body below ``header``."""
    after = [h.start for h in headers if h.start > header.start]
    return _Walk(text, header.end, after[0] if after else len(text), header.start)


def _choose(
    text: str, found: list[_Header], tokens: list[str], index: int
) -> tuple[_Header, int] | _Answer:
    """The header for ``tokens[index]`` and how many tokens it consumes."""
    if not text[found[0].start :].lstrip().startswith("[["):
        return found[0], 1
    # An array of tables: the next token picks one of them.
    if index + 1 >= len(tokens) or not tokens[index + 1].isdigit():
        return _Answer(_line(text, found[0].start))
    n = int(tokens[index + 1])
    if n >= len(found):
        return _Answer(None)
    return found[n], 2


def _descend_tables(
    text: str, table: list[str], tokens: list[str]
) -> tuple[_Walk, int] | _Answer:
    """Follow ``tokens`` through [table] and [[array of tables]] headers.

    Returns the walk in the deepest table's body and the index of the first
    token left for its keys, or the answer.
    """
    headers = _headers(text)
    own = [h for h in headers if h.path == table]
    if not own:
        return _Answer(None)
    walk = _body(text, headers, own[0])
    path = list(table)
    index = 0
    while index < len(tokens):
        wanted = [*path, tokens[index]]
        found = [h for h in headers if h.path == wanted and h.start > walk.header_at]
        if not found:
            break
        chosen = _choose(text, found, tokens, index)
        if isinstance(chosen, _Answer):
            return chosen
        header, used = chosen
        index += used
        path = wanted
        walk = _body(text, headers, header)
        if index == len(tokens):
            return _Answer(_line(text, header.start))
    return walk, index


def toml_line(text: str, table: list[str], tokens: list[str]) -> int | None:
    """Line of ``tokens`` (a pointer's tokens) below the table ``table``.

    >>> toml_line("[tool.x]\\nname = 1\\n", ["tool", "x"], ["name"])
    2
    """
    descent = _descend_tables(text, table, tokens)
    if isinstance(descent, _Answer):
        return descent.line
    walk, first = descent
    # Then through keys, arrays and inline tables inside that table's body.
    for index in range(first, len(tokens)):
        token = tokens[index]
        if walk.pos is not None and text[walk.pos] == "[":
            answer = walk.item(token)
        else:
            answer = walk.key(token, last=index == len(tokens) - 1)
        if answer is not None:
            return answer.line
    return None if walk.pos is None else _line(text, walk.pos)
