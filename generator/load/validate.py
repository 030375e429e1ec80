"""Validation with openapi-spec-validator, reported as diagnostics.

The builder repairs or works around what the validator finds (and checks
what it misses: schema $refs to non-schemas, required properties that do
not exist, unknown formats), so its findings are warnings. Only documents
that cannot be read at all are errors, and those are caught earlier.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostics, pointer_join

#: Enough to explain a broken document without flooding the terminal.
MAX_REPORTED = 50


def validate(doc: dict[str, Any], version: str, diags: Diagnostics) -> None:
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
            diags.warn("spec-invalid", message, pointer_join("", *path))
    except RecursionError:
        diags.warn(
            "validator-failed",
            "openapi-spec-validator gave up (recursion too deep)",
            "",
        )
    except Exception as exc:  # noqa: BLE001 - a third-party validator must not crash us
        diags.warn(
            "validator-failed",
            f"openapi-spec-validator failed: {type(exc).__name__}: {exc}"[:300],
            "",
        )
    if count > MAX_REPORTED:
        diags.warn(
            "spec-invalid",
            f"{count - MAX_REPORTED} more validation problems not shown",
            "",
        )
