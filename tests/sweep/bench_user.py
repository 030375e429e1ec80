"""The figures a user of a generated package feels (issue 17), for ``bench``.

- **first call**: a fresh interpreter that already has httpx and pydantic
  (the peer: httpx and attrs) imported, timed from ``import`` of the package
  to the first decoded response: construct the client, make one GET on
  ``httpx.MockTransport``. GitHub: ``orgs.get("github")`` answered with the
  description's own ``organization-full`` example; onFact:
  ``invoices.get(1)`` answered with a sample invoice;
- **type checkers**: mypy ``--strict`` with an empty cache, and pyright, on
  a five-line script that builds the client and makes that call; the
  package found on the path as an installed one is (mypy then skips its
  function bodies), and, for mypy, also beside the script (bodies checked);
- **package size**: bytes and ``.py`` files of each generated package.

Every function here takes a generated tree (``us``: ours, ``peer``:
openapi-python-client's) and runs in subprocesses; nothing is asserted
(``tests/test_bench.py`` runs them once on onFact so they cannot rot).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The driver: argv is the tree, the package, the modules to preload and the
# file of the JSON body the mock transport answers; CALL binds ``result``.
_FIRST_CALL = r"""
import json, sys, time, importlib
sys.path.insert(0, sys.argv[1])
for name in sys.argv[3].split(","):
    importlib.import_module(name)
import httpx
payload = open(sys.argv[4], "rb").read()
def handler(request):
    return httpx.Response(200, content=payload, headers={"content-type": "application/json"})
started = time.perf_counter()
pkg = importlib.import_module(sys.argv[2])
CALL
elapsed = time.perf_counter() - started
assert result is not None, "no decoded response"
print(json.dumps({"seconds": elapsed, "type": type(result).__name__, "models": len(
    [m for m in sys.modules  # ours in _models, the peer's in models
     if m.startswith((sys.argv[2] + "._models.", sys.argv[2] + ".models."))])}))
"""

#: The call made after ``import pkg``, ours and the peer's, per target.
US_CALLS = {
    "GitHub": (
        "client = pkg.{client}(http_client=httpx.Client("
        "transport=httpx.MockTransport(handler)))\n"
        'result = client.orgs.get("github")'
    ),
    "onFact": (
        'client = pkg.{client}(api_key="k", company_uuid="c", '
        "http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "result = client.invoices.get(1)"
    ),
}
PEER_CALLS = {
    "GitHub": (
        'get = importlib.import_module(sys.argv[2] + ".api.orgs.orgsget")\n'
        'client = pkg.Client(base_url="https://api.github.com")\n'
        "client.set_httpx_client(httpx.Client(base_url='https://api.github.com', "
        "transport=httpx.MockTransport(handler)))\n"
        'result = get.sync("github", client=client)'
    ),
    "onFact": (
        'get = importlib.import_module(sys.argv[2] + ".api.invoices.invoices_get")\n'
        'client = pkg.AuthenticatedClient(base_url="https://api.example.com", token="k")\n'
        "client.set_httpx_client(httpx.Client(base_url='https://api.example.com', "
        "transport=httpx.MockTransport(handler)))\n"
        "result = get.sync(1, client=client)"
    ),
}

#: The user scripts the type checkers check, ours and the peer's.
US_SCRIPTS = {
    "GitHub": (
        "from {pkg} import {client}\n\n"
        "client = {client}()\n"
        'org = client.orgs.get("github")\n'
        "print(org.login)\n"
    ),
}
PEER_SCRIPTS = {
    "GitHub": (
        "from {pkg} import Client\n"
        "from {pkg}.api.orgs import orgsget\n\n"
        'client = Client(base_url="https://api.github.com")\n'
        'print(orgsget.sync("github", client=client))\n'
    ),
}


def github_org_example(spec: Path) -> bytes:
    """The description's ``organization-full`` example, as JSON bytes; a
    required property it lacks (``archived_at``) is given as ``null``, which
    the peer's decoder needs (ours reads the example as it is)."""
    doc = json.loads(spec.read_text("utf-8"))
    value = doc["components"]["examples"]["organization-full"]["value"]
    schema = doc["components"]["schemas"]["organization-full"]
    for name in schema.get("required", ()):
        value.setdefault(name, None)
    return json.dumps(value).encode()


