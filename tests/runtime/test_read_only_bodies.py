"""A decoded record sent back as a request body loses its read-only fields,
and only those, at every depth.

The class: read-only fields held anywhere a model can sit (the body itself,
a list of models, a map of models, a union of models that disagree on which
fields are read-only, a model that holds itself), in records a server
returned (so every read-only field is set). pydantic-core writes these
bodies with a serializer built per class for sending; each test draws many
record trees and compares the wire with the tree minus its read-only keys.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from helpers import generate_package, import_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_helpers import Wire

_NODE = {"$ref": "#/components/schemas/Node"}
_JSON = {"application/json": {"schema": _NODE}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Trees", "version": "1"},
    "servers": [{"url": "https://api.trees.test"}],
    "paths": {
        "/tree": {
            "get": {
                "operationId": "tree_get",
                "responses": {"200": {"description": "ok", "content": _JSON}},
            },
            "post": {
                "operationId": "tree_send",
                "requestBody": {"content": _JSON},
                "responses": {"204": {"description": "sent"}},
            },
        }
    },
    "components": {
        "schemas": {
            "Node": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string"},
                    "price": {"type": "number", "format": "decimal"},
                    # unions of plain values (written by the value's type)
                    "status": {
                        "anyOf": [
                            {"type": "string", "enum": ["open", "paid"]},
                            {"type": "string"},
                            {"type": "null"},
                        ]
                    },
                    "code": {
                        "oneOf": [
                            {"type": "integer"},
                            {"type": "number"},
                            {"type": "string"},
                            {"type": "boolean"},
                        ]
                    },
                    "children": {"type": "array", "items": _NODE},
                    "pet": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Cat"},
                            {"$ref": "#/components/schemas/Dog"},
                        ]
                    },
                    "tags": {
                        "type": "object",
                        "additionalProperties": {"$ref": "#/components/schemas/Item"},
                    },
                },
            },
            "Cat": {
                "type": "object",
                "required": ["kind", "lives"],
                "properties": {
                    "kind": {"type": "string", "enum": ["cat"]},
                    "id": {"type": "integer", "readOnly": True},
                    "lives": {"type": "integer"},
                },
            },
            "Dog": {
                "type": "object",
                "required": ["kind", "good"],
                "properties": {
                    "kind": {"type": "string", "enum": ["dog"]},
                    "tag": {"type": "string", "readOnly": True},
                    "good": {"type": "boolean"},
                },
            },
            "Item": {
                "type": "object",
                "properties": {
                    "created": {
                        "type": "string",
                        "format": "date-time",
                        "readOnly": True,
                    },
                    "note": {"type": "string"},
                },
            },
        }
    },
}

#: read-only keys of each kind of object in a drawn tree
_READ_ONLY = {"node": {"id"}, "cat": {"id"}, "dog": {"tag"}, "item": {"created"}}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder, name = generate_package(
        SPEC, tmp_path_factory.mktemp("trees"), package="treespkg"
    )
    return import_package(folder, name)


@pytest.fixture(scope="module")
def wire() -> Wire:
    return Wire()


@pytest.fixture(scope="module")
def client(pkg: Any, wire: Wire) -> Iterator[Any]:
    http = httpx.Client(transport=httpx.MockTransport(wire.handler))
    yield pkg.Treespkg(http_client=http, strict_responses=True)
    http.close()


def _text(value: Any) -> str:
    """JSON text of ``value``; a ``Decimal`` written with its own digits."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(f"{json.dumps(k)}:{_text(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ",".join(_text(v) for v in value) + "]"
    return json.dumps(value)


_NAMES = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
_CAT = st.fixed_dictionaries(
    {"kind": st.just("cat"), "lives": st.integers(0, 9)},
    optional={"id": st.integers(1, 10**6)},
)
_DOG = st.fixed_dictionaries(
    {"kind": st.just("dog"), "good": st.booleans()},
    optional={"tag": _NAMES},
)
_ITEM = st.fixed_dictionaries(
    {},
    optional={"created": st.just("2026-12-02T10:00:00Z"), "note": _NAMES},
)
_PRICE = st.integers(-(10**12), 10**12).flatmap(
    lambda i: st.integers(0, 6).map(lambda places: decimal.Decimal(i).scaleb(-places))
)


def _node(children: st.SearchStrategy[list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"id": st.integers(1, 10**6), "name": _NAMES},
        optional={
            "price": _PRICE,
            "status": st.sampled_from(["open", "paid", None]) | _NAMES,
            "code": st.integers(-(10**20), 10**20)
            | st.floats(allow_nan=False, allow_infinity=False)
            | _NAMES
            | st.booleans(),
            "children": children,
            "pet": _CAT | _DOG,
            "tags": st.dictionaries(_NAMES, _ITEM, max_size=3),
        },
    )


_TREES = st.recursive(
    _node(st.just([])),
    lambda inner: _node(st.lists(inner, max_size=3)),
    max_leaves=8,
)


def _without_read_only(node: dict[str, Any]) -> dict[str, Any]:
    """The tree as a body must carry it: every read-only key dropped."""
    out = {k: v for k, v in node.items() if k not in _READ_ONLY["node"]}
    if "children" in out:
        out["children"] = [_without_read_only(c) for c in out["children"]]
    if "pet" in out:
        dropped = _READ_ONLY[out["pet"]["kind"]]
        out["pet"] = {k: v for k, v in out["pet"].items() if k not in dropped}
    if "tags" in out:
        out["tags"] = {
            key: {k: v for k, v in item.items() if k not in _READ_ONLY["item"]}
            for key, item in out["tags"].items()
        }
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(tree=_TREES)
def test_a_fetched_tree_goes_back_without_its_read_only_fields(
    client: Any, wire: Wire, tree: dict[str, Any]
) -> None:
    wire.answer = _text(tree).encode()
    node = client.tree.get()
    client.tree.send(node)
    sent = json.loads(wire.sent[-1], parse_float=decimal.Decimal)
    expected = _text(_without_read_only(tree))
    assert sent == json.loads(expected, parse_float=decimal.Decimal)
    # the record itself still has every field it was given
    assert node.id == tree["id"]
    assert json.loads(node.model_dump_json(by_alias=True))["id"] == tree["id"]


def test_bodies_are_written_by_pydantic_core_and_leave_the_classes_as_they_were(
    pkg: Any,
) -> None:
    from importlib import import_module

    encode = import_module(pkg.__name__ + "._runtime._encode")
    models = import_module(pkg.__name__ + ".models")
    node = models.Node.model_validate(
        {"id": 3, "name": "a", "pet": {"kind": "dog", "good": True, "tag": "t"}}
    )
    classes = (models.Node, models.Cat, models.Dog, models.Item)
    encode._send_serializers.clear()
    flags = [cls.__dict__.get("__pydantic_complete__") for cls in classes]
    assert flags[0] is True
    assert encode._send_serializer(models.Node) is not None  # the fast path
    assert json.loads(encode.model_json(node)) == {
        "name": "a",
        "pet": {"kind": "dog", "good": True},
    }
    # building it marks complete classes incomplete for a moment, then back
    assert [cls.__dict__.get("__pydantic_complete__") for cls in classes] == flags
    # a caller's own dump still writes read-only fields
    assert json.loads(node.model_dump_json())["pet"]["tag"] == "t"
