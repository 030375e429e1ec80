"""A total deadline per attempt, on top of httpx's per-operation timeouts.

httpx bounds each connect, read and write, so a server that sends one byte
just inside the read timeout can keep a call going forever.  Each attempt
therefore also gets a deadline: the largest of the ``timeout``'s values
(``timeout=1`` gives one second for the whole attempt; the default
``Timeout(60, connect=10)`` gives 60 s).  It is enforced

* at every socket operation, for HTTP clients using httpx's own transport
  (the network backend is wrapped so each connect, read and write waits at
  most until the deadline), which bounds a server trickling its headers;
* after every piece of a body read, for any transport.

A download's body is not bounded by the deadline (a large file may take
long); its connection, request and response headers are.  An attempt that
overruns raises ``httpx.ReadTimeout``, reported as ``APITimeoutError``.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

import httpx

__all__ = ["DEADLINE", "DeadlineExceeded", "bound_backend", "check", "total_seconds"]

#: monotonic time by which the current attempt must end (``None``: none)
DEADLINE: ContextVar[float | None] = ContextVar("clientgen_deadline", default=None)


class DeadlineExceeded(httpx.ReadTimeout):
    """The attempt ran past its total deadline."""


_totals: dict[int, tuple[httpx.Timeout, float | None]] = {}


def total_seconds(timeout: httpx.Timeout) -> float | None:
    """The total deadline of an attempt under ``timeout``: its largest value."""
    cached = _totals.get(id(timeout))
    if cached is not None and cached[0] is timeout:
        return cached[1]
    values = [
        v
        for v in (timeout.connect, timeout.read, timeout.write, timeout.pool)
        if v is not None
    ]
    total = max(values) if values else None
    if len(_totals) > 64:  # per-call timeouts: keep the cache small
        _totals.clear()
    _totals[id(timeout)] = (timeout, total)
    return total


def check(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise DeadlineExceeded("the attempt ran past its total deadline")


def _bounded(timeout: float | None) -> float | None:
    """``timeout`` cut to the time left before the deadline.

    Past the deadline the operation still gets a microsecond, so that it is
    the transport that times out, with httpx's own exception.
    """
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = max(deadline - time.monotonic(), 1e-6)
    return left if timeout is None else min(timeout, left)


class _Stream:
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._stream.read(max_bytes, _bounded(timeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: Any = None,
        timeout: float | None = None,
    ) -> _Stream:
        return _Stream(
            self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncStream:
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = await self._stream.read(max_bytes, _bounded(timeout))
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _bounded(timeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: Any = None,
        timeout: float | None = None,
    ) -> _AsyncStream:
        stream = await self._stream.start_tls(
            ssl_context, server_hostname, _bounded(timeout)
        )
        return _AsyncStream(stream)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend:
    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: Any = None,
        socket_options: Any = None,
    ) -> _Stream:
        return _Stream(
            self._backend.connect_tcp(
                host, port, _bounded(timeout), local_address, socket_options
            )
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> _Stream:
        return _Stream(
            self._backend.connect_unix_socket(path, _bounded(timeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncBackend:
    def __init__(self, backend: Any) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: Any = None,
        socket_options: Any = None,
    ) -> _AsyncStream:
        stream = await self._backend.connect_tcp(
            host, port, _bounded(timeout), local_address, socket_options
        )
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> _AsyncStream:
        stream = await self._backend.connect_unix_socket(
            path, _bounded(timeout), socket_options
        )
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def bound_backend(http: httpx.Client | httpx.AsyncClient) -> None:
    """Wrap the network backend of ``http``'s own transport (see above).

    Reaches into httpx's transport; when its layout is not the one expected
    the body-read checks alone apply.
    """
    pool = getattr(getattr(http, "_transport", None), "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None or isinstance(backend, (_Backend, _AsyncBackend)):
        return
    wrapper = _AsyncBackend if isinstance(http, httpx.AsyncClient) else _Backend
    pool._network_backend = wrapper(backend)  # type: ignore[union-attr]
