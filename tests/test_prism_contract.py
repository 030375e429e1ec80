"""Contract test: every onFact operation against the Stoplight Prism mock.

The test setup installs Prism (pinned) with npm into ``.cache/prism``, starts
it on loopback serving ``specs/onfact.yaml`` and stops it afterwards. Prism
validates each request against the spec; a violation comes back in the
``sl-violations`` header (or as a 4xx from Prism itself) and fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from helpers import REPO
from onfact_calls import OPS, build_call

PRISM_VERSION = "5.16.0"
PRISM_DIR = REPO / ".cache" / "prism"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _install_prism() -> str:
    binary = PRISM_DIR / "node_modules" / ".bin" / "prism"
    marker = PRISM_DIR / f".installed-{PRISM_VERSION}"
    if binary.exists() and marker.exists():
        return str(binary)
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the Prism contract test needs node and npm")
    PRISM_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(PRISM_DIR),
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"@stoplight/prism-cli@{PRISM_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert (
        result.returncode == 0
    ), f"npm install of Prism failed:\n{result.stderr[-3000:]}"
    marker.write_text("ok")
    return str(binary)


@pytest.fixture(scope="module")
def prism() -> Iterator[str]:
    binary = _install_prism()
    port = _free_port()
    log_path = PRISM_DIR / f"prism-{port}.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            binary,
            "mock",
            str(REPO / "specs" / "onfact.yaml"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Prism exited early:\n{log_path.read_text()[-3000:]}")
            try:
                httpx.get(base + "/languages.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("Prism did not start within 120 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def onfact() -> Iterator[Any]:
    folder = str(REPO / "generated" / "onfact")
    sys.path.insert(0, folder)
    try:
        import onfact

        yield onfact
    finally:
        sys.path.remove(folder)


def test_every_operation_passes_prism_validation(prism: str, onfact: Any) -> None:
    responses: list[httpx.Response] = []

    def record(response: httpx.Response) -> None:
        responses.append(response)

    http = httpx.Client(event_hooks={"response": [record]})
    client = onfact.OnFact(
        api_key="key",
        company_uuid="company",
        base_url=prism,
        http_client=http,
        max_retries=0,
    )
    problems: list[str] = []
    for path, method, op, item in OPS:
        call = build_call(onfact, path, method, op, item)
        before = len(responses)
        try:
            getattr(getattr(client, call.resource), call.method)(
                *call.args, **call.kwargs
            )
        except onfact.APIStatusError as exc:
            problems.append(
                f"{op['operationId']}: HTTP {exc.status_code}: {exc.body!r}"[:500]
            )
            continue
        except Exception as exc:  # noqa: BLE001 - collect every failure, report all
            problems.append(f"{op['operationId']}: {type(exc).__name__}: {exc}"[:500])
            continue
        for response in responses[before:]:
            violations = response.headers.get("sl-violations")
            if violations:
                problems.append(f"{op['operationId']}: {json.loads(violations)}"[:500])
    http.close()
    assert not problems, "Prism reported request violations:\n" + "\n".join(problems)
    assert len(responses) >= len(OPS)
