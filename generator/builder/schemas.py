"""Schema objects → IR types, registering model classes and aliases.

One entry point, :meth:`TypeBuilder.type_of`, turns a schema into an
:data:`generator.ir.Type` tree. Named schemas become model classes or type
aliases (registered in :attr:`TypeBuilder.models` / :attr:`aliases`) and are
referred to by :class:`generator.ir.Ref`. Model classes themselves are built
by :mod:`generator.builder.models`.

See https://spec.openapis.org/oas/v3.1.0#schema-object
"""

from __future__ import annotations

import json
from typing import Any

from generator import ir
from generator.builder.models import ModelBuilder
from generator.builder.names import NameBook, pascal
from generator.builder.opnames import fastapi_body_names
from generator.diagnostics import Diagnostics, pointer_join

KNOWN_FORMATS = frozenset(
    {
        "int32",
        "int64",
        "float",
        "double",
        "byte",
        "binary",
        "date",
        "date-time",
        "password",
        "email",
        "idn-email",
        "uuid",
        "uri",
        "uri-reference",
        "uri-template",
        "url",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "decimal",
        "time",
        "duration",
        "regex",
        "json-pointer",
        "relative-json-pointer",
        "iri",
        "iri-reference",
        "int8",
        "int16",
        "uint8",
        "uint32",
        "uint64",
        "base64",
        "char",
        "timestamp",
        "unixtime",
        "phone",
        "country-code",
        "language",
        "currency",
        "ip",
    }
)
_FORMAT_REPAIRS = {
    "datetime": "date-time",
    "date_time": "date-time",
    "dateTime": "date-time",
}
_STRING_FORMATS: dict[str, ir.PrimName] = {
    "date": "date",
    "date-time": "datetime",
    "uuid": "uuid",
    "binary": "bytes",
    "decimal": "decimal_string",
}
_SCALARS: dict[str, ir.Type] = {
    "integer": ir.INT,
    "boolean": ir.Prim("bool"),
    "null": ir.NONE,
}

SCHEMA_PREFIXES = ("#/components/schemas/", "#/definitions/")


def schema_key(ref: str) -> str | None:
    """The component name a local ``$ref`` to a schema names, if it does."""
    for prefix in SCHEMA_PREFIXES:
        if ref.startswith(prefix):
            rest = ref[len(prefix) :]
            if "/" not in rest:
                return rest.replace("~1", "/").replace("~0", "~")
    return None


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return []


def is_nullable(schema: dict[str, Any]) -> bool:
    return (
        schema.get("nullable") is True
        or "null" in _types(schema)
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
        or ("const" in schema and schema["const"] is None)
    )


def enum_values(schema: dict[str, Any]) -> list[ir.LiteralValue] | None:
    """The non-null values of a scalar enum, or None when it is not one."""
    values = schema.get("enum")
    if (
        isinstance(values, list)
        and values
        and all(v is None or isinstance(v, str | int | bool) for v in values)
    ):
        return [v for v in values if v is not None]
    return None


def _enum_type(values: list[ir.LiteralValue]) -> ir.Type:
    if not values:
        return ir.NONE
    if any(
        isinstance(v, int) and not isinstance(v, bool) and not -(2**63) <= v < 2**63
        for v in values
    ):
        return ir.INT  # pydantic-core cannot check Literal ints beyond 64 bits
    return ir.literal(values)


