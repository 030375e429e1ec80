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
