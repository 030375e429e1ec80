"""Schema objects → Python types and model classes.

One entry point, :meth:`TypeBuilder.type_of`, turns a schema into a Python
type expression, registering model classes and enum aliases as it goes.
Expressions mark references to generated names with ``MARK`` so the same
expression can be written inside the models module (bare ``Invoice``) and in
resource modules (``_m.Invoice``); see :func:`qualify`.

See https://spec.openapis.org/oas/v3.1.0#schema-object
"""

from __future__ import annotations

import ast
import re
from typing import Any

from generator.build.literals import py_doc, py_str, py_value
from generator.build.model import AliasDef, FieldDef, ModelDef
from generator.build.names import NameBook, PyName, pascal, snake
from generator.diagnostics import Diagnostics, pointer_join

MARK = "\x01"
ANY = "_t.Any"

#: Attributes of pydantic.BaseModel a field must not shadow.
_MODEL_RESERVED = frozenset(
    {
        "model_config", "model_fields", "model_computed_fields", "model_extra",
        "model_fields_set", "model_construct", "model_copy", "model_dump",
        "model_dump_json", "model_json_schema", "model_parametrized_name",
        "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
        "model_validate_strings", "dict", "json", "parse_obj", "parse_raw",
        "parse_file", "from_orm", "construct", "copy", "schema", "schema_json",
        "validate", "update_forward_refs", "self",
    }
)

KNOWN_FORMATS = frozenset(
    {
        "int32", "int64", "float", "double", "byte", "binary", "date", "date-time",
        "password", "email", "idn-email", "uuid", "uri", "uri-reference", "uri-template",
        "url", "hostname", "idn-hostname", "ipv4", "ipv6", "decimal", "time", "duration",
        "regex", "json-pointer", "relative-json-pointer", "iri", "iri-reference",
        "int8", "int16", "uint8", "uint32", "uint64", "base64", "char", "timestamp",
        "unixtime", "phone", "country-code", "language", "currency", "ip",
    }
)
_FORMAT_REPAIRS = {"datetime": "date-time", "date_time": "date-time", "dateTime": "date-time"}

#: Where a $ref must point for the target to be a schema.
_BYTES = re.compile(r"(?<![\w.'\"])bytes(?![\w'\"])")

def _in_literal(value: Any, literal: str) -> bool:
    """Is ``value`` one of the members of the ``_t.Literal[...]`` expression ``literal``?"""
    try:
        members = ast.literal_eval("[" + literal[len("_t.Literal[") : -1] + "]")
    except (ValueError, SyntaxError):
        return False
    return any(type(m) is type(value) and m == value for m in members)


SCHEMA_PREFIXES = ("#/components/schemas/", "#/definitions/")


def qualify(expr: str, prefix: str) -> str:
    return expr.replace(MARK, prefix)


#: Builtins that type expressions use and a class attribute could shadow.
BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})


def guard_builtins(expr: str, shadowed: frozenset[str] | set[str]) -> str:
    """Prefix builtin names with ``_b.`` where a class attribute shadows them.

    A method ``list`` or a field ``str`` makes a bare ``list[...]`` or
    ``str`` in a later annotation of the same class body mean the attribute.
    Only name tokens are touched, never text inside string literals.
    """
    if not shadowed or not any(name in expr for name in shadowed):
        return expr
    import io
    import tokenize

    out: list[str] = []
    pos = 0
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(expr).readline))
    except (tokenize.TokenError, SyntaxError):
        return expr
    prev = ""
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string in shadowed and prev != ".":
            start = tok.start[1]
            out.append(expr[pos:start] + "_b." + tok.string)
            pos = tok.end[1]
        if tok.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
            prev = tok.string
    out.append(expr[pos:])
    return "".join(out)


def _schema_key(ref: str) -> str | None:
    for prefix in SCHEMA_PREFIXES:
        if ref.startswith(prefix):
            rest = ref[len(prefix):]
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


