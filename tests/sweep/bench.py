"""Benchmarks: clientgen against openapi-python-client, side by side (issue 6).

    python -m tests.sweep.bench [--quick] [--only ROW[,ROW...]] [--reps N]
                                [--peer-bin DIR] [--no-github]

Rows: ``cold`` (generation with empty caches, validation included; also on
Prefect's FastAPI description when ``make e2e`` has built its venv; beside it a
control with ``validate: false``, since the peer runs no validator), ``unchanged`` (``check`` and
``generate`` over an up-to-date tree, no cache), ``regen`` (one operation
changed), ``import`` (import + client construction, fresh interpreter, minus
httpx/pydantic resp. httpx/attrs), ``decode`` (100-invoice list from JSON
bytes), ``encode`` (an invoice with 20 lines to a request body), ``get`` (one
GET through the client on ``httpx.MockTransport`` vs the same call through
bare httpx; each of the three also as a control with exact money held as
float, as the peer holds it); and the figures users feel (``tests/sweep/bench_user.py``):
``first-call``, ``mypy``, ``pyright``, ``size``.

Every figure is the median of the repetitions; each generation runs in a
fresh subprocess, measured with ``os.wait4`` (wall, CPU of the process and
the children it waited for, largest RSS of one process) plus a sampler that
sums the proportional set size (PSS: pages shared by forked workers counted
once) of the whole process tree every 20 ms. The peer runs from its own
virtualenv (``make bench`` creates ``.venv-peer`` from
``tests/sweep/peer-requirements.txt``) with its default post-generation
hooks (ruff), so its ``bin`` folder is put first on PATH.

Nothing here asserts a duration; ``tests/test_bench.py`` runs the measuring
functions once on tiny inputs so that this script cannot rot.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.sweep.bench_user import ROWS as USER_ROWS
from tests.sweep.bench_user import user_rows

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "specs"
ONFACT = REPO / "specs" / "onfact.yaml"
GITHUB = SHARED / "github" / "api.github.com.json"
PEER_BIN = REPO / ".venv-peer" / "bin"
# Prefect's server (FastAPI, OpenAPI 3.1), from the venv ``make e2e`` builds
PREFECT_PINS = REPO / "tests" / "e2e" / "servers" / "prefect.txt"
US_PY = sys.executable
ROWS = ("cold", "unchanged", "regen", "import", "decode", "encode", "get") + USER_ROWS


# ---------------------------------------------------------------------------
# Running one measured process


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, including waited-for children
    rss_max: float  # MB, largest single process (getrusage)
    rss_tree: float  # MB, largest sampled sum of PSS over the process tree
    code: int
    output: str = ""


def _children(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            text = Path(f"/proc/{parent}/task/{parent}/children").read_text()
        except OSError:
            continue
        kids = [int(k) for k in text.split()]
        found.extend(kids)
        todo.extend(kids)
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: forked workers' shared pages are counted once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def measure(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = 0.02,
) -> Run:
    """Run ``cmd`` to completion; wall, CPU and peak RSS including children."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                total = sum(_pss_kb(p) for p in [proc.pid, *_children(proc.pid)])
                peak[0] = max(peak[0], total)
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    maxrss = usage.ru_maxrss / 1024
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_max=maxrss,
        rss_tree=peak[0] / 1024,
        code=proc.returncode,
        output=text,
    )


def checked(run: Run, what: str) -> Run:
    if run.code != 0:
        raise RuntimeError(f"{what} failed ({run.code}):\n{run.output[-3000:]}")
    return run


def _env(extra_path: Path | None = None, **more: str) -> dict[str, str]:
    env = dict(os.environ)
    if extra_path is not None:
        env["PATH"] = f"{extra_path}{os.pathsep}{env.get('PATH', '')}"
    env.update(more)
    return env


# The description Prefect's server publishes at /api/openapi.json, made
# without a server (no database, no port): what ``create_app().openapi()`` gives.
_PREFECT_OPENAPI = r"""
import json, sys
from prefect.server.api.server import create_app
json.dump(create_app().openapi(), open(sys.argv[1], "w"))
"""


def prefect_venv() -> Path:
    """Where ``make e2e`` keeps the venv of ``tests/e2e/servers/prefect.txt``."""
    import hashlib

    root = Path(os.environ.get("CLIENTGEN_E2E_VENVS", REPO / ".e2e-venvs"))
    digest = hashlib.sha256(PREFECT_PINS.read_bytes()).hexdigest()[:12]
    return root / f"prefect-{digest}"


