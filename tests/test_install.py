"""Installability: the wheel (not an editable install; see ``installed.py``)
gives a working clientgen, templates included, and the package it generates
installs and imports in a fresh virtual environment with nothing but its
declared dependencies."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from helpers import REPO, get_by_id
from installed import Installed, installed_clientgen
from installed import make_venv as _venv
from installed import run as _run

__all__ = ["installed_clientgen"]

PETS = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example/v1"}],
    "paths": {"/pets/{id}": {"get": get_by_id("getPet", "Pet")}},
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}


def test_pip_install_then_generate_then_install_the_client(
    installed_clientgen: Installed, tmp_path: Path
) -> None:
    bin_dir = installed_clientgen.bin
    assert REPO not in bin_dir.parents
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
    # installing from the folder leaves build outputs there: still not stale
    assert any(p.name == "build" or p.suffix == ".egg-info" for p in out.iterdir())
    again = _run([str(bin_dir / "clientgen"), "check", str(spec), "-o", str(out)])
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    code = (
        "import httpx, pets_client\n"
        "def handler(request):\n"
        "    assert str(request.url) == 'https://pets.example/v1/pets/3'\n"
        "    return httpx.Response(200, json={'id': 3, 'name': 'Rex'})\n"
        "client = pets_client.PetsClient(http_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "print(client.pets.get(3).name)\n"
        "import importlib.metadata as md\n"
        "print(sorted(r.split(' ')[0].split('>')[0].split('<')[0] for r in md.requires('pets-client')))\n"
    )
    result = _run([str(client_bin / "python"), "-c", code], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == ["Rex", "['httpx', 'pydantic']"]
    assert sys.version_info >= (3, 11)
