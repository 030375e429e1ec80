"""Redaction of secrets in URLs and headers before they reach logs or errors."""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

REDACTED = "[REDACTED]"

# Query parameter names that commonly carry secrets even when the spec does
# not declare them as an API key; cheap insurance for log output.
_COMMON_SECRET_PARAMS = frozenset(
    {
        "access_token",
        "api_key",
        "apikey",
        "api-key",
        "auth",
        "client_secret",
        "code",
        "key",
        "password",
        "refresh_token",
        "secret",
        "sig",
        "signature",
        "token",
    }
)

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie"}
)


def redact_url(url: httpx.URL | str, secret_params: Collection[str] = ()) -> str:
    """Return ``url`` as text with user-info passwords and secret params hidden."""
    text = str(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = (
            f"{user}:{REDACTED}@{host}" if ":" in userinfo else f"{REDACTED}@{host}"
        )
    query = parts.query
    if query:
        secret = {name.lower() for name in secret_params} | _COMMON_SECRET_PARAMS
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(k, REDACTED if k.lower() in secret else v) for k, v in pairs],
            safe="[]",
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_headers(
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    secret_headers: Collection[str] = (),
) -> dict[str, str]:
    """Copy ``headers`` replacing credential-bearing values with a marker."""
    secret = {name.lower() for name in secret_headers} | SENSITIVE_HEADERS
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k: (REDACTED if k.lower() in secret else v) for k, v in items}


# -- httpx's own log lines ------------------------------------------------------

_LOG_SECRET_PARAMS: set[str] = set()
_LOG_LOCK = threading.Lock()
_log_filter: logging.Filter | None = None


class _RedactingFilter(logging.Filter):
    """Rewrites the URL in httpx's ``HTTP Request: ...`` INFO line.

    httpx logs ``request.url`` as is, with a password in its user-info and
    API keys in its query.  The filter runs only for records that are
    emitted, so it costs nothing while INFO logging is off.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, httpx.URL) for a in args):
            record.args = tuple(
                redact_url(a, _LOG_SECRET_PARAMS) if isinstance(a, httpx.URL) else a
                for a in args
            )
        return True


def redact_httpx_logs(secret_params: Collection[str]) -> None:
    """Install (once) the filter on the ``httpx`` logger; add these names."""
    global _log_filter
    with _LOG_LOCK:
        _LOG_SECRET_PARAMS.update(name.lower() for name in secret_params)
        if _log_filter is None:
            _log_filter = _RedactingFilter()
            logging.getLogger("httpx").addFilter(_log_filter)
