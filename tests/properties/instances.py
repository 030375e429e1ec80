"""Valid JSON instances of the schema model in ``specs.py``, and a validator.

Instances are *canonical* where JSON Schema allows several spellings of one
value (``date-time`` as :meth:`datetime.isoformat` writes it, ``uuid`` in lower
case), because a client that decodes to Python values writes them back that
way; any other difference between instance and output is a bug.

A ``oneOf`` instance must match exactly one member: members are drawn until
one fits only its own member (:func:`validates` decides). Recursion is bounded
by ``budget``: past it, optional properties are left out and arrays are empty.

    >>> from hypothesis import find
    >>> from properties.model import Array, Prim
    >>> find(instances(Array(Prim("integer")), {}), lambda v: len(v) > 1)
    [0, 0]
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from .jsonvalue import json_equal
from .model import (
    AllOf,
    AnyValue,
    Array,
    Const,
    Enum,
    Map,
    Node,
    Null,
    Obj,
    Prim,
    Ref,
    Tagged,
    Union,
)
from .specs import AWKWARD_PROPS, COLLIDING_PROPS, PLAIN_PROPS

Comps = dict[str, Node]
BUDGET = 3

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
#: Undeclared keys an object instance may carry (``additionalProperties`` is
#: not given, so any key is allowed). A key that is a Python identifier may be
#: spelled like the Python name of a declared property (``first_name`` beside
#: ``first-name``, ``field`` beside ``_``): those are drawn only with the
#: feature ``extra_keys_like_fields``.
_NAMES = AWKWARD_PROPS + PLAIN_PROPS + COLLIDING_PROPS
EXTRA_KEYS = (st.sampled_from(_NAMES) | TEXT).filter(lambda k: not k.isidentifier())
FIELD_LIKE_KEYS = st.sampled_from([k for k in _NAMES if k.isidentifier()])
_OFFSET = st.integers(-14 * 60, 14 * 60).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)


def _rfc3339(when: dt.datetime) -> str:
    """``when`` as the client writes it: ISO 8601, UTC as ``Z``."""
    text = when.isoformat()
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


_STRINGS: dict[str | None, st.SearchStrategy[str]] = {
    None: TEXT,
    "date": st.dates(dt.date(1000, 1, 1)).map(dt.date.isoformat),
    "date-time": st.datetimes(dt.datetime(1000, 1, 1), timezones=_OFFSET).map(_rfc3339),
    "uuid": st.uuids().map(str),
    "byte": st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode()),
    "decimal": st.builds(
        lambda whole, frac: f"{whole}.{frac:02d}",
        st.integers(-(10**12), 10**12),
        st.integers(0, 99),
    ),
}
_NUMBERS = st.floats(allow_nan=False, allow_infinity=False) | st.integers(
    -(2**53), 2**53
)
_PRIMS: dict[tuple[str, str | None], st.SearchStrategy[Any]] = {
    ("integer", None): st.integers(-(2**70), 2**70),
    ("integer", "int32"): st.integers(-(2**31), 2**31 - 1),
    ("integer", "int64"): st.integers(-(2**63), 2**63 - 1),
    ("number", None): _NUMBERS,
    ("number", "double"): _NUMBERS,
    ("number", "float"): st.floats(width=32, allow_nan=False, allow_infinity=False),
    ("boolean", None): st.booleans(),
}


def instances(
    node: Node,
    comps: Comps,
    budget: int = BUDGET,
    extra_keys: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Any]:
    """Valid JSON values of ``node``; ``comps`` are the named components.

    With ``extra_keys``, objects may carry undeclared properties named so.
    """
    return _instance(node, _Env(comps, extra_keys), budget)


class _Env(dict[str, Node]):
    """The components, and the names of undeclared keys objects may carry."""

    def __init__(self, comps: Comps, extra_keys: st.SearchStrategy[str] | None) -> None:
        super().__init__(comps)
        self.extra_keys = extra_keys


@st.composite
def _instance(draw: st.DrawFn, node: Node, comps: Comps, budget: int) -> Any:
    # Drawn step by step rather than built as one strategy tree: a tree of a
    # large description costs more to build and validate than to draw from.
    match node:
        case Prim(type="string", format=fmt):
            return draw(_STRINGS[fmt])
        case Prim(type=t, format=fmt):
            return draw(_PRIMS[(t, fmt)])
        case Enum(values=values):
            return draw(st.sampled_from(values))
        case Const(value=value):
            return value
        case Array(items=items):
            size = 0 if budget <= 0 else draw(st.integers(0, 3))
            return [draw(_instance(items, comps, budget)) for _ in range(size)]
        case Map(values=values):
            size = 0 if budget <= 0 else draw(st.integers(0, 3))
            keys = draw(st.lists(TEXT, min_size=size, max_size=size, unique=True))
            return {k: draw(_instance(values, comps, budget)) for k in keys}
        case Obj(props=props):
            return _object(draw, props, comps, budget)
        case Null(inner=inner):
            return (
                None if draw(st.booleans()) else draw(_instance(inner, comps, budget))
            )
        case Union(keyword=keyword, members=members):
            return _union(draw, keyword, members, comps, budget)
        case Ref(key=key):
            return draw(_instance(comps[key], comps, budget - 1))
        case AnyValue(free_form=True):
            return draw(st.dictionaries(TEXT, JSON, max_size=3))
        case AnyValue():
            return draw(JSON)
        case AllOf(base=base, extra=extra):
            base_names = frozenset(_declared(comps, base))
            own = {p.name for p in extra.props}
            value = draw(_instance(Ref(base), comps, budget))
            # an undeclared key of the base may be a property declared here
            value = {k: v for k, v in value.items() if k in base_names or k not in own}
            return value | _object(draw, extra.props, comps, budget, base_names)
        case Tagged(members=members):
            _, key = draw(st.sampled_from(members))
            return draw(_instance(Ref(key), comps, budget))
    raise TypeError(node)


def _object(
    draw: st.DrawFn,
    props: tuple[Any, ...],
    comps: Comps,
    budget: int,
    also_declared: frozenset[str] = frozenset(),
) -> Any:
    value = {
        p.name: draw(_instance(p.schema, comps, budget))
        for p in props
        if p.required or (budget > 0 and draw(st.booleans()))
    }
    keys = getattr(comps, "extra_keys", None)
    if keys is not None and draw(st.integers(0, 3)) == 0:
        declared = {p.name for p in props} | also_declared
        key = draw(keys.filter(lambda k: k not in declared))
        value[key] = draw(JSON)
    return value


def _declared(comps: Comps, key: str) -> set[str]:
    node = comps[key]
    if isinstance(node, AllOf):
        return _declared(comps, node.base) | {p.name for p in node.extra.props}
    return {p.name for p in node.props} if isinstance(node, Obj) else set()


def _union(
    draw: st.DrawFn, keyword: str, members: tuple[Node, ...], comps: Comps, budget: int
) -> Any:
    for _ in range(5):
        member = draw(st.sampled_from(members))
        value = draw(_instance(member, comps, budget))
        if keyword != "oneOf":
            return value
        if sum(validates(m, value, comps) for m in members) == 1:
            return value
    reject()


def validates(node: Node, value: Any, comps: Comps) -> bool:
    """Is JSON ``value`` valid for ``node``? (``format`` is not asserted.)"""
    match node:
        case Prim(type=t):
            return _is_kind(t, value)
        case Enum(values=values):
            return any(json_equal(v, value) for v in values)
        case Const(value=const):
            return json_equal(const, value)
        case Array(items=items):
            return isinstance(value, list) and all(
                validates(items, v, comps) for v in value
            )
        case Map(values=values):
            return isinstance(value, dict) and all(
                validates(values, v, comps) for v in value.values()
            )
        case Obj(props=props):
            return _valid_object(props, value, comps)
        case Null(inner=inner):
            return value is None or validates(inner, value, comps)
        case Union(keyword=keyword, members=members):
            hits = sum(validates(m, value, comps) for m in members)
            return hits == 1 if keyword == "oneOf" else hits >= 1
        case Ref(key=key):
            return validates(comps[key], value, comps)
        case AnyValue(free_form=free_form):
            return isinstance(value, dict) or not free_form
        case AllOf(base=base, extra=extra):
            return validates(Ref(base), value, comps) and validates(extra, value, comps)
        case Tagged(members=members):
            return sum(validates(Ref(key), value, comps) for _, key in members) == 1
    raise TypeError(node)


def _valid_object(props: tuple[Any, ...], value: Any, comps: Comps) -> bool:
    if not isinstance(value, dict):
        return False
    return all(
        validates(p.schema, value[p.name], comps) if p.name in value else not p.required
        for p in props
    )


def _is_kind(t: str, value: Any) -> bool:
    if isinstance(value, bool):
        return t == "boolean"
    if t == "integer":
        return isinstance(value, int)
    if t == "number":
        return isinstance(value, int | float)
    return isinstance(value, str) if t == "string" else False