def compile_tree(python: str, package: Path) -> None:
    """Bytecode, as an installed package would have it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "2", str(package)],
        check=True,
        env=env,
    )


@dataclass(frozen=True)
class FirstCall:
    seconds: float
    result_type: str
    model_modules: int  # modules under ``<pkg>.models`` loaded by the call


def first_call(
    python: str,
    out: Path,
    package: str,
    call: str,
    preload: str,
    payload: bytes,
    reps: int,
) -> list[FirstCall]:
    """Seconds from ``import`` to the decoded response, each in a fresh
    interpreter (bytecode compiled first, and one unmeasured warm-up run)."""
    compile_tree(python, out / package)
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        f.write(payload)
        f.flush()
        script = _FIRST_CALL.replace("CALL", call)
        runs = []
        for _ in range(reps + 1):
            proc = subprocess.run(
                [python, "-c", script, str(out), package, preload, f.name],
                capture_output=True,
                text=True,
                cwd=out,
            )
            if proc.returncode != 0:
                raise RuntimeError(f"first call failed:\n{proc.stderr[-3000:]}")
            data = json.loads(proc.stdout.strip().splitlines()[-1])
            runs.append(FirstCall(data["seconds"], data["type"], data["models"]))
    return runs[1:]


@dataclass(frozen=True)
class Checked:
    seconds: float
    code: int  # the checker's exit status (0: no error found)
    output: str


def _placed(
    out: Path, text: str, installed: bool, work: Path
) -> tuple[Path, dict[str, str]]:
    """Where to check the script from, and the environment: ``installed``,
    the script in ``work`` and the package found on ``PYTHONPATH``, as a
    package installed with pip is (type checkers skip the bodies of its
    functions: mypy treats it as a third-party module); else the script
    next to the package (its function bodies are checked too)."""
    env = dict(os.environ)
    # the pyright wrapper's node package, if it must fetch one, stays in the repo
    env.setdefault("XDG_CACHE_HOME", str(Path(__file__).parents[2] / ".cache"))
    folder = work if installed else out
    (folder / "bench_user_script.py").write_text(text, "utf-8")
    if installed:
        env["PYTHONPATH"] = str(out)
    else:
        env.pop("PYTHONPATH", None)
    return folder, env


def mypy_cold(
    python: str, mypy: str, out: Path, script: str, *, installed: bool = True
) -> Checked:
    """``mypy --strict`` on ``script`` with an empty cache; ``python`` is the
    interpreter whose packages mypy sees (see :func:`_placed`)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, env = _placed(out, script, installed, Path(tmp))
        cmd = [mypy, "--strict", "--cache-dir", str(Path(tmp) / "cache")]
        cmd += ["--python-executable", python, "bench_user_script.py"]
        return _timed(cmd, folder, env)


