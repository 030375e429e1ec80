"""Upgrade a Swagger 2.0 document to an equivalent OpenAPI 3.0.3 document.

The entry point is :func:`upgrade`. It works on an already parsed document whose
``$ref``\\ s are still in place and all local (``#/...``), as produced by the
bundling step. The input is never mutated; the result shares no objects with it.

Whatever cannot be expressed exactly in OpenAPI 3.0 is converted as closely as
possible and reported as a note ``(code, message, json_pointer_in_original)``.
Note codes:

``renamed-component``
    A definition/parameter/response/security scheme name contains characters
    OpenAPI 3.0 does not allow in component names; it was renamed.
``external-ref``, ``dangling-ref``, ``unmapped-ref``, ``unresolved-ref``
    A ``$ref`` could not be rewritten (or resolved) exactly.
``collection-format``
    A ``collectionFormat`` with no OpenAPI 3.0 equivalent at that location
    (``tsv`` anywhere, ``multi`` outside query/form data, nested formats, ...).
``example-dropped``
    A response example for a media type the operation does not produce.
``body-and-formdata``, ``multiple-bodies``, ``file-not-multipart``
    Invalid parameter combinations that were resolved by picking one.
``missing-field``, ``unknown-field``, ``invalid-value``, ``path-item-ref``
    Structural problems of the input that were repaired or dropped.
"""

from __future__ import annotations

import copy
import re
from typing import Any

__all__ = ["OPENAPI_VERSION", "Note", "upgrade"]

Note = tuple[str, str, str]

OPENAPI_VERSION = "3.0.3"

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_DEFAULT_MEDIA = "application/json"
_URLENCODED = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
# Keys of a Swagger 2.0 parameter/header/items object that describe its value
# and therefore move into the OpenAPI 3.0 ``schema``.
_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
)
_COMPONENT_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_COMPONENT_BAD_CHARS = re.compile(r"[^A-Za-z0-9._-]")
_OAUTH2_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}
_TOP_LEVEL_HANDLED = frozenset(
    {
        "swagger",
        "info",
        "host",
        "basePath",
        "schemes",
        "consumes",
        "produces",
        "paths",
        "definitions",
        "parameters",
        "responses",
        "securityDefinitions",
        "security",
        "tags",
        "externalDocs",
    }
)


