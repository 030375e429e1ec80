"""I/O-free logic shared by the sync and async clients.

Everything that decides *what* to send and *how to interpret* a response
lives here; the engines of ``_sync_client`` and ``_async_client`` only add
the send loops, which differ solely in ``await``.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, Self

import httpx

from .._front import as_timeout
from ._auth import (
    ApiKeyScheme,
    AuthParts,
    OAuth2Scheme,
    TokenKey,
    TokenStore,
    apply_scheme,
    needs_token_fetch,
    select_requirement,
)
from ._deadline import total_seconds
from ._types import unwrap

# Modules needed only once requests are made are imported where they are
# used, so that importing a generated client stays cheap.
if TYPE_CHECKING:
    from .._front import _Front
    from ._body import PreparedBody
    from ._exceptions import APIStatusError
    from ._params import RequestOptions
    from ._spec import ClientSpec

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as record
    from dataclasses import field
else:
    from ._record import field, record

ResponseKind = Literal["json", "text", "bytes", "empty", "headers"]

MAX_REDIRECTS = 5
# Headers of our own that may go to another origin (see _foreign_headers).
_PORTABLE = frozenset({"user-agent", "accept", "content-type", "content-length"})
_CREDENTIAL_LIKE = re.compile(
    "auth|token|key|secret|session|cookie|passw|signature|credential"
)
# Sent again after an OAuth2 token refresh; any other request answered 401
# may have been processed, and repeating it could duplicate its effect.
REFRESH_RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    # the host as sent (IDNA-encoded): ``url.host`` decodes it, and raises
    # for an A-label that does not decode (a redirect's, say)
    host = url.raw_host.decode("ascii", "replace")
    return (url.scheme, host, url.port or _DEFAULT_PORTS.get(url.scheme))


@record()
class RequestPlan:
    """A fully resolved request, minus credentials (added per hop)."""

    method: str
    url: httpx.URL
    headers: dict[str, str]
    extra_headers: dict[str, str]
    cookies: dict[str, str]
    body: PreparedBody | None
    timeout: httpx.Timeout
    max_retries: int
    requirement: tuple[str, ...] | None
    oauth: list[OAuth2Scheme] = field(default_factory=list)
    #: the header parameters of the operation (sent to another origin too)
    param_headers: dict[str, str] = field(default_factory=dict)
    #: the API's origin when ``url`` is an absolute URL given by the caller
    api_origin: tuple[str, str, int | None] | None = None

    @property
    def origin(self) -> tuple[str, str, int | None]:
        """The origin trusted with credentials: the API's."""
        return self.api_origin or origin(self.url)

    def deadline(self) -> float | None:
        """When an attempt starting now must end (see ``_deadline``)."""
        total = total_seconds(self.timeout)
        return None if total is None else time.monotonic() + total


