"""clientgen as another project gets it: a wheel built from a copy of this
repository, installed into a fresh virtual environment outside the repo.

Built once per test session and shared by every pytest-xdist worker (a file
lock in the session's base temporary folder guards the build); tests must
not install anything else into it.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import REPO

_SCRATCH = (".venv", ".cache", ".git", "generated", "build", "dist")


def make_venv(path: Path) -> Path:
    """A fresh virtual environment with pip; returns its ``bin`` folder."""
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin"


def run(
    args: list[str | Path], *, cwd: Path | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


def copy_source(dest: Path) -> Path:
    """The repository without its scratch folders (venvs, caches, builds)."""
    skip_everywhere = shutil.ignore_patterns("__pycache__", "*.egg-info")

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(skip_everywhere(folder, names))
        if Path(folder) == REPO:  # top-level scratch folders only
            skipped |= {n for n in names if n in _SCRATCH or n.startswith(".venv")}
        return skipped

    shutil.copytree(REPO, dest, ignore=ignore)
    return dest


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path  # the venv's bin folder: python, pip, clientgen

    @property
    def clientgen(self) -> Path:
        return self.bin / "clientgen"


def _build(root: Path) -> Installed:
    source = copy_source(root / "src")
    dist = root / "dist"
    bin_dir = make_venv(root / "venv")
    built = run(
        [
            bin_dir / "python",
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            dist,
            source,
        ]
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = dist.glob("clientgen-*.whl")
    shutil.rmtree(source)  # the installed copy must not need the source tree
    installed = run([bin_dir / "python", "-m", "pip", "install", "-q", wheel])
    assert installed.returncode == 0, installed.stderr[-3000:]
    return Installed(wheel, bin_dir)


@pytest.fixture(scope="session")
def installed_clientgen(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Installed]:
    base = tmp_path_factory.getbasetemp()
    # with xdist every worker has its own base folder inside a shared one
    shared_root = base.parent if base.name.startswith("popen-gw") else base
    root = shared_root / "clientgen-installed"
    with open(shared_root / "clientgen-installed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = root / "done"
            if done.is_file():
                wheel = Path(done.read_text().strip())
                result = Installed(wheel, root / "venv" / "bin")
            else:
                if root.exists():
                    shutil.rmtree(root)  # a build that failed half way
                root.mkdir()
                result = _build(root)
                done.write_text(str(result.wheel))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    yield result
