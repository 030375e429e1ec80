"""Status errors: class mapping, messages, field errors, error models."""

from __future__ import annotations

from typing import Any

import pytest
from runtime_helpers import SESSION_KEY, reply


def test_401_raises_authentication_error_with_details(
    make_client: Any, rt: Any
) -> None:
    client, _ = make_client(reply(401, {"error": {"message": "Session expired"}}))
    with pytest.raises(rt.AuthenticationError) as info:
        client.things.get(7)
    err = info.value
    assert isinstance(err, rt.APIStatusError) and isinstance(err, rt.APIError)
    assert err.status_code == 401
    assert "GET https://api.fake.test/v1/things/7.json -> 401 Unauthorized" in str(err)
    assert "Session expired" in str(err)
    assert err.request.url.path == "/v1/things/7.json"
    assert err.response.status_code == 401
    assert SESSION_KEY not in str(err)


def test_400_with_field_errors_and_error_model(
    make_client: Any, rt: Any, models: Any
) -> None:
    body = {
        "message": "Validation failed",
        "errors": [
            {"field": "name", "message": "is too long", "code": "too_long"},
            {"field": "status", "message": "is not allowed"},
        ],
    }
    client, _ = make_client(reply(400, body))
    with pytest.raises(rt.BadRequestError) as info:
        client.things.create(body={"name": "x" * 5})
    err = info.value
    assert [(e.field, e.message) for e in err.field_errors] == [
        ("name", "is too long"),
        ("status", "is not allowed"),
    ]
    assert err.field_errors[0].code == "too_long"
    assert isinstance(err.body_model, models.ErrorBody)
    assert err.body_model.errors[1].field == "status"
    assert "Validation failed. Field errors: name: too_long (is too long);" in str(err)
    assert isinstance(err, rt.UnprocessableEntityError)  # a 400 like a 422
    assert '"Validation failed"' in err.body
    assert err.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (507, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_status_classes(make_client: Any, rt: Any, status: int, name: str) -> None:
    client, _ = make_client(reply(status, {"detail": "nope"}), max_retries=0)
    with pytest.raises(rt.APIStatusError) as info:
        client.things.get(1)
    assert type(info.value) is getattr(rt, name)
    assert info.value.status_code == status


def test_error_type_lookup_by_family_and_default(
    make_client: Any, models: Any, rt: Any
) -> None:
    client, _ = make_client(reply(404, {"message": "missing", "extra": 1}))
    with pytest.raises(rt.NotFoundError) as info:
        client.things.get(1)  # error_types={"4XX": ErrorBody}
    assert isinstance(info.value.body_model, models.ErrorBody)
    assert info.value.body_model.model_extra == {"extra": 1}
    client, _ = make_client(reply(409, {"message": "dup"}))
    with pytest.raises(rt.ConflictError) as info:
        client.things.create(body={"name": "w"})  # falls back to "default"
    assert isinstance(info.value.body_model, models.ErrorBody)


def test_error_model_is_lenient_and_non_json_body_kept(
    make_client: Any, rt: Any
) -> None:
    client, _ = make_client(reply(404, {"unexpected": True}))
    with pytest.raises(rt.NotFoundError) as info:
        client.things.get(1)
    with pytest.raises(rt.InvalidFieldError):  # required but missing: lenient
        info.value.body_model.message  # noqa: B018
    client, _ = make_client(reply(502, content=b"<h1>Bad gateway</h1>"), max_retries=0)
    with pytest.raises(rt.InternalServerError) as info2:
        client.things.get(1)
    assert info2.value.body == "<h1>Bad gateway</h1>"
    assert info2.value.body_model is None
    assert "Bad gateway" in str(info2.value)


def test_field_error_layouts(rt: Any) -> None:
    from fakeapi._runtime._field_errors import field_errors as extract_field_errors

    fastapi = {
        "detail": [
            {"loc": ["body", "email"], "msg": "bad email", "type": "value_error"}
        ]
    }
    rails = {"errors": {"email": ["is invalid", "is taken"]}}
    jsonapi = {
        "errors": [{"source": {"pointer": "/data/attributes/name"}, "detail": "blank"}]
    }
    assert [(e.field, e.message, e.code) for e in extract_field_errors(fastapi)] == [
        ("email", "bad email", "value_error")
    ]
    assert [(e.field, e.message) for e in extract_field_errors(rails)] == [
        ("email", "is invalid"),
        ("email", "is taken"),
    ]
    assert [(e.field, e.message) for e in extract_field_errors(jsonapi)] == [
        ("name", "blank")
    ]
    assert extract_field_errors({"message": "plain"}) == []
