"""Lazy iteration over paginated endpoints.

Generated code passes a ``fetch`` callable that performs one page request;
these helpers decide which page comes next and when to stop.  Field names
may be dotted paths (``"meta.next_cursor"``) and match either a model's
attribute or its JSON alias.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any

import pydantic

from ._models import input_names

__all__ = [
    "aiter_cursor",
    "aiter_offset",
    "aiter_page",
    "get_field",
    "iter_cursor",
    "iter_offset",
    "iter_page",
]

_MISSING = object()
# Guards against an API that keeps answering with the same non-empty page.
_MAX_PAGES = 100_000


def _get_one(obj: Any, name: str) -> Any:
    if isinstance(obj, pydantic.BaseModel):
        if name in type(obj).model_fields:
            return getattr(obj, name)
        for field_name, field in type(obj).model_fields.items():
            if name in input_names(field_name, field)[:-1]:
                return getattr(obj, field_name)
        return (obj.model_extra or {}).get(name, _MISSING)
    if isinstance(obj, dict):
        return obj.get(name, _MISSING)
    return getattr(obj, name, _MISSING)


def get_field(obj: Any, path: str) -> Any:
    """Read a dotted ``path`` from a model or dict; ``None`` when absent."""
    current = obj
    for part in path.split("."):
        current = _get_one(current, part)
        if current is _MISSING or current is None:
            return None
    return current


def _items(page: Any, items: str) -> list[Any]:
    if isinstance(page, Sequence) and not isinstance(page, (str, bytes)):
        return list(page)
    found = get_field(page, items)
    return (
        list(found)
        if isinstance(found, Sequence) and not isinstance(found, str)
        else []
    )


def _offset_next(
    page: Any, got: int, offset: int, page_size: int, total: str | None
) -> int | None:
    """Return the next offset, or ``None`` when this was the last page."""
    if got == 0 or got < page_size:
        return None
    offset += got
    count = get_field(page, total) if total else None
    if isinstance(count, int) and not isinstance(count, bool) and offset >= count:
        return None
    return offset


def _page_done(page: Any, got: int, number: int) -> bool:
    if got == 0:
        return True
    for flag in ("has_more", "has_next", "has_next_page"):
        value = get_field(page, flag)
        if value is False:
            return True
    pages = get_field(page, "total_pages")
    return isinstance(pages, int) and number >= pages


def iter_offset(
    fetch: Callable[[int, int], Any],
    *,
    page_size: int,
    start: int = 0,
    items: str = "items",
    total: str | None = "count",
) -> Iterator[Any]:
    """Yield items of ``fetch(offset, limit)`` pages until a short page."""
    if page_size <= 0:
        raise ValueError("page_size must be positive")
    offset: int | None = start
    for _ in range(_MAX_PAGES):
        if offset is None:
            return
        page = fetch(offset, page_size)
        batch = _items(page, items)
        yield from batch
        offset = _offset_next(page, len(batch), offset, page_size, total)


def iter_page(
    fetch: Callable[[int], Any], *, start: int = 1, items: str = "items"
) -> Iterator[Any]:
    """Yield items of numbered pages until an empty (or flagged last) page."""
    for number in range(start, start + _MAX_PAGES):
        page = fetch(number)
        batch = _items(page, items)
        yield from batch
        if _page_done(page, len(batch), number):
            return


def iter_cursor(
    fetch: Callable[[str | None], Any],
    *,
    items: str = "items",
    next_cursor: str = "next_cursor",
) -> Iterator[Any]:
    """Yield items following ``next_cursor`` until it is empty or repeats."""
    cursor: str | None = None
    seen: set[str] = set()
    for _ in range(_MAX_PAGES):
        page = fetch(cursor)
        yield from _items(page, items)
        nxt = get_field(page, next_cursor)
        if not nxt or str(nxt) in seen:
            return
        cursor = str(nxt)
        seen.add(cursor)


async def aiter_offset(
    fetch: Callable[[int, int], Awaitable[Any]],
    *,
    page_size: int,
    start: int = 0,
    items: str = "items",
    total: str | None = "count",
) -> AsyncIterator[Any]:
    """Async counterpart of :func:`iter_offset`."""
    if page_size <= 0:
        raise ValueError("page_size must be positive")
    offset: int | None = start
    for _ in range(_MAX_PAGES):
        if offset is None:
            return
        page = await fetch(offset, page_size)
        batch = _items(page, items)
        for item in batch:
            yield item
        offset = _offset_next(page, len(batch), offset, page_size, total)


async def aiter_page(
    fetch: Callable[[int], Awaitable[Any]], *, start: int = 1, items: str = "items"
) -> AsyncIterator[Any]:
    """Async counterpart of :func:`iter_page`."""
    for number in range(start, start + _MAX_PAGES):
        page = await fetch(number)
        batch = _items(page, items)
        for item in batch:
            yield item
        if _page_done(page, len(batch), number):
            return


async def aiter_cursor(
    fetch: Callable[[str | None], Awaitable[Any]],
    *,
    items: str = "items",
    next_cursor: str = "next_cursor",
) -> AsyncIterator[Any]:
    """Async counterpart of :func:`iter_cursor`."""
    cursor: str | None = None
    seen: set[str] = set()
    for _ in range(_MAX_PAGES):
        page = await fetch(cursor)
        for item in _items(page, items):
            yield item
        nxt = get_field(page, next_cursor)
        if not nxt or str(nxt) in seen:
            return
        cursor = str(nxt)
        seen.add(cursor)
