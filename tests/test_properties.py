"""Property-based test: hostile names and strings never break a package.

Hypothesis builds small OpenAPI 3.0 and 3.1 documents whose schema names,
property names, operationIds, tags, parameter names, descriptions, enum
values and defaults are made of the text that breaks code generators:
quotes, backslashes, triple quotes, line breaks and other control
characters, Python keywords and builtins, dunders, leading digits, empty
strings, names that differ only in case or punctuation, and non-ASCII text.

For every document the package must generate without a traceback, every
file must compile, the package must import, and each string must come back
out unchanged: enum values as the ``Literal`` arguments, property names
through a decode/encode round trip, defaults as field defaults, parameter
names on the wire, descriptions inside the docstrings.

Runs are deterministic (derandomized, no example database). For a deeper
search: ``HOSTILE_EXAMPLES=400 HOSTILE_NO_SHRINK=1 pytest tests/test_properties.py``
(shrinking a failure of these large examples can take minutes).
"""

from __future__ import annotations

import ast
import importlib
import itertools
import json
import math
import os
import sys
import types
import typing
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from helpers import import_package
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from generator.config import Target
from generator.diagnostics import Diagnostics, SpecError
from generator.ir import ApiModel, ModelDef
from generator.pipeline import generate_files
from generator.write import write_tree

SETTINGS = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "12")),
    phases=(
        (Phase.explicit, Phase.generate)
        if os.environ.get("HOSTILE_NO_SHRINK")
        else tuple(Phase)
    ),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- hostile text -------------------------------------------------------------

#: Pieces that have broken code generators: quoting, escapes, line structure.
FRAGMENTS = [
    '"',
    "'",
    "\\",
    '"""',
    "'''",
    '\\"',
    "\\n",
    "\\x00",
    "\\N",
    "\\u12",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "{",
    "}",
    "{0}",
    "%s",
    "#",
    "$",
    "`",
    "</script>",
    "é",
    "Ünïcödé",
    "日本語",
    "😀",
    "עברית",
    "\u202e",
    "e\u0301",
    "\u200b",
    "\ufeff",
    "ﬁ",
    "Ⅻ",
    "١٢",
    " ",
    "  ",
    "-",
    "_",
    ".",
    "/",
    "~1",
    "*/",
    ", ",
    "%20",
]

#: Names that clash with Python, pydantic or the generated package itself.
NAMES = [
    "class",
    "None",
    "True",
    "False",
    "def",
    "return",
    "import",
    "lambda",
    "match",
    "case",
    "type",
    "_",
    "list",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "object",
    "print",
    "id",
    "self",
    "cls",
    "model_config",
    "model_fields",
    "model_dump",
    "schema",
    "json",
    "copy",
    "validate",
    "__init__",
    "__class__",
    "__dict__",
    "__",
    "_private",
    "1st",
    "123",
    "0x",
    "",
    " ",
    "VLAN",
    "Vlan",
    "vlan",
    "a-b",
    "a_b",
    "a.b",
    "a b",
    "A_B",
    "aB",
    "Client",
    "List",
    "BaseModel",
    "Field",
    "request",
    "body",
    "request_options",
    "with_options",
    "Prénom",
    "prenom",
    "名前",
    "Имя",
    "emoji😀",
    "x-class",
    "X-None",
    "_t",
    "_m",
    "_rt",
    "_b",
    "typing",
    "pydantic",
    "httpx",
]


def _join(parts: list[str]) -> str:
    return "".join(parts)


hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(NAMES), st.text(max_size=4)),
    max_size=5,
).map(_join)

hostile_name = st.one_of(
    st.sampled_from(NAMES),
    st.tuples(st.sampled_from(NAMES), st.sampled_from(FRAGMENTS)).map(_join),
    hostile_text,
)

#: Names that become the same identifier, or that are another's identifier.
CONFUSABLE = [
    ["VLAN", "Vlan", "vlan", "v_lan"],
    ["a-b", "a_b", "a.b", "a b", "A_B", "aB", "a_b_"],
    ["class", "class_", "Class", "class-"],
    ["model_config", "model_config_", "modelConfig"],
    ["Prénom", "prenom", "Prenom", "pre_nom"],
    ["", "_", "field", "value", "__"],
    ["1st", "_1st", "first", "field_1st"],
]

#: Header names must be HTTP tokens; they can still be keywords or clash by case.
TOKEN_NAMES = [
    "X-None",
    "x-class",
    "Class",
    "match",
    "X-Request-Id",
    "x-request_id",
    "self",
    "type",
    "X-1st",
    "list",
    "x-self",
]

