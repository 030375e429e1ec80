"""One page of a paged list operation, and the way to the next one.

A paged operation's ``list()`` returns a page: its response model (or list)
with ``has_next_page()`` and ``next_page()``; its ``iter()`` walks
:func:`iter_items` over every page.  How the next page is asked for is a
:class:`Paging`, written by the generator for the operation:

==========  ============================================================
``offset``  the next offset is this one plus the items received; stops at
            a short or empty page, or at the total the response states
``page``    the next page number is this one plus one; stops at an empty
            or short page, a ``has_more: false`` or the last page stated
``cursor``  the next cursor is a field of the response; stops when absent
``header``  the next page's URL is a response header (``Next-Page``)
``link``    the next page's URL is RFC 8288 ``Link: <url>; rel="next"``
==========  ============================================================

The offset, page and cursor travel in the query or in the JSON body
(``location``).  A next URL from a header is requested as it is; the engine
sends credentials only to the API's own origin.
"""

from __future__ import annotations

import re
import sys
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, final

import httpx
import pydantic

from ._pagination import get_field

if TYPE_CHECKING:
    from typing import Self, Unpack

    from .._async_front import AsyncAPIClient
    from .._front import SyncAPIClient
    from ._capture import ResponseLog
    from ._kwargs import SendArgs
    from ._types import As

__all__ = [
    "AsyncListPage",
    "AsyncPage",
    "Paging",
    "SyncListPage",
    "SyncPage",
    "aiter_items",
    "arequest_list_page",
    "arequest_page",
    "iter_items",
    "request_list_page",
    "request_page",
]

PagingKind = Literal["offset", "page", "cursor", "header", "link"]

_T = TypeVar("_T")
_P = TypeVar("_P", bound="SyncPage")
_AP = TypeVar("_AP", bound="AsyncPage")
# where a page keeps how it was asked for (see _state)
_KEY: Final = "__clientgen_page__"
# Guards against an API that keeps answering with a next page forever.
MAX_PAGES: Final = 100_000
_NEXT_HEADERS: Final = ("next-page", "x-next-page", "x-next")
_PAGES: Final = ("total_pages", "pages", "page_count")
_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,<]*)*)")
_REL = re.compile(r"""(?i)\brel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""")


@final
class Paging:
    """How an operation pages (see the module docstring).

    ``param`` and ``limit`` are wire names of the offset/page/cursor and
    page-size arguments; ``items`` the response field holding the items
    (``None``: the response is the list); ``total`` a field counting every
    item (offset) or every page (page); ``next`` the response field with
    the next cursor, or the header with the next URL; ``start`` the first
    offset or page number when the call names none.
    """

    __slots__ = (
        "items",
        "kind",
        "limit",
        "location",
        "next",
        "param",
        "start",
        "total",
    )

    def __init__(
        self,
        kind: PagingKind,
        *,
        items: str | None = None,
        param: str | None = None,
        limit: str | None = None,
        location: Literal["query", "body"] = "query",
        total: str | None = None,
        next: str | None = None,
        start: int = 0,
    ) -> None:
        self.kind = kind
        self.items = items
        self.param = param
        self.limit = limit
        self.location = location
        self.next = next
        self.total = total
        self.start = start

    def __repr__(self) -> str:
        return f"Paging({self.kind!r}, param={self.param!r}, next={self.next!r})"


@final
class _State:
    """How a page was asked for: enough to ask for the next one."""

    __slots__ = (
        "client",
        "headers",
        "kwargs",
        "method",
        "number",
        "paging",
        "path",
        "seen",
        "url",
        "wrap",
    )

    def __init__(
        self,
        request: _Request,
        headers: Mapping[str, str],
        url: str,
        number: int,
        seen: frozenset[str],
    ) -> None:
        self.client, self.paging, self.method, self.path, self.kwargs, self.wrap = (
            request
        )
        self.headers, self.url, self.number, self.seen = headers, url, number, seen


# client, paging, method, path, request arguments, list page class (or None)
_Request = tuple[Any, Paging, str, str, dict[str, Any], "type[Any] | None"]


