"""The writer under faults (issue 14): killed at every step boundary, the next
run restores or completes the tree with its history; links and foreign
folders are not replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, get_by_id

from generator.cli import main
from generator.write import FAULT_VAR

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Crash", "version": "1"},
    "paths": {"/things/{id}": {"get": get_by_id("getThing", "Thing")}},
    "components": {
        "schemas": {
            "Thing": {"type": "object", "properties": {"id": {"type": "integer"}}}
        }
    },
}
EDIT = "\nHand-written note that must survive.\n"
#: staging made, first file staged, every file staged, old set aside, new in place
STEPS = range(1, 6)


def leftovers(out: Path) -> list[str]:
    return sorted(
        p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")
    )


def first_generation(tmp_path: Path) -> tuple[Path, Path]:
    spec, out = tmp_path / "spec.json", tmp_path / "out"
    spec.write_text(json.dumps(SPEC), "utf-8")
    assert main(["generate", str(spec), "-o", str(out), "-q", "--jobs", "1"]) == 0
    changelog = out / "CHANGELOG.md"
    changelog.write_text(changelog.read_text("utf-8") + EDIT, "utf-8")
    changed = json.loads(json.dumps(SPEC))
    changed["paths"]["/others/{id}"] = {"get": get_by_id("getOther", "Thing")}
    spec.write_text(json.dumps(changed), "utf-8")
    return spec, out


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("then", ["generate", "check"])
def test_a_writer_killed_at_any_step_loses_nothing(
    tmp_path: Path, step: int, then: str
) -> None:
    spec, out = first_generation(tmp_path)
    killed = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-o",
            str(out),
            "-q",
        ],
        env={**os.environ, FAULT_VAR: str(step)},
        cwd=REPO,
        capture_output=True,
    )
    assert killed.returncode == 86, killed.stderr
    main([then, str(spec), "-o", str(out), "-q", "--jobs", "1"])
    assert leftovers(out) == []
    assert EDIT in (out / "CHANGELOG.md").read_text("utf-8")
    assert (out / ".clientgen-api.json").is_file()
    assert main(["generate", str(spec), "-o", str(out), "-q", "--jobs", "1"]) == 0
    assert main(["check", str(spec), "-o", str(out), "-q", "--jobs", "1"]) == 0
    assert EDIT in (out / "CHANGELOG.md").read_text("utf-8")
    assert leftovers(out) == []


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    real, link = tmp_path / "real", tmp_path / "link"
    real.mkdir()
    link.symlink_to(real)
    for _ in range(2):  # the first write, then a replacement
        assert main(["generate", str(spec), "-o", str(link), "-q", "--full"]) == 0
        assert link.is_symlink() and (real / ".clientgen-manifest.json").is_file()
    assert main(["check", str(spec), "-o", str(link), "-q"]) == 0


@pytest.mark.parametrize(
    "manifest",
    [
        "{}",
        '{"generator": "clientgen", "files": {}}',
        "not json",
        '{"generator": "clientgen", "files": {"a.py": {"render": "", "sha256": "0"}}}',
    ],
)
def test_a_stray_manifest_does_not_make_a_folder_clientgens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    out = tmp_path / "home"
    out.mkdir()
    (out / ".clientgen-manifest.json").write_text(manifest)
    (out / "a.py").write_text("keep me")
    assert main(["generate", str(spec), "-o", str(out)]) == 2
    assert "was not made by clientgen" in capsys.readouterr().err
    assert (out / "a.py").read_text() == "keep me"
    assert main(["generate", str(spec), "-o", str(out), "--force", "-q"]) == 0


def test_check_does_not_read_through_a_symlink_in_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "-q"]) == 0
    (out / "zero").symlink_to("/dev/zero")
    os.mkfifo(out / "fifo")
    models = next(out.rglob("models.py"))
    models.unlink()
    models.symlink_to("/dev/zero")
    assert main(["check", str(spec), "-o", str(out), "--full"]) == 1
    err = capsys.readouterr().err
    assert "extra:   zero" in err and "extra:   fifo" in err and "differs:" in err
