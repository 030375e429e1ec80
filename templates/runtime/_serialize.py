"""Parameter serialisation following OpenAPI ``style`` / ``explode`` rules.

Values are first reduced to "primitive", "array" or "object" and then laid
out according to the style.  Defaults per location (see ``Styled``):

* path, header: ``simple``, explode off
* query, cookie: ``form``, explode on
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import pydantic

from ._encode import encode_json
from ._params import Styled
from ._types import NotGiven

__all__ = [
    "encode_cookies",
    "encode_headers",
    "encode_query",
    "expand_path",
    "stringify",
]

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def stringify(value: Any) -> str:
    """Render one primitive the way APIs expect it in URLs and headers."""
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return stringify(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _is_absent(value: Any) -> bool:
    return value is None or isinstance(value, NotGiven)


def _as_object(value: Any) -> dict[str, Any] | None:
    """Return ``value`` as a mapping if it is object-like, else ``None``."""
    if isinstance(value, pydantic.BaseModel):
        encoded = encode_json(value)
        return encoded if isinstance(encoded, dict) else None
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items() if not _is_absent(v)}
    return None


def _as_array(value: Any) -> list[Any] | None:
    if isinstance(value, (list, tuple, set, frozenset)):
        return [item for item in value if not _is_absent(item)]
    return None


def _unwrap(value: Any, style: str, explode: bool) -> tuple[Any, str, bool]:
    if isinstance(value, Styled):
        return value.value, value.style, value.explode
    return value, style, explode


# ---------------------------------------------------------------------------
# Path


def expand_path(template: str, params: Mapping[str, Any] | None) -> str:
    """Substitute ``{name}`` placeholders with percent-encoded values.

    No value can change which endpoint is called: ``/``, ``?``, ``#`` and
    ``%`` are percent-encoded, and a segment that would read ``.`` or ``..``
    (which a URL parser collapses) has its dots encoded as ``%2E``.  An empty
    value gives an empty segment.  A missing value, or one that cannot be
    encoded, raises :class:`RequestValidationError` before anything is sent.
    """
    if "{" not in template:
        return template
    params = params or {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params or _is_absent(params[name]):
            raise _invalid(f"Missing value for path parameter {name!r}")
        value = params[name]
        if type(value) is int:  # the common case, spelled as `_simple` does
            return str(value)
        value, style, explode = _unwrap(value, "simple", False)
        try:
            return _path_value(name, value, style, explode)
        except UnicodeEncodeError as exc:
            raise _invalid(
                f"Path parameter {name!r} cannot be encoded in a URL ({exc.reason})"
            ) from None

    segments = template.split("/")
    for index, segment in enumerate(segments):
        if "{" in segment:
            expanded = _PATH_PARAM.sub(replace, segment)
            if expanded in (".", ".."):
                expanded = expanded.replace(".", "%2E")
            segments[index] = expanded
    return "/".join(segments)


def _invalid(message: str) -> Exception:
    from ._exceptions import RequestValidationError

    return RequestValidationError(message)


def _q(value: Any) -> str:
    return quote(stringify(value), safe="")


def _path_value(name: str, value: Any, style: str, explode: bool) -> str:
    obj = _as_object(value)
    arr = None if obj is not None else _as_array(value)
    if style == "label":
        sep = "." if explode else ","
        if arr is not None:
            return "." + sep.join(_q(v) for v in arr)
        if obj is not None:
            pairs = (
                [f"{_q(k)}={_q(v)}" for k, v in obj.items()]
                if explode
                else [f"{_q(k)},{_q(v)}" for k, v in obj.items()]
            )
            return "." + sep.join(pairs)
        return "." + _q(value)
    if style == "matrix":
        if arr is not None:
            if explode:
                return "".join(f";{name}={_q(v)}" for v in arr)
            return f";{name}=" + ",".join(_q(v) for v in arr)
        if obj is not None:
            if explode:
                return "".join(f";{_q(k)}={_q(v)}" for k, v in obj.items())
            return f";{name}=" + ",".join(f"{_q(k)},{_q(v)}" for k, v in obj.items())
        return f";{name}={_q(value)}"
    # simple (the default) and anything unknown
    return _simple(value, explode, _q)


def _simple(value: Any, explode: bool, render: Any) -> str:
    obj = _as_object(value)
    if obj is not None:
        if explode:
            return ",".join(f"{render(k)}={render(v)}" for k, v in obj.items())
        return ",".join(f"{render(k)},{render(v)}" for k, v in obj.items())
    arr = _as_array(value)
    if arr is not None:
        return ",".join(render(v) for v in arr)
    return str(render(value))


# ---------------------------------------------------------------------------
# Query


def encode_query(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Serialise query parameters into ordered ``(name, value)`` pairs.

    ``None`` and ``NOT_GIVEN`` values are dropped so generated code can pass
    every optional parameter unconditionally.
    """
    pairs: list[tuple[str, str]] = []
    for name, raw in (params or {}).items():
        if _is_absent(raw):
            continue
        value, style, explode = _unwrap(raw, "form", True)
        if _is_absent(value):
            continue
        pairs.extend(_query_pairs(name, value, style, explode))
    return pairs


