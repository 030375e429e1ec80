"""Security schemes as data, and how they are applied to a request.

A *requirement* is a tuple of scheme names that must all apply (AND); an
operation lists alternative requirements (OR) and the client uses the first
one whose credentials are all configured.

OAuth2 tokens are fetched from the token endpoint on demand, cached per
scheme and credential set, refreshed shortly before they expire and after
the API rejects them once with 401.
"""

from __future__ import annotations

import base64
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import httpx

if TYPE_CHECKING:  # asyncio is slow to import; only async clients need it
    import asyncio

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as record
    from dataclasses import field
else:
    from ._record import field, record

__all__ = [
    "ApiKeyScheme",
    "AuthParts",
    "HttpBasicScheme",
    "HttpBearerScheme",
    "OAuth2Scheme",
    "SecurityScheme",
    "TokenStore",
    "apply_scheme",
    "carried_elsewhere",
    "credential_sets",
    "describe_logins",
    "select_requirement",
    "token_endpoint",
]


@record(frozen=True)
class ApiKeyScheme:
    """An API key sent in a header, query parameter or cookie."""

    credential: str
    name: str
    location: Literal["header", "query", "cookie"]


@record(frozen=True)
class HttpBasicScheme:
    """HTTP Basic auth; the fields name the two credentials to combine."""

    username: str = "username"
    password: str = "password"


@record(frozen=True)
class HttpBearerScheme:
    """``Authorization: Bearer <credential>``."""

    credential: str = "bearer_token"


@record(frozen=True)
class OAuth2Scheme:
    """OAuth2 client-credentials or password flow.

    If the ``access_token`` credential is set it is used directly; otherwise
    a token is requested from ``token_url``.  ``client_auth`` chooses whether
    the client id/secret go in a Basic header (RFC 6749 default) or the body.
    """

    token_url: str
    flow: Literal["client_credentials", "password"]
    scopes: tuple[str, ...] = ()
    client_id: str = "client_id"
    client_secret: str = "client_secret"
    username: str = "username"
    password: str = "password"
    access_token: str = "access_token"
    client_auth: Literal["basic", "body"] = "basic"
    #: the token request as a form (RFC 6749) or, where the API's own token
    #: operation takes JSON (onFact's login), as a JSON object
    token_body: Literal["form", "json"] = "form"


SecurityScheme: TypeAlias = (
    ApiKeyScheme | HttpBasicScheme | HttpBearerScheme | OAuth2Scheme
)
Credentials: TypeAlias = Mapping[str, str | None]


@record()
class AuthParts:
    """What credentials add to a request; kept apart so redirects can drop it."""

    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def update(self, other: AuthParts) -> None:
        self.headers.update(other.headers)
        self.query.update(other.query)
        self.cookies.update(other.cookies)


def required_credentials(scheme: SecurityScheme, creds: Credentials) -> tuple[str, ...]:
    """Names of the credentials ``scheme`` needs given what is configured."""
    if isinstance(scheme, ApiKeyScheme):
        return (scheme.credential,)
    if isinstance(scheme, HttpBasicScheme):
        return (scheme.username, scheme.password)
    if isinstance(scheme, HttpBearerScheme):
        return (scheme.credential,)
    if creds.get(scheme.access_token):
        return (scheme.access_token,)
    if scheme.flow == "password":
        return (scheme.username, scheme.password)
    return (scheme.client_id, scheme.client_secret)


def select_requirement(
    security: Sequence[tuple[str, ...]],
    schemes: Mapping[str, SecurityScheme],
    creds: Credentials,
) -> tuple[str, ...] | None:
    """Pick the first alternative whose credentials are all present.

    Returns ``()`` for an anonymous alternative and ``None`` when nothing
    can be satisfied (the request then goes out without credentials).
    """
    for requirement in security:
        if all(
            name in schemes
            and all(creds.get(c) for c in required_credentials(schemes[name], creds))
            for name in requirement
        ):
            return requirement
    return None


