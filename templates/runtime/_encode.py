"""Request bodies as JSON: models through pydantic-core, the rest in Python.

A model sent as a body is written by pydantic-core in one call: only the
fields the caller set, never its read-only fields, exact numbers
(:data:`ExactNumber`) as JSON numbers. Each model class gets a second
serializer for that (:func:`_send_serializer`), built once from the class's
own core schema with its read-only fields (and those of every model inside
it) excluded, so nothing is decided per call in Python. JSON has no way to
say "this string is a number", so that serializer writes an exact number as
a string tagged with a mark that is random per process; the tag and its
quotes are taken off the bytes afterwards. Everything else (dicts, lists, a
caller's own values) goes through :func:`encode_json`, which gives plain
JSON data in which exact numbers are :class:`JsonNumber`.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import os
import threading
import typing
import uuid
import weakref
from collections.abc import Mapping
from typing import Annotated, Any

import pydantic
from pydantic_core import (
    PydanticSerializationError,
    SchemaError,
    SchemaSerializer,
    core_schema,
    to_jsonable_python,
)

from ._models import BaseModel
from ._types import NotGiven

__all__ = [
    "DecimalString",
    "ExactNumber",
    "JsonNumber",
    "encode_json",
    "keep_given",
    "model_json",
    "non_finite",
]

#: Random per process (48 bits, never sent), so no string a caller sends can
#: look like a tag. Short: every byte of it is scanned and copied twice per
#: exact number (26 characters cost 9% more than 12 on a 20-line invoice).
_MARK = os.urandom(6).hex()
_MARK_BYTES = _MARK.encode("ascii")


def _number_json(value: decimal.Decimal) -> Any:
    """JSON form of an :data:`ExactNumber` in a caller's ``model_dump_json``:
    pydantic's own, a string. (A request body is written by the sending
    serializer, which puts :func:`_tagged_number` in this one's place.)"""
    return str(value)


def _tagged_number(value: decimal.Decimal) -> Any:
    """An :data:`ExactNumber` while a body is written: its digits, tagged."""
    if not value.is_finite():
        return float(value)  # NaN, Infinity: refused by the body writer
    return _MARK + str(value) + _MARK


_ANY = core_schema.any_schema()


class _ExactNumberSchema:
    """The schema of an :data:`ExactNumber`: pydantic's own ``Decimal``, with
    :func:`_number_json` as its JSON serializer, returning any value (so the
    JSON schema of a dump is ``{}``, as ``PlainSerializer`` makes it). Unlike
    ``PlainSerializer``, it does not infer the function's return type from
    its annotations at every use (a third of the schema build of an invoice)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: pydantic.GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema: dict[str, Any] = dict(handler(source))
        schema["serialization"] = core_schema.plain_serializer_function_ser_schema(
            _number_json, return_schema=_ANY, when_used="json"
        )
        return typing.cast(core_schema.CoreSchema, schema)


#: A number (``format: decimal``) held as a ``Decimal`` and sent as an exact
#: JSON number: ``Decimal("0.1") + Decimal("0.2")`` goes out as ``0.3``.
ExactNumber = Annotated[decimal.Decimal, _ExactNumberSchema()]


class DecimalText(decimal.Decimal):
    """A ``Decimal`` the API writes as a JSON string (``type: string,
    format: decimal``): sent back as a string, with its digits as they were.
    Arithmetic on it gives a plain ``Decimal``."""

    __slots__ = ()


def _as_text(value: decimal.Decimal | str) -> DecimalText:
    return value if type(value) is DecimalText else DecimalText(value)


#: What a decimal written as a string looks like (JSON Schema has no
#: pattern for it; this is JSON's own number syntax, sign allowed).
_DECIMAL_TEXT = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"


class _DecimalStringSchema:
    """Validation of a :data:`DecimalString`: from JSON, a string of digits
    only (a JSON number belongs to another member of a union); from Python,
    also a ``Decimal``."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: pydantic.GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        to_text = core_schema.no_info_plain_validator_function(_as_text)
        text = core_schema.chain_schema(
            [core_schema.str_schema(pattern=_DECIMAL_TEXT), to_text]
        )
        given = core_schema.chain_schema(
            [core_schema.is_instance_schema(decimal.Decimal), to_text]
        )
        return core_schema.json_or_python_schema(
            json_schema=text,
            python_schema=core_schema.union_schema([given, text]),
            # written as a Decimal (a string): pydantic-core's decimal
            # serializer, which its typed helpers do not name
            serialization=typing.cast(core_schema.SerSchema, {"type": "decimal"}),
        )


#: A decimal written as a JSON string (``"12.50"``), held as a ``Decimal``.
DecimalString = Annotated[decimal.Decimal, _DecimalStringSchema()]


