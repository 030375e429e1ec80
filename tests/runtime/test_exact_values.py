"""Values that must reach the wire exactly as they are, in both directions.

Each class here was once wrong for some of its members: an exact number sent
through float, a decimal written as a string sent back as a number, ``0``
decoded as ``False`` (pydantic's literals compare with ``==``), an undeclared
key spelled like a field's Python name dropped or mistaken for the field,
and a plain dict body changed by lax validation (``true`` sent as ``1``).
Every test draws many members of its class.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import generate_package, import_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_helpers import Wire

_INT = {"type": "integer"}
_DATE = {"type": "string", "format": "date"}
_MONEY = {"$ref": "#/components/schemas/Money"}
_JSON = {"application/json": {"schema": _MONEY}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Exact", "version": "1"},
    "servers": [{"url": "https://api.exact.test"}],
    "paths": {
        "/money": {
            "get": {
                "operationId": "money_get",
                "responses": {"200": {"description": "ok", "content": _JSON}},
            },
            "post": {
                "operationId": "money_send",
                "requestBody": {"content": _JSON},
                "responses": {"204": {"description": "sent"}},
            },
        }
    },
    "components": {
        "schemas": {
            "Money": {
                "type": "object",
                "properties": {
                    "price": {"type": "number", "format": "decimal"},
                    "text_amount": {"type": "string", "format": "decimal"},
                    "flag": {"anyOf": [{"enum": [False, "off"]}, _INT]},
                    "level": {"anyOf": [{"enum": [0, 1, 2]}, {"type": "boolean"}]},
                    "first-name": {"type": "string"},
                    "when": {
                        "anyOf": [
                            {"type": "string", "format": "date-time"},
                            {"type": "string", "format": "decimal"},
                            {"type": "number"},
                        ]
                    },
                    "either": {
                        "oneOf": [
                            {"type": "number"},
                            {"type": "string", "format": "decimal"},
                        ]
                    },
                    "listy": {
                        "oneOf": [
                            {"type": "array", "items": {"oneOf": [_INT, _DATE]}},
                            {
                                "type": "array",
                                "items": {"oneOf": [_DATE, _INT, {"type": "boolean"}]},
                            },
                        ]
                    },
                },
            }
        }
    },
}

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder, name = generate_package(
        SPEC, tmp_path_factory.mktemp("exact"), package="exactpkg"
    )
    yield import_package(folder, name)


@pytest.fixture(scope="module")
def wire() -> Wire:
    return Wire()


@pytest.fixture(scope="module")
def client(pkg: Any, wire: Wire) -> Any:
    transport = httpx.MockTransport(wire.handler)
    return pkg.Exactpkg(
        http_client=httpx.Client(transport=transport),
        strict_responses=True,
    )


def round_trip(client: Any, wire: Wire, text: str) -> tuple[Any, Any]:
    """GET ``text`` decoded, then POSTed back: (decoded model, wire JSON)."""
    wire.answer = text.encode()
    money = client.money.get()
    client.money.send(money)
    return money, json.loads(wire.sent[-1], parse_float=decimal.Decimal)


_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: abs(d.adjusted()) < 40
)


@SETTINGS
@given(value=_DECIMALS)
def test_exact_numbers_go_back_exactly(
    client: Any, wire: Wire, value: decimal.Decimal
) -> None:
    money, sent = round_trip(client, wire, f'{{"price": {value}}}')
    assert money.price == value and isinstance(money.price, decimal.Decimal)
    assert sent == {"price": value}  # compared as Decimals: never via float


@SETTINGS
@given(value=_DECIMALS)
def test_decimals_written_as_strings_go_back_as_strings(
    client: Any, wire: Wire, value: decimal.Decimal
) -> None:
    money, sent = round_trip(client, wire, json.dumps({"text_amount": str(value)}))
    assert money.text_amount == value
    assert sent == {"text_amount": str(value)}
    # a Decimal given for it, in a dict body, is written as the string too
    client.money.send({"text_amount": value})
    assert json.loads(wire.sent[-1]) == {"text_amount": str(value)}


_FLAGS = st.sampled_from([False, "off"]) | st.integers(-3, 3) | st.booleans()
_LEVELS = st.sampled_from([0, 1, 2]) | st.booleans()


@SETTINGS
@given(flag=_FLAGS, level=_LEVELS)
def test_numbers_and_booleans_keep_their_json_type(
    client: Any, wire: Wire, flag: Any, level: Any
) -> None:
    given_ = {"flag": flag, "level": level}
    money, sent = round_trip(client, wire, json.dumps(given_))
    assert (type(money.flag), type(money.level)) == (type(flag), type(level))
    assert json.dumps(sent) == json.dumps(given_)


_VALUES = st.text(max_size=5) | st.integers() | st.booleans() | st.none()


@SETTINGS
@given(
    declared=st.none() | st.text(max_size=5),
    undeclared=_VALUES,
    order=st.booleans(),
)
def test_undeclared_keys_spelled_like_a_field_stay_undeclared(
    client: Any, wire: Wire, declared: str | None, undeclared: Any, order: bool
) -> None:
    pairs = [("first_name", undeclared)]
    if declared is not None:
        pairs.insert(0 if order else 1, ("first-name", declared))
    given_ = dict(pairs)
    money, sent = round_trip(client, wire, json.dumps(given_))
    assert money.first_name == declared
    assert money.model_extra == {"first_name": undeclared}
    assert sent == given_


_DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)).map(dt.date.isoformat)
_LISTY = st.lists(st.integers(-5, 5) | _DAYS, max_size=4) | st.lists(
    _DAYS | st.integers(-5, 5) | st.booleans(), max_size=4
)


@SETTINGS
@given(listy=_LISTY, undeclared=st.booleans())
def test_decoded_unions_keep_json_types(
    client: Any, wire: Wire, listy: list[Any], undeclared: bool
) -> None:
    # an aliased field's Python name as an undeclared key takes the path that
    # repairs pydantic-core's JSON reading: values still follow JSON's rules
    given_: dict[str, Any] = {"listy": listy}
    if undeclared:
        given_["first_name"] = "x"
    _, sent = round_trip(client, wire, json.dumps(given_))
    assert json.dumps(sent, sort_keys=True) == json.dumps(given_, sort_keys=True)


@SETTINGS
@given(
    listy=_LISTY,
    price=st.none() | _DECIMALS.map(str),
)
def test_dict_bodies_go_out_as_given(
    client: Any, wire: Wire, listy: list[Any], price: str | None
) -> None:
    body: dict[str, Any] = {"listy": listy}
    if price is not None:
        body["price"] = price  # a numeric string: sent as the number
    client.money.send(body)
    sent = json.loads(wire.sent[-1], parse_float=decimal.Decimal)
    assert json.dumps(sent["listy"]) == json.dumps(listy)  # never True -> 1
    if price is not None:
        assert sent["price"] == decimal.Decimal(price)
        assert not isinstance(sent["price"], str)


_WHEN = (
    _DECIMALS.map(str)
    | st.integers(-(10**6), 10**6)
    | st.floats(-1e6, 1e6, allow_nan=False)
    | st.datetimes(dt.datetime(1990, 1, 1), timezones=st.just(dt.UTC)).map(
        lambda d: d.isoformat().replace("+00:00", "Z")
    )
)


@SETTINGS
@given(when=_WHEN)
def test_dates_in_unions_are_iso_text_only(client: Any, wire: Wire, when: Any) -> None:
    # pydantic reads numbers and numeric strings as Unix times too
    money, _ = round_trip(client, wire, json.dumps({"when": when}))
    is_date = isinstance(when, str) and "T" in when
    assert isinstance(money.when, dt.datetime) is is_date
    assert json.loads(wire.sent[-1]) == {"when": when}


@SETTINGS
@given(either=_DECIMALS.map(str) | st.floats(-1e6, 1e6, allow_nan=False))
def test_a_string_allowed_by_the_schema_is_sent_as_given(
    client: Any, wire: Wire, either: Any
) -> None:
    client.money.send({"either": either})
    assert json.loads(wire.sent[-1]) == {"either": either}


def test_a_callers_model_dump_json_keeps_pydantics_spelling(pkg: Any) -> None:
    money = pkg.models.Money(price=decimal.Decimal("0.1") + decimal.Decimal("0.2"))
    # outside a request no tag is written: a Decimal is a string, as pydantic has it
    assert json.loads(money.model_dump_json(exclude_unset=True)) == {"price": "0.3"}


def test_generated_annotations(pkg: Any, tmp_path: Path) -> None:
    source = Path(pkg.models.__file__).read_text("utf-8")
    assert "price: _ExactNumber | None" in source
    assert "text_amount: _DecimalString | None" in source
    assert '_t.Annotated[_t.Literal[False, "off"], _EXACT]' in source