def _scheme_logins(scheme: SecurityScheme) -> tuple[tuple[str, ...], ...]:
    """The sets of credentials, any one of which lets ``scheme`` apply."""
    if isinstance(scheme, ApiKeyScheme):
        return ((scheme.credential,),)
    if isinstance(scheme, HttpBasicScheme):
        return ((scheme.username, scheme.password),)
    if isinstance(scheme, HttpBearerScheme):
        return ((scheme.credential,),)
    grant = (
        (scheme.username, scheme.password)
        if scheme.flow == "password"
        else (scheme.client_id, scheme.client_secret)
    )
    return ((scheme.access_token,), grant)


def credential_sets(
    security: Sequence[tuple[str, ...]], schemes: Mapping[str, SecurityScheme]
) -> tuple[tuple[str, ...], ...]:
    """The sets of credential names, any one of which satisfies one of the
    alternative requirements ``security`` (``()`` among them: anonymous)."""
    found: dict[tuple[str, ...], None] = {}
    for requirement in security:
        if not all(name in schemes for name in requirement):
            continue  # a scheme the client does not support: never satisfied
        combos: list[tuple[str, ...]] = [()]
        for name in requirement:
            combos = [c + o for c in combos for o in _scheme_logins(schemes[name])]
        for combo in combos:
            found[tuple(dict.fromkeys(combo))] = None
    return tuple(found)


def describe_logins(
    logins: Sequence[tuple[str, ...]],
    environment: Mapping[str, str | None],
    creds: Credentials,
    client: str,
) -> str:
    """``Pass api_key= and company_uuid= (or set ONFACT_API_KEY and
    ONFACT_COMPANY_UUID), or ... to OnFact() or with_options().``: how to
    configure each set of credentials, then which credentials are set
    already (names only, never values)."""
    options = []
    for login in logins:
        args = " and ".join(f"{name}=" for name in login)
        envs = [env for env in (environment.get(n) for n in login) if env]
        if envs:
            plural = "s" if len(envs) > 1 else ""
            args += f" (or set the environment variable{plural} {' and '.join(envs)})"
        options.append(args)
    text = f"Pass {', or '.join(options)} to {client}() or with_options()."
    given = [name for name, value in creds.items() if value]
    if given:
        text += f" Set already: {', '.join(given)}."
    return text


def carried_elsewhere(
    schemes: Sequence[SecurityScheme],
    headers: Mapping[str, str],
    query: Mapping[str, Any],
    http_auth: bool,
) -> bool:
    """Does the caller send credentials their own way: an ``http_client`` with
    ``auth``, or a scheme's header (``Authorization``, the API key's) or query
    parameter among the default or extra headers and query parameters?"""
    if http_auth:
        return True
    names = {name.lower() for name in headers}
    for scheme in schemes:
        if isinstance(scheme, ApiKeyScheme):
            if scheme.location == "query" and scheme.name in query:
                return True
            wanted = "cookie" if scheme.location == "cookie" else scheme.name.lower()
            if scheme.location != "query" and wanted in names:
                return True
        elif "authorization" in names:
            return True
    return False


def needs_token_fetch(scheme: SecurityScheme, creds: Credentials) -> bool:
    return isinstance(scheme, OAuth2Scheme) and not creds.get(scheme.access_token)


def apply_scheme(
    scheme: SecurityScheme, creds: Credentials, token: str | None
) -> AuthParts:
    """Turn one scheme plus credentials (and fetched token) into request parts."""
    parts = AuthParts()
    if isinstance(scheme, ApiKeyScheme):
        value = creds.get(scheme.credential) or ""
        target = {
            "header": parts.headers,
            "query": parts.query,
            "cookie": parts.cookies,
        }
        target[scheme.location][scheme.name] = value
    elif isinstance(scheme, HttpBasicScheme):
        raw = f"{creds.get(scheme.username) or ''}:{creds.get(scheme.password) or ''}"
        parts.headers["Authorization"] = (
            "Basic " + base64.b64encode(raw.encode()).decode()
        )
    elif isinstance(scheme, HttpBearerScheme):
        parts.headers["Authorization"] = f"Bearer {creds.get(scheme.credential) or ''}"
    else:
        bearer = creds.get(scheme.access_token) or token or ""
        parts.headers["Authorization"] = f"Bearer {bearer}"
    return parts


