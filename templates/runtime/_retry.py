"""Retry policy: which failures are retried and how long to wait.

Idempotent methods are retried on every transient failure.  POST and PATCH
are retried only when the server certainly did not act on the request: a
429, or a connection that failed before the request was sent.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import httpx

__all__ = ["RETRY_STATUSES", "retry_delay", "should_retry_error", "should_retry_status"]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})

INITIAL_DELAY = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0


def should_retry_status(method: str, status: int) -> bool:
    if status not in RETRY_STATUSES:
        return False
    return method.upper() in IDEMPOTENT_METHODS or status == 429


def should_retry_error(method: str, exc: Exception) -> bool:
    """Decide whether a transport error may be retried for ``method``."""
    # Nothing reached the server: safe for every method.
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return True
    if method.upper() not in IDEMPOTENT_METHODS:
        # A read timeout or dropped connection may mean the server already
        # processed the request; repeating it could duplicate side effects.
        return False
    return isinstance(
        exc, (httpx.TimeoutException, httpx.NetworkError, httpx.ProtocolError)
    )


def _jitter() -> float:
    """Random factor in [0.75, 1.25]; a function so tests can pin it."""
    import random  # on first retry: importing it at start-up costs more

    return random.uniform(0.75, 1.25)


def backoff(retries_taken: int) -> float:
    return min(INITIAL_DELAY * 2.0**retries_taken, MAX_BACKOFF) * _jitter()


def server_delay(headers: Mapping[str, str] | httpx.Headers) -> float | None:
    """Delay the server asked for via ``retry-after-ms`` or ``Retry-After``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000.0
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        import email.utils  # slow to import; only an HTTP-date needs it

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.timestamp() - time.time()


def retry_delay(
    retries_taken: int, headers: Mapping[str, str] | httpx.Headers | None
) -> float:
    """Seconds to sleep before retry number ``retries_taken + 1``."""
    requested = server_delay(headers) if headers is not None else None
    if requested is not None and requested >= 0:
        return min(requested, MAX_RETRY_AFTER)
    return backoff(retries_taken)
