"""Shared test helpers: paths, and generating a package from an inline spec."""

from __future__ import annotations

import importlib
import itertools
import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "specs"
_counter = itertools.count()


def golden_packages() -> list[tuple[Path, str]]:
    """The committed packages (the golden records): (folder, import name) of
    every target in ``[tool.clientgen]`` of the repository's pyproject.toml."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    targets = config["tool"]["clientgen"]["targets"]
    return [(REPO / t["output"], t["package"]) for t in targets]


def shared(*parts: str) -> Path:
    """A path under ../shared/specs, or skip the test if it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared is not present: {path} unavailable")
    return path


def get_by_id(
    operation_id: str,
    schema: str,
    *,
    param: str = "id",
    param_type: str = "integer",
    **extra: Any,
) -> dict[str, Any]:
    """A ``GET /things/{id}`` operation answering the JSON schema ``schema``."""
    return {
        "operationId": operation_id,
        **extra,
        "parameters": [
            {
                "name": param,
                "in": "path",
                "required": True,
                "schema": {"type": param_type},
            }
        ],
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{schema}"}
                    }
                },
            }
        },
    }


def generate_package(
    spec: dict[str, Any] | str | Path,
    tmp_path: Path,
    *,
    package: str | None = None,
    config: dict[str, Any] | None = None,
) -> tuple[Path, str]:
    """Generate a package from ``spec`` into ``tmp_path``; returns (folder, import name)."""
    from generator.cli import main

    if isinstance(spec, dict):
        spec_path = tmp_path / "spec.json"
        spec_path.write_text(json.dumps(spec), "utf-8")
    else:
        spec_path = Path(spec)
    package = package or f"genpkg{next(_counter)}"
    out = tmp_path / "out"
    cfg = {"package": package, **(config or {})}
    cfg_path = tmp_path / "clientgen-test.yaml"
    cfg_path.write_text(json.dumps(cfg), "utf-8")
    code = main(
        [
            "generate",
            str(spec_path),
            "-o",
            str(out),
            "--config",
            str(cfg_path),
            "-q",
            "--jobs",
            "1",
        ]
    )
    assert code == 0, f"generation failed with exit code {code}"
    assert_pyflakes_clean(out)
    return out, package


def assert_pyflakes_clean(folder: Path) -> None:
    """Every package clientgen writes passes ruff's pyflakes rules (no unused
    or undefined names, no syntax error)."""
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [
            str(ruff),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F,E9",
            str(folder),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def import_package(folder: Path, package: str) -> Any:
    sys.path.insert(0, str(folder))
    try:
        importlib.invalidate_caches()
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))


@pytest.fixture
def gen(tmp_path: Path) -> Any:
    """``gen(spec, **config)`` → the imported generated package."""

    def make(spec: dict[str, Any] | str | Path, **config: Any) -> Any:
        folder, package = generate_package(spec, tmp_path, config=config)
        return import_package(folder, package)

    return make


@pytest.fixture(scope="module")
def onfact() -> Iterator[Any]:
    """The committed onFact package (``generated/onfact``), imported."""
    folder = REPO / "generated" / "onfact"
    sys.path.insert(0, str(folder))
    try:
        import onfact as package

        yield package
    finally:
        sys.path.remove(str(folder))
