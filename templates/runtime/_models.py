"""Model base class plus lenient parsing, strict request validation and JSON encoding.

Responses are parsed *leniently* by default: an API that drifts from its spec
(new fields, new enum values, a field of the wrong type, a missing "required"
field) must not break callers.  Validation happens in two passes so the
common, valid case pays nothing extra:

1. plain pydantic validation, entirely inside pydantic-core (from the JSON
   bytes when the response is JSON): no Python code runs per model;
2. only if that fails, a second validator built from the same core schema,
   in which every model of ours is wrapped by :func:`_model_hook`, runs with
   a context that says which direction the data flows.  The hook excuses
   missing read-only fields in requests and write-only fields in responses,
   and in lenient mode rebuilds a failing model field by field.

Lenient, but honest: a field whose value does not fit its annotation never
holds that value.  Reading it raises :class:`InvalidFieldError` (model,
field, JSON path, raw value); the raw value stays in ``model_extra`` under
its JSON key (so the model goes back to the server unchanged), every other
field stays usable, and one warning per (model, field) is logged.
"""

from __future__ import annotations

import collections.abc
import contextlib
import decimal
import logging
import sys
import threading
import types
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, ForwardRef, Protocol, TypeVar, Union

import pydantic
from pydantic import (
    AliasChoices,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
)
from pydantic.fields import FieldInfo

from ._exceptions import (
    MISSING,
    InvalidFieldError,
    RequestValidationError,
    ResponseValidationError,
)
from ._types import NotGiven

if TYPE_CHECKING:  # pydantic's core package is imported only on the slow path
    from pydantic_core import ErrorDetails, InitErrorDetails

__all__ = [
    "BaseModel",
    "input_names",
    "output_name",
    "parse_headers",
    "parse_json",
    "parse_response",
    "validate_request",
]

# Validation-context keys.  ``mode`` tells the wrap validator which
# direction data flows, so read-only / write-only fields can be excused.
_MODE = "clientgen_mode"
_LENIENT = "clientgen_lenient"
#: set in the context when a lenient rebuild left a field out (see _locate)
_FOUND = "clientgen_invalid"
#: key of a model's ``__pydantic_private__`` that holds its invalid fields
_INVALID = "__clientgen_invalid__"

_log = logging.getLogger(__name__)
_warned: set[tuple[type[Any], str]] = set()


