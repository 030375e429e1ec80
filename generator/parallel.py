"""Work shared out over this process and forked workers.

Rendering and formatting a large API are many independent pieces of CPU
work (GitHub's: about 1,500 modules). :func:`spread` runs a module-level
function over a list on this process and ``jobs - 1`` workers;
:func:`spread_task` does the same for a closure over the state this
process holds (a built API), which forked workers inherit instead of
receiving it pickled.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

from generator.heap import frozen_heap

_In = TypeVar("_In")
_Out = TypeVar("_Out")

#: The closure :func:`spread_task` runs, set only while its workers are forked.
_task: Callable[[int], Any] | None = None
_task_lock = threading.Lock()


def can_fork() -> bool:
    """Fork workers only where that is safe: Linux, not inside a daemonic
    process (which may have no children), no other thread running (a fork
    copies locks another thread may hold)."""
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and threading.active_count() == 1
    )


def spread(
    run: Callable[[_In], _Out],
    items: list[_In],
    costs: list[float],
    jobs: int,
    context: BaseContext | None = None,
) -> list[_Out]:
    """``run`` over ``items``, in order, on this process and ``jobs - 1``
    workers (``run`` a module-level function, for them to find)."""
    # This process takes its share too (one fork fewer: less memory), the
    # rest goes to jobs - 1 workers; biggest first, each to the lighter side.
    order = sorted(range(len(items)), key=lambda i: -costs[i])
    mine: list[int] = []
    theirs: list[int] = []
    own = pooled = 0.0
    for i in order:
        if own * (jobs - 1) <= pooled:
            mine.append(i)
            own += costs[i]
        else:
            theirs.append(i)
            pooled += costs[i]
    results: dict[int, _Out] = {}
    # Frozen, the objects this process holds (a built API: hundreds of MB)
    # are left alone by a forked worker's garbage collector, which would
    # otherwise touch, and so copy, every page of them.
    with (
        frozen_heap(),
        ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context) as pool,
    ):
        pooled_results = pool.map(run, [items[i] for i in theirs], chunksize=1)
        for i in mine:
            results[i] = run(items[i])
        for i, result in zip(theirs, pooled_results, strict=True):
            results[i] = result
    return [results[i] for i in range(len(items))]


def _run_task(i: int) -> Any:
    assert _task is not None, "spread_task's workers are forked"
    return _task(i)


def spread_task(
    task: Callable[[int], _Out], costs: list[float], jobs: int
) -> list[_Out]:
    """``task(i)`` for each index of ``costs``, in order, on this process and
    ``jobs - 1`` forked workers; all here where forking is not safe
    (:func:`can_fork`)."""
    global _task
    if jobs <= 1 or not can_fork():
        return [task(i) for i in range(len(costs))]
    with _task_lock:
        _task = task
        try:
            return spread(
                _run_task,
                list(range(len(costs))),
                costs,
                jobs,
                multiprocessing.get_context("fork"),
            )
        finally:
            _task = None