class ClientCore:
    """Request/response logic common to both engines.

    An engine is built for a client (``_front``) on its first request and
    reads the settings from it; ``derive`` makes the engine of a
    ``with_options`` copy, sharing the HTTP client, tokens and captures.
    """

    _spec: ClientSpec
    _front: _Front
    _tokens: TokenStore
    _capture_scope: object
    _owns_http: bool
    _log: logging.Logger

    def _setup(self, front: _Front) -> None:
        self._spec = spec = front._api.spec()
        self._front = front
        self._tokens = TokenStore()
        self._capture_scope = object()
        self._log = logging.getLogger(spec.package)
        from ._redact import redact_httpx_logs

        redact_httpx_logs(self._secret_query)

    def derive(self, front: _Front) -> Self:
        """The engine of ``front``, a ``with_options`` copy of this one's client."""
        clone = copy.copy(self)
        # the original still owns the connection pool; tokens, captures shared
        clone._owns_http = False
        clone._front = front
        return clone

    # -- secrets -----------------------------------------------------------

    @functools.cached_property
    def _secret_query(self) -> frozenset[str]:
        return frozenset(
            s.name
            for s in self._spec.security_schemes.values()
            if isinstance(s, ApiKeyScheme) and s.location == "query"
        )

    @functools.cached_property
    def _secret_headers(self) -> frozenset[str]:
        from ._redact import SENSITIVE_HEADERS

        names = {h.header.lower() for h in self._spec.client_headers}
        names.update(
            s.name.lower()
            for s in self._spec.security_schemes.values()
            if isinstance(s, ApiKeyScheme) and s.location == "header"
        )
        return frozenset(names | SENSITIVE_HEADERS)

    def _redact(self, url: httpx.URL | str) -> str:
        from ._redact import redact_url

        return redact_url(url, self._secret_query)

    # -- building requests -------------------------------------------------

    @functools.cached_property
    def _user_agent(self) -> str:
        spec = self._spec
        return f"{spec.package}/{spec.version} (clientgen) python-httpx/{httpx.__version__}"

    def _plan(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        body: Any,
        body_type: Any,
        extra_body: Mapping[str, Any] | None,
        content_type: str | None,
        response_kind: ResponseKind,
        accept: str | None,
        security: tuple[tuple[str, ...], ...] | None,
        options: RequestOptions | None,
        is_async: bool,
    ) -> RequestPlan:
        from ._body import prepare_body
        from ._serialize import (
            encode_cookies,
            encode_headers,
            encode_query,
            expand_path,
        )

        options = options or {}
        method = method.upper()
        if body_type is not None and _needs_validation(body):
            body = _checked_body(
                body_type, body, content_type, self._front._strict_requests
            )
        if extra_body:
            from ._body import with_extra_body

            body = with_extra_body(body, extra_body)
        prepared = prepare_body(body, content_type, is_async=is_async)

        api_origin = None
        if path.startswith(("http://", "https://")):
            url = httpx.URL(path)  # e.g. an absolute "next" link
            api_origin = origin(httpx.URL(self._front._base_url))
        else:
            url = httpx.URL(self._front._base_url + expand_path(path, path_params))
        pairs = list(url.params.multi_items()) if url.query else []
        added = encode_query(query)
        if api_origin is None or origin(url) == api_origin:
            # a link to another origin gets none of the client's own query
            # (an API key may be in it); a link carries its own parameters
            added = encode_query(self._front._default_query) + added
            added += encode_query(options.get("extra_query"))
        if api_origin is not None:
            given = {key for key, _ in pairs}
            added = [(key, value) for key, value in added if key not in given]
        pairs += added
        url = url.copy_with(params=httpx.QueryParams(tuple(pairs))) if pairs else url

        out_headers: dict[str, str] = {
            "User-Agent": self._user_agent,
            "Accept": accept
            or ("application/json" if response_kind == "json" else "*/*"),
        }
        merge_headers(out_headers, self._front._default_headers)
        param_headers = encode_headers(headers)
        merge_headers(out_headers, param_headers)
        if prepared is not None and prepared.content_type is not None:
            merge_headers(out_headers, {"Content-Type": prepared.content_type})
        if prepared is not None and prepared.content_length is not None:
            merge_headers(out_headers, {"Content-Length": str(prepared.content_length)})

        alternatives = self._spec.security if security is None else security
        schemes = self._spec.security_schemes
        requirement = select_requirement(
            alternatives, schemes, self._front._credentials
        )
        if requirement is None and alternatives:
            self._refuse_without_credentials(method, path, alternatives, options)
        # OAuth2 schemes whose token must be fetched (I/O, so done per flavour).
        oauth = [
            scheme
            for scheme in (schemes[name] for name in requirement or ())
            if isinstance(scheme, OAuth2Scheme)
            and needs_token_fetch(scheme, self._front._credentials)
        ]
        timeout = options.get("timeout")
        max_retries = options.get("max_retries")
        return RequestPlan(
            method=method,
            url=url,
            headers=out_headers,
            extra_headers=dict(options.get("extra_headers") or {}),
            cookies=encode_cookies(cookies),
            body=prepared,
            timeout=self._front._timeout if timeout is None else as_timeout(timeout),
            max_retries=(
                self._front._max_retries if max_retries is None else max_retries
            ),
            requirement=requirement,
            oauth=oauth,
            param_headers=param_headers,
            api_origin=api_origin,
        )

    def _token_keys(self, plan: RequestPlan) -> list[TokenKey]:
        return [
            TokenStore.key(scheme, self._front._credentials, self._token_url(scheme))
            for scheme in plan.oauth
        ]

    def _token_url(self, scheme: OAuth2Scheme) -> str:
        """The token endpoint of ``scheme`` for this client's server."""
        base_url = self._front._base_url
        cache = self._token_urls
        url = cache.get((scheme, base_url))
        if url is None:
            from ._auth import token_endpoint

            servers = tuple(self._spec.servers.values())
            url = token_endpoint(scheme.token_url, base_url, servers)
            cache[(scheme, base_url)] = url
        return url

    @functools.cached_property
    def _token_urls(self) -> dict[tuple[OAuth2Scheme, str], str]:
        return {}

    def _auth_parts(
        self, plan: RequestPlan, tokens: Mapping[OAuth2Scheme, str]
    ) -> AuthParts:
        parts = AuthParts()
        for hoisted in self._spec.client_headers:
            value = self._front._credentials.get(hoisted.credential)
            if value:
                parts.headers[hoisted.header] = value
        schemes = self._spec.security_schemes
        for name in plan.requirement or ():
            scheme = schemes[name]
            token = tokens.get(scheme) if isinstance(scheme, OAuth2Scheme) else None
            parts.update(apply_scheme(scheme, self._front._credentials, token))
        return parts

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        plan: RequestPlan,
        url: httpx.URL,
        method: str,
        *,
        with_body: bool,
        auth: AuthParts | None,
    ) -> httpx.Request:
        """Build one hop; ``auth`` is ``None`` when credentials must be withheld."""
        cookies = dict(plan.cookies)
        if auth is None:
            # Another origin: see ``_foreign_headers``; no cookie of ours,
            # no credential in the query.
            headers = self._foreign_headers(plan)
            extra: Mapping[str, str] = {}
            cookies = {}
            secret = self._secret_query
            if secret and any(name in secret for name in url.params):
                url = url.copy_with(
                    params=[
                        (k, v) for k, v in url.params.multi_items() if k not in secret
                    ]
                )
        else:
            headers = dict(plan.headers)
            merge_headers(headers, auth.headers)
            cookies.update(auth.cookies)
            for name, value in auth.query.items():
                url = url.copy_set_param(name, value)
            extra = plan.extra_headers
        if cookies:
            from ._serialize import cookie_header

            merge_headers(headers, {"Cookie": cookie_header(cookies)})
        merge_headers(headers, extra)
        body: dict[str, Any] = {}
        if with_body and plan.body is not None:
            body = plan.body.build()
        else:
            headers = {
                k: v
                for k, v in headers.items()
                if k.lower() not in ("content-type", "content-length")
            }
        request = http.build_request(
            method, url, headers=headers, timeout=plan.timeout, **body
        )
        if _has_cookies(http):  # what servers set goes back only to its origin
            from ._cookies import cookies_for

            ours = next((v for k, v in headers.items() if k.lower() == "cookie"), None)
            cookies_for(http, request, ours)
        return request

    def _foreign_headers(self, plan: RequestPlan) -> dict[str, str]:
        """The headers of a request to another origin than the API's.

        The rule: such a request (an absolute URL, a redirect) carries no
        header that came from credentials or security schemes, no
        ``Authorization``, ``Cookie`` or ``Proxy-Authorization``, none of the
        client's ``default_headers`` nor the call's ``extra_headers`` (which
        is where callers put their own tokens), and no header parameter whose
        name suggests a credential (``auth``, ``token``, ``key``, ``secret``,
        ``session``, ``cookie``, ``password``, ``signature``).  What remains
        is ``User-Agent``, ``Accept``, the body's ``Content-Type`` and
        ``Content-Length``, and the operation's other header parameters.
        """
        headers = {k: v for k, v in plan.headers.items() if k.lower() in _PORTABLE}
        for name, value in plan.param_headers.items():
            lowered = name.lower()
            if lowered not in self._secret_headers and not _CREDENTIAL_LIKE.search(
                lowered
            ):
                merge_headers(headers, {name: value})
        return headers

    # -- interpreting responses --------------------------------------------

    @staticmethod
    def _redirect(
        response: httpx.Response, method: str
    ) -> tuple[httpx.URL, str, bool] | None:
        """Next hop ``(url, method, keep_body)`` or ``None`` if not a redirect."""
        if response.status_code not in _REDIRECT_STATUSES:
            return None
        location = response.headers.get("location")
        if not location:
            return None
        try:
            target = response.url.join(location)
        except httpx.InvalidURL:
            return None  # surfaced to the caller as a 3xx status error
        if target.scheme not in ("http", "https"):
            return None
        status = response.status_code
        if (status == 303 and method != "HEAD") or (
            status in (301, 302) and method == "POST"
        ):
            return target, "GET", False
        return target, method, True

    def _status_error(
        self,
        response: httpx.Response,
        plan: RequestPlan,
        error_types: Mapping[str, Any] | None,
        *,
        body_read: bool = True,
    ) -> APIStatusError:
        from ._exceptions import make_status_error
        from ._models import parse_response

        status = response.status_code
        model = _error_model(error_types, status)
        body_model = None
        if model is not None:
            try:
                data = (
                    json.loads(response.content) if response.content.strip() else None
                )
                if data is not None:
                    body_model = parse_response(model, data)
            except (ValueError, RecursionError):  # not JSON, too deep, too long
                body_model = None
            if isinstance(model, type) and not isinstance(body_model, model):
                body_model = None  # e.g. a text where the model wants an object
        hint = None
        if not body_read:
            limit = self._front._max_response_size
            hint = (
                f"the body is larger than max_response_size ({limit:,} bytes)"
                " and was not read"
            )
        return make_status_error(
            response, body_model=body_model, secret_params=self._secret_query, hint=hint
        )

    def _refuse_without_credentials(
        self,
        method: str,
        path: str,
        alternatives: tuple[tuple[str, ...], ...],
        options: RequestOptions,
    ) -> None:
        """Refuse, before anything is sent, a call whose credentials are not
        configured, unless the caller sends them their own way (see
        ``carried_elsewhere``): the error names what to set."""
        from ._auth import carried_elsewhere, credential_sets, describe_logins

        front = self._front
        headers = {**front._default_headers, **(options.get("extra_headers") or {})}
        query = {**front._default_query, **(options.get("extra_query") or {})}
        http = getattr(self, "_http_client", None)
        auth = getattr(http, "auth", None) is not None
        schemes = self._spec.security_schemes
        wanted = [schemes[n] for r in alternatives for n in r if n in schemes]
        if carried_elsewhere(wanted, headers, query, auth):
            return
        from ._exceptions import ConfigurationError

        logins = credential_sets(alternatives, schemes)
        name = type(front).__name__
        how = describe_logins(logins, front._api.environment, front._credentials, name)
        raise ConfigurationError(
            f"{method} {path} needs credentials that this {name} client does not"
            f" have; nothing was sent. {how}"
        )

    def _parse_success(
        self, response: httpx.Response, cast_to: Any, response_kind: ResponseKind
    ) -> Any:
        if response_kind == "empty":
            return None
        cast_to = unwrap(cast_to)
        if response_kind == "bytes":
            return response.content
        if response_kind == "text":
            return response.text
        if response_kind == "headers":
            from ._models import parse_headers

            return parse_headers(
                cast_to, response.headers, strict=self._front._strict_responses
            )
        from ._models import parse_json

        content = response.content
        if not content.strip():
            return None
        try:
            return parse_json(
                cast_to,
                content,
                strict=self._front._strict_responses,
                max_depth=self._front._max_json_depth,
            )
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if self._front._strict_responses:
                from ._exceptions import ResponseValidationError

                raise ResponseValidationError(
                    f"{response.request.method} {self._redact(response.request.url)}: "
                    "response body is not valid JSON"
                ) from exc
            self._log.warning("Response body is not valid JSON; returning it as text")
            return response.text