def _query_pairs(
    name: str, value: Any, style: str, explode: bool
) -> list[tuple[str, str]]:
    obj = _as_object(value)
    if style == "deepObject" and obj is not None:
        return list(_deep_object(name, obj))
    if obj is not None:
        if explode:
            return [(k, stringify(v)) for k, v in _flat(obj)]
        return [(name, ",".join(f"{k},{stringify(v)}" for k, v in _flat(obj)))]
    arr = _as_array(value)
    if arr is not None:
        if explode:
            return [(name, stringify(item)) for item in arr]
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, sep.join(stringify(item) for item in arr))]
    return [(name, stringify(value))]


def _flat(obj: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    for key, value in obj.items():
        arr = _as_array(value)
        if arr is not None:
            yield from ((key, item) for item in arr)
        else:
            yield key, value


def _deep_object(prefix: str, obj: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    # Nesting beyond one level is not defined by OpenAPI; the bracket
    # convention used here is what most server frameworks understand.
    for key, value in obj.items():
        if _is_absent(value):
            continue
        name = f"{prefix}[{key}]"
        nested = _as_object(value)
        arr = _as_array(value) if nested is None else None
        if nested is not None:
            yield from _deep_object(name, nested)
        elif arr is not None:
            yield from ((name, stringify(item)) for item in arr)
        else:
            yield name, stringify(value)


# ---------------------------------------------------------------------------
# Headers and cookies


def encode_headers(params: Mapping[str, Any] | None) -> dict[str, str]:
    """Serialise header parameters (``simple`` style)."""
    out: dict[str, str] = {}
    for name, raw in (params or {}).items():
        if _is_absent(raw):
            continue
        value, _style, explode = _unwrap(raw, "simple", False)
        if _is_absent(value):
            continue
        out[name] = _simple(value, explode, stringify)
    return out


def encode_cookies(params: Mapping[str, Any] | None) -> dict[str, str]:
    """Serialise cookie parameters (``form`` style) to name/value pairs."""
    out: dict[str, str] = {}
    for name, raw in (params or {}).items():
        if _is_absent(raw):
            continue
        value, _style, explode = _unwrap(raw, "form", True)
        if _is_absent(value):
            continue
        # Cookies cannot repeat a name in one header, so arrays and objects
        # are always comma-joined regardless of ``explode``.
        out[name] = _simple(value, False, stringify)
    return out


def cookie_header(cookies: Mapping[str, str]) -> str:
    """Join cookies into one ``Cookie`` header value."""
    # RFC 6265 cookie-octets stay readable; everything else is escaped.
    safe = "!#$&'()*+,-./:<=>?@[]^_`{|}~"
    return "; ".join(
        f"{name}={quote(value, safe=safe)}" for name, value in cookies.items()
    )
