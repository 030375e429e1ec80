"""Discriminated unions: pick a union member by the value of one property."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pydantic

__all__ = ["discriminator"]


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
    from ._models import input_names

    best: tuple[int, int, str] | None = None
    for cls in members:
        if not (isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)):
            continue
        try:
            cls.model_validate(value)
            errors = 0
        except pydantic.ValidationError as exc:
            errors = exc.error_count()
        known = {
            n for name, f in cls.model_fields.items() for n in input_names(name, f)
        }
        score = (errors, len(set(value) - known), cls.__name__)
        if best is None or score[:2] < best[:2]:
            best = score
    return best[2] if best is not None else None
