"""A split ``models`` package (issue 17), forced on small specs: one call
loads only the model modules it reaches, every model stays reachable from
``models`` (import, attribute, ``dir``, star-import, pickle, forward
references), the modules are black-clean, and mypy --strict accepts a user
script and the whole package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, generate_package, shared

import generator.render.modelsplit as modelsplit
from generator import ir
from generator.builder import BuildSettings, build
from generator.diagnostics import Diagnostics
from generator.load import LoadOptions, load

CONSTRUCTS = REPO / "specs" / "constructs.yaml"


@pytest.fixture
def split_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modelsplit, "SPLIT_AT", 0)


def _split_package(spec: Path, tmp_path: Path) -> tuple[Path, str]:
    folder, package = generate_package(spec, tmp_path)
    assert (folder / package / "models" / "__init__.py").is_file()
    assert (folder / package / modelsplit.HOME / "__init__.py").is_file()
    assert not (folder / package / "models.py").exists()
    return folder, package


def _api_and_split(
    spec: Path, package: str
) -> tuple[ir.ApiModel, modelsplit.ModelSplit]:
    """The model the generator built for the package, and its split."""
    diags = Diagnostics()
    loaded = load(str(spec), diags, LoadOptions(validate=False))
    api = build(loaded.doc, BuildSettings(package=package), diags)
    return api, modelsplit.split_models(api)


def _reached(
    split: modelsplit.ModelSplit, api: ir.ApiModel, names: set[str]
) -> set[str]:
    """The modules Python loads for ``names``: theirs, and what they import."""
    edges = modelsplit.references(api)
    todo = list(names)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(edges[name])
    return {split.home[n] for n in seen}


_CALL = r"""
import json, sys, importlib
sys.path.insert(0, sys.argv[1])
import httpx
pkg = importlib.import_module(sys.argv[2])
body = json.loads(sys.argv[4])
def handler(request):
    return httpx.Response(200, json=body)
