"""Request body encoding for the content types an OpenAPI spec can declare.

A body is *prepared* once and then *built* per attempt: retries and 307/308
redirects must resend it, and file objects have to be rewound for that.
"""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlencode

import pydantic
from pydantic_core import PydanticSerializationError, to_json

from ._encode import JsonNumber, encode_json, model_json, non_finite
from ._models import BaseModel, output_name
from ._serialize import stringify
from ._types import NotGiven

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as record
else:
    from ._record import record

__all__ = ["PreparedBody", "prepare_body"]

_CHUNK = 64 * 1024


@record()
class PreparedBody:
    """A request body plus the ``Content-Type`` header it needs.

    ``content_type`` is ``None`` for multipart, where httpx must generate the
    header itself because it contains the boundary.
    """

    content_type: str | None
    build: Callable[[], dict[str, Any]]
    content_length: int | None = None


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_json(content_type: str) -> bool:
    media = media_type(content_type)
    return media == "application/json" or media.endswith("+json")


def _is_file(value: Any) -> bool:
    return hasattr(value, "read") and callable(value.read)


def _default_content_type(body: Any) -> str:
    if isinstance(body, (bytes, bytearray, memoryview)) or _is_file(body):
        return "application/octet-stream"
    if isinstance(body, str):
        return "text/plain; charset=utf-8"
    return "application/json"


def json_bytes(data: Any) -> bytes:
    """Plain JSON values (as :func:`encode_json` makes them) as compact UTF-8.

    pydantic-core's encoder is several times faster than :func:`json.dumps`;
    the standard library takes over, and raises as it always did, for values
    JSON cannot carry (non-finite floats, objects that are not JSON) and for
    exact numbers (:class:`JsonNumber`), which it writes as they are.
    """
    try:
        payload = to_json(data)
    except PydanticSerializationError:
        payload = b""  # e.g. an exact number: written below
    if not payload or non_finite(payload):
        try:
            text = _exact_json(data)
        except (ValueError, TypeError, RecursionError) as exc:
            raise _not_json(data, exc) from None
        return text.encode("utf-8")
    return payload


def _exact_json(data: Any, sep: str = ",", colon: str = ":") -> str:
    """JSON text of ``data``, exact numbers (:class:`JsonNumber`) as written."""
    if isinstance(data, JsonNumber):
        return data.text
    if isinstance(data, dict):
        items = (
            json.dumps(str(k), ensure_ascii=False) + colon + _exact_json(v, sep, colon)
            for k, v in data.items()
        )
        return "{" + sep.join(items) + "}"
    if isinstance(data, list):
        return "[" + sep.join(_exact_json(v, sep, colon) for v in data) + "]"
    return json.dumps(data, ensure_ascii=False, allow_nan=False)


