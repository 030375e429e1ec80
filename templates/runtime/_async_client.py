"""Asynchronous client base class (twin of ``_sync_client``)."""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

import httpx

from ._core import (
    MAX_REDIRECTS,
    REFRESH_RETRY_METHODS,
    ClientCore,
    RequestPlan,
    ResponseKind,
    _Redacted,
    origin,
)
from ._deadline import DEADLINE, check
from ._exceptions import ResponseTooLargeError
from ._limits import aread_bounded
from ._types import NOT_GIVEN

# Modules used only by some calls (downloads, pagination, retries, captures)
# are imported where they are used, so that importing a client stays cheap.
if TYPE_CHECKING:
    from .._async_front import AsyncAPIClient
    from .._front import _Front
    from ._auth import AuthParts, OAuth2Scheme
    from ._capture import ResponseLog
    from ._io import Destination, Security
    from ._params import RequestOptions

_HTTP_LOCK = threading.Lock()

__all__ = ["AsyncEngine"]


class AsyncEngine(ClientCore):
    """The request machinery of an async client, built on its first request."""

    _http_client: httpx.AsyncClient | None

    def __init__(
        self, front: AsyncAPIClient, http_client: httpx.AsyncClient | None
    ) -> None:
        self._setup(front)
        self._owns_http = http_client is None
        # Created on first use: building one loads the CA certificates, which
        # costs more than importing the whole package.
        self._http_client = http_client
        if http_client is not None:
            from ._cookies import scope_cookies_by_origin
            from ._deadline import bound_backend

            scope_cookies_by_origin(http_client)
            bound_backend(http_client)

    @property
    def _http(self) -> httpx.AsyncClient:
        http = self._http_client
        if http is None:
            with _HTTP_LOCK:
                http = self._http_client
                if http is None:
                    http = httpx.AsyncClient(
                        timeout=self._front._timeout, follow_redirects=False
                    )
                    from ._cookies import scope_cookies_by_origin
                    from ._deadline import bound_backend

                    scope_cookies_by_origin(http)
                    bound_backend(http)
                    self._http_client = http
        return http

    def derive(self, front: _Front) -> Self:
        self._http  # noqa: B018 - create it now, so that the copy shares it
        return super().derive(front)

    async def close(self) -> None:
        """Close the HTTP client if this engine created it."""
        if self._owns_http and self._http_client is not None:
            await self._http_client.aclose()

    def capture_responses(self) -> contextlib.AbstractContextManager[ResponseLog]:
        """Collect raw ``httpx.Response`` objects of calls made in the block."""
        from ._capture import capture

        return capture(self._capture_scope)

    async def _sleep(self, seconds: float) -> None:
        import asyncio  # not at import time: it is slow to import

        await asyncio.sleep(seconds)

    # -- public request API ------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any = None,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = NOT_GIVEN,
        body_type: Any = None,
        extra_body: Mapping[str, Any] | None = None,
        content_type: str | None = None,
        response_kind: ResponseKind = "json",
        accept: str | None = None,
        error_types: Mapping[str, Any] | None = None,
        security: Security | None = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """Send one API request and return the parsed result."""
        plan = self._plan(
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            body=body,
            body_type=body_type,
            extra_body=extra_body,
            content_type=content_type,
            response_kind=response_kind,
            accept=accept,
            security=security,
            options=options,
            is_async=True,
        )
        response = await self._send(plan, error_types, stream=False)
        return self._parse_success(response, cast_to, response_kind)

    async def download(
        self,
        method: str,
        path: str,
        destination: Destination,
        *,
        cast_to: Any = None,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = NOT_GIVEN,
        body_type: Any = None,
        extra_body: Mapping[str, Any] | None = None,
        content_type: str | None = None,
        response_kind: ResponseKind = "bytes",
        accept: str | None = None,
        error_types: Mapping[str, Any] | None = None,
        security: Security | None = None,
        options: RequestOptions | None = None,
    ) -> int:
        """Stream the response body into ``destination``; returns bytes written.

        File writes are blocking; chunks are small so the event loop is only
        held briefly.  ``cast_to`` and ``response_kind`` are ignored.
        """
        plan = self._plan(
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            body=body,
            body_type=body_type,
            extra_body=extra_body,
            content_type=content_type,
            response_kind="bytes",
            accept=accept,
            security=security,
            options=options,
            is_async=True,
        )
        from ._io import (
            check_destination,
            finish_destination,
            open_destination,
            transport_error,
        )

        check_destination(destination)  # before anything is sent
        response = await self._send(plan, error_types, stream=True)

        try:
            handle, target = open_destination(destination)
        except BaseException:
            await response.aclose()
            raise
        written = 0
        ok = False
        try:
            async for chunk in response.aiter_bytes():
                handle.write(chunk)
                written += len(chunk)
            ok = True
        except httpx.TransportError as exc:
            raise transport_error(
                plan, exc, self._redact(response.request.url)
            ) from exc
        finally:
            await response.aclose()
            finish_destination(handle, target, ok)
        return written

    # -- transport loop ------------------------------------------------------

    async def _fetch_tokens(self, plan: RequestPlan) -> dict[OAuth2Scheme, str]:
        tokens: dict[OAuth2Scheme, str] = {}
        for scheme in plan.oauth:
            tokens[scheme] = await self._tokens.get_async(
                self._http,
                scheme,
                self._front._credentials,
                self._token_url(scheme),
                plan.timeout,
            )
        return tokens

    async def _send(
        self, plan: RequestPlan, error_types: Mapping[str, Any] | None, *, stream: bool
    ) -> httpx.Response:
        """Send with retries, OAuth2 refresh and redirects; return a 2xx response."""
        retries = 0
        refreshed = False
        where = _Redacted(self, plan.url)  # formatted only if printed
        while True:
            auth = self._auth_parts(plan, await self._fetch_tokens(plan))
            deadline = plan.deadline()
            token = DEADLINE.set(deadline)
            try:
                response = await self._send_hops(plan, auth)
                if deadline is not None:
                    check(deadline)  # the response headers came in time
                body_read = True
                if not (stream and response.is_success):
                    body_read = await self._read(response, deadline)
            except (httpx.LocalProtocolError, httpx.UnsupportedProtocol, UnicodeError):
                # Not a network error: retrying cannot help, and the message
                # of the cause may quote a secret header value.
                from ._io import unsendable

                raise unsendable(plan, str(where)) from None
            except httpx.TransportError as exc:
                from ._io import transport_error
                from ._retry import retry_delay, should_retry_error

                if retries < plan.max_retries and should_retry_error(plan.method, exc):
                    delay = retry_delay(retries, None)
                    self._log.warning(
                        "Retrying %s %s in %.2fs after %s (retry %d of %d)",
                        plan.method, where, delay, type(exc).__name__,
                        retries + 1, plan.max_retries,
                    )  # fmt: skip
                    await self._sleep(delay)
                    retries += 1
                    continue
                raise transport_error(plan, exc, str(where)) from exc
            finally:
                DEADLINE.reset(token)
            if response.is_success:
                return response
            status = response.status_code
            if status == 401 and plan.oauth and not refreshed:
                # The cached token may have been revoked early: fetch a new
                # one once, without consuming a retry.  Only a request that
                # is safe to repeat is sent again.
                refreshed = True
                for key in self._token_keys(plan):
                    self._tokens.invalidate(key)
                if plan.method in REFRESH_RETRY_METHODS:
                    self._log.info("Got 401; refreshing the OAuth2 token and retrying")
                    continue
            from ._retry import retry_delay, should_retry_status

            if retries < plan.max_retries and should_retry_status(plan.method, status):
                delay = retry_delay(retries, response.headers)
                self._log.info(
                    "Retrying %s %s in %.2fs after HTTP %d (retry %d of %d)",
                    plan.method, where, delay, status, retries + 1, plan.max_retries,
                )  # fmt: skip
                await self._sleep(delay)
                retries += 1
                continue
            raise self._status_error(response, plan, error_types, body_read=body_read)

    async def _read(self, response: httpx.Response, deadline: float | None) -> bool:
        """Read the body within the limits; ``False`` if an error body was too
        large to read (the error is still raised, with a note)."""
        limit = self._front._max_response_size
        bound = None if deadline is None else functools.partial(check, deadline)
        if response.is_success:
            await aread_bounded(response, limit, bound)
            return True
        try:
            await aread_bounded(response, limit, bound)
        except ResponseTooLargeError:
            response._content = b""
            return False
        return True

    async def _send_hops(self, plan: RequestPlan, auth: AuthParts) -> httpx.Response:
        """Send, following redirects; the final response's body is not read."""
        from ._capture import record

        url, method, with_body = plan.url, plan.method, True
        for hop in range(MAX_REDIRECTS + 1):
            trusted = origin(url) == plan.origin
            request = self._build_request(
                self._http,
                plan,
                url,
                method,
                with_body=with_body,
                auth=auth if trusted else None,
            )
            debug = self._log.isEnabledFor(logging.DEBUG)
            if debug:
                self._log.debug(
                    "HTTP Request: %s %s", method, self._redact(request.url)
                )
            started = time.monotonic()
            response = await self._http.send(
                request, stream=True, follow_redirects=False
            )
            record(self._capture_scope, response)
            if debug:
                self._log.debug(
                    "HTTP Response: %s %s -> %d (%.3fs)",
                    method, self._redact(request.url), response.status_code,
                    time.monotonic() - started,
                )  # fmt: skip
            nxt = self._redirect(response, method) if hop < MAX_REDIRECTS else None
            if nxt is None:
                return response
            await response.aclose()
            url, method, keep_body = nxt
            with_body = with_body and keep_body
            self._log.debug("Following redirect to %s", self._redact(url))
        raise AssertionError("unreachable")  # pragma: no cover
