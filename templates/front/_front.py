"""The base classes of generated clients: settings now, machinery later.

Constructing a client checks its settings and stores them; nothing else.  The
request machinery (``_core``, ``_auth``, the send loops of ``_sync_client``
and ``_async_client``) is imported and built on the first request, and a
resource group (``client.invoices``) is imported on first access.  That keeps
``import package; Client()`` to the cost of this module and the generated
``_client``.  The asynchronous twin is in ``_async_front``.

Every client made by ``with_options`` shares its origin's engine state (the
HTTP connection pool, OAuth2 tokens, response captures) but has its own
settings.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar, final, overload

import httpx

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager
    from types import TracebackType
    from typing import Self, Unpack

    from ._runtime._capture import ResponseLog
    from ._runtime._core import ClientCore
    from ._runtime._io import Destination
    from ._runtime._kwargs import ClientOptions, RequestArgs, SendArgs
    from ._runtime._spec import ClientSpec
    from ._runtime._sync_client import SyncEngine
    from ._runtime._types import As

_T = TypeVar("_T")

__all__ = [
    "DEFAULT_MAX_JSON_DEPTH",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ApiInfo",
    "SyncAPIClient",
    "SyncAPIResource",
]

# Finite by design: a hung server must never hang the caller forever.
DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES: Final = 2
# Generous: a body past these is an attack or a bug, not an answer.
DEFAULT_MAX_RESPONSE_SIZE: Final = 64 * 1024 * 1024
DEFAULT_MAX_JSON_DEPTH: Final = 512

_ENGINE_LOCK = threading.Lock()


@final
class ApiInfo:
    """What a client checks at construction; the full spec is built later.

    ``environment`` maps each credential to the environment variable it is
    read from (or ``None``); ``logins`` lists the sets of credentials, one of
    which every operation needs (empty when some operation needs none);
    ``spec`` builds the :class:`ClientSpec` the request machinery needs and
    is called once, on the first request.
    """

    __slots__ = ("_spec", "_spec_factory", "environment", "logins", "servers")

    def __init__(
        self,
        *,
        servers: Mapping[str, str],
        environment: Mapping[str, str | None],
        spec: Callable[[], ClientSpec],
        logins: tuple[tuple[str, ...], ...] = (),
    ) -> None:
        self.servers = servers
        self.environment = environment
        self.logins = logins
        self._spec_factory = spec
        self._spec: ClientSpec | None = None

    def spec(self) -> ClientSpec:
        spec = self._spec
        if spec is None:
            spec = self._spec = self._spec_factory()
        return spec

    def credentials(self, given: Mapping[str, str | None]) -> dict[str, str | None]:
        """Credential values: the ones given, else their environment variable.

        A value with a control character (a trailing newline pasted from a
        file, say) can never be sent: it is refused here, without printing it.
        """
        unknown = set(given) - set(self.environment)
        if unknown:
            raise TypeError(f"Unknown credential(s): {', '.join(sorted(unknown))}")
        resolved: dict[str, str | None] = {}
        for name, env in self.environment.items():
            value = given.get(name)
            source = f"{name}="
            if not value and env:
                value = os.environ.get(env)
                source = f"environment variable {env}"
            if value and _has_control(value):
                raise _config_error(
                    f"The credential {name!r} (from {source}) contains a control"
                    " character, such as a trailing newline, and cannot be sent;"
                    " the value is not shown"
                )
            # Empty strings (e.g. an exported but blank env var) count as unset.
            resolved[name] = value or None
        return resolved

    def check_login(self, client: _Front, http_client: Any) -> None:
        """Refuse, naming the arguments and environment variables to set, a
        client that could not make a single call for lack of credentials.

        Credentials the caller sends their own way (an ``http_client`` with
        ``auth``, a scheme's header in ``default_headers``, its parameter in
        ``default_query``) count.  Clients of APIs where some operation needs
        no credentials are checked per call instead (``_core``).
        """
        creds = client._credentials
        logins = self.logins
        if not logins or any(all(creds.get(n) for n in login) for login in logins):
            return
        from ._runtime._auth import carried_elsewhere, describe_logins

        schemes = tuple(self.spec().security_schemes.values())
        auth = getattr(http_client, "auth", None) is not None
        query = client._default_query
        if carried_elsewhere(schemes, client._default_headers, query, auth):
            return
        name = type(client).__name__
        how = describe_logins(logins, self.environment, creds, name)
        raise _config_error(
            f"Every call of the {name} client needs credentials, and those given"
            f" do not suffice. {how}"
        )

    def base_url(self, base_url: str | None, server: str | None) -> str:
        """The API's root URL: ``base_url``, else the named or first server.

        Raises ``ConfigurationError`` (a ``ValueError``) for an unknown server
        or a URL the client could not send requests to.
        """
        servers = self.servers
        if base_url:
            url, what = base_url, "base_url"
        elif server is not None:
            if server not in servers:
                raise _config_error(
                    f"Unknown server {server!r}; expected one of {sorted(servers)}"
                )
            url, what = servers[server], f"server {server!r}"
        elif servers:
            what, url = next(iter(servers.items()))
            what = f"server {what!r}"
        else:
            raise _config_error("No server is defined for this API; pass base_url")
        if not base_url:
            _absolute_server(url, what)
        return _checked_url(url.rstrip("/"), what)


def _absolute_server(url: str, what: str) -> None:
    """A server URL relative to where the description is served (``/``,
    ``/api/v1``) cannot be sent to: ``base_url`` must say where the API is."""
    if "://" not in url:
        raise _config_error(
            f"The {what} URL {url!r} is relative to wherever the API description"
            f" is served; pass base_url='https://<host>{url.rstrip('/')}' to say"
            " where the API is"
        )


def _has_control(text: str) -> bool:
    """Does ``text`` hold an ASCII control character (no regex: constructing
    a client must stay cheap)?"""
    return any(c < " " or c == "\x7f" for c in text)


_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# A host name (after IDNA encoding) or an IP address, as bytes.
_HOST_CHARS: Final = frozenset((_ALNUM + "._~-:").encode("ascii"))
# What a URL that is plainly fine is made of (``_plainly_valid``).
_LABEL_CHARS: Final = frozenset(_ALNUM + "-")
_PATH_CHARS: Final = frozenset(_ALNUM + "-._~!$&'()*+,;=:@/")


def _checked_url(url: str, what: str) -> str:
    """``url`` if requests can be sent to it, else a clear error now."""
    problem = None if _plainly_valid(url) else _url_problem(url)
    if problem is None:
        return url
    from ._runtime._redact import redact_url

    raise _config_error(f"Invalid {what} {redact_url(url)!r}: {problem}")


def _url_problem(url: str) -> str | None:
    """Why requests cannot be sent to ``url``, as httpx reads it; or ``None``."""
    if _has_control(url):
        return "it contains a control character"
    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decoded from IDNA: an invalid A-label raises
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        return str(exc).split(":")[0] or "it cannot be parsed"
    if parsed.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not host:
        return "it has no host"
    if not parsed.raw_host or not set(parsed.raw_host) <= _HOST_CHARS:
        return "its host is not a valid host name"
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return "its port is out of range"
    if parsed.query or parsed.fragment or "?" in url or "#" in url:
        return "it must not have a query or fragment"
    return None


def _plainly_valid(url: str) -> bool:
    """Whether ``url`` is plainly one that :func:`_url_problem` accepts, seen
    without parsing it (which costs more than the rest of a construction):
    ``http(s)://``, a name of ASCII labels, an optional port, and a path of
    characters that need no quoting. Whatever else is left to httpx."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("http", "https") or len(url) > 2048:
        return False
    authority, _, path = rest.partition("/")
    host, colon, port = authority.partition(":")
    labels = host.split(".")
    for label in labels:
        if (
            not label
            or not _LABEL_CHARS.issuperset(label)
            or "-" in (label[0], label[-1])
            or label[2:4] == "--"  # an IDNA A-label ("xn--"), for httpx to judge
        ):
            return False
    if not labels[-1][0].isalpha():  # an IP address, or what httpx takes for one
        return False
    if colon and not (
        0 < len(port) <= 5
        and port.isascii()
        and port.isdigit()
        and 0 < int(port) < 65536
    ):
        return False
    return _PATH_CHARS.issuperset(path)