def _state(page: object) -> _State | None:
    if isinstance(page, pydantic.BaseModel):
        private = object.__getattribute__(page, "__pydantic_private__")
        found = private.get(_KEY) if isinstance(private, dict) else None
    else:
        found = getattr(page, "__dict__", {}).get(_KEY)
    return found if isinstance(found, _State) else None


def _attach(page: object, state: _State) -> None:
    if isinstance(page, pydantic.BaseModel):
        private = object.__getattribute__(page, "__pydantic_private__")
        if not isinstance(private, dict):
            private = {}
            object.__setattr__(page, "__pydantic_private__", private)
        private[_KEY] = state
    else:
        page.__dict__[_KEY] = state


def page_items(page: object) -> list[Any]:
    """The items of ``page``: the list itself, or its items field."""
    if isinstance(page, Sequence) and not isinstance(page, (str, bytes)):
        return list(page)
    state = _state(page)
    if state is None or state.paging.items is None:
        return []
    found = get_field(page, state.paging.items)
    if isinstance(found, Sequence) and not isinstance(found, (str, bytes)):
        return list(found)
    return []


# -- the next request ------------------------------------------------------


def _sent(kwargs: Mapping[str, Any], paging: Paging, wire: str | None) -> Any:
    """The value the request sent for ``wire`` (query or JSON body)."""
    if wire is None:
        return None
    if paging.location == "query":
        return (kwargs.get("query") or {}).get(wire)
    extra = kwargs.get("extra_body") or {}
    if wire in extra:
        return extra[wire]
    return get_field(kwargs.get("body"), wire)


def _with(kwargs: dict[str, Any], paging: Paging, value: Any) -> dict[str, Any]:
    key = "query" if paging.location == "query" else "extra_body"
    assert paging.param is not None
    return {**kwargs, key: {**(kwargs.get(key) or {}), paging.param: value}}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def next_link(values: Sequence[str]) -> str | None:
    """The target of the first ``rel="next"`` link among RFC 8288 ``Link``
    header values, or ``None``::

        >>> next_link(['<https://x/a?page=2>; rel="next", <https://x/a>; rel=first'])
        'https://x/a?page=2'
    """
    for value in values:
        for match in _LINK.finditer(value):
            for rel in _REL.finditer(match.group(2)):
                names = (rel.group(1) or rel.group(2) or "").lower().split()
                if "next" in names:
                    return match.group(1).strip()
    return None


def _next_url(paging: Paging, headers: Mapping[str, str]) -> str | None:
    """The next page's URL: the named header, or (none named) the first of
    ``Link: <url>; rel="next"`` and the ``Next-Page``-style headers."""
    if paging.kind == "header" and paging.next:
        return headers.get(paging.next) or None
    get_list = getattr(headers, "get_list", None)
    url = next_link(get_list("link") if get_list else [headers.get("link", "")])
    if url or paging.kind == "link":
        return url
    return next((headers[h] for h in _NEXT_HEADERS if headers.get(h)), None)


def _header_next(state: _State) -> tuple[str, dict[str, Any]] | None:
    found = _next_url(state.paging, state.headers)
    # a relative link is relative to the page that gave it
    url = str(httpx.URL(state.url).join(found)) if found else None
    if not url or url in state.seen:
        return None
    # the URL carries every query parameter of the next page
    return url, {**state.kwargs, "path_params": None, "query": None}


def _counted_next(page: object, state: _State, got: int) -> int | None:
    """The next offset or page number, or ``None`` after the last page.

    What the response states (a total, a ``has_more`` flag, a page count)
    decides; without it, a page shorter than the size asked for is the last
    (a server may cap the size, so a stated total is trusted first).
    """
    paging, kwargs = state.paging, state.kwargs
    if got == 0:
        return None
    current = _int(_sent(kwargs, paging, paging.param))
    limit = _int(_sent(kwargs, paging, paging.limit))
    number = paging.start if current is None else current
    short = limit is not None and got < limit
    total = _int(get_field(page, paging.total)) if paging.total else None
    if paging.kind == "offset":
        offset = number + got
        if total is not None:
            return offset if offset < total else None
        return None if short else offset
    for flag in ("has_more", "has_next", "has_next_page"):
        value = get_field(page, flag)
        if isinstance(value, bool):
            return number + 1 if value else None
    if get_field(page, "last") is True or any(
        _null_field(page, link) for link in ("next", "next_page_url", "next_url")
    ):
        return None  # Spring's "last": true; a null next link (Django, Laravel)
    pages = total
    for field in _PAGES:
        pages = pages if pages is not None else _int(get_field(page, field))
    if pages is not None:
        # pages counted from paging.start (0 or 1)
        return number + 1 if number - paging.start + 1 < pages else None
    return None if short else number + 1