def upgrade(doc: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """Convert the Swagger 2.0 document *doc* into an OpenAPI 3.0.3 document.

    Returns the new document and the list of notes ``(code, message, pointer)``
    about everything that could not be converted exactly; ``pointer`` is an
    RFC 6901 JSON pointer into *doc*. Raises ``ValueError`` if *doc* does not
    declare ``swagger: "2.0"``.
    """
    if not isinstance(doc, dict):
        raise TypeError("a Swagger 2.0 document must be a mapping")
    if str(doc.get("swagger")) != "2.0":
        raise ValueError(
            f"not a Swagger 2.0 document (swagger: {doc.get('swagger')!r})"
        )
    upgrader = _Upgrader(doc)
    return upgrader.run(), upgrader.notes


# --------------------------------------------------------------------------
# JSON pointer helpers


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _join(base: str, *tokens: object) -> str:
    return base + "".join("/" + _escape(str(t)) for t in tokens)


def _split(pointer: str) -> list[str] | None:
    """Tokens of *pointer* (without the leading ``#``); None if malformed."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        return None
    return [_unescape(t) for t in pointer[1:].split("/")]


def _media_base(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_ext(key: object) -> bool:
    return isinstance(key, str) and key.startswith("x-")


# --------------------------------------------------------------------------


class _Param:
    """A parameter list entry, with ``$ref`` followed."""

    __slots__ = ("raw", "param", "ptr", "ref", "global_name")

    def __init__(
        self,
        raw: Any,
        param: dict[str, Any] | None,
        ptr: str,
        ref: str | None,
        global_name: str | None,
    ) -> None:
        self.raw = raw
        self.param = param  # resolved parameter object; None if unresolvable
        self.ptr = ptr  # pointer of the (resolved) parameter object
        self.ref = ref  # the original $ref, if the entry was one
        self.global_name = global_name  # X for an exact ``#/parameters/X`` ref

    @property
    def location(self) -> str | None:
        if self.param is None:
            return None
        loc = self.param.get("in")
        return loc if isinstance(loc, str) else None

    @property
    def key(self) -> tuple[str, str | None]:
        name = self.param.get("name") if self.param is not None else self.ref
        return (str(name), self.location)


class _Upgrader:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.src = doc
        self.notes: list[Note] = []
        self.consumes = self._media_list(doc.get("consumes"), "/consumes")
        self.produces = self._media_list(doc.get("produces"), "/produces")
        host = doc.get("host")
        self.host = str(host) if host else None
        base = doc.get("basePath")
        self.base_path = str(base) if base else ""
        schemes = doc.get("schemes")
        self.schemes = (
            [str(s) for s in schemes] if isinstance(schemes, list) and schemes else []
        )
        self.definitions = _mapping(doc.get("definitions"))
        self.parameters = _mapping(doc.get("parameters"))
        self.responses = _mapping(doc.get("responses"))
        self.security_definitions = _mapping(doc.get("securityDefinitions"))
        self.schema_names = self._component_names(self.definitions, "/definitions")
        self.param_names = self._component_names(self.parameters, "/parameters")
        self.response_names = self._component_names(self.responses, "/responses")
        self.scheme_names = self._component_names(
            self.security_definitions, "/securityDefinitions"
        )

    # ---------------------------------------------------------------- basics

    def note(self, code: str, message: str, pointer: str) -> None:
        self.notes.append((code, message, pointer))

    def _media_list(self, value: Any, ptr: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.note("invalid-value", "media type list is not a list of strings", ptr)
            return []
        # Deduplicate, keep order.
        return list(dict.fromkeys(value))

    def _component_names(self, section: dict[str, Any], ptr: str) -> dict[str, str]:
        """Map original component names to names valid in OpenAPI 3.0."""
        names = [str(k) for k in section]
        taken = {n for n in names if _COMPONENT_NAME.match(n)}
        result: dict[str, str] = {}
        for name in names:
            if _COMPONENT_NAME.match(name):
                result[name] = name
                continue
            base = _COMPONENT_BAD_CHARS.sub("_", name) or "_"
            new, n = base, 1
            while new in taken:
                n += 1
                new = f"{base}_{n}"
            taken.add(new)
            result[name] = new
            self.note(
                "renamed-component",
                f"name {name!r} is not a valid OpenAPI 3.0 component name; "
                f"renamed to {new!r}",
                _join(ptr, name),
            )
        return result

    def _resolve(self, ref: str) -> tuple[Any, str] | None:
        """Follow a local ``$ref`` in the original document (chains included)."""
        seen: set[str] = set()
        while True:
            if not ref.startswith("#") or ref in seen:
                return None
            seen.add(ref)
            tokens = _split(ref[1:])
            if tokens is None:
                return None
            node: Any = self.src
            for tok in tokens:
                if isinstance(node, dict):
                    if tok in node:
                        node = node[tok]
                    else:
                        # YAML may have produced non-string keys (e.g. 200).
                        match = [k for k in node if str(k) == tok]
                        if not match:
                            return None
                        node = node[match[0]]
                elif isinstance(node, list) and tok.isdigit() and int(tok) < len(node):
                    node = node[int(tok)]
                else:
                    return None
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                ref = node["$ref"]
                continue
            return node, ref[1:]

    # ----------------------------------------------------------- references

    def map_ref(self, ref: str, where: str) -> str:
        """Rewrite a Swagger 2.0 ``$ref`` to its OpenAPI 3.0 location."""
        if not ref.startswith("#"):
            self.note(
                "external-ref", f"$ref {ref!r} is not local; left unchanged", where
            )
            return ref
        tokens = _split(ref[1:])
        mapped = None if tokens is None else self._map_tokens(tokens, where)
        if mapped is None:
            self.note(
                "unmapped-ref",
                f"$ref {ref!r} has no exact OpenAPI 3.0 counterpart; left unchanged",
                where,
            )
            return ref
        return "#" + _join("", *mapped)

    def _map_tokens(self, tokens: list[str], where: str) -> list[str] | None:
        if len(tokens) < 2:
            return None
        head, name, rest = tokens[0], tokens[1], tokens[2:]
        if head == "definitions":
            if name not in self.schema_names:
                self.note("dangling-ref", f"no definition named {name!r}", where)
            return ["components", "schemas", self.schema_names.get(name, name), *rest]
        if head == "parameters":
            if name not in self.param_names:
                self.note("dangling-ref", f"no global parameter named {name!r}", where)
                return ["components", "parameters", name, *rest]
            new = self.param_names[name]
            param = _mapping(self.parameters.get(name))
            loc = param.get("in")
            if loc == "body":
                if not rest:
                    return ["components", "requestBodies", new]
                if rest[0] == "schema":
                    media = (self.consumes or [_DEFAULT_MEDIA])[0]
                    return [
                        "components",
                        "requestBodies",
                        new,
                        "content",
                        media,
                        "schema",
                        *rest[1:],
                    ]
                return None
            if loc == "formData":
                return None
            if rest and rest[0] in _SCHEMA_KEYS:
                return ["components", "parameters", new, "schema", *rest]
            return ["components", "parameters", new, *rest]
        if head == "responses":
            if name not in self.response_names:
                self.note("dangling-ref", f"no global response named {name!r}", where)
                return ["components", "responses", name, *rest]
            new = self.response_names[name]
            if not rest or rest[0] == "description" or _is_ext(rest[0]):
                return ["components", "responses", new, *rest]
            if rest[0] == "schema":
                media = (self.produces or [_DEFAULT_MEDIA])[0]
                return [
                    "components",
                    "responses",
                    new,
                    "content",
                    media,
                    "schema",
                    *rest[1:],
                ]
            if rest[0] == "headers":
                if len(rest) >= 3 and rest[2] in _SCHEMA_KEYS:
                    return [
                        "components",
                        "responses",
                        new,
                        *rest[:2],
                        "schema",
                        *rest[2:],
                    ]
                return ["components", "responses", new, *rest]
            return None
        return None

    # --------------------------------------------------------------- schemas

    def schema(self, src: Any, ptr: str) -> Any:
        """Convert a Swagger 2.0 schema object (recursively)."""
        if not isinstance(src, dict):
            return copy.deepcopy(src)
        out: dict[str, Any] = {}
        is_file = False
        for k, v in src.items():
            key = str(k)
            here = _join(ptr, key)
            if key == "$ref" and isinstance(v, str):
                out[key] = self.map_ref(v, here)
            elif key == "properties" and isinstance(v, dict):
                out[key] = {
                    str(name): self.schema(sub, _join(here, name))
                    for name, sub in v.items()
                }
            elif key in ("additionalProperties", "not"):
                out[key] = self.schema(v, here)
            elif key == "items":
                if isinstance(v, list):
                    # Tuple validation is not Swagger 2.0 either; keep the intent.
                    self.note(
                        "invalid-value",
                        "array-valued 'items' is not supported; using anyOf",
                        here,
                    )
                    out[key] = {
                        "anyOf": [
                            self.schema(s, _join(here, i)) for i, s in enumerate(v)
                        ]
                    }
                else:
                    out[key] = self.schema(v, here)
            elif key in ("allOf", "anyOf", "oneOf") and isinstance(v, list):
                out[key] = [self.schema(s, _join(here, i)) for i, s in enumerate(v)]
            elif key == "x-nullable" and isinstance(v, bool):
                out["nullable"] = v
            elif key == "discriminator" and isinstance(v, str):
                out[key] = {"propertyName": v}
            elif key == "type" and v == "file":
                out["type"] = "string"
                is_file = True
            elif key == "type" and isinstance(v, list):
                self._type_list(v, out, here)
            elif key == "required" and isinstance(v, list) and not v:
                continue  # OpenAPI 3.0 requires a non-empty list; [] means none
            else:
                out[key] = copy.deepcopy(v)
        if is_file:
            out["format"] = "binary"
        if "$ref" in out and out.get("nullable") is True:
            # Siblings of $ref are ignored in 3.0; wrap to keep nullability.
            wrapped: dict[str, Any] = {"allOf": [{"$ref": out.pop("$ref")}]}
            wrapped.update(out)
            return wrapped
        return out

    def _type_list(self, types: list[Any], out: dict[str, Any], ptr: str) -> None:
        names = [str(t) for t in types if t != "null"]
        if len(names) != len(types):
            out["nullable"] = True
        if len(names) == 1:
            out["type"] = names[0]
        elif names:
            out["anyOf"] = [{"type": t} for t in names]
        self.note("invalid-value", "a list of types is not Swagger 2.0; converted", ptr)

    def _strip_collection_formats(self, items: Any, ptr: str) -> Any:
        """Items object of a parameter/header minus nested collectionFormat."""
        if not isinstance(items, dict):
            return items
        out = {}
        for k, v in items.items():
            if k == "collectionFormat":
                self.note(
                    "collection-format",
                    f"collectionFormat {v!r} of nested array items cannot be "
                    "expressed in OpenAPI 3.0; dropped",
                    _join(ptr, k),
                )
            elif k == "items":
                out[k] = self._strip_collection_formats(v, _join(ptr, k))
            else:
                out[k] = v
        return out

    def _value_schema(self, src: dict[str, Any], ptr: str) -> dict[str, Any]:
        """Schema from the value keywords of a parameter/header object."""
        raw: dict[str, Any] = {}
        for k in src:
            if k in _SCHEMA_KEYS:
                raw[k] = src[k]
        if "items" in raw:
            raw["items"] = self._strip_collection_formats(
                raw["items"], _join(ptr, "items")
            )
        result = self.schema(raw, ptr)
        assert isinstance(result, dict)
        return result

    def _style(self, fmt: Any, location: str, ptr: str) -> tuple[str, bool]:
        """OpenAPI 3.0 (style, explode) for a collectionFormat at *location*."""
        fmt = "csv" if fmt is None else fmt
        where = _join(ptr, "collectionFormat")
        if fmt == "tsv":
            self.note(
                "collection-format",
                "collectionFormat 'tsv' has no OpenAPI 3.0 equivalent; treated as csv",
                where,
            )
            fmt = "csv"
        elif fmt not in ("csv", "ssv", "pipes", "multi"):
            self.note(
                "collection-format",
                f"unknown collectionFormat {fmt!r}; treated as csv",
                where,
            )
            fmt = "csv"
        if location in ("query", "formData"):
            return {
                "csv": ("form", False),
                "multi": ("form", True),
                "ssv": ("spaceDelimited", False),
                "pipes": ("pipeDelimited", False),
            }[fmt]
        if fmt != "csv":
            self.note(
                "collection-format",
                f"collectionFormat {fmt!r} is not supported in {location} "
                "parameters by OpenAPI 3.0; treated as csv",
                where,
            )
        return ("simple", False)

    # ------------------------------------------------------------ parameters

    def param_entries(self, value: Any, ptr: str) -> list[_Param]:
        entries: list[_Param] = []
        if value is None:
            return entries
        if not isinstance(value, list):
            self.note("invalid-value", "parameters must be a list", ptr)
            return entries
        for i, raw in enumerate(value):
            here = _join(ptr, i)
            if not isinstance(raw, dict):
                self.note("invalid-value", "parameter is not an object", here)
                continue
            ref = raw.get("$ref")
            if not isinstance(ref, str):
                entries.append(_Param(raw, raw, here, None, None))
                continue
            global_name = None
            tokens = _split(ref[1:]) if ref.startswith("#") else None
            if (
                tokens is not None
                and len(tokens) == 2
                and tokens[0] == "parameters"
                and tokens[1] in self.param_names
            ):
                global_name = tokens[1]
            resolved = self._resolve(ref)
            if resolved is None or not isinstance(resolved[0], dict):
                self.note(
                    "unresolved-ref", f"cannot resolve parameter $ref {ref!r}", here
                )
                entries.append(_Param(raw, None, here, ref, None))
            else:
                entries.append(_Param(raw, resolved[0], resolved[1], ref, global_name))
        return entries

    def parameter(self, src: dict[str, Any], ptr: str) -> dict[str, Any]:
        """Convert a non-body, non-formData parameter object."""
        loc = src.get("in")
        out: dict[str, Any] = {}
        for k in ("name", "in", "description", "required", "deprecated"):
            if k in src:
                out[k] = copy.deepcopy(src[k])
        if loc == "path" and out.get("required") is not True:
            self.note("missing-field", "path parameters must be required", ptr)
            out["required"] = True
        if loc == "query" and "allowEmptyValue" in src:
            out["allowEmptyValue"] = copy.deepcopy(src["allowEmptyValue"])
        if not isinstance(loc, str) or loc not in ("query", "header", "path"):
            self.note("invalid-value", f"unsupported parameter location {loc!r}", ptr)
        if isinstance(src.get("schema"), dict):
            # Not Swagger 2.0 outside body parameters, but unambiguous.
            out["schema"] = self.schema(src["schema"], _join(ptr, "schema"))
        else:
            out["schema"] = self._value_schema(src, ptr)
        if out["schema"].get("type") == "array" and isinstance(loc, str):
            style, explode = self._style(src.get("collectionFormat"), loc, ptr)
            out["style"] = style
            out["explode"] = explode
        for k, v in src.items():
            if _is_ext(k) and k != "x-nullable":
                out[k] = copy.deepcopy(v)
            elif (
                k not in out
                and k not in _SCHEMA_KEYS
                and k
                not in (
                    "collectionFormat",
                    "allowEmptyValue",
                    "schema",
                )
            ):
                self.note(
                    "unknown-field", f"parameter field {k!r} dropped", _join(ptr, k)
                )
        return out

    def request_body(
        self, src: dict[str, Any], consumes: list[str], ptr: str
    ) -> dict[str, Any]:
        """Convert an ``in: body`` parameter into a request body object."""
        out: dict[str, Any] = {}
        if "description" in src:
            out["description"] = copy.deepcopy(src["description"])
        if "schema" in src:
            schema = self.schema(src["schema"], _join(ptr, "schema"))
        else:
            self.note("missing-field", "body parameter without schema", ptr)
            schema = {}
        out["content"] = {
            media: {"schema": copy.deepcopy(schema)}
            for media in consumes or [_DEFAULT_MEDIA]
        }
        if isinstance(src.get("required"), bool):
            out["required"] = src["required"]
        if isinstance(src.get("name"), str):
            # Keeps the body parameter's name for code generators.
            out["x-codegen-request-body-name"] = src["name"]
        for k, v in src.items():
            if _is_ext(k):
                out[k] = copy.deepcopy(v)
        return out

    def form_body(self, params: list[_Param], consumes: list[str]) -> dict[str, Any]:
        """Build a request body from ``in: formData`` parameters."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        has_file = False
        for entry in params:
            src = entry.param
            assert src is not None
            name = str(src.get("name"))
            prop = self._value_schema(src, entry.ptr)
            if src.get("type") == "file":
                has_file = True
            if "description" in src:
                prop = {"description": copy.deepcopy(src["description"]), **prop}
            for k, v in src.items():
                if _is_ext(k) and k != "x-nullable":
                    prop[k] = copy.deepcopy(v)
            properties[name] = prop
            if src.get("required") is True:
                required.append(name)
            if prop.get("type") == "array":
                style, explode = self._style(
                    src.get("collectionFormat"), "formData", entry.ptr
                )
                encoding[name] = {"style": style, "explode": explode}
        form_types = [
            m for m in consumes if _media_base(m) in (_URLENCODED, _MULTIPART)
        ]
        if has_file:
            media_types = [m for m in form_types if _media_base(m) == _MULTIPART]
            if not media_types:
                self.note(
                    "file-not-multipart",
                    "file parameters need multipart/form-data, which the "
                    "operation does not consume; using it anyway",
                    params[0].ptr,
                )
                media_types = [_MULTIPART]
        else:
            media_types = form_types or [_URLENCODED]
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        content: dict[str, Any] = {}
        for media in media_types:
            content[media] = {"schema": copy.deepcopy(schema)}
            if encoding:
                if _media_base(media) == _URLENCODED:
                    content[media]["encoding"] = copy.deepcopy(encoding)
                else:
                    for name, enc in encoding.items():
                        if enc != {"style": "form", "explode": True}:
                            self.note(
                                "collection-format",
                                f"array form field {name!r} of a multipart body is "
                                "sent as repeated parts; its collectionFormat is lost",
                                next(p.ptr for p in params if p.key[0] == name),
                            )
        body: dict[str, Any] = {"content": content}
        if required:
            body["required"] = True
        return body

    # ------------------------------------------------------------- responses

    def header(self, src: Any, ptr: str) -> Any:
        if not isinstance(src, dict):
            return copy.deepcopy(src)
        out: dict[str, Any] = {}
        if "description" in src:
            out["description"] = copy.deepcopy(src["description"])
        out["schema"] = self._value_schema(src, ptr)
        fmt = src.get("collectionFormat")
        if out["schema"].get("type") == "array" and fmt not in (None, "csv"):
            self._style(fmt, "header", ptr)
        for k, v in src.items():
            if _is_ext(k) and k != "x-nullable":
                out[k] = copy.deepcopy(v)
        return out

    def response(self, src: Any, produces: list[str], ptr: str) -> Any:
        if not isinstance(src, dict):
            self.note("invalid-value", "response is not an object", ptr)
            return {"description": ""}
        out: dict[str, Any] = {}
        if "description" in src:
            out["description"] = copy.deepcopy(src["description"])
        else:
            self.note("missing-field", "response without description", ptr)
            out["description"] = ""
        headers = src.get("headers")
        if isinstance(headers, dict) and headers:
            out["headers"] = {
                str(n): self.header(h, _join(ptr, "headers", n))
                for n, h in headers.items()
            }
        content: dict[str, Any] = {}
        if "schema" in src:
            schema = self.schema(src["schema"], _join(ptr, "schema"))
            for media in produces or [_DEFAULT_MEDIA]:
                content[media] = {"schema": copy.deepcopy(schema)}
        examples = src.get("examples")
        if isinstance(examples, dict):
            for media, example in examples.items():
                if media in content:
                    content[media]["example"] = copy.deepcopy(example)
                elif "schema" not in src:
                    content[str(media)] = {"example": copy.deepcopy(example)}
                else:
                    self.note(
                        "example-dropped",
                        f"example for {media!r}, which the operation does not "
                        "produce, dropped",
                        _join(ptr, "examples", media),
                    )
        if content:
            out["content"] = content
        for k, v in src.items():
            if _is_ext(k):
                out[k] = copy.deepcopy(v)
            elif k not in ("description", "headers", "schema", "examples"):
                self.note(
                    "unknown-field", f"response field {k!r} dropped", _join(ptr, k)
                )
        return out

    def response_or_ref(self, src: Any, produces: list[str], ptr: str) -> Any:
        if not (isinstance(src, dict) and isinstance(src.get("$ref"), str)):
            return self.response(src, produces, ptr)
        ref: str = src["$ref"]
        tokens = _split(ref[1:]) if ref.startswith("#") else None
        resolved = self._resolve(ref)
        if tokens is not None and len(tokens) == 2 and tokens[0] == "responses":
            name = tokens[1]
            target = _mapping(self.responses.get(name))
            same_media = (produces or [_DEFAULT_MEDIA]) == (
                self.produces or [_DEFAULT_MEDIA]
            )
            if name in self.response_names and (
                same_media or ("schema" not in target and "examples" not in target)
            ):
                return {
                    "$ref": "#"
                    + _join("/components/responses", self.response_names[name])
                }
        if resolved is None:
            self.note("unresolved-ref", f"cannot resolve response $ref {ref!r}", ptr)
            return {"$ref": self.map_ref(ref, _join(ptr, "$ref"))}
        # Inline: the operation produces other media types than the global
        # response was converted for, or the reference is not to #/responses.
        return self.response(resolved[0], produces, resolved[1])

    def responses_object(
        self, src: Any, produces: list[str], ptr: str
    ) -> dict[str, Any]:
        if not isinstance(src, dict):
            self.note("missing-field", "operation without responses", ptr)
            return {"default": {"description": ""}}
        out: dict[str, Any] = {}
        for code, value in src.items():
            key = str(code)
            if _is_ext(key):
                out[key] = copy.deepcopy(value)
            else:
                out[key] = self.response_or_ref(value, produces, _join(ptr, key))
        return out

    # ----------------------------------------------------------- operations

    def _output_param(self, entry: _Param) -> dict[str, Any]:
        if entry.global_name is not None:
            new = self.param_names[entry.global_name]
            return {"$ref": "#" + _join("/components/parameters", new)}
        if entry.param is None:
            assert entry.ref is not None
            return {"$ref": self.map_ref(entry.ref, _join(entry.ptr, "$ref"))}
        return self.parameter(entry.param, entry.ptr)

    def _body(self, entry: _Param, consumes: list[str]) -> dict[str, Any]:
        assert entry.param is not None
        same_media = (consumes or [_DEFAULT_MEDIA]) == (
            self.consumes or [_DEFAULT_MEDIA]
        )
        if entry.global_name is not None and same_media:
            new = self.param_names[entry.global_name]
            return {"$ref": "#" + _join("/components/requestBodies", new)}
        return self.request_body(entry.param, consumes, entry.ptr)

    def operation(
        self, src: dict[str, Any], path_params: list[_Param], ptr: str
    ) -> dict[str, Any]:
        consumes = self._media_list(src.get("consumes"), _join(ptr, "consumes"))
        consumes = consumes or self.consumes or [_DEFAULT_MEDIA]
        produces = self._media_list(src.get("produces"), _join(ptr, "produces"))
        produces = produces or self.produces or [_DEFAULT_MEDIA]

        own = self.param_entries(src.get("parameters"), _join(ptr, "parameters"))
        own_keys = {e.key for e in own}
        bodies = [e for e in own if e.location == "body"]
        forms = [e for e in own if e.location == "formData"]
        if not bodies and not forms:
            bodies = [e for e in path_params if e.location == "body"]
        if not bodies:
            forms += [
                e
                for e in path_params
                if e.location == "formData" and e.key not in own_keys
            ]
        if len(bodies) > 1:
            self.note(
                "multiple-bodies",
                "more than one body parameter; only the first is used",
                bodies[1].ptr,
            )
        if bodies and forms:
            self.note(
                "body-and-formdata",
                "body and formData parameters together; formData ignored",
                forms[0].ptr,
            )
        request_body: dict[str, Any] | None = None
        if bodies:
            request_body = self._body(bodies[0], consumes)
        elif forms:
            request_body = self.form_body(forms, consumes)
        parameters = [
            self._output_param(e) for e in own if e.location not in ("body", "formData")
        ]

        out: dict[str, Any] = {}
        placed = False
        for k, v in src.items():
            here = _join(ptr, k)
            if k in ("consumes", "produces"):
                continue
            if k == "parameters":
                if parameters:
                    out["parameters"] = parameters
                if request_body is not None:
                    out["requestBody"] = request_body
                placed = True
            elif k == "responses":
                out[k] = self.responses_object(v, produces, here)
            elif k == "security":
                out[k] = self.security_requirements(v, here)
            elif k == "schemes":
                servers = self._operation_servers(v)
                if servers is not None:
                    out["servers"] = servers
            elif k in (
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "deprecated",
            ) or _is_ext(k):
                out[k] = copy.deepcopy(v)
            else:
                self.note("unknown-field", f"operation field {k!r} dropped", here)
        if not placed and request_body is not None:
            out["requestBody"] = request_body
        if "responses" not in out:
            out["responses"] = self.responses_object(None, produces, ptr)
        return out

    def _operation_servers(self, schemes: Any) -> list[dict[str, Any]] | None:
        if not self.host or not isinstance(schemes, list) or not schemes:
            return None
        if [str(s) for s in schemes] == (self.schemes or ["https"]):
            return None
        return [{"url": f"{s}://{self.host}{self.base_path}"} for s in schemes]

    def path_item(self, src: Any, ptr: str) -> Any:
        if not isinstance(src, dict):
            self.note("invalid-value", "path item is not an object", ptr)
            return {}
        entries = self.param_entries(src.get("parameters"), _join(ptr, "parameters"))
        shared = [
            self._output_param(e)
            for e in entries
            if e.location not in ("body", "formData")
        ]
        out: dict[str, Any] = {}
        for k, v in src.items():
            here = _join(ptr, k)
            if k in _METHODS:
                if isinstance(v, dict):
                    out[k] = self.operation(v, entries, here)
                else:
                    self.note("invalid-value", "operation is not an object", here)
            elif k == "parameters":
                if shared:
                    out[k] = shared
            elif k == "$ref":
                self.note(
                    "path-item-ref",
                    "path item $ref kept as is; its target is not upgraded",
                    here,
                )
                out[k] = copy.deepcopy(v)
            elif _is_ext(k):
                out[k] = copy.deepcopy(v)
            else:
                self.note("unknown-field", f"path item field {k!r} dropped", here)
        return out

    # -------------------------------------------------------------- security

    def security_scheme(self, src: Any, ptr: str) -> Any:
        if not isinstance(src, dict):
            self.note("invalid-value", "security scheme is not an object", ptr)
            return copy.deepcopy(src)
        kind = src.get("type")
        out: dict[str, Any] = {}
        if kind == "basic":
            out = {"type": "http", "scheme": "basic"}
        elif kind == "apiKey":
            out = {"type": "apiKey", "name": src.get("name"), "in": src.get("in")}
        elif kind == "oauth2":
            flow_name = src.get("flow")
            mapping = _OAUTH2_FLOWS.get(str(flow_name))
            flows: dict[str, Any] = {}
            if mapping is None:
                self.note("invalid-value", f"unknown oauth2 flow {flow_name!r}", ptr)
            else:
                new_name, url_keys = mapping
                flow: dict[str, Any] = {}
                for key in url_keys:
                    if key in src:
                        flow[key] = copy.deepcopy(src[key])
                    else:
                        self.note(
                            "missing-field",
                            f"oauth2 flow {flow_name!r} needs {key!r}",
                            ptr,
                        )
                scopes = src.get("scopes")
                flow["scopes"] = (
                    copy.deepcopy(scopes) if isinstance(scopes, dict) else {}
                )
                flows[new_name] = flow
            out = {"type": "oauth2", "flows": flows}
        else:
            self.note("invalid-value", f"unknown security scheme type {kind!r}", ptr)
            out = {"type": copy.deepcopy(kind)}
        if "description" in src:
            out["description"] = copy.deepcopy(src["description"])
        for k, v in src.items():
            if _is_ext(k):
                out[k] = copy.deepcopy(v)
        return out

    def security_requirements(self, src: Any, ptr: str) -> Any:
        if not isinstance(src, list):
            self.note("invalid-value", "security must be a list", ptr)
            return copy.deepcopy(src)
        out: list[Any] = []
        for requirement in src:
            if isinstance(requirement, dict):
                out.append(
                    {
                        self.scheme_names.get(str(k), str(k)): copy.deepcopy(v)
                        for k, v in requirement.items()
                    }
                )
            else:
                out.append(copy.deepcopy(requirement))
        return out

    # ------------------------------------------------------------- top level

    def servers(self) -> list[dict[str, Any]]:
        if self.host:
            return [
                {"url": f"{scheme}://{self.host}{self.base_path}"}
                for scheme in self.schemes or ["https"]
            ]
        return [{"url": self.base_path or "/"}]

    def components(self) -> dict[str, Any]:
        schemas = {
            self.schema_names[str(k)]: self.schema(v, _join("/definitions", k))
            for k, v in self.definitions.items()
        }
        responses = {
            self.response_names[str(k)]: self.response(
                v, self.produces, _join("/responses", k)
            )
            for k, v in self.responses.items()
        }
        parameters: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        for k, v in self.parameters.items():
            here = _join("/parameters", k)
            name = self.param_names[str(k)]
            if not isinstance(v, dict):
                self.note("invalid-value", "parameter is not an object", here)
            elif v.get("in") == "body":
                bodies[name] = self.request_body(v, self.consumes, here)
            elif v.get("in") == "formData":
                continue  # inlined into each operation's form body
            else:
                parameters[name] = self.parameter(v, here)
        schemes = {
            self.scheme_names[str(k)]: self.security_scheme(
                v, _join("/securityDefinitions", k)
            )
            for k, v in self.security_definitions.items()
        }
        out: dict[str, Any] = {}
        for key, section in (
            ("schemas", schemas),
            ("responses", responses),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("securitySchemes", schemes),
        ):
            if section:
                out[key] = section
        return out

    def run(self) -> dict[str, Any]:
        src = self.src
        out: dict[str, Any] = {"openapi": OPENAPI_VERSION}
        if "info" in src:
            out["info"] = copy.deepcopy(src["info"])
        else:
            self.note("missing-field", "document without info", "")
            out["info"] = {"title": "", "version": ""}
        if "externalDocs" in src:
            out["externalDocs"] = copy.deepcopy(src["externalDocs"])
        out["servers"] = self.servers()
        if "security" in src:
            out["security"] = self.security_requirements(src["security"], "/security")
        if "tags" in src:
            out["tags"] = copy.deepcopy(src["tags"])
        paths = src.get("paths")
        out["paths"] = {}
        if isinstance(paths, dict):
            for key, item in paths.items():
                here = _join("/paths", key)
                if _is_ext(key):
                    out["paths"][key] = copy.deepcopy(item)
                else:
                    out["paths"][str(key)] = self.path_item(item, here)
        else:
            self.note("missing-field", "document without paths", "/paths")
        components = self.components()
        if components:
            out["components"] = components
        for k, v in src.items():
            if _is_ext(k):
                out[k] = copy.deepcopy(v)
            elif k not in _TOP_LEVEL_HANDLED:
                self.note(
                    "unknown-field", f"top-level field {k!r} dropped", _join("", k)
                )
        return out
