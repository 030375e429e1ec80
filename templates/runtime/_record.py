"""``record``: the part of :func:`dataclasses.dataclass` the runtime uses, cheaply.

``dataclass`` compiles source code for every method of every class, which
costs a few hundred microseconds per class; the runtime declares over a dozen
and a generated client is imported at application start-up.  ``record``
builds the same methods from closures instead.  Type checkers see the real
``dataclass`` (modules import it under ``TYPE_CHECKING``), so constructor
calls are still checked.

Supported: fields with defaults or ``field(default_factory=...)``, positional
or keyword arguments, ``__repr__``, ``__eq__`` and, with ``frozen=True``,
immutability and ``__hash__``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import Any, TypeVar

__all__ = ["field", "record"]

_T = TypeVar("_T")
_MISSING: Any = object()


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A field whose default is made by calling ``default_factory``."""
    return _Factory(default_factory)


def record(*, frozen: bool = False) -> Callable[[type[_T]], type[_T]]:
    """Class decorator: add ``__init__``, ``__repr__`` and ``__eq__``."""

    def decorate(cls: type[_T]) -> type[_T]:
        _complete(cls, frozen)
        return cls

    return decorate


def _complete(cls: type[Any], frozen: bool) -> None:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name in klass.__dict__.get("__annotations__", {}):
            if name not in names:
                names.append(name)
    defaults: dict[str, Any] = {}
    for name in names:
        value = getattr(cls, name, _MISSING)
        if isinstance(value, _Factory):
            delattr(cls, name)
        if value is not _MISSING:
            defaults[name] = value
    fields = tuple(names)
    count = len(fields)
    qualname = cls.__qualname__

    known = frozenset(fields)
    plain = {k: v for k, v in defaults.items() if not isinstance(v, _Factory)}
    factories = {k: v for k, v in defaults.items() if isinstance(v, _Factory)}

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if args:
            if len(args) > count:
                raise TypeError(
                    f"{qualname}() takes {count} arguments, got {len(args)}"
                )
            for name, value in zip(fields, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"{qualname}() got multiple values for {name!r}")
                kwargs[name] = value
        if not known.issuperset(kwargs):
            unknown = ", ".join(sorted(kwargs.keys() - known))
            raise TypeError(f"{qualname}() got unexpected argument(s): {unknown}")
        values = {**plain, **kwargs}
        if len(values) < count:
            for name in fields:
                if name not in values:
                    factory = factories.get(name)
                    if factory is None:
                        raise TypeError(f"{qualname}() missing argument {name!r}")
                    values[name] = factory.make()
        # the instance's own dict (where a frozen record's fields live too),
        # in the order of the fields, as a dataclass fills it
        self.__dict__.update({name: values[name] for name in fields})

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in fields)
        return f"{qualname}({shown})"

    def values(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in fields)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(values(self) == values(other))

    methods: dict[str, Any] = {
        "__init__": __init__,
        "__repr__": __repr__,
        "__eq__": __eq__,
        "__hash__": None,
    }
    if frozen:

        def __hash__(self: Any) -> int:
            return hash(values(self))

        def __setattr__(self: Any, name: str, value: Any) -> None:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self: Any, name: str) -> None:
            raise FrozenInstanceError(f"cannot delete field {name!r}")

        methods.update(
            __hash__=__hash__, __setattr__=__setattr__, __delattr__=__delattr__
        )
    for name, method in methods.items():
        if method is not None:
            method.__qualname__ = f"{qualname}.{name}"
        setattr(cls, name, method)
    setattr(cls, "__match_args__", fields)  # noqa: B010 - mypy: read-only
