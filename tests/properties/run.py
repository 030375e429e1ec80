"""Draw cases and run generate → import → mypy --strict → round trips on each.

Every case is generated as the package ``propcase`` in its own folder, so one
mypy cache per worker serves them all: the runtime (identical in every case)
is checked once, each case costs only its own models and resources.

    >>> for i, case in enumerate(draw_cases(2, 1)):  # doctest: +SKIP
    ...     print(run_case(case, Path(f"/tmp/case{i}"), Path("/tmp/mypy")).step)
    ok
    ok
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from .instances import EXTRA_KEYS, FIELD_LIKE_KEYS, instances, validates
from .model import Description, Ref, render
from .specs import FEATURES, KNOWN_BROKEN, descriptions

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "propcase"


@dataclass
class Case:
    """A drawn description and valid JSON instances of each of its components."""

    description: Description
    instances: dict[str, list[Any]]

    @property
    def spec(self) -> dict[str, Any]:
        return render(self.description)


@dataclass
class Outcome:
    case: Case
    step: str = "ok"  # generate | import | check | mypy | ok: the first that failed
    failures: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def failed(self, step: str, failures: list[str]) -> Outcome:
        if self.ok:
            self.step = step
        self.failures += [f"[{step}] {f}" for f in failures]
        return self

    @property
    def ok(self) -> bool:
        return self.step == "ok"


@st.composite
def cases(
    draw: st.DrawFn, version: str | None = None, allowed: frozenset[str] | None = None
) -> Case:
    """A description plus one or two instances of each component."""
    desc = draw(descriptions(version, allowed))
    comps = dict(desc.components)
    on = FEATURES - KNOWN_BROKEN if allowed is None else allowed
    names = [EXTRA_KEYS] if "extra_keys" in on else []
    names += [FIELD_LIKE_KEYS] if "extra_keys_like_fields" in on else []
    extra = st.one_of(names) if names else None
    found = {
        key: draw(
            st.lists(
                instances(Ref(key), comps, extra_keys=extra), min_size=1, max_size=2
            )
        )
        for key in comps
    }
    for key, values in found.items():
        assert all(validates(Ref(key), v, comps) for v in values), (key, values)
    return Case(desc, found)


def draw_cases(
    n: int,
    seed_: int,
    version: str | None = None,
    allowed: frozenset[str] | None = None,
) -> list[Case]:
    """``n`` cases, the same for the same arguments (no shrinking, no database)."""
    drawn: list[Case] = []

    @settings(
        max_examples=n,
        database=None,
        deadline=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @seed(seed_)
    @given(cases(version, allowed))
    def collect(case: Case) -> None:
        drawn.append(case)

    collect()
    return drawn[:n]


def run_case(case: Case, work: Path, mypy_cache: Path) -> Outcome:
    """Run every step on ``case`` inside ``work``.

    Generation or import failing stops the case; otherwise both the checks
    and mypy run, and ``step`` names the first that failed.
    """
    work.mkdir(parents=True, exist_ok=True)
    out, spec = work / "out", case.spec
    outcome = Outcome(case)
    # JSON, not YAML: PyYAML's dumper turns a lone "\x85" into a space.
    (work / "spec.json").write_text(json.dumps(spec, indent=1), "utf-8")
    with _timed(outcome, "generate"):
        failure = _generate(work / "spec.json", out, work)
    if failure:
        return outcome.failed("generate", [failure])
    with _timed(outcome, "check"):
        chk = _check(case, spec, out, work)
    lines = [ln for ln in chk.stdout.split("\n") if ln] or [chk.stderr[-2000:]]
    if chk.returncode != 0 and lines[0].startswith("import:"):
        return outcome.failed("import", lines)
    if chk.returncode != 0:
        outcome.failed("check", lines)
    with _timed(outcome, "mypy"):
        failures = _mypy(out, mypy_cache)
    return outcome.failed("mypy", failures) if failures else outcome


@contextlib.contextmanager
def _timed(outcome: Outcome, step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        outcome.seconds[step] = time.perf_counter() - started


def _generate(spec: Path, out: Path, work: Path) -> str | None:
    """Run ``clientgen generate`` in-process; a message when it fails."""
    from generator.cli import main

    config = work / "clientgen.yaml"
    config.write_text(json.dumps({"package": PACKAGE}), "utf-8")
    argv = ["generate", str(spec), "-o", str(out), "--config", str(config)]
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main([*argv, "-q", "--jobs", "1", "--force"])
    except BaseException as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return (
            f"traceback: {type(exc).__name__}: {str(exc)[:300]}"
            f" (at {Path(where.filename).name}:{where.lineno})"
        )
    text = stdout.getvalue() + stderr.getvalue()
    if code != 0 or "Traceback" in text:
        return f"exit {code}: {text.strip()[-1500:]}"
    return None


def _check(
    case: Case, spec: dict[str, Any], out: Path, work: Path
) -> subprocess.CompletedProcess[str]:
    ops = case.description.operations
    paths = {op.schema: op.path for op in ops if op.schema and op.method == "get"}
    payload = {
        "folder": str(out),
        "package": PACKAGE,
        "spec": spec,
        "schemas": [
            {"schema": key, "path": paths[key], "instances": values}
            for key, values in case.instances.items()
        ],
        "extra": [
            {
                "method": op.method,
                "path": op.path,
                "params": list(op.params),
                "binary": op.binary,
            }
            for op in ops
            if op.schema is None
        ],
    }
    (work / "case.json").write_text(json.dumps(payload), "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tests.properties.check", str(work / "case.json")],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _mypy(out: Path, cache: Path) -> list[str]:
    """``mypy --strict`` over the package; its error lines."""
    chk = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache)]
        + ["-p", PACKAGE],
        capture_output=True,
        text=True,
        cwd=out,
    )
    if chk.returncode == 0:
        return []
    return [ln for ln in chk.stdout.splitlines() if ": error:" in ln] or [
        chk.stdout[-1500:] + chk.stderr[-1500:]
    ]


def report(outcome: Outcome, saved: Path | None = None) -> str:
    """A failure as text: the step, the first failures, where the spec was saved."""
    lines = [f"{outcome.step} failed ({outcome.case.description.version})"]
    lines += ["  " + f[:600] for f in outcome.failures[:8]]
    if len(outcome.failures) > 8:
        lines.append(f"  ... and {len(outcome.failures) - 8} more")
    if saved is not None:
        saved.write_text(json.dumps(outcome.case.spec, indent=1), "utf-8")
        lines.append(f"  reproduce: clientgen generate {saved}")
    return "\n".join(lines)
