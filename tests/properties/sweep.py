"""The large random run: ``python -m tests.sweep.corpus --random N --seed S``.

Cases are drawn and run in chunks of ``CHUNK``, spread over ``jobs`` worker
processes (each with its own mypy cache); chunk ``c`` is drawn from the seed
``S * 100003 + c``, so a run is reproducible for a given ``N``, ``S`` and
chunk size whatever the number of workers. Each failing description is saved
as YAML under ``save`` and printed with its failures.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .run import draw_cases, report, run_case
from .specs import KNOWN_BROKEN

CHUNK = 10


@dataclass
class _Tally:
    run: int = 0
    failed: int = 0
    steps: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, other: _Tally) -> None:
        self.run += other.run
        self.failed += other.failed
        for step, k in other.steps.items():
            self.steps[step] = self.steps.get(step, 0) + k
        for step, t in other.seconds.items():
            self.seconds[step] = self.seconds.get(step, 0.0) + t


def _chunk(
    seed: int, index: int, size: int, save: Path, work: Path
) -> tuple[_Tally, list[str]]:
    """Draw and run chunk ``index``: its tally and failure reports."""
    cache = work / f"mypy-{os.getpid()}"
    tally, reports = _Tally(), []
    started = time.perf_counter()
    cases = draw_cases(size, seed * 100003 + index)
    tally.seconds["draw"] = time.perf_counter() - started
    for i, case in enumerate(cases):
        name = f"chunk{index:04d}-case{i:02d}"
        outcome = run_case(case, work / name, cache)
        tally.add(_Tally(1, int(not outcome.ok), {outcome.step: 1}, outcome.seconds))
        if not outcome.ok:
            reports.append(f"{name}: " + report(outcome, save / f"{name}.json"))
        shutil.rmtree(work / name, ignore_errors=True)
    return tally, reports


def sweep(n: int, seed: int, jobs: int, save: Path) -> int:
    """Run ``n`` random descriptions; prints every failure and the totals."""
    save.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    chunks = [(i, min(CHUNK, n - i * CHUNK)) for i in range((n + CHUNK - 1) // CHUNK)]
    total = _Tally()
    print(f"random descriptions: N={n} seed={seed} jobs={jobs}", flush=True)
    print(f"left out of the draw (KNOWN_BROKEN): {sorted(KNOWN_BROKEN)}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="clientgen-random-") as tmp,
        ProcessPoolExecutor(jobs) as pool,
    ):
        futures = [
            pool.submit(_chunk, seed, i, size, save, Path(tmp)) for i, size in chunks
        ]
        for future in as_completed(futures):
            tally, reports = future.result()
            total.add(tally)
            for text in reports:
                print(text, flush=True)
            print(f"  {total.run}/{n} run, {total.failed} failed", flush=True)
    wall = time.perf_counter() - started
    print()
    print(f"random descriptions: {total.run} run, seed {seed}, {total.failed} failed")
    print("by step:", ", ".join(f"{s}={k}" for s, k in sorted(total.steps.items())))
    print(
        "seconds by step, summed over workers:",
        ", ".join(f"{s}={t:.0f}" for s, t in sorted(total.seconds.items())),
    )
    print(f"failing descriptions saved in {save}" if total.failed else "all passed")
    print(f"wall {wall:.0f}s with {jobs} jobs ({wall / max(total.run, 1):.2f}s a case)")
    return 1 if total.failed or total.run < n else 0