#: Path parameter names end at the first ``}``; the rest stays hostile.
path_name = hostile_name.filter(lambda s: s and not set(s) & set("{}/?#"))

#: pydantic-core cannot validate a Literal of several ints when one is beyond int64.
INT = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOAT = st.floats(allow_nan=False, allow_infinity=False, width=64)


# -- documents ------------------------------------------------------------------


@st.composite
def property_names(draw: st.DrawFn, max_size: int = 4) -> list[str]:
    """Unique hostile names, often several from one group of look-alikes."""
    group = draw(st.sampled_from(CONFUSABLE))
    return draw(
        st.lists(
            st.one_of(st.sampled_from(group), hostile_name),
            min_size=1,
            max_size=max_size,
            unique=True,
        )
    )


@st.composite
def primitive(
    draw: st.DrawFn, v31: bool, nested: bool = True
) -> tuple[dict[str, Any], st.SearchStrategy[Any]]:
    """A property schema and a strategy for payload values it accepts."""
    kinds = [
        "string",
        "integer",
        "number",
        "boolean",
        "enum_str",
        "enum_int",
        "enum_float",
        "enum_bool",
        "enum_mixed",
        "array",
    ]
    kind = draw(st.sampled_from([*kinds, "object"] if nested else kinds))
    schema: dict[str, Any]
    values: st.SearchStrategy[Any]
    if kind == "object":
        # an inline object, named after its place
        inner = {
            wire: draw(primitive(v31, nested=False))
            for wire in draw(property_names(max_size=2))
        }
        schema = {"type": "object", "properties": {w: p for w, (p, _) in inner.items()}}
        values = st.fixed_dictionaries(
            {}, optional={w: v for w, (_, v) in inner.items()}
        )
    elif kind == "string":
        schema, values = {"type": "string"}, hostile_text
    elif kind == "integer":
        schema, values = {"type": "integer"}, INT
    elif kind == "number":
        schema, values = {"type": "number"}, FLOAT
    elif kind == "boolean":
        schema, values = {"type": "boolean"}, st.booleans()
    elif kind == "array":
        schema, values = {"type": "array", "items": {"type": "string"}}, st.lists(
            hostile_text, max_size=2
        )
    else:
        base = {
            "enum_str": ("string", hostile_text),
            "enum_int": ("integer", INT),
            "enum_float": ("number", FLOAT),
            "enum_bool": ("boolean", st.booleans()),
            "enum_mixed": (None, st.one_of(hostile_text, INT, st.booleans())),
        }[kind]
        enum = draw(st.lists(base[1], min_size=1, max_size=4, unique_by=_identity))
        schema = {"enum": enum}
        if base[0] is not None:
            schema["type"] = base[0]
        if draw(st.booleans()):
            schema["enum"] = [*enum, None]
            if v31 and base[0] is not None:
                schema["type"] = [base[0], "null"]
            else:
                schema["nullable"] = True
        values = st.sampled_from(schema["enum"])
    if draw(st.booleans()):
        schema["description"] = draw(hostile_text)
    if kind != "object" and draw(st.booleans()):
        schema["default"] = draw(values)
    return schema, values


