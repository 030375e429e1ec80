"""Random valid OpenAPI 3.0.3 and 3.1.0 descriptions, drawn from a small schema model.

A description (``model.py``) is a list of named component schemas and
operations: for every component a ``GET`` answering it and a ``POST`` taking
it as the request body, plus a few operations whose derived method names are
Python keywords and two with binary bodies. ``model.render`` writes the
OpenAPI document; ``instances.py`` draws valid JSON for each schema.

Every construct has a feature name; a feature in :data:`KNOWN_BROKEN` is left
out of the draw, so the property test passes on a generator that still gets
it wrong. The set is the to-do list: empty it as the generator is fixed.

    >>> from hypothesis import find
    >>> d = find(descriptions("3.0.3"), lambda d: len(d.components) > 5)
    >>> d.version, len(d.operations) >= 12
    ('3.0.3', True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from .model import (
    AllOf,
    AnyValue,
    Array,
    Const,
    Description,
    Enum,
    Map,
    Node,
    Null,
    Obj,
    Operation,
    Prim,
    Prop,
    Ref,
    Tagged,
    Union,
    containers,
    json_kind,
    kinds,
    literal_kinds,
)

#: Every construct the draw knows, by feature name.
FEATURES = frozenset(
    {
        "formats",  # date, date-time, uuid, byte, int32/int64, float/double
        "decimal_string",  # {type: string, format: decimal}
        "odd_enums",  # quotes, backslashes, unicode, ints, booleans, null
        "arrays",
        "maps",  # additionalProperties
        "awkward_names",  # class, _, 48, EUR, dashes, unicode, model_dump ...
        "name_collisions",  # first-name / first_name / firstName in one object
        "nullable",  # 3.0 nullable: true
        "type_array_null",  # 3.1 type: [X, "null"]
        "anyof_null",  # 3.1 anyOf / oneOf: [X, {type: "null"}] (FastAPI, pydantic)
        "extra_keys",  # undeclared properties (allowed by default), not identifiers
        "extra_keys_like_fields",  # ... identifiers, maybe a declared one's Python name
        "unions",  # oneOf / anyOf of different kinds
        "type_arrays",  # 3.1 type: [string, integer, ...]
        "union_of_array_unions",  # oneOf: [array of oneOf, array of oneOf], and
        # any union with two list (or two dict) arms: list[A | None] | list[B]
        "union_of_objects",  # anyOf / oneOf over object schemas
        "enum_number_bool_unions",  # anyOf [enum [false, "x"], integer]
        "nullable_models",  # a component object that is nullable, used by $ref
        "discriminated",  # discriminator + mapping over const-tagged members
        "all_of",  # allOf: [$ref base, own properties]
        "recursion",  # a schema refers to itself via array or optional property
        "keyword_operations",  # operationId `del`, path `/del`, param `from`
        "any_value",  # {} and free-form objects: may be typed Any
        "binary_bodies",  # format: binary as application/octet-stream bodies
    }
)

#: Constructs the current generator gets wrong (issue 12); left out of the draw.
KNOWN_BROKEN: frozenset[str] = frozenset()

# ---------------------------------------------------------------------------
# Names

AWKWARD_PROPS = (
    "class", "_", "48", "EUR", "id", "type", "self", "import", "None", "True",
    "list", "dict", "str", "int", "float", "bool", "bytes", "field", "from",
    "async", "match", "model_config", "model_dump", "schema", "json", "copy",
    "validate", "x-rate-limit", "a.b", "$ref", "my prop", "__dunder__",
    "_private", "naïve", "ÉTAT", "日本", "Größe", "ünïcödé-key", "HTTPStatus",
    "httpStatus", "value",
)  # fmt: skip
#: Names that collide after snake_case: all may be in one object.
COLLIDING_PROPS = (
    "first-name", "first_name", "firstName", "FirstName", "FIRST_NAME",
    "first name", "a-b", "a_b", "A_B",
)  # fmt: skip
PLAIN_PROPS = ("name", "count", "when", "tags", "note", "child", "items", "size")
AWKWARD_KEYS = (
    "class", "48", "EUR", "my-thing", "my_thing", "MyThing", "BaseModel",
    "Field", "Any", "None", "List", "datetime", "Model", "a.b", "_", "Client",
    "Props", "T", "str", "models", "Item", "item", "ITEM",
    # spelled like the names of inline schemas, which derive from their place
    "S0Item", "S1Value", "S2Variant1", "S0Name", "S1_0V", "Field_0V", "S3Tags",
)  # fmt: skip
KEYWORD_IDS = (
    "del", "class", "import", "None", "return", "lambda", "match", "type",
    "self", "list", "print", "async", "await", "_", "True", "get", "with",
)  # fmt: skip
ODD_STRINGS = (
    'say "hi"', "back\\slash", "it's", "naïve", "日本", "€", "a\nb", "",
    " ", "null", "true", "1", "None", "{{ x }}", "\\u0000", "tab\there",
)  # fmt: skip

# ---------------------------------------------------------------------------
# Strategies


@dataclass
class _Ctx:
    version: str
    allowed: frozenset[str]
    components: dict[str, Node]
    recursive: str | None = None  # the component the one being drawn refers to

    def on(self, feature: str) -> bool:
        return feature in self.allowed

    @property
    def v31(self) -> bool:
        return self.version.startswith("3.1")


_FORMATS = {
    "string": (None, "date", "date-time", "uuid", "byte"),
    "integer": (None, "int32", "int64"),
    "number": (None, "float", "double"),
    "boolean": (None,),
}


@st.composite
def prim(draw: st.DrawFn, ctx: _Ctx) -> Prim:
    t = draw(st.sampled_from(("string", "integer", "number", "boolean")))
    formats: tuple[str | None, ...] = _FORMATS[t] if ctx.on("formats") else (None,)
    if t == "string" and ctx.on("decimal_string"):
        formats += ("decimal",)
    return Prim(t, draw(st.sampled_from(formats)))


@st.composite
def enum(draw: st.DrawFn, ctx: _Ctx) -> Enum:
    if not ctx.on("odd_enums"):
        words = st.sampled_from(("red", "green", "blue", "on", "off"))
        return Enum(tuple(draw(st.lists(words, min_size=1, max_size=4, unique=True))))
    value = st.one_of(
        st.sampled_from(ODD_STRINGS),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
        st.integers(-(2**40), 2**40),
        st.booleans(),
        st.none(),
    )
    values = draw(st.lists(value, min_size=1, max_size=5, unique_by=_json_key))
    if values == [None]:
        values.append("only")
    return Enum(tuple(values))


def _json_key(value: Any) -> tuple[str, Any]:
    return (json_kind(value), value)


@st.composite
def obj(
    draw: st.DrawFn, ctx: _Ctx, depth: int, taken: frozenset[str] = frozenset()
) -> Obj:
    pool: tuple[str, ...] = PLAIN_PROPS
    if ctx.on("awkward_names"):
        pool += AWKWARD_PROPS
    if ctx.on("name_collisions"):
        pool += COLLIDING_PROPS
    names = st.sampled_from(pool).filter(lambda n: n not in taken)
    chosen = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    props = []
    for name in chosen:
        props.append(Prop(name, draw(node(ctx, depth - 1)), draw(st.booleans())))
    if ctx.recursive is not None:
        self_ref = Ref(ctx.recursive)
        how = draw(st.sampled_from(("array", "optional", "nullable", "map")))
        inner: Node = {
            "array": Array(self_ref),
            "optional": self_ref,
            "map": Map(self_ref),
            "nullable": _nullable_ref(ctx, self_ref) if ctx.v31 else self_ref,
        }[how]
        names = ("children", "parent", "next", "sub-tree", "self-ref")
        name = draw(st.sampled_from([n for n in names if n not in chosen]))
        props.append(Prop(name, inner, how == "array" and draw(st.booleans())))
    return Obj(tuple(props))


def _nullable_ref(ctx: _Ctx, ref: Ref) -> Node:
    return Null(ref, "anyof_null") if ctx.on("anyof_null") else ref


@st.composite
def nullable(draw: st.DrawFn, ctx: _Ctx, depth: int) -> Node:
    styles = []
    if not ctx.v31 and ctx.on("nullable"):
        styles.append("nullable")
    if ctx.v31 and ctx.on("type_array_null"):
        styles.append("type_array")
    if ctx.v31 and ctx.on("anyof_null"):
        styles += ["anyof_null", "oneof_null"]
    inner = draw(node(ctx, depth - 1))
    typed = isinstance(inner, Prim | Array | Map | Obj)
    styles = [s for s in styles if s.endswith("of_null") or typed]
    if "null" in kinds(inner, ctx.components):  # oneOf [X, null] needs X non-null
        styles = [s for s in styles if s != "oneof_null"]
    if not styles or isinstance(inner, Null | AnyValue):
        return inner
    return Null(inner, draw(st.sampled_from(styles)))


@st.composite
def union(draw: st.DrawFn, ctx: _Ctx, depth: int) -> Node:
    """oneOf / anyOf; oneOf members are of different kinds (or all arrays / objects)."""
    keyword = draw(st.sampled_from(("oneOf", "anyOf")))
    candidates = draw(st.lists(node(ctx, depth - 1), min_size=2, max_size=4))
    members: list[Node] = []
    used: set[str] = set()
    boxes: set[str] = set()  # list / dict arms so far
    lits: set[str] = set()  # kinds of enum values so far
    for member in candidates:
        k = kinds(member, ctx.components)
        shared = k & used
        box = containers(member, ctx.components)
        if box & boxes and not ctx.on("union_of_array_unions"):
            continue  # list[A | None] | list[B | None] (issue 12)
        literals = literal_kinds(member, ctx.components)
        if not ctx.on("enum_number_bool_unions") and _bool_number_clash(
            literals, k, lits, used
        ):
            continue  # Literal[False] | int reads 0 as False
        boxes |= box
        lits |= literals
        if (
            keyword == "oneOf"
            and shared
            and not (
                (shared == {"array"} and ctx.on("union_of_array_unions"))
                or (shared == {"object"} and ctx.on("union_of_objects"))
            )
        ):
            continue
        if keyword == "anyOf" and "object" in shared and not ctx.on("union_of_objects"):
            continue
        members.append(member)
        used |= k
    if len(members) < 2:
        return members[0]
    plain = {m.type for m in members if isinstance(m, Prim) and m.format is None}
    if ctx.v31 and ctx.on("type_arrays") and len(plain) == len(members):
        keyword = draw(st.sampled_from((keyword, "type")))
    return Union(keyword, tuple(members))


def _bool_number_clash(
    literals: set[str], kinds_: set[str], old_literals: set[str], old_kinds: set[str]
) -> bool:
    """Would an enum's booleans meet numbers (or its numbers booleans) in a union?"""
    numbers = {"integer", "number"}

    def clash(lit: set[str], other: set[str]) -> bool:
        return ("boolean" in lit and bool(numbers & other)) or (
            bool(numbers & lit) and "boolean" in other
        )

    return clash(literals, old_kinds) or clash(old_literals, kinds_)


