"""Installability: ``pip install .`` (not editable) gives a working clientgen,
templates included, and the package it generates installs and imports in a
fresh virtual environment with nothing but its declared dependencies."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from helpers import REPO

PETS = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example/v1"}],
    "paths": {
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Pet"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}


def _venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin"


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_pip_install_then_generate_then_install_the_client(tmp_path: Path) -> None:
    source = tmp_path / "src"
    skip_everywhere = shutil.ignore_patterns("__pycache__", "*.egg-info")

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(skip_everywhere(folder, names))
        if Path(folder) == REPO:  # top-level scratch folders only
            skipped |= {
                n
                for n in names
                if n in (".venv", ".cache", ".git", "generated", "build", "dist")
            }
        return skipped

    shutil.copytree(REPO, source, ignore=ignore)
    bin_dir = _venv(tmp_path / "venv")
    result = _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(source)])
    assert result.returncode == 0, result.stderr[-3000:]
    shutil.rmtree(source)  # the installed copy must not need the source tree
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(PETS))
    out = tmp_path / "pets-client"
    result = _run(
        [
            str(bin_dir / "clientgen"),
            "generate",
            str(spec),
            "-o",
            str(out),
            "--no-cache",
        ],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    same = _run(
        [
            str(bin_dir / "python"),
            "-m",
            "generator",
            "check",
            str(spec),
            "-o",
            str(out),
            "--no-cache",
        ],
        cwd=tmp_path,
    )
    assert same.returncode == 0, same.stderr[-3000:]
    client_bin = _venv(tmp_path / "client-venv")
    result = _run([str(client_bin / "python"), "-m", "pip", "install", "-q", str(out)])
    assert result.returncode == 0, result.stderr[-3000:]
    code = (
        "import httpx, pets\n"
        "def handler(request):\n"
        "    assert str(request.url) == 'https://pets.example/v1/pets/3'\n"
        "    return httpx.Response(200, json={'id': 3, 'name': 'Rex'})\n"
        "client = pets.Pets(http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "print(client.pets.get(3).name)\n"
        "import importlib.metadata as md\n"
        "print(sorted(r.split(' ')[0].split('>')[0].split('<')[0] for r in md.requires('pets')))\n"
    )
    result = _run([str(client_bin / "python"), "-c", code], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == ["Rex", "['httpx', 'pydantic']"]
    assert sys.version_info >= (3, 11)