def _checked_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """A copy of ``headers``; a value HTTP cannot carry is refused, unshown."""
    checked = dict(headers or {})
    for name, value in checked.items():
        if _has_control(name) or _has_control(value):
            raise _config_error(
                f"The default header {name.strip()!r} contains a control character,"
                " such as a trailing newline, and cannot be sent; the value is not"
                " shown"
            )
    return checked


def _positive(name: str, value: int) -> int:
    if not isinstance(value, int) or value <= 0:
        raise _config_error(f"{name} must be a positive int, got {value!r}")
    return value


def _config_error(message: str) -> Exception:
    # The exception classes load only when something is wrong.
    from ._runtime._exceptions import ConfigurationError

    return ConfigurationError(message)


def as_timeout(value: float | httpx.Timeout | None) -> httpx.Timeout:
    """Normalise a timeout setting; ``None`` means the finite default."""
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(float(value))


class _Front:
    """Settings, resource groups and ``with_options``, common to both flavours."""

    _api: ClassVar[ApiInfo]
    # attribute -> class name in ``<package>.resources``
    _resources: ClassVar[Mapping[str, str]] = {}

    _credentials: dict[str, str | None]
    _base_url: str
    _timeout: httpx.Timeout
    _max_retries: int
    _default_headers: dict[str, str]
    _default_query: dict[str, Any]
    _strict_responses: bool
    _strict_requests: bool
    _max_response_size: int
    _max_json_depth: int
    _http_client: Any
    _engine_: ClientCore | None = None

    def __init__(
        self,
        *,
        credentials: Mapping[str, str | None],
        base_url: str | None = None,
        server: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, Any] | None = None,
        http_client: Any = None,
        strict_responses: bool = False,
        strict_requests: bool = False,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        max_json_depth: int = DEFAULT_MAX_JSON_DEPTH,
    ) -> None:
        self._http_client = http_client
        api = self._api
        self._credentials = api.credentials(credentials)
        self._base_url = api.base_url(base_url, server)
        self._timeout = as_timeout(timeout)
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self._max_retries = max_retries
        self._default_headers = _checked_headers(default_headers)
        self._default_query = dict(default_query or {})
        self._strict_responses = strict_responses
        self._strict_requests = strict_requests
        self._max_response_size = _positive("max_response_size", max_response_size)
        self._max_json_depth = _positive("max_json_depth", max_json_depth)
        api.check_login(self, http_client)

    @property
    def _engine(self) -> ClientCore:
        engine = self._engine_
        if engine is None:
            with _ENGINE_LOCK:
                engine = self._engine_
                if engine is None:
                    engine = self._engine_ = self._new_engine()
        return engine

    def _new_engine(self) -> ClientCore:
        raise NotImplementedError

    def with_options(self, **changes: Unpack[ClientOptions]) -> Self:
        """Return a copy with some settings changed, sharing the HTTP client.

        Credentials are given by name as the constructor takes them
        (``api_key=...``) or as ``credentials={...}``; they merge into the
        current ones, and a copy left without any usable set is refused like
        a client constructed so.
        """
        from ._runtime._settings import changed

        clone = changed(self, changes)
        clone._engine_ = self._engine.derive(clone)
        return clone

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._timeout

    @property
    def max_retries(self) -> int:
        return self._max_retries

    def __repr__(self) -> str:
        from ._runtime._settings import describe

        return describe(self)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._resources))

    if not TYPE_CHECKING:  # type checkers see the annotated resource attributes

        def __getattr__(self, name: str) -> Any:
            class_name = type(self)._resources.get(name)
            if class_name is None:
                raise AttributeError(
                    f"{type(self).__name__!r} object has no attribute {name!r}"
                )
            from importlib import import_module

            package = type(self).__module__.rpartition(".")[0]
            resources = import_module(f"{package}.resources")
            resource = getattr(resources, class_name)(self)
            self.__dict__[name] = resource  # later look-ups skip this method
            return resource


