"""Input fingerprint: ``check`` and ``generate`` skip the pipeline when nothing changed.

The manifest of a generated package records a key made from everything
that decides its content: the spec's text, the overlays' texts, the
cookbook's text, the target's settings, the spec's label (it appears in
file headers) and the generator itself (its sources and templates). When
the key still matches and every file on disk still has the hash the
manifest records, the package is exactly what a full run would produce,
so the run stops there and replays the diagnostics the manifest kept. A
spec with file or URL ``$ref``s, a URL spec or a URL overlay never takes
this path: their inputs are not all read here.

This module is imported on every ``check``: it stays light (no Jinja, no
black, no validator).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.config import Target
from generator.diagnostics import Diagnostics, SpecError
from generator.load.read import MAX_BYTES, is_url, read_regular, read_text

if TYPE_CHECKING:
    from generator.past import PreviousRun

#: A ``$ref`` and its value, quoted or not. It starts with the literal
#: ``$ref`` (not an optional quote), which the regex engine finds by a fast
#: scan: a megabyte spec is searched in a millisecond, not in tens.
_REF_VALUE = re.compile(r"""\$ref["']?\s*:\s*["']?([^"'\s,}]*)""")


def templates_dir() -> Path:
    """The templates folder: the repo's ``templates/`` or the installed copy."""
    source = Path(__file__).resolve().parents[1] / "templates"
    if (source / "models.py.jinja").is_file():
        return source
    from importlib import resources  # installed only: kept off a check's path

    # generator.templates is a namespace package (no __init__.py), whose
    # files() is a MultiplexedPath: go through a file to get a real folder.
    return Path(
        str(resources.files("generator.templates").joinpath("models.py.jinja"))
    ).parent


def spec_label(spec: str) -> str:
    """How the spec is named in generated headers: relative to the cwd if possible."""
    if is_url(spec):
        return spec
    path = Path(spec).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


@functools.cache
def generator_digest() -> str:
    """A hash of this generator: its version, Python sources and templates."""
    h = hashlib.sha256(__version__.encode())
    package = os.path.dirname(os.path.abspath(__file__))
    for root in (package, os.fspath(templates_dir())):
        files: list[tuple[tuple[str, ...], str, str]] = []
        # os.walk on strings, caches pruned: every unchanged check pays this
        for folder, dirs, names in os.walk(root):
            inner = os.path.relpath(folder, root).replace(os.sep, "/")
            prefix = "" if inner == "." else inner + "/"
            dirs[:] = [
                d
                for d in dirs
                if d != "__pycache__"
                and not (root == package and prefix + d == "templates")
            ]  # installed, the templates live inside the package: hashed as templates
            for name in names:
                if name.endswith((".py", ".jinja")):
                    rel = prefix + name
                    files.append(
                        (tuple(rel.split("/")), rel, os.path.join(folder, name))
                    )
        for _, rel, full in sorted(files):  # sorted as paths: part by part
            with open(full, "rb") as f:
                h.update(rel.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()


@functools.cache
def formatter_version() -> str:
    """black's version, which shapes every byte it formats. Read from the
    module black's build writes it to: a distribution's metadata costs about
    50 ms to import and read, half an unchanged check."""
    import importlib.util

    spec = importlib.util.find_spec("_black_version")
    if spec is not None and spec.origin is not None:
        try:
            with open(spec.origin, "rb") as f:
                return hashlib.sha256(f.read()).hexdigest()
        except OSError:
            pass
    from importlib import metadata

    try:
        return metadata.version("black")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        return "?"


def inputs_key(target: Target, spec_text: str) -> str | None:
    """The fingerprint of a run of ``target``, or None if it cannot be taken."""
    if target.spec is None or is_url(target.spec):
        return None
    if any(not v.startswith("#") for v in _REF_VALUE.findall(spec_text)):
        return None  # other files take part
    h = hashlib.sha256(generator_digest().encode())
    h.update(formatter_version().encode() + b"\0")
    h.update(spec_label(target.spec).encode() + b"\0")
    # paths to files are left out: where a checkout lives must not matter
    # (the spec's label and the overlays' contents stand for them)
    fields = dataclasses.asdict(target)
    for path_field in ("spec", "output", "ref_root", "overlays", "cookbook"):
        fields.pop(path_field, None)
    settings = json.dumps(fields, sort_keys=True, default=str)
    h.update(settings.encode() + b"\0")
    h.update(spec_text.encode() + b"\0")
    files = [(b"overlay", path) for path in target.overlays]
    if target.cookbook is not None:
        files.append((b"cookbook", target.cookbook))
    for role, path in files:
        if is_url(path):
            return None
        try:
            data = read_regular(path, MAX_BYTES)  # never a FIFO or /dev/zero
        except OSError:
            return None
        if data is None:
            return None
        h.update(role + b"\0" + data + b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Replay:
    """An unchanged package: its size and the diagnostics of the run that made it."""

    files: int
    text: str
    diagnostics: Diagnostics


def unchanged(target: Target, past: PreviousRun) -> Replay | None:
    """The package ``past`` read if it is exactly what ``target`` would generate now."""
    manifest = past.manifest
    if manifest is None or manifest.inputs is None or target.spec is None:
        return None
    try:
        text = read_text(target.spec, Diagnostics())
    except SpecError:
        return None
    if inputs_key(target, text) != manifest.inputs or not past.untouched():
        return None
    diags = Diagnostics()
    for d in manifest.diagnostics:
        diags.add(d)
    return Replay(len(manifest.entries) + 1, text, diags)
