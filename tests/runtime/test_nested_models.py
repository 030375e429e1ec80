"""Deeply nested inline models (issue 14): a description with 100 levels of
inline objects generates, imports and works on first use in both
directions, on the fast path and on the lenient and strict slow paths."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

DEPTH = 100


def _spec() -> dict[str, Any]:
    node: dict[str, Any] = {"type": "object", "properties": {"v": {"type": "string"}}}
    for _ in range(DEPTH):
        node = {
            "type": "object",
            "properties": {"child": node, "n": {"type": "integer"}},
        }
    body = {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Root"}}
        }
    }
    ok = {"200": {"description": "ok", **body}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Deep", "version": "1.0"},
        "servers": [{"url": "https://deep.test"}],
        "paths": {
            "/deep": {
                "get": {"operationId": "fetch", "responses": ok},
                "post": {"operationId": "store", "requestBody": body, "responses": ok},
            }
        },
        "components": {"schemas": {"Root": node}},
    }


def _data(leaf: Any = "x", top: Any = 0) -> dict[str, Any]:
    node: dict[str, Any] = {"v": leaf}
    for i in range(DEPTH):
        node = {"child": node, "n": i}
    node["n"] = top
    return node


def _depth(model: Any) -> int:
    depth = 0
    while getattr(model, "child", None) is not None:
        model, depth = model.child, depth + 1
    return depth


def test_hundred_levels_of_inline_models_work_on_first_use(gen: Any) -> None:
    package = gen(_spec())
    answers = iter([_data(), _data(leaf=5, top="bad"), _data(leaf=5, top="bad")])
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.read())
        return httpx.Response(200, json=next(answers, _data()))

    client = next(
        getattr(package, name)
        for name in package.__all__
        if isinstance(getattr(package, name), type)
        and issubclass(getattr(package, name), package._runtime.SyncAPIClient)
    )(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    group = client.deep
    assert _depth(group.fetch()) == DEPTH  # fast path
    lenient = group.fetch()  # slow path: a field of the wrong type
    assert _depth(lenient) == DEPTH
    strict = client.with_options(strict_responses=True).deep
    with pytest.raises(package._runtime.ResponseValidationError):
        strict.fetch()
    assert _depth(group.store(body=_data())) == DEPTH
    assert sent[-1].count(b'"child"') == DEPTH