def _is_link(text: str) -> bool:
    """A URL rather than an opaque token (base64 may start with ``/`` but
    never holds a ``?``)."""
    return text.startswith(("http://", "https://")) or (
        text.startswith("/") and "?" in text
    )


def _null_field(page: object, name: str) -> bool:
    """Does ``page`` carry ``name`` as an explicit ``null`` (a ``next`` of
    ``null`` on the last page), as opposed to not at all?"""
    if isinstance(page, dict):
        return name in page and page[name] is None
    fields_set = getattr(page, "model_fields_set", ())
    extra = getattr(page, "model_extra", None) or {}
    if name in extra:
        return extra[name] is None
    return name in fields_set and getattr(page, name, 0) is None


def _next_request(page: object) -> tuple[str, dict[str, Any]] | None:
    """``(path, request arguments)`` of the page after ``page``, or ``None``."""
    state = _state(page)
    if state is None or state.number >= MAX_PAGES:
        return None
    paging = state.paging
    if paging.kind in ("header", "link"):
        return _header_next(state)
    if paging.kind == "cursor":
        found = get_field(page, paging.next) if paging.next else None
        cursor = found if isinstance(found, (str, int)) else None
        if cursor is None or cursor == "" or str(cursor) in state.seen:
            return None
        if isinstance(cursor, str) and _is_link(cursor):
            # a "next" field holding the next page's URL (Django REST
            # framework), not a token: followed as a Next-Page header is
            url = str(httpx.URL(state.url).join(cursor))
            if url in state.seen:
                return None
            return url, {**state.kwargs, "path_params": None, "query": None}
        return state.path, _with(state.kwargs, paging, cursor)
    value = _counted_next(page, state, len(page_items(page)))
    return None if value is None else (state.path, _with(state.kwargs, paging, value))


# -- the requests ------------------------------------------------------------


def _finish(
    request: _Request, previous: _State | None, result: Any, log: ResponseLog
) -> Any:
    """``result`` as a page that knows how it was asked for."""
    _, paging, _, path, kwargs, wrap = request
    if wrap is not None and isinstance(result, list):
        result = wrap(result)
    if not isinstance(result, (SyncPage, AsyncPage)):
        return result  # an empty or undecodable body: nothing to follow
    seen = previous.seen if previous is not None else frozenset()
    if paging.kind in ("header", "link") or "://" in path:
        seen |= {path}
    elif paging.kind == "cursor":
        sent = _sent(kwargs, paging, paging.param)
        seen |= set() if sent is None else {str(sent)}
    last = log.responses[-1] if log.responses else None
    headers = last.headers if last is not None else httpx.Headers()
    url = str(last.url) if last is not None else ""
    number = previous.number + 1 if previous is not None else 1
    _attach(result, _State(request, headers, url, number, seen))
    return result


def _send(request: _Request, previous: _State | None = None) -> Any:
    client, _, method, path, kwargs, _ = request
    with client.capture_responses() as log:
        result = client.request(method, path, **kwargs)
    return _finish(request, previous, result, log)


async def _asend(request: _Request, previous: _State | None = None) -> Any:
    client, _, method, path, kwargs, _ = request
    with client.capture_responses() as log:
        result = await client.request(method, path, **kwargs)
    return _finish(request, previous, result, log)


def _following(page: object) -> tuple[_Request, _State]:
    state = _state(page)
    found = _next_request(page)
    if state is None or found is None:
        raise LookupError("This is the last page: check has_next_page() first")
    path, kwargs = found
    return (state.client, state.paging, state.method, path, kwargs, state.wrap), state


