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