@st.composite
def array_union(draw: st.DrawFn, ctx: _Ctx) -> Node:
    """oneOf of arrays whose items are unions: the shape of issue 12."""
    scalars = st.sampled_from(
        (Prim("string"), Prim("integer"), Prim("boolean"), Prim("string", "date"))
    )
    arms = []
    for _ in range(draw(st.integers(2, 3))):
        items = draw(st.lists(scalars, min_size=2, max_size=3, unique=True))
        keyword = draw(st.sampled_from(("oneOf", "anyOf")))
        if (
            keyword == "oneOf"
            and Prim("string") in items
            and Prim("string", "date") in items
        ):
            keyword = "anyOf"
        arms.append(Array(Union(keyword, tuple(items))))
    return Union(draw(st.sampled_from(("oneOf", "anyOf"))), tuple(arms))


@st.composite
def node(draw: st.DrawFn, ctx: _Ctx, depth: int) -> Node:
    """A schema of at most ``depth`` levels (choose first, then build only that)."""
    refs = [k for k in ctx.components if k != ctx.recursive]
    table: list[tuple[str, Callable[[], st.SearchStrategy[Node]]]] = [
        ("", lambda: prim(ctx)),
        ("", lambda: prim(ctx)),
        ("", lambda: enum(ctx)),
        ("refs", lambda: st.sampled_from(refs).map(Ref)),
        ("any_value", lambda: st.builds(AnyValue, st.booleans())),
    ]
    if depth > 0:
        table += [
            ("", lambda: obj(ctx, depth)),
            ("arrays", lambda: st.builds(Array, node(ctx, depth - 1))),
            ("maps", lambda: st.builds(Map, node(ctx, depth - 1))),
            ("unions", lambda: union(ctx, depth)),
            ("union_of_array_unions", lambda: array_union(ctx)),
            ("null", lambda: nullable(ctx, depth)),
        ]
    on = ctx.allowed | {"", "refs" if refs else ""}
    if {"nullable", "type_array_null", "anyof_null"} & ctx.allowed:
        on |= {"null"}
    options = [make for feature, make in table if feature in on]
    return draw(draw(st.sampled_from(options))())