def prefect_description(dest: Path) -> Path | None:
    """Prefect 3.9.1's OpenAPI 3.1 description written to ``dest``, or None
    (with the reason printed) when its e2e venv is missing."""
    venv = prefect_venv()
    if not (venv / ".installed").is_file():
        print(f"Prefect rows skipped: {venv} is missing (run 'make e2e' once)")
        return None
    env = _env(PREFECT_HOME=str(dest.parent / "prefect-home"), DO_NOT_TRACK="1")
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    command = [str(venv / "bin" / "python"), "-c", _PREFECT_OPENAPI, str(dest)]
    proc = subprocess.run(command, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"Prefect's description failed:\n{proc.stderr[-3000:]}")
    print(f"  Prefect: {dest.stat().st_size / 1e3:.0f} KB OpenAPI 3.1 description")
    return dest


# ---------------------------------------------------------------------------
# Generation rows


def us_generate(
    spec: Path,
    out: Path,
    *,
    command: str = "generate",
    cache: Path | None = None,
    config: Path | None = None,
) -> Run:
    """``clientgen generate|check SPEC -o OUT``; ``cache=None`` means --no-cache."""
    cmd = [US_PY, "-m", "generator", command, str(spec), "-o", str(out), "-q"]
    if cache is None:
        cmd.append("--no-cache")
    if config is not None:
        cmd += ["--config", str(config)]
    env = _env(CLIENTGEN_CACHE_DIR=str(cache or out.parent / "no-cache"))
    return measure(cmd, env=env, cwd=REPO)


def peer_generate(spec: Path, out: Path, peer_bin: Path = PEER_BIN) -> Run:
    cmd = [
        str(peer_bin / "openapi-python-client"),
        "generate",
        "--path",
        str(spec),
        "--output-path",
        str(out),
        "--overwrite",
    ]
    return measure(cmd, env=_env(peer_bin), cwd=out.parent)


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, .py files) of a generated tree."""
    size = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            size += path.stat().st_size
            count += path.suffix == ".py"
    return size, count


def package_dir(out: Path) -> Path:
    """The import package inside a generated project folder."""
    for child in sorted(out.iterdir()):
        if (child / "__init__.py").is_file():
            return child
    raise RuntimeError(f"no package in {out}")


def cold(spec: Path, work: Path, reps: int, peer_bin: Path) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {"us": [], "peer": [], "unvalidated": []}
    # the control: openapi-spec-validator's checks off, as the peer has none
    unvalidated = work / "validate-false.yaml"
    unvalidated.write_text("validate: false\n", "utf-8")
    for i in range(reps):
        # alternate, so that drift in machine load hits both alike
        out = work / f"us-{i}"
        cache = work / f"cache-{i}"  # empty: --no-cache is passed anyway
        runs["us"].append(checked(us_generate(spec, out), "clientgen generate"))
        shutil.rmtree(cache, ignore_errors=True)
        control = work / f"unvalidated-{i}"
        runs["unvalidated"].append(
            checked(
                us_generate(spec, control, config=unvalidated),
                "clientgen generate (validate: false)",
            )
        )
        shutil.rmtree(control, ignore_errors=True)
        if peer_bin is not None:
            pout = work / f"peer-{i}"
            runs["peer"].append(checked(peer_generate(spec, pout, peer_bin), "peer"))
        if i + 1 < reps:
            shutil.rmtree(out, ignore_errors=True)
            if peer_bin is not None:
                shutil.rmtree(work / f"peer-{i}", ignore_errors=True)
    return runs


def unchanged(spec: Path, work: Path, reps: int) -> dict[str, list[Run]]:
    out = work / "tree"
    checked(us_generate(spec, out), "clientgen generate")
    runs: dict[str, list[Run]] = {"check": [], "generate": []}
    for _ in range(reps):
        check = us_generate(spec, out, command="check")
        if check.code != 0:
            print(f"  WARNING: check of an unchanged tree exited {check.code}:")
            print("    " + check.output.strip().replace("\n", "\n    ")[:2000])
        runs["check"].append(check)
        gen = checked(us_generate(spec, out), "generate")
        runs["generate"].append(gen)
    return runs


# The regeneration driver runs in a fresh interpreter: it counts what black
# formats by wrapping the formatter, then runs the CLI as usual.
_REGEN_DRIVER = r"""
import json, sys
import generator.render.format as fmt
formatted = []
real = fmt._format_many
def counting(texts, *args, **kwargs):
    formatted.extend(texts)
    return real(texts, *args, **kwargs)
