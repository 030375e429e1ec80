"""Black is skipped only where black would not change a thing.

The models and resource templates write code the way black does, and
generator/render/format.py gives black only the top-level pieces of them a
cheap check cannot vouch for. These tests run black anyway, over many specs,
on every piece that skipped it, and over whole generated trees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.render import format as fmt
from generator.render import modelsplit, wrap
from generator.render.pyprint import Layout, Printer, class_line
from tests.helpers import REPO, generate_package, golden_packages, shared


def _py_files(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text("utf-8")
        for p in sorted(out.rglob("*.py"))
    }


def assert_black_clean(out: Path) -> int:
    """Every module of the tree at ``out`` is black-formatted, and every piece
    that skipped black is one black leaves alone; returns the skipped size."""
    files = _py_files(out)
    skipped = 0
    for path, text in files.items():
        if "/_runtime/" in "/" + path:
            continue
        assert fmt.format_source(text) == text, f"{path} is not black-formatted"
        pieces, needs = fmt.plan(path, text)
        for piece, need in zip(pieces, needs, strict=True):
            if not need:
                skipped += len(piece)
        assert fmt.unstable_skips(path, text) == [], path
    return skipped


def _generate(spec: Any, tmp_path: Path, config: dict[str, Any] | None = None) -> Path:
    folder, package = generate_package(spec, tmp_path, config=config)
    return folder


def test_onfact_package_is_black_clean_and_mostly_skips_black(tmp_path: Path) -> None:
    out = _generate(REPO / "specs" / "onfact.yaml", tmp_path)
    skipped = assert_black_clean(out)
    total = sum(
        len(t) for p, t in _py_files(out).items() if "/_runtime/" not in "/" + p
    )
    assert skipped > total // 2


@pytest.mark.parametrize(
    "folder", [f for f, _ in golden_packages()], ids=lambda f: f.name
)
def test_committed_package_passes_black_check(folder: Path) -> None:
    # Every file named: given a folder, black would skip it all, because the
    # repository's pyproject.toml excludes ^/generated/ (and exit 0).
    files = sorted(str(p) for p in folder.rglob("*.py"))
    assert len(files) > 10
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "-q", *files],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "v2.0_yaml_uber.yaml",
        "v3.0_petstore-expanded.json",
        "v3.0_link-example.json",
        "v3.0_uspto.json",
        "v3.1_non-oauth-scopes.json",
        "v2.0_json_api-with-examples.json",
    ],
)
def test_oai_examples(name: str, tmp_path: Path) -> None:
    spec = shared("oai-examples", name)
    assert_black_clean(_generate(spec, tmp_path))


def test_onfact_vendor(tmp_path: Path) -> None:
    folder = shared("onfact-vendor")
    specs = sorted(p for p in folder.iterdir() if p.suffix in {".json", ".yaml"})
    assert specs
    from generator.cli import main

    out = tmp_path / "out"
    code = main(
        [
            "generate",
            str(specs[0]),
            "-o",
            str(out),
            "--config",
            str(REPO / "specs" / "onfact-vendor.config.yaml"),
            "-q",
            "--no-cache",
        ]
    )
    assert code == 0
    assert_black_clean(out)


CORPUS_SAMPLE = [
    "adyen.com__CheckoutService.json",
    "adyen.com__BalancePlatformService.json",
]


@pytest.mark.parametrize("name", CORPUS_SAMPLE)
def test_corpus_sample(name: str, tmp_path: Path) -> None:
    spec = shared("corpus", name)
    assert_black_clean(_generate(spec, tmp_path))


HOSTILE = [
    "plain",
    "it's",
    'say "hi"',
    "both ' and \"",
    '"""',
    "'''",
    "back\\slash\\",
    'ends with quote"',
    "\x00\x1b\x7f\u2028",
    "wide \u4e2d\u6587 " * 12,
    "\\'\\\"",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_docs_names_enums_skip_only_when_stable(
    text: str, tmp_path: Path
) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": text, "version": "1", "description": text},
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "description": text + "\n  indented\n\n    more " + text,
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": text[:20] or "q",
                            "in": "query",
                            "schema": {"type": "string", "default": text},
                            "description": text,
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": "  " + text + "\n\t" + text,
                    "properties": {
                        text[:30]
                        or "x": {
                            "type": "string",
                            "enum": [text, text + "2", "a"],
                            "default": text,
                            "description": text,
                        },
                        "n": {"type": "number", "default": 1e20},
                    },
                }
            }
        },
    }
    assert_black_clean(_generate(spec, tmp_path))


