"""The document: Swagger Object -> OpenAPI Object, with servers and components.

Swagger 2.0: https://spec.openapis.org/oas/v2.0#swagger-object
OpenAPI 3.0: https://spec.openapis.org/oas/v3.0.3#openapi-object,
https://spec.openapis.org/oas/v3.0.3#server-object,
https://spec.openapis.org/oas/v3.0.3#components-object

``info``, ``tags`` and ``externalDocs`` carry over; ``host``, ``basePath``
and ``schemes`` become ``servers``; ``definitions``, ``parameters``,
``responses`` and ``securityDefinitions`` become ``components``.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.load.swagger2.context import Context, is_ext, join
from generator.load.swagger2.parameters import parameter
from generator.load.swagger2.paths import path_item
from generator.load.swagger2.request_bodies import request_body
from generator.load.swagger2.responses import response
from generator.load.swagger2.schemas import schema
from generator.load.swagger2.security import security_requirements, security_scheme

OPENAPI_VERSION = "3.0.3"

_TOP_LEVEL_HANDLED = frozenset(
    {
        "swagger",
        "info",
        "host",
        "basePath",
        "schemes",
        "consumes",
        "produces",
        "paths",
        "definitions",
        "parameters",
        "responses",
        "securityDefinitions",
        "security",
        "tags",
        "externalDocs",
    }
)


def document(ctx: Context) -> dict[str, Any]:
    """The OpenAPI 3.0 document for the Swagger 2.0 document ``ctx.src``."""
    src = ctx.src
    out: dict[str, Any] = {"openapi": OPENAPI_VERSION}
    if "info" in src:
        out["info"] = copy.deepcopy(src["info"])
    else:
        ctx.note("missing-field", "document without info", "")
        out["info"] = {"title": "", "version": ""}
    if "externalDocs" in src:
        out["externalDocs"] = copy.deepcopy(src["externalDocs"])
    out["servers"] = servers(ctx)
    if "security" in src:
        out["security"] = security_requirements(ctx, src["security"], "/security")
    if "tags" in src:
        out["tags"] = copy.deepcopy(src["tags"])
    out["paths"] = _paths(ctx, src.get("paths"))
    converted = components(ctx)
    if converted:
        out["components"] = converted
    for k, v in src.items():
        if is_ext(k):
            out[k] = copy.deepcopy(v)
        elif k not in _TOP_LEVEL_HANDLED:
            ctx.note("unknown-field", f"top-level field {k!r} dropped", join("", k))
    return out


def _paths(ctx: Context, paths: Any) -> dict[str, Any]:
    if not isinstance(paths, dict):
        ctx.note("missing-field", "document without paths", "/paths")
        return {}
    out: dict[str, Any] = {}
    for key, item in paths.items():
        if is_ext(key):
            out[key] = copy.deepcopy(item)
        else:
            out[str(key)] = path_item(ctx, item, join("/paths", key))
    return out


def servers(ctx: Context) -> list[dict[str, Any]]:
    """``servers`` from ``host``, ``basePath`` and ``schemes``."""
    if ctx.host:
        return [
            {"url": f"{scheme}://{ctx.host}{ctx.base_path}"}
            for scheme in ctx.schemes or ["https"]
        ]
    return [{"url": ctx.base_path or "/"}]


def components(ctx: Context) -> dict[str, Any]:
    """``components`` from the document's reusable objects (empty ones left out)."""
    schemas = {
        ctx.schema_names[str(k)]: schema(ctx, v, join("/definitions", k))
        for k, v in ctx.definitions.items()
    }
    responses = {
        ctx.response_names[str(k)]: response(
            ctx, v, ctx.produces, join("/responses", k)
        )
        for k, v in ctx.responses.items()
    }
    parameters, bodies = _parameters(ctx)
    schemes = {
        ctx.scheme_names[str(k)]: security_scheme(
            ctx, v, join("/securityDefinitions", k)
        )
        for k, v in ctx.security_definitions.items()
    }
    sections = {
        "schemas": schemas,
        "responses": responses,
        "parameters": parameters,
        "requestBodies": bodies,
        "securitySchemes": schemes,
    }
    return {key: section for key, section in sections.items() if section}


def _parameters(ctx: Context) -> tuple[dict[str, Any], dict[str, Any]]:
    """Shared parameters: (``parameters``, ``requestBodies``) components."""
    parameters: dict[str, Any] = {}
    bodies: dict[str, Any] = {}
    for k, v in ctx.parameters.items():
        here = join("/parameters", k)
        name = ctx.param_names[str(k)]
        if not isinstance(v, dict):
            ctx.note("invalid-value", "parameter is not an object", here)
        elif v.get("in") == "body":
            bodies[name] = request_body(ctx, v, ctx.consumes, here)
        elif v.get("in") != "formData":  # form fields are inlined in operations
            parameters[name] = parameter(ctx, v, here)
    return parameters, bodies
