"""How values find their type: discriminated unions pick a member by the
value of one property, and literals match values of their own JSON type."""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pydantic
from pydantic_core import core_schema

__all__ = ["EXACT", "discriminator"]


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