def with_extra_body(body: Any, extra: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` (a model or mapping, or none) as JSON data with ``extra``
    merged in: the escape hatch for keys a description does not know."""
    from ._exceptions import RequestValidationError

    data = {} if body is None or isinstance(body, NotGiven) else encode_json(body)
    if not isinstance(data, dict):
        raise RequestValidationError(
            f"extra_body needs a JSON object body, not {type(data).__name__}"
        )
    return {**data, **encode_json(dict(extra))}


def _not_json(data: Any, exc: Exception) -> Exception:
    """A typed error naming where in the body a value JSON cannot carry sits."""
    from ._exceptions import RequestValidationError

    where = _find_unencodable(data)
    if isinstance(exc, RecursionError):
        reason = "it is nested too deeply"
    elif isinstance(exc, TypeError):
        reason = "it holds a value that is not JSON"
    else:
        reason = "JSON has no NaN or Infinity"
    at = f" at {where}" if where else ""
    return RequestValidationError(f"The request body cannot be sent{at}: {reason}")


def _find_unencodable(data: Any) -> str | None:
    """JSON path of the first non-finite float or non-JSON value, if any."""
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return path
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}", v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(
                (f"{path}[{i}]", v) for i, v in reversed(list(enumerate(value)))
            )
        elif not isinstance(value, (str, int, float, type(None), JsonNumber)):
            return path
    return None


def prepare_body(
    body: Any, content_type: str | None, *, is_async: bool = False
) -> PreparedBody | None:
    """Encode ``body`` for ``content_type``; ``NOT_GIVEN`` means no body."""
    if isinstance(body, NotGiven):
        return None
    content_type = content_type or _default_content_type(body)
    media = media_type(content_type)
    if is_json(content_type):
        fast = model_json(body) if isinstance(body, BaseModel) else None
        payload = fast if fast is not None else json_bytes(encode_json(body))
        return PreparedBody(content_type, lambda: {"content": payload})
    if media == "application/x-www-form-urlencoded":
        encoded = urlencode(_form_pairs(body)).encode("ascii")
        return PreparedBody(content_type, lambda: {"content": encoded})
    if media == "multipart/form-data":
        return _prepare_multipart(body)
    if body is None:
        return None
    if isinstance(body, str):
        text = body.encode(_charset(content_type))
        return PreparedBody(content_type, lambda: {"content": text})
    if isinstance(body, (bytes, bytearray, memoryview)):
        raw = bytes(body)
        return PreparedBody(content_type, lambda: {"content": raw})
    if _is_file(body):
        return _prepare_file(body, content_type, is_async)
    raise TypeError(
        f"Cannot send {type(body).__name__} as {media}; pass bytes, str or a file"
    )


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


# ---------------------------------------------------------------------------
# Raw file uploads


def _prepare_file(file: IO[bytes], content_type: str, is_async: bool) -> PreparedBody:
    start: int | None = None
    length: int | None = None
    try:
        if file.seekable():
            start = file.tell()
            length = os.fstat(file.fileno()).st_size - start
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        # In-memory files have no fileno; measure them by seeking instead.
        try:
            start = file.tell()
            length = file.seek(0, io.SEEK_END) - start
            file.seek(start)
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            start = length = None

    def rewind() -> None:
        if start is not None:
            file.seek(start)

    def sync_chunks() -> Iterator[bytes]:
        while chunk := file.read(_CHUNK):
            yield chunk

    async def async_chunks() -> AsyncIterator[bytes]:
        # Blocking reads of small chunks; acceptable for local files and it
        # keeps the runtime free of extra dependencies.
        while chunk := file.read(_CHUNK):
            yield chunk

    def build() -> dict[str, Any]:
        rewind()
        return {"content": async_chunks() if is_async else sync_chunks()}

    return PreparedBody(content_type, build, content_length=length)


# ---------------------------------------------------------------------------
# Forms


def _fields_of(body: Any) -> list[tuple[str, Any]]:
    """Top-level (name, raw value) pairs of a form body, models included."""
    if isinstance(body, BaseModel):
        cls = type(body)
        pairs = [
            (output_name(name, field), getattr(body, name))
            for name, field in cls.model_fields.items()
            if name in body.model_fields_set and name not in cls.__clientgen_read_only__
        ]
        pairs.extend((body.model_extra or {}).items())
        return pairs
    if isinstance(body, pydantic.BaseModel):
        return list(body.model_dump(by_alias=True, exclude_unset=True).items())
    if isinstance(body, Mapping):
        return [(str(k), v) for k, v in body.items()]
    if body is None:
        return []
    raise TypeError(
        f"A form body must be a mapping or a model, not {type(body).__name__}"
    )


def _absent(value: Any) -> bool:
    return value is None or isinstance(value, NotGiven)


def _form_text(value: Any) -> str:
    encoded = encode_json(value)
    if isinstance(encoded, (dict, list)):
        # Nested structures have no standard form encoding; JSON is the
        # least surprising choice and what most servers accept.
        return _exact_json(encoded, ", ", ": ")
    return stringify(encoded)


def _form_pairs(body: Any) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in _fields_of(body):
        if _absent(value):
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((name, _form_text(v)) for v in value if not _absent(v))
        else:
            pairs.append((name, _form_text(value)))
    return pairs


FilePart = tuple[str | None, Any, str | None]


def _as_file_part(name: str, value: Any) -> FilePart | None:
    """Return ``(filename, content, content_type)`` if ``value`` is a file."""
    if isinstance(value, tuple) and len(value) in (2, 3):
        filename = value[0]
        content = value[1]
        ctype = value[2] if len(value) == 3 else None
        if isinstance(content, str):
            content = content.encode("utf-8")
        return (filename, content, ctype or "application/octet-stream")
    if isinstance(value, (bytes, bytearray, memoryview)):
        # Servers usually only treat a part as a file when it has a filename.
        return (name, bytes(value), "application/octet-stream")
    if _is_file(value):
        raw_name = getattr(value, "name", None)
        filename = os.path.basename(raw_name) if isinstance(raw_name, str) else name
        return (filename, value, "application/octet-stream")
    return None


def _prepare_multipart(body: Any) -> PreparedBody:
    parts: list[tuple[str, FilePart]] = []
    for name, value in _fields_of(body):
        if _absent(value):
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if _absent(item):
                continue
            file_part = _as_file_part(name, item)
            if file_part is not None:
                parts.append((name, file_part))
            elif isinstance(encode_json(item), (dict, list)):
                parts.append(
                    (name, (None, _form_text(item).encode(), "application/json"))
                )
            else:
                # Plain fields are sent as file-less parts (filename None) so
                # httpx emits multipart even when there is no file at all.
                parts.append((name, (None, _form_text(item).encode(), None)))
    positions = {
        id(part[1]): part[1].tell()
        for _, part in parts
        if _is_file(part[1]) and _seekable(part[1])
    }

    def build() -> dict[str, Any]:
        files: list[tuple[str, Any]] = []
        for name, (filename, content, ctype) in parts:
            if id(content) in positions:
                content.seek(positions[id(content)])
            entry = (filename, content) if ctype is None else (filename, content, ctype)
            files.append((name, entry))
        return {"files": files}

    return PreparedBody(None, build)


def _seekable(file: Any) -> bool:
    try:
        return bool(file.seekable())
    except (AttributeError, ValueError):
        return False