fmt._format_many = counting
from generator.cli import main
code = main(sys.argv[1:])
print("BENCH-FORMATTED", json.dumps(len(formatted)))
sys.exit(code)
"""


@dataclass
class Regen:
    run: Run
    rendered_changed: list[str] = field(default_factory=list)
    formatted: int = 0
    written: list[str] = field(default_factory=list)


def change_one_operation(spec: Path, dest: Path) -> tuple[Path, str]:
    """A copy of ``spec`` (as JSON) with one operation's summary changed."""
    from generator.diagnostics import Diagnostics
    from generator.load.read import parse_text

    doc = parse_text(spec.read_text("utf-8"), str(spec), Diagnostics())
    paths = doc["paths"]
    for path in sorted(paths):
        for method in ("get", "post", "put", "patch", "delete"):
            op = paths[path].get(method)
            if isinstance(op, dict):
                op["summary"] = str(op.get("summary", "")) + " (changed)"
                dest.write_text(json.dumps(doc), "utf-8")
                return dest, f"{method.upper()} {path}"
    raise RuntimeError("no operation to change")


def regen(spec: Path, work: Path) -> Regen:
    """Generate, change one operation, regenerate with ``-v``: what was redone."""
    base = work / "base.json"
    from generator.diagnostics import Diagnostics
    from generator.load.read import parse_text

    doc = parse_text(spec.read_text("utf-8"), str(spec), Diagnostics())
    base.write_text(json.dumps(doc), "utf-8")
    changed_spec, _ = change_one_operation(spec, work / "changed.json")
    out = work / "tree"
    # both specs get the same file name, so headers stay equal
    first = work / "a" / "spec.json"
    second = work / "b" / "spec.json"
    first.parent.mkdir()
    second.parent.mkdir()
    shutil.copy(base, first)
    shutil.copy(changed_spec, second)
    checked(us_generate(first, out), "generate")
    before = json.loads((out / ".clientgen-manifest.json").read_text("utf-8"))
    cmd = [US_PY, "-c", _REGEN_DRIVER, "generate", str(second), "-o", str(out)]
    cmd += ["-v", "--no-cache"]
    run = checked(
        measure(cmd, env=_env(CLIENTGEN_CACHE_DIR=str(work / "c")), cwd=work / "b"),
        "regenerate",
    )
    after = json.loads((out / ".clientgen-manifest.json").read_text("utf-8"))
    result = Regen(run)
    for path, entry in sorted(after["files"].items()):
        old = before["files"].get(path)
        if entry["render"] and (old is None or old["render"] != entry["render"]):
            result.rendered_changed.append(path)
    for line in run.output.splitlines():
        if line.startswith("BENCH-FORMATTED"):
            result.formatted = int(line.split()[1])
        elif line.startswith("  ") and not line.startswith("   "):
            result.written.append(line.strip())
    return result


# ---------------------------------------------------------------------------
# Runtime rows: sample data from the spec, and drivers run in each venv


