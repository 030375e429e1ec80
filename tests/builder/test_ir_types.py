"""The type tree (generator/ir.py): unions normalised on construction, and
every tree prints as valid Python in every scope and layout."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.render.pyprint import Layout, Printer

names = st.from_regex(r"[A-Z][A-Za-z0-9]{0,40}", fullmatch=True)
literal_values = st.one_of(
    st.text(max_size=30), st.integers(-(2**70), 2**70), st.booleans()
)
prims = st.sampled_from(
    [
        ir.Prim(n)
        for n in (
            "str",
            "int",
            "float",
            "bool",
            "bytes",
            "none",
            "date",
            "datetime",
            "uuid",
            "decimal",
            "file",
        )
    ]
)
leaves = st.one_of(
    prims,
    st.just(ir.ANY),
    st.builds(ir.Ref, names),
    st.builds(lambda n: ir.Ref(n, "alias"), names),
    st.lists(literal_values, min_size=1, max_size=5).map(ir.literal),
)
types: st.SearchStrategy[ir.Type] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(ir.ListOf, inner),
        st.builds(ir.DictOf, inner),
        st.lists(inner, min_size=1, max_size=4).map(lambda ts: ir.union(*ts)),
    ),
    max_leaves=12,
)


def _members(t: ir.Type) -> tuple[ir.Type, ...]:
    return t.members if isinstance(t, ir.UnionOf) else (t,)


@given(st.lists(types, min_size=1, max_size=6))
def test_union_is_normal(parts: list[ir.Type]) -> None:
    u = ir.union(*parts)
    members = _members(u)
    if any(isinstance(m, ir.AnyType) for p in parts for m in _members(p)):
        assert u == ir.ANY
        return
    # flat, no duplicates, None last, at most one Literal
    assert not any(isinstance(m, ir.UnionOf) for m in members)
    assert len(set(members)) == len(members)
    if ir.NONE in members:
        assert members[-1] == ir.NONE
    assert sum(isinstance(m, ir.LiteralOf) for m in members) <= 1
    # the union of a union with its parts is itself; order of first appearance kept
    assert ir.union(u, *parts) == u
    assert ir.union(*reversed(parts)) == ir.union(*reversed(parts))
    # None is optional everywhere
    assert ir.is_optional(ir.nullable(u))
    assert ir.without_none(ir.nullable(u)) == ir.without_none(u)


@given(
    types,
    st.sampled_from(["", "_m."]),
    st.sets(st.sampled_from(["list", "dict", "str", "int"])),
)
@settings(max_examples=300)
def test_every_type_prints_as_a_valid_annotation(
    t: ir.Type, prefix: str, shadowed: set[str]
) -> None:
    printer = Printer(
        prefix, "_FileInput" if not prefix else "_rt.FileInput"
    ).shadowing(shadowed)
    text = printer.ann(t)
    ast.parse(f"x: {text}")
    for name in shadowed:
        # a shadowed builtin is never used bare
        assert f"{name}[" not in text.replace(f"_b.{name}[", "")
    lay = Layout(printer)
    field = ir.FieldDef("field_name", "wire-name", t, ir.DEFAULT_NONE, None)
    for source in (
        f"class A:\n    {lay.field(field, 4)}\n",
        lay.alias("LongAliasName" * 3, t) + "\n",
        f"def f(\n    *,\n    {lay.param('p' * 30, t, 'None', 4)}\n{lay.returns(t)}\n    pass\n",
        f"f(\n    {lay.item('cast_to', t, 4)}\n    {lay.cast(t, 4)}\n)\n",
    ):
        ast.parse(source)
