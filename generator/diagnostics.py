"""Problems found in a spec, as data.

Every stage reports what it finds into a :class:`Diagnostics` collector
instead of raising; the CLI prints them all at the end. Only a problem that
makes the output unusable is an ``error``; anything repairable is a
``warning`` and has already been repaired when it is reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Literal

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem: what, and where (JSON pointer, and file:line when known)."""

    level: Level
    code: str
    message: str
    pointer: str = ""
    file: str | None = None
    line: int | None = None

    def render(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.level}[{self.code}] {self.message} (at #{self.pointer})"

    def as_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "pointer": "#" + self.pointer,
            "file": self.file,
            "line": self.line,
        }


class Diagnostics:
    """An ordered, de-duplicated collection of diagnostics."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []
        self._seen: set[tuple[str, str, str]] = set()
        #: pointers of the spec elements being built, innermost last
        self.elements: list[str] = []

    @contextmanager
    def element(self, pointer: str) -> Iterator[None]:
        """Mark the spec element being built (for reports of generator bugs)."""
        self.elements.append(pointer)
        try:
            yield
        finally:
            self.elements.pop()

    def add(self, diag: Diagnostic) -> None:
        key = (diag.code, diag.pointer, diag.message)
        if key not in self._seen:
            self._seen.add(key)
            self._items.append(diag)

    def warn(self, code: str, message: str, pointer: str = "") -> None:
        self.add(Diagnostic("warning", code, message, pointer))

    def info(self, code: str, message: str, pointer: str = "") -> None:
        """Something worth knowing that is not a problem (never fails a run)."""
        self.add(Diagnostic("info", code, message, pointer))

    def error(self, code: str, message: str, pointer: str = "") -> None:
        self.add(Diagnostic("error", code, message, pointer))

    def extend(self, other: Diagnostics) -> None:
        for diag in other:
            self.add(diag)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def has_errors(self) -> bool:
        return any(d.level == "error" for d in self._items)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if d.level == "warning"]

    def located(self, locate: Callable[[Diagnostic], Diagnostic]) -> list[Diagnostic]:
        """The diagnostics with file and line filled in by ``locate``."""
        return [locate(d) for d in self._items]


def with_location(diag: Diagnostic, file: str | None, line: int | None) -> Diagnostic:
    return replace(diag, file=diag.file or file, line=diag.line or line)


def to_json(diags: list[Diagnostic]) -> str:
    return json.dumps([d.as_json() for d in diags], indent=2)


class SpecError(Exception):
    """Raised when the input cannot be turned into a package at all.

    Carries the diagnostics gathered so far; the CLI prints them and exits 2.
    """

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(
            "; ".join(d.message for d in diagnostics if d.level == "error")
        )
        self.diagnostics = diagnostics


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)