def sample(schema: Any, doc: dict[str, Any], *, lines: int, depth: int = 0) -> Any:
    """A deterministic instance of ``schema`` (every property filled in)."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "$ref" in schema:
        target: Any = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return sample(target, doc, lines=lines, depth=depth + 1)
    for key in ("allOf",):
        if key in schema:
            merged: dict[str, Any] = {}
            for part in schema[key]:
                value = sample(part, doc, lines=lines, depth=depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return sample(schema[key][0], doc, lines=lines, depth=depth + 1)
    if "enum" in schema:
        return next((v for v in schema["enum"] if v is not None), None)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        return {
            name: sample(sub, doc, lines=lines, depth=depth + 1)
            for name, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        count = lines if depth <= 3 else 1
        return [
            sample(schema.get("items", {}), doc, lines=lines, depth=depth + 1)
            for _ in range(count)
        ]
    fmt = schema.get("format")
    if kind == "string":
        return {
            "date": "2024-03-31",
            "date-time": "2024-03-31T12:30:00+00:00",
            "uuid": "3f1c7b4e-1d2a-4c5b-9e8f-0a1b2c3d4e5f",
            "email": "someone@example.com",
            "uri": "https://example.com/x",
        }.get(fmt, "text")
    if kind == "integer":
        return 7
    if kind == "number":
        return 12.5
    if kind == "boolean":
        return True
    return "text"


def onfact_payloads(spec: Path = ONFACT) -> dict[str, bytes]:
    """JSON bodies: a 100-invoice list, one invoice with 20 lines, one invoice."""
    from generator.diagnostics import Diagnostics
    from generator.load.read import parse_text

    doc = parse_text(spec.read_text("utf-8"), str(spec), Diagnostics())
    invoice = {"$ref": "#/components/schemas/Invoice"}
    listing = sample(invoice, doc, lines=3)
    items = [dict(listing, id=i + 1) for i in range(100)]
    page = {"count": 100, "items": items}
    big = sample(invoice, doc, lines=20)
    return {
        "list": json.dumps(page).encode(),
        "invoice20": json.dumps(big).encode(),
        "invoice": json.dumps(listing).encode(),
    }


# Each driver prints one JSON object of per-call seconds (medians).
_TIMER = r"""
import json, statistics, sys, time
def per_call(fn, reps, number):
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t) / number)
    return statistics.median(times)
"""

_US_RUNTIME = _TIMER + r"""
sys.path.insert(0, sys.argv[1])
import importlib
pkg = importlib.import_module(sys.argv[2])
if sys.argv[7:] == ["float"]:  # the control: exact numbers held as the peer holds them
    from pydantic_core import core_schema
    exact = importlib.import_module(sys.argv[2] + "._runtime._encode")._ExactNumberSchema
    exact.__get_pydantic_core_schema__ = lambda self, source, handler: core_schema.float_schema()
reps, number = int(sys.argv[4]), int(sys.argv[5])
data = json.load(open(sys.argv[3]))
from importlib import import_module
m = import_module(sys.argv[2] + ".models")
rt = import_module(sys.argv[2] + "._runtime._models")
body = import_module(sys.argv[2] + "._runtime._body")
import httpx
listing = data["list"].encode()
inv20 = rt.parse_response(m.Invoice, json.loads(data["invoice20"]))
one = data["invoice"].encode()
out = {}
import decimal
out["exact"] = float(any(isinstance(v, decimal.Decimal) for v in vars(inv20.invoice_lines[0]).values()))
out["decode"] = per_call(lambda: rt.parse_json(m.InvoiceList, listing), reps, number)  # the path a client response takes
def encode():
    return body.prepare_body(inv20, "application/json", is_async=False).build()
out["encode"] = per_call(encode, reps, number)
def handler(request):
    return httpx.Response(200, content=one, headers={"content-type": "application/json"})
client_cls = getattr(pkg, sys.argv[6])
client = client_cls(api_key="k", company_uuid="c", base_url="https://api.example.com",
                    http_client=httpx.Client(transport=httpx.MockTransport(handler)))
out["get"] = per_call(lambda: client.invoices.get(1), reps, number)
bare = httpx.Client(transport=httpx.MockTransport(handler), base_url="https://api.example.com")
def bare_get():
    r = bare.get("/invoices/1.json", headers={"X-SESSION-KEY": "k", "X-COMPANY-UUID": "c", "Accept": "application/json"})
    r.raise_for_status()
    return r.json()
out["bare"] = per_call(bare_get, reps, number)
print(json.dumps(out))
"""

_PEER_RUNTIME = _TIMER + r"""
sys.path.insert(0, sys.argv[1])
import importlib
pkg = importlib.import_module(sys.argv[2])
reps, number = int(sys.argv[4]), int(sys.argv[5])
data = json.load(open(sys.argv[3]))
Invoice = importlib.import_module(sys.argv[2] + ".models.invoice").Invoice
InvoiceList = importlib.import_module(sys.argv[2] + ".models.invoice_list").InvoiceList
get_mod = importlib.import_module(sys.argv[2] + ".api.invoices.invoices_get")
import httpx
listing = data["list"].encode()
inv20 = Invoice.from_dict(json.loads(data["invoice20"]))
one = data["invoice"].encode()
out = {}
out["decode"] = per_call(lambda: InvoiceList.from_dict(json.loads(listing)), reps, number)
out["encode"] = per_call(lambda: json.dumps(inv20.to_dict()).encode(), reps, number)
def handler(request):
    return httpx.Response(200, content=one, headers={"content-type": "application/json"})