class SyncPage:
    """What a page adds to its response model: the way to the next page.

    Generated as ``class InvoicesListPage(InvoiceList, SyncPage)``, so a page
    is still the response model, fields typed as before.
    """

    __slots__ = ()

    def has_next_page(self) -> bool:
        """Whether another page follows this one (no request is sent)."""
        return _next_request(self) is not None

    def next_page(self) -> Self:
        """Request the page after this one; ``LookupError`` after the last."""
        page: Self = _send(*_following(self))
        return page

    def iter_pages(self) -> Iterator[Self]:
        """This page, then each following page, requested as needed."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page


class AsyncPage:
    """Async counterpart of :class:`SyncPage`: ``await page.next_page()``."""

    __slots__ = ()

    def has_next_page(self) -> bool:
        """Whether another page follows this one (no request is sent)."""
        return _next_request(self) is not None

    async def next_page(self) -> Self:
        """Request the page after this one; ``LookupError`` after the last."""
        page: Self = await _asend(*_following(self))
        return page

    async def iter_pages(self) -> AsyncIterator[Self]:
        """This page, then each following page, requested as needed."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page


class SyncListPage(list[_T], SyncPage):
    """A page of an operation that answers a JSON array: the list of items."""


class AsyncListPage(list[_T], AsyncPage):
    """Async counterpart of :class:`SyncListPage`."""


def _ready(cls: Any) -> Any:
    """``cls`` with its schema built: a page class lives in a resource
    module, so the names its model's fields use are looked up where the
    model was written."""
    if (
        isinstance(cls, type)
        and issubclass(cls, pydantic.BaseModel)
        and not cls.__pydantic_complete__
    ):
        home = next(
            (b for b in cls.__mro__ if b.__module__ != cls.__module__),
            cls,
        )
        module = sys.modules.get(home.__module__)
        namespace = dict(vars(module)) if module is not None else {}
        cls.model_rebuild(_types_namespace=namespace)
    return cls


def request_page(
    client: SyncAPIClient,
    paging: Paging,
    method: str,
    path: str,
    *,
    cast_to: type[_P],
    **kwargs: Unpack[SendArgs],
) -> _P:
    """Send the request of one page whose class is ``cast_to`` (the response
    model with :class:`SyncPage` mixed in); the page knows the next one."""
    args = {"cast_to": _ready(cast_to), **kwargs}
    page: _P = _send((client, paging, method, path, args, None))
    return page


def request_list_page(
    client: SyncAPIClient,
    paging: Paging,
    method: str,
    path: str,
    *,
    cast_to: type[As[list[_T]]],
    **kwargs: Unpack[SendArgs],
) -> SyncListPage[_T]:
    """Like :func:`request_page` for an operation answering a JSON array."""
    args = {"cast_to": cast_to, **kwargs}
    page: SyncListPage[_T] = _send((client, paging, method, path, args, SyncListPage))
    return page


async def arequest_page(
    client: AsyncAPIClient,
    paging: Paging,
    method: str,
    path: str,
    *,
    cast_to: type[_AP],
    **kwargs: Unpack[SendArgs],
) -> _AP:
    """Async counterpart of :func:`request_page`."""
    args = {"cast_to": _ready(cast_to), **kwargs}
    page: _AP = await _asend((client, paging, method, path, args, None))
    return page


async def arequest_list_page(
    client: AsyncAPIClient,
    paging: Paging,
    method: str,
    path: str,
    *,
    cast_to: type[As[list[_T]]],
    **kwargs: Unpack[SendArgs],
) -> AsyncListPage[_T]:
    """Async counterpart of :func:`request_list_page`."""
    args = {"cast_to": cast_to, **kwargs}
    request = (client, paging, method, path, args, AsyncListPage)
    page: AsyncListPage[_T] = await _asend(request)
    return page


def iter_items(first: Callable[[], SyncPage]) -> Iterator[Any]:
    """Every item of the page ``first()`` answers and of each page after it;
    nothing is requested before the first item is asked for."""
    for page in first().iter_pages():
        yield from page_items(page)


async def aiter_items(first: Callable[[], Awaitable[AsyncPage]]) -> AsyncIterator[Any]:
    """Async counterpart of :func:`iter_items`."""
    async for page in (await first()).iter_pages():
        for item in page_items(page):
            yield item
