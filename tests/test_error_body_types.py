"""Status errors typed with the description's error models (issue 15): mypy
--strict, run once over a few user scripts, sees ``exc.body_model`` as the
operations' error model (or ``None``), ``FieldError`` and every exception at
the package root, and ``with_options`` taking the credential keywords; the
scripts with mistakes are flagged exactly on the lines that hold them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, generate_package

ERRORS = {"type": "object", "properties": {"message": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Twoerr", "version": "1"},
    "servers": [{"url": "https://twoerr.example"}],
    "paths": {
        "/a": {
            "get": {
                "operationId": "a.get",
                "responses": {
                    "200": {"description": "ok"},
                    "404": {
                        "description": "missing",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Missing"}
                            }
                        },
                    },
                    "422": {
                        "description": "invalid",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Invalid"}
                            }
                        },
                    },
                },
            }
        }
    },
    "components": {"schemas": {"Missing": ERRORS, "Invalid": ERRORS}},
}

# name -> (source, the lines mypy must flag)
SCRIPTS: dict[str, tuple[str, set[int]]] = {
    "onfact_typed": (
        """
        from typing import assert_type
        import onfact
        from onfact import FieldError, FieldValidationError, models
        client = onfact.OnFact(api_key="k", company_uuid="c")
        try:
            client.invoices.get(1)
        except onfact.UnprocessableEntityError as exc:
            assert_type(exc.body_model, models.Error | None)
            for problem in exc.field_errors:
                assert_type(problem, FieldError)
                assert_type(problem.code, str | None)
        except FieldValidationError as exc:
            assert_type(exc.body_model, models.Error | None)
        except onfact.APIStatusError as exc:
            if exc.body_model is not None:
                assert_type(exc.body_model.message, str)
        copy = client.with_options(api_key="k2", company_uuid="c2", timeout=3.0)
        assert_type(copy, onfact.OnFact)
        """,
        set(),
    ),
    "onfact_mistakes": (
        """
        import onfact
        client = onfact.OnFact(api_key="k", company_uuid="c")
        try:
            client.invoices.get(1)
        except onfact.APIStatusError as exc:
            print(exc.body_model.message)
            print(exc.body_model.mesage if exc.body_model else "")
        client.with_options(api_ky="k")
        client.with_options(api_key=1)
        """,
        {6, 7, 8, 9},
    ),
    "two_models": (
        """
        from typing import assert_type
        import {pkg}
        from {pkg} import models
        try:
            {pkg}.Twoerr().a.get()
        except {pkg}.NotFoundError as exc:
            assert_type(exc.body_model, models.Invalid | models.Missing | None)
        """,
        set(),
    ),
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder, package = generate_package(
        SPEC, tmp_path_factory.mktemp("twoerr"), package="twoerr"
    )
    scripts = tmp_path_factory.mktemp("scripts")
    for name, (source, _lines) in SCRIPTS.items():
        text = textwrap.dedent(source).lstrip("\n").replace("{pkg}", package)
        (scripts / f"{name}.py").write_text(text, "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            "--show-error-codes",
            *sorted(str(p) for p in scripts.glob("*.py")),
        ],
        cwd=scripts,
        env={"MYPYPATH": f"{REPO / 'generated' / 'onfact'}:{folder}", "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert "Cannot find implementation" not in result.stdout, result.stdout
    return result.stdout


def _flagged(report: str, name: str) -> set[int]:
    lines = set()
    for line in report.splitlines():
        head, _, _rest = line.partition(": ")
        path, _, number = head.rpartition(":")
        if Path(path).name == f"{name}.py" and number.isdigit():
            lines.add(int(number))
    return lines


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_mypy_sees_the_error_models(mypy_report: str, name: str) -> None:
    assert _flagged(mypy_report, name) == SCRIPTS[name][1], mypy_report


def test_every_exception_at_the_package_root(onfact: Any) -> None:
    import importlib

    runtime = importlib.import_module("onfact._runtime._exceptions")
    for name in runtime.__all__:
        value = getattr(runtime, name)
        if isinstance(value, type) and issubclass(
            value, Exception | runtime.FieldError
        ):
            assert getattr(onfact, name) is value, name
            assert name in onfact.__all__
    assert onfact.FieldError is runtime.FieldError
