"""Helpers shared by the sync and async send loops: error mapping, downloads."""

from __future__ import annotations

import contextlib
import errno
import os
from typing import IO

import httpx

from ._core import RequestPlan
from ._exceptions import APIConnectionError, APIError, APITimeoutError

__all__ = [
    "Destination",
    "Security",
    "check_destination",
    "finish_destination",
    "open_destination",
    "transport_error",
    "unsendable",
]

Destination = str | os.PathLike[str] | IO[bytes]
Security = tuple[tuple[str, ...], ...]


def transport_error(
    plan: RequestPlan, exc: httpx.TransportError, where: str
) -> APIError:
    """Map an httpx transport failure to the public exception types."""
    try:
        request: httpx.Request | None = exc.request
    except RuntimeError:  # httpx raises when no request is attached
        request = None
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{plan.method} {where} timed out ({type(exc).__name__})", request=request
        )
    detail = str(exc) or type(exc).__name__
    return APIConnectionError(
        f"{plan.method} {where} failed: {detail}", request=request
    )


def unsendable(plan: RequestPlan, where: str) -> APIError:
    """The error for a request that HTTP cannot carry (never retried)."""
    from ._exceptions import RequestValidationError

    return RequestValidationError(
        f"{plan.method} {where} cannot be sent: a header, cookie or the URL holds"
        " characters HTTP does not allow (values are not shown, they may be secret)"
    )


def check_destination(destination: Destination) -> None:
    """Refuse, before anything is sent, a destination path that is a folder."""
    if isinstance(destination, (str, os.PathLike)):
        target = os.fspath(destination)
        if os.path.isdir(target):
            raise IsADirectoryError(
                errno.EISDIR,
                "Cannot download into a folder; pass the path of a file in it",
                target,
            )


def open_destination(destination: Destination) -> tuple[IO[bytes], str | None]:
    """Open a path as a temporary ``.part`` file, or use a given file object."""
    if isinstance(destination, (str, os.PathLike)):
        target = os.fspath(destination)
        check_destination(target)
        return open(target + ".part", "wb"), target  # noqa: SIM115
    return destination, None


def finish_destination(handle: IO[bytes], target: str | None, ok: bool) -> None:
    """Move the ``.part`` file into place, or remove it after a failure."""
    if target is None:
        return
    part = target + ".part"
    try:
        handle.close()
        if ok:
            # Atomic rename: a failed download never leaves a truncated file
            # under the final name.
            os.replace(part, target)
    finally:
        if os.path.lexists(part):
            with contextlib.suppress(OSError):
                os.remove(part)