# ---------------------------------------------------------------------------
# OAuth2 token cache


def _now() -> float:
    """Clock used for token expiry (module-level so tests can replace it)."""
    return time.monotonic()


@record()
class _Token:
    value: str
    expires_at: float | None


TokenKey: TypeAlias = tuple[Any, ...]


class TokenStore:
    """Thread-safe cache of OAuth2 access tokens.

    Shared between a client and its ``with_options`` copies; the key includes
    the credential values, so copies with other credentials never see a
    token that was issued to someone else.
    """

    def __init__(self) -> None:
        self._tokens: dict[TokenKey, _Token] = {}
        self._lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Lock
        ] = weakref.WeakKeyDictionary()

    @staticmethod
    def key(scheme: OAuth2Scheme, creds: Credentials, token_url: str) -> TokenKey:
        # The token endpoint is part of the key: a token issued by one
        # server is never sent to another.
        return (
            scheme,
            token_url,
            creds.get(scheme.client_id),
            creds.get(scheme.client_secret),
            creds.get(scheme.username) if scheme.flow == "password" else None,
            creds.get(scheme.password) if scheme.flow == "password" else None,
        )

    def _fresh(self, key: TokenKey) -> str | None:
        token = self._tokens.get(key)
        if token is None:
            return None
        if token.expires_at is not None and _now() >= token.expires_at:
            return None
        return token.value

    def invalidate(self, key: TokenKey) -> None:
        with self._lock:
            self._tokens.pop(key, None)

    def get_sync(
        self,
        http: httpx.Client,
        scheme: OAuth2Scheme,
        creds: Credentials,
        token_url: str,
        timeout: httpx.Timeout,
    ) -> str:
        key = self.key(scheme, creds, token_url)
        with self._lock:
            # Holding the lock across the fetch makes concurrent threads wait
            # for one token instead of each requesting their own.
            cached = self._fresh(key)
            if cached is not None:
                return cached
            request = _token_request(http, scheme, creds, token_url, timeout)
            try:
                response = http.send(request, follow_redirects=False)
            except httpx.TransportError as exc:
                raise _fetch_failed(exc, request) from exc
            token = _parse_token(response)
            self._tokens[key] = token
            return token.value

    async def get_async(
        self,
        http: httpx.AsyncClient,
        scheme: OAuth2Scheme,
        creds: Credentials,
        token_url: str,
        timeout: httpx.Timeout,
    ) -> str:
        import asyncio

        key = self.key(scheme, creds, token_url)
        loop = asyncio.get_running_loop()
        with self._lock:
            lock = self._async_locks.setdefault(loop, asyncio.Lock())
        async with lock:
            with self._lock:
                cached = self._fresh(key)
            if cached is not None:
                return cached
            request = _token_request(http, scheme, creds, token_url, timeout)
            try:
                response = await http.send(request, follow_redirects=False)
            except httpx.TransportError as exc:
                raise _fetch_failed(exc, request) from exc
            token = _parse_token(response)
            with self._lock:
                self._tokens[key] = token
            return token.value


def _token_request(
    http: httpx.Client | httpx.AsyncClient,
    scheme: OAuth2Scheme,
    creds: Credentials,
    token_url: str,
    timeout: httpx.Timeout,
) -> httpx.Request:
    data: dict[str, str] = {"grant_type": scheme.flow}
    if scheme.flow == "password":
        data["username"] = creds.get(scheme.username) or ""
        data["password"] = creds.get(scheme.password) or ""
    if scheme.scopes:
        data["scope"] = " ".join(scheme.scopes)
    headers = {"Accept": "application/json"}
    client_id = creds.get(scheme.client_id)
    client_secret = creds.get(scheme.client_secret) or ""
    if client_id:
        if scheme.client_auth == "basic":
            raw = f"{client_id}:{client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        else:
            data["client_id"] = client_id
            data["client_secret"] = client_secret
    if scheme.token_body == "json":
        return http.build_request(
            "POST", token_url, json=data, headers=headers, timeout=timeout
        )
    return http.build_request(
        "POST", token_url, data=data, headers=headers, timeout=timeout
    )


