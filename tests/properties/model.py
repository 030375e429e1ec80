"""The schema model of the property test, and its OpenAPI rendering.

A :class:`Description` is a list of named component schemas, each a small tree
of the node types below, and operations. :func:`render` writes the OpenAPI
3.0.3 or 3.1.0 document; ``specs.py`` draws descriptions, ``instances.py``
draws valid JSON for each node.

    >>> render(Description("3.1.0", (("Tag", Enum(("a", None))),), ()))["components"]
    {'schemas': {'Tag': {'enum': ['a', None], 'type': ['string', 'null']}}}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------
# The schema model


@dataclass(frozen=True)
class Prim:
    type: str  # string | integer | number | boolean
    format: str | None = None


@dataclass(frozen=True)
class Enum:
    values: tuple[Any, ...]  # None among them makes the enum nullable


@dataclass(frozen=True)
class Const:
    value: str  # the tag of a discriminated union's member


@dataclass(frozen=True)
class Array:
    items: Node


@dataclass(frozen=True)
class Map:
    values: Node


@dataclass(frozen=True)
class Prop:
    name: str
    schema: Node
    required: bool


@dataclass(frozen=True)
class Obj:
    props: tuple[Prop, ...]


@dataclass(frozen=True)
class Null:
    """``inner`` or null; ``style`` is how the description says so."""

    inner: Node
    style: str  # nullable (3.0) | type_array | anyof_null | oneof_null (3.1)


@dataclass(frozen=True)
class Union:
    keyword: str  # oneOf | anyOf | type (3.1 type: [string, integer])
    members: tuple[Node, ...]


@dataclass(frozen=True)
class Ref:
    key: str


@dataclass(frozen=True)
class AnyValue:
    free_form: bool  # {type: object} when True, else {}


@dataclass(frozen=True)
class AllOf:
    base: str
    extra: Obj


@dataclass(frozen=True)
class Tagged:
    prop: str
    members: tuple[tuple[str, str], ...]  # (tag, component key)
    explicit: bool  # write the mapping; else tags are the schema names


Node = (
    Prim
    | Enum
    | Const
    | Array
    | Map
    | Obj
    | Null
    | Union
    | Ref
    | AnyValue
    | AllOf
    | Tagged
)


@dataclass(frozen=True)
class Operation:
    method: str  # get: answers ``schema``; post: takes it as body
    path: str
    operation_id: str | None
    schema: str | None  # component key; None: answers a plain string
    params: tuple[str, ...] = ()  # integer path parameters
    binary: bool = False  # an application/octet-stream body instead of JSON


@dataclass(frozen=True)
class Description:
    version: str
    components: tuple[tuple[str, Node], ...]
    operations: tuple[Operation, ...]

    def component(self, key: str) -> Node:
        return dict(self.components)[key]


# ---------------------------------------------------------------------------
# Rendering


def render(desc: Description) -> dict[str, Any]:
    """The OpenAPI document (a JSON-ready dict) of ``desc``."""
    v31 = desc.version.startswith("3.1")
    paths: dict[str, dict[str, Any]] = {}
    for op in desc.operations:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": desc.version,
        "info": {"title": "Props", "version": "1"},
        "servers": [{"url": "https://api.example/v1"}],
        "paths": paths,
        "components": {
            "schemas": {key: schema(node, v31) for key, node in desc.components}
        },
    }


def _ref(key: str) -> dict[str, Any]:
    return {"$ref": "#/components/schemas/" + key}


def _operation(op: Operation) -> dict[str, Any]:
    body = {"type": "string"} if op.schema is None else _ref(op.schema)
    media_type = "application/json"
    if op.binary:
        body, media_type = {
            "type": "string",
            "format": "binary",
        }, "application/octet-stream"
    out: dict[str, Any] = {}
    if op.operation_id is not None:
        out["operationId"] = op.operation_id
    if op.params:
        out["parameters"] = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "integer"}}
            for p in op.params
        ]
    media = {media_type: {"schema": body}}
    if op.method == "post":
        out["requestBody"] = {"required": True, "content": media}
        out["responses"] = {"204": {"description": "done"}}
    else:
        out["responses"] = {"200": {"description": "ok", "content": media}}
    return out


def schema(node: Node, v31: bool) -> dict[str, Any]:
    """The schema object of ``node`` in OpenAPI 3.1 (``v31``) or 3.0."""
    match node:
        case Prim(type=t, format=f):
            return {"type": t} | ({"format": f} if f else {})
        case Enum(values=values):
            return _enum(values, v31)
        case Const(value=value):
            return {"type": "string"} | ({"const": value} if v31 else {"enum": [value]})
        case Array(items=items):
            return {"type": "array", "items": schema(items, v31)}
        case Map(values=values):
            return {"type": "object", "additionalProperties": schema(values, v31)}
        case Obj(props=props):
            out: dict[str, Any] = {
                "type": "object",
                "properties": {p.name: schema(p.schema, v31) for p in props},
            }
            required = [p.name for p in props if p.required]
            return out | ({"required": required} if required else {})
        case Null(inner=inner, style=style):
            return _null(inner, style, v31)
        case Union(keyword="type", members=members):
            return {"type": [m.type for m in members if isinstance(m, Prim)]}
        case Union(keyword=kw, members=members):
            return {kw: [schema(m, v31) for m in members]}
        case Ref(key=key):
            return _ref(key)
        case AnyValue(free_form=free_form):
            return {"type": "object"} if free_form else {}
        case AllOf(base=base, extra=extra):
            return {"allOf": [_ref(base), schema(extra, v31)]}
        case Tagged(prop=prop, members=members, explicit=explicit):
            disc: dict[str, Any] = {"propertyName": prop}
            if explicit:
                disc["mapping"] = {tag: _ref(key)["$ref"] for tag, key in members}
            return {"oneOf": [_ref(key) for _, key in members], "discriminator": disc}
    raise TypeError(node)


def _enum(values: tuple[Any, ...], v31: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"enum": list(values)}
    strings = all(isinstance(v, str) for v in values if v is not None)
    nullable = None in values
    if strings and v31:
        out["type"] = ["string", "null"] if nullable else "string"
    elif strings:
        out["type"] = "string"
    if nullable and not v31:
        out["nullable"] = True
    return out


def _null(inner: Node, style: str, v31: bool) -> dict[str, Any]:
    if style in ("anyof_null", "oneof_null"):
        keyword = "anyOf" if style == "anyof_null" else "oneOf"
        return {keyword: [schema(inner, v31), {"type": "null"}]}
    out = schema(inner, v31)
    if style == "nullable":
        return out | {"nullable": True}
    return out | {"type": [out["type"], "null"]}


def kinds(
    node: Node, comps: dict[str, Node], seen: frozenset[str] = frozenset()
) -> set[str]:
    """JSON kinds (string, integer, ...) an instance of ``node`` may have."""
    match node:
        case Prim(type="number"):
            return {"number", "integer"}
        case Prim(type=t):
            return {t}
        case Enum(values=values):
            return {json_kind(v) for v in values}
        case Const():
            return {"string"}
        case Array():
            return {"array"}
        case Null(inner=inner):
            return kinds(inner, comps, seen) | {"null"}
        case Union(members=members):
            return set().union(*(kinds(m, comps, seen) for m in members))
        case Ref(key=key):
            if key in seen or key not in comps:
                return {"object"}
            return kinds(comps[key], comps, seen | {key})
        case AnyValue(free_form=False):
            return {"string", "integer", "number", "boolean", "null", "array", "object"}
    return {"object"}


def containers(node: Node, comps: dict[str, Node], depth: int = 0) -> set[str]:
    """Which of list / dict the Python type of ``node`` has as a union arm.

    ``$ref`` to a component that is not a model counts: the generator writes
    such a component's type inline.
    """
    match node:
        case Array():
            return {"list"}
        case Map() | AnyValue(free_form=True):
            return {"dict"}
        case Null(inner=inner):
            return containers(inner, comps, depth)
        case Union(members=members):
            return set().union(*(containers(m, comps, depth) for m in members))
        case Ref(key=key) if depth < 20 and key in comps:
            return containers(comps[key], comps, depth + 1)
    return set()


def literal_kinds(
    node: Node, comps: dict[str, Node], seen: frozenset[str] = frozenset()
) -> set[str]:
    """JSON kinds of the enum / const values among the alternatives of ``node``."""
    match node:
        case Enum(values=values):
            return {json_kind(v) for v in values}
        case Const():
            return {"string"}
        case Null(inner=inner):
            return literal_kinds(inner, comps, seen)
        case Union(members=members):
            return set().union(*(literal_kinds(m, comps, seen) for m in members))
        case Ref(key=key) if key not in seen and key in comps:
            return literal_kinds(comps[key], comps, seen | {key})
    return set()


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "integer" if isinstance(value, int) else "string"
