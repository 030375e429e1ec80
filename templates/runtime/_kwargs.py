"""Keyword arguments of the client methods, spelled out for type checkers.

The client classes (``_front``) take these as ``**kwargs`` and pass them on to
their engine, which keeps the classes small and quick to import while type
checkers still see every name and type.  Nothing imports this module at run
time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

import httpx

if TYPE_CHECKING:
    from ._core import ResponseKind
    from ._io import Security
    from ._params import RequestOptions

__all__ = ["ClientOptions", "RequestArgs", "SendArgs"]


class SendArgs(TypedDict, total=False):
    """What ``request`` and ``download`` accept after the method, the path
    and ``cast_to``. ``download`` ignores ``response_kind``."""

    path_params: Mapping[str, Any] | None
    query: Mapping[str, Any] | None
    headers: Mapping[str, Any] | None
    cookies: Mapping[str, Any] | None
    body: Any
    body_type: Any
    extra_body: Mapping[str, Any] | None
    content_type: str | None
    response_kind: ResponseKind
    accept: str | None
    error_types: Mapping[str, Any] | None
    security: Security | None
    options: RequestOptions | None


class RequestArgs(SendArgs, total=False):
    """:class:`SendArgs` and ``cast_to`` (which ``download`` ignores)."""

    cast_to: Any


class ClientOptions(TypedDict, total=False):
    """The settings ``with_options`` can change; credentials merge by name."""

    base_url: str
    server: str
    timeout: float | httpx.Timeout | None
    max_retries: int
    default_headers: Mapping[str, str]
    default_query: Mapping[str, Any]
    credentials: Mapping[str, str | None] | None
    strict_responses: bool
    strict_requests: bool
    max_response_size: int
    max_json_depth: int
