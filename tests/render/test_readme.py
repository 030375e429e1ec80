"""The package README: a quickstart that is Python for any security set-up,
and a target's cookbook (``cookbook:`` in the configuration) in its place."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.builder import build
from generator.cli import main
from generator.config import Target
from generator.diagnostics import Diagnostics
from generator.fingerprint import inputs_key
from generator.render import render
from generator.settings import BuildSettings

SCHEMES: dict[str, tuple[dict[str, Any], int]] = {
    # name → (security scheme, how many credentials it needs)
    "key": ({"type": "apiKey", "in": "header", "name": "X-Key"}, 1),
    "query_key": ({"type": "apiKey", "in": "query", "name": "key"}, 1),
    "basic": ({"type": "http", "scheme": "basic"}, 2),
    "bearer": ({"type": "http", "scheme": "bearer"}, 1),
    "password": (
        {
            "type": "oauth2",
            "flows": {"password": {"tokenUrl": "/token", "scopes": {}}},
        },
        2,
    ),
    "machine": (
        {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}},
        },
        2,
    ),
}


def spec(security: list[list[str]]) -> dict[str, Any]:
    """One listing and one fetch by id, under ``security``."""
    used = sorted({name for requirement in security for name in requirement})
    thing = {"type": "object", "properties": {"id": {"type": "integer"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "servers": [{"url": "https://things.example/v1"}],
        "security": [{name: [] for name in r} for r in security],
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": thing}},
                        }
                    },
                }
            }
        },
        "components": {"securitySchemes": {n: SCHEMES[n][0] for n in used}},
    }


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", markdown, re.M | re.S)


requirements = st.lists(
    st.lists(st.sampled_from(sorted(SCHEMES)), min_size=1, max_size=3, unique=True),
    max_size=3,
)


@settings(max_examples=15, deadline=None)
@given(security=requirements)
def test_the_quickstart_is_python_and_names_what_the_first_requirement_needs(
    security: list[list[str]],
) -> None:
    diags = Diagnostics()
    api = build(spec(security), BuildSettings(package="things"), diags)
    assert not diags.has_errors, list(diags)
    readme = render(api)["README.md"]
    blocks = python_blocks(readme)
    assert readme.count("```python") == len(blocks)
    for block in blocks:
        ast.parse(block)
    assert ", )" not in blocks[0]  # written as a person writes it
    quickstart = ast.parse(blocks[0])
    (call,) = [
        node.value
        for node in quickstart.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) == api.client_name
    ]
    assert not call.args
    keywords = [k.arg for k in call.keywords]
    known = {c.name for c in api.credentials}
    assert len(set(keywords)) == len(keywords) and set(keywords) <= known
    # at most what the schemes need (two schemes may share a credential)
    needed = sum(SCHEMES[name][1] for name in security[0]) if security else 0
    assert 0 < len(keywords) <= needed if security else not keywords
    if security and len(security[0]) == 1:
        assert len(keywords) == needed
    assert "result = client.things.get(1)" in blocks[0]


def golden_readmes() -> list[tuple[Path, str, str]]:
    """(package folder, import name, client class) of every committed package."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    return [
        (REPO / t["output"], t["package"], t["client_name"])
        for t in config["tool"]["clientgen"]["targets"]
    ]


@pytest.mark.parametrize(
    ("folder", "package", "client"), golden_readmes(), ids=lambda v: str(v)[-20:]
)
def test_golden_readme_blocks_pass_mypy_strict(
    folder: Path, package: str, client: str, tmp_path: Path
) -> None:
    """Every block, as the body of a function given the ``client`` the
    README starts from, in one module: ``mypy --strict`` finds nothing."""
    readme = (folder / "README.md").read_text("utf-8")
    blocks = python_blocks(readme)
    assert blocks and readme.count("```python") == len(blocks)
    assert ", )" not in readme
    parts = [f"from {package} import {client}\n"]
    for i, block in enumerate(blocks):
        body = textwrap.indent(block, "    ")
        parts.append(f"\n\ndef block_{i}(client: {client}) -> None:\n{body}")
    module = tmp_path / "readme_blocks.py"
    module.write_text("".join(parts), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
        + ["--cache-dir", "/dev/null", "--show-error-codes", str(module)],
        cwd=tmp_path,
        env={"MYPYPATH": str(folder), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


COOKBOOK = """Recipes for things.

### Fetch a thing

```python
thing = client.things.get(1)
```
"""


def _generate(tmp_path: Path, **config: Any) -> tuple[int, Path]:
    (tmp_path / "spec.json").write_text(json.dumps(spec([["key"]])), "utf-8")
    cfg = tmp_path / "clientgen.yaml"
    cfg.write_text(json.dumps({"package": "things", **config}), "utf-8")
    out = tmp_path / "out"
    code = main(
        ["generate", str(tmp_path / "spec.json"), "-o", str(out)]
        + ["--config", str(cfg), "-q", "--jobs", "1"]
    )
    return code, out


def test_a_cookbook_replaces_the_quickstart(tmp_path: Path) -> None:
    (tmp_path / "recipes.md").write_text(COOKBOOK, "utf-8")
    code, out = _generate(tmp_path, cookbook="recipes.md")
    assert code == 0
    readme = (out / "README.md").read_text("utf-8")
    assert "## Cookbook\n\nRecipes for things.\n\n### Fetch a thing\n" in readme
    assert "## Quickstart" not in readme
    assert readme.index("## Cookbook") < readme.index("## Credentials and servers")

    code, out = _generate(tmp_path)
    assert code == 0
    readme = (out / "README.md").read_text("utf-8")
    assert "## Quickstart" in readme and "## Cookbook" not in readme


def test_a_cookbook_that_cannot_be_read_is_an_error(
    tmp_path: Path, capsys: Any
) -> None:
    code, out = _generate(tmp_path, cookbook="missing.md")
    assert code == 2 and not out.exists()
    assert "missing.md" in capsys.readouterr().err


def test_a_recipe_that_is_not_python_is_located(tmp_path: Path, capsys: Any) -> None:
    broken = COOKBOOK + "\n```python\nok = 1\nclient.things.get(1\n```\n"
    (tmp_path / "recipes.md").write_text(broken, "utf-8")
    code, _out = _generate(tmp_path, cookbook="recipes.md")
    assert code == 2
    err = capsys.readouterr().err
    line = broken.splitlines().index("client.things.get(1") + 1
    assert f"recipes.md:{line}:" in err and "cookbook-invalid" in err


def test_a_cookbook_url_is_refused(tmp_path: Path, capsys: Any) -> None:
    code, _out = _generate(tmp_path, cookbook="https://example.com/recipes.md")
    assert code == 2
    err = capsys.readouterr().err
    assert "config-invalid" in err and "/cookbook" in err


def test_the_fingerprint_follows_the_cookbook(tmp_path: Path) -> None:
    recipes = tmp_path / "recipes.md"
    recipes.write_text(COOKBOOK, "utf-8")
    target = Target(spec=str(tmp_path / "spec.json"), cookbook=str(recipes))
    before = inputs_key(target, "{}")
    recipes.write_text(COOKBOOK + "\nMore.\n", "utf-8")
    after = inputs_key(target, "{}")
    assert before is not None and after is not None and before != after
    moved = tmp_path / "elsewhere.md"
    moved.write_text(recipes.read_text("utf-8"), "utf-8")
    target.cookbook = str(moved)
    assert inputs_key(target, "{}") == after  # where it lives does not matter
