"""The whole pipeline for one target: load → build → render → format."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator import progress
from generator.builder import build
from generator.config import Target
from generator.diagnostics import Diagnostics, SpecError
from generator.diff import Change, surface_of
from generator.diff.evolution import evolve, read_record
from generator.fingerprint import inputs_key, spec_label
from generator.ir import ApiModel
from generator.load import LoadedSpec, LoadOptions, load
from generator.load.validate import Validation
from generator.render import render
from generator.render.format import FormatCache, cache_dir, format_files
from generator.write import MANIFEST, Manifest, manifest_text


@dataclass(frozen=True)
class Generated:
    api: ApiModel
    files: dict[str, str]
    spec: LoadedSpec
    changes: tuple[Change, ...] = ()  # API changes since the package at ``out``
    previous_version: str | None = None  # its version, if it was recorded


def load_options(
    target: Target, known: Validation | None = None, *, background: bool = False
) -> LoadOptions:
    return LoadOptions(
        background_validation=background,
        allow_remote_refs=target.allow_remote_refs,
        ref_root=target.ref_root,
        validate=target.validate,
        overlays=tuple(target.overlays),
        known_validation=known,
    )


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
    progress.target(spec_label(target.spec))
    progress.stage("load")
    manifest = Manifest.read(out)
    known = manifest.validation if manifest is not None else None
    # the validator runs on the other core while this one builds and renders
    spec = load(target.spec, diags, load_options(target, known, background=True))
    doc = spec.doc
    previous = read_record(out)
    settings = replace(
        target.settings,
        spec_name=spec_label(target.spec),
        pins=previous.names if previous is not None else (),
    )
    progress.stage("build")
    api = build(doc, settings, diags)
    if diags.has_errors:
        spec.finish_validation(diags)
        raise SpecError(diags)
    evo = evolve(
        out, previous, surface_of(api), api.names, settings.version, target.version_bump
    )
    api = replace(api, version=evo.version)
    progress.stage("render")
    raw = render(api)
    raw.update(evo.files)
    # The parsed spec is not needed any more: release it before formatting
    # (100 MB for GitHub's; forked formatting workers would inherit it too).
    del doc
    spec = replace(spec, doc={})

    def reuse(path: str, key: str) -> str | None:
        return manifest.reuse(out, path, key) if manifest is not None else None

    cache = FormatCache(cache_dir()) if use_cache else None
    progress.stage("format")
    files, keys = format_files(
        raw, reuse=reuse, cache=cache, jobs=jobs, on_progress=progress.formatted
    )
    spec = spec.finish_validation(diags)
    files[MANIFEST] = manifest_text(
        files,
        keys,
        settings.spec_name,
        spec.validation,
        inputs_key(target, spec.text),
        list(diags),
    )
    return Generated(
        api,
        dict(sorted(files.items())),
        spec,
        evo.changes,
        previous.version if previous is not None else None,
    )


def manifest_summary(files: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files[MANIFEST])
    return data
