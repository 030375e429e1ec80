"""Client settings after construction: ``with_options`` copies and ``repr``.

Kept out of ``_front`` because a client's construction never needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from .._front import as_timeout

if TYPE_CHECKING:
    from .._front import _Front
    from ._kwargs import ClientOptions

__all__ = ["changed", "describe"]

F = TypeVar("F", bound="_Front")

# The attributes that make up a client's settings (copied by with_options).
_SETTINGS = (
    "_credentials",
    "_base_url",
    "_timeout",
    "_max_retries",
    "_default_headers",
    "_default_query",
    "_strict_responses",
    "_strict_requests",
    "_max_response_size",
    "_max_json_depth",
)
_OPTIONS = frozenset(
    {
        "base_url",
        "server",
        "timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "credentials",
        "strict_responses",
        "strict_requests",
        "max_response_size",
        "max_json_depth",
    }
)


def changed(client: F, changes: ClientOptions) -> F:
    """A new client of the same class with these settings changed.

    Credentials (as keywords, ``api_key=...``, the way the constructor takes
    them, or as ``credentials={...}``) and default headers or query
    parameters merge into the current ones; the copy has no engine or
    resource groups of its own yet.
    """
    api = client._api
    unknown = set(changes) - _OPTIONS - set(api.environment)
    if unknown:
        raise TypeError(f"Unknown option(s): {', '.join(sorted(unknown))}")
    clone = object.__new__(type(client))
    for name in _SETTINGS:
        setattr(clone, name, getattr(client, name))
    if "base_url" in changes or "server" in changes:
        clone._base_url = api.base_url(changes.get("base_url"), changes.get("server"))
    if "timeout" in changes:
        clone._timeout = as_timeout(changes["timeout"])
    if "max_retries" in changes:
        if changes["max_retries"] < 0:
            raise ValueError("max_retries must be >= 0")
        clone._max_retries = changes["max_retries"]
    if "default_headers" in changes:
        from .._front import _checked_headers

        clone._default_headers = _checked_headers(
            {**client._default_headers, **changes["default_headers"]}
        )
    if "default_query" in changes:
        clone._default_query = {**client._default_query, **changes["default_query"]}
    given: dict[str, Any] = dict(changes.get("credentials") or {})
    given.update((k, v) for k, v in changes.items() if k in api.environment)
    if given:
        clone._credentials = api.credentials({**client._credentials, **given})
    if "strict_responses" in changes:
        clone._strict_responses = changes["strict_responses"]
    if "strict_requests" in changes:
        clone._strict_requests = changes["strict_requests"]
    from .._front import _positive

    for name in ("max_response_size", "max_json_depth"):
        if name in changes:
            setattr(clone, f"_{name}", _positive(name, changes[name]))  # type: ignore[literal-required]
    api.check_login(clone, getattr(client, "_http_client", None))
    return clone


def describe(client: _Front) -> str:
    """``Client(base_url=..., credentials=[...])``: whether each credential is
    set, and the value only of those the API marks as not secret."""
    public = {c.name for c in client._api.spec().credentials if not c.secret}
    shown = []
    for name, value in client._credentials.items():
        if value is None:
            state = "unset"
        elif name in public:
            state = repr(value)
        else:
            state = "set"
        shown.append(f"{name}={state}")
    from ._redact import redact_url

    return (
        f"{type(client).__name__}(base_url={redact_url(client._base_url)!r}, "
        f"credentials=[{', '.join(shown)}])"
    )