def pyright_run(
    pyright: str, python: str, out: Path, script: str, *, installed: bool = True
) -> Checked:
    """pyright on ``script`` (it keeps no cache between runs)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, env = _placed(out, script, installed, Path(tmp))
        cmd = [pyright, "--pythonpath", python, "bench_user_script.py"]
        return _timed(cmd, folder, env)


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Checked:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    seconds = time.perf_counter() - started
    return Checked(seconds, proc.returncode, (proc.stdout + proc.stderr)[-3000:])


US_SCRIPTS["onFact"] = (
    "from {pkg} import {client}\n\n"
    'client = {client}(api_key="k", company_uuid="c")\n'
    "invoice = client.invoices.get(1)\n"
    "print(invoice.id)\n"
)
PEER_SCRIPTS["onFact"] = (
    "from {pkg} import AuthenticatedClient\n"
    "from {pkg}.api.invoices import invoices_get\n\n"
    'client = AuthenticatedClient(base_url="https://api.example.com", token="k")\n'
    "print(invoices_get.sync(1, client=client))\n"
)

#: (row name, goal) of the rows this module adds to ``bench``.
ROWS = ("first-call", "mypy", "pyright", "size")


def user_rows(
    table: Any,
    only: set[str],
    outs: dict[str, tuple[Path, Path]],
    specs: dict[str, Path],
    peer_bin: Path,
    reps: int,
) -> None:
    """Add the rows of :data:`ROWS` named in ``only`` to ``table`` (a
    ``bench.Table``), for each target in ``outs`` (name → our tree, the
    peer's); the type checkers and the size for GitHub only, when present."""
    from tests.sweep.bench import (
        PEER_PRELOAD,
        US_PRELOAD,
        US_PY,
        client_class,
        med,
        package_dir,
    )

    peer_py = str(peer_bin / "python")
    for name, (us_out, peer_out) in outs.items():
        us_pkg, peer_pkg = package_dir(us_out).name, package_dir(peer_out).name
        client = client_class(us_out)
        if "first-call" in only:
            payload = (
                github_org_example(specs[name])
                if name == "GitHub"
                else onfact_invoice(specs[name])
            )
            call = US_CALLS[name].format(client=client)
            us = first_call(US_PY, us_out, us_pkg, call, US_PRELOAD, payload, reps)
            peer = first_call(
                peer_py,
                peer_out,
                peer_pkg,
                PEER_CALLS[name],
                PEER_PRELOAD,
                payload,
                reps,
            )
            table.timed(
                "first call: import + construct + one GET decoded (fresh interpreter)",
                name,
                med([r.seconds for r in us]),
                med([r.seconds for r in peer]),
                "≤ 0.1",
            )
            print(
                f"  {name}: model modules loaded by the call: us "
                f"{us[0].model_modules}, peer {peer[0].model_modules}"
            )
        if name != "GitHub":
            continue
        us_script = US_SCRIPTS[name].format(pkg=us_pkg, client=client)
        peer_script = PEER_SCRIPTS[name].format(pkg=peer_pkg)
        if "mypy" in only:
            mypy = str(Path(US_PY).parent / "mypy")
            for installed, how in ((True, "installed"), (False, "beside it")):
                u = mypy_cold(US_PY, mypy, us_out, us_script, installed=installed)
                p = mypy_cold(peer_py, mypy, peer_out, peer_script, installed=installed)
                figure = f"mypy --strict, five-line script, cold cache (package {how})"
                _checked_row(table, figure, name, u, p)
        if "pyright" in only:
            pyright = str(Path(US_PY).parent / "pyright")
            u = pyright_run(pyright, US_PY, us_out, us_script)
            p = pyright_run(pyright, peer_py, peer_out, peer_script)
            _checked_row(
                table, "pyright, the same script (package installed)", name, u, p
            )
        if "size" in only:
            from tests.sweep.bench import tree_size

            size, files = tree_size(us_out / us_pkg)
            psize, pfiles = tree_size(peer_out / peer_pkg)
            table.add(
                "generated package size (bytes, .py files)",
                name,
                f"{size / 1e6:.1f} MB, {files}",
                f"{psize / 1e6:.1f} MB, {pfiles}",
                f"{size / psize:.2f}",
                "reported",
            )


def _checked_row(
    table: Any, figure: str, name: str, us: Checked, peer: Checked
) -> None:
    table.timed(figure, name, us.seconds, peer.seconds, "≤ 0.5")
    for who, run in (("us", us), ("peer", peer)):
        if run.code != 0:
            print(f"  {who}: the checker reported errors (exit {run.code}):")
            print("    " + run.output.strip().replace("\n", "\n    ")[-1500:])


def onfact_invoice(spec: Path) -> bytes:
    """One sample invoice of the onFact description, as JSON bytes."""
    from tests.sweep.bench import onfact_payloads

    return onfact_payloads(spec)["invoice"]
