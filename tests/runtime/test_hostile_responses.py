"""Hostile responses (issue 14): bounded size, depth and numbers, a total
deadline per attempt, and error messages that stay short and printable."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from runtime_helpers import SESSION_KEY, LocalServer, MockServer, reply

# -- size ------------------------------------------------------------------------

_BOMB_SCRIPT = r"""
import json, resource, struct, sys, tracemalloc, zlib
sys.path.insert(0, sys.argv[1])
import httpx, fakeapi

def gzip_bomb(mib):
    # identical deflate blocks after each full flush: 1 GiB of zeros in ~1 MB
    chunk = b"\0" * (1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    unit = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    end = co.flush()[:-8]
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    size = (mib << 20) & 0xFFFFFFFF
    return first + unit * (mib - 1) + end + struct.pack("<II", crc, size)

bomb = gzip_bomb(1024)
status = int(sys.argv[2])

def handler(request):
    pieces = [bomb[i : i + 65536] for i in range(0, len(bomb), 65536)]
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    return httpx.Response(status, headers=headers, content=iter(pieces))

client = fakeapi.Fake(
    session_key="k",
    max_retries=0,
    http_client=httpx.Client(transport=httpx.MockTransport(handler)),
)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
tracemalloc.start()
try:
    client.request("GET", "/bomb")
    outcome = "returned"
except Exception as exc:
    outcome = type(exc).__name__ + ": " + str(exc)[:300]
_, peak = tracemalloc.get_traced_memory()
print(json.dumps({
    "bomb": len(bomb),
    "outcome": outcome,
    "peak": peak,
    "grown": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base,
}))
"""


@pytest.mark.parametrize(
    ("status", "expected"),
    [(200, "ResponseTooLargeError: "), (500, "InternalServerError: GET ")],
)
def test_a_gzip_bomb_costs_the_limit_not_its_inflated_size(
    fakeapi: Any, status: int, expected: str
) -> None:
    root = Path(fakeapi.__file__).parents[1]
    out = subprocess.run(
        [sys.executable, "-c", _BOMB_SCRIPT, str(root), str(status)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out)
    assert result["bomb"] < 1_100_000
    assert result["outcome"].startswith(expected), result
    assert "max_response_size" in result["outcome"]
    # 1 GiB inflated would need over 1,000 MB; the limit is 64 MiB
    assert result["peak"] < 100 * 1024 * 1024, result
    assert result["grown"] < 100 * 1024 * 1024, result


def test_size_limit_is_configurable_and_checked_before_reading(
    make_client: Any, rt: Any
) -> None:
    body = json.dumps({"blob": "x" * 5000}).encode()
    client, server = make_client(
        lambda r: httpx.Response(
            200, content=iter([body]), headers={"Content-Length": str(len(body))}
        )
    )
    small = client.with_options(max_response_size=1000)
    with pytest.raises(rt.ResponseTooLargeError, match="max_response_size") as caught:
        small.request("GET", "/big")
    assert caught.value.limit == "max_response_size"
    assert isinstance(caught.value, rt.ResponseValidationError)
    assert len(client.request("GET", "/big")["blob"]) == 5000
    with pytest.raises(ValueError, match="max_response_size"):
        client.with_options(max_response_size=0)


def test_gzip_and_deflate_bodies_decode_within_the_limit(make_client: Any) -> None:
    import zlib

    payload = json.dumps({"n": list(range(1000))}).encode()
    for encoding, data in (
        ("gzip", zlib.compress(payload, wbits=31)),
        ("deflate", zlib.compress(payload)),
        ("deflate", zlib.compress(payload, wbits=-15)),
        ("identity", payload),
    ):
        chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
        client, _ = make_client(
            lambda r, c=chunks, e=encoding: httpx.Response(
                200, content=iter(c), headers={"Content-Encoding": e}
            )
        )
        assert client.request("GET", "/z") == {"n": list(range(1000))}, encoding


# -- depth and numbers -------------------------------------------------------------


@pytest.mark.parametrize("depth", [600, 5000, 100_000])
def test_deep_json_is_a_typed_error(
    make_client: Any, rt: Any, models: Any, depth: int
) -> None:
    body = b"[" * depth + b"]" * depth
    client, _ = make_client(reply(200, content=body))
    for cast_to in (None, models.Thing):
        with pytest.raises(rt.ResponseTooDeepError, match="max_json_depth") as caught:
            client.request("GET", "/deep", cast_to=cast_to)
        assert caught.value.limit == "max_json_depth"
    # an error body that deep still gives the status error
    client, _ = make_client(reply(500, content=body))
    with pytest.raises(rt.InternalServerError):
        client.with_options(max_retries=0).request("GET", "/deep")


def test_json_within_the_depth_limit_decodes(make_client: Any, rt: Any) -> None:
    body = b"[" * 400 + b"]" * 400
    client, _ = make_client(reply(200, content=body))
    data = client.request("GET", "/deep")
    assert isinstance(data, list)
    with pytest.raises(rt.ResponseTooDeepError):
        client.with_options(max_json_depth=100).request("GET", "/deep")


def test_a_huge_integer_is_a_typed_error(make_client: Any, rt: Any) -> None:
    body = b'{"n": ' + b"7" * 5000 + b"}"
    client, _ = make_client(reply(200, content=body))
    with pytest.raises(rt.ResponseNumberTooLargeError, match="set_int_max_str_digits"):
        client.request("GET", "/n")
    client, _ = make_client(reply(400, content=body))
    with pytest.raises(rt.BadRequestError):
        client.request("GET", "/n")


# -- deadline ----------------------------------------------------------------------


def _trickle_body(conn: Any, request: bytes, stop: Any) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n")
    while not stop.wait(0.5):
        conn.sendall(b" ")


def _trickle_headers(conn: Any, request: bytes, stop: Any) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nx-slow: " + b"a" * 100:
        if stop.wait(0.5):
            return
        conn.sendall(bytes([byte]))


@pytest.mark.parametrize("script", [_trickle_body, _trickle_headers])
def test_a_trickling_server_ends_at_the_deadline(fakeapi: Any, script: Any) -> None:
    with LocalServer(script) as server:
        client = fakeapi.Fake(
            session_key=SESSION_KEY, base_url=server.url, timeout=1, max_retries=0
        )
        started = time.monotonic()
        with pytest.raises(fakeapi._runtime.APITimeoutError):
            client.request("GET", "/slow")
        elapsed = time.monotonic() - started
        client.close()

        async def run() -> float:
            aclient = fakeapi.AsyncFake(
                session_key=SESSION_KEY, base_url=server.url, timeout=1, max_retries=0
            )
            began = time.monotonic()
            with pytest.raises(fakeapi._runtime.APITimeoutError):
                await aclient.request("GET", "/slow")
            await aclient.close()
            return time.monotonic() - began

        async_elapsed = asyncio.run(run())
    # without a total deadline each call would run for 50 s (100 bytes at
    # 0.5 s); the bound only tells the two apart (a loaded machine is slow)
    assert elapsed < 20 and async_elapsed < 20, (elapsed, async_elapsed)


def test_the_deadline_also_applies_through_a_user_transport(fakeapi: Any) -> None:
    def slow_pieces() -> Any:
        for _ in range(100):
            time.sleep(0.1)
            yield b" "

    server = MockServer(lambda r: httpx.Response(200, content=slow_pieces()))
    client = fakeapi.Fake(
        session_key=SESSION_KEY,
        timeout=0.5,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
    )
    started = time.monotonic()
    with pytest.raises(fakeapi._runtime.APITimeoutError):
        client.request("GET", "/slow")
    # 10 s without the deadline; the bound only tells the two apart
    assert time.monotonic() - started < 8


# -- messages ----------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(message=st.text(min_size=1, max_size=300), field=st.text(max_size=50))
def test_server_text_in_messages_is_escaped(
    fakeapi: Any, message: str, field: str
) -> None:
    body = {"message": message, "errors": [{"field": field, "message": message}]}
    server = MockServer(reply(400, body))
    client = fakeapi.Fake(
        session_key=SESSION_KEY,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
    )
    with pytest.raises(fakeapi._runtime.BadRequestError) as caught:
        client.request("GET", "/x")
    text = str(caught.value)
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text), repr(text)
    assert "\u202e" not in text
    assert json.loads(caught.value.body) == body  # the raw body is kept as sent


def test_a_huge_message_is_cut(make_client: Any, rt: Any) -> None:
    client, _ = make_client(
        reply(400, {"message": "A" * 5_000_000, "errors": ["e" * 10**5] * 50})
    )
    with pytest.raises(rt.BadRequestError) as caught:
        client.request("GET", "/x")
    text = str(caught.value)
    assert len(text) < 5000
    assert text.endswith("more characters cut]")
    assert len(caught.value.body) > 5_000_000  # the whole body stays available


def test_terminal_escapes_are_shown_escaped(make_client: Any, rt: Any) -> None:
    client, _ = make_client(
        reply(404, {"message": "gone\x1b]0;owned\x07\r\nX-Fake: 1"})
    )
    with pytest.raises(rt.NotFoundError) as caught:
        client.request("GET", "/x")
    assert "gone\\x1b]0;owned\\x07\\r\\nX-Fake: 1" in str(caught.value)
