"""Request bodies: ``in: body`` and ``in: formData`` parameters -> OpenAPI 3.0.

Swagger 2.0: https://spec.openapis.org/oas/v2.0#parameter-object (``in: body``
with a ``schema``; ``in: formData`` fields, ``type: file`` for uploads) and
``consumes`` (https://spec.openapis.org/oas/v2.0#operation-object).
OpenAPI 3.0: https://spec.openapis.org/oas/v3.0.3#request-body-object, one
media type per consumed type; form fields become the properties of an object
schema, their collectionFormat an Encoding Object
(https://spec.openapis.org/oas/v3.0.3#encoding-object).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from generator.load.swagger2.context import (
    DEFAULT_MEDIA,
    Context,
    is_ext,
    join,
    media_base,
)
from generator.load.swagger2.parameters import Param, style, value_schema
from generator.load.swagger2.schemas import schema

_URLENCODED = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_REPEATED = {"style": "form", "explode": True}


def body(ctx: Context, entry: Param, consumes: list[str]) -> dict[str, Any]:
    """The request body for a body parameter entry: a ``$ref`` when the shared
    body was converted for the same media types, else the body inline."""
    assert entry.param is not None
    same_media = (consumes or [DEFAULT_MEDIA]) == (ctx.consumes or [DEFAULT_MEDIA])
    if entry.global_name is not None and same_media:
        new = ctx.param_names[entry.global_name]
        return {"$ref": "#" + join("/components/requestBodies", new)}
    return request_body(ctx, entry.param, consumes, entry.ptr)


def request_body(
    ctx: Context, src: dict[str, Any], consumes: list[str], ptr: str
) -> dict[str, Any]:
    """Convert an ``in: body`` parameter into a request body object."""
    out: dict[str, Any] = {}
    if "description" in src:
        out["description"] = copy.deepcopy(src["description"])
    if "schema" in src:
        converted = schema(ctx, src["schema"], join(ptr, "schema"))
    else:
        ctx.note("missing-field", "body parameter without schema", ptr)
        converted = {}
    out["content"] = {
        media: {"schema": copy.deepcopy(converted)}
        for media in consumes or [DEFAULT_MEDIA]
    }
    if isinstance(src.get("required"), bool):
        out["required"] = src["required"]
    if isinstance(src.get("name"), str):
        # Keeps the body parameter's name for code generators.
        out["x-codegen-request-body-name"] = src["name"]
    for k, v in src.items():
        if is_ext(k):
            out[k] = copy.deepcopy(v)
    return out


@dataclass
class _Form:
    """The fields of a form body, collected from its parameters."""

    properties: dict[str, Any] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    encoding: dict[str, Any] = field(default_factory=dict)
    has_file: bool = False

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object", "properties": self.properties}
        if self.required:
            out["required"] = self.required
        return out


def form_body(ctx: Context, params: list[Param], consumes: list[str]) -> dict[str, Any]:
    """Build a request body from ``in: formData`` parameters."""
    form = _Form()
    for entry in params:
        _add_field(ctx, form, entry)
    content: dict[str, Any] = {}
    for media in _form_media_types(ctx, form, params, consumes):
        content[media] = {"schema": copy.deepcopy(form.schema())}
        if not form.encoding:
            continue
        if media_base(media) == _URLENCODED:
            content[media]["encoding"] = copy.deepcopy(form.encoding)
        else:
            _note_lost_formats(ctx, form, params)
    out: dict[str, Any] = {"content": content}
    if form.required:
        out["required"] = True
    return out


def _add_field(ctx: Context, form: _Form, entry: Param) -> None:
    src = entry.param
    assert src is not None
    name = str(src.get("name"))
    prop = value_schema(ctx, src, entry.ptr)
    if src.get("type") == "file":
        form.has_file = True
    if "description" in src:
        prop = {"description": copy.deepcopy(src["description"]), **prop}
    for k, v in src.items():
        if is_ext(k) and k != "x-nullable":
            prop[k] = copy.deepcopy(v)
    form.properties[name] = prop
    if src.get("required") is True:
        form.required.append(name)
    if prop.get("type") == "array":
        fmt = src.get("collectionFormat")
        field_style, explode = style(ctx, fmt, "formData", entry.ptr)
        form.encoding[name] = {"style": field_style, "explode": explode}


def _form_media_types(
    ctx: Context, form: _Form, params: list[Param], consumes: list[str]
) -> list[str]:
    form_types = [m for m in consumes if media_base(m) in (_URLENCODED, _MULTIPART)]
    if not form.has_file:
        return form_types or [_URLENCODED]
    media_types = [m for m in form_types if media_base(m) == _MULTIPART]
    if not media_types:
        ctx.note(
            "file-not-multipart",
            "file parameters need multipart/form-data, which the "
            "operation does not consume; using it anyway",
            params[0].ptr,
        )
        media_types = [_MULTIPART]
    return media_types


def _note_lost_formats(ctx: Context, form: _Form, params: list[Param]) -> None:
    """A multipart body sends arrays as repeated parts only."""
    for name, enc in form.encoding.items():
        if enc != _REPEATED:
            ctx.note(
                "collection-format",
                f"array form field {name!r} of a multipart body is "
                "sent as repeated parts; its collectionFormat is lost",
                next(p.ptr for p in params if p.key[0] == name),
            )