class BaseModel(pydantic.BaseModel):
    """Base class of every generated model.

    ``extra="allow"`` keeps fields the spec does not know about, and
    ``defer_build`` keeps import time low for large APIs.  No validator of
    ours is attached to the class: valid data never leaves pydantic-core.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        defer_build=True,
        protected_namespaces=(),
        arbitrary_types_allowed=True,
        # NaN stays NaN, so the body writer can refuse it (pydantic: null)
        ser_json_inf_nan="constants",
    )

    __clientgen_read_only__: ClassVar[frozenset[str]] = frozenset()
    __clientgen_write_only__: ClassVar[frozenset[str]] = frozenset()

    if not TYPE_CHECKING:  # type checkers see the fields' own types

        def __getattr__(self, name: str) -> Any:
            # Only reached when normal lookup fails: a field is missing from
            # the instance only when a lenient decode left it out.
            if name in type(self).model_fields:
                invalid = invalid_fields(self).get(name)
                if invalid is not None:
                    raise invalid.error(type(self).__name__, name)
            return super().__getattr__(name)


class _Invalid:
    """Why a field of a leniently decoded model has no value."""

    __slots__ = ("errors", "key", "path", "raw", "reason")

    def __init__(self, key: str, raw: Any, reason: str, errors: list[Any]) -> None:
        self.key, self.raw, self.reason, self.errors = key, raw, reason, errors
        self.path = "$" + _step(key)  # completed by _locate

    def error(self, model: str, field: str) -> InvalidFieldError:
        return InvalidFieldError(
            model=model,
            field=field,
            path=self.path,
            raw=self.raw,
            reason=self.reason,
            errors=self.errors,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Invalid) and (self.key, self.raw) == (
            other.key,
            other.raw,
        )

    __hash__ = None  # type: ignore[assignment]


def invalid_fields(model: pydantic.BaseModel) -> dict[str, _Invalid]:
    """Field name → why it has no value, for a leniently decoded ``model``."""
    try:
        private = object.__getattribute__(model, "__pydantic_private__")
    except AttributeError:
        return {}
    found = private.get(_INVALID) if isinstance(private, dict) else None
    return found if isinstance(found, dict) else {}


def _step(key: Any) -> str:
    """One JSONPath step: ``.name``, ``['odd key']`` or ``[3]``."""
    if isinstance(key, int):
        return f"[{key}]"
    text = str(key)
    if text.isidentifier() and text.isascii():
        return "." + text
    return "[" + repr(text) + "]"


def input_names(name: str, field: FieldInfo) -> list[str]:
    """Keys under which ``field`` may appear in incoming data, preferred first.

    Generated models may use ``alias`` or the ``validation_alias`` /
    ``serialization_alias`` pair; ``populate_by_name`` adds the field name.
    """
    names: list[str] = []
    validation = field.validation_alias
    if isinstance(validation, str):
        names.append(validation)
    elif isinstance(validation, AliasChoices):
        names.extend(c for c in validation.choices if isinstance(c, str))
    if field.alias:
        names.append(field.alias)
    names.append(name)
    return list(dict.fromkeys(names))


def wire_names(name: str, field: FieldInfo) -> list[str]:
    """Keys under which ``field`` may appear in data from the wire: its
    aliases only (a key spelled like the Python name of an aliased field is
    some other, undeclared key)."""
    names = input_names(name, field)
    return names[:-1] if len(names) > 1 else names


def output_name(name: str, field: FieldInfo) -> str:
    """Key under which ``field`` is sent to the API."""
    return field.serialization_alias or field.alias or name


# ---------------------------------------------------------------------------
# Type adapters and field annotations (cached: building them is expensive)

_adapter_cache: dict[Any, TypeAdapter[Any]] = {}
_hints_cache: dict[type[Any], dict[str, Any]] = {}
_cache_lock = threading.Lock()
V = TypeVar("V")


def _cached(cache: dict[Any, V], type_: Any, build: Callable[[Any], V]) -> V:
    """``cache[type_]``, built once; unhashable annotations are not cached."""
    try:
        cached = cache.get(type_)
    except TypeError:
        return build(type_)
    if cached is None:
        built = build(type_)
        with _cache_lock:  # two threads may build; both get the first stored
            cached = cache.setdefault(type_, built)
    return cached


def _adapter(type_: Any) -> TypeAdapter[Any]:
    return _cached(_adapter_cache, type_, _build_adapter)


def _build_adapter(type_: Any) -> TypeAdapter[Any]:
    """``TypeAdapter(type_)``, building deeply nested models leaves first.

    With ``defer_build`` pydantic builds a model's whole tree of field
    models on first use, recursively: about a dozen frames per level, so a
    hundred levels of nested inline objects exhaust the recursion limit.  A
    model whose schema is already built is reused as is, so building the
    tree bottom-up keeps every single build shallow.
    """
    try:
        return _built(TypeAdapter(type_))
    except RecursionError:
        pass
    for cls in _models_leaves_first(type_):
        cls.model_rebuild(force=True)
    return _built(TypeAdapter(type_))


def _built(adapter: TypeAdapter[Any]) -> TypeAdapter[Any]:
    """``adapter`` with a deferred build completed (validating builds it)."""
    with contextlib.suppress(ValidationError):
        adapter.validate_python(None)
    return adapter


def _models_leaves_first(type_: Any) -> list[type[pydantic.BaseModel]]:
    """Every model reachable from ``type_``, each after the models it uses."""
    order: list[type[pydantic.BaseModel]] = []
    seen: set[type[Any]] = set()
    stack: list[tuple[Any, bool]] = [(type_, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif isinstance(node, type) and issubclass(node, pydantic.BaseModel):
            if node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((t, False) for t in _field_types(node).values())
        else:
            stack.extend((t, False) for t in typing.get_args(node))
    return order


def _resolve(cls: type[Any], name: str, annotation: Any) -> Any:
    """Evaluate a forward reference left behind by ``defer_build``.

    Pydantic does not write resolved annotations back into ``model_fields``
    when the schema is built lazily, so we evaluate the string ourselves in
    the namespace of the class that declared the field.
    """
    if isinstance(annotation, ForwardRef):
        annotation = annotation.__forward_arg__
    if not isinstance(annotation, str):
        return annotation
    for klass in cls.__mro__:
        if name in klass.__dict__.get("__annotations__", {}):
            module = sys.modules.get(klass.__module__)
            namespace = dict(vars(module)) if module else {}
            try:
                return eval(annotation, namespace, dict(vars(klass)))
            except Exception:  # an undefined name: accept anything
                return Any
    return Any


def _field_types(cls: type[pydantic.BaseModel]) -> dict[str, Any]:
    cached = _hints_cache.get(cls)
    if cached is None:
        cached = {
            name: _resolve(cls, name, field.annotation)
            for name, field in cls.model_fields.items()
        }
        _hints_cache[cls] = cached
    return cached


# ---------------------------------------------------------------------------
# Slow-path validators


class _Validator(Protocol):
    def validate_python(
        self, value: Any, /, *, context: Any = None, by_name: bool | None = None
    ) -> Any: ...


_slow_cache: dict[Any, _Validator] = {}
_hook_cache: dict[type[Any], Callable[..., Any]] = {}
#: Keys of a core schema node whose values are not schemas themselves.
_OPAQUE_KEYS = frozenset({"cls", "function", "metadata", "config", "default"})


def _slow(type_: Any) -> _Validator:
    """Validator of ``type_`` in which each of our models calls :func:`_model_hook`.

    Built lazily from the fast adapter's core schema, and only for data that
    failed fast validation; types without any of our models reuse the
    adapter.
    """
    return _cached(_slow_cache, type_, _build_slow)


def _build_slow(type_: Any) -> _Validator:
    from pydantic_core import SchemaValidator

    adapter = _adapter(type_)
    schema = adapter.core_schema
    if not isinstance(schema, dict):  # a deferred build: completed on first use
        with contextlib.suppress(ValidationError):
            adapter.validate_python(None)
        schema = adapter.core_schema
    found: list[type[Any]] = []
    hooked = _hook_models(schema, found)
    if not found:
        return adapter
    return SchemaValidator(hooked)


def _hook_models(root: Any, found: list[type[Any]]) -> Any:
    """Copy of core schema ``root`` with our model schemas wrapped by hooks.

    Iterative (children first, from an explicit stack): a schema of deeply
    nested models is deeper than Python's recursion limit allows.
    """
    copies: dict[int, Any] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in copies or not isinstance(node, (dict, list, tuple)):
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in _schema_children(node))
        else:
            copies[id(node)] = _hooked_copy(node, copies, found)
    return copies.get(id(root), root)


def _schema_children(node: dict[str, Any] | list[Any] | tuple[Any, ...]) -> list[Any]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k not in _OPAQUE_KEYS]
    return list(node)


def _hooked_copy(
    node: dict[str, Any] | list[Any] | tuple[Any, ...],
    copies: dict[int, Any],
    found: list[type[Any]],
) -> Any:
    """One node copied over its children's copies; a model node wrapped."""
    if isinstance(node, list):
        return [copies.get(id(item), item) for item in node]
    if isinstance(node, tuple):
        return tuple(copies.get(id(item), item) for item in node)
    copied = {
        key: value if key in _OPAQUE_KEYS else copies.get(id(value), value)
        for key, value in node.items()
    }
    cls = node.get("cls")
    if (
        node.get("type") != "model"
        or not isinstance(cls, type)
        or not issubclass(cls, BaseModel)
    ):
        return copied
    found.append(cls)
    wrapped: dict[str, Any] = {
        "type": "function-wrap",
        "function": {"type": "with-info", "function": _model_hook(cls)},
        "schema": copied,
    }
    ref = copied.pop("ref", None)
    if ref is not None:  # definition references must reach the wrapper
        wrapped["ref"] = ref
    return wrapped


