"""Hostile request input (issue 14): nothing the caller passes can change
which endpoint is called, and a request that cannot be built fails with a
typed error before anything is sent, without printing a secret."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_helpers import SESSION_KEY, MockServer, reply

# -- path parameters ---------------------------------------------------------

DOTS = st.sampled_from(["", ".", "..", "...", "/", "../..", "%2E", "?", "#", "%"])
PATH_VALUES = st.one_of(DOTS, st.text(), st.text(alphabet="./?#%;,=&+ \\").map(str))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=PATH_VALUES)
def test_path_values_keep_the_template_segments(fakeapi: Any, value: str) -> None:
    server = MockServer(reply(204))
    client = fakeapi.Fake(
        session_key=SESSION_KEY,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
    )
    for method, template in (("DELETE", "/files/{name}"), ("GET", "/a/{name}/b")):
        client.request(
            method, template, path_params={"name": value}, response_kind="empty"
        )
        raw = server.last.url.raw_path.decode("ascii")
        segments = raw.split("/")
        expected = ["", "v1", *template.strip("/").split("/")]
        assert len(segments) == len(expected), raw
        index = expected.index("{name}")
        assert unquote(segments[index]) == value
        assert [s for i, s in enumerate(segments) if i != index] == [
            s for i, s in enumerate(expected) if i != index
        ]
        assert segments[index] not in (".", "..")
        assert server.last.method == method


@pytest.mark.parametrize(
    ("value", "segment"), [(".", "%2E"), ("..", "%2E%2E"), ("", ""), ("a/b", "a%2Fb")]
)
def test_dot_and_empty_segments_are_encoded(
    fakeapi: Any, value: str, segment: str
) -> None:
    ser = __import__("fakeapi._runtime._serialize", fromlist=["x"])
    assert ser.expand_path("/files/{name}/x", {"name": value}) == f"/files/{segment}/x"


def test_label_style_dots_cannot_collapse(fakeapi: Any, rt: Any) -> None:
    ser = __import__("fakeapi._runtime._serialize", fromlist=["x"])
    # label style prefixes a dot: "" -> ".", "." -> ".."
    assert ser.expand_path("/f/{x}", {"x": rt.Styled("", "label", False)}) == "/f/%2E"
    assert ser.expand_path("/f/{x}", {"x": rt.Styled(".", "label", False)}) == (
        "/f/%2E%2E"
    )
    # two parameters that together spell ".."
    assert ser.expand_path("/f/{a}{b}", {"a": ".", "b": "."}) == "/f/%2E%2E"


def test_missing_or_unencodable_path_values_are_typed_errors(
    fakeapi: Any, rt: Any
) -> None:
    ser = __import__("fakeapi._runtime._serialize", fromlist=["x"])
    with pytest.raises(rt.RequestValidationError, match="Missing value.*'name'"):
        ser.expand_path("/f/{name}", {})
    with pytest.raises(rt.RequestValidationError, match="'name' cannot be encoded"):
        ser.expand_path("/f/{name}", {"name": "\ud800"})


# -- bodies JSON cannot carry -------------------------------------------------

NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))


def _plant(bad: float) -> st.SearchStrategy[tuple[Any, str]]:
    """A JSON body with ``bad`` somewhere inside, and the path to it."""

    def wrap(inner: st.SearchStrategy[tuple[Any, str]]) -> Any:
        def in_dict(pair: tuple[Any, str], key: str) -> tuple[Any, str]:
            return {key: pair[0]}, f".{key}{pair[1]}"

        def in_list(pair: tuple[Any, str], before: list[Any]) -> tuple[Any, str]:
            return [*before, pair[0]], f"[{len(before)}]{pair[1]}"

        keys = st.text(alphabet="abcxyz", min_size=1, max_size=3)
        return st.one_of(
            st.builds(in_dict, inner, keys),
            st.builds(in_list, inner, st.lists(JSON_LEAVES, max_size=3)),
        )

    return st.recursive(st.just((bad, "")), wrap, max_leaves=6)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), bad=NON_FINITE)
def test_nan_and_infinity_are_request_validation_errors(
    fakeapi: Any, data: st.DataObject, bad: float
) -> None:
    body, path = data.draw(_plant(bad))
    server = MockServer(reply(200, {}))
    client = fakeapi.Fake(
        session_key=SESSION_KEY,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
    )
    with pytest.raises(fakeapi._runtime.RequestValidationError) as caught:
        client.request("POST", "/anything", body=body, content_type="application/json")
    assert f"at ${path}:" in str(caught.value)
    assert server.requests == []