class TypeBuilder:
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
        self.models: dict[str, ModelDef] = {}
        self.aliases: dict[str, AliasDef] = {}
        self._resolving: set[str] = set()
        self._built: set[str] = set()
        self._reported: set[str] = set()
        self._named_exprs: dict[str, str] = {}
        renames = renames or {}
        for key in sorted(self.schemas):
            wanted = renames.get(key) or str(self._x_name(self.schemas[key]) or pascal(key))
            self.class_of[key] = self.names.claim(wanted, key)

    # -- helpers ----------------------------------------------------------
    @staticmethod
    def _x_name(schema: Any) -> str | None:
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
            target = self._resolve(ref)
            if target is None:
                return {}, pointer
            schema, pointer = target, ref[1:]
        return schema, pointer

    def deref_reported(self, node: Any, pointer: str, what: str) -> tuple[Any, str]:
        """``deref``, with a warning (once per place) when a $ref is dangling or circular."""
        target, tpointer = self.deref(node, pointer)
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and target == {} and pointer not in self._reported:
            self._reported.add(pointer)
            ref = node["$ref"]
            why = "is circular" if self._resolve(ref) is not None else "does not resolve"
            self.diags.warn("bad-ref", f"{what} $ref {ref!r} {why}; ignored", pointer)
        return target, tpointer

    def _resolve(self, ref: str) -> Any:
        node: Any = self.doc
        for raw in ref[2:].split("/") if ref.startswith("#/") else []:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node if ref.startswith("#/") else None

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

    # -- entry points -------------------------------------------------------
    def build_all(self) -> None:
        for key in sorted(self.schemas):
            with self.diags.element(pointer_join("/components/schemas", key)):
                self.named(key)

    def named(self, key: str) -> str:
        name = self.class_of[key]
        schema = self.schemas[key]
        pointer = pointer_join("/components/schemas", key)
        if not isinstance(schema, dict):
            return ANY
        if self.is_model(schema):
            if name not in self._built:
                self._built.add(name)
                self.models[name] = self.build_model(name, schema, pointer)
            return MARK + name
        if self._enum_values(schema) == []:
            return "None"  # enum: [null]
        if self._enum_values(schema) is not None:
            if name not in self.aliases:
                expr = self._enum_expr(schema, pointer)
                self.aliases[name] = AliasDef(name, expr, py_doc(schema.get("description")))
            return self._nullable(MARK + name, schema)
        if self._discriminated(schema) and (name in self.aliases or self._tagged_alias(name, schema, pointer)):
            return self._nullable(MARK + name, schema)
        if key in self._named_exprs:
            return self._named_exprs[key]  # one type per component, however often used
        if key in self._resolving:
            return ANY
        self._resolving.add(key)
        try:
            expr = self.type_of(schema, name, pointer)
        finally:
            self._resolving.discard(key)
        self._named_exprs[key] = expr
        if name not in self.aliases and expr != ANY:
            # exported for users (``models.Prices``); the package itself inlines it
            desc = schema.get("description")
            self.aliases[name] = AliasDef(name, qualify(expr, ""), py_doc(desc if isinstance(desc, str) else None), late=True)
        return expr

    def type_of(self, schema: Any, ctx: str, pointer: str) -> str:
        if schema is True or schema == {}:
            return ANY
        if not isinstance(schema, dict):
            return ANY
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._nullable(self._ref_type(ref, ctx, pointer), schema)
        return self._nullable(self._core(schema, ctx, pointer), schema)

    # -- pieces ---------------------------------------------------------------
    def _ref_type(self, ref: str, ctx: str, pointer: str) -> str:
        key = _schema_key(ref)
        if key is not None and key in self.schemas:
            return self.named(key)
        target = self._resolve(ref)
        if target is None:
            self.diags.warn("bad-ref", f"$ref {ref!r} does not resolve; typed as Any", pointer)
            return ANY
        if isinstance(target, dict) and ("content" in target or "in" in target) and "type" not in target:
            # A schema $ref that points at a response or parameter object: use its schema.
            inner = None
            content = target.get("content")
            if isinstance(content, dict):
                for media in content.values():
                    if isinstance(media, dict) and "schema" in media:
                        inner = media["schema"]
                        break
            if inner is None and isinstance(target.get("schema"), dict):
                inner = target["schema"]
            self.diags.warn(
                "ref-not-schema",
                f"$ref {ref!r} points at a {'response' if 'content' in target else 'parameter'} object, not a schema; using its schema",
                pointer,
            )
            return self.type_of(inner, ctx, pointer) if inner is not None else ANY
        if ref in self._resolving:
            return ANY
        self._resolving.add(ref)
        try:
            return self.type_of(target, ctx, ref[1:])
        finally:
            self._resolving.discard(ref)

    def _nullable(self, expr: str, schema: dict[str, Any]) -> str:
        nullable = (
            schema.get("nullable") is True
            or "null" in _types(schema)
            or (isinstance(schema.get("enum"), list) and None in schema["enum"])
            or ("const" in schema and schema["const"] is None)
        )
        if nullable and expr not in (ANY, "None") and not expr.endswith("| None"):
            return f"{expr} | None"
        return expr

    def _enum_values(self, schema: dict[str, Any]) -> list[Any] | None:
        values = schema.get("enum")
        if isinstance(values, list) and values and all(
            v is None or isinstance(v, str | int | bool) for v in values
        ):
            return [v for v in values if v is not None]
        return None

    def _enum_expr(self, schema: dict[str, Any], pointer: str) -> str:
        values = self._enum_values(schema) or []
        if not values:
            return "None"
        unique: list[Any] = []
        for v in values:
            if not any(type(v) is type(u) and v == u for u in unique):
                unique.append(v)
        if any(isinstance(v, int) and not isinstance(v, bool) and not -(2**63) <= v < 2**63 for v in unique):
            return "int"  # pydantic-core cannot check Literal ints beyond 64 bits
        return "_t.Literal[" + ", ".join(py_value(v) for v in unique) + "]"

    def _core(self, schema: dict[str, Any], ctx: str, pointer: str) -> str:
        if "const" in schema and isinstance(schema["const"], str | int | bool):
            return f"_t.Literal[{py_value(schema['const'])}]"
        if self._enum_values(schema) == [] and not schema.get("properties"):
            return "None"
        if self._enum_values(schema) is not None and not schema.get("properties"):
            name = self.names.claim(pascal(ctx), pointer)
            self.aliases[name] = AliasDef(name, self._enum_expr(schema, pointer), py_doc(schema.get("description")))
            return MARK + name
        if self._discriminated(schema):
            name = self.names.claim(pascal(ctx), pointer)
            if self._tagged_alias(name, schema, pointer):
                return MARK + name
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                return self._union(schema, members, key, ctx, pointer)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of and not self.is_model(schema):
            # Not an object: the members only add constraints to one type.
            last = 0 if len(all_of) == 1 else len(all_of) - 1
            return self.type_of(all_of[last], ctx, pointer_join(pointer, "allOf", last))
        if self.is_model(schema):
            name = self.names.claim(pascal(ctx), pointer)
            self._built.add(name)
            self.models[name] = self.build_model(name, schema, pointer)
            return MARK + name
        types = [t for t in _types(schema) if t != "null"]
        if len(types) > 1:
            parts = []
            for one in types:
                part = self._core({**schema, "type": one}, ctx, pointer)
                if part not in parts:
                    parts.append(part)
            return " | ".join(parts)
        t: str | None = types[0] if types else None
        if t is None:
            if "properties" in schema or "additionalProperties" in schema:
                t = "object"
            elif "items" in schema:
                t = "array"
        if t == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self.type_of(extra, ctx + "Value", pointer_join(pointer, "additionalProperties"))
                return f"dict[str, {value}]"
            return f"dict[str, {ANY}]"
        if t == "array":
            items = schema.get("items")
            item = self.type_of(items, ctx + "Item", pointer_join(pointer, "items")) if items is not None else ANY
            return f"list[{item}]"
        if t == "string":
            return self._string(schema, pointer)
        if t == "integer":
            return "int"
        if t == "number":
            return "float"
        if t == "boolean":
            return "bool"
        return ANY

    def _string(self, schema: dict[str, Any], pointer: str) -> str:
        fmt = schema.get("format")
        if not isinstance(fmt, str):
            return "str"
        if fmt in _FORMAT_REPAIRS:
            self.diags.warn("format-repaired", f"format {fmt!r} is not standard; read as {_FORMAT_REPAIRS[fmt]!r}", pointer_join(pointer, "format"))
            fmt = _FORMAT_REPAIRS[fmt]
        elif fmt not in KNOWN_FORMATS:
            self.diags.warn("unknown-format", f"unknown format {fmt!r} ignored", pointer_join(pointer, "format"))
        return {
            "date": "_dt.date",
            "date-time": "_dt.datetime",
            "uuid": "_uuid.UUID",
            "binary": "bytes",
            "decimal": "_decimal.Decimal",
        }.get(fmt, "str")

    def _union(self, schema: dict[str, Any], members: list[Any], key: str, ctx: str, pointer: str) -> str:
        parts: list[str] = []
        for i, member in enumerate(members):
            sub_ctx = ctx + (self._x_name(member) or (member.get("title") if isinstance(member, dict) and isinstance(member.get("title"), str) else None) or f"Variant{i + 1}")
            part = self.type_of(member, sub_ctx, pointer_join(pointer, key, i))
            for p in part.split(" | "):
                if p not in parts:
                    parts.append(p)
        if ANY in parts:
            return ANY
        if "None" in parts:
            parts = [p for p in parts if p != "None"] + ["None"]
        return " | ".join(parts) if parts else ANY

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
            and all(isinstance(m, dict) and isinstance(m.get("$ref"), str) for m in members)
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
            t = self.type_of(member, name + f"Variant{i + 1}", pointer_join(pointer, key, i))
            if not t.startswith(MARK) or " " in t or t[1:] not in self._built:
                return False
            cls = t[1:]
            if cls not in classes:
                classes.append(cls)
            by_ref[member["$ref"]] = cls
            target, _ = self.deref(member, pointer)
            ref_key = _schema_key(member["$ref"])
            if ref_key is not None:
                tags.setdefault(ref_key, cls)
            dprop = target.get("properties", {}).get(prop) if isinstance(target, dict) and isinstance(target.get("properties"), dict) else None
            dprop, _ = self.deref(dprop, pointer)
            if isinstance(dprop, dict):
                enum = dprop.get("enum")
                values: list[Any] = [dprop["const"]] if "const" in dprop else enum if isinstance(enum, list) else []
                for v in values:
                    if isinstance(v, str) and len(values) == 1:
                        tags[v] = cls
        mapping = disc.get("mapping")
        if isinstance(mapping, dict):
            for value, ref in mapping.items():
                if not isinstance(ref, str):
                    continue
                full = ref if ref.startswith("#") else "#/components/schemas/" + ref
                cls_for = by_ref.get(full)
                if cls_for is None:
                    self.diags.warn("discriminator-mapping", f"discriminator mapping {value!r} names {ref!r}, which is not a member of the union; ignored", pointer_join(pointer, "discriminator", "mapping", value))
                    continue
                tags[str(value)] = cls_for
        members_expr = ", ".join(f"_t.Annotated[{cls}, _Tag({py_str(cls)})]" for cls in classes)
        table = ", ".join(f"{py_str(v)}: {py_str(c)}" for v, c in sorted(tags.items()))
        expr = f"_t.Annotated[_t.Union[{members_expr}], _discriminator({py_str(prop)}, {{{table}}})]"
        desc = schema.get("description")
        self.aliases[name] = AliasDef(name, expr, py_doc(desc if isinstance(desc, str) else None), late=True)
        return True

    # -- models -----------------------------------------------------------------
    def _collect(self, schema: dict[str, Any], pointer: str, props: dict[str, tuple[Any, str]], required: set[str], depth: int = 0, inherit: bool = True) -> str | None:
        """Merge properties of ``schema`` (and its allOf) into ``props``; returns a base class."""
        base: str | None = None
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and depth < 20:
            for i, member in enumerate(all_of):
                mpointer = pointer_join(pointer, "allOf", i)
                if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                    key = _schema_key(member["$ref"])
                    target, tpointer = self.deref(member, mpointer)
                    if inherit and base is None and key in self.schemas and self.is_model(target):
                        base_expr = self.named(key)
                        base = base_expr[len(MARK):]
                        continue
                    if isinstance(target, dict):
                        self._collect(target, tpointer, props, required, depth + 1, inherit)
                elif isinstance(member, dict):
                    self._collect(member, mpointer, props, required, depth + 1, inherit)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for wire, prop in properties.items():
                props[wire] = (prop, pointer_join(pointer, "properties", wire))
        req = schema.get("required")
        if isinstance(req, list):
            required.update(r for r in req if isinstance(r, str))
        return base

    def build_model(self, name: str, schema: dict[str, Any], pointer: str, inherit: bool = True) -> ModelDef:
        props: dict[str, tuple[Any, str]] = {}
        required: set[str] = set()
        base = self._collect(schema, pointer, props, required, inherit=inherit)
        inherited = self._inherited_wires(base)
        for missing in sorted(required - set(props) - inherited):
            self.diags.warn(
                "required-missing",
                f"required property {missing!r} is not defined in the schema; ignored",
                pointer_join(pointer, "required"),
            )
        ns = self.book.namespace(f"fields:{name}", _MODEL_RESERVED)
        # a field must neither shadow an inherited one nor be named like another key
        parent = self._inherited_fields(base)
        for inherited_field in parent.values():
            ns.reserve(inherited_field.name)
        wires = props.keys() | parent.keys()
        fields: list[FieldDef] = []
        for wire, (prop, ppointer) in props.items():
            wanted = self.property_renames.get(f"{name}.{wire}") or self._x_name(prop) or snake(wire, fallback="field")
            if wanted.startswith("_"):
                wanted = "field" + wanted
            candidate = str(PyName(snake(wanted, fallback="field")) if not wanted.isidentifier() else wanted)
            if candidate in self.names:
                # a field named like a class (caseless scripts: 日本) would shadow it
                candidate += "_"
            py = parent[wire].name if wire in parent else ns.claim(candidate, wire, avoid=wires - {wire})
            target, _ = self.deref(prop, ppointer)
            target = target if isinstance(target, dict) else {}
            read_only = bool(prop.get("readOnly") if isinstance(prop, dict) else False) or bool(target.get("readOnly"))
            write_only = bool(prop.get("writeOnly") if isinstance(prop, dict) else False) or bool(target.get("writeOnly"))
            annotation = self.type_of(prop, name + pascal(wire, fallback="Field"), ppointer)
            # binary content: a file object, bytes or a (filename, content[, type]) tuple
            annotation = _BYTES.sub("_FileInput", annotation)
            is_required = wire in required and not read_only and not write_only
            default: str | None = None
            if not is_required:
                default = self._default(prop if isinstance(prop, dict) else {}, target, annotation)
                if not annotation.endswith("| None") and annotation != ANY:
                    annotation += " | None"
            desc = (prop.get("description") if isinstance(prop, dict) else None) or target.get("description")
            doc = py_doc(desc if isinstance(desc, str) else None, indent="    ")
            fields.append(
                FieldDef(
                    name=py,
                    wire=wire,
                    annotation=annotation,
                    default=default,
                    alias=py_str(wire) if wire != py else None,
                    doc=doc,
                    read_only=read_only,
                    write_only=write_only,
                )
            )
        clash = any(f.name in props and f.name != w for w, f in parent.items())
        if base is not None and (clash or self._narrows(base, fields, required - set(props))):
            # a subclass may not change an inherited field's type, nor inherit a
            # field named like one of its own keys: merge the parents instead
            return self.build_model(name, schema, pointer, inherit=False)
        desc = schema.get("description") or schema.get("title")
        return ModelDef(
            name=name,
            doc=py_doc(desc if isinstance(desc, str) else None, indent="    "),
            base=base,
            fields=tuple(fields),
            read_only=tuple(py_str(f.name) for f in fields if f.read_only),
            write_only=tuple(py_str(f.name) for f in fields if f.write_only),
            pointer=pointer,
        )

    def _narrows(self, base: str, fields: list[FieldDef], required: set[str]) -> bool:
        """Would subclassing ``base`` change the type of an inherited field?"""
        parent: dict[str, FieldDef] = {}
        cls: str | None = base
        while cls is not None and cls in self.models:
            model = self.models[cls]
            for f in model.fields:
                parent.setdefault(f.wire, f)
            cls = model.base
        for f in fields:
            old = parent.get(f.wire)
            if old is not None and (old.annotation != f.annotation or old.name != f.name):
                return True
        # the child makes an inherited optional field required
        return any(w in parent and parent[w].default is not None for w in required)

    def _inherited_fields(self, base: str | None) -> dict[str, FieldDef]:
        """Wire name → the field a subclass of ``base`` inherits for it."""
        fields: dict[str, FieldDef] = {}
        while base is not None and base in self.models:
            model = self.models[base]
            for f in model.fields:
                fields.setdefault(f.wire, f)
            base = model.base
        return fields

    def _inherited_wires(self, base: str | None) -> set[str]:
        wires: set[str] = set()
        while base is not None and base in self.models:
            model = self.models[base]
            wires.update(f.wire for f in model.fields)
            base = model.base
        return wires

    def _default(self, prop: dict[str, Any], target: dict[str, Any], annotation: str) -> str:
        if "default" not in prop and "default" not in target:
            return "None"
        value = prop.get("default", target.get("default"))
        return py_value(value) if self._fits(value, annotation) else "None"

    def _fits(self, value: Any, annotation: str) -> bool:
        """Is the JSON ``value`` a valid default for a field typed ``annotation``?"""
        base = annotation.removesuffix(" | None")
        if value is None:
            return False
        if base == ANY:
            return True
        if base.startswith("list[") and base.endswith("]"):
            return isinstance(value, list) and all(self._fits(v, base[5:-1]) for v in value)
        if base.startswith("dict[str, ") and base.endswith("]"):
            return isinstance(value, dict) and all(self._fits(v, base[10:-1]) for v in value.values())
        if " | " in base and "[" not in base:
            return any(self._fits(value, part) for part in base.split(" | "))
        if (
            (base == "str" and isinstance(value, str))
            or (base == "int" and isinstance(value, int) and not isinstance(value, bool))
            or (base == "float" and isinstance(value, int | float) and not isinstance(value, bool))
            or (base == "bool" and isinstance(value, bool))
            or (base.startswith("_t.Literal[") and _in_literal(value, base))
        ):
            return True
        alias = base[len(MARK):] if base.startswith(MARK) else None
        return alias in self.aliases and self.aliases[alias].expr.startswith("_t.Literal[") and _in_literal(value, self.aliases[alias].expr)

    def headers_model(self, wanted: str, headers: dict[str, Any], pointer: str) -> str:
        """A model for the typed response headers of an operation."""
        name = self.names.claim(pascal(wanted), pointer)
        ns = self.book.namespace(f"fields:{name}", _MODEL_RESERVED)
        fields: list[FieldDef] = []
        for wire, header in headers.items():
            hpointer = pointer_join(pointer, wire)
            target, _ = self.deref(header, hpointer)
            target = target if isinstance(target, dict) else {}
            x_name = self._x_name(target) or self._x_name(header)
            base = x_name or (wire[2:] if wire.lower().startswith("x-") else wire)
            py = ns.claim(str(snake(base, fallback="header")), wire, avoid=headers.keys() - {wire})
            annotation = self.type_of(target.get("schema"), name + pascal(wire), pointer_join(hpointer, "schema"))
            if not annotation.endswith("| None") and annotation != ANY:
                annotation += " | None"
            desc = target.get("description")
            fields.append(
                FieldDef(py, wire, annotation, "None", py_str(wire), py_doc(desc if isinstance(desc, str) else None, indent="    "))
            )
        self.models[name] = ModelDef(name, py_doc("Response headers."), None, tuple(fields), (), (), pointer)
        self._built.add(name)
        return name
