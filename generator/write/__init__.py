"""Stage 5: the formatted files → a package on disk, or a diff in check mode.

Writing is safe: nothing outside OUT is touched; a folder that clientgen did
not make is only replaced with ``force``; the new tree is written aside and
swapped in, so a crash never leaves a half-written package; files the new
generation no longer produces disappear with the old tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.validate import Validation

MANIFEST = ".clientgen-manifest.json"
#: Tool caches that appear in a package folder when it is used (mypy, pytest):
#: never part of the package, so neither stale nor "extra".
_CACHE_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


class WriteError(Exception):
    pass


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Manifest:
    entries: Mapping[str, tuple[str, str]]  # path -> (render key, sha256 of content)
    validation: Validation | None = None  # the spec validator's recorded result
    inputs: str | None = None  # fingerprint of the inputs (generator.fingerprint)
    diagnostics: tuple[Diagnostic, ...] = ()  # of the run that wrote it

    @classmethod
    def read(cls, out: Path) -> Manifest | None:
        try:
            data = json.loads((out / MANIFEST).read_text("utf-8"))
            files = data["files"]
            entries = {p: (e["render"], e["sha256"]) for p, e in files.items()}
        except (OSError, ValueError, KeyError, TypeError):
            return None
        validation = None
        raw = data.get("validation")
        if isinstance(raw, dict):
            try:
                findings = tuple(
                    (str(c), str(m), str(p)) for c, m, p in raw["findings"]
                )
                validation = Validation(str(raw["key"]), findings)
            except (KeyError, TypeError, ValueError):
                validation = None
        inputs = data.get("inputs")
        diagnostics: list[Diagnostic] = []
        for raw_diag in data.get("diagnostics") or ():
            try:
                level, code, message, pointer = (str(x) for x in raw_diag)
            except (TypeError, ValueError):
                return cls(entries, validation)
            if level in ("error", "warning", "info"):
                diagnostics.append(Diagnostic(level, code, message, pointer))  # type: ignore[arg-type]
        return cls(
            entries,
            validation,
            inputs if isinstance(inputs, str) else None,
            tuple(diagnostics),
        )

    def reuse(self, out: Path, path: str, key: str) -> str | None:
        entry = self.entries.get(path)
        if entry is None or entry[0] != key:
            return None
        try:
            data = (out / path).read_bytes()
        except OSError:
            return None
        if sha256(data) != entry[1]:
            return None
        return data.decode("utf-8")


def manifest_text(
    files: Mapping[str, str],
    keys: Mapping[str, str],
    spec: str,
    validation: Validation | None = None,
    inputs: str | None = None,
    diagnostics: Sequence[Diagnostic] = (),
) -> str:
    entries = {
        path: {
            "render": keys.get(path, ""),
            "sha256": sha256(files[path].encode("utf-8")),
        }
        for path in sorted(files)
    }
    doc: dict[str, object] = {"generator": "clientgen", "spec": spec, "files": entries}
    if validation is not None:
        doc["validation"] = {
            "key": validation.key,
            "findings": [list(f) for f in validation.findings],
        }
    if inputs is not None:
        doc["inputs"] = inputs
        doc["diagnostics"] = [
            [d.level, d.code, d.message, d.pointer] for d in diagnostics
        ]
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def existing_files(out: Path) -> dict[str, bytes]:
    """Every file of the package at ``out`` (tool caches left out), by relative path."""
    found: dict[str, bytes] = {}
    if not out.is_dir():
        return found
    for root, dirs, names in os.walk(out):
        dirs[:] = sorted(d for d in dirs if d not in _CACHE_DIRS)
        for name in names:
            if name.endswith((".pyc", ".pyo")):
                continue
            full = Path(root) / name
            found[full.relative_to(out).as_posix()] = full.read_bytes()
    return found


def diff(out: Path, files: Mapping[str, str]) -> list[str]:
    """Lines describing how the tree at ``out`` differs from ``files``."""
    existing = existing_files(out)
    problems: list[str] = []
    for path in sorted(set(files) | set(existing)):
        if path not in existing:
            problems.append(f"missing: {path}")
        elif path not in files:
            problems.append(f"extra:   {path}")
        elif existing[path] != files[path].encode("utf-8"):
            problems.append(f"differs: {path}")
    return problems


def write_tree(
    out: Path, files: Mapping[str, str], *, force: bool = False
) -> list[str]:
    """Replace ``out`` by exactly ``files``; returns the paths that changed."""
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out} exists and is not a folder")
    if (
        out.is_dir()
        and any(out.iterdir())
        and not (out / MANIFEST).is_file()
        and not force
    ):
        raise WriteError(
            f"{out} was not made by clientgen (no {MANIFEST}); pass --force to replace it"
        )
    for path in files:
        p = Path(path)
        if p.is_absolute() or ".." in p.parts:
            raise WriteError(f"refusing to write outside the output folder: {path}")
    changed = diff(out, files)
    if not changed:
        return []
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for path, text in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.replace(out, old)
        os.replace(staging, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changed
