"""Validation with openapi-spec-validator's checks, reported as diagnostics.

The builder repairs or works around what the validator finds (and checks
what it misses: schema $refs to non-schemas, required properties that do
not exist, unknown formats), so its findings are warnings. Only documents
that cannot be read at all are errors, and those are caught earlier.

Every document gets all of openapi-spec-validator's checks, whatever its
size. The validator itself takes about 3 s per MB of spec (41 s for GitHub's
13 MB description), so :mod:`generator.load.speccheck` gives the same
findings faster (about 0.5 s of CPU for GitHub, against 21.7 s): its JSON Schemas compiled by
jsonschema-rs, its walk over plain dicts, its own code wherever only it can
answer the same. It runs in a forked process while the build runs, and a
regeneration of the same document replays the result the manifest recorded.
``validate: false`` in the configuration turns it off.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostics, pointer_join

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: Enough to explain a broken document without flooding the terminal.
MAX_REPORTED = 50
#: Changes when the findings for the same document and tools would change.
METHOD = "speccheck-1"


@dataclass(frozen=True)
class Validation:
    """The validator's findings for one bundled document (see the manifest)."""

    key: str  # hash of the document, its version and the validator's version
    findings: tuple[tuple[str, str, str], ...]  # (code, message, pointer)


def validation_key(doc: dict[str, Any], version: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    tools = [METHOD]
    for name in ("openapi-spec-validator", "jsonschema-rs"):
        try:
            tools.append(dist_version(name))
        except PackageNotFoundError:  # pragma: no cover - they are dependencies
            tools.append("?")
    text = json.dumps(doc, sort_keys=True, default=str, ensure_ascii=False)
    data = "\0".join([*tools, version, text]).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


#: ``finish(diags)`` → the result to record (findings reported into ``diags``)
Finish = Callable[[Diagnostics], "Validation"]


def validate(
    doc: dict[str, Any],
    version: str,
    diags: Diagnostics,
    *,
    known: Validation | None = None,
) -> Validation:
    """Report what openapi-spec-validator finds in ``doc`` and return the
    result to record. When ``known`` is the result for this very document,
    its findings are replayed instead."""
    return validate_later(doc, version, known=known, background=False)(diags)


def validate_later(
    doc: dict[str, Any],
    version: str,
    *,
    known: Validation | None = None,
    background: bool = True,
) -> Finish:
    """Like :func:`validate`, but the checks may run in a forked process
    while the caller builds and renders; ``finish(diags)`` waits for them
    and reports the findings. Where forking is not safe
    (:func:`generator.parallel.can_fork`) they run in place.
    The document's key is computed there too (0.3 s for GitHub's).
    """
    from generator.parallel import can_fork

    if background and can_fork():
        return _in_child(doc, version, known)
    key, findings = _result(doc, version, known)
    return lambda into: _report(key, findings, into)


def _result(
    doc: dict[str, Any], version: str, known: Validation | None
) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    key = validation_key(doc, version)
    if known is not None and known.key == key:
        return key, known.findings
    return key, tuple(_run_validator(doc, version))


def _report(
    key: str, findings: tuple[tuple[str, str, str], ...], diags: Diagnostics
) -> Validation:
    for code, message, pointer in findings:
        diags.warn(code, message, pointer)
    return Validation(key, findings)


def _in_child(doc: dict[str, Any], version: str, known: Validation | None) -> Finish:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    # forked: the child shares the parsed document, nothing is pickled but the findings
    child = ctx.Process(
        target=_child_main, args=(send, doc, version, known), daemon=True
    )
    child.start()
    send.close()

    def finish(diags: Diagnostics) -> Validation:
        try:
            key, found = receive.recv()
        except (EOFError, OSError):
            key = ""  # never a document's key: the next run validates again
            found = [("validator-failed", "the validation process died", "")]
        finally:
            receive.close()
            child.join()
        return _report(key, tuple(tuple(f) for f in found), diags)

    return finish


def _child_main(
    send: Connection, doc: dict[str, Any], version: str, known: Validation | None
) -> None:
    try:
        send.send(_result(doc, version, known))
    finally:
        send.close()


def _run_validator(doc: dict[str, Any], version: str) -> list[tuple[str, str, str]]:
    """What openapi-spec-validator finds, the fast way (see
    :mod:`generator.load.speccheck`): its JSON Schemas compiled, its walk
    over plain dicts, its own code wherever only it can answer the same."""
    from generator.load.speccheck import document_errors, walk_errors

    found: list[tuple[str, str]] = []
    failure: tuple[str, str, str] | None = None
    try:
        for message, path, anchor in document_errors(doc, version):
            found.append((message, pointer_join(anchor, *path)))
        walked = walk_errors(doc, version)
        if walked is None:
            for finding in _reference_walk(doc, version):  # kept if it fails later
                found.append(finding)
        else:
            found += [(m, pointer_join(anchor, *path)) for m, path, anchor in walked]
    except RecursionError:
        failure = _GAVE_UP
    except Exception as exc:  # noqa: BLE001 - a third-party validator must not crash us
        failure = _failed(exc)
    return _findings(found, failure)


def _reference_walk(doc: dict[str, Any], version: str) -> Iterator[tuple[str, str]]:
    """openapi-spec-validator's own walk (its checks beyond the JSON Schema)."""
    from generator.load.speccheck import error_parts

    validator = _reference_validator(doc, version)
    for error in validator.root_validator(validator.schema_path):
        message, path = error_parts(error)
        yield message, pointer_join("", *path)


def reference_findings(doc: dict[str, Any], version: str) -> list[tuple[str, str, str]]:
    """What openapi-spec-validator itself reports (with the pure-Python
    ``jsonschema`` backend it uses unless jsonschema-rs is installed, whose
    messages differ): the reference the fast path is tested against."""
    from generator.load.speccheck import error_parts

    found: list[tuple[str, str]] = []
    failure: tuple[str, str, str] | None = None
    try:
        validator = _reference_validator(doc, version)
        validator.schema_validator = _python_schema_validator(version)
        for error in validator.iter_errors():
            message, path = error_parts(error)
            found.append((message, pointer_join("", *path)))
    except RecursionError:
        failure = _GAVE_UP
    except Exception as exc:  # noqa: BLE001 - a third-party validator must not crash us
        failure = _failed(exc)
    return _findings(found, failure)


_GAVE_UP = (
    "validator-failed",
    "openapi-spec-validator gave up (recursion too deep)",
    "",
)


def _failed(exc: Exception) -> tuple[str, str, str]:
    return (
        "validator-failed",
        f"openapi-spec-validator failed: {type(exc).__name__}: {exc}"[:300],
        "",
    )


def _reference_validator(doc: dict[str, Any], version: str) -> Any:
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    validator_cls: Any = {
        "2.0": OpenAPIV2SpecValidator,
        "3.0": OpenAPIV30SpecValidator,
        "3.1": OpenAPIV31SpecValidator,
    }[version]
    return validator_cls(doc)


def _python_schema_validator(version: str) -> Any:
    """The document's JSON Schema in pure-Python ``jsonschema``."""
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]

    from generator.load.metaschemas import document_schema

    schema = document_schema(version)
    return validator_for(schema)(schema)


def _findings(
    errors: Iterable[tuple[str, str]],
    failure: tuple[str, str, str] | None = None,
) -> list[tuple[str, str, str]]:
    """``spec-invalid`` findings, at most :data:`MAX_REPORTED` of them."""
    found: list[tuple[str, str, str]] = []
    count = 0
    for message, pointer in errors:
        count += 1
        if count > MAX_REPORTED:
            continue
        line = message.split("\n")[0]
        if len(line) > 300:
            line = line[:297] + "..."
        found.append(("spec-invalid", line, pointer))
    if failure is not None:
        found.append(failure)
    if count > MAX_REPORTED:
        found.append(
            (
                "spec-invalid",
                f"{count - MAX_REPORTED} more validation problems not shown",
                "",
            )
        )
    return found
