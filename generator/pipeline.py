"""The whole pipeline for one target: load → build → render → format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.build import build
from generator.build.model import ApiModel
from generator.config import Target
from generator.diagnostics import Diagnostics, SpecError
from generator.load import LoadedSpec, LoadOptions, load
from generator.render import render
from generator.render.format import FormatCache, cache_dir, format_files
from generator.write import MANIFEST, Manifest, manifest_text


@dataclass(frozen=True)
class Generated:
    api: ApiModel
    files: dict[str, str]
    spec: LoadedSpec


def spec_label(spec: str) -> str:
    """How the spec is named in generated headers: relative to the cwd if possible."""
    if spec.startswith(("http://", "https://")):
        return spec
    path = Path(spec).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def generate_files(
    target: Target,
    out: Path,
    diags: Diagnostics,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
) -> Generated:
    if target.spec is None:
        diags.error(
            "no-spec", "no spec given (argument SPEC or 'spec' in the configuration)"
        )
        raise SpecError(diags)
    spec = load(
        target.spec,
        diags,
        LoadOptions(
            allow_remote_refs=target.allow_remote_refs,
            ref_root=target.ref_root,
            validate=target.validate,
        ),
    )
    doc = spec.doc
    settings = target.settings
    settings.spec_name = spec_label(target.spec)
    api = build(doc, settings, diags)
    if diags.has_errors:
        raise SpecError(diags)
    raw = render(api)
    manifest = Manifest.read(out)

    def reuse(path: str, key: str) -> str | None:
        return manifest.reuse(out, path, key) if manifest is not None else None

    cache = FormatCache(cache_dir()) if use_cache else None
    files, keys = format_files(raw, reuse=reuse, cache=cache, jobs=jobs)
    files[MANIFEST] = manifest_text(files, keys, settings.spec_name)
    return Generated(api, dict(sorted(files.items())), spec)


def manifest_summary(files: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files[MANIFEST])
    return data
