"""Parameter objects other than bodies: Swagger 2.0 -> OpenAPI 3.0.

Swagger 2.0: https://spec.openapis.org/oas/v2.0#parameter-object
OpenAPI 3.0: https://spec.openapis.org/oas/v3.0.3#parameter-object
(``style``/``explode``: https://spec.openapis.org/oas/v3.0.3#style-values)

A 2.0 parameter describes its value with keywords of its own (``type``,
``format``, ``items``, ...); 3.0 puts them into ``schema`` and replaces
``collectionFormat`` by ``style`` and ``explode``. ``in: body`` and
``in: formData`` parameters become request bodies (see ``request_bodies``).
"""

from __future__ import annotations

import copy
from typing import Any

from generator.load.swagger2.context import Context, is_ext, join, ref_tokens
from generator.load.swagger2.refs import SCHEMA_KEYS, map_ref
from generator.load.swagger2.schemas import schema

# (style, explode) of each collectionFormat in query and form data.
_FORM_STYLES = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}
_KEPT = ("name", "in", "description", "required", "deprecated")
_CONSUMED = frozenset((*SCHEMA_KEYS, "collectionFormat", "allowEmptyValue", "schema"))


class Param:
    """A parameter list entry, with ``$ref`` followed."""

    __slots__ = ("raw", "param", "ptr", "ref", "global_name")

    def __init__(
        self,
        raw: Any,
        param: dict[str, Any] | None,
        ptr: str,
        ref: str | None,
        global_name: str | None,
    ) -> None:
        self.raw = raw
        self.param = param  # resolved parameter object; None if unresolvable
        self.ptr = ptr  # pointer of the (resolved) parameter object
        self.ref = ref  # the original $ref, if the entry was one
        self.global_name = global_name  # X for an exact ``#/parameters/X`` ref

    @property
    def location(self) -> str | None:
        """The parameter's ``in``; None if unknown."""
        if self.param is None:
            return None
        loc = self.param.get("in")
        return loc if isinstance(loc, str) else None

    @property
    def key(self) -> tuple[str, str | None]:
        """(name, in): what makes a parameter unique in an operation."""
        name = self.param.get("name") if self.param is not None else self.ref
        return (str(name), self.location)


def param_entries(ctx: Context, value: Any, ptr: str) -> list[Param]:
    """The entries of a ``parameters`` list, each ``$ref`` resolved."""
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.note("invalid-value", "parameters must be a list", ptr)
        return []
    entries: list[Param] = []
    for i, raw in enumerate(value):
        here = join(ptr, i)
        if not isinstance(raw, dict):
            ctx.note("invalid-value", "parameter is not an object", here)
        elif not isinstance(raw.get("$ref"), str):
            entries.append(Param(raw, raw, here, None, None))
        else:
            entries.append(_ref_entry(ctx, raw, here))
    return entries


def _ref_entry(ctx: Context, raw: dict[str, Any], here: str) -> Param:
    ref: str = raw["$ref"]
    tokens = ref_tokens(ref)
    global_name = None
    if tokens is not None and len(tokens) == 2 and tokens[0] == "parameters":
        global_name = tokens[1] if tokens[1] in ctx.param_names else None
    resolved = ctx.resolve(ref)
    if resolved is None or not isinstance(resolved[0], dict):
        ctx.note("unresolved-ref", f"cannot resolve parameter $ref {ref!r}", here)
        return Param(raw, None, here, ref, None)
    return Param(raw, resolved[0], resolved[1], ref, global_name)


def output_param(ctx: Context, entry: Param) -> dict[str, Any]:
    """The 3.0 parameter (or ``$ref``) for a non-body parameter entry."""
    if entry.global_name is not None:
        new = ctx.param_names[entry.global_name]
        return {"$ref": "#" + join("/components/parameters", new)}
    if entry.param is None:
        assert entry.ref is not None
        return {"$ref": map_ref(ctx, entry.ref, join(entry.ptr, "$ref"))}
    return parameter(ctx, entry.param, entry.ptr)