def _model_hook(cls: type[BaseModel]) -> Callable[..., Any]:
    cached = _hook_cache.get(cls)
    if cached is not None:
        return cached

    def hook(
        data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            context = info.context if isinstance(info.context, dict) else {}
            if not isinstance(data, Mapping):
                raise
            if context.get(_LENIENT):
                return _rebuild_leniently(cls, data, context)
            excused = _excused_fields(cls, context.get(_MODE))
            if not excused:
                raise
            remaining = _without_excused(exc, cls, excused)
            if not remaining:
                # e.g. a required read-only "id" absent from a request body.
                return _rebuild_leniently(cls, data, context, raise_errors=True)
            if len(remaining) < exc.error_count():
                raise _reraise(exc, remaining) from None
            raise

    return _hook_cache.setdefault(cls, hook)


# ---------------------------------------------------------------------------
# Lenient rebuilding


def _excused_fields(cls: type[BaseModel], mode: Any) -> frozenset[str]:
    if mode == "request":
        return cls.__clientgen_read_only__
    if mode == "response":
        return cls.__clientgen_write_only__
    return frozenset()


def _without_excused(
    exc: ValidationError, cls: type[BaseModel], names: frozenset[str]
) -> list[ErrorDetails]:
    """Errors of ``exc`` other than "missing" for excused top-level fields."""
    keys: set[str] = set()
    for name in names:
        field = cls.model_fields.get(name)
        keys.update(input_names(name, field) if field is not None else [name])
    return [
        err
        for err in exc.errors()
        if not (
            err["type"] == "missing" and len(err["loc"]) == 1 and err["loc"][0] in keys
        )
    ]


def _reraise(exc: ValidationError, errors: list[ErrorDetails]) -> ValidationError:
    """Rebuild ``exc`` with only ``errors``; falls back to ``exc`` if impossible."""
    details: list[InitErrorDetails] = []
    for err in errors:
        detail: InitErrorDetails = {
            "type": err["type"],
            "loc": err["loc"],
            "input": err["input"],
        }
        if "ctx" in err:
            detail["ctx"] = err["ctx"]
        details.append(detail)
    try:
        return ValidationError.from_exception_data(exc.title, details)
    except Exception:  # an error type that cannot be re-created by name
        return exc


def _rebuild_leniently(
    cls: type[BaseModel],
    data: Mapping[Any, Any],
    context: dict[str, Any],
    *,
    raise_errors: bool = False,
) -> BaseModel:
    """Build ``cls`` from ``data`` one field at a time.

    Fields that validate become typed values.  When ``raise_errors`` (a
    request whose only fault is an excused field), the first field that
    fails raises, and absent required fields are set to ``None``.  Otherwise
    (a lenient response) a field that fails or a required one that is absent
    gets no value at all: reading it raises :class:`InvalidFieldError`, and
    its raw value goes to the extras, under its JSON key.  Every field present
    in ``data`` counts as "set", so a model fetched and sent back round-trips
    the values the server gave us.
    """
    remaining = dict(data)
    values: dict[str, Any] = {}
    fields_set: set[str] = set()
    invalid: dict[str, _Invalid] = {}
    extra: dict[str, Any] = {}
    types_ = _field_types(cls)
    for name, field in cls.model_fields.items():
        key = next((k for k in wire_names(name, field) if k in remaining), None)
        if key is None:
            if not field.is_required():
                values[name] = field.get_default(call_default_factory=True)
            elif raise_errors:
                values[name] = None
            else:
                wire = output_name(name, field)
                invalid[name] = _Invalid(wire, MISSING, "required, absent", [])
            continue
        raw = remaining.pop(key)
        try:
            values[name] = _slow(types_[name]).validate_python(
                raw, context=context, by_name=False
            )
            fields_set.add(name)
        except ValidationError as exc:
            if raise_errors:
                raise
            extra[str(key)] = raw
            invalid[name] = _Invalid(
                str(key), raw, _reason(exc), exc.errors(include_url=False)
            )
    instance = cls.model_construct(_fields_set=fields_set, **values)
    # model_construct fills in defaults: a field without a valid value must
    # have none, so that reading it raises (BaseModel.__getattr__)
    for name in invalid:
        instance.__dict__.pop(name, None)
    # Extras go in directly: model_construct would otherwise try to match them
    # against field names and aliases again.
    extra.update((str(k), v) for k, v in remaining.items())
    instance.__pydantic_extra__ = extra
    if invalid:
        instance.__pydantic_private__ = {_INVALID: invalid}
        context[_FOUND] = True
        for name in invalid:
            if (cls, name) not in _warned:
                _warned.add((cls, name))
                _log.warning(
                    "%s.%s in a response does not fit its type (%s); reading "
                    "it raises InvalidFieldError (further cases not logged)",
                    cls.__name__,
                    name,
                    invalid[name].reason,
                )
    return instance


def _reason(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _locate(value: Any) -> None:
    """Complete the JSON paths of the invalid fields in a decoded response."""
    stack: list[tuple[Any, str]] = [(value, "$")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, BaseModel):
            for record in invalid_fields(node).values():
                record.path = path + _step(record.key)
            for name, field in type(node).model_fields.items():
                if name in node.__dict__:
                    child = node.__dict__[name]
                    stack.append((child, path + _step(output_name(name, field))))
        elif isinstance(node, (list, tuple)):
            stack.extend((v, path + _step(i)) for i, v in enumerate(node))
        elif isinstance(node, dict):
            stack.extend((v, path + _step(str(k))) for k, v in node.items())


def _strip_optional(type_: Any) -> Any:
    origin = typing.get_origin(type_)
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(type_)[0])
    if origin is Union or origin is types.UnionType:
        members = [arg for arg in typing.get_args(type_) if arg is not type(None)]
        if len(members) == 1:
            return _strip_optional(members[0])
    return type_


def _lenient_value(type_: Any, value: Any, context: dict[str, Any]) -> Any:
    """Best effort for a value that failed to validate as a whole.

    Containers are walked so one bad element does not demote its valid
    siblings to raw dicts; anything else is kept exactly as received.
    """
    type_ = _strip_optional(type_)
    origin = typing.get_origin(type_)
    args = typing.get_args(type_)
    if origin in _SEQUENCE_ORIGINS and isinstance(value, list) and args:
        return [_lenient_item(args[0], item, context) for item in value]
    if origin in _MAPPING_ORIGINS and isinstance(value, dict) and len(args) == 2:
        return {k: _lenient_item(args[1], v, context) for k, v in value.items()}
    return value


_SEQUENCE_ORIGINS = (list, tuple, set, frozenset, collections.abc.Sequence)
_MAPPING_ORIGINS = (dict, collections.abc.Mapping)


def _lenient_item(type_: Any, value: Any, context: dict[str, Any]) -> Any:
    try:
        return _slow(type_).validate_python(value, context=context, by_name=False)
    except ValidationError:
        return _lenient_value(type_, value, context)


# ---------------------------------------------------------------------------
# Public entry points


def parse_response(type_: Any, data: Any, *, strict: bool = False) -> Any:
    """Turn decoded JSON ``data`` into ``type_``.

    ``type_`` of ``None`` or ``Any`` returns the data unchanged.  Lenient mode
    (default) never raises; ``strict=True`` raises ``ResponseValidationError``.
    """
    if type_ is None or type_ is Any:
        return data
    try:
        value = _adapter(type_).validate_python(data, by_name=False)
    except ValidationError:
        value = _parse_slowly(type_, data, strict)
    if _renamed(type_):
        _repair(value, data)
    return value


def parse_json(
    type_: Any, content: bytes, *, strict: bool = False, max_depth: int = 512
) -> Any:
    """Like :func:`parse_response`, from the JSON text of a response body.

    Valid data goes from bytes to models inside pydantic-core.  Raises
    ``ValueError`` (from :func:`json.loads`) when ``content`` is not JSON,
    and a ``ResponseLimitError`` past ``max_depth`` levels of nesting or for
    an integer too long for Python to convert.
    """
    from ._limits import load_json

    if type_ is None or type_ is Any:
        return load_json(content, max_depth)
    # pydantic-core reads JSON numbers through float (16 digits and more
    # would be rounded on their way to a Decimal) and drops undeclared keys
    # spelled like an aliased field's Python name: both are repaired from
    # the JSON read again, so values keep JSON's own validation rules
    exact = _has_decimals(type_) and _long_number(content)
    data = None
    try:
        value = _adapter(type_).validate_json(content, by_name=False)
    except ValidationError:
        data = load_json(content, max_depth, exact=exact)
        value = _parse_slowly(type_, data, strict)
    if exact or _renamed(type_):
        if data is None:
            data = load_json(content, max_depth, exact=exact)
        _repair(value, data)
    return value


def _repair(value: Any, data: Any) -> None:
    """Walk ``value`` (decoded) beside ``data`` (what it was decoded from)
    and mend what pydantic-core gets wrong with an undeclared key spelled
    like an aliased field's Python name: from JSON text it drops the key (put
    back in the extras), from Python data it marks the field as set (unmarked).
    ``Decimal`` values get every digit of a number ``data`` spelled out."""
    stack: list[tuple[Any, Any]] = [(value, data)]
    while stack:
        node, raw = stack.pop()
        if isinstance(node, pydantic.BaseModel) and isinstance(raw, Mapping):
            extra = node.__pydantic_extra__
            declared = _declared_keys(type(node))
            for name, field in type(node).model_fields.items():
                key = next((k for k in wire_names(name, field) if k in raw), None)
                if key is not None and name in node.__dict__:
                    node.__dict__[name] = _digits(node.__dict__[name], raw[key])
                    stack.append((node.__dict__[name], raw[key]))
                if name in raw and name not in declared and extra is not None:
                    extra.setdefault(name, raw[name])
                    if key is None:
                        node.__pydantic_fields_set__.discard(name)
        elif isinstance(node, list) and isinstance(raw, list):
            for i, (item, raw_item) in enumerate(zip(node, raw, strict=False)):
                node[i] = _digits(item, raw_item)
                stack.append((node[i], raw_item))
        elif isinstance(node, dict) and isinstance(raw, Mapping):
            for k in [k for k in node if k in raw]:
                node[k] = _digits(node[k], raw[k])
                stack.append((node[k], raw[k]))


def _digits(value: Any, raw: Any) -> Any:
    """``value``, a ``Decimal`` read through float, with the digits of
    ``raw`` (a float that remembers how the JSON wrote it)."""
    text = getattr(raw, "text", None)
    if isinstance(value, decimal.Decimal) and isinstance(text, str):
        return type(value)(text)
    return value


_declared_cache: dict[type[Any], frozenset[str]] = {}


def _declared_keys(cls: type[pydantic.BaseModel]) -> frozenset[str]:
    keys = _declared_cache.get(cls)
    if keys is None:
        keys = frozenset(
            k for name, f in cls.model_fields.items() for k in wire_names(name, f)
        )
        _declared_cache[cls] = keys
    return keys


_renamed_cache: dict[Any, bool] = {}
_decimals_cache: dict[Any, bool] = {}
#: Digits and the decimal point as "0", every other byte as " ": a number
#: a float may not hold digit for digit shows as a run of 16 "0"s (found in
#: a fraction of the time a regular expression takes).
_DIGITS = bytes(48 if 48 <= b <= 57 or b == 46 else 32 for b in range(256))
_LONG_RUN = b"0" * 16


def _long_number(content: bytes) -> bool:
    return _LONG_RUN in content.translate(_DIGITS)


def _has_decimals(type_: Any) -> bool:
    """Whether ``Decimal`` values may be reached from ``type_``."""

    def search(t: Any) -> bool:
        stack, seen = [t], set()
        while stack:
            node = stack.pop()
            if node is decimal.Decimal:
                return True
            if isinstance(node, type) and issubclass(node, pydantic.BaseModel):
                if node not in seen:
                    seen.add(node)
                    stack.extend(_field_types(node).values())
            else:
                stack.extend(typing.get_args(node))
        return False

    return _cached(_decimals_cache, type_, search)


def _renamed(type_: Any) -> bool:
    """Whether a model reachable from ``type_`` has a field whose Python name
    is not its JSON key.

    An undeclared key spelled like such a name (``first_name`` next to the
    field ``first_name`` of key ``first-name``) is mishandled by
    pydantic-core: from JSON text it is dropped, and from Python data it is
    kept in the extras but also marks the field as set. Such types are
    decoded and then mended by :func:`_repair`.
    """
    return _cached(
        _renamed_cache,
        type_,
        lambda t: any(
            name != output_name(name, field)
            for cls in _models_leaves_first(t)
            for name, field in cls.model_fields.items()
        ),
    )


def _parse_slowly(type_: Any, data: Any, strict: bool) -> Any:
    try:
        return _slow(type_).validate_python(
            data, context={_MODE: "response"}, by_name=False
        )
    except ValidationError as exc:
        if strict:
            raise ResponseValidationError(
                f"Response does not match {_type_name(type_)}: {_describe(exc)}",
                errors=exc.errors(include_url=False),
            ) from exc
    context: dict[str, Any] = {_MODE: "response", _LENIENT: True}
    result = _lenient_item(type_, data, context)
    if context.get(_FOUND):
        _locate(result)
    return result


def parse_headers(
    type_: Any, headers: Mapping[str, str], *, strict: bool = False
) -> Any:
    """Parse response headers into ``type_``, matching aliases case-insensitively."""
    data = dict(headers.items())
    if isinstance(type_, type) and issubclass(type_, pydantic.BaseModel):
        by_lower = {
            key.lower(): key
            for name, field in type_.model_fields.items()
            for key in reversed(input_names(name, field))
        }
        data = {by_lower.get(key.lower(), key): value for key, value in data.items()}
    return parse_response(type_, data, strict=strict)


def validate_request(type_: Any, value: Any) -> Any:
    """Validate a request body before sending; raises ``RequestValidationError``."""
    if type_ is None or type_ is Any:
        return value
    value = _strip_not_given(value)
    try:
        return _adapter(type_).validate_python(value, by_name=False)
    except ValidationError:
        pass
    try:
        return _slow(type_).validate_python(
            value, context={_MODE: "request"}, by_name=False
        )
    except ValidationError as exc:
        raise RequestValidationError(
            f"Invalid request body for {_type_name(type_)}: {_describe(exc)}",
            errors=exc.errors(include_url=False),
        ) from exc


def _strip_not_given(value: Any) -> Any:
    """Drop ``NOT_GIVEN`` entries: generated code builds bodies from keyword
    arguments whose defaults are ``NOT_GIVEN``, meaning "leave the field out"."""
    if isinstance(value, dict):
        return {
            k: _strip_not_given(v)
            for k, v in value.items()
            if not isinstance(v, NotGiven)
        }
    if isinstance(value, list):
        return [_strip_not_given(v) for v in value if not isinstance(v, NotGiven)]
    return value


def _describe(exc: ValidationError) -> str:
    """Summarise pydantic errors as ``loc: message`` lines (inputs omitted,
    since request bodies may contain secrets)."""
    lines = [
        f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
        for err in exc.errors(include_url=False)
    ]
    return f"{len(lines)} error(s)\n  " + "\n  ".join(lines)


def _type_name(type_: Any) -> str:
    return getattr(type_, "__name__", None) or repr(type_)