class JsonNumber:
    """A JSON number spelled exactly (a ``Decimal``): float would round it.

    :func:`encode_json` makes these; the request body writer
    (``_body.json_bytes``) puts the text into the JSON as it is.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"JsonNumber({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def non_finite(payload: bytes) -> bool:
    """Whether JSON bytes written by pydantic-core hold ``NaN`` or
    ``Infinity`` (``ser_json_inf_nan="constants"``), which JSON cannot carry.
    A string that spells them only sends the body to the exact writer."""
    return b"NaN" in payload or b"Infinity" in payload


def model_json(model: BaseModel) -> bytes | None:
    """``model`` as the JSON bytes of a request body, written by pydantic-core;
    ``None`` when it holds a value only :func:`encode_json` can judge
    (a non-finite float, an object that is not JSON)."""
    payload = _sent(model, as_bytes=True)
    if not isinstance(payload, bytes) or non_finite(payload):
        return None
    if _MARK_BYTES in payload:
        quoted_open, quoted_close = b'"' + _MARK_BYTES, _MARK_BYTES + b'"'
        payload = payload.replace(quoted_open, b"").replace(quoted_close, b"")
    return payload


def _encode_model(model: BaseModel) -> Any:
    data = _sent(model, as_bytes=False)
    if data is None:  # judged field by field, in Python
        data = dict(_model_items(model))
    return _untag(data)


def _sent(model: BaseModel, *, as_bytes: bool) -> Any:
    """``model`` as pydantic-core writes it for a request body (fields the
    caller set, read-only ones left out, exact numbers tagged): JSON bytes,
    or JSON-compatible data; ``None`` where pydantic-core cannot say."""
    serializer = _send_serializer(type(model))
    if serializer is None:
        return None
    try:
        if as_bytes:
            return serializer.to_json(model, by_alias=True, exclude_unset=True)
        return serializer.to_python(
            model, mode="json", by_alias=True, exclude_unset=True
        )
    except (PydanticSerializationError, ValueError, TypeError):
        return None


#: weak: a model class made at run time may go away with its serializer
_send_serializers: weakref.WeakKeyDictionary[type[Any], SchemaSerializer | None] = (
    weakref.WeakKeyDictionary()
)
_building = threading.Lock()


def _send_serializer(cls: type[BaseModel]) -> SchemaSerializer | None:
    """The serializer that writes ``cls`` as a request body; ``None`` when
    pydantic-core cannot build it (the body is then written in Python)."""
    try:
        return _send_serializers[cls]
    except KeyError:
        pass
    with _building:
        if cls not in _send_serializers:
            _send_serializers[cls] = _build_send_serializer(cls)
        return _send_serializers[cls]


def _build_send_serializer(cls: type[BaseModel]) -> SchemaSerializer | None:
    try:
        cls.model_rebuild()  # a deferred class gets its core schema
        schema: Any = cls.__pydantic_core_schema__
        models: set[type[Any]] = set()
        for_sending = _for_sending(schema, None, models)
        config = schema.get("config") if schema.get("type") == "model" else None
    except (pydantic.PydanticUserError, NameError, AttributeError, TypeError):
        return None  # e.g. a name a model refers to is missing: written in Python
    except RecursionError:
        return None  # models nested hundreds deep: written in Python
    # pydantic-core reuses the ready serializer of a complete model class in
    # place of the schema given for it; marked incomplete, each class is
    # built from the schema above. Only this thread builds (``_building``)
    # and every flag is put back before the lock is released.
    flipped = [c for c in models if c.__dict__.get("__pydantic_complete__") is True]
    for c in flipped:
        c.__pydantic_complete__ = False
    try:
        return SchemaSerializer(for_sending, config)
    except (SchemaError, TypeError, ValueError):
        return None
    finally:
        for c in flipped:
            c.__pydantic_complete__ = True


def _for_sending(node: Any, owner: type[Any] | None, models: set[type[Any]]) -> Any:
    """A copy of the core schema ``node`` for writing request bodies: each
    model's read-only fields excluded, exact numbers tagged, a union of
    plain JSON values written by the value's own type. ``owner`` is the
    model whose fields ``node`` (or the schema it wraps) holds."""
    if isinstance(node, list):
        return [_for_sending(item, None, models) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "model":
        owner = node["cls"]
        models.add(node["cls"])
    out = {}
    for key, value in node.items():
        out[key] = _for_sending(value, owner if key == "schema" else None, models)
    if kind == "model-fields" and owner is not None:
        read_only: frozenset[str] = getattr(
            owner, "__clientgen_read_only__", frozenset()
        )
        out["fields"] = {
            name: (
                dict(field, serialization_exclude=True) if name in read_only else field
            )
            for name, field in out["fields"].items()
        }
    serialization = out.get("serialization")
    if isinstance(serialization, dict) and serialization.get("function") is (
        _number_json
    ):
        out["serialization"] = dict(serialization, function=_tagged_number)
    if kind == "union" and all(_plain(choice) for choice in out["choices"]):
        # ``Literal["a", "b"] | str``: trying each member in turn (what a
        # union does) comes to what the value's type says, at a tenth the cost
        return {"type": "any"}
    return out


#: Core schemas whose values JSON writes as they are (no model, no number
#: that needs its digits, no serializer of its own).
_PLAIN = frozenset({"literal", "str", "int", "bool", "none", "float"})


def _plain(choice: Any) -> bool:
    schema = choice[0] if isinstance(choice, tuple) else choice
    return (
        isinstance(schema, dict)
        and schema.get("type") in _PLAIN
        and "serialization" not in schema
    )


def _model_items(model: BaseModel) -> list[tuple[str, Any]]:
    from ._models import output_name

    read_only = type(model).__clientgen_read_only__
    items = [
        (output_name(name, field), encode_json(model.__dict__[name]))
        for name, field in type(model).model_fields.items()
        if name in model.__pydantic_fields_set__
        and name in model.__dict__
        and name not in read_only
        and not isinstance(model.__dict__[name], NotGiven)
    ]
    keys = {key for key, _ in items}
    items += [
        (str(k), encode_json(v))
        for k, v in (model.__pydantic_extra__ or {}).items()
        if k not in keys and not isinstance(v, NotGiven)
    ]
    return items


def _untag(value: Any) -> Any:
    """Tagged exact numbers in ``value`` as :class:`JsonNumber`."""
    kind = type(value)
    if kind is str:
        if (
            value.startswith(_MARK)
            and value.endswith(_MARK)
            and len(value) > 2 * len(_MARK)
        ):
            return JsonNumber(value[len(_MARK) : -len(_MARK)])
        return value
    if kind is dict:
        return {k: _untag(v) for k, v in value.items()}
    if kind is list:
        return [_untag(v) for v in value]
    return value


#: Types whose values are already JSON (``bool`` is an ``int``; enums are not
#: in here since ``type(x)`` of a member is its enum class).
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def encode_json(value: Any) -> Any:
    """Convert ``value`` to plain JSON-compatible data for a request body.

    Models contribute only fields the caller set (so defaults are never sent
    by accident) and never their read-only fields.  ``NOT_GIVEN`` entries in
    dicts are dropped.
    """
    kind = type(value)
    if kind in _JSON_SCALARS:
        return value
    if kind is dict:
        return {
            str(encode_json(k)): encode_json(v)
            for k, v in value.items()
            if not isinstance(v, NotGiven)
        }
    if kind is list:
        return [encode_json(item) for item in value if not isinstance(item, NotGiven)]
    if isinstance(value, BaseModel):
        return _encode_model(value)
    if isinstance(value, bool) or (
        isinstance(value, (str, int, float)) and not isinstance(value, enum.Enum)
    ):
        return value
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {
            str(encode_json(k)): encode_json(v)
            for k, v in value.items()
            if not isinstance(v, NotGiven)
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        return [encode_json(item) for item in value if not isinstance(item, NotGiven)]
    if isinstance(value, enum.Enum):
        return encode_json(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return to_jsonable_python(value)  # as in a model: UTC as "Z"
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, DecimalText):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return _encode_decimal(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _encode_decimal(value: decimal.Decimal) -> int | float | JsonNumber:
    if not value.is_finite():
        return float(value)  # NaN, Infinity: refused by the body writer
    if value == value.to_integral_value() and value.adjusted() < 64:
        return int(value)
    # str() of a finite Decimal is a JSON number ("0.3", "1.20", "1E-7")
    return JsonNumber(str(value))


def keep_given(given: Any, checked: Any) -> Any:
    """``given`` (a caller's body) encoded as given, except where validating
    it (``checked``: the validated body, encoded) had to change its spelling
    for the schema: a numeric string for a number, a number for a decimal
    written as a string. Keys and values the schema does not know, or would
    coerce (``true`` into ``1``), go out as the caller wrote them."""
    if isinstance(given, NotGiven):
        return given
    if isinstance(given, Mapping) and isinstance(checked, dict):
        return {
            str(k): keep_given(v, checked[k]) if k in checked else encode_json(v)
            for k, v in given.items()
            if not isinstance(v, NotGiven)
        }
    if (
        isinstance(given, (list, tuple))
        and isinstance(checked, list)
        and len(given) == len(checked)
        and not any(isinstance(v, NotGiven) for v in given)
    ):
        return [keep_given(g, c) for g, c in zip(given, checked, strict=True)]
    if isinstance(given, str) and isinstance(checked, JsonNumber):
        return checked  # a numeric string given for an exact number
    if (
        isinstance(given, (decimal.Decimal, int, float))
        and not isinstance(given, bool)
        and isinstance(checked, str)
    ):
        return checked
    return encode_json(given)
