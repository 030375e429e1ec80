"""Best-effort line numbers for JSON pointers into ``[tool.clientgen]``.

``tomllib`` keeps no positions, so this scans the text: tables and arrays
of tables by their headers, keys by ``key =``, array items by counting the
items of the array (inline tables included). It is used only to point a
configuration error at a line; ``None`` when unsure.
"""

from __future__ import annotations

import re

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


def toml_line(text: str, table: list[str], tokens: list[str]) -> int | None:
    """Line of ``tokens`` (a pointer's tokens) below the table ``table``."""
    headers = [
        (m.start(), m.end(), _dotted(m.group(1))) for m in _HEADER.finditer(text)
    ]

    def body_of(header_start: int, header_end: int) -> tuple[int, int]:
        after = [h[0] for h in headers if h[0] > header_start]
        return header_end, after[0] if after else len(text)

    own = [h for h in headers if h[2] == table]
    if not own:
        return None
    header_at = own[0][0]
    start, end = body_of(own[0][0], own[0][1])
    path = list(table)
    index = 0
    # Descend through [table] and [[array of tables]] headers first.
    while index < len(tokens):
        wanted = [*path, tokens[index]]
        found = [h for h in headers if h[2] == wanted and h[0] > header_at]
        if not found:
            break
        if text[found[0][0] :].lstrip().startswith("[["):
            if index + 1 >= len(tokens) or not tokens[index + 1].isdigit():
                return _line(text, found[0][0])
            n = int(tokens[index + 1])
            if n >= len(found):
                return None
            chosen = found[n]
            index += 2
        else:
            chosen = found[0]
            index += 1
        path = wanted
        header_at = chosen[0]
        start, end = body_of(chosen[0], chosen[1])
        if index == len(tokens):
            return _line(text, chosen[0])
    # Then through keys, arrays and inline tables inside that table's body.
    pos: int | None = None
    while index < len(tokens):
        token = tokens[index]
        if pos is not None and text[pos] == "[":
            items = _items(text, pos, _value_end(text, pos))
            if not token.isdigit() or int(token) >= len(items):
                return _line(text, pos)
            pos = items[int(token)]
        else:
            if pos is not None:
                if text[pos] != "{":
                    return _line(text, pos)
                start, end = pos, _value_end(text, pos)
            key_at = _key_in(text, token, start, end)
            if key_at is None:
                return _line(text, pos if pos is not None else header_at)
            if index == len(tokens) - 1:
                return _line(text, key_at)
            after = _key_in_end(text, key_at)
            if text[after] == ".":  # a dotted key: the rest is on this line
                line_end = text.find("\n", after)
                start, end = after + 1, line_end if line_end >= 0 else len(text)
                pos = None
                index += 1
                continue
            value = after + 1
            while value < end and text[value] in " \t":
                value += 1
            pos = value
        index += 1
    return None if pos is None else _line(text, pos)
