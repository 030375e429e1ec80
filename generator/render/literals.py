"""The one escaping path from spec text to Python source.

Every string that comes from a description (names aside, which go through
:mod:`generator.builder.names`) reaches generated code only as the output of
one of these functions, so a hostile description, enum value or default can
never inject code or break a file.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ud800-\udfff]")


def _control_escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: An escape sequence of a ``repr`` body (one unit), or a bare quote.
_UNIT_OR_DQ = re.compile(r'\\.|"')
_UNIT_OR_SQ = re.compile(r"\\.|'")


def _to_double(match: re.Match[str]) -> str:
    unit = match.group(0)
    return '\\"' if unit == '"' else ("'" if unit == "\\'" else unit)


def _to_single(match: re.Match[str]) -> str:
    unit = match.group(0)
    return "\\'" if unit == "'" else ('"' if unit == '\\"' else unit)


def py_str(value: str) -> str:
    """A Python string literal that evaluates to ``value``, as black writes it.

    Double quotes, unless that needs more backslashes than single quotes
    (black's own rule, so black leaves the literal as it is).

    >>> py_str('say "hi"')
    '\'say "hi"\''
    >>> py_str("it's")
    '"it\'s"'
    """
    text = repr(value)
    body = text[1:-1]
    if value.count('"') <= value.count("'"):
        if text[0] == "'":
            body = _UNIT_OR_DQ.sub(_to_double, body)
        quoted = f'"{body}"'
    else:
        # repr() quotes with ' here unless ``value`` has no '
        if text[0] == '"':
            body = _UNIT_OR_SQ.sub(_to_single, body)
        quoted = f"'{body}'"
    # repr() keeps lone surrogates and line separators as-is in some cases;
    # escape them so the source file stays valid UTF-8 on one line.
    return _CONTROL.sub(_control_escape, quoted)


def str_of(literal: str) -> str:
    """The text a :func:`py_str` literal stands for: its inverse.

    Slicing off the quotes is wrong as soon as ``repr`` escaped anything
    (a backslash, a quote, a control or format character).
    """
    value = ast.literal_eval(literal)
    if not isinstance(value, str):
        raise ValueError(f"not a string literal: {literal!r}")
    return value


def py_doc(text: str | None, *, indent: str = "") -> str | None:
    """A triple-quoted docstring literal for ``text``, or None if empty.

    Backslashes, quotes and control characters are escaped; newlines are kept
    so the docstring reads naturally. The literal is already in the shape
    black gives docstrings (continuation lines dedented to ``indent``, no
    trailing whitespace, a space before the closing quotes after a quote), so
    black leaves it as it is.
    """
    if not text:
        return None
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        return None
    cleaned = cleaned.replace("\\", "\\\\").replace('"', '\\"')
    cleaned = _CONTROL.sub(_control_escape, cleaned.replace("\t", "    "))
    lines = [line.rstrip() for line in cleaned.split("\n")]
    # black removes the indentation common to the lines after the first
    # (str.lstrip's idea of whitespace) and puts ``indent`` in its place.
    margin = min(
        (len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()),
        default=0,
    )
    lines[1:] = [indent + line[margin:] if line else "" for line in lines[1:]]
    body = "\n".join(lines)
    if len(lines) > 1:
        return f'"""{body}\n{indent}"""'
    if body.endswith('"'):
        body += " "  # black's padding: \" just before the closing quotes
    return f'"""{body}"""'


def _py_float(value: float) -> str:
    text = repr(value)
    # black writes exponents without "+": 1e+20 → 1e20
    return text.replace("e+", "e")


def py_value(value: Any) -> str:
    """A Python expression for a JSON value (str, int, float, bool, None, list, dict).

    Written the way black writes it (one line; black splits it if too long).
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({py_str(repr(value))})"
        return _py_float(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{py_str(str(k))}: {py_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    return py_str(str(value))


def py_tuple(items: list[str]) -> str:
    """A tuple display of the expressions ``items``, spaced as black does."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


def py_comment_safe(text: str) -> str:
    """Text safe inside a ``#`` comment: one line, no control characters."""
    return _CONTROL.sub("?", text.replace("\n", " ").replace("\r", " "))
