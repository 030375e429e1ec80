"""The whole pipeline for one target: load → build → render → format.

It runs once per target. The package in the output folder (the previous
run) is read once, into a :class:`~generator.past.PreviousRun` handed down
the stages; the folder itself, when it is named after the package, is
decided from the loaded spec before anything is built
(:func:`generator.package.output_folder`).

A problem in the spec is a :class:`~generator.diagnostics.SpecError`. An
exception escaping build, evolve, render or format, or a generated module
that does not compile, is a bug in clientgen: an
:class:`~generator.diagnostics.InternalError` at the spec element being
generated (the CLI exits 3 and writes nothing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator import progress
from generator.builder import build
from generator.config import Target
from generator.cookbook import read_cookbook
from generator.diagnostics import (
    Diagnostics,
    InternalError,
    SpecError,
    bug,
    internal_error,
)
from generator.diff import Change, surface_of
from generator.diff.evolution import Evolution, evolve
from generator.fingerprint import inputs_key, spec_label
from generator.heap import collector_paused, frozen_heap
from generator.ir import ApiModel
from generator.load import LoadedSpec, LoadOptions, load
from generator.load.validate import Validation
from generator.package import output_folder
from generator.past import PreviousRun
from generator.render import render
from generator.render.format import (
    FormatCache,
    UncompilableModule,
    cache_dir,
    format_files,
)
from generator.render.origins import origin
from generator.write import MANIFEST, manifest_text


@dataclass(frozen=True)
class Generated:
    api: ApiModel
    files: dict[str, str]
    spec: LoadedSpec  # its ``doc`` released (``{}``)
    out: Path  # the folder the files are for
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


def load_target(
    target: Target, diags: Diagnostics, past: PreviousRun | None = None
) -> LoadedSpec:
    """Stage 1 for ``target``, replaying the validation ``past`` recorded.

    The validator runs on the other core while this one builds and renders
    (:meth:`LoadedSpec.finish_validation` collects it).
    """
    if target.spec is None:
        diags.error(
            "no-spec", "no spec given (argument SPEC or 'spec' in the configuration)"
        )
        raise SpecError(diags)
    progress.target(spec_label(target.spec))
    progress.stage("load")
    known = past.validation if past is not None else None
    return load(target.spec, diags, load_options(target, known, background=True))


def generate_files(
    target: Target,
    out: Path,
    diags: Diagnostics,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
) -> Generated:
    """Every file of ``target``'s package, to replace the one at ``out``."""
    return generate(
        target, diags, PreviousRun.read(out), use_cache=use_cache, jobs=jobs
    )


def generate(
    target: Target,
    diags: Diagnostics,
    past: PreviousRun | None = None,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
) -> Generated:
    """Run the pipeline once for ``target``.

    ``past`` is the package in the output folder, when the folder was known
    before loading; else the folder is decided from the loaded spec
    (:func:`generator.package.output_folder`) and read then. Raises
    :class:`SpecError` for a spec that gives no package and
    :class:`InternalError` for a generator bug.
    """
    cookbook = read_cookbook(target, diags)
    spec = load_target(target, diags, past)
    if past is None:
        folder = output_folder(target, spec.doc)
        assert folder is not None  # given the document, there always is one
        past = PreviousRun.read(folder)
    try:
        # the parsed description, then the built API, live to the end of
        # their stages: kept out of the garbage collector's full scans
        with frozen_heap():
            with collector_paused():  # the builder makes no garbage cycles
                api, evo = _model(target, past, spec, diags)
            # The parsed spec is not needed any more: release it before
            # formatting (100 MB for GitHub's; forked formatting workers would
            # inherit it too).
            spec = replace(spec, doc={})
            with frozen_heap():
                progress.stage("render")
                raw = render(api, cookbook, jobs=jobs)
                raw.update(evo.files)
                files = _format(target, past, spec, api, raw, diags, use_cache, jobs)
    except (SpecError, InternalError, RecursionError):
        raise
    except Exception as exc:  # noqa: BLE001 - a generator bug, reported as data
        spec.finish_validation(diags)
        raise bug(diags, exc, spec.text) from exc
    return Generated(api, files, spec, past.out, evo.changes, past.version)


def _model(
    target: Target, past: PreviousRun, spec: LoadedSpec, diags: Diagnostics
) -> tuple[ApiModel, Evolution]:
    """Build and evolve: the model, with the version its changes call for."""
    settings = replace(target.settings, spec_name=_label(target), pins=past.pins)
    progress.stage("build")
    api = build(spec.doc, settings, diags)
    if diags.has_errors:
        spec.finish_validation(diags)
        raise SpecError(diags)
    evo = evolve(
        past, surface_of(api), api.names, settings.version, target.version_bump
    )
    return replace(api, version=evo.version), evo


def _format(
    target: Target,
    past: PreviousRun,
    spec: LoadedSpec,
    api: ApiModel,
    raw: dict[str, str],
    diags: Diagnostics,
    use_cache: bool,
    jobs: int | None,
) -> dict[str, str]:
    """Format (every module proven to compile), then add the manifest."""
    cache = FormatCache(cache_dir()) if use_cache else None
    progress.stage("format")
    try:
        files, keys = format_files(
            raw,
            reuse=past.reuse,
            cache=cache,
            jobs=jobs,
            on_progress=progress.formatted,
        )
    except UncompilableModule as exc:
        spec.finish_validation(diags)
        line = f", line {exc.line}" if exc.line is not None else ""
        raise internal_error(
            diags,
            f"generated module {exc.path} does not compile ({exc.message}{line})",
            origin(api, exc.path, exc.text, exc.line),
            spec.text,
        ) from exc
    spec = spec.finish_validation(diags)
    files[MANIFEST] = manifest_text(
        files,
        keys,
        _label(target),
        spec.validation,
        inputs_key(target, spec.text),
        list(diags),
    )
    return dict(sorted(files.items()))


def _label(target: Target) -> str:
    assert target.spec is not None  # load_target made sure
    return spec_label(target.spec)


def manifest_summary(files: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files[MANIFEST])
    return data
