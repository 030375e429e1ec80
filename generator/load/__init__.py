"""Stage 1: read a spec, bundle its ``$ref``s, upgrade Swagger 2.0, validate.

The result is one self-contained OpenAPI 3.x document (a plain dict whose
``$ref``s are all local) plus diagnostics. Nothing here raises for a bad
spec except :class:`~generator.diagnostics.SpecError`, which carries the
diagnostics that explain why no package can be made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostics, SpecError
from generator.load.bundle import bundle
from generator.load.read import is_url, looks_like_json, parse_text, read_text
from generator.load.validate import validate


@dataclass(frozen=True)
class LoadOptions:
    allow_remote_refs: bool = False
    ref_root: str | None = None
    validate: bool = True


@dataclass(frozen=True)
class LoadedSpec:
    doc: dict[str, Any]
    location: str
    text: str
    version: str  # "2.0", "3.0" or "3.1"

    @property
    def is_json(self) -> bool:
        return looks_like_json(self.text)


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
    options = options or LoadOptions()
    location = source if is_url(source) else str(Path(source).resolve())
    text = read_text(source, diags)
    doc = parse_text(text, source, diags)
    if not isinstance(doc, dict):
        diags.error("not-an-object", "the document is not a JSON/YAML object", "")
        raise SpecError(diags)
    version = detect_version(doc, diags)
    doc = bundle(
        doc,
        location,
        text,
        diags,
        allow_remote=options.allow_remote_refs,
        ref_root=options.ref_root,
    )
    if options.validate:
        validate(doc, version, diags)
    if version == "2.0":
        from generator.load.swagger2 import upgrade

        doc, notes = upgrade(doc)
        for code, message, pointer in notes:
            diags.warn(code, message, pointer)
    paths = doc.get("paths")
    if paths is not None and not isinstance(paths, dict):
        diags.error("bad-paths", "'paths' is not an object", "/paths")
        raise SpecError(diags)
    return LoadedSpec(doc, location, text, version)
