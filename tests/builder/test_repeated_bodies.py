"""An inline body schema written out again and again (Kinto repeats one
``ErrorSchema`` object under every status of every operation) is one model,
named by its title, never a model per response with hash suffixes."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.builder import build
from generator.diagnostics import Diagnostics
from generator.settings import BuildSettings

HASHED = re.compile(r"_[0-9a-f]{6}$")
word = st.from_regex(r"[a-z]{3,8}", fullmatch=True)


def _error(title: str | None, fields: list[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f: {"type": "string", "title": f.title()} for f in fields},
        "required": fields[:1],
    }
    if title is not None:
        schema["title"] = title
    return schema


def _response(schema: dict[str, Any]) -> dict[str, Any]:
    # a fresh copy each time: the description repeats the text, not a $ref
    return {
        "description": "failed",
        "content": {"application/json": {"schema": dict(schema)}},
    }


@settings(max_examples=30, deadline=None)
@given(
    resources=st.lists(word, min_size=1, max_size=4, unique=True),
    statuses=st.lists(
        st.sampled_from(["400", "401", "403", "404", "409", "default"]),
        min_size=1,
        max_size=5,
        unique=True,
    ),
    title=st.one_of(st.none(), st.sampled_from(["ErrorSchema", "Problem", "error"])),
    fields=st.lists(word, min_size=1, max_size=4, unique=True),
)
def test_one_model_for_one_repeated_text(
    resources: list[str], statuses: list[str], title: str | None, fields: list[str]
) -> None:
    error = _error(title, fields)
    paths = {
        f"/{r}": {
            method: {
                "operationId": f"{method}_{r}",
                "tags": [r],
                "responses": {
                    "200": {"description": "ok"},
                    **{s: _response(error) for s in statuses},
                },
            }
            for method in ("get", "post")
        }
        for r in resources
    }
    doc = {"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths}
    diags = Diagnostics()
    api = build(doc, BuildSettings(), diags)
    assert not diags.has_errors
    names = {m.name for m in api.models}
    assert len(names) == 1, names
    (name,) = names
    assert not HASHED.search(name)
    if title == "ErrorSchema":
        assert name == "ErrorSchema"
    used = {
        t.name
        for r in api.resources
        for op in r.operations
        for _code, t in op.error_types
        if isinstance(t, ir.Ref)
    }
    assert used == {name}


def test_different_texts_stay_different_models() -> None:
    one, two = _error("E", ["code"]), _error("E", ["code", "message"])
    ops = {
        "get": {"responses": {"400": _response(one), "404": _response(one)}},
        "post": {"responses": {"400": _response(two), "404": _response(two)}},
    }
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/things": ops},
    }
    api = build(doc, BuildSettings(), Diagnostics())
    assert len(api.models) == 2
