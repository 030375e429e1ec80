"""Problems found in a spec, as data.

Every stage reports what it finds into a :class:`Diagnostics` collector
instead of raising; the CLI prints them all at the end. Only a problem that
makes the output unusable is an ``error``; anything repairable is a
``warning`` and has already been repaired when it is reported.

A bug in clientgen itself is not the spec's fault: it becomes one
``error[internal]`` (:class:`InternalError`) at the element being generated
when it showed (:func:`element`), and the CLI exits 3.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
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
        """One line for a terminal: control characters from the spec are escaped
        (:func:`printable`); ``--format json`` keeps them exact."""
        where = self.file or "<spec>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return printable(
            f"{where}: {self.level}[{self.code}] {self.message} (at #{self.pointer})"
        )

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

    @staticmethod
    def element(pointer: str) -> contextlib.AbstractContextManager[None]:
        """The builder is working on the spec element at ``pointer``; see :func:`element`."""
        return element(pointer)

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


#: C0 and C1 controls (ESC, BEL, CSI, OSC, newline...), and the invisible
#: formatting characters that reorder or hide text (bidi overrides, zero-width).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: each control or invisible
    formatting character becomes a Python escape (``\\x1b``, ``\\u202e``).

    >>> print(printable("ok" + chr(27) + "[31mred"))
    ok\\x1b[31mred
    """
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


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


#: The one line that asks for a bug report (the end of every ``error[internal]``).
REPORT_BUG = "this is a bug in clientgen; please report it with the description"


class InternalError(Exception):
    """A bug in clientgen itself, not in the user's input: the CLI exits 3.

    Carries the diagnostics gathered so far, the last of them the
    ``error[internal]`` that says what failed and at which element; the
    exception that revealed the bug (if any) is its ``__cause__``.
    """

    def __init__(self, diagnostics: Diagnostics, text: str | None = None) -> None:
        super().__init__(
            "; ".join(d.message for d in diagnostics if d.code == "internal")
        )
        self.diagnostics = diagnostics
        self.text = text  # the spec's text, to give the pointer a line


def internal_error(
    diags: Diagnostics, problem: str, pointer: str = "", text: str | None = None
) -> InternalError:
    """Report ``problem`` (one line) as ``error[internal]`` at ``pointer``.

    >>> err = internal_error(Diagnostics(), "models.py does not compile", "/x")
    >>> [d.code for d in err.diagnostics]
    ['internal']
    """
    diags.error("internal", f"{problem}; {REPORT_BUG}", pointer)
    return InternalError(diags, text)


def bug(
    diags: Diagnostics, exc: BaseException, text: str | None = None
) -> InternalError:
    """``exc``, which escaped a stage, as an :class:`InternalError` at the
    innermost element it escaped from (see :func:`element`)."""
    lines = str(exc).strip().splitlines()
    what = type(exc).__name__ + (f": {lines[0]}" if lines else "")
    if len(what) > 200:
        what = what[:197] + "..."
    pointer = pointer_of(exc) or ""
    err = internal_error(diags, f"clientgen failed ({what})", pointer, text)
    err.__cause__ = exc
    return err


_POINTER = "clientgen_pointer"


@contextlib.contextmanager
def element(pointer: str) -> Iterator[None]:
    """Mark the spec element being generated while the block runs.

    An exception escaping the block is tagged with ``pointer`` unless an
    inner block tagged it already (the innermost element wins), and gets a
    note "while generating #pointer" for ``--debug`` tracebacks. The
    pipeline turns it into ``error[internal]`` at that pointer::

        for key in sorted(schemas):
            with diags.element(pointer_join("/components/schemas", key)):
                build_one(key)
    """
    try:
        yield
    except Exception as exc:
        if getattr(exc, _POINTER, None) is None:
            setattr(exc, _POINTER, pointer)
            exc.add_note(f"while generating #{pointer}")
        raise


def pointer_of(exc: BaseException) -> str | None:
    """The innermost element ``exc`` escaped from, if it escaped one."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        pointer = getattr(current, _POINTER, None)
        if isinstance(pointer, str):
            return pointer
        current = current.__cause__ or current.__context__
    return None


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)