def test_wrap_explodes_only_when_too_long() -> None:
    assert wrap("f(", ["a", "b"], ")", 4) == "f(a, b)"
    long = ["x" * 40, "y" * 40]
    assert (
        wrap("f(", long, ")", 4) == f"f(\n        {long[0]},\n        {long[1]},\n    )"
    )
    value = "a" * 90
    one = f'"{value}"'
    lay = Layout(Printer("", "_FileInput"))
    # a one-item subscript gets no trailing comma: it would not be magic
    assert (
        lay.alias("X", ir.LiteralOf((value,)))
        == f"X: _t.TypeAlias = _t.Literal[\n    {one}\n]"
    )
    exploded = lay.alias("X", ir.LiteralOf((value, value + "b")))
    one = f'"{value}b"'
    assert exploded.endswith(f"    {one},\n]")
    assert fmt.format_source(exploded + "\n") == exploded + "\n"


def test_black_stable_refuses_what_black_would_change() -> None:
    assert fmt.black_stable('x = ["a", "b"]\n')
    for piece in [
        "x = " + "1 + " * 30 + "1\n",  # too long
        "x = (1, )\n",
        "x = [ 1]\n",
        "x = 1  # ok\ny = 2;\n",
        "x = 1 \n",
        "x = 1\n\n\n\ny = 2\n",
        "x = 1\\\n    + 2\n",
        "x\t= 1\n",
        '"""open docstring\n',
    ]:
        assert not fmt.black_stable(piece), piece
    doc = '    """' + "word " * 30 + '"""\n'
    assert not fmt.black_stable(doc)  # black strips the space before """
    doc = '    """' + " word" * 30 + '"""\n'
    assert not fmt.black_stable(doc)
    doc = '    """' + ("word " * 30).strip() + '"""\n'
    assert fmt.black_stable(doc)
    assert fmt.format_source("class A:\n" + doc) == "class A:\n" + doc


def _camel(length: int, seed: int) -> str:
    """A CamelCase identifier of exactly ``length`` characters."""
    words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"]
    text = ""
    i = seed
    while len(text) < length:
        text += words[i % len(words)]
        i += 1
    return text[:length]


def _long_names_spec() -> dict[str, Any]:
    """Schema, property, enum and operation names long enough to give every
    shape of over-long line the templates lay out themselves (type aliases,
    fields, parameters, request arguments, return annotations, classes),
    at lengths around each of the templates' thresholds."""
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for n, length in enumerate(range(20, 100, 4)):
        name = _camel(length, n)
        other = _camel(length + 3, n + 1)
        schemas[name] = {
            "type": "object",
            "required": ["must", "union_required"],
            "properties": {
                "kind": {"type": "string", "enum": ["one"]},
                "mode": {"type": "string", "enum": ["read", "write"]},
                "many": {
                    "type": "string",
                    "enum": [f"value_{i}_" + "x" * (n % 5) for i in range(n % 9 + 2)],
                },
                "must": {"type": "string", "enum": ["a", "b"]},
                "with_default": {
                    "type": "string",
                    "enum": ["on", "off"],
                    "default": "off",
                },
                "items": {
                    "type": "array",
                    "items": {"$ref": f"#/components/schemas/{other}"},
                },
                "union": {
                    "oneOf": [
                        {"$ref": f"#/components/schemas/{other}"},
                        {"type": "array", "items": {"type": "string"}},
                    ]
                },
                "union_required": {
                    "oneOf": [
                        {"$ref": f"#/components/schemas/{other}"},
                        {"type": "integer"},
                        {"type": "string"},
                    ]
                },
                "nested": {
                    "type": "object",
                    "properties": {"x": {"type": "integer"}},
                },
            },
        }
        schemas[other] = {
            "type": "object",
            "properties": {"y": {"type": "string"}},
        }
        either = {
            "oneOf": [
                {"$ref": f"#/components/schemas/{name}"},
                {"$ref": f"#/components/schemas/{other}"},
            ]
        }
        op = _camel(length, n + 2)
        paths["/" + "/".join(["segment"] * (n % 7 + 1)) + f"/{n}/{{thing_id}}"] = {
            "post": {
                "operationId": op[0].lower() + op[1:],
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "choice",
                        "in": "query",
                        "schema": {"$ref": f"#/components/schemas/{name}"},
                    },
                    {
                        "name": "either",
                        "in": "query",
                        "required": n % 2 == 0,
                        "schema": either,
                    },
                ],
                "requestBody": {
                    "required": n % 2 == 1,
                    "content": {"application/json": {"schema": either}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"type": "array", "items": either},
                                        {"$ref": f"#/components/schemas/{other}"},
                                    ]
                                }
                            }
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Long names", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def test_long_names_skip_black_only_where_black_agrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one models module: the layouts of its long lines are under test (the
    # import lines of a split package, long here, go to black instead)
    monkeypatch.setattr(modelsplit, "SPLIT_AT", 10**9)
    out = _generate(_long_names_spec(), tmp_path)
    skipped = assert_black_clean(out)
    total = sum(
        len(t)
        for p, t in _py_files(out).items()
        if fmt.stable_path(p) and "/_runtime/" not in "/" + p
    )
    # the templates write black's layout of the long lines: most of the
    # modules skip black (without the layouts, next to none of them does)
    assert skipped > total * 9 // 10


