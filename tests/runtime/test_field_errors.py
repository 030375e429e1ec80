"""Field errors of every common error layout (issues 15 and 16): onFact's,
FastAPI's, RFC 9457 problem details, JSON:API, field maps; a total parser;
readable, bounded messages; a 400 with field errors caught like a 422."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from runtime_helpers import reply


@pytest.fixture(scope="session")
def fe(fakeapi: Any) -> Any:
    """The copied parser module."""
    import importlib

    return importlib.import_module("fakeapi._runtime._field_errors")


def triples(errors: list[Any]) -> list[tuple[Any, Any, Any]]:
    return [(e.field, e.code, e.message) for e in errors]


# -- each layout ----------------------------------------------------------------


def test_onfact_layout_one_field(fe: Any) -> None:
    body = {
        "code": "ValidationError",
        "message": "The invoice could not be saved.",
        "errors": [{"customer_name": [{"_required": "This field is required"}]}],
    }
    assert triples(fe.field_errors(body)) == [
        ("customer_name", "_required", "This field is required")
    ]
    assert fe.api_message(body) == "The invoice could not be saved."


def test_onfact_layout_variations(fe: Any) -> None:
    body = {
        "errors": [
            {
                "customer_name": [{"_required": "required", "_empty": "empty"}],
                "vat": [{"numeric": "not a number"}, {"range": "out of range"}],
            },
            {"date": "not a date"},  # a plain string message
            {"customer": {"email": [{"email": "not an address"}]}},  # nested
            {"lines": [{"price": [{"_numeric": "a number"}]}, {}]},  # per line
            {"number": {"_unique": "taken"}},  # one {code: message} map
        ]
    }
    assert triples(fe.field_errors(body)) == [
        ("customer_name", "_required", "required"),
        ("customer_name", "_empty", "empty"),
        ("vat", "numeric", "not a number"),
        ("vat", "range", "out of range"),
        ("date", None, "not a date"),
        ("customer.email", "email", "not an address"),
        ("lines.0.price", "_numeric", "a number"),
        ("number", "_unique", "taken"),
    ]


def test_onfact_field_named_like_a_message_key(fe: Any) -> None:
    # "message" and "name" are fields here: their values are not texts
    body = {"errors": [{"message": [{"_required": "r"}], "name": [{"_x": "y"}]}]}
    assert triples(fe.field_errors(body)) == [
        ("message", "_required", "r"),
        ("name", "_x", "y"),
    ]


def test_fastapi_layout(fe: Any) -> None:
    body = {
        "detail": [
            {"loc": ["body", "email"], "msg": "bad email", "type": "value_error"},
            {"loc": ["body", "lines", 0, "qty"], "msg": "> 0", "type": "greater_than"},
            {"loc": ["query", "limit"], "msg": "too big", "type": "less_than_equal"},
            {"loc": ["body"], "msg": "Field required", "type": "missing"},
        ]
    }
    assert triples(fe.field_errors(body)) == [
        ("email", "value_error", "bad email"),
        ("lines.0.qty", "greater_than", "> 0"),
        ("limit", "less_than_equal", "too big"),
        ("body", "missing", "Field required"),
    ]
    assert fe.api_message(body) is None
    assert fe.field_errors({"detail": "Not Found"}) == []
    # Prefect puts the same entries under ``exception_detail``
    prefect = {
        "exception_message": "Invalid request received.",
        "exception_detail": [
            {
                "type": "string_pattern_mismatch",
                "loc": ["body", "name"],
                "msg": "String should match pattern '^[^/%&><]+$'",
                "input": "bad/name",
                "ctx": {"pattern": "^[^/%&><]+$"},
            }
        ],
        "request_body": {"name": "bad/name", "tags": []},
    }
    assert triples(fe.field_errors(prefect)) == [
        ("name", "string_pattern_mismatch", "String should match pattern '^[^/%&><]+$'")
    ]
    assert fe.api_message({"detail": "Not Found"}) == "Not Found"


def test_problem_details_layout(fe: Any) -> None:
    body = {
        "type": "https://example.net/validation-error",
        "title": "Your request is not valid.",
        "status": 422,
        "detail": "Two fields are wrong.",
        "invalid-params": [
            {"name": "age", "reason": "must be a positive integer"},
            {"name": "color", "reason": "must be 'green', 'red' or 'blue'"},
        ],
    }
    assert triples(fe.field_errors(body)) == [
        ("age", None, "must be a positive integer"),
        ("color", None, "must be 'green', 'red' or 'blue'"),
    ]
    assert fe.api_message(body) == "Your request is not valid.: Two fields are wrong."
    extension = {
        "type": "about:blank",
        "title": "Bad Request",
        "errors": [
            {"detail": "must be a positive integer", "pointer": "#/age"},
            {"detail": "must be a string", "pointer": "#/profile/name"},
        ],
    }
    assert triples(fe.field_errors(extension)) == [
        ("age", None, "must be a positive integer"),
        ("profile.name", None, "must be a string"),
    ]
    assert fe.api_message(extension) == "Bad Request"


def test_json_api_layout(fe: Any) -> None:
    body = {
        "errors": [
            {
                "status": "422",
                "code": "blank",
                "source": {"pointer": "/data/attributes/first-name"},
                "title": "Invalid Attribute",
                "detail": "First name must contain at least two characters.",
            },
            {"source": {"parameter": "include"}, "title": "Unknown include"},
            {"source": {"pointer": "/data/a~1b"}, "detail": "escaped"},
        ]
    }
    assert triples(fe.field_errors(body)) == [
        ("first-name", "blank", "First name must contain at least two characters."),
        ("include", None, "Unknown include"),
        ("data.a/b", None, "escaped"),
    ]


def test_general_layouts(fe: Any) -> None:
    rails = {"errors": {"email": ["is invalid", "is taken"]}}
    assert triples(fe.field_errors(rails)) == [
        ("email", None, "is invalid"),
        ("email", None, "is taken"),
    ]
    google = {
        "error": {
            "code": 400,
            "message": "Invalid value",
            "errors": [{"reason": "invalid", "location": "q", "message": "bad q"}],
        }
    }
    assert triples(fe.field_errors(google)) == [("q", "invalid", "bad q")]
    assert fe.api_message(google) == "Invalid value"
    spring = {"violations": [{"field": "name", "message": "must not be blank"}]}
    assert triples(fe.field_errors(spring)) == [("name", None, "must not be blank")]
    assert triples(fe.field_errors({"errors": ["Something broke"]})) == [
        (None, None, "Something broke")
    ]
    assert fe.field_errors({"message": "plain"}) == []


def test_pluggable_layout(fe: Any) -> None:
    def mine(data: Any) -> list[Any] | None:
        if isinstance(data, dict) and "oops" in data:
            return [fe.FieldError(field=data["oops"], message="from the plug-in")]
        return None

    def broken(data: Any) -> list[Any] | None:
        raise KeyError("a bug in the plug-in")

    fe.FIELD_ERROR_PARSERS[:] = [broken, mine]
    try:
        assert triples(fe.field_errors({"oops": "x"})) == [
            ("x", None, "from the plug-in")
        ]
        assert triples(fe.field_errors({"errors": {"a": "b"}})) == [("a", None, "b")]
    finally:
        fe.FIELD_ERROR_PARSERS.clear()


# -- str() of entries and of the exception ----------------------------------------


def test_field_error_str(fe: Any) -> None:
    FieldError = fe.FieldError
    assert str(FieldError("customer_name", "is required", "_required")) == (
        "customer_name: required (is required)"
    )
    assert str(FieldError("vat", "not a number")) == "vat: not a number"
    assert str(FieldError("vat", None, "numeric")) == "vat: numeric"
    assert str(FieldError(None, "request broken")) == "request broken"
    assert str(FieldError("x", None)) == "x: invalid"
    assert "None" not in str(FieldError(None, None))


def test_onfact_400_message_and_class(make_client: Any, rt: Any) -> None:
    body = {
        "code": "ValidationError",
        "message": "The invoice could not be saved.",
        "errors": [
            {"customer_name": [{"_required": "This field is required"}]},
            {"date": [{"date": "Enter a valid date"}]},
        ],
    }
    client, _ = make_client(reply(400, body))
    with pytest.raises(rt.UnprocessableEntityError) as info:
        client.things.create(body={"name": "w"})
    err = info.value
    assert isinstance(err, rt.BadRequestError) and type(err) is rt.FieldValidationError
    assert str(err) == (
        "POST https://api.fake.test/v1/things -> 400 Bad Request: The invoice could"
        " not be saved. Field errors: customer_name: required (This field is"
        " required); date: date (Enter a valid date)."
    )
    assert "None" not in str(err)


def test_400_with_field_errors_like_422(make_client: Any, rt: Any) -> None:
    body = {"detail": [{"loc": ["body", "name"], "msg": "too long", "type": "long"}]}
    seen = []
    for status in (400, 422):
        client, _ = make_client(reply(status, body))
        with pytest.raises(rt.UnprocessableEntityError) as info:
            client.things.create(body={"name": "w"})
        seen.append(info.value.field_errors)
        assert str(info.value).endswith("Field errors: name: long (too long)."), str(
            info.value
        )
    assert seen[0] == seen[1] and seen[0]
    # a 400 without field errors stays a plain BadRequestError
    client, _ = make_client(reply(400, {"message": "bad"}))
    with pytest.raises(rt.BadRequestError) as plain:
        client.things.create(body={"name": "w"})
    assert type(plain.value) is rt.BadRequestError


def test_many_field_errors_stay_bounded(make_client: Any, rt: Any) -> None:
    fields = {f"f{i}": [{"_c": "m" * 5000}] for i in range(1000)}
    client, _ = make_client(reply(400, {"errors": [fields]}))
    with pytest.raises(rt.FieldValidationError) as info:
        client.things.create(body={"name": "w"})
    text = str(info.value)
    assert len(text) <= 4100
    assert "and 190 more" in text  # 200 parsed, 10 shown
    assert len(info.value.field_errors) == 200


# -- a total parser ----------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        "errors",
        "detail",
        "loc",
        "msg",
        "type",
        "source",
        "pointer",
        "code",
        "title",
        "message",
        "field",
        "name",
        "reason",
        "invalid-params",
        "error",
        "_required",
        "customer_name",
    ]
) | st.text(max_size=8)


def _nest(inner: Any) -> Any:
    """Lists and objects of ``inner`` values, keyed by layout words mostly."""
    return st.lists(inner, max_size=5) | st.dictionaries(_KEYS, inner, max_size=5)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.builds(pow, st.just(10), st.just(5000))  # too long for str()
    | st.floats(allow_nan=True)
    | st.text(max_size=20),
    _nest,
    max_leaves=40,
)

text = st.text(min_size=1, max_size=30)
layouts = st.one_of(
    st.builds(lambda f, c, m: {"errors": [{f: [{c: m}]}]}, text, text, text),  # onFact
    st.builds(  # FastAPI
        lambda loc, m, c: {"detail": [{"loc": ["body", *loc], "msg": m, "type": c}]},
        st.lists(text | st.integers(0, 9), min_size=1, max_size=3),
        text,
        text,
    ),
    st.builds(  # RFC 9457
        lambda n, r: {"title": "T", "invalid-params": [{"name": n, "reason": r}]},
        text,
        text,
    ),
    st.builds(  # JSON:API
        lambda p, d, c: {
            "errors": [
                {"source": {"pointer": "/data/attributes/" + p}, "detail": d, "code": c}
            ]
        },
        text.filter(lambda s: "/" not in s and "~" not in s),
        text,
        text,
    ),
)


# pydantic's entries (``loc``, ``msg``, ``type``) under any top-level key,
# beside other members: FastAPI's ``detail``, Prefect's ``exception_detail``
pydantic_entries = st.lists(
    st.tuples(st.lists(text | st.integers(0, 9), min_size=1, max_size=3), text, text),
    min_size=1,
    max_size=4,
)
siblings = st.dictionaries(
    st.text(max_size=12), st.none() | st.integers() | st.text(max_size=20), max_size=3
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), pydantic_entries, siblings)
def test_pydantic_entries_under_any_key(
    fe: Any, key: str, entries: list[tuple[list[Any], str, str]], others: Any
) -> None:
    listed = [
        {"loc": ["body", *loc], "msg": msg, "type": kind, "input": None}
        for loc, msg, kind in entries
    ]
    body = {**others, "request_body": {"echo": [1, 2]}, key: listed}
    assert triples(fe.field_errors(body)) == [
        (
            ".".join(str(part) for part in loc),
            kind if kind != msg and "://" not in kind else None,
            msg,
        )
        for loc, msg, kind in entries
    ]


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_parser_is_total(fe: Any, data: Any) -> None:
    errors = fe.field_errors(data)
    assert len(errors) <= fe.MAX_FIELD_ERRORS
    for e in errors:
        assert e.field is None or isinstance(e.field, str)
        assert e.message is None or isinstance(e.message, str)
        assert e.code is None or isinstance(e.code, str)
        assert e.message or e.code or e.raw is not None
        assert isinstance(str(e), str) and str(e)
    message = fe.api_message(data)
    assert message is None or isinstance(message, str)


@settings(max_examples=200, deadline=None)
@given(layouts)
def test_every_layout_member_gives_its_field_error(fe: Any, body: Any) -> None:
    (error,) = fe.field_errors(body)
    assert error.message and error.field
    assert error.message in str(error) and str(error).startswith(error.field)


def test_parser_is_total_on_deep_and_wide_input(fe: Any) -> None:
    deep: Any = "leaf"
    for _ in range(5000):
        deep = {"a": [deep]}
    assert fe.field_errors({"errors": deep}) == []
    wide = {"errors": [{f"f{i}": [{"c": "m"}] * 3} for i in range(10_000)]}
    assert len(fe.field_errors(wide)) == fe.MAX_FIELD_ERRORS
    for odd in (None, 1, 1.5, True, "x", [], {}, [None], {"errors": None}):
        assert fe.field_errors(odd) == []


def test_onfact_client_validation_failure(onfact: Any) -> None:
    body = {
        "code": "ValidationError",
        "message": "The invoice could not be saved.",
        "errors": [
            {"customer_name": [{"_required": "This field is required"}]},
            {"lines": [{"price": [{"_numeric": "Must be a number"}]}]},
        ],
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(400, json=body))
    client = onfact.OnFact(
        api_key="k", company_uuid="c", http_client=httpx.Client(transport=transport)
    )
    with pytest.raises(onfact.UnprocessableEntityError) as info:
        client.invoices.create({"customer_name": ""})
    err = info.value
    assert isinstance(err, onfact.BadRequestError)
    assert isinstance(err, onfact.FieldValidationError)
    assert isinstance(err.body_model, onfact.models.Error)
    assert err.body_model.code == "ValidationError"
    assert triples(err.field_errors) == [
        ("customer_name", "_required", "This field is required"),
        ("lines.0.price", "_numeric", "Must be a number"),
    ]
    assert str(err).endswith(
        "-> 400 Bad Request: The invoice could not be saved. Field errors:"
        " customer_name: required (This field is required); lines.0.price:"
        " numeric (Must be a number)."
    )
    assert "None" not in str(err)


def test_hostile_field_errors_print_safely(make_client: Any, rt: Any) -> None:
    body = {"errors": [{"name\x1b[31m": [{"_x\n": "line\u202eone\r\ntwo"}]}]}
    client, _ = make_client(reply(422, body))
    with pytest.raises(rt.UnprocessableEntityError) as info:
        client.things.create(body={"name": "w"})
    text = str(info.value)
    assert not any(c in text for c in "\x1b\n\r\u202e")
    assert "name\\x1b[31m: x\\n (line\\u202eone\\r\\ntwo)" in text
    assert info.value.field_errors[0].field == "name\x1b[31m"  # kept as sent