class SyncAPIClient(_Front):
    """Base class of generated synchronous clients."""

    _engine_: SyncEngine | None
    _http_client: httpx.Client | None

    if TYPE_CHECKING:  # the engine type of this flavour

        @property
        def _engine(self) -> SyncEngine: ...

    def _new_engine(self) -> SyncEngine:
        from ._runtime._sync_client import SyncEngine

        return SyncEngine(self, self._http_client)

    def close(self) -> None:
        """Close the HTTP client if this client created it."""
        if self._engine_ is not None:
            self._engine_.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

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
    ) -> _T: ...
    @overload
    def request(
        self, method: str, path: str, *, cast_to: type[_T], **kwargs: Unpack[SendArgs]
    ) -> _T: ...
    @overload
    def request(self, method: str, path: str, **kwargs: Unpack[RequestArgs]) -> Any: ...
    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one API request and return the parsed result.

        With ``cast_to=Model`` (or ``cast_to=As[list[Model] | None]`` for a
        type that is not a class) the result is typed as that type.
        """
        return self._engine.request(method, path, **kwargs)

    def download(
        self,
        method: str,
        path: str,
        destination: Destination,
        **kwargs: Unpack[RequestArgs],
    ) -> int:
        """Stream the response body into ``destination``; returns bytes written."""
        return self._engine.download(method, path, destination, **kwargs)

    def iter_offset(
        self,
        fetch: Callable[[int, int], Any],
        *,
        page_size: int,
        start: int = 0,
        items: str = "items",
        total: str | None = "count",
    ) -> Iterator[Any]:
        """Iterate items across offset/limit pages (see ``_pagination``)."""
        from ._runtime._pagination import iter_offset

        return iter_offset(
            fetch, page_size=page_size, start=start, items=items, total=total
        )

    def iter_page(
        self, fetch: Callable[[int], Any], *, start: int = 1, items: str = "items"
    ) -> Iterator[Any]:
        """Iterate items across numbered pages."""
        from ._runtime._pagination import iter_page

        return iter_page(fetch, start=start, items=items)

    def iter_cursor(
        self,
        fetch: Callable[[str | None], Any],
        *,
        items: str = "items",
        next_cursor: str = "next_cursor",
    ) -> Iterator[Any]:
        """Iterate items following an opaque cursor."""
        from ._runtime._pagination import iter_cursor

        return iter_cursor(fetch, items=items, next_cursor=next_cursor)


class SyncAPIResource:
    """Base class of generated resource groups (``client.invoices``)."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client
