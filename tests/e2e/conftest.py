"""Real servers for the end-to-end suite (issue 16): each installed pinned
from the registries into a cached venv, started on loopback by a fixture,
its published description turned into a client, and stopped afterwards.

The suite runs only under ``make e2e`` (``CLIENTGEN_E2E=1``): it needs the
package registries for its first install and a minute or more of servers.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

E2E = Path(__file__).resolve().parent
REPO = E2E.parents[1]
VENVS = Path(os.environ.get("CLIENTGEN_E2E_VENVS", REPO / ".e2e-venvs"))
ENABLED = os.environ.get("CLIENTGEN_E2E") == "1"

if not ENABLED:
    # ``make test`` leaves the servers alone; ``make e2e`` sets the variable.
    collect_ignore_glob = ["test_*.py"]

# Words of pip's output that mean the registry could not be reached, not
# that the pins are wrong.
NETWORK_FAILURES = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "Read timed out",
    "ProxyError",
    "Connection refused",
    "Could not fetch URL",
)


def _network_failure(output: str) -> str | None:
    """pip's first line saying the registry could not be reached, if any."""
    for line in output.splitlines():
        if any(word in line for word in NETWORK_FAILURES):
            return line.strip()
    return None


# A server whose install could not reach the registry: skipped at once for
# the rest of the run, without asking pip again.
_UNREACHABLE: dict[str, str] = {}


def server_venv(name: str, requirements: Path | None = None) -> Path:
    """The venv of ``servers/<name>.txt`` (or of ``requirements``), built on
    first use and kept under ``.e2e-venvs/<name>-<hash of the file>``; a
    registry that cannot be reached skips the test, any other failed install
    fails it."""
    requirements = requirements or E2E / "servers" / f"{name}.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    venv = VENVS / f"{name}-{digest}"
    stamp = venv / ".installed"
    if name in _UNREACHABLE:
        pytest.skip(_UNREACHABLE[name])
    VENVS.mkdir(parents=True, exist_ok=True)
    with open(VENVS / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists():
            return venv
        for stale in VENVS.glob(f"{name}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        result = subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--no-input",
                "-r",
                str(requirements),
            ],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            output = result.stdout + result.stderr
            cause = _network_failure(output)
            if cause is not None:
                _UNREACHABLE[name] = (
                    f"package registry unreachable while installing {name} "
                    f"from {requirements.name} (pip: {cause[:300]})"
                )
                pytest.skip(_UNREACHABLE[name])
            pytest.fail(f"installing {requirements} failed:\n{output[-4000:]}")
        stamp.write_text(requirements.read_text("utf-8"), "utf-8")
    return venv


def installed_modules(venv: Path) -> set[str]:
    """The top-level modules and packages a venv can import from its
    site-packages: what a package of the same name installed there would
    replace."""
    names = set()
    for site in venv.glob("lib/python*/site-packages"):
        for entry in site.iterdir():
            stem = entry.name.split(".")[0]
            if entry.suffix in (".dist-info", ".egg-info", ".pth") or not stem:
                continue
            if entry.is_dir() or entry.suffix in (".py", ".so"):
                names.add(stem)
    return names


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A running server: where it answers and where its output goes."""

    name: str
    url: str
    log: Path

    def log_tail(self) -> str:
        """The last lines the server printed, for failure messages."""
        return self.log.read_text("utf-8", "replace")[-3000:]


@contextmanager
def running(
    name: str,
    command: Sequence[str | Path],
    *,
    url: str,
    ready_path: str,
    workdir: Path,
    env: Mapping[str, str] | None = None,
    startup_limit: float = 180.0,
) -> Iterator[Server]:
    """Start ``command`` in its own process group, wait until ``ready_path``
    answers below 500, yield, then kill the whole group."""
    log = workdir / f"{name}.log"
    full_env = {**os.environ, **(env or {})}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(part) for part in command],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=workdir,
            env=full_env,
            start_new_session=True,
        )
    server = Server(name, url, log)
    try:
        _wait_ready(process, server, url + ready_path, startup_limit)
        yield server
    finally:
        _stop(process)


def _wait_ready(
    process: subprocess.Popen[bytes], server: Server, url: str, limit: float
) -> None:
    # A bound on a hang, not a speed check: a server that is not up after
    # ``limit`` seconds is broken.
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"{server.name} exited with {process.returncode} while "
                f"starting:\n{server.log_tail()}"
            )
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{server.name} did not answer {url}:\n{server.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


def fetch_description(
    url: str, target: Path, headers: Mapping[str, str] | None = None
) -> Path:
    """Save the description the server publishes at ``url`` into ``target``."""
    response = httpx.get(url, headers=dict(headers or {}), timeout=30.0)
    assert response.status_code == 200, (url, response.status_code, response.text)
    target.write_bytes(response.content)
    return target


@dataclass(frozen=True)
class Generated:
    """A client generated from a server's own description."""

    spec: Path
    folder: Path
    package: ModuleType
    warnings: str

    @property
    def document(self) -> dict[str, Any]:
        """The description as the server published it (JSON or YAML)."""
        text = self.spec.read_text("utf-8")
        is_json = self.spec.suffix == ".json"
        loaded = json.loads(text) if is_json else yaml.safe_load(text)
        assert isinstance(loaded, dict)
        return loaded

    def operation_count(self) -> int:
        """How many operations the description has."""
        methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
        paths = self.document.get("paths") or {}
        return sum(len(methods & set(item)) for item in paths.values())


def generate_client(spec: Path, out: Path, import_name: str) -> Generated:
    """``clientgen generate SPEC -o OUT`` with no configuration, as a new
    user runs it; the package is importable afterwards."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=out.parent,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "error[" not in result.stderr, result.stderr[-4000:]
    assert (out / import_name / "__init__.py").is_file(), sorted(out.iterdir())
    sys.path.insert(0, str(out))
    package = importlib.import_module(import_name)
    return Generated(spec, out, package, result.stderr)


def mypy_strict(script: Path, generated: Generated, cache: Path) -> None:
    """``mypy --strict`` over a workflow script against the generated package."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(cache),
            str(script),
        ],
        capture_output=True,
        text=True,
        cwd=script.parent,
        env={**os.environ, "MYPYPATH": str(generated.folder)},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


