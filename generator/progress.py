"""Stage progress on one updating terminal line, for large specs.

Only when stderr is a terminal (and not ``--quiet`` or ``--format json``):
the pipeline reports its stages (load, validate, build, render, format n/N
files, write) and the line is rewritten in place, then erased before
anything else is printed. When stderr is not a terminal nothing at all is
written, so logs and CI output stay clean.

The pipeline calls the module functions (:func:`stage`, :func:`count`);
they go to the :class:`Progress` made active by the command line with
:func:`showing`, and do nothing otherwise.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

_ERASE = "\r\x1b[2K"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no such method, or closed
        return False


class Progress:
    """One status line on ``stream``; a no-op when ``stream`` is None."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.label = ""
        self._shown = ""

    @classmethod
    def for_terminal(cls, stream: TextIO, *, enabled: bool = True) -> Progress:
        """Progress on ``stream`` if it is a terminal that can erase a line."""
        if enabled and _is_terminal(stream) and os.environ.get("TERM") != "dumb":
            return cls(stream)
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self.stream is not None

    def target(self, label: str) -> None:
        """The spec the next stages work on."""
        self.label = label

    def stage(self, name: str) -> None:
        self._show(name)

    def count(self, name: str, done: int, total: int, noun: str = "files") -> None:
        self._show(f"{name} {done}/{total} {noun}")

    def clear(self) -> None:
        if self.stream is not None and self._shown:
            self.stream.write(_ERASE)
            self.stream.flush()
            self._shown = ""

    def _show(self, status: str) -> None:
        if self.stream is None:
            return
        text = (
            f"clientgen: {self.label}: {status}"
            if self.label
            else f"clientgen: {status}"
        )
        width = shutil.get_terminal_size((80, 24)).columns - 1
        if len(text) > width > 3:
            text = text[: width - 1] + "…"
        if text == self._shown:
            return
        self.stream.write(_ERASE + text)
        self.stream.flush()
        self._shown = text


_NONE = Progress(None)
_active: contextvars.ContextVar[Progress] = contextvars.ContextVar(
    "clientgen_progress", default=_NONE
)


def current() -> Progress:
    return _active.get()


def stage(name: str) -> None:
    _active.get().stage(name)


def count(name: str, done: int, total: int, noun: str = "files") -> None:
    _active.get().count(name, done, total, noun)


def target(label: str) -> None:
    _active.get().target(label)


def formatted(done: int, total: int) -> None:
    """Progress hook of :func:`generator.render.format.format_files`."""
    _active.get().count("format", done, total)


def clear() -> None:
    """Erase the line (before printing something else)."""
    _active.get().clear()


class _ErasingStream:
    """Stands in for ``sys.stderr`` (and ``sys.stdout`` on a terminal) while
    a status line is shown: whatever else is written erases the status line
    first, so messages never land on the end of it."""

    def __init__(self, stream: TextIO, progress: Progress) -> None:
        self._stream = stream
        self._progress = progress

    def write(self, text: str) -> int:
        self._progress.clear()
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def showing(progress: Progress) -> Iterator[Progress]:
    """Make ``progress`` the active one; the line is erased on the way out.

    If it draws on ``sys.stderr``, other writes to ``sys.stderr``, and to
    ``sys.stdout`` when that is a terminal too, erase the line first (see
    :class:`_ErasingStream`).
    """
    token = _active.set(progress)
    saved_err, saved_out = sys.stderr, sys.stdout
    if progress.stream is not None and progress.stream is saved_err:
        sys.stderr = cast(TextIO, _ErasingStream(saved_err, progress))
        if _is_terminal(saved_out):  # most likely the same terminal
            sys.stdout = cast(TextIO, _ErasingStream(saved_out, progress))
    try:
        yield progress
    finally:
        progress.clear()
        sys.stderr, sys.stdout = saved_err, saved_out
        _active.reset(token)
