"""Module attributes that import their module on first look-up (PEP 562)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module

__all__ = ["lazy_names"]


def lazy_names(
    package: str, sources: Mapping[str, str], namespace: MutableMapping[str, object]
) -> Callable[[str], object]:
    """A module ``__getattr__`` for the names in ``sources``.

    ``sources`` maps each name to the module holding it, relative to
    ``package`` (``".invoices"``, ``".._front"``); the value found is stored in
    ``namespace`` (the module's globals), so later look-ups skip the hook::

        __getattr__ = lazy_names(__name__, {"Invoices": ".invoices"}, globals())
    """

    def __getattr__(name: str) -> object:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(source, package), name)
        namespace[name] = value
        return value

    return __getattr__
