"""Operation constructs: parameter styles, body media types, responses, names.

Each test generates a package from a small inline spec and checks the exact
request the client sends and what it makes of the response.
"""

from __future__ import annotations

import io
import json
import warnings
from typing import Any

import httpx
import pytest
from test_constructs import _client, _spec


def _param(
    name: str, where: str, schema: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": schema, **extra}


ARR = {"type": "array", "items": {"type": "string"}}
OBJ = {
    "type": "object",
    "properties": {"r": {"type": "integer"}, "g": {"type": "integer"}},
}


def _recorder() -> tuple[list[httpx.Request], Any]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    return seen, handler


def test_parameter_styles_of_every_location(gen: Any) -> None:
    params = [
        _param("plain", "path", {"type": "string"}, required=True),
        _param("label", "path", ARR, required=True, style="label"),
        _param("matrix", "path", OBJ, required=True, style="matrix", explode=True),
        _param("simple", "path", ARR, required=True, style="simple"),
        _param("exploded", "query", ARR),
        _param("joined", "query", ARR, style="form", explode=False),
        _param("point", "query", OBJ, style="form", explode=True),
        _param("pointjoined", "query", OBJ, style="form", explode=False),
        _param("deep", "query", OBJ, style="deepObject", explode=True),
        _param("spaced", "query", ARR, style="spaceDelimited", explode=False),
        _param("piped", "query", ARR, style="pipeDelimited", explode=False),
        _param("flag", "query", {"type": "boolean"}),
        _param("X-List", "header", ARR),
        _param("X-Obj", "header", OBJ, explode=True),
        _param("theme", "cookie", {"type": "string"}),
    ]
    path = "/p/{plain}/{label}/{matrix}/{simple}"
    pkg = gen(
        _spec(
            {},
            {
                path: {
                    "get": {
                        "operationId": "probe",
                        "tags": ["probe"],
                        "parameters": params,
                        "responses": {"204": {"description": "none"}},
                    }
                }
            },
        )
    )
    seen, handler = _recorder()
    _client(pkg, handler).probe.probe(
        plain="a b/c",
        label=["x", "y"],
        matrix={"r": 1, "g": 2},
        simple=["s", "t"],
        exploded=["1", "2"],
        joined=["1", "2"],
        point={"r": 1, "g": 2},
        pointjoined={"r": 1, "g": 2},
        deep={"r": 1, "g": 2},
        spaced=["a", "b"],
        piped=["a", "b"],
        flag=True,
        list=["h1", "h2"],
        obj={"r": 1, "g": 2},
        theme="dark",
    )
    req = seen[0]
    raw_path = req.url.raw_path.decode().split("?")[0]
    assert raw_path == "/v1/p/a%20b%2Fc/.x,y/;r=1;g=2/s,t"  # RFC 6570 {.label}
    q = req.url.params
    assert q.get_list("exploded") == ["1", "2"]
    assert q["joined"] == "1,2"
    assert (q["r"], q["g"]) == ("1", "2")
    assert q["pointjoined"] == "r,1,g,2"
    assert (q["deep[r]"], q["deep[g]"]) == ("1", "2")
    assert q["spaced"] == "a b" and q["piped"] == "a|b"
    assert q["flag"] == "true"
    assert req.headers["X-List"] == "h1,h2"
    assert req.headers["X-Obj"] == "r=1,g=2"
    assert req.headers["Cookie"] == "theme=dark"


def _op(
    body: dict[str, Any], responses: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "requestBody": {"required": True, "content": body},
        "responses": responses or {"204": {"description": "none"}},
        **extra,
    }


def test_request_body_media_types(gen: Any) -> None:
    form = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "tags": ARR},
    }
    upload = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "file": {"type": "string", "format": "binary"},
            "meta": OBJ,
        },
    }
    paths = {
        "/json": {
            "post": _op({"application/json": {"schema": form}}, operationId="sendJson")
        },
        "/form": {
            "post": _op(
                {"application/x-www-form-urlencoded": {"schema": form}},
                operationId="sendForm",
            )
        },
        "/upload": {
            "post": _op(
                {"multipart/form-data": {"schema": upload}}, operationId="upload"
            )
        },
        "/raw": {
            "put": _op(
                {
                    "application/octet-stream": {
                        "schema": {"type": "string", "format": "binary"}
                    }
                },
                operationId="sendRaw",
            )
        },
        "/text": {
            "put": _op(
                {"text/plain": {"schema": {"type": "string"}}}, operationId="sendText"
            )
        },
        "/either": {
            "post": _op(
                {
                    "application/xml": {"schema": form},
                    "application/json": {"schema": form},
                },
                operationId="sendEither",
            )
        },
    }
    for p in paths.values():
        for op in p.values():
            op["tags"] = ["send"]
    pkg = gen(_spec({}, paths))
    seen, handler = _recorder()
    send = _client(pkg, handler).send
    send.json({"name": "n", "tags": ["a"]})
    send.form({"name": "n", "tags": ["a", "b"]})
    send.upload(
        {
            "title": "t",
            "file": ("a.txt", io.BytesIO(b"hello"), "text/plain"),
            "meta": {"r": 1},
        }
    )
    send.raw(b"\x00\x01")
    send.text("héllo")
    send.either({"name": "n"})
    j, f, u, r, t, e = seen
    assert j.headers["content-type"] == "application/json"
    assert json.loads(j.content) == {"name": "n", "tags": ["a"]}
    assert f.headers["content-type"] == "application/x-www-form-urlencoded"
    assert f.content == b"name=n&tags=a&tags=b"
    ctype = u.headers["content-type"]
    assert ctype.startswith("multipart/form-data; boundary=")
    body = u.read()
    assert b'name="file"; filename="a.txt"' in body and b"hello" in body
    assert b'name="title"' in body and b'{"r":1}' in body.replace(b" ", b"")
    assert (
        r.content == b"\x00\x01"
        and r.headers["content-type"] == "application/octet-stream"
    )
    assert t.content == "héllo".encode() and t.headers["content-type"].startswith(
        "text/plain"
    )
    assert e.headers["content-type"] == "application/json"  # JSON preferred
    # a required field missing from a typed body is sent (the server judges)
    # unless the client is strict about requests: then it is refused first
    strict = _client(pkg, handler).with_options(strict_requests=True).send
    with pytest.raises(pkg.RequestValidationError):
        strict.form({"tags": ["a"]})
    assert len(seen) == 6


