"""openapi-spec-validator's checks, fast, with the same findings.

openapi-spec-validator (the reference) does two things to a document:

1. it validates the whole document against the OpenAPI JSON Schema of its
   version (pure-Python ``jsonschema``: 13 s for GitHub's description);
2. it walks the document (``openapi_spec_validator.validation.keywords``)
   through ``jsonschema-path``, which follows every ``$ref`` on every step:
   tag names and parameters must be unique, operationIds too, path
   templates and path parameters must match, every Schema Object reached
   from paths and components must pass the JSON Schema dialect's
   meta-schema, ``required`` names under ``allOf`` must exist, and every
   ``default`` must be valid against its schema (35 s for GitHub).

Here step 1 and the meta-schema checks of step 2 run compiled
(:mod:`generator.load.metaschemas`); the walk is the reference's own order,
rules and messages over plain dicts, and the ``default`` checks call the
reference's own value validators. Where the compiled engine says "invalid",
the Python validator is asked for its exact errors. Anything the walk cannot
answer exactly like the reference (a ``$ref``
that is not a local JSON pointer, an ``$id`` on the way, a shape the
reference would crash on, recursion beyond :data:`MAX_DEPTH`) makes
:func:`walk_errors` return ``None``: the caller then runs the reference's walk.

The walk also knows where each finding is, so its pointers are absolute
where the reference's are relative to the checked schema or value (or
empty): the reference's pointer is always a suffix of ours.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from generator.diagnostics import pointer_join
from generator.load.metaschemas import (
    OAS31_DIALECT,
    document_check,
    document_schema,
    schema_check,
)

#: (message, path under the anchor, anchor pointer) of one finding
Raw = tuple[str, tuple[Any, ...], str]

#: Deeper nesting of schemas (or of ``$ref`` hops) is left to the reference,
#: which gives up on about 160 levels with a RecursionError (fewer when
#: called from deeper down the stack); real descriptions stay under 20
#: (GitHub's and the corpus' deepest: 16).
MAX_DEPTH = 64

OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Fallback(Exception):
    """The walk met something only the reference can report the same way."""


def walk_errors(doc: dict[str, Any], version: str) -> list[Raw] | None:
    """The reference's keyword findings for ``doc`` in its order, or ``None``
    when only the reference can say (see the module docstring)."""
    try:
        return _Walk(doc, version).run()
    except Exception:  # noqa: BLE001 - the reference answers whatever this cannot
        return None


def document_errors(doc: dict[str, Any], version: str) -> Iterator[Raw]:
    """The reference's findings against the OpenAPI JSON Schema: none when
    the compiled schema accepts the document, else pure-Python ``jsonschema``'s
    (the engine decides, its messages differ)."""
    if document_check(version)(doc):
        return
    from jsonschema.validators import validator_for  # type: ignore[import-untyped]

    schema = document_schema(version)
    for error in validator_for(schema)(schema).iter_errors(doc):
        message, path = error_parts(error)
        yield message, path, ""


def error_parts(error: Any) -> tuple[str, tuple[Any, ...]]:
    """(message, path) of a ``jsonschema`` error, as the reference reports it."""
    path = tuple(
        getattr(error, "absolute_path", None) or getattr(error, "path", None) or ()
    )
    return str(getattr(error, "message", error)), path


def _has(node: Any, key: str) -> bool:
    return isinstance(node, dict) and key in node


class _Walk:
    """One pass over a document, in the reference's order. Valid against the
    OpenAPI JSON Schema or not: wherever the reference would stumble on a
    shape, :class:`Fallback` hands the walk back to it."""

    def __init__(self, doc: dict[str, Any], version: str) -> None:
        self.doc = doc
        self.version = version
        self.errors: list[Raw] = []
        self.operation_ids: set[str] = set()
        # the reference's dedupe registries: by identity of the schema dict
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.meta_valid = schema_check(version)
        self._dialect: str | None = None
        self._resolver: Any = None

    def run(self) -> list[Raw]:
        root, where = self.resolve(self.doc, "")
        if not isinstance(root, dict):
            raise Fallback
        if "tags" in root:
            self.tags(*self.child(root, where, "tags"))
        if "paths" in root:
            for url, item, at in self.items(*self.child(root, where, "paths")):
                if not isinstance(url, str):
                    raise Fallback
                self.path_item(url, item, at)
        if "components" in root:
            components, at = self.child(root, where, "components")
            if _has(components, "schemas"):
                for _name, schema, s_at in self.items(
                    *self.child(components, at, "schemas")
                ):
                    self.schema(schema, s_at)
        return self.errors

    def report(self, message: str, anchor: str, path: tuple[Any, ...] = ()) -> None:
        self.errors.append((message, path, anchor))

    # -- following $refs as jsonschema-path does

    def resolve(self, node: Any, where: str) -> tuple[Any, str]:
        hops = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node, where = self.lookup(node["$ref"])
            hops += 1
            if hops > MAX_DEPTH:
                raise Fallback
        return node, where

    def lookup(self, ref: str) -> tuple[Any, str]:
        """A local JSON pointer, resolved as ``referencing`` does."""
        if not ref.startswith("#") or "#" in ref[1:]:
            raise Fallback
        node: Any = self.doc
        tokens: list[str | int] = []
        segments = unquote(ref[2:]).split("/") if len(ref) > 1 else []
        if len(ref) > 1 and ref[1] != "/":
            raise Fallback  # an anchor
        for segment in segments:
            if isinstance(node, dict):
                if "$id" in node:
                    raise Fallback  # the base URI would change on the way
                key = segment.replace("~1", "/").replace("~0", "~")
                if key not in node:
                    raise Fallback
                node = node[key]
                tokens.append(key)
            elif isinstance(node, list):
                index = int(segment)
                node = node[index]
                tokens.append(index)
            else:
                raise Fallback
        if isinstance(node, dict) and "$id" in node:
            raise Fallback
        return node, pointer_join("", *tokens)

    def child(self, node: Any, where: str, key: str) -> tuple[Any, str]:
        if not isinstance(node, dict) or key not in node:
            raise Fallback
        return self.resolve(node[key], pointer_join(where, key))

    def items(self, node: Any, where: str) -> Iterator[tuple[Any, Any, str]]:
        if isinstance(node, dict):
            for key in list(node):
                yield (key, *self.resolve(node[key], pointer_join(where, key)))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield (index, *self.resolve(value, pointer_join(where, index)))
        else:
            raise Fallback

    # -- the keyword validators, in the reference's order

    def tags(self, tags: Any, where: str) -> None:
        seen: set[str] = set()
        for _key, tag, at in self.items(tags, where):
            name, name_at = self.child(tag, at, "name")
            if not isinstance(name, str):
                raise Fallback
            if name in seen:
                self.report(f"Duplicate tag name '{name}'", name_at)
            seen.add(name)

    def path_item(self, url: str, item: Any, where: str) -> None:
        shared = None
        if _has(item, "parameters"):
            shared = self.child(item, where, "parameters")
            self.parameters(*shared)
        for method, operation, at in self.items(item, where):
            if not isinstance(method, str):
                raise Fallback
            if method in OPERATIONS:
                self.operation(url, method, operation, at, shared)

    def parameters(self, parameters: Any, where: str) -> None:
        seen: set[tuple[str, str]] = set()
        for _key, parameter, at in self.items(parameters, where):
            if _has(parameter, "schema"):
                self.schema(*self.child(parameter, at, "schema"))
            if self.version == "2.0" and _has(parameter, "default"):
                value, value_at = self.child(parameter, at, "default")
                self.check_default(parameter, value, value_at)
            # the reference reads these without following a $ref
            name, place = parameter.get("name"), parameter.get("in")
            if not isinstance(name, str) or not isinstance(place, str):
                raise Fallback
            if (name, place) in seen:
                self.report(f"Duplicate parameter '{name}'", at)
            seen.add((name, place))

    def operation(
        self,
        url: str,
        method: str,
        operation: Any,
        where: str,
        shared: tuple[Any, str] | None,
    ) -> None:
        if _has(operation, "operationId"):
            operation_id, at = self.child(operation, where, "operationId")
            if operation_id is not None:
                if not isinstance(operation_id, str):
                    raise Fallback
                if operation_id in self.operation_ids:
                    self.report(
                        f"Operation ID '{operation_id}' for '{method}' in "
                        f"'{url}' is not unique",
                        at,
                    )
                self.operation_ids.add(operation_id)
        if _has(operation, "responses"):
            self.responses(*self.child(operation, where, "responses"))
        names: list[str] = []
        if _has(operation, "parameters"):
            own = self.child(operation, where, "parameters")
            self.parameters(*own)
            names += self.path_names(*own)
        if shared is not None:
            names += self.path_names(*shared)
        declared = set(names)
        templated = {f[1] for f in string.Formatter().parse(url) if f[1]}
        missing = [p for p in sorted(templated) if p not in declared]
        missing += [p for p in sorted(declared) if p not in templated]
        for name in missing:
            self.report(
                f"Path parameter '{name}' for '{method}' operation in '{url}' "
                "was not resolved",
                where,
            )

    def path_names(self, parameters: Any, where: str) -> Iterator[str]:
        for _key, parameter, at in self.items(parameters, where):
            place = self.child(parameter, at, "in")[0]
            if not isinstance(place, str):
                raise Fallback
            if place == "path":
                name = self.child(parameter, at, "name")[0]
                if not isinstance(name, str):
                    raise Fallback
                yield name

    def responses(self, responses: Any, where: str) -> None:
        for code, response, at in self.items(responses, where):
            if not isinstance(code, str):
                raise Fallback
            if self.version == "2.0":
                if _has(response, "schema"):
                    self.schema(*self.child(response, at, "schema"))
            elif _has(response, "content"):
                content = self.child(response, at, "content")
                for mime, media, media_at in self.items(*content):
                    if not isinstance(mime, str):
                        raise Fallback
                    if _has(media, "schema"):
                        self.schema(*self.child(media, media_at, "schema"))

    # -- Schema Objects

    def schema(self, value: Any, where: str, top: bool = True, depth: int = 0) -> None:
        """The reference's SchemaValidator: ``top`` is its ``require_properties``
        and the negation of its ``meta_checked``."""
        if depth > MAX_DEPTH:
            raise Fallback
        if not isinstance(value, dict | bool):
            self.report(f"{value!r} is not of type 'object', 'boolean'", where)
            return
        key = id(value)
        if top and key not in self.meta_checked:
            self.meta_checked.add(key)
            if self.meta_error(value, where):
                return
        if key in self.visited:
            return
        self.visited.add(key)
        if not isinstance(value, dict):
            return
        nested: list[Any] = []
        if "allOf" in value:
            for _key, sub, at in self.items(*self.child(value, where, "allOf")):
                self.schema(sub, at, False, depth + 1)
                nested += list(self.collect(sub, depth + 1))
        for keyword in ("anyOf", "oneOf"):
            if keyword in value:
                for _key, sub, at in self.items(*self.child(value, where, keyword)):
                    self.schema(sub, at, False, depth + 1)
        for keyword in ("not", "items"):
            if keyword in value:
                self.schema(*self.child(value, where, keyword), False, depth + 1)
        if "properties" in value:
            for _key, sub, at in self.items(*self.child(value, where, "properties")):
                self.schema(sub, at, False, depth + 1)
        required = "required" in value and self.child(value, where, "required")[0]
        required = required or []
        properties = "properties" in value and self.keys(value, where, "properties")
        properties = properties or []
        extra = []
        if "allOf" in value:
            # sorted: the reference lists a set, in an order no run repeats
            extra = sorted(set(required) - set(properties) - set(nested), key=str)
        if extra and top:
            self.report(f"Required list has not defined properties: {extra}", where)
        if "default" in value:
            default, at = self.child(value, where, "default")
            nullable = "nullable" in value and self.child(value, where, "nullable")[0]
            if default is not None or nullable is not True:
                self.check_default(value, default, at)

    def keys(self, node: Any, where: str, key: str) -> Any:
        value = self.child(node, where, key)[0]
        if isinstance(value, dict):
            return value.keys()
        if isinstance(value, list):
            return range(len(value))
        raise Fallback

    def collect(self, schema: Any, depth: int) -> set[Any]:
        """Every property name reachable from ``schema`` (the reference's
        ``_collect_properties``; it has no cycle guard, hence the depth)."""
        if depth > MAX_DEPTH:
            raise Fallback
        names: set[Any] = set()
        if not isinstance(schema, dict):
            return names
        where = ""  # findings never come from here
        if "properties" in schema:
            names.update(self.keys(schema, where, "properties"))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for _key, sub, _at in self.items(*self.child(schema, where, keyword)):
                    names.update(self.collect(sub, depth + 1))
        for keyword in ("items", "not"):
            if keyword in schema:
                sub = self.child(schema, where, keyword)[0]
                names.update(self.collect(sub, depth + 1))
        return names

    def meta_error(self, value: dict[str, Any] | bool, where: str) -> bool:
        """Report the schema's meta-schema error, if any: True when reported."""
        dialect = None
        if self.version == "3.1":
            if isinstance(value, dict) and "$schema" in value:
                dialect = value["$schema"]
                if not isinstance(dialect, str):
                    self.report(f"Unknown JSON Schema dialect: {dialect!r}", where)
                    return True
            else:
                dialect = self.default_dialect()
        if dialect in (None, OAS31_DIALECT) and self.meta_valid(value):
            return False
        found = python_meta_error(self.version, value, dialect)
        if found is not None:
            self.report(found[0], where, found[1])
        return found is not None

    def default_dialect(self) -> str:
        if self._dialect is None:
            dialect = self.doc.get("jsonSchemaDialect", OAS31_DIALECT)
            if not isinstance(dialect, str):
                raise Fallback
            self._dialect = dialect
        return self._dialect

    def check_default(self, schema: Any, value: Any, where: str) -> None:
        """``value`` against ``schema`` with the reference's value validator."""
        if self.version == "3.1":
            from openapi_schema_validator import oas31_format_checker as formats
            from openapi_schema_validator.validators import OAS31Validator as cls
        else:
            from openapi_schema_validator import oas30_format_checker as formats
            from openapi_schema_validator.validators import OAS30Validator as cls
        validator = cls(schema, _resolver=self.resolver(), format_checker=formats)
        for error in validator.iter_errors(value):
            message, path = error_parts(error)
            self.report(message, where, path)

    def resolver(self) -> Any:
        """A resolver over the document, as jsonschema-path builds it."""
        if self._resolver is None:
            from jsonschema_path.handlers import default_handlers
            from jsonschema_path.retrievers import SchemaRetriever
            from referencing import Registry
            from referencing.jsonschema import DRAFT202012

            retrieve = SchemaRetriever(default_handlers, DRAFT202012)
            registry: Any = Registry(retrieve=retrieve)  # type: ignore[call-arg]
            registry = registry.with_resource("", DRAFT202012.create_resource(self.doc))
            self._resolver = registry.resolver(base_uri="")
        return self._resolver


def python_meta_error(
    version: str, value: Any, dialect: str | None
) -> tuple[str, tuple[Any, ...]] | None:
    """The reference's meta-schema check of one Schema Object, in Python."""
    from jsonschema.exceptions import SchemaError, ValidationError  # type: ignore[import-untyped]

    if version == "3.1":
        from functools import partial

        from jsonschema.validators import validator_for
        from openapi_schema_validator import oas31_format_checker

        cls: Any = validator_for({"$schema": dialect}, default=None)
        if cls is None:
            return f"Unknown JSON Schema dialect: {dialect!r}", ()
        check = partial(cls.check_schema, format_checker=oas31_format_checker)
    else:
        from openapi_schema_validator.validators import OAS30Validator

        check = OAS30Validator.check_schema
    try:
        check(value)
    except (SchemaError, ValidationError) as error:
        return error_parts(error)
    return None