def _has_cookies(http: httpx.Client | httpx.AsyncClient) -> bool:
    # the jar's own store: ``bool(http.cookies)`` walks every cookie under a lock
    store = getattr(http.cookies.jar, "_cookies", None)
    return bool(store) if store is not None else bool(http.cookies)


class _Redacted:
    """A URL redacted for messages, formatted only when one is printed."""

    __slots__ = ("_core", "_url")

    def __init__(self, core: ClientCore, url: httpx.URL) -> None:
        self._core = core
        self._url = url

    def __str__(self) -> str:
        return self._core._redact(self._url)


def merge_headers(target: dict[str, str], source: Mapping[str, str]) -> None:
    """Update ``target`` in place, replacing names case-insensitively.

    A plain ``dict.update`` would keep both ``accept`` and ``Accept`` and
    httpx would then send the header twice.
    """
    for name, value in source.items():
        lowered = name.lower()
        for existing in [k for k in target if k.lower() == lowered]:
            del target[existing]
        target[name] = value


def _checked_body(
    body_type: Any, body: Any, content_type: str | None, strict: bool
) -> Any:
    """``body`` as the caller gave it, in JSON spelled for the schema where
    it has to be (a numeric ``str`` for an exact number goes out as the
    number): the description is a contract for types and the server judges
    what it accepts. ``strict`` raises ``RequestValidationError`` instead,
    before any network traffic, for a body that does not validate."""
    from ._body import is_json
    from ._encode import encode_json, keep_given
    from ._exceptions import RequestValidationError
    from ._models import validate_request

    try:
        checked = validate_request(body_type, body)
    except RequestValidationError:
        if strict:
            raise
        return body
    if content_type is not None and not is_json(content_type):
        return body  # forms and files: sent as given, field by field
    return keep_given(body, encode_json(checked))


def _needs_validation(body: Any) -> bool:
    if isinstance(body, dict):
        return True
    return isinstance(body, list) and any(isinstance(item, dict) for item in body)


def _error_model(error_types: Mapping[str, Any] | None, status: int) -> Any:
    if not error_types:
        return None
    family = f"{status // 100}XX"
    for key in (str(status), family, family.lower(), "default"):
        if key in error_types:
            return error_types[key]
    return None
