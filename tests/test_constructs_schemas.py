"""Schema constructs: unions, discriminators, formats, maps, defaults, names.

Each test generates a package from a small inline spec, then decodes and
encodes real payloads through the generated models.
"""

from __future__ import annotations

import datetime as dt
import decimal
import typing
import uuid
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from test_constructs import _client, _spec


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": "ok",
        "content": {"application/json": {"schema": schema}},
    }


def _pets() -> dict[str, Any]:
    return {
        "Cat": {
            "type": "object",
            "required": ["petType"],
            "properties": {
                "petType": {"type": "string"},
                "lives": {"type": "integer"},
            },
        },
        "Dog": {
            "type": "object",
            "required": ["petType"],
            "properties": {
                "petType": {"type": "string"},
                "bark": {"type": "string"},
            },
        },
        "Lizard": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"const": "lizard"}, "scales": {"type": "integer"}},
        },
    }


def test_discriminated_union_with_mapping(gen: Any) -> None:
    schemas = _pets()
    schemas["Pet"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/Cat"},
            {"$ref": "#/components/schemas/Dog"},
        ],
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
        },
    }
    schemas["Owner"] = {
        "type": "object",
        "properties": {
            "pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
        },
    }
    pkg = gen(_spec(schemas))
    m = pkg.models
    owner = m.Owner.model_validate(
        {
            "pets": [
                {"petType": "dog", "bark": "woof", "lives": 9},
                {"petType": "cat", "lives": 7},
            ]
        }
    )
    # a plain union would pick Cat for the first one (both fit); the tag decides
    assert [type(p) for p in owner.pets] == [m.Dog, m.Cat]
    assert owner.pets[0].bark == "woof"
    assert pkg._runtime.encode_json(owner) == {
        "pets": [
            {"petType": "dog", "bark": "woof", "lives": 9},
            {"petType": "cat", "lives": 7},
        ]
    }
    # an unknown tag: the members are tried, the one that fits best wins
    unknown = m.Owner.model_validate({"pets": [{"petType": "cow", "bark": "moo"}]})
    assert [type(p) for p in unknown.pets] == [m.Dog]
    bad = {"pets": [{"petType": "cow", "lives": "x", "bark": 5}]}
    with pytest.raises(ValidationError):  # fits no member
        m.Owner.model_validate(bad)
    # lenient response parsing makes the closest member, never a raw dict
    lenient = pkg._runtime.parse_response(m.Owner, bad)
    assert isinstance(lenient.pets[0], m.Cat) and lenient.pets[0].pet_type == "cow"
    with pytest.raises(pkg.InvalidFieldError):
        lenient.pets[0].lives  # noqa: B018


def test_discriminated_union_implicit_and_inline(gen: Any) -> None:
    schemas = _pets()
    schemas["Zoo"] = {
        "type": "object",
        "properties": {
            "star": {
                "anyOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {"propertyName": "petType"},
            },
            "reptile": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Lizard"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {"propertyName": "kind"},
            },
        },
    }
    pkg = gen(_spec(schemas))
    m = pkg.models
    zoo = m.Zoo.model_validate(
        {"star": {"petType": "Dog", "bark": "x"}, "reptile": {"kind": "lizard"}}
    )
    assert isinstance(zoo.star, m.Dog)  # implicit mapping: the schema's name
    assert isinstance(zoo.reptile, m.Lizard)  # the member's const
    assert "ZooStar" in m.__all__  # inline unions are named after their place


def test_plain_unions_nullable_and_type_arrays(gen: Any) -> None:
    schemas = _pets()
    schemas["Box"] = {
        "type": "object",
        "properties": {
            "content": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"type": "string"},
                    {"type": "integer"},
                ]
            },
            "maybe": {"type": "integer", "nullable": True},
            "multi": {"type": ["string", "integer", "null"]},
            "loose": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    }
    pkg = gen(_spec(schemas))
    m = pkg.models
    box = m.Box.model_validate(
        {"content": {"petType": "c"}, "maybe": None, "multi": 3, "loose": None}
    )
    assert isinstance(box.content, m.Cat)
    assert box.maybe is None and box.multi == 3 and box.loose is None
    assert m.Box.model_validate({"content": 5, "multi": "x"}).content == 5
    with pytest.raises(pkg.RequestValidationError):
        pkg._runtime.validate_request(m.Box, {"content": [1]})