client = pkg.AuthenticatedClient(base_url="https://api.example.com", token="k")
client.set_httpx_client(httpx.Client(base_url="https://api.example.com", transport=httpx.MockTransport(handler)))
out["get"] = per_call(lambda: get_mod.sync(1, client=client), reps, number)
print(json.dumps(out))
"""


def runtime_figures(
    python: str,
    driver: str,
    out: Path,
    payloads: Path,
    reps: int,
    number: int,
    *extra: str,
) -> dict[str, float]:
    pkg = package_dir(out)
    proc = subprocess.run(
        [python, "-c", driver, str(out), pkg.name, str(payloads), str(reps)]
        + [str(number), *extra],
        capture_output=True,
        text=True,
        cwd=out,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"runtime driver failed:\n{proc.stderr[-3000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


_IMPORT = r"""
import sys, time, importlib
sys.path.insert(0, sys.argv[1])
for name in sys.argv[4].split(","):
    importlib.import_module(name)
t = time.perf_counter()
pkg = importlib.import_module(sys.argv[2])
client = eval(sys.argv[3], {"pkg": pkg})
print(time.perf_counter() - t)
"""

US_PRELOAD = "httpx,pydantic,pydantic.main,pydantic.fields,pydantic.type_adapter"
PEER_PRELOAD = "httpx,attrs,attr"


def import_time(
    python: str, out: Path, construct: str, preload: str, reps: int
) -> list[float]:
    """Seconds to import the package and construct a client, fresh each time."""
    pkg = package_dir(out)
    env = _env()
    # bytecode as an installed package would have it; then measure warm
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([python, "-m", "compileall", "-q", str(pkg)], check=True, env=env)
    times = []
    for _ in range(reps + 1):
        proc = subprocess.run(
            [python, "-c", _IMPORT, str(out), pkg.name, construct, preload],
            capture_output=True,
            text=True,
            env=env,
            cwd=out,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"import failed:\n{proc.stderr[-3000:]}")
        times.append(float(proc.stdout.strip()))
    return times[1:]


def client_class(out: Path) -> str:
    """Name of our generated synchronous client class."""
    import ast

    tree = ast.parse((package_dir(out) / "__init__.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "_client":
            for alias in node.names:
                if alias.name != "ServerName" and not alias.name.startswith("Async"):
                    return alias.name
    raise RuntimeError(f"no client class in {out}")


# ---------------------------------------------------------------------------
# Report


def med(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(us: float, peer: float) -> str:
    if not peer or peer != peer:
        return "-"
    return f"{us / peer:.2f}"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: str) -> None:
        self.rows.append(cells)
        print(" | ".join(cells), flush=True)

    def timed(self, figure: str, name: str, us: float, peer: float, goal: str) -> None:
        """A row of two durations (seconds) and their ratio."""
        self.add(figure, name, fmt_s(us), fmt_s(peer), ratio(us, peer), goal)

    def markdown(self) -> str:
        head = ("figure", "input", "us", "peer", "us/peer", "goal")
        lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def fmt_s(value: float) -> str:
    if value != value:
        return "-"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def as_installed(work: Path) -> None:
    """Our generator as an installed one is before a cold run, the state the
    peer is measured in: its modules byte-compiled (pip does that at install;
    an editable install under PYTHONDONTWRITEBYTECODE never gets them) and
    its templates compiled by a first run (kept beside them, like .pyc)."""
    env = _env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    generator = REPO / "generator"
    subprocess.run(
        [US_PY, "-m", "compileall", "-q", str(generator)], check=True, env=env
    )
    checked(us_generate(ONFACT, work), "clientgen generate (warm-up)")


def run_cold(
    table: Table, name: str, spec: Path, reps: int, peer_bin: Path, work: Path
) -> float:
    runs = cold(spec, work, reps, peer_bin)
    us, peer = runs["us"], runs["peer"]
    size, files = tree_size(work / f"us-{reps - 1}")
    psize, pfiles = tree_size(work / f"peer-{reps - 1}")
    print(
        f"  {name}: output us {size / 1e6:.2f} MB in {files} .py files; "
        f"peer {psize / 1e6:.2f} MB in {pfiles}"
    )
    wall = med([r.wall for r in us])
    for label, get, goal in (
        ("cold generation wall, validation included", lambda r: r.wall, "≤ 0.5"),
        ("cold CPU", lambda r: r.cpu, "reported"),
    ):
        u, p = med([get(r) for r in us]), med([get(r) for r in peer])
        table.timed(label, name, u, p, goal)
    table.timed(
        "cold generation wall, `validate: false` (control: the peer does not validate)",
        name,
        med([r.wall for r in runs["unvalidated"]]),
        med([r.wall for r in peer]),
        "-",
    )
    for label, get, goal in (
        ("cold peak memory (PSS, process tree)", lambda r: r.rss_tree, "≤ 1.0"),
        ("cold peak RSS (largest process)", lambda r: r.rss_max, "≤ 1.0"),
    ):
        u, p = med([get(r) for r in us]), med([get(r) for r in peer])
        table.add(label, name, f"{u:.0f} MB", f"{p:.0f} MB", ratio(u, p), goal)
    return wall


def run_unchanged(
    table: Table, name: str, spec: Path, reps: int, cold_wall: float, work: Path
) -> None:
    runs = unchanged(spec, work, reps)
    for label, values in runs.items():
        u = med([r.wall for r in values])
        table.timed(
            f"{label}, unchanged tree, no cache (vs our cold wall)",
            name,
            u,
            cold_wall,
            "≤ 0.1",
        )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    p.add_argument("--only", help=f"comma-separated rows of: {', '.join(ROWS)}")
    p.add_argument("--reps", type=int, help="repetitions of generation rows")
    p.add_argument("--peer-bin", default=str(PEER_BIN), help="the peer venv's bin")
    p.add_argument("--no-github", action="store_true", help="onFact only")
    p.add_argument("--no-prefect", action="store_true", help="no Prefect rows")
    p.add_argument("--markdown", help="also write the table to this file")
    args = p.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(ROWS)
    unknown = only - set(ROWS)
    if unknown:
        p.error(f"unknown rows: {', '.join(sorted(unknown))}")
    peer_bin = Path(args.peer_bin).resolve()  # the peer runs in other folders
    if not (peer_bin / "openapi-python-client").exists():
        p.error(f"the peer is not installed in {peer_bin}: run 'make bench'")
    reps = args.reps or (3 if args.quick else 5)
    gh_reps = max(1, min(reps, 1 if args.quick else 2))
    micro_reps, micro_number = (7, 30) if args.quick else (15, 50)
    micro_rounds = 3 if args.quick else 5
    specs: list[tuple[str, Path, int]] = [("onFact", ONFACT, reps)]
    if args.no_github:
        pass
    elif GITHUB.is_file():
        specs.append(("GitHub", GITHUB, gh_reps))
    else:
        print(f"GitHub rows skipped: {GITHUB} not found (../shared is missing)")
    print(
        f"machine: {os.cpu_count()} cores, {_cpu_model()}; python "
        f"{sys.version.split()[0]}; medians of {reps} (GitHub {gh_reps})"
    )
    table = Table()
    with tempfile.TemporaryDirectory(prefix="clientgen-bench-") as tmp:
        root = Path(tmp)
        as_installed(root / "warm-up")
        cold_walls: dict[str, float] = {}
        outs: dict[str, tuple[Path, Path]] = {}
        for name, spec, n in specs:
            work = root / f"cold-{name}"
            work.mkdir()
            if "cold" in only or "unchanged" in only:
                cold_walls[name] = run_cold(table, name, spec, n, peer_bin, work)
            if only & {"import", "decode", "encode", "get", *USER_ROWS}:
                outs[name] = _outputs(spec, root / f"pkg-{name}", peer_bin)
        if "cold" in only and not args.no_prefect:
            (root / "cold-prefect").mkdir()
            spec = prefect_description(root / "cold-prefect" / "prefect-api.json")
            if spec is not None:
                work = root / "cold-prefect" / "runs"
                work.mkdir()
                run_cold(table, "Prefect (FastAPI)", spec, gh_reps, peer_bin, work)
        if "unchanged" in only:
            for name, spec, n in specs:
                work = root / f"unchanged-{name}"
                work.mkdir()
                run_unchanged(table, name, spec, n, cold_walls[name], work)
        if "regen" in only:
            work = root / "regen"
            work.mkdir()
            r = regen(ONFACT, work)
            table.add(
                "regeneration, one operation changed (wall)",
                "onFact",
                fmt_s(r.run.wall),
                "-",
                "-",
                "only affected files",
            )
            print(
                f"  re-rendered (render hash changed): {', '.join(r.rendered_changed)}\n"
                f"  re-formatted by black: {r.formatted} file(s)\n"
                f"  written: {', '.join(r.written)}"
            )
        if "import" in only:
            for name, _, _ in specs:
                us_out, peer_out = outs[name]
                cls = client_class(us_out)
                u = med(
                    import_time(US_PY, us_out, f"pkg.{cls}()", US_PRELOAD, 2 * reps)
                )
                pp = med(
                    import_time(
                        str(peer_bin / "python"),
                        peer_out,
                        "pkg.Client(base_url='https://api.example.com')",
                        PEER_PRELOAD,
                        2 * reps,
                    )
                )
                table.timed(
                    "import + construct client",
                    name,
                    u,
                    pp,
                    "≤ 0.5",
                )
        if only & {"decode", "encode", "get"}:
            us_out, peer_out = outs["onFact"]
            payloads = root / "payloads.json"
            payloads.write_text(
                json.dumps({k: v.decode() for k, v in onfact_payloads().items()})
            )
            # us and the peer alternate, so a drift of the machine's speed
            # weighs on both sides alike; each figure is the median of rounds
            rounds = []
            ours_args = (micro_reps, micro_number, client_class(us_out))
            for _ in range(micro_rounds):
                ours_round = runtime_figures(
                    US_PY, _US_RUNTIME, us_out, payloads, *ours_args
                )
                # the control: the same package, exact money held as float
                control = runtime_figures(
                    US_PY, _US_RUNTIME, us_out, payloads, *ours_args, "float"
                )
                ours_round.update({f"{k} float": v for k, v in control.items()})
                theirs_round = runtime_figures(
                    str(peer_bin / "python"),
                    _PEER_RUNTIME,
                    peer_out,
                    payloads,
                    micro_reps,
                    micro_number,
                )
                rounds.append((ours_round, theirs_round))
            ours = {k: med([r[0][k] for r in rounds]) for k in rounds[0][0]}
            theirs = {k: med([r[1][k] for r in rounds]) for k in rounds[0][1]}
            if "decode" in only:
                table.timed(
                    "decode 100-invoice list from JSON bytes",
                    "onFact",
                    ours["decode"],
                    theirs["decode"],
                    "≤ 0.5",
                )
            if "encode" in only:
                table.timed(
                    "encode invoice with 20 lines to a body",
                    "onFact",
                    ours["encode"],
                    theirs["encode"],
                    "≤ 0.5",
                )
            # the controls: what exact money (``Decimal``) costs on each row
            for row, label in (
                ("decode", "decode 100-invoice list"),
                ("encode", "encode invoice with 20 lines"),
                ("get", "one GET"),
            ):
                if row in only:
                    table.timed(
                        f"{label}, money as float (control: as the peer holds it)",
                        "onFact",
                        ours[f"{row} float"],
                        ours["bare"] if row == "get" else theirs[row],
                        "-",
                    )
            if "get" in only:
                table.timed(
                    "one GET on MockTransport (peer column: bare httpx)",
                    "onFact",
                    ours["get"],
                    ours["bare"],
                    "≤ 2.0",
                )
                table.timed(
                    "one GET on MockTransport, peer's client (for reference)",
                    "onFact",
                    ours["get"],
                    theirs["get"],
                    "-",
                )
        if only & set(USER_ROWS):
            user_rows(
                table, only, outs, dict((n, s) for n, s, _ in specs), peer_bin, reps
            )
    print()
    print(table.markdown())
    if args.markdown:
        Path(args.markdown).write_text(table.markdown() + "\n", "utf-8")
    return 0


def _outputs(spec: Path, work: Path, peer_bin: Path) -> tuple[Path, Path]:
    work.mkdir()
    us_out, peer_out = work / "us", work / "peer"
    checked(us_generate(spec, us_out), "clientgen generate")
    checked(peer_generate(spec, peer_out, peer_bin), "peer generate")
    return us_out, peer_out


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
