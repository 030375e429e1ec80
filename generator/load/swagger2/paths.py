"""Paths, path items and operations: Swagger 2.0 -> OpenAPI 3.0.

Swagger 2.0: https://spec.openapis.org/oas/v2.0#paths-object,
https://spec.openapis.org/oas/v2.0#path-item-object,
https://spec.openapis.org/oas/v2.0#operation-object
OpenAPI 3.0: https://spec.openapis.org/oas/v3.0.3#paths-object,
https://spec.openapis.org/oas/v3.0.3#path-item-object,
https://spec.openapis.org/oas/v3.0.3#operation-object

An operation's body and form parameters (its own, else its path item's)
become its ``requestBody``; ``consumes``/``produces`` pick the media types of
the request body and the responses; ``schemes`` that differ from the
document's become operation ``servers``.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.load.swagger2.context import DEFAULT_MEDIA, Context, is_ext, join
from generator.load.swagger2.parameters import Param, output_param, param_entries
from generator.load.swagger2.request_bodies import body, form_body
from generator.load.swagger2.responses import responses_object
from generator.load.swagger2.security import security_requirements

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_BODY_LOCATIONS = ("body", "formData")
_COPIED = (
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "deprecated",
)


def path_item(ctx: Context, src: Any, ptr: str) -> Any:
    """Convert a path item and its operations."""
    if not isinstance(src, dict):
        ctx.note("invalid-value", "path item is not an object", ptr)
        return {}
    entries = param_entries(ctx, src.get("parameters"), join(ptr, "parameters"))
    shared = [
        output_param(ctx, e) for e in entries if e.location not in _BODY_LOCATIONS
    ]
    out: dict[str, Any] = {}
    for k, v in src.items():
        here = join(ptr, k)
        if k in METHODS:
            if isinstance(v, dict):
                out[k] = operation(ctx, v, entries, here)
            else:
                ctx.note("invalid-value", "operation is not an object", here)
        elif k == "parameters":
            if shared:
                out[k] = shared
        elif k == "$ref":
            ctx.note(
                "path-item-ref",
                "path item $ref kept as is; its target is not upgraded",
                here,
            )
            out[k] = copy.deepcopy(v)
        elif is_ext(k):
            out[k] = copy.deepcopy(v)
        else:
            ctx.note("unknown-field", f"path item field {k!r} dropped", here)
    return out


def operation(
    ctx: Context, src: dict[str, Any], path_params: list[Param], ptr: str
) -> dict[str, Any]:
    """Convert an operation; *path_params* are its path item's parameters."""
    consumes = ctx.media_list(src.get("consumes"), join(ptr, "consumes"))
    consumes = consumes or ctx.consumes or [DEFAULT_MEDIA]
    produces = ctx.media_list(src.get("produces"), join(ptr, "produces"))
    produces = produces or ctx.produces or [DEFAULT_MEDIA]
    own = param_entries(ctx, src.get("parameters"), join(ptr, "parameters"))
    request_body = _request_body(ctx, own, path_params, consumes)
    parameters = [
        output_param(ctx, e) for e in own if e.location not in _BODY_LOCATIONS
    ]
    out: dict[str, Any] = {}
    for k, v in src.items():
        if k == "parameters":
            # The new fields take the place of the old in the key order.
            if parameters:
                out["parameters"] = parameters
            if request_body is not None:
                out["requestBody"] = request_body
        elif k not in ("consumes", "produces"):
            _operation_field(ctx, out, k, v, join(ptr, k), produces)
    if "parameters" not in src and request_body is not None:
        out["requestBody"] = request_body
    if "responses" not in out:
        out["responses"] = responses_object(ctx, None, produces, ptr)
    return out


def _operation_field(
    ctx: Context, out: dict[str, Any], k: Any, v: Any, here: str, produces: list[str]
) -> None:
    if k == "responses":
        out[k] = responses_object(ctx, v, produces, here)
    elif k == "security":
        out[k] = security_requirements(ctx, v, here)
    elif k == "schemes":
        servers = _operation_servers(ctx, v)
        if servers is not None:
            out["servers"] = servers
    elif k in _COPIED or is_ext(k):
        out[k] = copy.deepcopy(v)
    else:
        ctx.note("unknown-field", f"operation field {k!r} dropped", here)


def _body_entries(
    own: list[Param], path_params: list[Param]
) -> tuple[list[Param], list[Param]]:
    """(body, formData) entries: the operation's own, else the path item's.

    Form fields of the path item join the operation's own unless the
    operation has a body or redefines them.
    """
    bodies = [e for e in own if e.location == "body"]
    forms = [e for e in own if e.location == "formData"]
    if not bodies and not forms:
        bodies = [e for e in path_params if e.location == "body"]
    if not bodies:
        own_keys = {e.key for e in own}
        forms += [
            e for e in path_params if e.location == "formData" and e.key not in own_keys
        ]
    return bodies, forms


def _request_body(
    ctx: Context, own: list[Param], path_params: list[Param], consumes: list[str]
) -> dict[str, Any] | None:
    bodies, forms = _body_entries(own, path_params)
    if len(bodies) > 1:
        ctx.note(
            "multiple-bodies",
            "more than one body parameter; only the first is used",
            bodies[1].ptr,
        )
    if bodies and forms:
        ctx.note(
            "body-and-formdata",
            "body and formData parameters together; formData ignored",
            forms[0].ptr,
        )
    if bodies:
        return body(ctx, bodies[0], consumes)
    if forms:
        return form_body(ctx, forms, consumes)
    return None


def _operation_servers(ctx: Context, schemes: Any) -> list[dict[str, Any]] | None:
    """Servers for an operation whose ``schemes`` differ from the document's."""
    if not ctx.host or not isinstance(schemes, list) or not schemes:
        return None
    if [str(s) for s in schemes] == (ctx.schemes or ["https"]):
        return None
    return [{"url": f"{s}://{ctx.host}{ctx.base_path}"} for s in schemes]