@st.composite
def descriptions(
    draw: st.DrawFn,
    version: str | None = None,
    allowed: frozenset[str] | None = None,
    size: tuple[int, int] = (6, 12),
) -> Description:
    """A valid description rich in ``allowed`` features (default: all not broken)."""
    ctx = _Ctx(
        version or draw(st.sampled_from(("3.0.3", "3.1.0"))),
        FEATURES - KNOWN_BROKEN if allowed is None else allowed,
        {},
    )
    keys = draw(_keys(ctx, draw(st.integers(*size))))
    for key in keys:
        if key in ctx.components:
            continue  # a discriminated union's member drew it already
        draw(component(ctx, key, keys))
    return Description(
        ctx.version, tuple(ctx.components.items()), _operations(draw, ctx)
    )


def _keys(ctx: _Ctx, n: int) -> st.SearchStrategy[list[str]]:
    plain = [f"S{i}" for i in range(n)]
    if not ctx.on("awkward_names"):
        return st.just(plain)
    return st.lists(
        st.one_of(st.sampled_from(AWKWARD_KEYS), st.sampled_from(plain)),
        min_size=n,
        max_size=n,
        unique=True,
    )


@st.composite
def component(draw: st.DrawFn, ctx: _Ctx, key: str, keys: list[str]) -> None:
    """Draw the component ``key`` (and, for a tagged union, its members)."""
    kinds_ = ["object", "object", "any"]
    models = [k for k, n in ctx.components.items() if isinstance(n, Obj | AllOf)]
    if ctx.on("recursion"):
        kinds_.append("recursive")
    if ctx.on("all_of") and models:
        kinds_.append("all_of")
    if ctx.on("discriminated"):
        kinds_.append("tagged")
    kind = draw(st.sampled_from(kinds_))
    if kind == "recursive":
        draw(recursive(ctx, key, keys, models))
    elif kind == "all_of":
        base = draw(st.sampled_from(models))
        taken = _prop_names(ctx.components, base)
        ctx.components[key] = AllOf(base, draw(obj(ctx, 2, frozenset(taken))))
    elif kind == "tagged":
        ctx.components[key] = draw(tagged(ctx, key, keys))
    elif kind == "object":
        ctx.components[key] = draw(obj(ctx, 3))
    else:
        found = draw(node(ctx, 3))
        nullable_model = isinstance(found, Null) and isinstance(found.inner, Obj)
        if nullable_model and not ctx.on("nullable_models"):
            found = found.inner  # its $refs are typed as never null
        ctx.components[key] = found


