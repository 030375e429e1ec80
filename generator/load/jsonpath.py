"""JSONPath (RFC 9535) for OpenAPI Overlays, on the ``jsonpath-rfc9535`` library.

Overlay 1.0 targets are RFC 9535 queries (https://www.rfc-editor.org/rfc/rfc9535).
The library parses and evaluates them; this module only adapts it to what the
overlay step needs: an error with a 0-based position for a malformed query,
and each selected node with its *location* (the keys and indices that lead to
it from the root), so a caller can change or remove it in place.

>>> compile_path("$.tags[?@.name == 'a'].name").select({"tags": [{"name": "a"}]})
[(('tags', 0, 'name'), 'a')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jsonpath_rfc9535

Location = tuple[str | int, ...]
Node = tuple[Location, Any]

__all__ = ["JsonPath", "JsonPathError", "Location", "Node", "compile_path"]


class JsonPathError(ValueError):
    """A malformed query, or one that cannot be evaluated; ``position`` is 0-based."""

    def __init__(self, message: str, expression: str, position: int) -> None:
        super().__init__(f"{message} at character {position + 1} of {expression!r}")
        self.reason = message
        self.position = position


def _error(exc: jsonpath_rfc9535.JSONPathError, expression: str) -> JsonPathError:
    # str(exc) appends "line, column" of the library's own; keep the bare reason.
    reason = str(exc.args[0]) if exc.args else type(exc).__name__
    index = exc.token.index if exc.token is not None else 0
    return JsonPathError(reason, expression, min(max(index, 0), len(expression)))


@dataclass(frozen=True)
class JsonPath:
    """A compiled query; :meth:`select` returns the matching nodes."""

    expression: str
    query: jsonpath_rfc9535.JSONPathQuery

    def select(self, root: Any) -> list[Node]:
        """Matching nodes in document order, each location at most once.

        RFC 9535 keeps duplicates (``$.a[0,0]``); an overlay action must not
        update or remove a node twice, so they are dropped here.
        """
        try:
            nodes = self.query.find(root)
        except jsonpath_rfc9535.JSONPathError as exc:
            raise _error(exc, self.expression) from None
        seen: set[Location] = set()
        unique: list[Node] = []
        for node in nodes:
            if node.location not in seen:
                seen.add(node.location)
                unique.append((node.location, node.value))
        return unique


def compile_path(expression: str) -> JsonPath:
    """Parse an RFC 9535 query; :class:`JsonPathError` if it is malformed."""
    try:
        return JsonPath(expression, jsonpath_rfc9535.compile(expression))
    except jsonpath_rfc9535.JSONPathError as exc:
        raise _error(exc, expression) from None