def token_endpoint(token_url: str, base_url: str, servers: Sequence[str]) -> str:
    """Where the token request for ``token_url`` goes, with the API at ``base_url``.

    Credentials go only where the user pointed the client:

    * a relative token URL is relative to the chosen server;
    * an absolute one on the host of one of the description's servers is
      moved to the chosen server (a description pins its token URL to
      production; with ``server="uat"`` or a ``base_url`` the token must
      come from there), keeping its path below that server's;
    * an absolute one on a host none of the servers have is the
      description saying explicitly that another service issues tokens:
      it is used as is, but never over plain ``http`` for an ``https`` API.

    A token URL that no request can go to (one httpx cannot parse, a host
    name that is not valid IDNA) is a ``ConfigurationError`` naming it.
    """
    base = httpx.URL(base_url.rstrip("/") + "/")  # checked by the client
    try:
        resolved = _token_endpoint(token_url, base, servers)
        httpx.URL(resolved).host  # noqa: B018 - decodes IDNA, as sending would
    except (httpx.InvalidURL, UnicodeError) as exc:
        from ._exceptions import ConfigurationError
        from ._redact import redact_url

        raise ConfigurationError(
            f"The OAuth2 token URL {redact_url(token_url)!r} cannot be used: {exc}"
        ) from exc
    return resolved


def _token_endpoint(token_url: str, base: httpx.URL, servers: Sequence[str]) -> str:
    if token_url.startswith("//"):  # a network-path reference: base's scheme
        token_url = f"{base.scheme}:{token_url}"
    if not token_url[:8].lower().startswith(("http://", "https://")):
        return str(base.join(token_url))
    target = httpx.URL(token_url)
    raw = target.raw_path.decode("ascii")
    for server in servers:
        try:
            home = httpx.URL(server.rstrip("/") + "/")
        except (httpx.InvalidURL, UnicodeError):
            continue  # e.g. a variable left in it: no token URL is on it
        if home.raw_host == target.raw_host:  # as sent: no IDNA decoding
            prefix = home.raw_path.decode("ascii")
            rest = raw[len(prefix) :] if raw.startswith(prefix) else raw
            return str(base.join(rest))
    if target.scheme != "https" and base.scheme == "https":
        from ._exceptions import ConfigurationError

        raise ConfigurationError(
            f"Refusing to send OAuth2 credentials over plain http to {token_url!r}"
            " for an https API"
        )
    return token_url


def _fetch_failed(exc: httpx.TransportError, request: httpx.Request) -> Exception:
    # Exceptions are imported here: importing a client must stay cheap.
    from ._exceptions import APIConnectionError, APITimeoutError

    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request)
    return APIConnectionError(str(exc), request=request)


def _parse_token(response: httpx.Response) -> _Token:
    from ._exceptions import APIError, make_status_error

    response.read()
    if not response.is_success:
        raise make_status_error(response, hint="while fetching an OAuth2 token")
    try:
        payload = response.json()
        value = payload["access_token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise APIError("OAuth2 token response has no access_token") from exc
    expires_at: float | None = None
    expires_in = payload.get("expires_in")
    try:
        lifetime = float(expires_in) if expires_in is not None else None
    except (TypeError, ValueError):
        lifetime = None
    if lifetime is not None:
        # Refresh a little early so a token never expires in flight.
        expires_at = _now() + lifetime - min(30.0, lifetime * 0.1)
    return _Token(str(value), expires_at)
