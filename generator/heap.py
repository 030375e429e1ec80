"""The garbage collector around the pipeline's big, long-lived data.

A parsed description and the API built from it are hundreds of MB of
objects for a large API (GitHub's), made once and kept to the end of their
stages. CPython's collector rescans everything it tracks on each full
collection, several times while such data grows; these helpers keep it to
the objects that can still become garbage.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_frozen_depth = 0


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Inside, every object that exists now is out of the garbage collector's
    reach (``gc.freeze``): a full collection then scans only newer ones, not
    a parsed description and a built API of hundreds of MB, several times
    over. Reference counting still frees what is dropped; cycles made before
    are collected once the outermost ``frozen_heap`` ends."""
    global _frozen_depth
    if _frozen_depth == 0 and gc.get_freeze_count():
        # the host program froze objects of its own (a server about to
        # fork): unfreezing at the end would undo that, so leave gc alone
        yield
        return
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if _frozen_depth == 0:
            gc.unfreeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Inside, no automatic collection: for a stage that builds data which
    outlives it and makes no cycles of garbage (the builder's full
    collections on GitHub's description collected nothing, and cost 0.5 s).
    Reference counting still frees what is dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
