"""Validation with openapi-spec-validator, reported as diagnostics.

The builder repairs or works around what the validator finds (and checks
what it misses: schema $refs to non-schemas, required properties that do
not exist, unknown formats), so its findings are warnings. Only documents
that cannot be read at all are errors, and those are caught earlier.

The validator is slow: about 2 s per MB of spec (0.4 s for onFact, 11 s for
GitHub's 13 MB description), more than everything else clientgen does to a
spec. The builder reports what it cannot use either way, so by default specs
above :data:`AUTO_LIMIT` characters skip it with an ``info`` diagnostic;
``validate: true`` in the configuration (and ``clientgen validate``) forces
it, ``validate: false`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostics, pointer_join

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

#: Enough to explain a broken document without flooding the terminal.
MAX_REPORTED = 50
#: Specs longer than this (characters) are not validated unless forced.
AUTO_LIMIT = 2_000_000


@dataclass(frozen=True)
class Validation:
    """The validator's findings for one bundled document (see the manifest)."""

    key: str  # hash of the document, its version and the validator's version
    findings: tuple[tuple[str, str, str], ...]  # (code, message, pointer)


def validation_key(doc: dict[str, Any], version: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        tool = dist_version("openapi-spec-validator")
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        tool = "?"
    text = json.dumps(doc, sort_keys=True, default=str, ensure_ascii=False)
    data = f"{tool}\0{version}\0{text}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


#: ``finish(diags)`` → the result to record (findings reported into ``diags``)
Finish = Callable[[Diagnostics], "Validation | None"]


def validate(
    doc: dict[str, Any],
    version: str,
    diags: Diagnostics,
    *,
    size: int = 0,
    force: bool = True,
    known: Validation | None = None,
) -> Validation | None:
    """Report what openapi-spec-validator finds; ``size`` is the spec's length.

    Without ``force``, a spec longer than :data:`AUTO_LIMIT` is skipped with
    an ``info`` diagnostic saying how to force it. When ``known`` is the
    result for this very document, its findings are replayed instead.
    Returns the result to record, or ``None`` when the validator did not run.
    """
    return validate_later(
        doc, version, diags, size=size, force=force, known=known, background=False
    )(diags)


def validate_later(
    doc: dict[str, Any],
    version: str,
    diags: Diagnostics,
    *,
    size: int = 0,
    force: bool = True,
    known: Validation | None = None,
    background: bool = True,
) -> Finish:
    """Like :func:`validate`, but the validator may run in a forked process
    while the caller builds and renders; ``finish(diags)`` waits for it and
    reports its findings. Without ``fork`` (Windows) it runs in place.
    """
    if not force and size > AUTO_LIMIT:
        diags.info(
            "validation-skipped",
            f"openapi-spec-validator skipped for a {size / 1e6:.1f} MB spec "
            f"(over {AUTO_LIMIT / 1e6:.0f} MB, it takes about 2 s per MB); set "
            "'validate: true' in the configuration or run 'clientgen validate' "
            "to run it",
            "",
        )
        return lambda _diags: None
    key = validation_key(doc, version)
    if known is not None and known.key == key:
        findings: tuple[tuple[str, str, str], ...] = known.findings
    elif background and _can_fork():
        return _in_child(doc, version, key)
    else:
        findings = tuple(_run_validator(doc, version))
    return lambda into: _report(key, findings, into)


def _report(
    key: str, findings: tuple[tuple[str, str, str], ...], diags: Diagnostics
) -> Validation:
    for code, message, pointer in findings:
        diags.warn(code, message, pointer)
    return Validation(key, findings)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _in_child(doc: dict[str, Any], version: str, key: str) -> Finish:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    # forked: the child shares the parsed document, nothing is pickled but the findings
    child = ctx.Process(target=_child_main, args=(send, doc, version), daemon=True)
    child.start()
    send.close()

    def finish(diags: Diagnostics) -> Validation:
        try:
            found: list[tuple[str, str, str]] = receive.recv()
        except (EOFError, OSError):
            found = [("validator-failed", "openapi-spec-validator process died", "")]
        finally:
            receive.close()
            child.join()
        return _report(key, tuple(tuple(f) for f in found), diags)  # type: ignore[misc]

    return finish


def _child_main(send: Connection, doc: dict[str, Any], version: str) -> None:
    try:
        send.send(_run_validator(doc, version))
    finally:
        send.close()


def _run_validator(doc: dict[str, Any], version: str) -> list[tuple[str, str, str]]:
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
    found: list[tuple[str, str, str]] = []
    count = 0
    try:
        for error in validator_cls(doc).iter_errors():
            count += 1
            if count > MAX_REPORTED:
                continue
            path = list(
                getattr(error, "absolute_path", None)
                or getattr(error, "path", None)
                or []
            )
            message = str(getattr(error, "message", error)).split("\n")[0]
            if len(message) > 300:
                message = message[:297] + "..."
            found.append(("spec-invalid", message, pointer_join("", *path)))
    except RecursionError:
        found.append(
            (
                "validator-failed",
                "openapi-spec-validator gave up (recursion too deep)",
                "",
            )
        )
    except Exception as exc:  # noqa: BLE001 - a third-party validator must not crash us
        found.append(
            (
                "validator-failed",
                f"openapi-spec-validator failed: {type(exc).__name__}: {exc}"[:300],
                "",
            )
        )
    if count > MAX_REPORTED:
        found.append(
            (
                "spec-invalid",
                f"{count - MAX_REPORTED} more validation problems not shown",
                "",
            )
        )
    return found
