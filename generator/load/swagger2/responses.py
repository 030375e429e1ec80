"""Responses, response objects and headers: Swagger 2.0 -> OpenAPI 3.0.

Swagger 2.0: https://spec.openapis.org/oas/v2.0#responses-object,
https://spec.openapis.org/oas/v2.0#response-object,
https://spec.openapis.org/oas/v2.0#header-object
OpenAPI 3.0: https://spec.openapis.org/oas/v3.0.3#responses-object,
https://spec.openapis.org/oas/v3.0.3#response-object,
https://spec.openapis.org/oas/v3.0.3#header-object

A 2.0 response has one ``schema`` and ``examples`` keyed by media type; 3.0
has ``content`` with one Media Type Object per produced type. Header value
keywords move into ``schema`` as for parameters.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.load.swagger2.context import (
    DEFAULT_MEDIA,
    Context,
    is_ext,
    join,
    mapping,
    ref_tokens,
)
from generator.load.swagger2.parameters import style, value_schema
from generator.load.swagger2.refs import map_ref
from generator.load.swagger2.schemas import schema

_RESPONSE_FIELDS = ("description", "headers", "schema", "examples")


def responses_object(
    ctx: Context, src: Any, produces: list[str], ptr: str
) -> dict[str, Any]:
    """Convert an operation's ``responses`` (a default one if it has none)."""
    if not isinstance(src, dict):
        ctx.note("missing-field", "operation without responses", ptr)
        return {"default": {"description": ""}}
    out: dict[str, Any] = {}
    for code, value in src.items():
        key = str(code)
        if is_ext(key):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = response_or_ref(ctx, value, produces, join(ptr, key))
    return out


def response_or_ref(ctx: Context, src: Any, produces: list[str], ptr: str) -> Any:
    """A response, or a ``$ref`` to a shared one converted for the same media
    types; a reference that cannot stay a reference is inlined."""
    if not (isinstance(src, dict) and isinstance(src.get("$ref"), str)):
        return response(ctx, src, produces, ptr)
    ref: str = src["$ref"]
    kept = _shared_ref(ctx, ref, produces)
    if kept is not None:
        return kept
    resolved = ctx.resolve(ref)
    if resolved is None:
        ctx.note("unresolved-ref", f"cannot resolve response $ref {ref!r}", ptr)
        return {"$ref": map_ref(ctx, ref, join(ptr, "$ref"))}
    # Inline: the operation produces other media types than the global
    # response was converted for, or the reference is not to #/responses.
    return response(ctx, resolved[0], produces, resolved[1])


def _shared_ref(ctx: Context, ref: str, produces: list[str]) -> dict[str, str] | None:
    """The 3.0 ``$ref`` for a reference to ``#/responses/<name>``, if it fits."""
    tokens = ref_tokens(ref)
    if tokens is None or len(tokens) != 2 or tokens[0] != "responses":
        return None
    name = tokens[1]
    if name not in ctx.response_names:
        return None
    target = mapping(ctx.responses.get(name))
    same_media = (produces or [DEFAULT_MEDIA]) == (ctx.produces or [DEFAULT_MEDIA])
    if not same_media and ("schema" in target or "examples" in target):
        return None
    return {"$ref": "#" + join("/components/responses", ctx.response_names[name])}


def response(ctx: Context, src: Any, produces: list[str], ptr: str) -> Any:
    """Convert a response object for an operation that produces *produces*."""
    if not isinstance(src, dict):
        ctx.note("invalid-value", "response is not an object", ptr)
        return {"description": ""}
    out: dict[str, Any] = {}
    if "description" in src:
        out["description"] = copy.deepcopy(src["description"])
    else:
        ctx.note("missing-field", "response without description", ptr)
        out["description"] = ""
    headers = src.get("headers")
    if isinstance(headers, dict) and headers:
        out["headers"] = {
            str(n): header(ctx, h, join(ptr, "headers", n)) for n, h in headers.items()
        }
    content = _content(ctx, src, produces, ptr)
    if content:
        out["content"] = content
    for k, v in src.items():
        if is_ext(k):
            out[k] = copy.deepcopy(v)
        elif k not in _RESPONSE_FIELDS:
            ctx.note("unknown-field", f"response field {k!r} dropped", join(ptr, k))
    return out


def _content(
    ctx: Context, src: dict[str, Any], produces: list[str], ptr: str
) -> dict[str, Any]:
    """``content`` from the response's ``schema`` and ``examples``."""
    content: dict[str, Any] = {}
    if "schema" in src:
        converted = schema(ctx, src["schema"], join(ptr, "schema"))
        for media in produces or [DEFAULT_MEDIA]:
            content[media] = {"schema": copy.deepcopy(converted)}
    examples = src.get("examples")
    if not isinstance(examples, dict):
        return content
    for media, example in examples.items():
        if media in content:
            content[media]["example"] = copy.deepcopy(example)
        elif "schema" not in src:
            content[str(media)] = {"example": copy.deepcopy(example)}
        else:
            ctx.note(
                "example-dropped",
                f"example for {media!r}, which the operation does not "
                "produce, dropped",
                join(ptr, "examples", media),
            )
    return content


def header(ctx: Context, src: Any, ptr: str) -> Any:
    """Convert a header object: its value keywords move into ``schema``."""
    if not isinstance(src, dict):
        return copy.deepcopy(src)
    out: dict[str, Any] = {}
    if "description" in src:
        out["description"] = copy.deepcopy(src["description"])
    out["schema"] = value_schema(ctx, src, ptr)
    fmt = src.get("collectionFormat")
    if out["schema"].get("type") == "array" and fmt not in (None, "csv"):
        style(ctx, fmt, "header", ptr)  # for its notes: headers are always simple
    for k, v in src.items():
        if is_ext(k) and k != "x-nullable":
            out[k] = copy.deepcopy(v)
    return out
