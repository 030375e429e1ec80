"""Documents with errors: each gets a located diagnostic, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import SHARED

from generator.cli import main

ERRORS = SHARED / "peer-tests" / "openapi-python-client" / "documents_with_errors"
CASES = sorted(p.name for p in ERRORS.glob("*.yaml")) if ERRORS.is_dir() else []

# what each document gets wrong, and the diagnostic code that must say so
EXPECTED = {
    "bad-status-code.yaml": "spec-invalid",
    "circular-body-ref.yaml": "bad-ref",
    "invalid-uuid-defaults.yaml": "spec-invalid",
    "missing-body-ref.yaml": "bad-ref",
    "optional-path-param.yaml": "spec-invalid",
}


def test_peer_error_documents_are_present() -> None:
    if not ERRORS.is_dir():
        pytest.skip(f"../shared is not present: {ERRORS} unavailable")
    assert set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("name", CASES)
def test_document_with_errors_is_reported(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "generate",
            str(ERRORS / name),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "json",
            "--jobs",
            "1",
        ]
    )
    diags = json.loads(capsys.readouterr().out)
    assert code in (0, 2)
    hits = [d for d in diags if d["code"] == EXPECTED[name]]
    assert hits, diags
    assert all(d["pointer"] is not None and d["line"] for d in hits), hits
    # --fail-on-warning turns any of them into a failing exit
    strict = main(["validate", str(ERRORS / name), "--fail-on-warning", "-q"])
    assert strict == 2


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    spec = tmp_path / "s.json"
    spec.write_text(
        '{"openapi": "3.0.3", "info": {"title": "A\\ud800B", "version": "1"},'
        ' "paths": {"/x": {"get": {"summary": "s\\udc00", "responses":'
        ' {"200": {"description": "ok"}}}}}}',
        "utf-8",
    )
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "-q", "--jobs", "1"]) == 0
    assert "A\ufffdB" in (out / "README.md").read_text("utf-8")
    # YAML refuses such an escape itself: a located parse error, exit 2
    yaml_spec = tmp_path / "s.yaml"
    yaml_spec.write_text(
        'openapi: 3.0.3\ninfo: {title: "A\\ud800B", version: "1"}\npaths: {}\n',
        "utf-8",
    )
    assert main(["validate", str(yaml_spec), "-q"]) == 2
