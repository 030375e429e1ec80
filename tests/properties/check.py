"""Checks run in a fresh interpreter beside one generated package.

    python -m tests.properties.check CASE.json

``CASE.json`` holds the package folder and name, the OpenAPI document, and
for each component its ``GET``/``POST`` path and JSON instances. Prints one
failure per line (none when all pass); exits 1 when something failed:

- every module of the package imports;
- each instance served by the ``GET`` operation (``strict_responses=True``)
  decodes, and the runtime's ``encode_json`` gives back the same JSON;
- the instance, and the decoded value, sent as the ``POST`` body reach the
  wire unchanged;
- operations with awkward names are callable and reach their path;
- no model field (nor operation result) is typed ``Any`` unless its schema
  allows any value somewhere.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import sys
import traceback
import typing
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, NoneType, UnionType
from typing import Any

import httpx
import pydantic

from .jsonvalue import first_difference

BLOB = bytes(range(256)) + b"\r\n\x00"
_DOC = re.compile(r"``(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+)``")


def import_all(folder: str, package: str) -> ModuleType:
    """Import ``package`` from ``folder``, every module of it and every lazy name."""
    sys.path.insert(0, folder)
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        importlib.import_module(info.name)
    for name in getattr(pkg, "__all__", []):
        getattr(pkg, name)
    return pkg


class Wire:
    """A MockTransport handler: serves ``answer`` and records what was sent."""

    def __init__(self) -> None:
        self.answer: Any = None
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if request.method != "GET":
            return httpx.Response(204)
        if isinstance(self.answer, bytes):
            return httpx.Response(200, content=self.answer)
        return httpx.Response(200, json=self.answer)

    def last_body(self) -> Any:
        return json.loads(self.sent[-1].content)


def client_of(pkg: ModuleType, wire: Wire) -> Any:
    cls = next(
        getattr(pkg, n)
        for n in pkg.__all__
        if isinstance(getattr(pkg, n), type)
        and hasattr(getattr(pkg, n), "_api")
        and not n.startswith("Async")
    )
    http = httpx.Client(transport=httpx.MockTransport(wire))
    return cls(http_client=http, strict_responses=True, max_retries=0)


def operations(client: Any) -> dict[tuple[str, str], Callable[..., Any]]:
    """(METHOD, path) → the bound method, read from each method's docstring."""
    found: dict[tuple[str, str], Callable[..., Any]] = {}
    for attr in type(client)._resources:
        resource = getattr(client, attr)
        for name in dir(type(resource)):
            method = getattr(resource, name)
            match = _DOC.search(getattr(method, "__doc__", None) or "")
            if callable(method) and not name.startswith("_") and match:
                found[(match[1], match[2])] = method
    return found


def check(case: dict[str, Any]) -> list[str]:
    """Every failure of ``case`` (see the module docstring)."""
    try:
        pkg = import_all(case["folder"], case["package"])
    except Exception as exc:
        return ["import: " + "".join(traceback.format_exception_only(exc)).strip()]
    wire = Wire()
    client = client_of(pkg, wire)
    ops = operations(client)
    failures: list[str] = []
    for item in case["schemas"]:
        get, post = ops.get(("GET", item["path"])), ops.get(("POST", item["path"]))
        if get is None or post is None:
            failures.append(f"{item['schema']}: no GET/POST method for {item['path']}")
            continue
        for instance in item["instances"]:
            failures += _round_trip(pkg, wire, get, post, item["schema"], instance)
    for op in case["extra"]:
        failures += _call_extra(ops, wire, op)
    failures += any_typed(pkg, case["spec"], ops, case["schemas"])
    return failures


