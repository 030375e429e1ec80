"""Calls of every onFact operation, computed from specs/onfact.yaml itself."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from helpers import REPO

SPEC: dict[str, Any] = yaml.safe_load(
    (REPO / "specs" / "onfact.yaml").read_text("utf-8")
)


def _snake(text: str) -> str:
    return text.replace("-", "_")


def _value(schema: dict[str, Any]) -> Any:
    if "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("enum"):
        return schema["enum"][0]
    t = schema.get("type")
    if t == "integer":
        return 7
    if t == "number":
        return 1.5
    if t == "boolean":
        return True
    if t == "array":
        return [_value(schema.get("items", {}))]
    if schema.get("format") == "date":
        return datetime.date(2026, 1, 1)
    return "nl"


def _wire(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_wire(v) for v in value)
    return str(value)


def operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "head", "patch"):
                yield path, method, op, item


OPS = list(operations())


@dataclass
class Call:
    """How to call one operation through the client and what must go out."""

    resource: str
    method: str
    args: list[Any]
    kwargs: dict[str, Any]
    http_method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    secured: bool


def build_call(
    onfact: Any, path: str, method: str, op: dict[str, Any], item: dict[str, Any]
) -> Call:
    resource_name, method_name = op["operationId"].split(".")
    params = [
        (
            p
            if "$ref" not in p
            else SPEC["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]
        )
        for p in item.get("parameters", []) + op.get("parameters", [])
    ]
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    expected_path = path
    expected_query: dict[str, str] = {}
    expected_headers: dict[str, str] = {}
    for p in params:
        if p["in"] == "path":
            value = _value(p["schema"])
            args.append(value)
            expected_path = expected_path.replace("{" + p["name"] + "}", str(value))
        elif p.get("required") or p["in"] == "header":
            # Optional headers are sent too: Prism 5.16 crashes on an absent
            # optional array header.
            value = _value(p["schema"])
            kwargs[p.get("x-clientgen-name") or _snake(p["name"])] = value
            (expected_query if p["in"] == "query" else expected_headers)[p["name"]] = (
                _wire(value)
            )
    expected_body: Any = None
    body = op.get("requestBody")
    if body is not None:
        schema = body["content"]["application/json"]["schema"]
        assert hasattr(onfact.models, schema["$ref"].rsplit("/", 1)[1])
        expected_body = example(
            SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        )
        args.append(expected_body)
    return Call(
        resource_name,
        method_name,
        args,
        kwargs,
        method.upper(),
        expected_path,
        expected_query,
        expected_headers,
        expected_body,
        bool(op.get("security", SPEC["security"])),
    )


def _read_only(schema: dict[str, Any]) -> bool:
    """readOnly on the property or on the schema it refers to (never sent)."""
    if schema.get("readOnly"):
        return True
    if "$ref" in schema:
        target = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return bool(target.get("readOnly"))
    return False


def example(schema: dict[str, Any]) -> Any:
    """A minimal valid JSON value for ``schema``: required properties only."""
    if "$ref" in schema:
        return example(SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example(part)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    if schema.get("type") == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            name: example(props[name])
            for name in schema.get("required", [])
            if name in props and not _read_only(props[name])
        }
    value = _value(schema)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if schema.get("type") == "array":
        return [example(schema.get("items", {}))]
    if value == "nl" and schema.get("format") == "email":
        return "someone@example.com"
    return value
