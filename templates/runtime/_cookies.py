"""Cookies kept per origin (scheme, host and port).

Browsers' cookie rules (RFC 6265) ignore the port and let a cookie set over
``https`` go back over ``http``: a cookie one service on a host sets then
reaches every other service of that host.  An API client talks to one
origin and has no reason for that; the policy installed here returns a
cookie only to the origin that set it.  Cookies put into the jar by hand
keep the standard rules.
"""

from __future__ import annotations

from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import httpx

__all__ = ["cookies_for", "scope_cookies_by_origin"]

_ATTR = "x-clientgen-origin"
_PORTS = {"http": 80, "https": 443}


def _origin(request: Any) -> str:
    parts = urlsplit(request.get_full_url())
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return f"{scheme}://{(parts.hostname or '').lower()}:{port or _PORTS.get(scheme)}"


class OriginCookiePolicy(DefaultCookiePolicy):
    """The standard policy, plus: a cookie goes back only to its origin."""

    def set_ok(self, cookie: Cookie, request: Any) -> bool:
        if not super().set_ok(cookie, request):
            return False
        cookie.set_nonstandard_attr(_ATTR, _origin(request))
        return True

    def return_ok(self, cookie: Cookie, request: Any) -> bool:
        scoped = cookie.get_nonstandard_attr(_ATTR)
        if scoped is not None and scoped != _origin(request):
            return False
        return super().return_ok(cookie, request)


def scope_cookies_by_origin(http: httpx.Client | httpx.AsyncClient) -> None:
    """Install :class:`OriginCookiePolicy` unless the jar has a policy of its own."""
    jar = http.cookies.jar
    if type(getattr(jar, "_policy", None)) is DefaultCookiePolicy:
        jar.set_policy(OriginCookiePolicy())


def cookies_for(
    http: httpx.Client | httpx.AsyncClient, request: httpx.Request, ours: str | None
) -> None:
    """Set ``request``'s ``Cookie`` header: the jar's cookies for its origin
    and then ``ours`` (the cookies the call itself sends, if any).

    httpx copies the jar into a fresh one with the standard policy for every
    request, so the header it built is replaced here.
    """
    jar = CookieJar(OriginCookiePolicy())
    for cookie in http.cookies.jar:
        jar.set_cookie(cookie)
    request.headers.pop("Cookie", None)
    httpx.Cookies(jar).set_cookie_header(request)
    value = "; ".join(v for v in (request.headers.get("Cookie"), ours) if v)
    if value:
        request.headers["Cookie"] = value
    else:
        request.headers.pop("Cookie", None)
