"""Models: lenient/strict response parsing, request validation, JSON encoding."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import enum
import pickle
import uuid
from typing import Any, Literal

import pytest
from runtime_helpers import reply


def test_lenient_response_keeps_extra_unknown_enum_and_missing_fields(
    make_client: Any, models: Any, rt: Any
) -> None:
    payload = {
        "name": "widget",  # required id missing
        "status": "exploded",  # not in the enum
        "brand_new_field": {"x": 1},
        "tags": [{"label": "a"}, {"label": 5}, "garbage"],
        "scores": {"a": 1, "b": "high"},
    }
    client, _ = make_client(reply(200, payload))
    thing = client.things.get(1)
    assert isinstance(thing, models.Thing)
    assert thing.name == "widget"
    # a field never holds a value of another type: it raises when read, and
    # its raw value stays in the extras (sent back unchanged)
    for name in ("id", "status", "tags", "scores"):
        with pytest.raises(rt.InvalidFieldError) as info:
            getattr(thing, name)
        assert (info.value.model, info.value.field) == ("Thing", name)
        assert info.value.raw == payload.get(name, rt._exceptions.MISSING)
        assert info.value.path == f"$.{name}"
        assert getattr(thing, name, "default") == "default"
    assert thing.model_extra == {
        "brand_new_field": {"x": 1},
        "status": "exploded",
        "tags": [{"label": "a"}, {"label": 5}, "garbage"],
        "scores": {"a": 1, "b": "high"},
    }
    assert rt.encode_json(thing) == {k: v for k, v in payload.items() if k != "id"}


def test_strict_mode_raises_response_validation_error(
    make_client: Any, rt: Any
) -> None:
    client, _ = make_client(reply(200, {"id": 1, "name": "w", "status": "exploded"}))
    strict = client.with_options(strict_responses=True)
    with pytest.raises(rt.ResponseValidationError) as info:
        strict.things.get(1)
    assert isinstance(info.value, rt.APIError)
    assert info.value.errors[0]["loc"] == ("status",)
    assert "status" in str(info.value)
    # The original client stays lenient: the field raises only when read.
    lenient = client.things.get(1)
    assert lenient.id == 1 and lenient.model_extra == {"status": "exploded"}
    with pytest.raises(rt.InvalidFieldError, match=r"Thing.status at \$.status"):
        lenient.status  # noqa: B018


def test_strict_accepts_valid_data_and_extras(rt: Any, models: Any) -> None:
    thing = rt.parse_response(models.Thing, {"id": 1, "name": "w", "x": 2}, strict=True)
    assert thing.model_extra == {"x": 2}


def test_parse_response_containers_and_primitives(rt: Any, models: Any) -> None:
    things = rt.parse_response(list[models.Thing], [{"id": 1, "name": "a"}, 42])
    assert isinstance(things[0], models.Thing) and things[1] == 42
    assert rt.parse_response(dict[str, int], {"a": "1"}) == {"a": 1}
    assert rt.parse_response(int, "not a number") == "not a number"
    assert rt.parse_response(Literal["a", "b"], "c") == "c"
    assert rt.parse_response(models.Thing, "text instead") == "text instead"
    assert rt.parse_response(None, {"raw": True}) == {"raw": True}
    assert rt.parse_response(Any, [1]) == [1]
    assert rt.parse_response(int | None, None) is None
    with pytest.raises(rt.ResponseValidationError):
        rt.parse_response(list[int], ["x"], strict=True)


def test_mutually_recursive_models(rt: Any, models: Any) -> None:
    data = {
        "id": 1,
        "name": "a",
        "tags": [{"label": "t", "parent": {"id": 2, "name": "p"}}],
    }
    thing = rt.parse_response(models.Thing, data)
    assert isinstance(thing.tags[0].parent, models.Thing)
    assert thing.tags[0].parent.id == 2


def test_nested_invalid_model_is_rebuilt_in_place(rt: Any, models: Any) -> None:
    data = {
        "id": 1,
        "name": "a",
        "tags": [{"label": "t", "parent": {"id": "x", "name": "p"}}],
    }
    thing = rt.parse_response(models.Thing, data)
    parent = thing.tags[0].parent
    assert isinstance(parent, models.Thing) and parent.name == "p"
    with pytest.raises(rt.InvalidFieldError) as info:
        parent.id  # noqa: B018
    assert (info.value.path, info.value.raw) == ("$.tags[0].parent.id", "x")


def test_validate_request_ignores_missing_read_only_but_not_other_errors(
    rt: Any, models: Any
) -> None:
    thing = rt.validate_request(models.Thing, {"name": "w"})
    assert thing.name == "w" and thing.model_fields_set == {"name"}
    with pytest.raises(rt.RequestValidationError) as info:
        rt.validate_request(models.Thing, {"name": ["not", "a", "string"]})
    assert [e["loc"] for e in info.value.errors] == [("name",)]


def test_encode_json_types(rt: Any, models: Any) -> None:
    class Color(enum.Enum):
        RED = "red"

    value = {
        "when": dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC),
        "day": dt.date(2024, 5, 1),
        "id": uuid.UUID(int=1),
        "price": decimal.Decimal("10.25"),
        "whole": decimal.Decimal("3"),
        "raw": b"\x00\xff",
        "color": Color.RED,
        "skip": rt.NOT_GIVEN,
        "items": (1, 2),
        "model": models.Tag(label="x"),
    }
    assert rt.encode_json(value) == {
        "when": "2024-05-01T12:30:00Z",  # RFC 3339, as pydantic writes it
        "day": "2024-05-01",
        "id": "00000000-0000-0000-0000-000000000001",
        "price": rt._encode.JsonNumber("10.25"),  # exact: a float would round
        "whole": 3,
        "raw": "AP8=",
        "color": "red",
        "items": [1, 2],
        "model": {"label": "x"},
    }


def test_encode_json_model_rules(rt: Any, models: Any) -> None:
    thing = models.Thing(id=1, name="n", display_name="D", custom_extra=True)
    assert rt.encode_json(thing) == {
        "name": "n",
        "display-name": "D",
        "custom_extra": True,
    }
    thing.status = "active"  # assignment marks the field as set
    assert rt.encode_json(thing)["status"] == "active"


def test_parse_headers_is_case_insensitive(rt: Any, models: Any) -> None:
    parsed = rt.parse_headers(
        models.RateHeaders,
        {"x-ratelimit-remaining": "5", "X-Request-ID": "a", "other": "o"},
    )
    assert (parsed.remaining, parsed.request_id) == (5, "a")
    assert parsed.model_extra == {"other": "o"}


def test_not_given_singleton(rt: Any) -> None:
    assert not rt.NOT_GIVEN
    assert repr(rt.NOT_GIVEN) == "NOT_GIVEN"
    assert rt.NotGiven() is rt.NOT_GIVEN
    assert copy.deepcopy(rt.NOT_GIVEN) is rt.NOT_GIVEN
    assert pickle.loads(pickle.dumps(rt.NOT_GIVEN)) is rt.NOT_GIVEN


def test_model_config(rt: Any, models: Any) -> None:
    config = rt.BaseModel.model_config
    assert config["extra"] == "allow" and config["populate_by_name"] is True
    assert config["defer_build"] is True
    assert models.Thing.__clientgen_read_only__ == frozenset({"id"})
    assert rt.BaseModel.__clientgen_write_only__ == frozenset()
    by_alias = models.Thing.model_validate({"id": 1, "name": "a", "display-name": "x"})
    by_name = models.Thing.model_validate({"id": 1, "name": "a", "display_name": "x"})
    assert by_alias.display_name == by_name.display_name == "x"


def test_split_aliases_headers_lenient_and_encoding(rt: Any, models: Any) -> None:
    headers = rt.parse_headers(models.NextNumberHeaders, {"x-next-number": "42"})
    assert headers.number == 42 and headers.model_extra == {}
    contact = rt.parse_response(
        models.Contact, {"contactId": 1, "first-name": "Ann", "age": "x"}
    )
    assert (contact.contact_id, contact.first_name) == (1, "Ann")
    with pytest.raises(rt.InvalidFieldError):
        contact.age  # noqa: B018
    assert contact.model_extra == {"age": "x"}
    assert rt.encode_json(contact) == {"first-name": "Ann", "age": "x"}
    body = rt.validate_request(
        models.Contact, {"first-name": "Bo"}
    )  # read-only id missing
    assert rt.encode_json(body) == {"first-name": "Bo"}
    from fakeapi._runtime._pagination import get_field

    assert get_field(contact, "first-name") == "Ann"
    assert get_field(contact, "first_name") == "Ann"