def test_responses_default_headers_and_errors(gen: Any) -> None:
    item = {"type": "object", "properties": {"id": {"type": "integer"}}}
    err = {"type": "object", "properties": {"message": {"type": "string"}}}
    paths = {
        "/items": {
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "requestBody": {"content": {"application/json": {"schema": item}}},
                "responses": {
                    "201": {
                        "description": "made",
                        "headers": {
                            "Location": {"schema": {"type": "string"}},
                            "X-Rate-Remaining": {"schema": {"type": "integer"}},
                        },
                        "content": {"application/json": {"schema": item}},
                    },
                    "default": {
                        "description": "error",
                        "content": {"application/json": {"schema": err}},
                    },
                },
            },
            "get": {
                "operationId": "listItems",
                "tags": ["items"],
                "responses": {
                    "default": {
                        "description": "whatever comes",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": item}
                            }
                        },
                    }
                },
            },
        }
    }
    pkg = gen(_spec({}, paths))
    answers = [
        httpx.Response(
            201,
            json={"id": 5},
            headers={"Location": "/items/5", "X-Rate-Remaining": "9"},
        ),
        httpx.Response(200, json=[{"id": 1}, {"id": 2}]),
        httpx.Response(418, json={"message": "teapot"}),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    client = _client(pkg, handler)
    items = client.items
    with client.capture_responses() as log:
        made = items.create({"id": 0})
    assert made.id == 5
    assert log.last.headers["X-Rate-Remaining"] == "9"
    assert [i.id for i in items.list()] == [1, 2]
    with pytest.raises(pkg.APIStatusError) as caught:
        items.create({"id": 0})
    assert caught.value.status_code == 418
    # the `default` response's schema types the error body
    assert caught.value.body_model.message == "teapot"


def test_operations_without_ids_tags_and_colliding_names(gen: Any) -> None:
    ok = {"204": {"description": "none"}}
    paths = {
        "/widgets": {"get": {"responses": ok}, "post": {"responses": ok}},
        "/widgets/{id}": {
            "parameters": [_param("id", "path", {"type": "integer"}, required=True)],
            "get": {"responses": ok},
            "delete": {"operationId": "remove", "responses": ok},
        },
        "/widgets/{id}/dup": {
            "parameters": [_param("id", "path", {"type": "integer"}, required=True)],
            "post": {"operationId": "remove", "responses": ok},
        },
        "/größe": {"get": {"operationId": "größeLesen", "responses": ok}},
        "/class": {"get": {"operationId": "class", "responses": ok}},
    }
    pkg = gen(_spec({}, paths))
    seen, handler = _recorder()
    client = _client(pkg, handler)
    w = client.widgets
    w.list()
    w.create()
    w.get(3)
    w.remove(3)
    dup = next(n for n in dir(w) if n.startswith("remove_"))
    getattr(w, dup)(3)
    assert [(r.method, r.url.path) for r in seen] == [
        ("GET", "/v1/widgets"),
        ("POST", "/v1/widgets"),
        ("GET", "/v1/widgets/3"),
        ("DELETE", "/v1/widgets/3"),
        ("POST", "/v1/widgets/3/dup"),
    ]
    resource = next(getattr(client, n) for n in dir(client) if n.startswith("gr"))
    method = next(getattr(resource, n) for n in dir(resource) if "lesen" in n)
    method()
    assert seen[-1].url.raw_path.decode() == "/v1/gr%C3%B6%C3%9Fe"
    client.class_.class_()
    assert seen[-1].url.path == "/v1/class"


def test_deprecated_parameter_warns_only_when_given(gen: Any) -> None:
    params = [
        _param("q", "query", {"type": "string"}),
        _param("old", "query", {"type": "string"}, deprecated=True),
    ]
    op = {"operationId": "find", "tags": ["things"], "parameters": params}
    op["responses"] = {"204": {"description": "none"}}
    pkg = gen(_spec({}, {"/things": {"get": op}}))
    seen, handler = _recorder()
    things = _client(pkg, handler).things
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        things.find(q="a")
        assert not caught
        things.find(old="b")
    assert [str(w.message) for w in caught] == ["parameter old of find() is deprecated"]
    assert caught[0].category is DeprecationWarning
    assert caught[0].filename == __file__  # points at the caller
    assert seen[1].url.params["old"] == "b"