def parameter(ctx: Context, src: dict[str, Any], ptr: str) -> dict[str, Any]:
    """Convert a non-body, non-formData parameter object."""
    loc = src.get("in")
    out = _fixed_fields(ctx, src, ptr)
    if isinstance(src.get("schema"), dict):
        # Not Swagger 2.0 outside body parameters, but unambiguous.
        out["schema"] = schema(ctx, src["schema"], join(ptr, "schema"))
    else:
        out["schema"] = value_schema(ctx, src, ptr)
    if out["schema"].get("type") == "array" and isinstance(loc, str):
        out["style"], out["explode"] = style(ctx, src.get("collectionFormat"), loc, ptr)
    for k, v in src.items():
        if is_ext(k) and k != "x-nullable":
            out[k] = copy.deepcopy(v)
        elif k not in out and k not in _CONSUMED:
            ctx.note("unknown-field", f"parameter field {k!r} dropped", join(ptr, k))
    return out


def _fixed_fields(ctx: Context, src: dict[str, Any], ptr: str) -> dict[str, Any]:
    """The fields that carry over unchanged, checked against ``in``."""
    loc = src.get("in")
    out: dict[str, Any] = {k: copy.deepcopy(src[k]) for k in _KEPT if k in src}
    if loc == "path" and out.get("required") is not True:
        ctx.note("missing-field", "path parameters must be required", ptr)
        out["required"] = True
    if loc == "query" and "allowEmptyValue" in src:
        out["allowEmptyValue"] = copy.deepcopy(src["allowEmptyValue"])
    if not isinstance(loc, str) or loc not in ("query", "header", "path"):
        ctx.note("invalid-value", f"unsupported parameter location {loc!r}", ptr)
    return out


def value_schema(ctx: Context, src: dict[str, Any], ptr: str) -> dict[str, Any]:
    """Schema from the value keywords of a parameter/header object."""
    raw = {k: src[k] for k in src if k in SCHEMA_KEYS}
    if "items" in raw:
        raw["items"] = _strip_collection_formats(ctx, raw["items"], join(ptr, "items"))
    result = schema(ctx, raw, ptr)
    assert isinstance(result, dict)
    return result


def _strip_collection_formats(ctx: Context, items: Any, ptr: str) -> Any:
    """Items object of a parameter/header minus nested collectionFormat."""
    if not isinstance(items, dict):
        return items
    out = {}
    for k, v in items.items():
        if k == "collectionFormat":
            ctx.note(
                "collection-format",
                f"collectionFormat {v!r} of nested array items cannot be "
                "expressed in OpenAPI 3.0; dropped",
                join(ptr, k),
            )
        elif k == "items":
            out[k] = _strip_collection_formats(ctx, v, join(ptr, k))
        else:
            out[k] = v
    return out


def style(ctx: Context, fmt: Any, location: str, ptr: str) -> tuple[str, bool]:
    """OpenAPI 3.0 (style, explode) for a collectionFormat at *location*."""
    where = join(ptr, "collectionFormat")
    fmt = _known_format(ctx, "csv" if fmt is None else fmt, where)
    if location in ("query", "formData"):
        return _FORM_STYLES[fmt]
    if fmt != "csv":
        ctx.note(
            "collection-format",
            f"collectionFormat {fmt!r} is not supported in {location} "
            "parameters by OpenAPI 3.0; treated as csv",
            where,
        )
    return ("simple", False)


def _known_format(ctx: Context, fmt: Any, where: str) -> str:
    """*fmt* if OpenAPI 3.0 has a style for it somewhere, else csv (noted)."""
    if fmt == "tsv":
        ctx.note(
            "collection-format",
            "collectionFormat 'tsv' has no OpenAPI 3.0 equivalent; treated as csv",
            where,
        )
        return "csv"
    if fmt not in ("csv", "ssv", "pipes", "multi"):
        ctx.note(
            "collection-format",
            f"unknown collectionFormat {fmt!r}; treated as csv",
            where,
        )
        return "csv"
    return str(fmt)
