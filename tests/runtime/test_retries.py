"""Retry policy: statuses, transport errors, idempotency and delays."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx
import pytest
from runtime_helpers import THING, reply


def test_429_with_retry_after_then_success(
    make_client: Any, sleeps: list[float]
) -> None:
    client, server = make_client(
        reply(429, headers={"Retry-After": "3"}), reply(200, THING)
    )
    thing = client.things.get(7)
    assert thing.id == 7
    assert len(server.requests) == 2
    assert sleeps == [3.0]


def test_retry_after_ms_and_http_date(make_client: Any, sleeps: list[float]) -> None:
    future = email.utils.formatdate(time.time() + 5, usegmt=True)
    client, _ = make_client(
        reply(503, headers={"retry-after-ms": "250"}),
        reply(503, headers={"Retry-After": future}),
        reply(200, THING),
    )
    client.things.get(7)
    assert sleeps[0] == pytest.approx(0.25)
    assert 3.5 < sleeps[1] <= 5.0


def test_retry_after_is_capped_at_60_seconds(
    make_client: Any, sleeps: list[float]
) -> None:
    client, _ = make_client(
        reply(429, headers={"Retry-After": "3600"}), reply(200, THING)
    )
    client.things.get(7)
    assert sleeps == [60.0]


def test_500_on_get_retried_with_exponential_backoff(
    make_client: Any, sleeps: list[float], rt: Any
) -> None:
    client, server = make_client(reply(500), reply(502), reply(200, THING))
    assert client.things.get(7).name == "widget"
    assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_get_gives_up_after_max_retries(
    make_client: Any, sleeps: list[float], rt: Any
) -> None:
    client, server = make_client(reply(503, {"message": "maintenance"}))
    with pytest.raises(rt.InternalServerError, match="maintenance") as info:
        client.things.get(7)
    assert info.value.status_code == 503
    assert len(server.requests) == 3  # first attempt + DEFAULT_MAX_RETRIES
    assert len(sleeps) == 2


def test_max_retries_per_call_and_per_client(make_client: Any, rt: Any) -> None:
    client, server = make_client(reply(500))
    with pytest.raises(rt.InternalServerError):
        client.things.get(7, request_options={"max_retries": 0})
    assert len(server.requests) == 1
    copy = client.with_options(max_retries=4)
    with pytest.raises(rt.InternalServerError):
        copy.things.get(7)
    assert len(server.requests) == 1 + 5


def test_500_on_post_is_not_retried(
    make_client: Any, sleeps: list[float], rt: Any
) -> None:
    client, server = make_client(reply(500), reply(201, THING))
    with pytest.raises(rt.InternalServerError):
        client.things.create(body={"name": "widget"})
    assert len(server.requests) == 1
    assert sleeps == []


def test_429_on_post_is_retried(make_client: Any, sleeps: list[float]) -> None:
    client, server = make_client(
        reply(429, headers={"Retry-After": "1"}), reply(201, THING)
    )
    assert client.things.create(body={"name": "widget"}).id == 7
    assert len(server.requests) == 2
    assert server.requests[0].content == server.requests[1].content


def test_post_retried_after_connect_error(
    make_client: Any, sleeps: list[float]
) -> None:
    client, server = make_client(httpx.ConnectError("refused"), reply(201, THING))
    assert client.things.create(body={"name": "widget"}).id == 7
    assert len(server.requests) == 2
    assert sleeps == [0.5]


def test_post_not_retried_after_read_timeout(make_client: Any, rt: Any) -> None:
    client, server = make_client(httpx.ReadTimeout("slow"), reply(201, THING))
    with pytest.raises(rt.APITimeoutError) as info:
        client.things.create(body={"name": "widget"})
    assert len(server.requests) == 1
    assert "POST https://api.fake.test/v1/things timed out" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)


def test_post_not_retried_after_dropped_connection(make_client: Any, rt: Any) -> None:
    client, server = make_client(
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        reply(201, THING),
    )
    with pytest.raises(rt.APIConnectionError) as info:
        client.things.create(body={"name": "widget"})
    assert not isinstance(info.value, rt.APITimeoutError)
    assert "Server disconnected" in str(info.value)
    assert len(server.requests) == 1


def test_get_retried_after_connection_reset(
    make_client: Any, sleeps: list[float]
) -> None:
    client, server = make_client(
        httpx.ReadError("[Errno 104] Connection reset by peer"), reply(200, THING)
    )
    assert client.things.get(7).id == 7
    assert len(server.requests) == 2


def test_timeout_becomes_api_timeout_error_after_retries(
    make_client: Any, sleeps: list[float], rt: Any
) -> None:
    client, server = make_client(httpx.ReadTimeout("timed out"))
    with pytest.raises(rt.APITimeoutError):
        client.things.get(7)
    assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_connect_error_exhausted_is_connection_error(make_client: Any, rt: Any) -> None:
    client, server = make_client(httpx.ConnectError("Name or service not known"))
    with pytest.raises(rt.APIConnectionError, match="Name or service not known"):
        client.things.get(7)
    assert len(server.requests) == 3


def test_404_is_not_retried(make_client: Any, rt: Any) -> None:
    client, server = make_client(reply(404, {"message": "gone"}))
    with pytest.raises(rt.NotFoundError):
        client.things.get(7)
    assert len(server.requests) == 1


def test_backoff_is_capped_and_jittered(
    rt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fakeapi._runtime._retry as retry

    monkeypatch.setattr(retry, "_jitter", lambda: 1.25)
    assert retry.backoff(0) == pytest.approx(0.625)
    assert retry.backoff(10) == pytest.approx(10.0)  # 8 s cap * 1.25
    monkeypatch.undo()
    delays = {retry.backoff(1) for _ in range(50)}
    assert all(0.75 <= d <= 1.25 for d in delays) and len(delays) > 1


def test_timeout_setting_is_passed_and_never_infinite(
    make_client: Any, rt: Any
) -> None:
    seen: list[Any] = []

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=THING)

    client, _ = make_client(capture, timeout=None)
    client.things.get(1)
    client.things.get(1, request_options={"timeout": 2.5})
    assert seen[0] == rt.DEFAULT_TIMEOUT.as_dict()
    assert all(v is not None for v in seen[0].values())
    assert seen[1]["read"] == 2.5
