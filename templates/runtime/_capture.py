"""Raw response capture for callers that need headers or status codes.

``client.capture_responses()`` installs a :class:`ResponseLog` in a context
variable; the transport loop appends every response it receives.  Context
variables follow ``asyncio`` tasks, so captures work for async code too.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as _record
    from dataclasses import field
else:
    from ._record import field
    from ._record import record as _record

__all__ = ["ResponseLog", "capture", "record"]


@_record()
class ResponseLog:
    """Responses received inside a ``capture_responses()`` block, in order.

    Includes retried attempts and redirect hops, so ``last`` is the response
    whose body was actually used.
    """

    responses: list[httpx.Response] = field(default_factory=list)

    @property
    def last(self) -> httpx.Response:
        if not self.responses:
            raise LookupError("No response has been captured yet")
        return self.responses[-1]


# Stack of (scope, log) pairs: nested captures all see the response, and a
# scope object shared by a client and its copies keeps clients apart.
_active: contextvars.ContextVar[tuple[tuple[object, ResponseLog], ...]] = (
    contextvars.ContextVar("clientgen_response_logs", default=())
)


@contextlib.contextmanager
def capture(scope: object) -> Iterator[ResponseLog]:
    log = ResponseLog()
    token = _active.set((*_active.get(), (scope, log)))
    try:
        yield log
    finally:
        _active.reset(token)


def record(scope: object, response: httpx.Response) -> None:
    for owner, log in _active.get():
        if owner is scope:
            log.responses.append(response)
