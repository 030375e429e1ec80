"""Shared test helpers for the runtime tests (scripted mock server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

SESSION_KEY = "sk-live-SECRET-1234"
ACCOUNT_ID = "acct-42"
THING = {"id": 7, "name": "widget", "status": "active"}


Reply = Callable[[httpx.Request], httpx.Response]


def reply(
    status: int = 200,
    json: Any = None,
    *,
    headers: dict[str, str] | None = None,
    content: bytes | str | None = None,
) -> Reply:
    """A canned response factory (Response objects cannot be reused)."""

    def make(request: httpx.Request) -> httpx.Response:
        if content is not None:
            return httpx.Response(status, content=content, headers=headers)
        if json is None:
            return httpx.Response(status, headers=headers)
        return httpx.Response(status, json=json, headers=headers)

    return make


class MockServer:
    """Scripted server: each request consumes the next step; the last repeats.

    A step is a reply factory, a callable taking the request, or an exception
    instance to raise (simulating transport failures).
    """

    def __init__(self, *steps: Any) -> None:
        self.steps = list(steps) or [reply(200, {})]
        self.requests: list[httpx.Request] = []

    def _respond(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, BaseException):
            raise step
        response = step(request)
        assert isinstance(response, httpx.Response)
        return response

    def handler(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._respond(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._respond(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


# -- a real socket server, for what a MockTransport cannot show ---------------


class LocalServer:
    """A server on 127.0.0.1 running ``script(conn, request_bytes, stop)`` per
    connection in a thread (``stop`` is set when the test is done); counts
    connections.  Use as a context manager; ``url`` is its base URL."""

    def __init__(self, script: Callable[[Any, bytes, Any], None]) -> None:
        import socket
        import threading

        self.script = script
        self.connections = 0
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import contextlib

        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            with conn, contextlib.suppress(OSError):
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.script(conn, data, self._stop)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()


class Wire:
    """A fake server: answers GETs with ``answer``, records POSTed bodies."""

    def __init__(self) -> None:
        self.answer: bytes = b"{}"
        self.sent: list[bytes] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.sent.append(request.content)
            return httpx.Response(204)
        return httpx.Response(
            200, content=self.answer, headers={"content-type": "application/json"}
        )