@st.composite
def recursive(
    draw: st.DrawFn, ctx: _Ctx, key: str, keys: list[str], models: list[str]
) -> None:
    """``key`` refers to itself, or to a peer that refers back (A -> B -> A).

    The reference is an optional property or array items, so instances end;
    with ``all_of`` on, the recursive schema may extend a model.
    """
    peer = f"{key}Peer"
    while peer in keys or peer in ctx.components:
        peer += "x"
    mutual = draw(st.booleans())
    ctx.recursive = peer if mutual else key
    try:
        body = draw(obj(ctx, 2))
    finally:
        ctx.recursive = None
    if ctx.on("all_of") and models and draw(st.booleans()):
        base = draw(st.sampled_from(models))
        taken = _prop_names(ctx.components, base)
        body = Obj(tuple(p for p in body.props if p.name not in taken))
        ctx.components[key] = AllOf(base, body) if body.props else Ref(base)
    else:
        ctx.components[key] = body
    if mutual:
        ctx.recursive = key
        try:
            ctx.components[peer] = draw(obj(ctx, 2))
        finally:
            ctx.recursive = None


def _prop_names(comps: dict[str, Node], key: str) -> set[str]:
    n = comps[key]
    if isinstance(n, AllOf):
        return _prop_names(comps, n.base) | {p.name for p in n.extra.props}
    return {p.name for p in n.props} if isinstance(n, Obj) else set()