client = getattr(pkg, sys.argv[3])(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
result = client.accounts.list()
print(json.dumps({
    "type": type(result).__name__,
    "first": type(result.items[0]).__name__,
    "loaded": sorted(m.rpartition(".")[2] for m in sys.modules if m.startswith(sys.argv[2] + "._models.")),
}))
"""


def test_one_call_loads_only_the_model_modules_it_reaches(
    split_always: None, tmp_path: Path
) -> None:
    folder, package = _split_package(CONSTRUCTS, tmp_path)
    api, split = _api_and_split(CONSTRUCTS, package)
    (accounts,) = [r for r in api.resources if r.attr == "accounts"]
    op = next(op for op in accounts.operations if op.name == "list")
    used = {r.name for r in ir.refs(op.returns)}
    for _, t in op.error_types:
        used.update(r.name for r in ir.refs(t))
    expected = _reached(split, api, used)
    page = {"items": [{"id": 1, "name": "a"}], "count": 1}
    proc = subprocess.run(
        [sys.executable, "-c", _CALL, str(folder), package, api.client_name]
        + [json.dumps(page)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    # a page of the response model (the class that knows the next page)
    assert seen["type"] in ("AccountPage", "AccountsListPage"), seen
    assert seen["first"] == "Account"
    assert set(seen["loaded"]) == expected
    assert len(expected) < len(split.modules) // 4


_EVERY_NAME = r"""
import importlib, pickle, sys
sys.path.insert(0, sys.argv[1])
pkg = sys.argv[2]
models = importlib.import_module(pkg + ".models")
names = list(models.__all__)
assert sorted(dir(models)) == sorted(names), "dir() is __all__"
assert not [m for m in sys.modules if m.startswith(pkg + "._models.")], "nothing loaded yet"
for name in names:
    value = getattr(models, name)
    exec(f"from {pkg}.models import {name} as imported")
    assert imported is value
    if isinstance(value, type) and hasattr(value, "model_rebuild"):
        value.model_rebuild(force=True)  # every forward reference resolves
namespace = {}
exec(f"from {pkg}.models import *", namespace)
assert sorted(n for n in namespace if n != "__builtins__") == sorted(names)
node = models.TreeNode.model_validate({"label": "a", "children": [{"label": "b"}]})
again = pickle.loads(pickle.dumps(node))
assert again == node and type(again.children[0]) is models.TreeNode
ping = models.Ping.model_validate({"pong": {"ping": {"pong": None}}})
assert type(ping.pong.ping) is models.Ping  # a cycle across two schemas
assert models.Ping.__module__ == models.Pong.__module__
print(len(names))
"""


def test_every_model_is_reachable_from_models(
    split_always: None, tmp_path: Path
) -> None:
    folder, package = _split_package(CONSTRUCTS, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", _EVERY_NAME, str(folder), package],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    init = (folder / package / "models" / "__init__.py").read_text("utf-8")
    # and type checkers see them
    assert int(proc.stdout) == init.count(f"    from ..{modelsplit.HOME}._")


_USER_SCRIPT = """\
from {pkg} import {client}
from {pkg}.models import Account, AccountPage, TreeNode

client = {client}(api_key="k")
page: AccountPage = client.accounts.list()
accounts: list[Account] = page.items or []
tree = TreeNode(label="root", children=[TreeNode(label="leaf")])
print([a.name for a in accounts], tree.children)
"""


def test_mypy_strict_accepts_a_user_script_and_the_package(
    split_always: None, tmp_path: Path
) -> None:
    folder, package = _split_package(CONSTRUCTS, tmp_path)
    api, _ = _api_and_split(CONSTRUCTS, package)
    script = folder / "user_script.py"
    script.write_text(_USER_SCRIPT.format(pkg=package, client=api.client_name))
    mypy = Path(sys.executable).parent / "mypy"
    cache = str(tmp_path / "mypy-cache")
    for target in ("user_script.py", package):
        proc = subprocess.run(
            [str(mypy), "--strict", "--cache-dir", cache, target],
            capture_output=True,
            text=True,
            cwd=folder,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    # the types are the models', not Any: a wrong one is found
    script.write_text(
        script.read_text() + "wrong: str = page.total\nlabel: int = tree.label\n"
    )
    proc = subprocess.run(
        [str(mypy), "--strict", "--cache-dir", cache, "user_script.py"],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    assert proc.returncode == 1
    assert (
        proc.stdout.count("error: Incompatible types in assignment") == 2
    ), proc.stdout


def test_split_modules_are_black_clean(split_always: None, tmp_path: Path) -> None:
    from render.test_format import _long_names_spec, assert_black_clean

    spec = tmp_path / "long.json"
    spec.write_text(json.dumps(_long_names_spec()))
    folder, package = _split_package(spec, tmp_path)
    assert_black_clean(folder)


def test_a_mid_size_spec_splits_and_imports(split_always: None, tmp_path: Path) -> None:
    spec = shared("corpus", "shutterstock.com.json")
    folder, package = _split_package(spec, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", _EVERY_NAME.split("node = ")[0], str(folder), package],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_small_apis_keep_one_models_module(tmp_path: Path) -> None:
    folder, package = generate_package(CONSTRUCTS, tmp_path)
    assert (folder / package / "models.py").is_file()
    assert not (folder / package / "models").exists()
    assert not (folder / package / modelsplit.HOME).exists()


def _imported_modules(source: str) -> list[str]:
    """The modules ``source`` imports from, anywhere (``TYPE_CHECKING`` too)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.extend(a.name for a in node.names)
    return found


def test_type_checkers_reach_models_without_the_public_namespace(
    split_always: None, tmp_path: Path
) -> None:
    # a type checker reads a module's package first: were the model modules
    # under ``models/``, whose ``__init__`` imports every name for type
    # checkers, a script making one call would have every model analysed
    folder, package = _split_package(CONSTRUCTS, tmp_path)
    root = folder / package
    home = root / modelsplit.HOME
    assert _imported_modules((home / "__init__.py").read_text("utf-8")) == []
    readers = [root / "params.py", *sorted((root / "resources").glob("*.py"))]
    reached = 0
    for path in readers:
        for module in _imported_modules(path.read_text("utf-8")):
            assert not module.lstrip(".").startswith("models"), (path, module)
            reached += module.lstrip(".").startswith(modelsplit.HOME + ".")
    assert reached  # the resources do reach model modules, directly
    init = (root / "models" / "__init__.py").read_text("utf-8")
    assert {
        m for m in _imported_modules(init) if m.startswith(f"..{modelsplit.HOME}.")
    } == {
        f"..{modelsplit.HOME}.{p.stem}"
        for p in home.glob("_*.py")
        if p.name != "__init__.py"
    }
