"""Error bodies as data: the API's message and its per-field problems.

:func:`field_errors` turns a decoded error body into :class:`FieldError`
entries; :func:`api_message` finds its human-readable message.  The layouts
understood, tried in this order:

* ``{"detail": [{"loc": ["body", "email"], "msg": ..., "type": ...}]}``
  (FastAPI / pydantic): the field is the ``loc`` path after its first part
  (``body``, ``query``, ``path``, ``header``, ``cookie``), the code ``type``;
  such entries are found under any top-level key (Prefect's
  ``exception_detail``) when no key below holds a list;
* RFC 9457 problem details (``title``, ``detail``) with an ``errors`` or
  ``invalid-params`` / ``invalid_params`` member;
* JSON:API ``{"errors": [{"source": {"pointer": ...}, "code", "title",
  "detail"}]}``;
* lists of described entries (``field``/``name``/``param``..., ``message``/
  ``msg``/``detail``..., ``code``) under ``errors``, ``violations``,
  ``field_errors``... and Google's ``{"error": {"errors": [...]}}``;
* field maps, at any depth: onFact's
  ``{"errors": [{"customer_name": [{"_required": "..."}]}]}`` (field →
  list of ``{code: message}``), Rails' ``{"errors": {"email": ["is
  invalid"]}}``, ASP.NET's ``{"errors": {"Age": ["..."]}}``; nested maps
  give dotted paths (``lines.0.price``).

Anything else can be added: a function in :data:`FIELD_ERROR_PARSERS` is
tried first and its non-``None`` answer wins.  Every parser here is total:
whatever JSON (or other value) it is given, it returns, never raises, and
stops after :data:`MAX_FIELD_ERRORS` entries or :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as record
else:
    from ._record import record

__all__ = [
    "FIELD_ERROR_PARSERS",
    "MAX_DEPTH",
    "MAX_FIELD_ERRORS",
    "FieldError",
    "api_message",
    "field_errors",
]

MAX_FIELD_ERRORS = 200
MAX_DEPTH = 24

#: Extra layouts: each takes the decoded body and returns the field errors it
#: found, or ``None`` when the body is not its layout.  Tried before the
#: built-in ones; one that raises is skipped.
FIELD_ERROR_PARSERS: list[Callable[[Any], list[FieldError] | None]] = []

_MESSAGE_KEYS = ("message", "error_description", "error", "detail", "title", "msg")
_LIST_KEYS = (
    "errors",
    "invalid-params",
    "invalid_params",
    "violations",
    "field_errors",
    "fieldErrors",
    "validation_errors",
    "validationErrors",
    "fields",
    "details",
    "detail",
)
_NAME_KEYS = ("field", "name", "param", "parameter", "property", "path", "location")
_POINTER_KEYS = ("pointer", "parameter", "header")
_ENTRY_MESSAGE_KEYS = ("message", "msg", "detail", "reason", "description", "title")
_CODE_KEYS = ("code", "type", "rule", "reason")
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie", "form"})


@record(frozen=True)
class FieldError:
    """One field-level problem reported in an error body.

    ``field`` is a dotted path (``customer_name``, ``lines.0.price``) or
    ``None`` for a problem of the request as a whole; ``code`` the API's
    machine-readable name for the problem (``_required``, ``value_error``);
    ``message`` its text; ``raw`` the entry as received.  At least one of
    ``message`` and ``code`` is set on entries the client parsed.
    """

    field: str | None
    message: str | None
    code: str | None = None
    raw: Any = None

    def __str__(self) -> str:
        """``customer_name: required (This field is required)``."""
        code = self.code.lstrip("_") or self.code if self.code else None
        if code and self.message and code != self.message:
            text = f"{code} ({self.message})"
        else:
            text = self.message or code or "invalid"
        return f"{self.field}: {text}" if self.field else text


def field_errors(data: Any) -> list[FieldError]:
    """The field errors of a decoded error body, in the order given."""
    for parser in FIELD_ERROR_PARSERS:
        try:
            found = parser(data)
        except Exception:  # a broken plug-in must not hide the status error
            continue
        if found is not None:
            return list(found)[:MAX_FIELD_ERRORS]
    out: list[FieldError] = []
    _collect(data, out, 0)
    return out[:MAX_FIELD_ERRORS]


def api_message(data: Any) -> str | None:
    """The human-readable message of a decoded error body, if it has one.

    A problem document (RFC 9457) gives ``title: detail``; otherwise the
    first text under ``message``, ``error_description``, ``error``,
    ``detail``, ``title`` or ``msg``, also one level down
    (``{"error": {"message": ...}}``).
    """
    if isinstance(data, str):
        return data or None
    if not isinstance(data, dict):
        return None
    title, detail = _text(data.get("title")), _text(data.get("detail"))
    if title and detail and "message" not in data:
        return detail if detail.startswith(title) else f"{title}: {detail}"
    for key in _MESSAGE_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict):
            for inner in _MESSAGE_KEYS:
                nested = _text(value.get(inner))
                if nested:
                    return nested
    return None


# -- the walk ------------------------------------------------------------------


def _collect(data: Any, out: list[FieldError], depth: int) -> None:
    """Field errors of a whole body (a dict), or of a bare list of entries."""
    if isinstance(data, list):
        _entries(data, out, (), depth)
        return
    if not isinstance(data, dict):
        return
    for key in _LIST_KEYS:
        value = data.get(key)
        if isinstance(value, list):
            _entries(value, out, (), depth)
            return
        if isinstance(value, dict) and key not in ("detail", "details"):
            _walk(value, out, (), depth + 1)
            return
    pydantic = _pydantic_entries(data)
    if pydantic is not None:
        _entries(pydantic, out, (), depth)
        return
    error = data.get("error")
    if isinstance(error, dict) and depth < MAX_DEPTH:
        _collect(error, out, depth + 1)


def _pydantic_entries(data: dict[Any, Any]) -> list[Any] | None:
    """The first member, under whatever key, that is a list of pydantic's
    error entries: each a ``loc`` list and a ``msg`` text."""
    for value in data.values():
        if isinstance(value, list) and value and all(map(_is_pydantic, value)):
            return value
    return None


def _is_pydantic(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("loc"), list)
        and isinstance(entry.get("msg"), str)
    )


def _entries(
    items: list[Any], out: list[FieldError], path: tuple[str, ...], depth: int
) -> None:
    """A list under an error key: described entries, messages or field maps."""
    for item in items:
        if len(out) >= MAX_FIELD_ERRORS or depth >= MAX_DEPTH:
            return
        if isinstance(item, dict) and _is_described(item):
            out.append(_described(item, path))
        else:
            _walk(item, out, path, depth + 1)


def _walk(value: Any, out: list[FieldError], path: tuple[str, ...], depth: int) -> None:
    """A field map: ``{field: messages}`` where messages are text, lists,
    ``{code: message}`` maps or, for nested fields, field maps again."""
    if len(out) >= MAX_FIELD_ERRORS or depth >= MAX_DEPTH:
        return
    field = ".".join(path) or None
    if isinstance(value, str):
        if value:
            out.append(FieldError(field=field, message=value, raw=value))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if (
                isinstance(item, dict)
                and item
                and not _is_leaf(item)
                and not _is_described(item)
            ):
                # a list of records: ``lines: [{"price": [...]}, ...]``
                _walk(item, out, (*path, str(index)), depth + 1)
            else:
                _walk(item, out, path, depth + 1)
    elif isinstance(value, dict):
        if path and _is_described(value):
            out.append(_described(value, path))
        elif path and _is_leaf(value):  # {code: message, ...}
            for code, message in value.items():
                if len(out) >= MAX_FIELD_ERRORS:
                    return
                out.append(
                    FieldError(
                        field=field,
                        message=_text(message),
                        code=_text(code),
                        raw={code: message},
                    )
                )
        else:
            for key, sub in value.items():
                name = _part(key) if isinstance(key, (str, int)) else "?"
                _walk(sub, out, (*path, name), depth + 1)


def _is_leaf(value: dict[Any, Any]) -> bool:
    """``{code: message, ...}``: every value a text."""
    return bool(value) and all(isinstance(v, str) for v in value.values())


def _is_described(entry: dict[Any, Any]) -> bool:
    """An entry that names its parts (``{"field": ..., "message": ...}``)
    rather than a field map (``{"customer_name": [...]}``)."""
    if isinstance(entry.get("source"), dict) or isinstance(entry.get("loc"), list):
        return True
    return any(isinstance(entry.get(k), str) for k in _ENTRY_MESSAGE_KEYS) or any(
        isinstance(entry.get(k), str) for k in ("field", "param", "pointer")
    )


def _described(entry: dict[Any, Any], path: tuple[str, ...]) -> FieldError:
    name = _entry_field(entry)
    if path:
        name = ".".join((*path, name)) if name else ".".join(path)
    message = None
    for key in _ENTRY_MESSAGE_KEYS:
        message = _text(entry.get(key))
        if message:
            break
    code = None
    for key in _CODE_KEYS:
        candidate = _code(entry.get(key))
        # a problem document's ``type`` is a URI, not a code
        if candidate and candidate != message and "://" not in candidate:
            code = candidate
            break
    return FieldError(field=name, message=message, code=code, raw=entry)


def _entry_field(entry: dict[Any, Any]) -> str | None:
    source = entry.get("source")
    if isinstance(source, dict):  # JSON:API
        for key in _POINTER_KEYS:
            pointer = _text(source.get(key))
            if pointer:
                return _from_pointer(pointer) if key == "pointer" else pointer
    loc = entry.get("loc")
    if isinstance(loc, list) and loc:  # FastAPI / pydantic
        parts = [_part(p) for p in loc if isinstance(p, (str, int))]
        if len(parts) > 1 and parts[0] in _LOCATIONS:
            parts = parts[1:]
        return ".".join(parts) or None
    pointer = _text(entry.get("pointer"))  # RFC 9457's example extension
    if pointer:
        return _from_pointer(pointer)
    for key in _NAME_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, list) and value and key == "path":
            return ".".join(_part(p) for p in value if isinstance(p, (str, int)))
    return None


def _from_pointer(pointer: str) -> str | None:
    """``/data/attributes/first-name`` → ``first-name``; ``#/age`` → ``age``."""
    parts = pointer.lstrip("#").strip("/").split("/")
    if (
        len(parts) > 2
        and parts[0] == "data"
        and parts[1]
        in (
            "attributes",
            "relationships",
        )
    ):
        parts = parts[2:]
    names = [p.replace("~1", "/").replace("~0", "~") for p in parts if p]
    return ".".join(names) or None


def _code(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _part(value)
    return _text(value)


def _part(value: str | int) -> str:
    """A path part as text (an integer too long to print gives ``?``)."""
    try:
        return str(value)
    except ValueError:
        return "?"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
