"""JSON equality as JSON Schema means it: ``true`` is not ``1``, ``1`` is ``1.0``.

>>> json_equal([1, {"a": True}], [1.0, {"a": True}]), json_equal(True, 1)
(True, False)
"""

from __future__ import annotations

from typing import Any


def json_equal(a: Any, b: Any) -> bool:
    """Are the JSON values ``a`` and ``b`` the same value?"""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(
            json_equal(x, y) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def first_difference(expected: Any, got: Any, at: str = "") -> str | None:
    """Where ``got`` first differs from ``expected`` (a JSON pointer and both values).

    >>> first_difference({"a": [1, "x"]}, {"a": [1, 2]})
    "at /a/1: expected 'x', got 2"
    """
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in [*expected, *(k for k in got if k not in expected)]:
            where = at + "/" + str(key).replace("~", "~0").replace("/", "~1")
            if key not in got:
                return f"at {where}: missing (expected {expected[key]!r:.80})"
            if key not in expected:
                return f"at {where}: unexpected {got[key]!r:.80}"
            found = first_difference(expected[key], got[key], where)
            if found:
                return found
        return None
    if (
        isinstance(expected, list)
        and isinstance(got, list)
        and len(expected) == len(got)
    ):
        for i, (x, y) in enumerate(zip(expected, got, strict=True)):
            found = first_difference(x, y, f"{at}/{i}")
            if found:
                return found
        return None
    if json_equal(expected, got):
        return None
    return f"at {at or '/'}: expected {expected!r:.80}, got {got!r:.80}"
