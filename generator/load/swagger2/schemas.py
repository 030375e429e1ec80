"""Schema objects: Swagger 2.0 -> OpenAPI 3.0.

Swagger 2.0: https://spec.openapis.org/oas/v2.0#schema-object
OpenAPI 3.0: https://spec.openapis.org/oas/v3.0.3#schema-object

Almost every keyword carries over. What changes: ``$ref`` targets move under
``components``; ``type: file`` becomes a binary string; ``x-nullable`` becomes
``nullable``; a string ``discriminator`` becomes a Discriminator Object; an
empty ``required`` list is dropped (3.0 wants at least one name). Type lists
and array-valued ``items`` are not Swagger 2.0, but their intent is kept.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from generator.load.swagger2.context import Context, join
from generator.load.swagger2.refs import map_ref

# A keyword's converter: the entries it adds to the output schema, or None to
# copy the keyword unchanged (a value of a shape the converter does not handle).
_Keyword = Callable[[Context, Any, str], dict[str, Any] | None]


def schema(ctx: Context, src: Any, ptr: str) -> Any:
    """Convert a Swagger 2.0 schema object (recursively)."""
    if not isinstance(src, dict):
        return copy.deepcopy(src)
    out: dict[str, Any] = {}
    for k, v in src.items():
        key = str(k)
        convert = _KEYWORDS.get(key)
        entries = None if convert is None else convert(ctx, v, join(ptr, key))
        if entries is None:
            out[key] = copy.deepcopy(v)
        else:
            out.update(entries)
    if src.get("type") == "file":
        out["format"] = "binary"
    if "$ref" in out and out.get("nullable") is True:
        # Siblings of $ref are ignored in 3.0; wrap to keep nullability.
        wrapped: dict[str, Any] = {"allOf": [{"$ref": out.pop("$ref")}]}
        wrapped.update(out)
        return wrapped
    return out


def _ref(ctx: Context, v: Any, here: str) -> dict[str, Any] | None:
    return {"$ref": map_ref(ctx, v, here)} if isinstance(v, str) else None


def _properties(ctx: Context, v: Any, here: str) -> dict[str, Any] | None:
    if not isinstance(v, dict):
        return None
    return {
        "properties": {
            str(name): schema(ctx, sub, join(here, name)) for name, sub in v.items()
        }
    }


def _subschema(key: str) -> _Keyword:
    def convert(ctx: Context, v: Any, here: str) -> dict[str, Any]:
        return {key: schema(ctx, v, here)}

    return convert


def _subschemas(key: str) -> _Keyword:
    def convert(ctx: Context, v: Any, here: str) -> dict[str, Any] | None:
        if not isinstance(v, list):
            return None
        return {key: [schema(ctx, s, join(here, i)) for i, s in enumerate(v)]}

    return convert


def _items(ctx: Context, v: Any, here: str) -> dict[str, Any]:
    if not isinstance(v, list):
        return {"items": schema(ctx, v, here)}
    # Tuple validation is not Swagger 2.0 either; keep the intent.
    ctx.note(
        "invalid-value", "array-valued 'items' is not supported; using anyOf", here
    )
    return {
        "items": {"anyOf": [schema(ctx, s, join(here, i)) for i, s in enumerate(v)]}
    }


def _nullable(ctx: Context, v: Any, here: str) -> dict[str, Any] | None:
    return {"nullable": v} if isinstance(v, bool) else None


def _discriminator(ctx: Context, v: Any, here: str) -> dict[str, Any] | None:
    return {"discriminator": {"propertyName": v}} if isinstance(v, str) else None


def _type(ctx: Context, v: Any, here: str) -> dict[str, Any] | None:
    if v == "file":
        return {"type": "string"}  # "format: binary" is added last
    if isinstance(v, list):
        return _type_list(ctx, v, here)
    return None


def _type_list(ctx: Context, types: list[Any], ptr: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = [str(t) for t in types if t != "null"]
    if len(names) != len(types):
        out["nullable"] = True
    if len(names) == 1:
        out["type"] = names[0]
    elif names:
        out["anyOf"] = [{"type": t} for t in names]
    ctx.note("invalid-value", "a list of types is not Swagger 2.0; converted", ptr)
    return out


def _required(ctx: Context, v: Any, here: str) -> dict[str, Any] | None:
    # OpenAPI 3.0 requires a non-empty list; [] means none.
    return {} if isinstance(v, list) and not v else None


_KEYWORDS: dict[str, _Keyword] = {
    "$ref": _ref,
    "properties": _properties,
    "additionalProperties": _subschema("additionalProperties"),
    "not": _subschema("not"),
    "items": _items,
    "allOf": _subschemas("allOf"),
    "anyOf": _subschemas("anyOf"),
    "oneOf": _subschemas("oneOf"),
    "x-nullable": _nullable,
    "discriminator": _discriminator,
    "type": _type,
    "required": _required,
}
