"""openapi-spec-validator's JSON Schemas, compiled by jsonschema-rs.

openapi-spec-validator checks a document against the OpenAPI JSON Schema of
its version, and every Schema Object against the JSON Schema dialect of that
version (draft 4 for OpenAPI 3.0 and Swagger 2.0, the OAS 3.1 base dialect
for 3.1), both with the pure-Python ``jsonschema``. This module compiles the
very same schemas once per process with the Rust engine and answers one
question fast: is this valid? It is tuned so that whatever the Python
validator rejects, the compiled one rejects too (same formats, checked by
the same Python functions; formats Python does not check are not checked);
when it says "invalid", the caller asks the Python validator for the exact
findings. So the findings stay the reference's, and only valid parts, which
is nearly all of them, take the fast path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

#: the dialect of OpenAPI 3.1 Schema Objects when a document names none
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"

Check = Callable[[Any], bool]


@functools.cache
def document_check(version: str) -> Check:
    """``check(doc)``: True when the whole document satisfies the OpenAPI
    JSON Schema of ``version`` ("2.0", "3.0", "3.1"), as the reference
    applies it (no format assertions)."""
    import jsonschema_rs

    return _guarded(
        jsonschema_rs.validator_for(document_schema(version), validate_formats=False)
    )


def document_schema(version: str) -> dict[str, Any]:
    """The OpenAPI JSON Schema openapi-spec-validator ships for ``version``,
    read without importing the validator (its import alone takes 0.5 s)."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        raise ImportError("openapi-spec-validator is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "resources" / "schemas" / f"v{version}" / "schema.json"
    schema: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return schema


@functools.cache
def schema_check(version: str) -> Check:
    """``check(schema)``: True when a Schema Object passes the meta-schema
    check openapi-spec-validator gives it (``OAS30Validator.check_schema``
    for 2.0 and 3.0, the OAS 3.1 base dialect's for 3.1)."""
    import jsonschema_rs
    from openapi_schema_validator import oas30_format_checker, oas31_format_checker
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_schema_validator.validators import OAS30Validator, OAS31Validator

    if version == "3.1":
        meta, checker = OAS31Validator.META_SCHEMA, oas31_format_checker
    else:
        meta, checker = OAS30Validator.META_SCHEMA, oas30_format_checker
    resources = [(uri, REGISTRY.contents(uri)) for uri in sorted(REGISTRY)]
    formats = {name: _python_format(checker, name) for name in _formats(resources)}
    validator = jsonschema_rs.validator_for(
        dict(meta),
        formats=formats,
        validate_formats=True,
        registry=jsonschema_rs.Registry(resources),
    )
    return _guarded(validator)


def _guarded(validator: Any) -> Check:
    """``validator.is_valid`` that says "invalid" (ask the reference) when the
    engine cannot take the instance (a date from YAML, a non-string key)."""

    def check(instance: Any) -> bool:
        try:
            return bool(validator.is_valid(instance))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - a Rust panic is a BaseException
            return False

    return check


def _formats(resources: list[tuple[str, Any]]) -> set[str]:
    """Every ``format`` the meta-schemas use."""
    found: set[str] = set()
    todo: list[Any] = [contents for _uri, contents in resources]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return found


def _python_format(checker: Any, name: str) -> Check:
    """The Python format check for ``name``; formats it does not know pass."""
    if name not in checker.checkers:
        return lambda _value: True
    return lambda value: bool(checker.conforms(value, name))