def _round_trip(
    pkg: ModuleType,
    wire: Wire,
    get: Callable[..., Any],
    post: Callable[..., Any],
    key: str,
    instance: Any,
) -> list[str]:
    where = f"{key} <- {json.dumps(instance)[:200]}"
    wire.answer = instance
    try:
        value = get()
    except Exception as exc:
        return [f"{where}: GET does not decode: {type(exc).__name__}: {exc}"[:800]]
    out: list[str] = []
    differs = first_difference(instance, pkg._runtime.encode_json(value))
    if differs:
        out.append(f"{where}: decoded, then encoded, differs {differs}")
    for label, body in (("instance", instance), ("decoded value", value)):
        try:
            post(body)
        except Exception as exc:
            out.append(
                f"{where}: POST of the {label} fails: {type(exc).__name__}: {exc}"[:800]
            )
            continue
        differs = first_difference(instance, wire.last_body())
        if differs:
            out.append(f"{where}: POST of the {label}: the wire differs {differs}")
    return out


def _call_extra(
    ops: dict[tuple[str, str], Callable[..., Any]], wire: Wire, op: dict[str, Any]
) -> list[str]:
    method = ops.get((op["method"].upper(), op["path"]))
    if method is None:
        return [f"no method for {op['method'].upper()} {op['path']}"]
    payload: Any = BLOB if op["binary"] else "ok"
    args: list[Any] = list(range(7, 7 + len(op["params"])))
    if op["method"] == "post":
        args.append(payload)
    wire.answer = payload
    try:
        result = method(*args)
    except Exception as exc:
        return [f"{op['method'].upper()} {op['path']}: {type(exc).__name__}: {exc}"]
    path = op["path"]
    for p, value in zip(op["params"], args, strict=False):
        path = path.replace("{" + p + "}", str(value))
    if not wire.sent[-1].url.path.endswith(path):
        return [f"{op['path']}: request went to {wire.sent[-1].url.path}"]
    if op["method"] == "get" and result != payload:
        return [f"{op['path']}: returned {result!r:.100}"]
    if op["method"] == "post" and op["binary"] and wire.sent[-1].content != BLOB:
        return [f"{op['path']}: sent {wire.sent[-1].content!r:.100}"]
    if op["method"] == "post" and not op["binary"]:
        sent = json.loads(wire.sent[-1].content)
        return [] if sent == payload else [f"{op['path']}: sent {sent!r:.100}"]
    return []


# ---------------------------------------------------------------------------
# No Any where the schema does not allow any value


def any_typed(
    pkg: ModuleType,
    spec: dict[str, Any],
    ops: dict[tuple[str, str], Callable[..., Any]],
    schemas: list[dict[str, Any]],
) -> list[str]:
    """Places typed ``Any`` whose schema allows no arbitrary value."""
    walker = _AnyWalker(spec)
    for item in schemas:
        get = ops.get(("GET", item["path"]))
        if get is None:
            continue
        hint = typing.get_type_hints(get)["return"]
        ref = {"$ref": "#/components/schemas/" + item["schema"]}
        walker.walk(ref, hint, f"GET {item['path']} -> {item['schema']}")
    return sorted(set(walker.errors))


