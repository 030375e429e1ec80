"""The previous run: what the package in the output folder remembers, read once.

A run reads the folder it is about to replace exactly once into a
:class:`PreviousRun` and hands the parts down the stages. The manifest is
read at the start; the record, the changelog and the version on first use
(an unchanged ``check`` never needs them), which is inside the pipeline,
before anything is written:

- load gets :attr:`PreviousRun.validation` (the validator's recorded result,
  replayed when the document is the same);
- build gets :attr:`PreviousRun.pins` (the names given out last time, kept
  for their owners, see :class:`generator.builder.names.NameBook`);
- evolve gets the record, the changelog and the old version
  (:func:`generator.diff.evolution.evolve`);
- format gets :meth:`PreviousRun.reuse` (files whose render is unchanged);
- the input fingerprint gets the manifest and :meth:`PreviousRun.untouched`.

No stage opens a file of the output folder itself. This module stays light
(the CLI reads the past before anything heavy is imported).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.load.read import read_regular
from generator.write import (
    MANIFEST,
    MAX_FILE,
    Manifest,
    existing_files,
    recover,
    sha256,
)

if TYPE_CHECKING:
    from generator.builder.names import NameRecord
    from generator.load.validate import Validation

#: The API surface, version and names of a package (see generator.diff.evolution).
RECORD = ".clientgen-api.json"
CHANGELOG = "CHANGELOG.md"


@dataclass(frozen=True)
class Record:
    """The contents of :data:`RECORD`."""

    version: str
    surface: dict[str, Any]
    names: tuple[NameRecord, ...]


@dataclass(frozen=True)
class PreviousRun:
    """The package at ``out`` as the run that wrote it left it.

    Every part is None (or empty) when the folder, or that file in it, does
    not exist or cannot be read: a first run is a :class:`PreviousRun` too.

    >>> PreviousRun.read(Path("/nonexistent")).pins
    ()
    """

    out: Path
    manifest: Manifest | None = None

    @classmethod
    def read(cls, out: Path) -> PreviousRun:
        """Read the manifest at ``out`` (the rest on first use), after
        finishing what a killed writer left there (:func:`generator.write.recover`)."""
        recover(out)
        return cls(out, Manifest.read(out))

    @cached_property
    def record(self) -> Record | None:
        """The API record (surface, version, names) of the package."""
        return read_record(self.out)

    @cached_property
    def changelog(self) -> str | None:
        """The package's changelog."""
        return _read_text(self.out / CHANGELOG)

    @cached_property
    def package_version(self) -> str | None:
        """``project.version`` of the folder's pyproject.toml (a package
        without record)."""
        return _project_version(self.out)

    @property
    def validation(self) -> Validation | None:
        """The spec validator's recorded result (for load)."""
        return self.manifest.validation if self.manifest is not None else None

    @property
    def pins(self) -> tuple[NameRecord, ...]:
        """The names the package gave out (for build's ``settings.pins``)."""
        return self.record.names if self.record is not None else ()

    @property
    def version(self) -> str | None:
        """The package version the record holds."""
        return self.record.version if self.record is not None else None

    def reuse(self, path: str, key: str) -> str | None:
        """The file at ``path`` if it was formatted from a render with ``key``
        and is still as written (for format)."""
        return self.manifest.reuse(self.out, path, key) if self.manifest else None

    def untouched(self) -> bool:
        """Whether the folder holds exactly the files its manifest lists, with
        the recorded contents (nothing edited, added or removed since)."""
        manifest = self.manifest
        if manifest is None:
            return False
        on_disk = existing_files(self.out)
        if set(on_disk) != set(manifest.entries) | {MANIFEST}:
            return False
        return all(
            sha256(on_disk[path]) == digest
            for path, (_, digest) in manifest.entries.items()
        )


def _read_text(path: Path) -> str | None:
    try:
        data = read_regular(path, MAX_FILE)  # never a FIFO or /dev/zero
        return data.decode("utf-8") if data is not None else None
    except (OSError, UnicodeDecodeError):
        return None


def _project_version(out: Path) -> str | None:
    text = _read_text(out / "pyproject.toml")
    if text is None:
        return None
    import tomllib  # 10 ms: only a run that evolves the package needs it

    try:
        version = tomllib.loads(text)["project"]["version"]
    except (ValueError, KeyError, TypeError):
        return None
    return version if isinstance(version, str) else None


def _derived_pins(surface: dict[str, Any]) -> list[NameRecord]:
    """Field and parameter names, read back from the surface itself."""
    pins: list[NameRecord] = []
    for model, entry in surface.get("models", {}).items():
        for name, f in entry.get("fields", {}).items():
            pins.append((f"fields:{model}", str(f.get("wire", name)), name))
    for key, op in surface.get("operations", {}).items():
        if op.get("kind") != "call":
            continue
        for name, p in op.get("params", {}).items():
            pins.append((f"params:{key}", f"{p['in']}:{p.get('wire', name)}", name))
    return pins


def read_record(out: Path) -> Record | None:
    """The record of the package at ``out``; None if absent or unreadable."""
    try:
        data = json.loads(read_regular(out / RECORD, MAX_FILE) or b"")
        surface = data["surface"]
        if not isinstance(surface, dict):
            return None
        names: list[NameRecord] = []
        for scope, entries in data["names"].items():
            for origin, value in entries.items():
                for name in [value] if isinstance(value, str) else value:
                    names.append((scope, origin, str(name)))
        names.extend(_derived_pins(surface))
        return Record(str(data["version"]), surface, tuple(names))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
