"""A safe YAML loader with the YAML 1.2 core schema, that reports what it drops.

PyYAML resolves plain scalars by YAML 1.1: ``NO``, ``off`` and ``y`` become
booleans (the "Norway problem": ``enum: [NO, SE, DK]`` on a string schema
turned into ``[False, "SE", "DK"]``), ``010`` is eight and ``1:20`` is
eighty. OpenAPI documents are YAML 1.2, whose core schema knows only
``true``/``false`` as booleans and decimal, ``0o`` and ``0x`` integers: that
is what :func:`load_yaml` reads. It also keeps dates as strings (OpenAPI
wants strings), refuses integers too long to print, and collects duplicate
mapping keys (a later key silently replaces the earlier one) with their lines.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

#: Longer integers cannot be printed by Python (``sys.get_int_max_str_digits``).
MAX_INT_DIGITS = 4300

_CORE_RESOLVERS = (
    (
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        "tTfF",
    ),
    (
        "tag:yaml.org,2002:int",
        re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+.0123456789",
    ),
)
_DROPPED = frozenset(
    {
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    }
)
_MERGE = "tag:yaml.org,2002:merge"


class BadScalar(Exception):
    """A scalar that cannot be read (an integer too long to print, ``!!int x``)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int  # 1-based line of the key that wins
    first: int  # 1-based line of the key that is dropped


def parse_int(text: str) -> int:
    """A YAML 1.2 integer (``_`` separators of YAML 1.1 are tolerated).

    >>> parse_int("0x1F"), parse_int("-010"), parse_int("0o17")
    (31, -10, 15)
    """
    value = text.replace("_", "")
    sign = -1 if value.startswith("-") else 1
    digits = value.lstrip("+-")
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if digits.lower().startswith(prefix):
            number = int(digits[2:], base)
            # Python refuses to print an integer this long in decimal
            if number.bit_length() > MAX_INT_DIGITS * 3.32:  # log2(10) bits a digit
                raise ValueError(f"more than {MAX_INT_DIGITS} decimal digits")
            return sign * number
    if len(digits) > MAX_INT_DIGITS:
        raise ValueError(f"more than {MAX_INT_DIGITS} digits")
    return sign * int(digits, 10)


def _key_text(key: Any) -> str:
    """A mapping key as the loaded document spells it (see ``read._key``)."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


@functools.cache
def core_loader() -> type[Any]:
    """The loader class (C parser when available). Made on first use: reading
    a pyproject.toml or a JSON spec needs no YAML."""
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers: dict[Any, list[tuple[str, Any]]] = {
        first: [(tag, rx) for tag, rx in res if tag not in _DROPPED]
        for first, res in base.yaml_implicit_resolvers.items()
    }
    for tag, regexp, firsts in _CORE_RESOLVERS:
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, regexp))

    def construct_int(loader: Any, node: Any) -> int:
        try:
            return parse_int(loader.construct_scalar(node))
        except ValueError as exc:
            raise BadScalar(
                f"integer {str(node.value)[:40]!r}... cannot be read: {exc}",
                node.start_mark.line + 1,
            ) from None

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> Any:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = _key_text(loader.construct_object(key_node))
            line = key_node.start_mark.line + 1
            if key in seen:
                loader.duplicates.append(DuplicateKey(key, line, seen[key]))
            seen[key] = line
        return base.construct_mapping(loader, node, deep)

    cls: type[Any] = type(
        "_CoreLoader",
        (base,),
        {
            "yaml_implicit_resolvers": resolvers,
            "yaml_constructors": dict(base.yaml_constructors),
            "construct_mapping": construct_mapping,
        },
    )
    cls.add_constructor("tag:yaml.org,2002:int", construct_int)
    return cls


def load_yaml(text: str) -> tuple[Any, list[DuplicateKey]]:
    """The document in ``text`` and the duplicate keys it holds.

    Raises ``yaml.YAMLError`` for a syntax error and :class:`BadScalar` for a
    scalar that cannot be read.

    >>> load_yaml("enum: [NO, SE, 010, 0x10, true]")[0]
    {'enum': ['NO', 'SE', 10, 16, True]}
    """
    loader = core_loader()(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, loader.duplicates
