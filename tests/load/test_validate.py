"""The validator in the background gives what it gives in place."""

from __future__ import annotations

from typing import Any

import pytest

import generator.load.validate as validate_module
from generator.diagnostics import Diagnostics
from generator.load.validate import validate, validate_later

BROKEN: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Broken", "version": "1"},
    "paths": {
        "/x/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "schema": {}}],
                "responses": {"abc": {"description": "no such status"}},
            }
        }
    },
}


def _found(diags: Diagnostics) -> list[tuple[str, str, str]]:
    return [(d.code, d.message, d.pointer) for d in diags]


def test_background_validation_reports_the_same_findings() -> None:
    here = Diagnostics()
    result = validate(BROKEN, "3.0", here)
    assert result is not None and result.findings
    assert any(p.startswith("/paths/~1x~1{id}") for _c, _m, p in result.findings)

    later = Diagnostics()
    finish = validate_later(BROKEN, "3.0", background=True)
    assert not list(later)  # nothing yet: the child is still working
    again = finish(later)
    assert again == result
    assert _found(later) == _found(here)


def test_known_results_are_replayed_without_running_the_validator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = validate(BROKEN, "3.0", Diagnostics())
    assert first is not None

    def boom(doc: Any, version: str) -> list[tuple[str, str, str]]:
        raise AssertionError("the validator ran")

    monkeypatch.setattr(validate_module, "_run_validator", boom)
    replay = Diagnostics()
    finish = validate_later(BROKEN, "3.0", known=first, background=True)
    assert finish(replay) == first
    assert len(list(replay)) == len(first.findings)