def _black_agrees(source: str) -> bool:
    """Whether ``source`` either goes to black or is black's own output."""
    if not fmt.black_stable(source):
        return True
    return fmt.format_source(source) == source


def _field(name: str, t: ir.Type, default: str) -> ir.FieldDef:
    value = {"": None, "None": ir.DEFAULT_NONE, '"off"': ir.Default("off")}[default]
    return ir.FieldDef(name, name, t, value, None)


def test_layout_helpers_write_black_layout_at_every_length() -> None:
    stable = 0
    models = Layout(Printer("", "_FileInput"))
    resources = Layout(Printer("_m.", "_rt.FileInput"))
    shadowing = Layout(Printer("_m.", "_rt.FileInput").shadowing({"list"}))
    for length in range(20, 120, 3):
        name = _camel(length, length)
        atom = ir.Ref(_camel(length - 8, 1))
        union = ir.union(atom, ir.Ref(_camel(30, 2)), ir.NONE)
        for t in [
            ir.LiteralOf(("only",)),
            ir.LiteralOf(("a", "bb", "ccc")),
            ir.LiteralOf(tuple(name.split("a"))),
            ir.union(atom, ir.Ref(_camel(30, 3))),
            ir.ListOf(atom),
        ]:
            source = models.alias(name, t) + "\n"
            stable += fmt.black_stable(source)
            assert _black_agrees(source), source
        field_name = _camel(length // 4, 5).lower()
        for t, lay in [
            (atom, models),
            (union, models),
            (ir.nullable(ir.ListOf(atom)), models),
            (ir.ListOf(atom), models),
            (ir.ListOf(union), models),
            (ir.DictOf(ir.ListOf(atom)), models),
            (atom, resources),
        ]:
            for default in ["", "None", '"off"']:
                line = lay.field(_field(field_name, t, default), 4)
                source = f"class A:\n    {line}\n"
                stable += fmt.black_stable(source)
                assert _black_agrees(source), source
                line = lay.param(field_name, t, default, 8)
                source = (
                    "class A:\n    def f(\n        self,\n        *,\n"
                    f"        {line}\n    ) -> None:\n        pass\n"
                )
                stable += fmt.black_stable(source)
                assert _black_agrees(source), source
            nested = ir.ListOf(ir.nullable(ir.ListOf(t)))
            for value, out in [(t, lay), (ir.ListOf(t), shadowing), (nested, lay)]:
                source = (
                    "class A:\n    def f(\n        self,\n"
                    f"    {out.returns(value)}\n"
                    "        return f(\n"
                    f"            {out.item('', value, 12)}\n"
                    "            self._client.request(\n"
                    f"                {out.item('cast_to', value, 16)}\n"
                    f"                {out.item('body_type', value, 16)}\n"
                    f"                {out.cast(value, 16)}\n"
                    "            ),\n        )\n"
                )
                stable += fmt.black_stable(source)
                assert _black_agrees(source), source
    # most of the long lines get a layout that skips black
    assert stable > 600


def test_request_types_and_model_imports_write_black_layout_at_every_length() -> None:
    """params.py's classes and keys, and the imports of models, at every
    length: what skips black is black's own layout, and most of it does."""
    from generator.render import environment

    env = environment()
    refs = env.get_template("models_refs.jinja").module
    params = Layout(Printer("_m.", "_rt.FileInput", params=""))
    stable = 0
    for length in range(20, 130, 3):
        name = _camel(length, length)
        atom = ir.Ref(_camel(length - 6, 2))
        sources = []
        for t in [
            atom,
            ir.ListOf(atom),
            ir.union(atom, ir.Ref(_camel(30, 4)), ir.NONE),
        ]:
            for required in (True, False):
                key = ir.KeyDef(_camel(length // 3, 1).lower(), t, required, None)
                sources.append(
                    "class A(_t.TypedDict, total=False):\n"
                    f"    {params.key_line(key, 4)}\n"
                )
        sources.append(class_line(name, "_t.TypedDict, total=False") + "\n    pass\n")
        sources.append(class_line(name, "_BaseModel") + "\n    pass\n")
        home = {name: "_" + _camel(length // 2, 3).lower()}
        imports = "\n".join(modelsplit.import_lines([name], home, ".", {}))
        sources.append(imports + "\n")
        sources.append(
            "if _t.TYPE_CHECKING:\n"
            + refs.models_refs([(name, home[name])], ".._models.", "..")
        )
        for source in sources:
            stable += fmt.black_stable(source)
            assert _black_agrees(source), source
    assert stable > 200


def test_non_ascii_names_skip_black_only_where_black_agrees() -> None:
    """``fits`` counts a non-ASCII character as two columns (black counts
    Cyrillic as one): the new layouts leave such lines to black."""
    from generator.render import environment

    refs = environment().get_template("models_refs.jinja").module
    params = Layout(Printer("_m.", "_rt.FileInput", params=""))
    models = Layout(Printer("", "_FileInput"))
    for length in range(10, 70, 3):
        name = ("Счёт" * 20)[:length]
        atom = ir.Ref(name + "Б")
        key = ir.KeyDef(name.lower(), ir.ListOf(atom), False, None)
        field = _field(name.lower(), ir.ListOf(atom), "")
        for source in [
            class_line(name, "_t.TypedDict, total=False") + "\n    pass\n",
            "class A(_t.TypedDict, total=False):\n" f"    {params.key_line(key, 4)}\n",
            f"class A:\n    {models.field(field, 4)}\n",
            "if _t.TYPE_CHECKING:\n"
            + refs.models_refs([(name, "_x")], ".._models.", ".."),
        ]:
            assert _black_agrees(source), source


_long_refs = st.builds(
    lambda n, k: ir.Ref(_camel(n, k)), st.integers(8, 70), st.integers(0, 99)
)
_nested_types: st.SearchStrategy[ir.Type] = st.recursive(
    st.one_of(_long_refs, st.just(ir.STR), st.just(ir.NONE)),
    lambda inner: st.one_of(
        st.builds(ir.ListOf, inner),
        st.builds(ir.DictOf, inner),
        st.lists(inner, min_size=2, max_size=4).map(lambda ts: ir.union(*ts)),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(_nested_types, st.sampled_from(["SyncListPage", "AsyncListPage"]))
def test_signatures_of_nested_types_skip_black_only_where_black_agrees(
    t: ir.Type, flavour: str
) -> None:
    # a body typed dict[str, list[A | B]] | dict[...]; a list page of a
    # long union; the iterator of it (GitHub's events, Copilot's maps)
    lay = Layout(Printer("_m.", "_rt.FileInput"))
    page = lay._returns(lay.p.generic(f"_rt.{flavour}[", t))
    source = (
        "class A:\n    def f(\n        self,\n"
        f"        {lay.param('body', ir.union(t, ir.DictOf(t)), '', 8)}\n"
        f"    {page}\n        pass\n\n"
        "    def g(\n        self,\n"
        f"    {lay._returns(lay.p.generic('_t.Iterator[', t))}\n        pass\n"
    )
    assert _black_agrees(source), source


def test_black_stable_lets_unsplittable_long_lines_through() -> None:
    long = "x" * 90
    for line in [
        f'    "/{long}",',
        f"    cast_to=_m.{long},",
        f"        name: _m.{long} = None,",
        f"{long}: (",
        f'    "{long}": "._{long}",',
    ]:
        piece = f"f(\n{line}\n)\n" if line.startswith(" ") else line + "\n"
        assert fmt.black_stable(piece), line
    entry = f'x = f(\n    n,\n    {{\n        "{long}": "._{long}",\n    }},\n)\n'
    assert fmt.black_stable(entry) and fmt.format_source(entry) == entry
    for line in [
        f"    cast_to=_m.{long} | None,",
        f"    x = _m.{long},",
        f"    f(_m.{long}),",
        f'    "\\"{long}",',
        f"    name: _m.{long}",
    ]:
        assert not fmt.black_stable(f"f(\n{line}\n)\n"), line


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["[]", "()", "{}"]),
    st.lists(st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True), max_size=3),
    st.booleans(),
)
def test_a_loop_of_items_in_brackets_skips_black_only_where_black_agrees(
    brackets: str, items: list[str], nested: bool
) -> None:
    # a template's loop writes one item a line, and no line at all when the
    # list is empty: black joins such empty brackets (``__all__ = []``)
    opening, closing = brackets
    lead = "x = f(" if opening == "(" else f"x = {opening}"
    entry = '"{}": 1,' if opening == "{" else '"{}",'
    lines = [lead, *(f"    {entry.format(i)}" for i in items), closing]
    if nested:
        lines = ["if x:", *(f"    {line}" for line in lines)]
    assert _black_agrees("\n".join(lines) + "\n")
