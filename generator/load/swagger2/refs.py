"""Rewrite a Swagger 2.0 ``$ref`` to where its target lives in OpenAPI 3.0.

Swagger 2.0 keeps reusable objects in ``definitions``, ``parameters`` and
``responses`` (https://spec.openapis.org/oas/v2.0#swagger-object); OpenAPI 3.0
moves them under ``components`` and moves value keywords into ``schema``, body
parameters into ``requestBodies`` and response schemas into ``content``
(https://spec.openapis.org/oas/v3.0.3#components-object). A pointer into one
of them is mapped the same way, or left unchanged with a note.
"""

from __future__ import annotations

from generator.load.swagger2.context import (
    DEFAULT_MEDIA,
    Context,
    is_ext,
    join,
    mapping,
    split,
)

# Keys of a Swagger 2.0 parameter/header/items object that describe its value
# and therefore move into the OpenAPI 3.0 ``schema``.
SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
)

Tokens = list[str]


def map_ref(ctx: Context, ref: str, where: str) -> str:
    """Rewrite a Swagger 2.0 ``$ref`` to its OpenAPI 3.0 location.

    >>> map_ref(Context({"definitions": {"Pet": {}}}), "#/definitions/Pet", "")
    '#/components/schemas/Pet'
    """
    if not ref.startswith("#"):
        ctx.note("external-ref", f"$ref {ref!r} is not local; left unchanged", where)
        return ref
    tokens = split(ref[1:])
    mapped = None if tokens is None else _map_tokens(ctx, tokens, where)
    if mapped is None:
        ctx.note(
            "unmapped-ref",
            f"$ref {ref!r} has no exact OpenAPI 3.0 counterpart; left unchanged",
            where,
        )
        return ref
    return "#" + join("", *mapped)


def _map_tokens(ctx: Context, tokens: Tokens, where: str) -> Tokens | None:
    if len(tokens) < 2:
        return None
    head, name, rest = tokens[0], tokens[1], tokens[2:]
    if head == "definitions":
        if name not in ctx.schema_names:
            ctx.note("dangling-ref", f"no definition named {name!r}", where)
        return ["components", "schemas", ctx.schema_names.get(name, name), *rest]
    if head == "parameters":
        return _map_parameter(ctx, name, rest, where)
    if head == "responses":
        return _map_response(ctx, name, rest, where)
    return None


def _map_parameter(ctx: Context, name: str, rest: Tokens, where: str) -> Tokens | None:
    """``#/parameters/<name>/...``: a parameter, a request body, or nothing."""
    if name not in ctx.param_names:
        ctx.note("dangling-ref", f"no global parameter named {name!r}", where)
        return ["components", "parameters", name, *rest]
    new = ctx.param_names[name]
    loc = mapping(ctx.parameters.get(name)).get("in")
    if loc == "body":
        return _map_body(ctx, new, rest)
    if loc == "formData":
        return None  # form parameters are inlined into each operation
    if rest and rest[0] in SCHEMA_KEYS:
        return ["components", "parameters", new, "schema", *rest]
    return ["components", "parameters", new, *rest]


def _map_body(ctx: Context, new: str, rest: Tokens) -> Tokens | None:
    if not rest:
        return ["components", "requestBodies", new]
    if rest[0] != "schema":
        return None
    media = (ctx.consumes or [DEFAULT_MEDIA])[0]
    return ["components", "requestBodies", new, "content", media, "schema", *rest[1:]]


def _map_response(ctx: Context, name: str, rest: Tokens, where: str) -> Tokens | None:
    """``#/responses/<name>/...``: schemas move into ``content``."""
    if name not in ctx.response_names:
        ctx.note("dangling-ref", f"no global response named {name!r}", where)
        return ["components", "responses", name, *rest]
    base = ["components", "responses", ctx.response_names[name]]
    if not rest or rest[0] == "description" or is_ext(rest[0]):
        return [*base, *rest]
    if rest[0] == "schema":
        media = (ctx.produces or [DEFAULT_MEDIA])[0]
        return [*base, "content", media, "schema", *rest[1:]]
    if rest[0] == "headers":
        if len(rest) >= 3 and rest[2] in SCHEMA_KEYS:
            return [*base, *rest[:2], "schema", *rest[2:]]
        return [*base, *rest]
    return None
