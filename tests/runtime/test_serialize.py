"""OpenAPI parameter styles for path, query, header and cookie values."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture
def ser(fakeapi: Any) -> Any:
    import fakeapi._runtime._serialize as module

    return module


class Color(enum.Enum):
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 20


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    value=st.one_of(
        st.integers(), st.booleans(), st.sampled_from(Level), st.text(max_size=8)
    ),
    suffix=st.sampled_from(["", ".json", "x"]),
)
def test_a_scalar_path_value_is_written_as_every_scalar_is(
    ser: Any, value: Any, suffix: str
) -> None:
    """Integers take a short way through ``expand_path``; whatever the way,
    a scalar is the percent-encoded text ``stringify`` gives it (``true``
    for ``True``, an enum's value), and only a lone ``.``/``..`` changes."""
    from urllib.parse import quote

    expected = quote(ser.stringify(value), safe="") + suffix
    if expected in (".", ".."):
        expected = expected.replace(".", "%2E")
    assert ser.expand_path("/a/{v}" + suffix + "/b", {"v": value}) == (
        f"/a/{expected}/b"
    )


@pytest.mark.parametrize(
    ("value", "style", "explode", "expected"),
    [
        (5, "simple", False, "/items/5"),
        ([3, 4, 5], "simple", False, "/items/3,4,5"),
        (
            {"role": "admin", "first": "Al"},
            "simple",
            False,
            "/items/role,admin,first,Al",
        ),
        (
            {"role": "admin", "first": "Al"},
            "simple",
            True,
            "/items/role=admin,first=Al",
        ),
        (5, "label", False, "/items/.5"),
        ([3, 4], "label", False, "/items/.3,4"),
        ([3, 4], "label", True, "/items/.3.4"),
        ({"a": 1, "b": 2}, "label", True, "/items/.a=1.b=2"),
        (5, "matrix", False, "/items/;id=5"),
        ([3, 4], "matrix", False, "/items/;id=3,4"),
        ([3, 4], "matrix", True, "/items/;id=3;id=4"),
        ({"a": 1, "b": 2}, "matrix", True, "/items/;a=1;b=2"),
        ({"a": 1, "b": 2}, "matrix", False, "/items/;id=a,1,b,2"),
    ],
)
def test_path_styles(
    ser: Any, rt: Any, value: Any, style: str, explode: bool, expected: str
) -> None:
    params = {
        "id": (
            value
            if style == "simple" and not explode
            else rt.Styled(value, style, explode)
        )
    }
    assert ser.expand_path("/items/{id}", params) == expected


def test_path_values_are_stringified_and_escaped(ser: Any) -> None:
    assert ser.expand_path("/a/{b}/{c}", {"b": True, "c": Color.BLUE}) == "/a/true/blue"
    assert ser.expand_path("/d/{day}", {"day": dt.date(2024, 1, 2)}) == "/d/2024-01-02"
    assert ser.expand_path("/n/{name}", {"name": "ü/x"}) == "/n/%C3%BC%2Fx"


def test_query_styles(ser: Any, rt: Any) -> None:
    pairs = ser.encode_query(
        {
            "form_arr": [1, 2],
            "csv": rt.Styled([1, 2], "form", False),
            "space": rt.Styled(["a", "b"], "spaceDelimited", False),
            "pipe": rt.Styled(["a", "b"], "pipeDelimited", False),
            "obj": {"x": 1, "y": "z"},
            "obj_csv": rt.Styled({"x": 1, "y": "z"}, "form", False),
            "deep": rt.Styled(
                {"a": {"b": 1}, "c": [1, 2], "skip": None}, "deepObject", True
            ),
            "when": dt.datetime(2024, 1, 2, 3, 4, 5),
            "color": Color.BLUE,
            "gone": rt.NOT_GIVEN,
            "null": None,
            "arr_with_none": [None, 1],
        }
    )
    assert pairs == [
        ("form_arr", "1"),
        ("form_arr", "2"),
        ("csv", "1,2"),
        ("space", "a b"),
        ("pipe", "a|b"),
        ("x", "1"),
        ("y", "z"),
        ("obj_csv", "x,1,y,z"),
        ("deep[a][b]", "1"),
        ("deep[c]", "1"),
        ("deep[c]", "2"),
        ("when", "2024-01-02T03:04:05"),
        ("color", "blue"),
        ("arr_with_none", "1"),
    ]


def test_query_models_are_objects(ser: Any, rt: Any, models: Any) -> None:
    tag = models.Tag(label="x")
    assert ser.encode_query({"tag": rt.Styled(tag, "deepObject", True)}) == [
        ("tag[label]", "x")
    ]


def test_header_and_cookie_encoding(ser: Any, rt: Any) -> None:
    headers = ser.encode_headers(
        {"X-Obj": rt.Styled({"a": 1, "b": 2}, "simple", True), "X-Plain": {"a": 1}}
    )
    assert headers == {"X-Obj": "a=1,b=2", "X-Plain": "a,1"}
    cookies = ser.encode_cookies({"c": [1, 2], "d": None})
    assert cookies == {"c": "1,2"}
    assert ser.cookie_header({"a": "x y;z", "b": "1"}) == "a=x%20y%3Bz; b=1"
