"""Work shared over forked workers comes back in order and complete,
whatever the costs say about how to share it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import parallel


@settings(max_examples=15, deadline=None)
@given(
    costs=st.lists(st.floats(0, 1000, allow_nan=False), min_size=0, max_size=40),
    jobs=st.integers(1, 3),
)
def test_spread_task_gives_what_a_loop_gives(costs: list[float], jobs: int) -> None:
    # a closure over this process's state, which forked workers inherit
    state = {i: f"item {i}" * (i % 3) for i in range(len(costs))}
    got = parallel.spread_task(lambda i: (i, state[i]), costs, jobs)
    assert got == [(i, state[i]) for i in range(len(costs))]
    assert parallel._task is None  # not left behind for a later fork


def test_a_failing_task_raises_here() -> None:
    def task(i: int) -> int:
        if i == 7:
            raise ValueError("seven")
        return i

    with pytest.raises(ValueError, match="seven"):
        parallel.spread_task(task, [1.0] * 12, 2)
