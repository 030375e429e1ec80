"""Corpus smoke: every sixth real-world spec of ../shared generates and imports.

The full sweep (every spec, plus mypy) is ``make corpus``; this fixed sample
keeps CI guarding the rate.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SHARED
from sweep.corpus import IMPORT_ALL

from generator.cli import main

CORPUS = SHARED / "corpus"
SAMPLE = sorted(p.name for p in CORPUS.glob("*.json"))[::6] if CORPUS.is_dir() else []


def test_sample_is_large_enough() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared is not present: {CORPUS} unavailable")
    assert len(SAMPLE) >= 30


@pytest.mark.parametrize("name", SAMPLE)
def test_corpus_spec_generates_and_imports(name: str, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    code = main(["generate", str(CORPUS / name), "-o", str(out), "-q", "--jobs", "1"])
    assert code == 0, f"{name}: generation exited {code}"
    (package,) = [p.name for p in out.iterdir() if (p / "__init__.py").is_file()]
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, str(out), package],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{name}: import failed\n{result.stderr[-2000:]}"
    assert int(result.stdout) >= 3  # the package, its runtime and its models at least
