"""Stage 1: read a spec, bundle its ``$ref``s, upgrade Swagger 2.0, validate.

The result is one self-contained OpenAPI 3.x document (a plain dict whose
``$ref``s are all local) plus diagnostics. Nothing here raises for a bad
spec except :class:`~generator.diagnostics.SpecError`, which carries the
diagnostics that explain why no package can be made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import progress
from generator.diagnostics import Diagnostics, SpecError
from generator.load.read import (
    is_url,
    looks_like_json,
    parse_text,
    read_text,
    shared_budget,
)

if TYPE_CHECKING:
    from generator.load.validate import Finish, Validation


@dataclass(frozen=True)
class LoadOptions:
    allow_remote_refs: bool = False
    ref_root: str | None = None
    #: False: skip openapi-spec-validator's checks (True and None run them)
    validate: bool | None = None
    #: the validator's result recorded for the previous generation (manifest)
    known_validation: Validation | None = None
    #: OpenAPI Overlay documents (paths or URLs) applied in order before bundling
    overlays: tuple[str, ...] = ()
    #: run the validator in a forked process; LoadedSpec.finish_validation collects it
    background_validation: bool = False


@dataclass(frozen=True)
class LoadedSpec:
    doc: dict[str, Any]
    location: str
    text: str
    version: str  # "2.0", "3.0" or "3.1"
    validation: Validation | None = None  # to record in the manifest
    #: the validator still running (``background_validation``)
    pending: Finish | None = None

    @property
    def is_json(self) -> bool:
        return looks_like_json(self.text)

    def finish_validation(self, diags: Diagnostics) -> LoadedSpec:
        """Wait for a background validation; its findings go into ``diags``."""
        if self.pending is None:
            return self
        return replace(self, validation=self.pending(diags), pending=None)


def detect_version(doc: dict[str, Any], diags: Diagnostics) -> str:
    swagger = doc.get("swagger")
    openapi = doc.get("openapi")
    if swagger is not None:
        if str(swagger) == "2.0":
            return "2.0"
        diags.error(
            "unsupported-version",
            f"swagger version {swagger!r} is not supported (only 2.0)",
            "/swagger",
        )
        raise SpecError(diags)
    if openapi is None:
        diags.error(
            "not-openapi",
            "the document has neither an 'openapi' nor a 'swagger' field",
            "",
        )
        raise SpecError(diags)
    text = str(openapi)
    if text.startswith("3.0"):
        return "3.0"
    if text.startswith(("3.1", "3.2")):
        return "3.1"
    diags.error(
        "unsupported-version",
        f"OpenAPI version {openapi!r} is not supported (3.0.x, 3.1.x)",
        "/openapi",
    )
    raise SpecError(diags)


def load(
    source: str, diags: Diagnostics, options: LoadOptions | None = None
) -> LoadedSpec:
    """Read, bundle, upgrade and validate ``source``; SpecError if it gives no spec."""
    options = options or LoadOptions()
    # the spec, its overlays and every file its $refs reach share one budget
    with shared_budget():
        return _load(source, diags, options)


def _load(source: str, diags: Diagnostics, options: LoadOptions) -> LoadedSpec:
    # imported here: the CLI imports this package for reading config files
    from generator.load.bundle import bundle
    from generator.load.validate import validate_later

    location = source if is_url(source) else str(Path(source).resolve())
    text = read_text(source, diags)
    doc = parse_text(text, source, diags)
    if not isinstance(doc, dict):
        diags.error("not-an-object", "the document is not a JSON/YAML object", "")
        raise SpecError(diags)
    ref_text = text
    if options.overlays:
        from generator.load.overlay import apply_overlays

        overlays = apply_overlays(doc, options.overlays, diags)
        # an overlay may add file $refs: let bundling see them too
        ref_text = "\n".join([text, *(o.text for o in overlays)])
    version = detect_version(doc, diags)
    doc = bundle(
        doc,
        location,
        ref_text,
        diags,
        allow_remote=options.allow_remote_refs,
        ref_root=options.ref_root,
    )
    validation = None
    pending: Finish | None = None
    if options.validate is not False:
        progress.stage("validate")
        pending = validate_later(
            doc,
            version,
            known=options.known_validation,
            background=options.background_validation,
        )
        if not options.background_validation:
            validation, pending = pending(diags), None
    if version == "2.0":
        from generator.load.swagger2 import upgrade

        doc, notes = upgrade(doc)
        for code, message, pointer in notes:
            diags.warn(code, message, pointer)
    paths = doc.get("paths")
    if paths is not None and not isinstance(paths, dict):
        diags.error("bad-paths", "'paths' is not an object", "/paths")
        raise SpecError(diags)
    return LoadedSpec(doc, location, text, version, validation, pending)