@st.composite
def tagged(draw: st.DrawFn, ctx: _Ctx, key: str, keys: list[str]) -> Tagged:
    prop = draw(st.sampled_from(("kind", "petType", "@type", "type", "objectType")))
    explicit = draw(st.booleans())
    members = []
    for i in range(draw(st.integers(2, 3))):
        member = f"{key}_{i}V"
        while member in keys or member in ctx.components:
            member += "x"
        tag = (
            draw(st.sampled_from(ODD_STRINGS[:6] + ("cat", "dog")))
            if explicit
            else member
        )
        if any(tag == t for t, _ in members):
            tag = f"{tag}{i}"
        base = draw(obj(ctx, 2, frozenset({prop})))
        ctx.components[member] = Obj((Prop(prop, Const(tag), True), *base.props))
        members.append((tag, member))
    return Tagged(prop, tuple(members), explicit)


def _operations(draw: st.DrawFn, ctx: _Ctx) -> tuple[Operation, ...]:
    ops: list[Operation] = []
    # "data_del": the resource's noun is stripped, leaving a keyword (issue 12)
    pool = [f"data_{k}" for k in KEYWORD_IDS] + [f"{k}_data" for k in KEYWORD_IDS]
    pool += KEYWORD_IDS
    odd = iter(draw(st.permutations(pool)))  # operationIds are unique
    for i, key in enumerate(ctx.components):
        get_id = f"get{i}"
        if ctx.on("keyword_operations") and draw(st.integers(0, 2)) == 0:
            get_id = next(odd, get_id)
        ops.append(Operation("get", f"/data/s{i}", get_id, key))
        ops.append(Operation("post", f"/data/s{i}", f"send{i}", key))
    if ctx.on("keyword_operations"):
        ops += [
            Operation("get", "/del", None, None),
            Operation("get", "/class/{from}", None, None, ("from",)),
            Operation("get", "/data/import/{self}", None, None, ("self",)),
            Operation("post", "/lambda", next(odd, "lambda_"), None),
        ]
    if ctx.on("binary_bodies"):
        ops += [
            Operation("get", "/blobs/{id}", "download", None, ("id",), binary=True),
            Operation("post", "/blobs", "upload", None, binary=True),
        ]
    return tuple(ops)