def _described(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    if draw(st.booleans()):
        schema["description"] = draw(hostile_text)
    if draw(st.booleans()):
        schema["title"] = draw(hostile_text)
    return schema


def _escape(key: str) -> str:
    """A schema name as a JSON pointer token."""
    return key.replace("~", "~0").replace("/", "~1")


def _properties(schemas: dict[str, Any], key: str) -> dict[str, Any]:
    """Every property of a schema, its parents' included."""
    schema = schemas[key]
    props: dict[str, Any] = {}
    for part in schema.get("allOf", [schema]):
        ref = part.get("$ref")
        if ref is not None:
            parent = ref.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            props.update(_properties(schemas, parent))
        props.update(part.get("properties", {}))
    return props


def _identity(value: Any) -> Any:
    """Key for unique enum members: ``1``, ``1.0`` and ``True`` are distinct."""
    return (type(value).__name__, value)


@st.composite
def documents(draw: st.DrawFn, v31: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(spec, plan): the document and what each part must round-trip to."""
    schemas: dict[str, Any] = {}
    plan: dict[str, Any] = {"models": {}, "ops": []}
    values: dict[str, dict[str, st.SearchStrategy[Any]]] = {}
    for key in draw(st.lists(hostile_name, min_size=1, max_size=2, unique=True)):
        props: dict[str, Any] = {}
        values[key] = {}
        for wire in draw(property_names()):
            props[wire], values[key][wire] = draw(primitive(v31))
        schemas[key] = _described(draw, {"type": "object", "properties": props})
    if draw(st.booleans()):
        # a subclass through allOf, whose own keys look like its parent's
        parent = draw(st.sampled_from(sorted(schemas)))
        key = draw(hostile_name.filter(lambda k: k not in schemas))
        props = {}
        values[key] = dict(values[parent])
        for wire in draw(property_names(max_size=3)):
            props[wire], values[key][wire] = draw(primitive(v31))
        schemas[key] = _described(
            draw,
            {
                "allOf": [
                    {"$ref": "#/components/schemas/" + _escape(parent)},
                    {"type": "object", "properties": props},
                ]
            },
        )
    for key, strategies in values.items():
        plan["models"][key] = {
            w: draw(v) for w, v in strategies.items() if draw(st.booleans())
        }
    paths: dict[str, Any] = {}
    tags: list[dict[str, Any]] = []
    op_ids = draw(st.lists(hostile_name, min_size=1, max_size=2, unique=True))
    for i, op_id in enumerate(op_ids):
        tag = draw(hostile_name)
        if draw(st.booleans()) and tag not in [t["name"] for t in tags]:
            tags.append({"name": tag, "description": draw(hostile_text)})
        path_param = draw(path_name)
        query = draw(st.lists(hostile_name, max_size=3, unique=True))
        headers = draw(
            st.lists(st.sampled_from(TOKEN_NAMES), max_size=2, unique_by=str.lower)
        )
        params: list[dict[str, Any]] = [
            {
                "name": path_param,
                "in": "path",
                "required": True,
                "schema": {"type": "string"},
                "description": draw(hostile_text),
            }
        ]
        params += [
            {
                "name": q,
                "in": "query",
                "schema": {"type": "string"},
                "description": draw(hostile_text),
            }
            for q in query
        ]
        params += [
            {"name": h, "in": "header", "schema": {"type": "string"}} for h in headers
        ]
        operation: dict[str, Any] = {
            "operationId": op_id,
            "tags": [tag],
            "summary": draw(hostile_text),
            "description": draw(hostile_text),
            "parameters": params,
            "responses": {"204": {"description": draw(hostile_text) or "none"}},
        }
        static = draw(
            st.sampled_from(["things", "class", "None", "a-b", "Ünï", "名前", "v1"])
        )
        paths[f"/{static}{i}/{{{path_param}}}"] = {"get": operation}
        plan["ops"].append(
            {
                "path": f"/{static}{i}/{{{path_param}}}",
                "path_param": (
                    path_param,
                    draw(hostile_text.filter(lambda s: s not in ("", ".", ".."))),
                ),
                "query": {q: draw(hostile_text) for q in query},
                "header": {
                    h: draw(st.sampled_from(["v", "a b", "x'y\"z", "1"]))
                    for h in headers
                },
                "tag": tag,
                "summary": operation["summary"],
                "description": operation["description"],
                "param_docs": [
                    p["description"] for p in params if p.get("description")
                ],
            }
        )
    doc: dict[str, Any] = {
        "openapi": "3.1.0" if v31 else "3.0.3",
        "info": {
            "title": draw(hostile_text) or "T",
            "version": "1",
            "description": draw(hostile_text),
        },
        "servers": [{"url": "https://api.example/v1"}],
        "tags": tags,
        "paths": paths,
        "components": {"schemas": schemas},
    }
    plan["tags"] = {t["name"]: t["description"] for t in tags}
    return doc, plan


# -- checks -------------------------------------------------------------------------

_packages = itertools.count()


def _squash(text: str | None) -> str:
    """Docstrings re-indent and re-wrap whitespace; everything else must survive."""
    return " ".join((text or "").split())


def _generate(doc: dict[str, Any], folder: Path) -> tuple[ApiModel, Path, str]:
    spec = folder / "spec.json"
    spec.write_text(json.dumps(doc), "utf-8")
    package = f"hostile_pkg{next(_packages)}"
    target = Target(spec=str(spec), package=package)
    target.settings.package = package
    diags = Diagnostics()
    out = folder / "out"
    try:
        generated = generate_files(target, out, diags, jobs=1)
    except SpecError:
        errors = [d for d in diags.items if d.level == "error"]
        pytest.fail(
            "a valid document was refused: " + "; ".join(d.render() for d in errors)
        )
    for path, text in generated.files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")  # a SyntaxError fails the example
    write_tree(out, generated.files)
    return generated.api, out, package


def _model_for(api: ApiModel, key: str) -> ModelDef:
    pointer = "/components/schemas/" + _escape(key)
    return next(m for m in api.models if m.pointer == pointer)


def _unwrap_optional(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, __import__("types").UnionType):
        return args[0] if len(args) == 1 else annotation
    return annotation


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same JSON type (``1`` is not ``True``)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, int | float)
            and isinstance(b, int | float)
            and not isinstance(a, bool)
            and not isinstance(b, bool)
            and (a == b or (math.isnan(a) and math.isnan(b)))
        )
    return type(a) is type(b) and a == b


def _field_docs(source: str) -> dict[tuple[str, str], str]:
    """(class, field) → the docstring written under the field."""
    docs: dict[tuple[str, str], str] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt, after in itertools.pairwise(node.body):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[(node.name, stmt.target.id)] = after.value.value
    return docs


def _check_models(
    api: ApiModel, pkg: Any, doc: dict[str, Any], plan: dict[str, Any], out: Path
) -> None:
    schemas = doc["components"]["schemas"]
    field_docs = _field_docs((out / pkg.__name__ / "models.py").read_text("utf-8"))
    for key, schema in schemas.items():
        cls = getattr(pkg.models, _model_for(api, key).name)
        by_wire = {
            name if info.validation_alias is None else info.validation_alias: name
            for name, info in cls.model_fields.items()
        }
        props = _properties(schemas, key)
        assert by_wire.keys() == props.keys(), key
        # the description (or the title) reaches the class docstring intact
        text = schema.get("description") or schema.get("title")
        if _squash(text):
            assert _squash(cls.__doc__) == _squash(text)
        for wire, prop in props.items():
            name = by_wire[wire]
            info = cls.model_fields[name]
            if _squash(prop.get("description")):
                owner = next(
                    k.__name__ for k in cls.__mro__ if (k.__name__, name) in field_docs
                )
                assert _squash(field_docs[owner, name]) == _squash(prop["description"])
            if "default" in prop:
                assert _same(info.default, prop["default"]), (wire, info.default)
            if "enum" in prop:
                _check_enum(info.annotation, prop["enum"])
        # hostile property names survive decode → encode
        payload = plan["models"][key]
        instance = cls.model_validate(json.loads(json.dumps(payload)))
        dumped = instance.model_dump(mode="json", by_alias=True, exclude_unset=True)
        assert _same(dumped, payload), (payload, dumped)


def _check_enum(annotation: Any, enum: list[Any]) -> None:
    """The Literal holds exactly the wire values, and each one round-trips."""
    expected = [v for v in enum if v is not None]
    expected = [
        v
        for i, v in enumerate(expected)
        if _identity(v) not in map(_identity, expected[:i])
    ]
    if not any(isinstance(v, float) for v in expected):
        # (typing.Literal takes no floats: a float enum is typed float)
        # a response model's enum is open (``Literal[...] | str``): its Literal
        union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        members = typing.get_args(annotation) if union else (annotation,)
        # a literal of numbers or booleans is Annotated[Literal[...], EXACT]
        members = tuple(
            typing.get_args(m)[0] if typing.get_origin(m) is typing.Annotated else m
            for m in members
        )
        literal = next(
            (m for m in members if typing.get_origin(m) is typing.Literal),
            _unwrap_optional(annotation),
        )
        got = typing.get_args(literal)
        assert sorted(map(repr, map(_identity, got))) == sorted(
            map(repr, map(_identity, expected))
        ), (got, expected)
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    for value in enum:
        back = adapter.dump_python(adapter.validate_python(value), mode="json")
        assert _same(back, value), (value, back)


def _check_operations(api: ApiModel, pkg: Any, plan: dict[str, Any]) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    client = getattr(pkg, api.client_name)(
        http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    ops = {
        op.path: (resource, op)
        for resource in api.resources
        for op in resource.operations
    }
    for want in plan["ops"]:
        resource, op = ops[want["path"]]
        group = getattr(client, resource.attr)
        method = getattr(group, op.name)
        # summary, description and parameter docs reach the method docstring
        text = _squash(method.__doc__)
        for part in (want["summary"], want["description"], *want["param_docs"]):
            assert _squash(part) in text, (part, method.__doc__)
        tag_doc = plan["tags"].get(want["tag"]) if want["tag"].strip() else None
        if _squash(tag_doc):
            assert _squash(type(group).__doc__) == _squash(tag_doc)
        kwargs: dict[str, Any] = {}
        positional: list[Any] = []
        wire_to_name = {
            (p.location, p.wire): p.name for p in (*op.positional, *op.keyword)
        }
        path_wire, path_value = want["path_param"]
        positional.append(path_value)
        assert [p.name for p in op.positional] == [wire_to_name["path", path_wire]]
        for loc in ("query", "header"):
            for wire, value in want[loc].items():
                kwargs[wire_to_name[loc, wire]] = value
        sent.clear()
        method(*positional, **kwargs)
        (request,) = sent
        base, _, rest = want["path"].partition("/{")
        assert (
            unquote(request.url.raw_path.decode("ascii").split("?")[0])
            == "/v1" + base + "/" + path_value
        )
        for wire, value in want["query"].items():
            assert request.url.params.get_list(wire) == [value], (
                wire,
                str(request.url),
            )
        for wire, value in want["header"].items():
            assert request.headers.get_list(wire) == [value]
    client.close()


def _run(folder: Path, example: tuple[dict[str, Any], dict[str, Any]]) -> None:
    doc, plan = example
    api, out, package = _generate(doc, folder)
    pkg = import_package(out, package)
    try:
        for resource in api.resources:
            importlib.import_module(f"{package}.resources.{resource.module}")
        _check_models(api, pkg, doc, plan, out)
        _check_operations(api, pkg, plan)
    finally:
        for module in [
            m for m in sys.modules if m == package or m.startswith(package + ".")
        ]:
            del sys.modules[module]


@SETTINGS
@given(example=documents(v31=False))
def test_hostile_openapi_30(
    tmp_path_factory: pytest.TempPathFactory,
    example: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _run(tmp_path_factory.mktemp("hostile30"), example)


@SETTINGS
@given(example=documents(v31=True))
def test_hostile_openapi_31(
    tmp_path_factory: pytest.TempPathFactory,
    example: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _run(tmp_path_factory.mktemp("hostile31"), example)


# -- regressions the property test found ------------------------------------------


def _doc(
    schemas: dict[str, Any], paths: dict[str, Any] | None = None, title: str = "T"
) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1"},
        "servers": [{"url": "https://api.example/v1"}],
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def test_title_with_escapes_and_triple_quotes(gen: Any) -> None:
    title = 'say \\u12 \\N """ \'\'\' "'
    pkg = gen(_doc({}, title=title))
    assert title.replace("\\", "").split()[0] in (pkg.__doc__ or "")
    assert importlib.import_module(pkg.__name__ + ".models").__doc__ is not None


def test_path_parameter_whose_name_repr_escapes(gen: Any) -> None:
    # the name's literal is not the name between quotes: \\, a quote, a format char
    wire = "it\\'s\u202e"
    pkg = gen(
        _doc(
            {},
            {
                f"/things/{{{wire}}}": {
                    "get": {
                        "operationId": "fetchOne",
                        "parameters": [
                            {
                                "name": wire,
                                "in": "path",
                                "required": True,
                                "schema": {"type": "string"},
                            }
                        ],
                        "responses": {"204": {"description": "none"}},
                    }
                }
            },
        ),
        client_name="ThingsApi",
    )
    sent: list[httpx.Request] = []
    client = pkg.ThingsApi(
        http_client=httpx.Client(
            transport=httpx.MockTransport(
                lambda r: sent.append(r) or httpx.Response(204)
            )
        )
    )
    client.things.fetch_one("a b")  # exactly one positional argument
    assert sent[0].url.path == "/v1/things/a b"


LOOK_ALIKES = {
    "P": {
        "type": "object",
        "properties": {"a_b": {"type": "string"}, "class": {"type": "integer"}},
    },
    "M": {
        "type": "object",
        "properties": {
            "a-b": {"type": "string"},
            "a_b": {"type": "string"},
            "class": {"type": "integer"},
            "class_": {"type": "integer"},
        },
    },
    "C": {
        "allOf": [
            {"$ref": "#/components/schemas/P"},
            {
                "type": "object",
                "properties": {
                    "a-b": {"type": "string"},
                    "class_": {"type": "integer"},
                },
            },
        ]
    },
}


def test_keys_that_are_another_fields_name_round_trip(gen: Any) -> None:
    # populate_by_name must not let the key "a_b" also fill the field for "a-b",
    # nor may a subclass shadow an inherited field with a look-alike
    models = gen(_doc(LOOK_ALIKES)).models
    for model in ("M", "C"):
        for key, value in {"a-b": "x", "a_b": "y", "class": 1, "class_": 2}.items():
            cls = getattr(models, model)
            dumped = cls.model_validate({key: value}).model_dump(
                by_alias=True, exclude_unset=True
            )
            assert dumped == {key: value}, (model, key)
