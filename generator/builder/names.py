"""Python identifiers: made once, here, and never in a template.

:class:`PyName` values can only hold a valid, non-reserved identifier.
:class:`Namespace` hands out unique names; a clash is resolved by a suffix
derived from the original spec name itself, so adding a schema or an
operation to a spec never renames an existing class or method.
"""

from __future__ import annotations

import functools
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")

#: Names a generated module uses for itself; spec names must not shadow them.
RESERVED = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | {"self", "cls", "None", "True", "False"}
)


def is_safe(name: str) -> bool:
    """Is ``name`` a valid identifier that is not a keyword?"""
    return name.isidentifier() and not keyword.iskeyword(name)


class PyName(str):
    """A string that is a valid, non-keyword Python identifier."""

    __slots__ = ()

    def __new__(cls, value: str) -> PyName:
        if not value.isidentifier() or keyword.iskeyword(value):
            raise ValueError(f"not a safe Python identifier: {value!r}")
        return super().__new__(cls, value)


def ascii_fold(text: str) -> str:
    """Strip accents so ``Prénom`` becomes ``Prenom``; other letters stay."""
    if text.isascii():
        return text  # both normalizations leave ASCII as it is
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Split a spec name into words: ``getHTTPResponse_code`` → get, HTTP, Response, code."""
    return list(_words(text))


# A large description names the same properties thousands of times; these
# pure functions of a string are computed once per string.
@functools.lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    text = ascii_fold(text)
    text = _CAMEL_1.sub(r"\1 \2", text)
    text = _CAMEL_2.sub(r"\1 \2", text)
    parts = [p for p in _WORD_SPLIT.split(text) if p]
    if not parts:
        # Entirely non-ASCII names (e.g. Cyrillic): keep identifier characters.
        kept = "".join(ch if ch.isidentifier() or ch.isdigit() else " " for ch in text)
        parts = [p for p in kept.split() if p]
    return tuple(parts)


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _fix_identifier(name: str, fallback: str) -> str:
    if not name:
        name = fallback
    if not (name[0].isalpha() or name[0] == "_"):
        name = f"{fallback}_{name}" if fallback else f"n{name}"
    if not name.isidentifier():
        # characters that may continue an identifier (digits such as "²"
        # may not), everything else an underscore
        name = "".join(ch if ("a" + ch).isidentifier() else "_" for ch in name)
        if not name.isidentifier():
            name = f"n{name}"
    if name in RESERVED or keyword.iskeyword(name):
        name += "_"
    return name


@functools.lru_cache(maxsize=1 << 16)
def snake(text: str, *, fallback: str = "value") -> PyName:
    """``firstName`` / ``first-name`` / ``FIRST NAME`` → ``first_name``."""
    name = "_".join(w.lower() for w in _words(text)).strip("_")
    return PyName(_fix_identifier(name, fallback))


@functools.lru_cache(maxsize=1 << 16)
def pascal(text: str, *, fallback: str = "Model") -> PyName:
    """``invoice_line`` → ``InvoiceLine``; all-caps words are kept (``VLAN``)."""
    text = unicodedata.normalize("NFKC", text)
    if text.isidentifier() and text[:1].isupper() and not keyword.iskeyword(text):
        return PyName(_fix_identifier(text, fallback))
    name = "".join(
        w.capitalize() if w.isupper() else w[:1].upper() + w[1:] for w in _words(text)
    ).strip("_")
    return PyName(_fix_identifier(name, fallback))


def upper_snake(text: str) -> str:
    return "_".join(w.upper() for w in words(text)) or "VALUE"


def derives(name: str, wanted: str) -> bool:
    """Could :meth:`Namespace.claim` have made ``name`` from ``wanted``?"""
    if name in (wanted, wanted + "_"):
        return True
    base = wanted if wanted.endswith("_") else wanted + "_"
    tail = name[len(base) :]
    return (
        name.startswith(base)
        and len(tail) == 6
        and all(c in "0123456789abcdef" for c in tail)
    )


def _in_claim_order(pinned: Sequence[str], origin: str) -> list[str]:
    """An origin's pinned names in the order its claims made them.

    One origin can claim a name more than once (an inline schema reached
    by several paths): the first claim got the plain name, the next ones
    the suffixes made from ``origin``, ``origin + "2"``, ... in turn. The
    record keeps the names sorted; handing them out in that order would
    give the n-th claim another claim's name on every regeneration.
    """
    if len(pinned) < 2:
        return list(pinned)
    rank: dict[str, int] = {}
    for n in range(1, len(pinned) + 64):
        rank.setdefault(_short_hash(origin + (str(n) if n > 1 else "")), n)

    def order(name: str) -> tuple[int, str]:
        head, sep, tail = name.rpartition("_")
        return (rank.get(tail, 0) if sep and head else 0, name)

    return sorted(pinned, key=order)


class Namespace:
    """Hands out unique names within one scope.

    ``claim(wanted, origin)`` returns ``wanted`` if it is free, otherwise the
    wanted name with a short suffix made from ``origin`` (the raw name in the
    spec, or the method and path of an operation). The suffix depends only on
    ``origin``, never on what was claimed before, so names stay stable when a
    spec grows.

    Which of two colliding origins gets the plain name still depends on the
    order of the claims; ``pins`` (origin → the names it got last time, see
    :class:`NameBook`) settle that: an origin gets its old name back, and no
    other origin may take it. A pin only holds while the name could still be
    made from what the origin wants (a rename in the configuration wins).
    """

    def __init__(
        self,
        taken: set[str] | frozenset[str] = frozenset(),
        pins: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        # Names reserved up front (keywords of the scope) clash into ``name_``;
        # names claimed later clash into a suffix made from the origin.
        self._reserved: frozenset[str] = frozenset(taken)
        self._taken: set[str] = set(taken)
        self._pins = {
            origin: _in_claim_order(
                [n for n in names if n not in self._reserved], origin
            )
            for origin, names in (pins or {}).items()
        }
        self._pinned = {n for names in self._pins.values() for n in names}
        #: (origin, wanted, name) of every claim, in order
        self.claims: list[tuple[str, str, str]] = []
        self._given: dict[tuple[str, str], PyName] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._taken

    def reserve(self, name: str) -> None:
        self._taken.add(name)

    def claim(
        self, wanted: str, origin: str, *, avoid: AbstractSet[str] = frozenset()
    ) -> PyName:
        """A free name for ``origin``; names in ``avoid`` count as taken.

        ``avoid`` holds names that belong to someone else without being
        claimed yet, e.g. the JSON keys of a model's other properties: a
        field named ``a_b`` for the key ``a-b`` would also pick up the key
        ``a_b`` when pydantic validates by name.
        """
        again = self._given.get((origin, wanted))
        if again is not None:
            # the same element asking again (a model rebuilt after a merge)
            # gets the same name: a second claim would waste a suffix
            return again
        name = self._claim(wanted, origin, avoid)
        self.claims.append((origin, wanted, name))
        self._given[(origin, wanted)] = name
        return name

    def claim_first(self, candidates: Sequence[str], origin: str) -> PyName | None:
        """The first of ``candidates`` that is free, as is (no suffix, no
        trailing ``_``); the one a pin gave ``origin`` before wins. None
        when every candidate is taken: the caller decides what then."""
        safe = [c if is_safe(c) else _fix_identifier(c, "name") for c in candidates]
        for wanted in safe:
            again = self._given.get((origin, wanted))
            if again is not None:
                return again
        chosen: str | None = None
        for pinned in self._pins.get(origin, ()):
            # only a candidate itself: a suffixed name of an older build
            # gives way to a name that means something
            if pinned not in self._taken and pinned in safe:
                chosen = pinned
                break
        if chosen is None:
            chosen = next((c for c in safe if not self._busy(c)), None)
        if chosen is None:
            return None
        name = PyName(chosen)
        self._taken.add(name)
        self.claims.append((origin, chosen, name))
        self._given[(origin, chosen)] = name
        return name

    def _busy(self, name: str, avoid: AbstractSet[str] = frozenset()) -> bool:
        return name in self._taken or name in self._pinned or name in avoid

    def _claim(self, wanted: str, origin: str, avoid: AbstractSet[str]) -> PyName:
        if not is_safe(wanted):
            # any text may be wanted (a rename, an x-clientgen-name, a
            # keyword derived from a path): the name given out is always safe
            wanted = _fix_identifier(wanted, "name")
        for pinned in self._pins.get(origin, ()):
            if (
                pinned not in self._taken
                and pinned not in avoid
                and derives(pinned, wanted)
            ):
                self._taken.add(pinned)
                return PyName(pinned)
        name = wanted
        if name in self._reserved and not self._busy(name + "_", avoid):
            name = name + "_"
        if self._busy(name, avoid):
            base = wanted if wanted.endswith("_") else wanted + "_"
            name = f"{base}{_short_hash(origin)}"
            n = 2
            while self._busy(name, avoid):
                name = f"{base}{_short_hash(origin + str(n))}"
                n += 1
        self._taken.add(name)
        return PyName(name)


#: A name pinned by a previous build: (scope, origin, name).
NameRecord = tuple[str, str, str]


class NameBook:
    """The namespaces of one build, by scope, pinned by a previous build's names."""

    def __init__(self, pins: Iterable[NameRecord] = ()) -> None:
        self._pins: dict[str, dict[str, list[str]]] = {}
        for scope, origin, name in pins:
            self._pins.setdefault(scope, {}).setdefault(origin, []).append(name)
        self._spaces: dict[str, Namespace] = {}

    def namespace(
        self, scope: str, taken: set[str] | frozenset[str] = frozenset()
    ) -> Namespace:
        ns = Namespace(taken, self._pins.get(scope))
        self._spaces[scope] = ns
        return ns

    def record(self) -> tuple[tuple[str, str, str, str], ...]:
        """Every claim: (scope, origin, wanted, name), sorted."""
        return tuple(
            sorted(
                {
                    (scope, o, w, n)
                    for scope, ns in self._spaces.items()
                    for o, w, n in ns.claims
                }
            )
        )
