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

from generator.render import format as fmt
from generator.render import split_items, wrap, wrap_expr
from tests.helpers import REPO, generate_package, shared


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


def test_committed_package_passes_black_check() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "-q", "generated/onfact"],
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


def test_split_items() -> None:
    assert split_items('"a, b", (1, 2), x[3, 4]') == ['"a, b"', "(1, 2)", "x[3, 4]"]
    assert split_items("'it\\'s, ok', 2") == ["'it\\'s, ok'", "2"]
    assert split_items("(1, 2") is None
    assert split_items('"""x"""') is None
    assert split_items("a,, b") is None


def test_wrap_explodes_only_when_too_long() -> None:
    assert wrap("f(", ["a", "b"], ")", 4) == "f(a, b)"
    long = ["x" * 40, "y" * 40]
    assert (
        wrap("f(", long, ")", 4) == f"f(\n        {long[0]},\n        {long[1]},\n    )"
    )
    one = '"' + "a" * 90 + '"'
    # a one-item subscript keeps one line: its trailing comma is not magic
    assert wrap_expr("X = ", f"_t.Literal[{one}]", 0) == f"X = _t.Literal[{one}]"
    assert wrap_expr("X = ", f"_t.Literal[{one}] | None", 0) == (
        f"X = _t.Literal[{one}] | None"
    )
    exploded = wrap_expr("X = ", f"_t.Literal[{one}, {one}]", 0)
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
