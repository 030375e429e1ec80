"""How values find their type: discriminated unions pick a member by the
value of one property, and literals match values of their own JSON type."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pydantic
from pydantic_core import core_schema

__all__ = ["EXACT", "ISO", "discriminator"]


class _Exact:
    """``Annotated[Literal[...], EXACT]``: the literal matches a value only of
    its own JSON type.

    pydantic compares literal values with ``==``, under which ``0`` is
    ``False``, ``1`` is ``True`` and ``1.0`` is ``1``; so a union such as
    ``Literal[False, "off"] | int`` would turn a ``0`` from the server into
    ``False``. A check before the literal refuses a boolean the literal does
    not list, and a number it does not list.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: pydantic.GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(
            _exact_check(typing.get_args(source)), handler(source)
        )

    def __repr__(self) -> str:
        return "EXACT"


def _exact_check(values: tuple[Any, ...]) -> Callable[[Any], Any]:
    bools = frozenset(v for v in values if isinstance(v, bool))
    numbers = frozenset(
        v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)
    )

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            if value not in bools:
                raise ValueError(f"{value!r} is not one of the literal's values")
        elif isinstance(value, (int, float)) and value not in numbers:
            raise ValueError(f"{value!r} is not one of the literal's values")
        return value

    return check


#: The marker generated code puts on literals that hold booleans or numbers.
EXACT = _Exact()


class _Iso:
    """``Annotated[datetime, ISO]``: a date, time or date-time in a union
    matches ISO 8601 text (or a value of its own type) only.

    pydantic also reads numbers, and numeric strings, as Unix times; in a
    union such as ``datetime | Decimal`` that turns ``"-16.51"`` into a
    date-time of 1969.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: pydantic.GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        pattern = _ISO_PATTERNS.get(source, _ISO_PATTERNS[dt.datetime])
        return core_schema.no_info_before_validator_function(
            _iso_check(pattern, source), handler(source)
        )

    def __repr__(self) -> str:
        return "ISO"


_ISO_PATTERNS = {
    dt.datetime: re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}"),
    dt.date: re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    dt.time: re.compile(r"[0-9]{2}:[0-9]{2}"),
}


def _iso_check(pattern: re.Pattern[str], kind: Any) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, str):
            if pattern.match(value) is None:
                raise ValueError(f"{value!r} is not an ISO 8601 {kind.__name__}")
        elif not isinstance(value, (dt.date, dt.time)):
            raise ValueError(f"a {kind.__name__} is written as ISO 8601 text")
        return value

    return check


#: The marker on dates and times that share a union with other types.
ISO = _Iso()


def discriminator(
    prop: str, tags: Mapping[str, str], members: Sequence[type[Any]] = ()
) -> pydantic.Discriminator:
    """A pydantic discriminator reading wire property ``prop``.

    ``tags`` maps each wire value to the tag (class name) of a union member.
    Raw data is looked up by wire name; model instances (when serializing or
    validating objects) answer with their own class name. Data whose tag is
    missing or unknown is tried against each of ``members`` (the classes, in
    order) and the closest is taken (see :func:`_closest`), so the result is
    always one of the models (a lenient decode then marks the fields that do
    not fit), never a plain dict.
    """
    names = frozenset(tags.values())

    def pick(value: Any) -> str | None:
        if isinstance(value, Mapping):
            raw = value.get(prop)
            tag = tags.get(raw) if isinstance(raw, str) else None
            return tag if tag is not None else _closest(value, members)
        name = type(value).__name__
        if name in names:
            return name
        return None

    return pydantic.Discriminator(pick)


def _closest(value: Mapping[Any, Any], members: Sequence[type[Any]]) -> str | None:
    """The member that fits ``value`` best: the fewest validation errors,
    then the fewest keys it does not know (the first wins a tie)."""
    from ._models import wire_names

    best: tuple[int, int, str] | None = None
    for cls in members:
        if not (isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)):
            continue
        try:
            cls.model_validate(value, by_name=False)
            errors = 0
        except pydantic.ValidationError as exc:
            errors = exc.error_count()
        known = {n for name, f in cls.model_fields.items() for n in wire_names(name, f)}
        score = (errors, len(set(value) - known), cls.__name__)
        if best is None or score[:2] < best[:2]:
            best = score
    return best[2] if best is not None else None