# The closing note: what each server was and how many steps passed.

FACTS = VENVS / "facts"
_STARTED = time.time()


def record_facts(module: str, distribution: str, generated: Generated) -> None:
    """Note the server's pinned version and its description's for the
    summary printed at the end of the run."""
    pins = (E2E / "servers" / f"{distribution}.txt").read_text("utf-8")
    wanted = distribution.replace("-", "_").lower()
    version = next(
        line.split("==")[1]
        for line in pins.splitlines()
        if line.split("==")[0].replace("-", "_").lower() == wanted
    )
    document = generated.document
    dialect = (
        f"Swagger {document['swagger']}"
        if "swagger" in document
        else f"OpenAPI {document['openapi']}"
    )
    info = document.get("info") or {}
    FACTS.mkdir(parents=True, exist_ok=True)
    facts = {
        "server": f"{distribution} {version}",
        "description": f"{dialect}, '{info.get('title')}' {info.get('version')}",
        "operations": generated.operation_count(),
    }
    (FACTS / f"{module}.json").write_text(json.dumps(facts), "utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line a server: versions, operations, and the steps' outcomes."""
    if not ENABLED or not FACTS.is_dir():
        return
    lines = []
    for path in sorted(FACTS.glob("*.json")):
        if path.stat().st_mtime < _STARTED:
            continue
        facts = json.loads(path.read_text("utf-8"))
        counts = {
            outcome: sum(
                1
                for report in terminalreporter.stats.get(outcome, [])
                if getattr(report, "nodeid", "").startswith(f"tests/e2e/{path.stem}.py")
                and getattr(report, "when", "call") in ("call", "setup")
            )
            for outcome in ("passed", "xfailed", "failed", "error", "skipped")
        }
        steps = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
        lines.append(
            f"{facts['server']}: {facts['description']}, "
            f"{facts['operations']} operations; steps: {steps}"
        )
    if lines:
        terminalreporter.write_sep("-", "real servers")
        for line in lines:
            terminalreporter.write_line(line)
