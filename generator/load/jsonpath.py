"""The JSONPath subset that OpenAPI Overlays use (RFC 9535 semantics).

Supported: the root ``$``; child segments ``.name``, ``.*``, ``['name']``,
``["name"]``, ``[0]``, ``[-1]``, ``[*]`` and unions such as ``['a', 'b']``;
descendant segments ``..name``, ``..*``, ``..[...]``; filters
``[?(@.key == 'v')]`` or ``[?@.key == 'v']`` with ``==``, ``!=``, ``<``,
``<=``, ``>``, ``>=``, existence tests ``[?(@.key)]``, ``!``, ``&&``, ``||``
and parentheses. Queries inside filters may start at ``@`` (the candidate)
or ``$`` (the document). Slices and function extensions are not supported
and are reported as errors.

A selected node is returned with its location, the tuple of keys and
indices that lead to it from the root, so a caller can change or remove it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Location = tuple[str | int, ...]
Node = tuple[Location, Any]


class JsonPathError(ValueError):
    """A malformed or unsupported expression; ``position`` is 0-based."""

    def __init__(self, message: str, expression: str, position: int) -> None:
        super().__init__(f"{message} at character {position + 1} of {expression!r}")
        self.reason = message
        self.position = position


# -- selectors ---------------------------------------------------------------


class _Nothing:
    """The value of a filter query that selects no single node."""


NOTHING = _Nothing()


def _children(value: Any, location: Location) -> Iterator[Node]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*location, key), child
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*location, index), child


def _descendants(value: Any, location: Location) -> Iterator[Node]:
    """The node itself, then every node below it, depth first, in order."""
    yield location, value
    for child_location, child in _children(value, location):
        yield from _descendants(child, child_location)


Selector = Callable[[Any, Location, Any], Iterator[Node]]


def _name(name: str) -> Selector:
    def select(value: Any, location: Location, root: Any) -> Iterator[Node]:
        if isinstance(value, dict) and name in value:
            yield (*location, name), value[name]

    return select


def _index(index: int) -> Selector:
    def select(value: Any, location: Location, root: Any) -> Iterator[Node]:
        if isinstance(value, list):
            i = index + len(value) if index < 0 else index
            if 0 <= i < len(value):
                yield (*location, i), value[i]

    return select


def _wildcard(value: Any, location: Location, root: Any) -> Iterator[Node]:
    yield from _children(value, location)


Predicate = Callable[[Any, Any], bool]


def _filter(predicate: Predicate) -> Selector:
    def select(value: Any, location: Location, root: Any) -> Iterator[Node]:
        for child_location, child in _children(value, location):
            if predicate(child, root):
                yield child_location, child

    return select


@dataclass(frozen=True)
class _Segment:
    selectors: tuple[Selector, ...]
    descendant: bool

    def apply(self, nodes: list[Node], root: Any) -> list[Node]:
        out: list[Node] = []
        for location, value in nodes:
            targets = (
                _descendants(value, location)
                if self.descendant
                else iter([(location, value)])
            )
            for target_location, target in targets:
                for selector in self.selectors:
                    out.extend(selector(target, target_location, root))
        return out


@dataclass(frozen=True)
class JsonPath:
    """A compiled expression; :meth:`select` returns the matching nodes."""

    expression: str
    segments: tuple[_Segment, ...]

    def select(self, root: Any) -> list[Node]:
        """Matching nodes in document order, each location at most once."""
        nodes = _run(self.segments, (), root, root)
        seen: set[Location] = set()
        unique: list[Node] = []
        for location, value in nodes:
            if location not in seen:
                seen.add(location)
                unique.append((location, value))
        return unique


def _run(
    segments: tuple[_Segment, ...], location: Location, value: Any, root: Any
) -> list[Node]:
    nodes: list[Node] = [(location, value)]
    for segment in segments:
        nodes = segment.apply(nodes, root)
        if not nodes:
            break
    return nodes


# -- comparisons (RFC 9535 section 2.3.5.2.2) --------------------------------


def _same_kind(a: Any, b: Any) -> bool:
    def kind(v: Any) -> str:
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, int | float):
            return "number"
        return type(v).__name__

    return kind(a) == kind(b)


def _equal(a: Any, b: Any) -> bool:
    if a is NOTHING or b is NOTHING:
        return a is b
    return _same_kind(a, b) and bool(a == b)


def _less(a: Any, b: Any) -> bool:
    if a is NOTHING or b is NOTHING or not _same_kind(a, b):
        return False
    if isinstance(a, bool) or not isinstance(a, int | float | str):
        return False
    return bool(a < b)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": _less,
    "<=": lambda a, b: _less(a, b) or _equal(a, b),
    ">": lambda a, b: _less(b, a),
    ">=": lambda a, b: _less(b, a) or _equal(a, b),
}

# -- parser ------------------------------------------------------------------

_NAME_EXTRA = "_-$"
_ESCAPES = {
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "/": "/",
    "\\": "\\",
    "'": "'",
    '"': '"',
}

Operand = Callable[[Any, Any], Any]


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # helpers
    def fail(self, message: str, pos: int | None = None) -> JsonPathError:
        return JsonPathError(message, self.text, self.pos if pos is None else pos)

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def skip_ws(self) -> None:
        while not self.at_end() and self.text[self.pos] in " \t\n\r":
            self.pos += 1

    def expect(self, token: str) -> None:
        self.skip_ws()
        if not self.text.startswith(token, self.pos):
            found = self.peek() or "the end"
            raise self.fail(f"expected {token!r}, found {found!r}")
        self.pos += len(token)

    # grammar
    def query(self) -> JsonPath:
        if self.peek() != "$":
            raise self.fail("a JSONPath expression starts with '$'")
        self.pos += 1
        segments = self.segments()
        self.skip_ws()
        if not self.at_end():
            raise self.fail(f"unexpected {self.peek()!r}")
        return JsonPath(self.text, segments)

    def segments(self) -> tuple[_Segment, ...]:
        out: list[_Segment] = []
        while True:
            start = self.pos
            self.skip_ws()
            if self.peek(2) == "..":
                self.pos += 2
                out.append(self.after_dot(descendant=True))
            elif self.peek() == ".":
                self.pos += 1
                out.append(self.after_dot(descendant=False))
            elif self.peek() == "[":
                out.append(_Segment(self.bracket(), descendant=False))
            else:
                self.pos = start
                return tuple(out)

    def after_dot(self, *, descendant: bool) -> _Segment:
        char = self.peek()
        if char == "*":
            self.pos += 1
            return _Segment((_wildcard,), descendant)
        if char == "[" and descendant:
            return _Segment(self.bracket(), descendant)
        name = self.shorthand()
        if not name:
            raise self.fail("expected a member name, '*' or '[' after '.'")
        return _Segment((_name(name),), descendant)

    def shorthand(self) -> str:
        start = self.pos
        while not self.at_end():
            char = self.text[self.pos]
            if char.isalnum() or char in _NAME_EXTRA or ord(char) > 0x7F:
                self.pos += 1
            else:
                break
        return self.text[start : self.pos]

    def bracket(self) -> tuple[Selector, ...]:
        self.expect("[")
        selectors = [self.selector()]
        self.skip_ws()
        while self.peek() == ",":
            self.pos += 1
            selectors.append(self.selector())
            self.skip_ws()
        self.expect("]")
        return tuple(selectors)

    def selector(self) -> Selector:
        self.skip_ws()
        char = self.peek()
        if char in ("'", '"'):
            return _name(self.string())
        if char == "*":
            self.pos += 1
            return _wildcard
        if char == "?":
            self.pos += 1
            return _filter(self.logical_or())
        if char == "-" or char.isdigit():
            index = self.integer()
            self.skip_ws()
            if self.peek() == ":":
                raise self.fail("array slices are not supported")
            return _index(index)
        if char == ":":
            raise self.fail("array slices are not supported")
        raise self.fail(
            f"expected a quoted name, an index, '*' or a filter, found {char or 'the end'!r}"
        )

    def integer(self) -> int:
        start = self.pos
        if self.peek() == "-":
            self.pos += 1
        digits = self.pos
        while self.peek().isdigit():
            self.pos += 1
        if self.pos == digits:
            raise self.fail("expected a number", start)
        return int(self.text[start : self.pos])

    def string(self) -> str:
        quote = self.peek()
        start = self.pos
        self.pos += 1
        out: list[str] = []
        while True:
            if self.at_end():
                raise self.fail("unterminated string", start)
            char = self.text[self.pos]
            self.pos += 1
            if char == quote:
                return "".join(out)
            if char != "\\":
                out.append(char)
                continue
            esc = self.peek()
            self.pos += 1
            if esc in _ESCAPES:
                out.append(_ESCAPES[esc])
            elif esc == "u":
                code = self.text[self.pos : self.pos + 4]
                try:
                    out.append(chr(int(code, 16)))
                except ValueError:
                    raise self.fail("bad \\u escape", self.pos - 2) from None
                self.pos += 4
            else:
                raise self.fail(f"bad escape '\\{esc}'", self.pos - 2)

    # filter expressions
    def logical_or(self) -> Predicate:
        parts = [self.logical_and()]
        self.skip_ws()
        while self.peek(2) == "||":
            self.pos += 2
            parts.append(self.logical_and())
            self.skip_ws()
        if len(parts) == 1:
            return parts[0]
        return lambda node, root: any(p(node, root) for p in parts)

    def logical_and(self) -> Predicate:
        parts = [self.unary()]
        self.skip_ws()
        while self.peek(2) == "&&":
            self.pos += 2
            parts.append(self.unary())
            self.skip_ws()
        if len(parts) == 1:
            return parts[0]
        return lambda node, root: all(p(node, root) for p in parts)

    def unary(self) -> Predicate:
        self.skip_ws()
        if self.peek() == "!" and self.peek(2) != "!=":
            self.pos += 1
            inner = self.unary()
            return lambda node, root: not inner(node, root)
        if self.peek() == "(":
            self.pos += 1
            inner = self.logical_or()
            self.expect(")")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        self.skip_ws()
        start = self.pos
        left, left_is_query = self.operand()
        self.skip_ws()
        op = next(
            (
                o
                for o in ("==", "!=", "<=", ">=", "<", ">")
                if self.peek(2).startswith(o)
            ),
            None,
        )
        if op is None:
            if not left_is_query:
                raise self.fail("a literal alone is not a test", start)
            exists = left
            return lambda node, root: exists(node, root) is not NOTHING
        self.pos += len(op)
        self.skip_ws()
        right, _ = self.operand()
        compare = _COMPARE[op]
        return lambda node, root: compare(left(node, root), right(node, root))

    def operand(self) -> tuple[Operand, bool]:
        char = self.peek()
        if char in ("@", "$"):
            self.pos += 1
            segments = self.segments()
            relative = char == "@"

            def value(node: Any, root: Any) -> Any:
                found = _run(segments, (), node if relative else root, root)
                return found[0][1] if len(found) == 1 else NOTHING

            return value, True
        literal = self.literal()
        return (lambda node, root: literal), False

    def literal(self) -> Any:
        char = self.peek()
        if char in ("'", '"'):
            return self.string()
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return value
        start = self.pos
        if char == "-" or char.isdigit():
            self.integer()
            is_float = False
            if self.peek() == "." and self.peek(2)[1:].isdigit():
                self.pos += 1
                self.integer()
                is_float = True
            if self.peek() in ("e", "E"):
                self.pos += 1
                if self.peek() in ("+", "-"):
                    self.pos += 1
                self.integer()
                is_float = True
            text = self.text[start : self.pos]
            return float(text) if is_float else int(text)
        if self.text.startswith(
            ("length(", "count(", "match(", "search(", "value("), self.pos
        ):
            raise self.fail("filter functions are not supported")
        raise self.fail(
            f"expected '@', '$' or a literal in the filter, found {char or 'the end'!r}"
        )


def compile_path(expression: str) -> JsonPath:
    """Parse ``expression``; :class:`JsonPathError` if it is malformed."""
    return _Parser(expression).query()