def test_enums_of_every_primitive_type_stay_open(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "Colour": {"type": "string", "enum": ["red", "green"]},
                "Size": {"type": "integer", "enum": [1, 2, 3]},
                "Ratio": {"type": "number", "enum": [0.5, 1.5]},
                "Flag": {"type": "boolean", "enum": [True]},
                "Maybe": {"type": "string", "enum": ["a", None], "nullable": True},
                "Paint": {
                    "type": "object",
                    "properties": {
                        "colour": {"$ref": "#/components/schemas/Colour"},
                        "size": {"$ref": "#/components/schemas/Size"},
                        "ratio": {"$ref": "#/components/schemas/Ratio"},
                        "flag": {"$ref": "#/components/schemas/Flag"},
                        "maybe": {"$ref": "#/components/schemas/Maybe"},
                    },
                },
            },
            {
                "/paint": {
                    "get": {
                        "responses": {
                            "200": _ok({"$ref": "#/components/schemas/Paint"})
                        }
                    }
                }
            },
        )
    )
    m = pkg.models

    assert typing.get_args(m.Colour) == ("red", "green")
    # numbers are matched by JSON type: Annotated[Literal[1, 2, 3], EXACT]
    assert typing.get_args(typing.get_args(m.Size)[0]) == (1, 2, 3)
    paint = m.Paint.model_validate(
        {"colour": "red", "size": 2, "ratio": 0.5, "flag": True, "maybe": None}
    )
    assert (paint.colour, paint.size, paint.ratio, paint.flag, paint.maybe) == (
        "red",
        2,
        0.5,
        True,
        None,
    )
    # an enum value the spec does not know survives a response
    body = {"colour": "purple", "size": 9, "ratio": 2.5, "flag": False}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    got = _client(pkg, handler).paint.get()
    assert (got.colour, got.size, got.ratio, got.flag) == ("purple", 9, 2.5, False)
    # because the response model says so (request types stay closed: see
    # tests/test_request_types.py)
    hint = typing.get_type_hints(m.Paint)["colour"]
    assert set(typing.get_args(hint)) == {m.Colour, str, type(None)}


def test_formats_round_trip(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "Record": {
                    "type": "object",
                    "properties": {
                        "day": {"type": "string", "format": "date"},
                        "at": {"type": "string", "format": "date-time"},
                        "id": {"type": "string", "format": "uuid"},
                        "amount": {"type": "string", "format": "decimal"},
                        "blob": {"type": "string", "format": "byte"},
                        "mail": {"type": "string", "format": "email"},
                        "site": {"type": "string", "format": "uri"},
                        "price": {"type": "number", "format": "double"},
                        "count": {"type": "integer", "format": "int64"},
                    },
                }
            }
        )
    )
    wire = {
        "day": "2026-11-28",
        "at": "2026-11-28T09:30:00Z",
        "id": "0b9a9c1e-6f0a-4a52-9a55-5d0c7f1f8e11",
        "amount": "12.10",
        "blob": "aGVsbG8=",
        "mail": "a@b.example",
        "site": "https://b.example/x",
        "price": 1.25,
        "count": 2**40,
    }
    rec = pkg.models.Record.model_validate(wire)
    assert rec.day == dt.date(2026, 11, 28)
    assert rec.at == dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
    assert rec.id == uuid.UUID(wire["id"])
    assert rec.amount == decimal.Decimal("12.10")
    assert rec.count == 2**40
    out = pkg._runtime.encode_json(rec)
    assert out["day"] == "2026-11-28" and out["id"] == wire["id"]
    assert out["at"].startswith("2026-11-28T09:30:00")
    assert decimal.Decimal(str(out["amount"])) == decimal.Decimal("12.10")
    assert {k: out[k] for k in ("blob", "mail", "site", "price", "count")} == {
        k: wire[k] for k in ("blob", "mail", "site", "price", "count")
    }


def test_additional_properties_and_defaults(gen: Any) -> None:
    pkg = gen(
        _spec(
            {
                "Tally": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "default": "n/a"},
                        "limit": {"type": "integer", "default": 10},
                        "tags": {
                            "type": "array",
                            "items": {"type": "string"},
                            "default": ["x"],
                        },
                        "on": {"type": "boolean", "default": False},
                    },
                    "additionalProperties": {"type": "integer"},
                },
                "Nested": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {"v": {"type": "integer"}},
                    },
                },
            }
        )
    )
    m = pkg.models
    t = m.Tally.model_validate({"apples": 3})
    assert (t.name, t.limit, t.tags, t.on) == ("n/a", 10, ["x"], False)
    assert t.model_extra == {"apples": 3}
    assert m.Tally().tags is not m.Tally().tags  # no shared mutable default
    assert pkg._runtime.encode_json(m.Tally.model_validate({"apples": 3})) == {
        "apples": 3
    }
    nested = pkg._runtime.parse_response(m.Nested, {"a": {"v": 1}})
    assert nested["a"].v == 1


def test_colliding_and_awkward_schema_names(gen: Any) -> None:
    names = [
        "Client",
        "List",
        "None",
        "VLAN",
        "Vlan",
        "BaseModel",
        "Field",
        "Ça-va",
        "日本",
        "class",
    ]
    schemas = {
        n: {"type": "object", "properties": {"value": {"type": "string"}}}
        for n in names
    }
    schemas["Holder"] = {
        "type": "object",
        "properties": {n: {"$ref": f"#/components/schemas/{n}"} for n in names},
    }
    pkg = gen(_spec(schemas), client_name="Client")
    m = pkg.models
    holder = m.Holder.model_validate({n: {"value": n} for n in names})
    seen = set()
    for n in names:
        value = getattr(
            holder,
            next(
                k
                for k, f in m.Holder.model_fields.items()
                if (f.serialization_alias or k) == n
            ),
        )
        assert value.value == n
        seen.add(type(value).__name__)
    assert len(seen) == len(names)  # every schema got its own class
    assert pkg._runtime.encode_json(holder) == {n: {"value": n} for n in names}
    assert isinstance(pkg.Client, type) and pkg.Client is not m.__dict__.get("Client")
