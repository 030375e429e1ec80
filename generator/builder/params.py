"""Request types: a ``TypedDict`` (:class:`generator.ir.ParamsDef`) per model
a request body can hold.

The models are the response types; a request follows the other direction of
the OpenAPI rules (https://spec.openapis.org/oas/v3.1.0#fixed-fields-20,
``readOnly`` / ``writeOnly``): a ``readOnly`` property is never sent, a
``writeOnly`` one may be, and a property is required when the schema lists it
in ``required`` and it is not ``readOnly``. A key the caller leaves out is not
sent; ``None`` is accepted (and sent as ``null``) only where the schema
allows it. Exact numbers (``format: decimal``) accept ``Decimal``, ``int``,
``float`` and a numeric ``str``.
"""

from __future__ import annotations

import keyword

from generator import ir
from generator.builder.names import NameBook

#: What a caller may give for an exact number (the runtime sends it as a
#: JSON number, or a string where the schema says so: see
#: templates/runtime/_models.py). Spelled as a plain ``Decimal``.
DECIMAL_INPUT = ir.union(ir.Prim("decimal_string"), ir.Prim("float"), ir.STR)


class ParamsBuilder:
    """Turns body types into request types, making the TypedDicts they need."""

    def __init__(
        self,
        models: dict[str, ir.ModelDef],
        aliases: dict[str, ir.AliasDef],
        book: NameBook,
    ) -> None:
        self.models = models
        self.aliases = aliases
        self.names = book.namespace("params")
        self.params: dict[str, ir.ParamsDef] = {}
        self._name_of: dict[str, str] = {}  # model → params name

    def request_type(self, t: ir.Type, depth: int = 0) -> ir.Type:
        """``t`` as a caller gives it: models become their TypedDicts."""
        if depth > 50:
            return ir.ANY
        if isinstance(t, ir.Prim):
            return DECIMAL_INPUT if t.name in ("decimal", "decimal_string") else t
        if isinstance(t, ir.Ref):
            return self._ref(t, depth)
        if isinstance(t, ir.ListOf):
            return ir.ListOf(self.request_type(t.item, depth + 1))
        if isinstance(t, ir.DictOf):
            return ir.DictOf(self.request_type(t.value, depth + 1))
        if isinstance(t, ir.UnionOf):
            return ir.union(*(self.request_type(m, depth + 1) for m in t.members))
        if isinstance(t, ir.Tagged):
            return ir.union(*(self._ref(ir.Ref(m), depth) for m in t.members))
        return t

    def body_type(self, t: ir.Type) -> ir.Type:
        """The annotation of a body argument: the request type, and the
        response type too where it differs (a model is still accepted)."""
        request = self.request_type(t)
        return t if request == t else ir.union(request, t)

    def _ref(self, t: ir.Ref, depth: int) -> ir.Type:
        if t.kind == "model":
            model = self.models.get(t.name)
            if model is None:
                return t
            params = ir.Ref(self._params_of(model), "params")
            # an open object takes keys its TypedDict cannot name (PEP 728's
            # extra_items is not in mypy yet): a plain dict is accepted too
            return ir.union(params, ir.DictOf(ir.ANY)) if model.open else params
        alias = self.aliases.get(t.name)
        if t.kind != "alias" or alias is None or not alias.late:
            return t  # an enum's Literal: the same both ways
        return self.request_type(alias.type, depth + 1)

    def _params_of(self, model: ir.ModelDef) -> str:
        name = self._name_of.get(model.name)
        if name is not None:
            return name
        name = self.names.claim(model.name + "Params", model.name)
        self._name_of[model.name] = name  # before the keys: a model may nest itself
        keys = tuple(
            ir.KeyDef(
                wire=f.wire,
                type=self.request_type(f.value_type or f.type),
                required=f.schema_required and not f.read_only,
                doc=f.doc,
            )
            for f in self._fields(model)
            if not f.read_only
        )
        self.params[name] = ir.ParamsDef(
            name=name,
            model=model.name,
            doc=f"The request form of :class:`{model.name}`.",
            keys=keys,
            functional=not all(_identifier(k.wire) for k in keys),
        )
        return name

    def _fields(self, model: ir.ModelDef) -> list[ir.FieldDef]:
        """The fields of ``model`` and its bases, by wire name, bases first."""
        chain: list[ir.ModelDef] = []
        current: ir.ModelDef | None = model
        while current is not None and current not in chain:
            chain.append(current)
            current = self.models.get(current.base) if current.base else None
        by_wire: dict[str, ir.FieldDef] = {}
        for m in reversed(chain):
            for f in m.fields:
                by_wire[f.wire] = f
        return list(by_wire.values())

    def result(self) -> tuple[ir.ParamsDef, ...]:
        return tuple(self.params[n] for n in sorted(self.params))


def _identifier(key: str) -> bool:
    # a leading underscore could name one of the module's imports (``_t``)
    return (
        key.isidentifier()
        and key.isascii()
        and not keyword.iskeyword(key)
        and not key.startswith("_")
    )
