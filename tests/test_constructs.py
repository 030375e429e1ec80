"""Functional tests: generate from a small inline spec, import, encode and decode."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
from helpers import get_by_id


def _spec(
    schemas: dict[str, Any], paths: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example/v1"}],
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def _client(pkg: Any, handler: Any) -> Any:
    cls = next(
        getattr(pkg, n)
        for n in pkg.__all__
        if n.endswith("Client") is False
        and n.startswith("Async") is False
        and isinstance(getattr(pkg, n), type)
        and hasattr(getattr(pkg, n), "_api")
    )
    return cls(http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_recursive_and_mutually_recursive_schemas(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "Node": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        },
                    },
                },
                "A": {
                    "type": "object",
                    "properties": {"b": {"$ref": "#/components/schemas/B"}},
                },
                "B": {
                    "type": "object",
                    "properties": {"a": {"$ref": "#/components/schemas/A"}},
                },
            }
        )
    )
    m = pkg.models
    tree = m.Node.model_validate(
        {"name": "root", "children": [{"name": "leaf", "children": []}]}
    )
    assert isinstance(tree.children[0], m.Node) and tree.children[0].name == "leaf"
    ab = m.A.model_validate({"b": {"a": {"b": None}}})
    assert isinstance(ab.b, m.B) and isinstance(ab.b.a, m.A)


def test_all_of_inherits_and_merges(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "Pet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                },
                "Dog": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Pet"},
                        {"type": "object", "properties": {"bark": {"type": "boolean"}}},
                    ]
                },
            }
        )
    )
    m = pkg.models
    assert issubclass(m.Dog, m.Pet)
    dog = m.Dog(name="Rex", bark=True)
    assert dog.model_dump(exclude_unset=True) == {"name": "Rex", "bark": True}


def test_enums_nullable_const_and_maps(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "Thing": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "string", "enum": ["on", "off"]},
                        "level": {"type": "integer", "enum": [1, 2, 3]},
                        "note": {"type": ["string", "null"]},
                        "kind": {"const": "thing"},
                        "prices": {
                            "type": "object",
                            "additionalProperties": {"type": "number"},
                        },
                        "first-name": {"type": "string"},
                        "class": {"type": "string"},
                    },
                }
            },
            {"/things/{id}": {"get": get_by_id("getThing", "Thing")}},
        )
    )
    payload = {
        "status": "standby",
        "level": 2,
        "note": None,
        "kind": "thing",
        "prices": {"_": 1.5, "48": 2},
        "first-name": "Ann",
        "class": "x",
        "extra": 1,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=payload)

    thing = _client(pkg, handler).things.get(7)
    assert thing.status == "standby"  # unknown enum value survives
    assert thing.level == 2 and thing.note is None and thing.kind == "thing"
    assert thing.prices == {"_": 1.5, "48": 2}
    assert thing.first_name == "Ann" and thing.class_ == "x"
    assert thing.model_extra == {"extra": 1}
    sent = pkg._runtime.encode_json(pkg.models.Thing(first_name="Bo", class_="y"))
    assert sent == {"first-name": "Bo", "class": "y"}


HOSTILE = "\"\"\" '''\\ \n import os  # {{ }} {% %} \u2028 é"


def test_hostile_strings_cannot_break_the_package(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "Evil": {
                    "type": "object",
                    "description": HOSTILE,
                    "properties": {
                        HOSTILE: {
                            "type": "string",
                            "description": HOSTILE,
                            "default": HOSTILE,
                        },
                        "mode": {"type": "string", "enum": [HOSTILE, "plain"]},
                    },
                }
            }
        )
    )
    evil = pkg.models.Evil.model_validate({"mode": HOSTILE})
    assert evil.mode == HOSTILE
    field = next(
        f for f in pkg.models.Evil.model_fields.values() if f.default == HOSTILE
    )
    assert field.default == HOSTILE
    assert (
        HOSTILE.strip() in (pkg.models.Evil.__doc__ or "").replace("\\", "\\")
        or pkg.models.Evil.__doc__
    )


def test_deprecated_operation_warns_and_styles(gen: Any) -> None:
    pkg = gen(
        _spec(
            {},
            {
                "/search": {
                    "get": {
                        "operationId": "search",
                        "deprecated": True,
                        "parameters": [
                            {
                                "name": "tags",
                                "in": "query",
                                "schema": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                },
                            },
                            {
                                "name": "ids",
                                "in": "query",
                                "style": "form",
                                "explode": False,
                                "schema": {
                                    "type": "array",
                                    "items": {"type": "integer"},
                                },
                            },
                            {
                                "name": "filter",
                                "in": "query",
                                "style": "deepObject",
                                "explode": True,
                                "schema": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                            {
                                "name": "X-Trace",
                                "in": "header",
                                "schema": {"type": "string"},
                            },
                            {
                                "name": "session",
                                "in": "cookie",
                                "schema": {"type": "string"},
                            },
                        ],
                        "responses": {"204": {"description": "none"}},
                    }
                }
            },
        )
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = _client(pkg, handler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert (
            client.search.search(
                tags=["a", "b"],
                ids=[1, 2],
                filter={"color": "red"},
                trace="t1",
                session="s",
            )
            is None
        )
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    url = seen[0].url
    assert url.params.get_list("tags") == ["a", "b"]
    assert url.params["ids"] == "1,2"
    assert url.params["filter[color]"] == "red"
    assert seen[0].headers["X-Trace"] == "t1"
    assert "session=s" in seen[0].headers["Cookie"]


def test_read_only_and_write_only(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "User": {
                    "type": "object",
                    "required": ["id", "password"],
                    "properties": {
                        "id": {"type": "integer", "readOnly": True},
                        "password": {"type": "string", "writeOnly": True},
                        "name": {"type": "string"},
                    },
                }
            }
        )
    )
    user = pkg.models.User(id=1, password="p", name="n")
    assert pkg._runtime.encode_json(user) == {"password": "p", "name": "n"}
    assert pkg.models.User.model_validate({"id": 1, "name": "n"}).id == 1
    assert json.dumps(pkg._runtime.encode_json(user))
