"""The figures a user of a generated package feels (issue 17), for ``bench``.

- **first call**: a fresh interpreter that already has httpx and pydantic
  (the peer: httpx and attrs) imported, timed from ``import`` of the package
  to the first decoded response: construct the client, make one GET on
  ``httpx.MockTransport``. GitHub: ``orgs.get("github")`` answered with the
  description's own ``organization-full`` example; onFact:
  ``invoices.get(1)`` answered with a sample invoice;
- **type checkers**: mypy ``--strict`` with an empty cache, and pyright, on
  a five-line script that builds the client and makes that call;
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

# A call: (package import name) → the statements after ``import pkg``;
# ``payload`` (bytes) is what the mock transport answers.
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
    [m for m in sys.modules if m.startswith(sys.argv[2] + ".models")])}))
"""

#: The call made after ``import pkg``, ours and the peer's, per target.
US_CALLS = {
    "GitHub": (
        "client = pkg.GithubClient(http_client=httpx.Client("
        "transport=httpx.MockTransport(handler)))\n"
        'result = client.orgs.get("github")'
    ),
    "onFact": (
        'client = pkg.OnFact(api_key="k", company_uuid="c", '
        "http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "result = client.invoices.get(1)"
    ),
}
PEER_CALLS = {
    "GitHub": (
        'get = importlib.import_module(sys.argv[2] + ".api.orgs.orgs_get")\n'
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
        "from {pkg} import GithubClient\n\n"
        "client = GithubClient()\n"
        'org = client.orgs.get("github")\n'
        "print(org.login)\n"
    ),
}
PEER_SCRIPTS = {
    "GitHub": (
        "from {pkg} import Client\n"
        "from {pkg}.api.orgs import orgs_get\n\n"
        'client = Client(base_url="https://api.github.com")\n'
        'print(orgs_get.sync("github", client=client))\n'
    ),
}


def github_org_example(spec: Path) -> bytes:
    """The description's ``organization-full`` example, as JSON bytes."""
    doc = json.loads(spec.read_text("utf-8"))
    value = doc["components"]["examples"]["organization-full"]["value"]
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


def _script(out: Path, text: str) -> Path:
    path = out / "bench_user_script.py"
    path.write_text(text, "utf-8")
    return path


def mypy_cold(python: str, mypy: str, out: Path, script: str) -> Checked:
    """``mypy --strict`` on ``script`` next to the package, empty cache;
    ``python`` is the interpreter whose packages mypy sees."""
    path = _script(out, script)
    with tempfile.TemporaryDirectory() as cache:
        cmd = [mypy, "--strict", "--cache-dir", cache, "--python-executable"]
        cmd += [python, path.name]
        return _timed(cmd, out)


def pyright_run(pyright: str, python: str, out: Path, script: str) -> Checked:
    """pyright on ``script`` (it keeps no cache between runs)."""
    path = _script(out, script)
    env = dict(os.environ)
    # the wrapper's node package, if it must fetch one, stays in the repo
    env.setdefault("XDG_CACHE_HOME", str(Path(__file__).parents[2] / ".cache"))
    cmd = [pyright, "--pythonpath", python, path.name]
    return _timed(cmd, out, env)


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Checked:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    seconds = time.perf_counter() - started
    return Checked(seconds, proc.returncode, (proc.stdout + proc.stderr)[-3000:])
