"""Progress on a terminal, and none at all when stderr is not a terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from generator import progress
from generator.cli import main

ERASE = "\r\x1b[2K"

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "operationId": "makePet",
                "parameters": [{"name": "x", "in": "query", "schema": {}}],
                "responses": {"200": {"description": "ok"}},
            },
        }
    },
}


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_on(
    stream: io.StringIO, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stderr", stream)
    code = main(args)
    return code, stream.getvalue()


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(SPEC), "utf-8")
    return path


def test_stages_on_a_terminal(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    args = ["generate", str(spec), "-o", str(tmp_path / "out"), "--no-cache"]
    code, err = run_on(FakeTerminal(), [*args, "--jobs", "1"], monkeypatch)
    assert code == 0
    shown = [part for part in err.split(ERASE) if part]
    statuses = [s for s in shown if s.startswith("clientgen: pets.json: ")]
    stages = [s.removeprefix("clientgen: pets.json: ") for s in statuses]
    assert stages[:5] == ["load", "validate", "build", "render", "format"]
    # then one update per formatted file, counting up to the number formatted
    total = len(stages) - 5
    assert 1 <= total <= sum(1 for p in (tmp_path / "out").rglob("*.py"))
    assert stages[5:] == [f"format {n}/{total} files" for n in range(1, total + 1)]
    # the line is erased before the summary, which is printed on a clean line
    assert shown[-1].startswith("wrote ")
    assert err.index(ERASE + "wrote ") > err.index(stages[-1])
    # a second run reuses every formatted file: nothing to count
    code, err = run_on(FakeTerminal(), ["check", "--full", *args[1:]], monkeypatch)
    assert code == 0
    assert "format 1/" not in err and err.startswith(ERASE + "clientgen: ")


def test_diagnostics_never_land_on_the_status_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    missing = {"schema": {"$ref": "#/components/schemas/Missing"}}
    response = {"description": "ok", "content": {"application/json": missing}}
    get = {"responses": {"200": response}}
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({**SPEC, "info": {"title": "x"}, "paths": {"/x": {"get": get}}})
    )
    args = ["generate", str(bad), "-o", str(tmp_path / "out")]
    code, err = run_on(FakeTerminal(), args, monkeypatch)
    assert code == 0
    assert "warning[spec-invalid]" in err and "warning[bad-ref]" in err
    assert "clientgen: bad.json: format" in err
    for line in err.split("\n"):
        # every message starts on a line of its own, after the status is erased
        if "warning[" in line:
            # what is visible of the line: the text after the last erase
            assert line.split(ERASE)[-1].startswith("bad.json:1: warning["), line
    assert err.endswith("\n")  # no status line left behind


@pytest.mark.parametrize(
    "extra", [[], ["--quiet"], ["--format", "json"]], ids=["pipe", "quiet", "json"]
)
def test_no_progress_when_not_wanted(
    extra: list[str], spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    stream = io.StringIO() if not extra else FakeTerminal()
    args = ["generate", str(spec), "-o", str(tmp_path / "out"), *extra]
    code, err = run_on(stream, args, monkeypatch)
    assert code == 0
    assert "\r" not in err and "\x1b" not in err
    assert "clientgen: pets.json" not in err


def test_dumb_terminal_gets_no_progress(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "dumb")
    args = ["generate", str(spec), "-o", str(tmp_path / "out")]
    _, err = run_on(FakeTerminal(), args, monkeypatch)
    assert "\x1b" not in err


def test_progress_is_inactive_outside_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    assert not progress.current().enabled
    stream = FakeTerminal()
    with progress.showing(progress.Progress.for_terminal(stream)):
        progress.target("a.yaml")
        progress.stage("load")
        progress.formatted(1, 2)
        progress.formatted(1, 2)  # unchanged text is not written twice
    assert stream.getvalue() == (
        ERASE
        + "clientgen: a.yaml: load"
        + ERASE
        + "clientgen: a.yaml: format 1/2 files"
        + ERASE
    )
    assert not progress.current().enabled


def test_output_on_stdout_erases_the_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", terminal)
    with progress.showing(progress.Progress.for_terminal(sys.stderr)):
        progress.stage("load")
        print("a result")
        progress.stage("build")
        print("a message", file=sys.stderr)
    assert terminal.getvalue() == (
        ERASE
        + "clientgen: load"
        + ERASE
        + "a result\n"
        + ERASE
        + "clientgen: build"
        + ERASE
        + "a message\n"
    )
    assert sys.stdout is terminal and sys.stderr is terminal  # restored


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_real_terminal(spec: Path, tmp_path: Path) -> None:
    """The console command on a pseudo-terminal shows the stages; on a pipe, not."""
    import pty

    env = {**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(spec),
        "-o",
        str(tmp_path / "out"),
        "--jobs",
        "1",
    ]
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=tmp_path
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    seen = b"".join(chunks).decode()
    assert "\x1b[2Kclientgen: pets.json: build" in seen
    piped = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert piped.returncode == 0
    assert "\x1b" not in piped.stderr and "wrote " in piped.stderr
