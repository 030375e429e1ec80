"""Corpus sweep: generate, import and type-check a client for every spec.

    python -m tests.sweep.corpus [--big] [--jobs N] [--no-mypy] [SPEC ...]
    python -m tests.sweep.corpus --random N [--seed S] [--jobs N]

Each spec runs in its own subprocesses (generate, import every module, mypy
with default settings); specs are spread over ``--jobs`` workers. Prints a
table and the totals; exits 1 when any spec fails to generate or import.

``--random N`` sweeps N random valid descriptions instead (see
``tests/properties/sweep.py``): generate, import, mypy --strict and JSON round
trips for each; failing descriptions are saved under ``--save``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "specs"
PY = sys.executable

IMPORT_ALL = r"""
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
pkg = importlib.import_module(sys.argv[2])
names = [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
for name in names:
    importlib.import_module(name)
# resolve every lazy attribute too
for attr in getattr(pkg, "__all__", []):
    getattr(pkg, attr)
print(len(names) + 1)
"""


@dataclass
class Result:
    spec: str
    result: str = "ok"
    warnings: int = 0
    seconds: float = 0.0
    modules: int = 0
    mypy: str = "-"
    detail: str = ""
    codes: dict[str, int] = field(default_factory=dict)


def run_one(spec: Path, work: Path, mypy: bool, strict: bool) -> Result:
    res = Result(spec.name)
    out = work / spec.stem.replace(".", "_")
    started = time.perf_counter()
    gen = subprocess.run(
        [
            PY,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-o",
            str(out),
            "--no-cache",
            "--format",
            "json",
            "--jobs",
            "1",
            "--force",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    res.seconds = time.perf_counter() - started
    try:
        diags = json.loads(gen.stdout or "[]")
    except json.JSONDecodeError:
        diags = []
    res.warnings = sum(1 for d in diags if d.get("level") == "warning")
    for d in diags:
        res.codes[d.get("code", "?")] = res.codes.get(d.get("code", "?"), 0) + 1
    if gen.returncode != 0:
        res.result = f"exit {gen.returncode}"
        errors = [d for d in diags if d.get("level") == "error"]
        res.detail = (
            errors[0].get("message", "") if errors else gen.stderr.strip()[-400:]
        )
        return res
    packages = [p.name for p in out.iterdir() if (p / "__init__.py").exists()]
    if len(packages) != 1:
        res.result = "no package"
        return res
    imp = subprocess.run(
        [PY, "-c", IMPORT_ALL, str(out), packages[0]], capture_output=True, text=True
    )
    if imp.returncode != 0:
        res.result = "import"
        res.detail = imp.stderr.strip().splitlines()[-1] if imp.stderr.strip() else ""
        return res
    res.modules = int(imp.stdout.strip() or 0)
    if mypy:
        args = [PY, "-m", "mypy", "--no-incremental", "--cache-dir", os.devnull]
        if strict:
            args.append("--strict")
        chk = subprocess.run(
            args + ["-p", packages[0]], capture_output=True, text=True, cwd=out
        )
        if chk.returncode == 0:
            res.mypy = "strict" if strict else "ok"
        else:
            res.mypy = "FAIL"
            lines = [ln for ln in chk.stdout.splitlines() if ": error:" in ln]
            res.detail = f"{len(lines)} mypy errors; first: {lines[0] if lines else chk.stdout[-300:]}"
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make corpus")
    ap.add_argument("specs", nargs="*", type=Path)
    ap.add_argument(
        "--big", action="store_true", help="also GitHub's spec (mypy --strict)"
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-mypy", action="store_true")
    ap.add_argument(
        "--strict", action="store_true", help="mypy --strict for every spec"
    )
    ap.add_argument("--keep", type=Path, help="keep generated packages in this folder")
    ap.add_argument("--random", type=int, metavar="N", help="N random descriptions")
    ap.add_argument("--seed", type=int, default=0, help="seed of --random")
    ap.add_argument(
        "--save",
        type=Path,
        default=REPO / ".cache" / "random-failures",
        help="where --random saves failing descriptions",
    )
    args = ap.parse_args(argv)
    if args.random is not None:
        from tests.properties.sweep import sweep

        return sweep(args.random, args.seed, args.jobs, args.save)
    if not SHARED.is_dir() and not args.specs:
        print(f"corpus: {SHARED} is missing; nothing to sweep", file=sys.stderr)
        return 2
    specs = args.specs or sorted((SHARED / "corpus").glob("*.json"))
    jobs: list[tuple[Path, bool]] = [(s, args.strict) for s in specs]
    if args.big:
        jobs.insert(0, (SHARED / "github" / "api.github.com.json", True))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="clientgen-corpus-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(args.jobs) as pool:
            futures = [
                pool.submit(run_one, s, work, not args.no_mypy, strict)
                for s, strict in jobs
            ]
            results = []
            for f in futures:
                r = f.result()
                results.append(r)
                print(
                    f"{r.spec[:60]:60} {r.result:9} {r.mypy:6} {r.warnings:5} {r.seconds:6.1f}s  {r.detail[:160]}",
                    flush=True,
                )
    total = len(results)
    ok = sum(r.result == "ok" for r in results)
    typed = sum(r.mypy in ("ok", "strict") for r in results)
    print()
    print(f"{'spec':60} {'result':9} {'mypy':6} {'warn':>5} {'seconds':>7}")
    for r in results:
        print(
            f"{r.spec[:60]:60} {r.result:9} {r.mypy:6} {r.warnings:5} {r.seconds:7.1f}"
        )
    print()
    print(f"generated and imported: {ok}/{total}")
    if not args.no_mypy:
        print(
            f"type-checked:           {typed}/{total} ({100 * typed / max(total, 1):.1f}%)"
        )
    print(
        f"warnings: {sum(r.warnings for r in results)}; wall {time.perf_counter() - started:.0f}s with {args.jobs} jobs"
    )
    codes: dict[str, int] = {}
    for r in results:
        for c, n in r.codes.items():
            codes[c] = codes.get(c, 0) + n
    print(
        "diagnostic codes:",
        ", ".join(f"{c}={n}" for c, n in sorted(codes.items(), key=lambda kv: -kv[1])),
    )
    return 0 if ok == total else 1


if __name__ == "__main__":
    sys.exit(main())
