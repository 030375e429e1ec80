"""Real descriptions from ../shared: the OAI examples and the vendor's onFact document."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, SHARED, shared

from generator.cli import main

OAI = SHARED / "oai-examples"
OAI_SPECS = (
    sorted(p.name for p in OAI.glob("*.json"))
    + sorted(p.name for p in OAI.glob("*.yaml"))
    if OAI.exists()
    else []
)


def _import_all(folder: Path, package: str) -> subprocess.CompletedProcess[str]:
    """Import every module of a generated package in a fresh interpreter."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"sys.path.insert(0, {str(folder)!r})\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )


def _generate(spec: Path, out: Path, package: str, *extra: str) -> None:
    cfg = out.parent / f"{package}.yaml"
    cfg.write_text(json.dumps({"package": package}))
    code = main(
        [
            "generate",
            str(spec),
            "-o",
            str(out),
            "--config",
            str(cfg),
            "-q",
            "--jobs",
            "1",
            *extra,
        ]
    )
    assert code == 0


@pytest.mark.skipif(
    not OAI_SPECS, reason="../shared is not present: OAI examples unavailable"
)
@pytest.mark.parametrize("name", OAI_SPECS)
def test_oai_examples_generate_and_import(name: str, tmp_path: Path) -> None:
    package = re.sub(r"\W", "_", name.rsplit(".", 1)[0]).lower()
    out = tmp_path / "out"
    _generate(OAI / name, out, package)
    result = _import_all(out, package)
    assert result.returncode == 0, result.stderr


def test_swagger2_split_over_several_files(tmp_path: Path) -> None:
    root = shared("oai-examples", "petstore-separate")
    out = tmp_path / "out"
    _generate(
        root / "spec" / "swagger.yaml", out, "petstore_split", "--ref-root", str(root)
    )
    models = (out / "petstore_split" / "models.py").read_text()
    assert (
        "class Pet(" in models
        and "class NewPet(" in models
        and "class Error(" in models
    )
    result = _import_all(out, "petstore_split")
    assert result.returncode == 0, result.stderr


def test_vendor_onfact_document(tmp_path: Path) -> None:
    """The vendor's raw description, normalized by our config: imports, mypy --strict, sensible names."""
    spec = shared("onfact-vendor", "openapi.json")
    out = tmp_path / "vendor"
    code = main(
        [
            "generate",
            str(spec),
            "-o",
            str(out),
            "--config",
            str(REPO / "specs" / "onfact-vendor.config.yaml"),
            "-q",
        ]
    )
    assert code == 0
    result = _import_all(out, "onfact_vendor")
    assert result.returncode == 0, result.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "onfact_vendor"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    vendor = json.loads(spec.read_text())
    vendor_ops = sum(
        1
        for item in vendor["paths"].values()
        for m in item
        if m in ("get", "put", "post", "delete", "head", "patch")
    )
    methods: list[str] = []
    for module in (out / "onfact_vendor" / "resources").glob("*.py"):
        text = module.read_text()
        sync_part = text.split("\nclass Async", 1)[0]
        methods += re.findall(r"\n    def (\w+)\(", sync_part)
    plain = [
        m for m in methods if not m.startswith("iter") and not m.endswith("_to_file")
    ]
    assert len(plain) == vendor_ops
    for name in plain:
        assert not re.search(r"v1|_id_|_(get|put|post|delete|head)$", name), name
    client = (out / "onfact_vendor" / "_client.py").read_text()
    assert (
        "company_uuid: str | None = None" in client
    )  # the hoisted X-COMPANY-UUID header
    invoices = (out / "onfact_vendor" / "resources" / "invoices.py").read_text()
    assert '"/invoices/{id}.json"' in invoices
    assert "def next_number(" in invoices
