"""The base class of generated asynchronous clients (twin of ``_front``).

A module of its own, so that programs using only the synchronous client never
load it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx

from ._front import _Front

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable
    from contextlib import AbstractContextManager
    from types import TracebackType
    from typing import Self, Unpack

    from ._runtime._async_client import AsyncEngine
    from ._runtime._capture import ResponseLog
    from ._runtime._io import Destination
    from ._runtime._kwargs import RequestArgs, SendArgs
    from ._runtime._types import As

_T = TypeVar("_T")

__all__ = ["AsyncAPIClient", "AsyncAPIResource"]


class AsyncAPIClient(_Front):
    """Base class of generated asynchronous clients."""

    _engine_: AsyncEngine | None
    _http_client: httpx.AsyncClient | None

    if TYPE_CHECKING:  # the engine type of this flavour

        @property
        def _engine(self) -> AsyncEngine: ...

    def _new_engine(self) -> AsyncEngine:
        from ._runtime._async_client import AsyncEngine

        return AsyncEngine(self, self._http_client)

    async def close(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._engine_ is not None:
            await self._engine_.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def capture_responses(self) -> AbstractContextManager[ResponseLog]:
        """Collect raw ``httpx.Response`` objects of calls made in the block."""
        return self._engine.capture_responses()

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[As[_T]],
        **kwargs: Unpack[SendArgs],
    ) -> Awaitable[_T]: ...
    @overload
    def request(
        self, method: str, path: str, *, cast_to: type[_T], **kwargs: Unpack[SendArgs]
    ) -> Awaitable[_T]: ...
    @overload
    def request(
        self, method: str, path: str, **kwargs: Unpack[RequestArgs]
    ) -> Awaitable[Any]: ...
    def request(self, method: str, path: str, **kwargs: Any) -> Awaitable[Any]:
        """Send one API request; await the parsed result (typed as ``cast_to``)."""
        return self._engine.request(method, path, **kwargs)

    def download(
        self,
        method: str,
        path: str,
        destination: Destination,
        **kwargs: Unpack[RequestArgs],
    ) -> Awaitable[int]:
        """Stream the response body into ``destination``; await bytes written."""
        return self._engine.download(method, path, destination, **kwargs)

    def iter_offset(
        self,
        fetch: Callable[[int, int], Awaitable[Any]],
        *,
        page_size: int,
        start: int = 0,
        items: str = "items",
        total: str | None = "count",
    ) -> AsyncIterator[Any]:
        """Iterate items across offset/limit pages (``async for``)."""
        from ._runtime._pagination import aiter_offset

        return aiter_offset(
            fetch, page_size=page_size, start=start, items=items, total=total
        )

    def iter_page(
        self,
        fetch: Callable[[int], Awaitable[Any]],
        *,
        start: int = 1,
        items: str = "items",
    ) -> AsyncIterator[Any]:
        """Iterate items across numbered pages (``async for``)."""
        from ._runtime._pagination import aiter_page

        return aiter_page(fetch, start=start, items=items)

    def iter_cursor(
        self,
        fetch: Callable[[str | None], Awaitable[Any]],
        *,
        items: str = "items",
        next_cursor: str = "next_cursor",
    ) -> AsyncIterator[Any]:
        """Iterate items following an opaque cursor (``async for``)."""
        from ._runtime._pagination import aiter_cursor

        return aiter_cursor(fetch, items=items, next_cursor=next_cursor)


class AsyncAPIResource:
    """Async counterpart of :class:`SyncAPIResource`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
