"""Discriminated unions: pick a union member by the value of one property."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic

__all__ = ["discriminator"]


def discriminator(prop: str, tags: Mapping[str, str]) -> pydantic.Discriminator:
    """A pydantic discriminator reading wire property ``prop``.

    ``tags`` maps each wire value to the tag (class name) of a union member.
    Raw data is looked up by wire name; model instances (when serializing or
    validating objects) answer with their own class name. An unknown value
    yields no tag, which fails validation; lenient response parsing then
    keeps the raw data.
    """
    members = frozenset(tags.values())

    def pick(value: Any) -> str | None:
        if isinstance(value, Mapping):
            raw = value.get(prop)
            return tags.get(raw) if isinstance(raw, str) else None
        name = type(value).__name__
        if name in members:
            return name
        return None

    return pydantic.Discriminator(pick)
