"""Object schemas → model classes (:class:`generator.ir.ModelDef`).

A mixin of :class:`generator.builder.schemas.TypeBuilder`: the two recurse
into each other (a property's type may be a model, a model is made of
properties).

See https://spec.openapis.org/oas/v3.1.0#schema-object (properties,
required, allOf, readOnly, writeOnly, default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import ir
from generator.builder.names import NameBook, Namespace, is_safe, pascal, snake
from generator.diagnostics import Diagnostics, pointer_join

#: Attributes of pydantic.BaseModel a field must not shadow.
MODEL_RESERVED = frozenset(
    {
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "dict",
        "json",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "copy",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "self",
    }
)

#: The base type of each kind of enum value.
_BASES: dict[type, ir.Type] = {str: ir.STR, int: ir.INT, bool: ir.Prim("bool")}

#: A property: its schema and pointer.
_Prop = tuple[Any, str]


def fits(value: Any, t: ir.Type) -> bool:
    """Is the JSON ``value`` a valid value of type ``t``?"""
    if isinstance(t, ir.AnyType):
        return True
    if isinstance(t, ir.UnionOf):
        return any(fits(value, m) for m in t.members)
    if isinstance(t, ir.ListOf):
        return isinstance(value, list) and all(fits(v, t.item) for v in value)
    if isinstance(t, ir.DictOf):
        return isinstance(value, dict) and all(fits(v, t.value) for v in value.values())
    if isinstance(t, ir.LiteralOf):
        return any(type(v) is type(value) and v == value for v in t.values)
    if isinstance(t, ir.Prim):
        return _fits_prim(value, t.name)
    return False


def _fits_prim(value: Any, name: str) -> bool:
    if name == "none":
        return value is None
    if name == "bool":
        return isinstance(value, bool)
    if name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return name == "str" and isinstance(value, str)


class ModelBuilder:
    """Builds model classes; mixed into the TypeBuilder."""

    if TYPE_CHECKING:
        diags: Diagnostics
        book: NameBook
        names: Namespace
        schemas: dict[str, Any]
        models: dict[str, ir.ModelDef]
        aliases: dict[str, ir.AliasDef]
        property_renames: dict[str, str]
        _built: set[str]

        def type_of(self, schema: Any, ctx: str, pointer: str) -> ir.Type: ...
        def deref(self, schema: Any, pointer: str) -> tuple[Any, str]: ...
        def named(self, key: str) -> ir.Type: ...
        def is_model(self, schema: Any) -> bool: ...
        @staticmethod
        def x_name(schema: Any) -> str | None: ...

    def _collect(
        self,
        schema: dict[str, Any],
        pointer: str,
        props: dict[str, _Prop],
        required: set[str],
        depth: int = 0,
        inherit: bool = True,
    ) -> str | None:
        """Merge properties of ``schema`` (and its allOf) into ``props``; returns a base class."""
        from generator.builder.schemas import schema_key

        base: str | None = None
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and depth < 20:
            for i, member in enumerate(all_of):
                mpointer = pointer_join(pointer, "allOf", i)
                if not isinstance(member, dict):
                    continue
                target, tpointer = self.deref(member, mpointer)
                key = (
                    schema_key(member["$ref"])
                    if isinstance(member.get("$ref"), str)
                    else None
                )
                if (
                    inherit
                    and base is None
                    and key in self.schemas
                    and self.is_model(target)
                ):
                    assert key is not None
                    named = self.named(key)
                    if isinstance(named, ir.Ref):
                        base = named.name
                        continue
                if isinstance(target, dict):
                    self._collect(target, tpointer, props, required, depth + 1, inherit)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for wire, prop in properties.items():
                props[wire] = (prop, pointer_join(pointer, "properties", wire))
        req = schema.get("required")
        if isinstance(req, list):
            required.update(r for r in req if isinstance(r, str))
        return base

    def build_model(
        self, name: str, schema: dict[str, Any], pointer: str, inherit: bool = True
    ) -> ir.ModelDef:
        props: dict[str, _Prop] = {}
        required: set[str] = set()
        base = self._collect(schema, pointer, props, required, inherit=inherit)
        parent = self.inherited_fields(base)
        for missing in sorted(required - set(props) - set(parent)):
            self.diags.warn(
                "required-missing",
                f"required property {missing!r} is not defined in the schema; ignored",
                pointer_join(pointer, "required"),
            )
        ns = self.book.namespace(f"fields:{name}", MODEL_RESERVED)
        # a field must neither shadow an inherited one nor be named like another key
        for inherited_field in parent.values():
            ns.reserve(inherited_field.name)
        wires = props.keys() | parent.keys()
        fields = [
            self._field(name, wire, prop, ppointer, wire in required, parent, ns, wires)
            for wire, (prop, ppointer) in props.items()
        ]
        clash = any(f.name in props and f.name != w for w, f in parent.items())
        if base is not None and (
            clash or self._narrows(base, fields, required - set(props))
        ):
            # a subclass may not change an inherited field's type, nor inherit a
            # field named like one of its own keys: merge the parents instead
            return self.build_model(name, schema, pointer, inherit=False)
        desc = schema.get("description") or schema.get("title")
        return ir.ModelDef(
            name=name,
            doc=desc if isinstance(desc, str) and desc.strip() else None,
            base=base,
            fields=tuple(fields),
            pointer=pointer,
            open=takes_extra_keys(schema),
        )

    def _field_name(
        self,
        model: str,
        wire: str,
        prop: Any,
        parent: dict[str, ir.FieldDef],
        ns: Namespace,
        wires: set[str],
    ) -> str:
        if wire in parent:
            return parent[wire].name
        wanted = (
            self.property_renames.get(f"{model}.{wire}")
            or self.x_name(prop)
            or str(snake(wire, fallback="field"))
        )
        if wanted.startswith("_"):
            wanted = "field" + wanted
        candidate = wanted if is_safe(wanted) else str(snake(wanted, fallback="field"))
        if candidate in self.names:
            # a field named like a class (caseless scripts: 日本) would shadow it
            candidate += "_"
        return ns.claim(candidate, wire, avoid=wires - {wire})

    def _field(
        self,
        model: str,
        wire: str,
        prop: Any,
        ppointer: str,
        required: bool,
        parent: dict[str, ir.FieldDef],
        ns: Namespace,
        wires: set[str],
    ) -> ir.FieldDef:
        py = self._field_name(model, wire, prop, parent, ns, wires)
        target, _ = self.deref(prop, ppointer)
        target = target if isinstance(target, dict) else {}
        own = prop if isinstance(prop, dict) else {}
        read_only = bool(own.get("readOnly") or target.get("readOnly"))
        write_only = bool(own.get("writeOnly") or target.get("writeOnly"))
        t = self.type_of(prop, model + pascal(wire, fallback="Field"), ppointer)
        # binary content: a file object, bytes or a (filename, content[, type]) tuple
        t = ir.replace_prim(t, "bytes", "file")
        # the model is the response type: a required readOnly field is always
        # returned; a writeOnly field never is (it is left out of the class)
        is_required = required and not write_only
        value_type = t  # what a request may send (generator.builder.params)
        # a real API adds enum values without notice: a response accepts them
        t = self.open_enums(t)
        default: ir.Default | None = None
        if not is_required:
            default = self._default(own, target, t)
            t = ir.nullable(t)
        desc = own.get("description") or target.get("description")
        return ir.FieldDef(
            name=py,
            wire=wire,
            type=t,
            default=default,
            doc=desc if isinstance(desc, str) and desc.strip() else None,
            read_only=read_only,
            write_only=write_only,
            schema_required=required,
            value_type=None if value_type == t else value_type,
        )

    def open_enums(self, t: ir.Type) -> ir.Type:
        """``t`` with each enum also accepting other values of its base type
        (``Colour | str``)."""
        if isinstance(t, ir.Ref) and t.kind == "alias" and t.name in self.aliases:
            target = self.aliases[t.name].type
            if isinstance(target, ir.LiteralOf):
                return ir.union(t, *(_BASES[type(v)] for v in target.values))
            return t
        if isinstance(t, ir.ListOf):
            return ir.ListOf(self.open_enums(t.item))
        if isinstance(t, ir.DictOf):
            return ir.DictOf(self.open_enums(t.value))
        if isinstance(t, ir.UnionOf):
            return ir.union(*(self.open_enums(m) for m in t.members))
        return t

    def _narrows(
        self, base: str, fields: list[ir.FieldDef], required: set[str]
    ) -> bool:
        """Would subclassing ``base`` change the type of an inherited field?"""
        parent = self.inherited_fields(base)
        for f in fields:
            old = parent.get(f.wire)
            if old is not None and (old.type != f.type or old.name != f.name):
                return True
        # the child makes an inherited optional field required
        return any(w in parent and parent[w].default is not None for w in required)

    def inherited_fields(self, base: str | None) -> dict[str, ir.FieldDef]:
        """Wire name → the field a subclass of ``base`` inherits for it."""
        fields: dict[str, ir.FieldDef] = {}
        seen: set[str] = set()
        while base is not None and base in self.models and base not in seen:
            seen.add(base)
            model = self.models[base]
            for f in model.fields:
                fields.setdefault(f.wire, f)
            base = model.base
        return fields

    def _default(
        self, prop: dict[str, Any], target: dict[str, Any], t: ir.Type
    ) -> ir.Default:
        if "default" not in prop and "default" not in target:
            return ir.DEFAULT_NONE
        value = prop.get("default", target.get("default"))
        if value is None or not fits(value, self._resolved(t)):
            return ir.DEFAULT_NONE
        return ir.Default(value)

    def _resolved(self, t: ir.Type) -> ir.Type:
        """``t`` with enum aliases replaced by their Literal (for :func:`fits`)."""
        if isinstance(t, ir.Ref) and t.kind == "alias" and t.name in self.aliases:
            target = self.aliases[t.name].type
            return target if isinstance(target, ir.LiteralOf) else t
        if isinstance(t, ir.UnionOf):
            return ir.union(*(self._resolved(m) for m in t.members))
        return t

    def headers_model(self, wanted: str, headers: dict[str, Any], pointer: str) -> str:
        """A model for the typed response headers of an operation."""
        name = self.names.claim(pascal(wanted), pointer)
        ns = self.book.namespace(f"fields:{name}", MODEL_RESERVED)
        fields: list[ir.FieldDef] = []
        for wire, header in headers.items():
            hpointer = pointer_join(pointer, wire)
            target, _ = self.deref(header, hpointer)
            target = target if isinstance(target, dict) else {}
            x_name = self.x_name(target) or self.x_name(header)
            base = x_name or (wire[2:] if wire.lower().startswith("x-") else wire)
            py = ns.claim(
                str(snake(base, fallback="header")), wire, avoid=headers.keys() - {wire}
            )
            t = self.type_of(
                target.get("schema"),
                name + pascal(wire),
                pointer_join(hpointer, "schema"),
            )
            desc = target.get("description")
            fields.append(
                ir.FieldDef(
                    py,
                    wire,
                    ir.nullable(t),
                    ir.DEFAULT_NONE,
                    desc if isinstance(desc, str) and desc.strip() else None,
                )
            )
        self.models[name] = ir.ModelDef(
            name, "Response headers.", None, tuple(fields), pointer
        )
        self._built.add(name)
        return name


def takes_extra_keys(schema: dict[str, Any]) -> bool:
    """Does ``schema`` say it takes keys besides its properties?

    Only an explicit ``additionalProperties`` (``true``, ``{}`` or a schema)
    counts, in the schema or an inline ``allOf`` part: a description that
    says nothing is read as closed, so a misspelled key stays a type error.
    """
    extra = schema.get("additionalProperties")
    if extra is True or isinstance(extra, dict):
        return True
    parts = schema.get("allOf")
    return isinstance(parts, list) and any(
        isinstance(p, dict) and "$ref" not in p and takes_extra_keys(p) for p in parts
    )
