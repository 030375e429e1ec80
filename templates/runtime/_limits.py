"""Limits that keep a hostile or broken server from exhausting the client.

* ``max_response_size``: decompressed bytes of one response body.  Bodies
  are read in small raw pieces and inflated at most ``_STEP`` bytes at a
  time, so a gzip bomb costs the limit, never its inflated size;
* ``max_json_depth``: nesting of arrays and objects in a JSON body;
* Python's own limit on the digits of an integer it converts from text.

Each failure is a :class:`ResponseLimitError` naming the limit and how to
raise it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import httpx

from .._front import DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_RESPONSE_SIZE
from ._exceptions import (
    ResponseNumberTooLargeError,
    ResponseTooDeepError,
    ResponseTooLargeError,
)

__all__ = [
    "DEFAULT_MAX_JSON_DEPTH",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "aread_bounded",
    "load_json",
    "read_bounded",
]

_STEP = 1024 * 1024  # the most one inflate call may produce, whatever it is fed
_INFLATABLE = frozenset({"gzip", "x-gzip", "deflate", "identity"})


def too_large(limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"The response body is larger than max_response_size ({limit:,} bytes"
        " once decompressed); raise it with max_response_size=... on the client"
        " or in with_options(), or use download() to stream a large body",
        limit="max_response_size",
    )


def _encodings(response: httpx.Response) -> list[str] | None:
    """Content codings to undo, outermost first; ``None`` if one is unknown."""
    names = [
        name.strip().lower()
        for name in response.headers.get_list("content-encoding", split_commas=True)
    ]
    if not all(name in _INFLATABLE for name in names):
        return None
    return [name for name in reversed(names) if name != "identity"]


class _Inflater:
    """One content coding undone incrementally, ``_STEP`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._zlib: Any = None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            self._zlib = zlib.decompressobj(_wbits(self.encoding, data))
        while data:
            try:
                out = self._zlib.decompress(data, _STEP)
            except zlib.error as exc:
                raise httpx.DecodingError(f"Invalid {self.encoding} body") from exc
            if out:
                yield out
            data = self._zlib.unconsumed_tail

    def flush(self) -> Iterator[bytes]:
        if self._zlib is not None:
            tail = self._zlib.flush()
            if tail:
                yield tail


def _wbits(encoding: str, first: bytes) -> int:
    if encoding != "deflate":
        return 16 + zlib.MAX_WBITS
    # "deflate" is zlib-wrapped by the standard, raw deflate by some servers
    wrapped = (
        len(first) >= 2
        and (first[0] & 0x0F) == 8
        and ((first[0] << 8) + first[1]) % 31 == 0
    )
    return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS


def _through(inflater: _Inflater, pieces: Iterable[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from inflater.feed(piece)


def _then_flush(inflater: _Inflater, pieces: Iterable[bytes]) -> Iterator[bytes]:
    yield from _through(inflater, pieces)
    yield from inflater.flush()


class _Body:
    """Decoded body accumulated up to ``limit`` bytes."""

    def __init__(self, encodings: list[str], limit: int) -> None:
        self._inflaters = [_Inflater(encoding) for encoding in encodings]
        self._limit = limit
        self._data = bytearray()

    def _add(self, pieces: Iterable[bytes]) -> None:
        for piece in pieces:
            if len(self._data) + len(piece) > self._limit:
                raise too_large(self._limit)
            self._data += piece

    def feed(self, raw: bytes) -> None:
        pieces: Iterable[bytes] = (raw,)
        for inflater in self._inflaters:
            pieces = _through(inflater, pieces)
        self._add(pieces)

    def finish(self) -> bytes:
        pieces: Iterable[bytes] = ()
        for inflater in self._inflaters:
            pieces = _then_flush(inflater, pieces)
        self._add(pieces)
        return bytes(self._data)


def _declared_too_large(response: httpx.Response, limit: int) -> bool:
    length = response.headers.get("content-length", "")
    return (
        length.isdigit()
        and int(length) > limit
        and not response.headers.get("content-encoding")
    )


def read_bounded(
    response: httpx.Response, limit: int, check: Callable[[], None] | None = None
) -> bytes:
    """Read ``response``'s body, decoded, failing past ``limit`` bytes.

    ``check`` runs after every piece (the per-attempt deadline).  The body is
    stored on the response, so ``response.content``/``.text`` work after.
    Codings other than gzip and deflate (br, zstd) are decoded by httpx and
    only counted.
    """
    content: bytes | None = getattr(response, "_content", None)
    if content is not None:  # read already (e.g. a response built in memory)
        if len(content) > limit:
            raise too_large(limit)
        return content
    try:
        if _declared_too_large(response, limit):
            raise too_large(limit)
        encodings = _encodings(response)
        body = _Body(encodings or [], limit)
        raw: Iterator[bytes] = (
            response.iter_bytes() if encodings is None else response.iter_raw()
        )
        for piece in raw:
            body.feed(piece)
            if check is not None:
                check()
        content = body.finish()
    finally:
        response.close()
    response._content = content
    return content


async def aread_bounded(
    response: httpx.Response, limit: int, check: Callable[[], None] | None = None
) -> bytes:
    """Asynchronous twin of :func:`read_bounded`."""
    content: bytes | None = getattr(response, "_content", None)
    if content is not None:
        if len(content) > limit:
            raise too_large(limit)
        return content
    try:
        if _declared_too_large(response, limit):
            raise too_large(limit)
        encodings = _encodings(response)
        body = _Body(encodings or [], limit)
        raw: AsyncIterator[bytes] = (
            response.aiter_bytes() if encodings is None else response.aiter_raw()
        )
        async for piece in raw:
            body.feed(piece)
            if check is not None:
                check()
        content = body.finish()
    finally:
        await response.aclose()
    response._content = content
    return content


# -- JSON --------------------------------------------------------------------


class _SpelledFloat(float):
    """A float that remembers how the JSON wrote it: pydantic converts a
    float to a ``Decimal`` through ``str()``, which then has every digit."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> _SpelledFloat:
        self = super().__new__(cls, text)
        self.text = text
        return self

    def __str__(self) -> str:
        return self.text


def load_json(content: bytes | str, max_depth: int, *, exact: bool = False) -> Any:
    """``json.loads`` with the depth and integer limits as typed errors;
    with ``exact``, numbers with a fraction or exponent keep their digits
    for the ``Decimal`` fields they are validated into (elsewhere they are
    floats, as usual)."""
    try:
        data = json.loads(content, parse_float=_SpelledFloat if exact else None)
    except RecursionError:
        raise _too_deep(max_depth) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # "Exceeds the limit (4300 digits) ..."
        if "digits" not in str(exc):
            raise
        raise ResponseNumberTooLargeError(
            "The JSON body holds an integer with more digits than Python converts"
            " (sys.get_int_max_str_digits()); raise it with"
            " sys.set_int_max_str_digits(...) or PYTHONINTMAXSTRDIGITS",
            limit="int_max_str_digits",
        ) from None
    raw = content.encode() if isinstance(content, str) else content
    if raw.count(b"[") + raw.count(b"{") > max_depth and _depth(data) > max_depth:
        raise _too_deep(max_depth)
    return data


def _too_deep(max_depth: int) -> ResponseTooDeepError:
    return ResponseTooDeepError(
        f"The JSON body nests arrays and objects deeper than max_json_depth"
        f" ({max_depth}); raise it with max_json_depth=... on the client or in"
        " with_options() (Python's recursion limit also applies)",
        limit="max_json_depth",
    )


def _depth(data: Any) -> int:
    """Nesting depth of decoded JSON, without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
        items = node.values() if isinstance(node, dict) else node
        stack.extend(
            (item, depth + 1) for item in items if isinstance(item, (dict, list))
        )
    return deepest if isinstance(data, (dict, list)) else 0