class TypeBuilder(ModelBuilder):
    def __init__(
        self,
        doc: dict[str, Any],
        diags: Diagnostics,
        *,
        renames: dict[str, str] | None = None,
        property_renames: dict[str, str] | None = None,
        book: NameBook | None = None,
    ) -> None:
        self.doc = doc
        self.diags = diags
        comps = doc.get("components")
        raw = comps.get("schemas") if isinstance(comps, dict) else None
        self.schemas: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.book = book or NameBook()
        self.names = self.book.namespace("models", {"BaseModel", "Field"})
        self.property_renames = property_renames or {}
        self.class_of: dict[str, str] = {}
        self.models: dict[str, ir.ModelDef] = {}
        self.aliases: dict[str, ir.AliasDef] = {}
        self._resolving: set[str] = set()
        self._built: set[str] = set()
        self._reported: set[str] = set()
        self._named_types: dict[str, ir.Type] = {}
        # inline bodies written out more than once: one model for each text
        self._repeated = repeated_bodies(doc)
        self._shared: dict[str, ir.Ref] = {}
        renames = renames or {}
        bodies = fastapi_body_names(doc)
        for key in sorted(self.schemas):
            wanted = (
                renames.get(key)
                or self.x_name(self.schemas[key])
                or bodies.get(key)
                or pascal(key)
            )
            self.class_of[key] = self.names.claim(wanted, key)

    # -- helpers ----------------------------------------------------------
    @staticmethod
    def x_name(schema: Any) -> str | None:
        if isinstance(schema, dict):
            name = schema.get("x-clientgen-name")
            if isinstance(name, str) and name:
                return name
        return None

    def deref(self, schema: Any, pointer: str) -> tuple[Any, str]:
        """Follow $refs to the schema they name (with a cycle guard)."""
        seen: set[str] = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen or not ref.startswith("#"):
                return {}, pointer
            seen.add(ref)
            target = self.resolve(ref)
            if target is None:
                return {}, pointer
            schema, pointer = target, ref[1:]
        return schema, pointer

    def deref_reported(self, node: Any, pointer: str, what: str) -> tuple[Any, str]:
        """``deref``, with a warning (once per place) when a $ref is dangling or circular."""
        target, tpointer = self.deref(node, pointer)
        is_ref = isinstance(node, dict) and isinstance(node.get("$ref"), str)
        if is_ref and target == {} and pointer not in self._reported:
            self._reported.add(pointer)
            ref = node["$ref"]
            why = "is circular" if self.resolve(ref) is not None else "does not resolve"
            self.diags.warn("bad-ref", f"{what} $ref {ref!r} {why}; ignored", pointer)
        return target, tpointer

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return None
        node: Any = self.doc
        for raw in ref[2:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def is_model(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        if "enum" in schema and "properties" not in schema:
            return False
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            return True
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) > 1:
            return any(self.is_model(self.deref(m, "")[0]) for m in all_of)
        return False

    def _register_model(
        self, name: str, schema: dict[str, Any], pointer: str
    ) -> ir.Ref:
        if name not in self._built:
            self._built.add(name)
            self.models[name] = self.build_model(name, schema, pointer)
        return ir.Ref(name)

    # -- entry points -------------------------------------------------------
    def build_all(self) -> None:
        for key in sorted(self.schemas):
            with self.diags.element(pointer_join("/components/schemas", key)):
                self.named(key)

    def named(self, key: str) -> ir.Type:
        """The type of the component schema ``key`` (a model, alias or inline type)."""
        name = self.class_of[key]
        schema = self.schemas[key]
        pointer = pointer_join("/components/schemas", key)
        if not isinstance(schema, dict):
            return ir.ANY
        if self.is_model(schema):
            return self._nullable(self._register_model(name, schema, pointer), schema)
        values = enum_values(schema)
        if values == []:
            return ir.NONE  # enum: [null]
        if values is not None:
            if name not in self.aliases:
                self.aliases[name] = ir.AliasDef(
                    name, _enum_type(values), _text(schema.get("description"))
                )
            return self._nullable(ir.Ref(name, "alias"), schema)
        if self._discriminated(schema) and (
            name in self.aliases or self._tagged_alias(name, schema, pointer)
        ):
            return self._nullable(ir.Ref(name, "alias"), schema)
        return self._named_inline(key, name, schema, pointer)

    def _named_inline(
        self, key: str, name: str, schema: dict[str, Any], pointer: str
    ) -> ir.Type:
        """A component that is neither a model nor an enum: one type, however often used."""
        if key in self._named_types:
            return self._named_types[key]
        if key in self._resolving:
            return ir.ANY
        self._resolving.add(key)
        try:
            t = self.type_of(schema, name, pointer)
        finally:
            self._resolving.discard(key)
        self._named_types[key] = t
        if name not in self.aliases and not isinstance(t, ir.AnyType):
            # exported for users (``models.Prices``); the package itself inlines it
            self.aliases[name] = ir.AliasDef(
                name, t, _text(schema.get("description")), late=True
            )
        return t

    def type_of(self, schema: Any, ctx: str, pointer: str) -> ir.Type:
        """The type of ``schema``; ``ctx`` names the classes it may need."""
        if not isinstance(schema, dict) or not schema:
            return ir.ANY
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._nullable(self._ref_type(ref, ctx, pointer), schema)
        return self._nullable(self._core(schema, ctx, pointer), schema)

    # -- pieces ---------------------------------------------------------------
    def _ref_type(self, ref: str, ctx: str, pointer: str) -> ir.Type:
        key = schema_key(ref)
        if key is not None and key in self.schemas:
            return self.named(key)
        target = self.resolve(ref)
        if target is None:
            self.diags.warn(
                "bad-ref", f"$ref {ref!r} does not resolve; typed as Any", pointer
            )
            return ir.ANY
        if (
            isinstance(target, dict)
            and ("content" in target or "in" in target)
            and "type" not in target
        ):
            return self._ref_not_schema(ref, target, ctx, pointer)
        if ref in self._resolving:
            return ir.ANY
        self._resolving.add(ref)
        try:
            return self.type_of(target, ctx, ref[1:])
        finally:
            self._resolving.discard(ref)

    def _ref_not_schema(
        self, ref: str, target: dict[str, Any], ctx: str, pointer: str
    ) -> ir.Type:
        """A schema $ref that points at a response or parameter object: use its schema."""
        inner = None
        content = target.get("content")
        if isinstance(content, dict):
            for media in content.values():
                if isinstance(media, dict) and "schema" in media:
                    inner = media["schema"]
                    break
        if inner is None and isinstance(target.get("schema"), dict):
            inner = target["schema"]
        what = "response" if "content" in target else "parameter"
        self.diags.warn(
            "ref-not-schema",
            f"$ref {ref!r} points at a {what} object, not a schema; using its schema",
            pointer,
        )
        return self.type_of(inner, ctx, pointer) if inner is not None else ir.ANY

    @staticmethod
    def _nullable(t: ir.Type, schema: dict[str, Any]) -> ir.Type:
        return ir.nullable(t) if is_nullable(schema) else t

    def _core(self, schema: dict[str, Any], ctx: str, pointer: str) -> ir.Type:
        special = self._special(schema, ctx, pointer)
        if special is not None:
            return special
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of and not self.is_model(schema):
            # Not an object: the members only add constraints to one type.
            last = 0 if len(all_of) == 1 else len(all_of) - 1
            return self.type_of(all_of[last], ctx, pointer_join(pointer, "allOf", last))
        if self.is_model(schema):
            return self._inline_model(schema, ctx, pointer)
        types = _types(schema)
        if len(types) > 1:
            return ir.union(*(self._typed(schema, t, ctx, pointer) for t in types))
        if types:
            return self._typed(schema, types[0], ctx, pointer)
        if "properties" in schema or "additionalProperties" in schema:
            return self._typed(schema, "object", ctx, pointer)
        if "items" in schema:
            return self._typed(schema, "array", ctx, pointer)
        return ir.ANY

    def _inline_model(self, schema: dict[str, Any], ctx: str, pointer: str) -> ir.Ref:
        """The model of an inline object schema; one written out again under
        other responses or bodies (the same error object under every status)
        is the same model, named by its ``title`` when it has one."""
        repeated = self._repeated.get(id(schema))
        if repeated is not None and repeated[2] is not schema:
            repeated = None  # another dict at a freed one's address
        if repeated is None:
            return self._register_model(
                self.names.claim(pascal(ctx), pointer), schema, pointer
            )
        text, title, _ = repeated
        known = self._shared.get(text)
        if known is None:
            wanted = [pascal(title)] if title else []
            name = self.names.claim_first(wanted, pointer) or self.names.claim(
                pascal(ctx), pointer
            )
            known = self._shared[text] = self._register_model(name, schema, pointer)
        return known

    def _special(
        self, schema: dict[str, Any], ctx: str, pointer: str
    ) -> ir.Type | None:
        """const, enum, discriminated and plain unions: or None."""
        if "const" in schema and isinstance(schema["const"], str | int | bool):
            return ir.literal([schema["const"]])
        values = enum_values(schema)
        if values is not None and not schema.get("properties"):
            if not values:
                return ir.NONE
            name = self.names.claim(pascal(ctx), pointer)
            self.aliases[name] = ir.AliasDef(
                name, _enum_type(values), _text(schema.get("description"))
            )
            return ir.Ref(name, "alias")
        if self._discriminated(schema):
            name = self.names.claim(pascal(ctx), pointer)
            if self._tagged_alias(name, schema, pointer):
                return ir.Ref(name, "alias")
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                return self._union(members, key, ctx, pointer)
        return None

    def _typed(self, schema: dict[str, Any], t: str, ctx: str, pointer: str) -> ir.Type:
        """The type of ``schema`` read as JSON type ``t``."""
        if t in _SCALARS:
            return _SCALARS[t]
        if t == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self.type_of(
                    extra, ctx + "Value", pointer_join(pointer, "additionalProperties")
                )
                return ir.DictOf(value)
            return ir.DictOf(ir.ANY)
        if t == "array":
            items = schema.get("items")
            item = (
                self.type_of(items, ctx + "Item", pointer_join(pointer, "items"))
                if items is not None
                else ir.ANY
            )
            return ir.ListOf(item)
        if t == "string":
            return self._string(schema, pointer)
        if t == "number":
            return (
                ir.Prim("decimal")
                if schema.get("format") == "decimal"
                else ir.Prim("float")
            )
        return ir.ANY

    def _string(self, schema: dict[str, Any], pointer: str) -> ir.Type:
        fmt = schema.get("format")
        if not isinstance(fmt, str):
            return ir.STR
        if fmt in _FORMAT_REPAIRS:
            self.diags.warn(
                "format-repaired",
                f"format {fmt!r} is not standard; read as {_FORMAT_REPAIRS[fmt]!r}",
                pointer_join(pointer, "format"),
            )
            fmt = _FORMAT_REPAIRS[fmt]
        elif fmt not in KNOWN_FORMATS:
            self.diags.warn(
                "unknown-format",
                f"unknown format {fmt!r} ignored",
                pointer_join(pointer, "format"),
            )
        return ir.Prim(_STRING_FORMATS.get(fmt, "str"))

    def _union(self, members: list[Any], key: str, ctx: str, pointer: str) -> ir.Type:
        parts: list[ir.Type] = []
        for i, member in enumerate(members):
            title = member.get("title") if isinstance(member, dict) else None
            sub = (
                self.x_name(member)
                or (title if isinstance(title, str) else None)
                or f"Variant{i + 1}"
            )
            parts.append(self.type_of(member, ctx + sub, pointer_join(pointer, key, i)))
        return ir.union(*parts)

    # -- discriminated unions -----------------------------------------------------
    @staticmethod
    def _discriminated(schema: dict[str, Any]) -> bool:
        disc = schema.get("discriminator")
        members = schema.get("oneOf") or schema.get("anyOf")
        return (
            isinstance(disc, dict)
            and isinstance(disc.get("propertyName"), str)
            and isinstance(members, list)
            and bool(members)
            and all(
                isinstance(m, dict) and isinstance(m.get("$ref"), str) for m in members
            )
        )

    def _tagged_alias(self, name: str, schema: dict[str, Any], pointer: str) -> bool:
        """Register ``name`` as a union of models told apart by a discriminator.

        Tags come from the explicit ``mapping``, then from each member's schema
        name (the implicit mapping) and the ``const``/``enum`` of the member's
        discriminator property. Members that are not models fall back to a plain
        union: then nothing is registered and the result is False.
        """
        disc: dict[str, Any] = schema["discriminator"]
        prop: str = disc["propertyName"]
        key = "oneOf" if schema.get("oneOf") else "anyOf"
        members: list[dict[str, Any]] = schema[key]
        classes: list[str] = []
        tags: dict[str, str] = {}
        by_ref: dict[str, str] = {}
        for i, member in enumerate(members):
            t = self.type_of(
                member, name + f"Variant{i + 1}", pointer_join(pointer, key, i)
            )
            if (
                not isinstance(t, ir.Ref)
                or t.kind != "model"
                or t.name not in self._built
            ):
                return False
            if t.name not in classes:
                classes.append(t.name)
            by_ref[member["$ref"]] = t.name
            ref_key = schema_key(member["$ref"])
            if ref_key is not None:
                tags.setdefault(ref_key, t.name)
            for value in self._member_tags(member, prop, pointer):
                tags[value] = t.name
        mapping = disc.get("mapping")
        if isinstance(mapping, dict):
            self._mapped_tags(mapping, by_ref, tags, pointer)
        tagged = ir.Tagged(prop, tuple(classes), tuple(sorted(tags.items())))
        self.aliases[name] = ir.AliasDef(
            name, tagged, _text(schema.get("description")), late=True
        )
        return True

    def _member_tags(
        self, member: dict[str, Any], prop: str, pointer: str
    ) -> list[str]:
        """The tag a member declares itself: its property's single const/enum value."""
        target, _ = self.deref(member, pointer)
        props = target.get("properties") if isinstance(target, dict) else None
        dprop = props.get(prop) if isinstance(props, dict) else None
        dprop, _ = self.deref(dprop, pointer)
        if not isinstance(dprop, dict):
            return []
        enum = dprop.get("enum")
        values: list[Any] = (
            [dprop["const"]]
            if "const" in dprop
            else enum if isinstance(enum, list) else []
        )
        return [values[0]] if len(values) == 1 and isinstance(values[0], str) else []

    def _mapped_tags(
        self,
        mapping: dict[str, Any],
        by_ref: dict[str, str],
        tags: dict[str, str],
        pointer: str,
    ) -> None:
        for value, ref in mapping.items():
            if not isinstance(ref, str):
                continue
            full = ref if ref.startswith("#") else "#/components/schemas/" + ref
            cls_for = by_ref.get(full)
            if cls_for is None:
                self.diags.warn(
                    "discriminator-mapping",
                    f"discriminator mapping {value!r} names {ref!r}, which is not a member of the union; ignored",
                    pointer_join(pointer, "discriminator", "mapping", value),
                )
                continue
            tags[str(value)] = cls_for


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


_OPERATION_KEYS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


#: a repeated body's canonical text, its ``title``, and the schema itself
#: (kept, so that its ``id`` is never another dict's)
Repeated = tuple[str, str | None, dict[str, Any]]


def repeated_bodies(doc: dict[str, Any]) -> dict[int, Repeated]:
    """Inline schemas of request and response bodies whose text occurs more
    than once, by object identity: their canonical text and ``title``.

    Only the bodies' own schemas are compared (not every nested schema), so
    the cost stays one serialisation per body.
    """
    seen: dict[str, list[dict[str, Any]]] = {}
    for schema in _body_schemas(doc):
        if "$ref" in schema:
            continue
        text = json.dumps(schema, sort_keys=True, default=str)
        seen.setdefault(text, []).append(schema)
    out: dict[int, Repeated] = {}
    for text, schemas in seen.items():
        if len({id(s) for s in schemas}) < 2:
            continue
        title = schemas[0].get("title")
        for schema in schemas:
            out[id(schema)] = (text, title if isinstance(title, str) else None, schema)
    return out


def _body_schemas(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline schemas of every operation's request body and responses."""
    out: list[dict[str, Any]] = []
    paths = doc.get("paths")
    for item in paths.values() if isinstance(paths, dict) else ():
        for method in _OPERATION_KEYS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            holders = [op.get("requestBody")]
            responses = op.get("responses")
            if isinstance(responses, dict):
                holders += responses.values()
            for holder in holders:
                content = holder.get("content") if isinstance(holder, dict) else None
                for entry in content.values() if isinstance(content, dict) else ():
                    schema = entry.get("schema") if isinstance(entry, dict) else None
                    if isinstance(schema, dict):
                        out.append(schema)
    return out