class _AnyWalker:
    """Walks a schema and the Python type generated for it side by side."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.errors: list[str] = []
        self._models: set[tuple[type[Any], str]] = set()

    def deref(self, schema: Any) -> Any:
        seen = set()
        while (
            isinstance(schema, dict) and "$ref" in schema and schema["$ref"] not in seen
        ):
            seen.add(schema["$ref"])
            node: Any = self.spec
            for part in schema["$ref"][2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
        return schema

    def allows_any(self, schema: Any, seen: frozenset[str] = frozenset()) -> bool:
        """Is ``schema`` itself any value (or a free-form object), here, not deeper?

        ``{}``, an object without properties, an array without items, or a
        union with such a member: the generator may type these ``Any``
        (``dict[str, Any]``, ``list[Any]``); nothing else.
        """
        if isinstance(schema, dict) and "$ref" in schema:
            if schema["$ref"] in seen:
                return False
            return self.allows_any(self.deref(schema), seen | {schema["$ref"]})
        if schema is None or schema is True or schema == {}:
            return True
        if not isinstance(schema, dict):
            return False
        for key in ("oneOf", "anyOf"):
            if any(self.allows_any(m, seen) for m in schema.get(key, [])):
                return True
        if len(schema.get("allOf", [])) == 1:
            return self.allows_any(schema["allOf"][0], seen)
        kinds = _types(schema)
        if "object" in kinds and not {"properties", "allOf"} & schema.keys():
            return schema.get("additionalProperties") in (None, True, {})
        constrained = {"type", "enum", "const", "oneOf", "anyOf", "allOf"}
        return not constrained & schema.keys()

    def branches(self, schema: Any) -> list[dict[str, Any]]:
        """The alternatives of ``schema``: union members, one per type, nulls dropped."""
        schema = self.deref(schema)
        if not isinstance(schema, dict):
            return []
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return [b for m in schema[key] for b in self.branches(m)]
        if len(schema.get("allOf", [])) == 1:
            return self.branches(schema["allOf"][0])
        kinds = [t for t in _types(schema) if t != "null"]
        if not kinds and _types(schema):
            return []
        if len(kinds) > 1:
            return [{**schema, "type": t} for t in kinds]
        return [schema]

    def walk(self, schema: Any, hint: Any, where: str) -> None:
        if self.allows_any(schema):
            return
        arms = _arms(hint)
        if any(arm is Any for arm in arms):
            self.errors.append(f"{where}: typed Any, but {_short(schema)} is not")
            return
        branches = self.branches(schema)
        for arm in arms:
            origin, args = typing.get_origin(arm), typing.get_args(arm)
            if origin is list:
                pairs = [
                    (b.get("items"), args[0]) for b in branches if "array" in _types(b)
                ]
            elif origin is dict:
                pairs = [
                    (b["additionalProperties"], args[1])
                    for b in branches
                    if isinstance(b.get("additionalProperties"), dict)
                ]
            elif isinstance(arm, type) and issubclass(arm, pydantic.BaseModel):
                self._best([(b, arm) for b in branches if _is_object(b)], where, True)
                continue
            else:
                continue
            self._best(pairs, where, False)

    def _best(self, pairs: list[tuple[Any, Any]], where: str, model: bool) -> None:
        """Keep the errors of the branch that fits ``hint`` best (fewest errors)."""
        best: list[str] | None = None
        for schema, hint in pairs:
            saved, self.errors = self.errors, []
            if model:
                self.model(hint, schema)
            else:
                self.walk(schema, hint, where + "[]")
            found, self.errors = self.errors, saved
            if best is None or len(found) < len(best):
                best = found
        self.errors += best or []

    def model(self, cls: type[Any], schema: dict[str, Any]) -> None:
        key = (cls, json.dumps(schema, sort_keys=True))
        if key in self._models:
            return
        self._models.add(key)
        hints = typing.get_type_hints(cls)
        by_wire = {
            (field.serialization_alias or field.alias or name): name
            for name, field in cls.model_fields.items()
        }
        for wire, prop in self.properties(schema).items():
            name = by_wire.get(wire)
            if name is None:
                self.errors.append(f"{cls.__name__}: no field for property {wire!r}")
                continue
            self.walk(prop, hints[name], f"{cls.__name__}.{name}")

    def properties(self, schema: Any) -> dict[str, Any]:
        schema = self.deref(schema)
        props: dict[str, Any] = {}
        for member in schema.get("allOf", []):
            props.update(self.properties(member))
        props.update(schema.get("properties", {}))
        return props


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    return [t] if isinstance(t, str) else list(t) if isinstance(t, list) else []


def _is_object(schema: dict[str, Any]) -> bool:
    return "properties" in schema or "allOf" in schema


def _arms(hint: Any) -> list[Any]:
    """Members of a union type (Annotated stripped, ``None`` dropped)."""
    if typing.get_origin(hint) is typing.Annotated:
        return _arms(typing.get_args(hint)[0])
    if typing.get_origin(hint) in (typing.Union, UnionType):
        return [a for arg in typing.get_args(hint) for a in _arms(arg)]
    return [] if hint is NoneType else [hint]


def _short(schema: Any) -> str:
    return json.dumps(schema, ensure_ascii=False)[:160]


def main(argv: list[str]) -> int:
    case = json.loads(Path(argv[0]).read_text("utf-8"))
    failures = check(case)
    for failure in failures:
        print(failure.replace("\n", "\\n"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
