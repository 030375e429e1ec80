"""A bug in clientgen: ``error[internal]`` at the spec element, exit 3, nothing written.

Two ways a bug shows: an exception escaping a stage (here a builder made to
fail), and a generated module that does not compile (here a copy of the
templates made to write invalid Python, both where black would catch it and
where black is skipped). Either way the user sees one located diagnostic
asking for a report, no traceback (``--debug`` adds it), and the output
folder is left as it was.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import generator.render
from generator.builder.operations import OperationBuilder
from generator.builder.schemas import TypeBuilder
from generator.cli import EXIT_BUG, main
from generator.diagnostics import (
    REPORT_BUG,
    Diagnostics,
    bug,
    element,
    pointer_of,
)
from generator.fingerprint import templates_dir
from generator.render.format import (
    UncompilableModule,
    check_compiles,
    format_files,
)


def _json_op(op_id: str, ref: str | None = None) -> dict[str, Any]:
    content = (
        {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
        if ref
        else None
    )
    response: dict[str, Any] = {"description": "ok"}
    if content:
        response["content"] = content
    return {"operationId": op_id, "tags": ["pets"], "responses": {"200": response}}


ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets": {
            "get": _json_op("listPets", "Pet"),
            "post": _json_op("createPet", "Pet"),
        },
        "/pets/{id}": {
            "parameters": [ID],
            "get": _json_op("getPet", "Pet"),
            "delete": _json_op("deletePet"),
        },
        "/owners": {"get": {**_json_op("listOwners", "Owner"), "tags": ["owners"]}},
    },
    "components": {
        "schemas": {
            "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Owner": {"type": "object", "properties": {"id": {"type": "integer"}}},
            # used by no operation: built by the schema loop, not an operation's
            "Tag": {"type": "object", "properties": {"label": {"type": "string"}}},
            "Color": {"type": "string", "enum": ["red", "green"]},
        }
    },
}
#: every operation of SPEC: (its operationId, path, method, pointer)
OPERATIONS = [
    (
        op["operationId"],
        path,
        method,
        "/paths/" + path.replace("/", "~1") + "/" + method,
    )
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method != "parameters"
]


def _spec(tmp_path: Path) -> Path:
    path = tmp_path / "pets.json"
    path.write_text(json.dumps(SPEC, indent=1), "utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--no-cache", "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _assert_bug_report(code: int, err: str, pointer: str) -> None:
    assert code == EXIT_BUG == 3, err
    internal = [line for line in err.splitlines() if "error[internal]" in line]
    assert len(internal) == 1, err
    assert internal[0].endswith(f"(at #{pointer})"), internal[0]
    assert REPORT_BUG in internal[0]
    assert "Traceback" not in err


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- an exception escaping the builder ---------------------------------------------


@pytest.mark.parametrize(("op_id", "path", "method", "pointer"), OPERATIONS)
def test_an_exception_building_an_operation_names_that_operation(
    op_id: str,
    path: str,
    method: str,
    pointer: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = OperationBuilder._operation

    def failing(
        self: OperationBuilder, resource: str, name: str, r: Any, ns: Any
    ) -> Any:
        if r.op.get("operationId") == op_id:
            raise KeyError("boom")
        return real(self, resource, name, r, ns)

    monkeypatch.setattr(OperationBuilder, "_operation", failing)
    out = tmp_path / "out"
    code, _, err = _run(capsys, "generate", str(_spec(tmp_path)), "-o", str(out))
    _assert_bug_report(code, err, pointer)
    assert "KeyError: 'boom'" in err
    # located in the spec like any diagnostic: file and line of the operation
    assert err.splitlines()[-1].startswith("pets.json:")
    assert not out.exists()


@pytest.mark.parametrize("schema", ["Tag", "Color"])
def test_an_exception_building_a_schema_names_that_schema(
    schema: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = TypeBuilder.named

    def failing(self: TypeBuilder, key: str) -> str:
        if key == schema:
            raise RuntimeError("no such luck\nsecond line")
        return real(self, key)

    monkeypatch.setattr(TypeBuilder, "named", failing)
    code, _, err = _run(
        capsys, "check", str(_spec(tmp_path)), "-o", str(tmp_path / "o")
    )
    _assert_bug_report(code, err, f"/components/schemas/{schema}")
    assert "RuntimeError: no such luck" in err
    assert "second line" not in err  # one line


def test_a_bug_leaves_the_previous_package_as_it_was(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = _spec(tmp_path)
    out = tmp_path / "out"
    assert _run(capsys, "generate", str(spec), "-o", str(out))[0] == 0
    before = _tree(out)

    def failing(*_args: Any) -> Any:
        raise ValueError("render is broken")

    monkeypatch.setattr("generator.pipeline.render", failing)
    code, _, err = _run(capsys, "generate", str(spec), "-o", str(out), "--full")
    _assert_bug_report(code, err, "")
    assert _tree(out) == before


def test_debug_adds_the_traceback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(*_args: Any) -> Any:
        raise ZeroDivisionError("deep inside")

    monkeypatch.setattr("generator.builder.operations.derived_name", failing)
    spec = dict(SPEC)
    spec["paths"] = {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(spec), "utf-8")
    args = ("generate", str(path), "-o", str(tmp_path / "out"))
    code, _, err = _run(capsys, *args)
    _assert_bug_report(code, err, "/paths/~1pets/get")
    code, _, err = _run(capsys, *args, "--debug")
    assert code == EXIT_BUG
    assert "Traceback (most recent call last)" in err
    assert "ZeroDivisionError: deep inside" in err
    assert "while generating #/paths/~1pets/get" in err
    assert not (tmp_path / "out").exists()


def test_a_bug_in_json_format(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("generator.pipeline.surface_of", lambda api: 1 / 0)
    code, out, err = _run(
        capsys,
        "generate",
        str(_spec(tmp_path)),
        "-o",
        str(tmp_path / "o"),
        "--format",
        "json",
    )
    assert code == EXIT_BUG
    assert "Traceback" not in err
    internal = [d for d in json.loads(out) if d["code"] == "internal"]
    assert len(internal) == 1 and internal[0]["level"] == "error"
    assert "ZeroDivisionError" in internal[0]["message"]


def test_a_bug_outside_the_pipeline_is_reported_too(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(*_args: Any, **_kwargs: Any) -> Any:
        raise AttributeError("loader bug")

    monkeypatch.setattr("generator.load.bundle.bundle", failing)
    spec = str(_spec(tmp_path))
    for args in (["generate", spec, "-o", str(tmp_path / "o")], ["validate", spec]):
        code = main(args)
        err = capsys.readouterr().err
        assert code == EXIT_BUG, err
        assert "error[internal]" in err and "AttributeError: loader bug" in err
        assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


# -- a template writing invalid Python ---------------------------------------------


def _broken_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, anchor: str, inject: str
) -> None:
    """Render from a copy of the templates where ``inject`` follows ``anchor``."""
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    template = copy / name
    text = template.read_text("utf-8")
    assert text.count(anchor) == 1, anchor
    template.write_text(text.replace(anchor, anchor + inject), "utf-8")
    monkeypatch.setattr(generator.render, "templates_dir", lambda: copy)


#: Lines that are not Python, in a method body: black parses the first
#: (so only compile() sees it), the second and third black skips (they look
#: like black's own layout), the last only black sees first.
_METHOD_LINES = [
    "        def _inner(a, a): pass\n",
    "        x: list[str | int] | bool] | None = None\n",
    "        return = 1\n",
    "        x = ( 1,\n",
]
_MODEL_LINES = [
    "    v: list[str | int] | bool] | None = None\n",
    "    def f(self, a, a): pass\n",
    "    w: int = [ 1\n",
]


@pytest.mark.parametrize(
    ("op_id", "path", "method", "pointer", "line"),
    [(*op, line) for op, line in zip(OPERATIONS, itertools.cycle(_METHOD_LINES))],
)
def test_a_resource_module_that_does_not_compile_names_the_operation(
    op_id: str,
    path: str,
    method: str,
    pointer: str,
    line: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    test = f"op.http_method == {method.upper()!r} and op.path == {path!r}"
    _broken_templates(
        tmp_path,
        monkeypatch,
        "resource.py.jinja",
        "{{ warn_deprecated(op) -}}\n",
        f"{{% if {test} %}}{line}{{% endif %}}\n",
    )
    out = tmp_path / "out"
    code, _, err = _run(capsys, "generate", str(_spec(tmp_path)), "-o", str(out))
    _assert_bug_report(code, err, pointer)
    assert "does not compile" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("schema", "line"), list(zip(["Pet", "Owner", "Tag"], _MODEL_LINES, strict=True))
)
def test_a_model_that_does_not_compile_names_the_schema(
    schema: str,
    line: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _broken_templates(
        tmp_path,
        monkeypatch,
        "models.py.jinja",
        "{% for f in m.response_fields %}\n",
        f"{{% if m.name == {schema!r} %}}{line}{{% endif %}}\n",
    )
    out = tmp_path / "out"
    code, _, err = _run(capsys, "generate", str(_spec(tmp_path)), "-o", str(out))
    _assert_bug_report(code, err, f"/components/schemas/{schema}")
    assert "/models.py does not compile" in err
    code, _, err = _run(
        capsys, "check", str(_spec(tmp_path)), "-o", str(out), "--debug"
    )
    assert code == EXIT_BUG
    assert "SyntaxError" in err and "Traceback" in err
    assert not out.exists()


# -- the pieces ----------------------------------------------------------------------


def test_the_innermost_element_wins() -> None:
    with (
        pytest.raises(KeyError) as info,
        element("/paths/~1a/get"),
        element("/components/schemas/A"),
    ):
        raise KeyError("x")
    assert pointer_of(info.value) == "/components/schemas/A"
    assert info.value.__notes__ == ["while generating #/components/schemas/A"]
    err = bug(Diagnostics(), info.value)
    assert err.__cause__ is info.value
    (diag,) = list(err.diagnostics)
    assert (diag.level, diag.code, diag.pointer) == (
        "error",
        "internal",
        "/components/schemas/A",
    )


def test_a_pointer_survives_a_wrapping_exception() -> None:
    with pytest.raises(TypeError) as info:
        try:
            with element("/x"):
                raise ValueError("inner")
        except ValueError as exc:
            raise TypeError("outer") from exc
    assert pointer_of(info.value) == "/x"
    assert pointer_of(ValueError()) is None


@pytest.mark.parametrize(
    "text",
    [
        "def f(a, a):\n    pass\n",
        "return 1\n",
        "x = (\n",
        "nonlocal x\n",
        "x = 1\0\n",
        "def f():\n    yield = 1\n",
        "class A:\n  x = 1\n y = 2\n",
    ],
)
def test_check_compiles_refuses_what_the_compiler_refuses(text: str) -> None:
    with pytest.raises(UncompilableModule) as info:
        check_compiles("pkg/m.py", text)
    assert info.value.path == "pkg/m.py" and info.value.text == text


def test_format_files_compiles_copied_and_skipped_modules(tmp_path: Path) -> None:
    broken = "x: list[int]] = 1\n"  # black-stable layout: black never sees it
    for path in ("pkg/_runtime/_x.py", "pkg/models.py"):
        with pytest.raises(UncompilableModule) as info:
            format_files({path: broken}, jobs=1)
        assert info.value.path == path and info.value.line == 1


def test_only_compiled_modules_enter_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import format as fmt

    cache = fmt.FormatCache(tmp_path / "cache")
    monkeypatch.setattr(fmt, "format_source", lambda text: "def f(a, a): pass\n")
    with pytest.raises(UncompilableModule):
        format_files({"pkg/_client.py": "x = 1\n"}, cache=cache, jobs=1)
    assert not (tmp_path / "cache").exists()
    assert fmt.FORMAT_KEY.endswith("-compiled")


def test_copied_modules_are_compiled_once_then_cached(tmp_path: Path) -> None:
    from generator.render import format as fmt

    cache = fmt.FormatCache(tmp_path / "cache")
    good, bad = "x = 1\n", "x = (\n"
    assert format_files({"pkg/_runtime/_a.py": good}, cache=cache, jobs=1)[0] == {
        "pkg/_runtime/_a.py": good
    }
    assert cache.get(fmt.digest(good)) == good
    with pytest.raises(UncompilableModule):
        format_files({"pkg/_runtime/_b.py": bad}, cache=cache, jobs=1)
    assert cache.get(fmt.digest(bad)) is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_pieces_are_compiled_wherever_they_are_formatted(
    jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pieces compile one by one (on worker processes with ``jobs`` > 1);
    the error still names the line in the whole file."""
    from generator.render import format as fmt

    monkeypatch.setattr(fmt, "PARALLEL_AT", 1000)  # share even this little work
    # "( n )": not black's layout, so every piece goes through black
    classes = [f"class M{i}:\n    x: int = ( {i} )\n" for i in range(60)]
    good = "from __future__ import annotations\n\n\n" + "\n\n".join(classes)
    files, _ = format_files({"pkg/models.py": good}, jobs=jobs)
    assert files["pkg/models.py"] == fmt.format_source(good)
    # black takes it; the compiler does not (a worker's compile finds it)
    classes[25] = "class M25:\n    def f(self, a, a):\n        return ( 1 )\n"
    bad = "from __future__ import annotations\n\n\n" + "\n\n".join(classes)
    with pytest.raises(UncompilableModule) as info:
        format_files({"pkg/models.py": bad}, jobs=jobs)
    assert info.value.line is not None
    lines = info.value.text.splitlines()
    assert lines[info.value.line - 1].strip() == "def f(self, a, a):"
    # a small module among them, not cut in pieces, compiled after black
    small = "def f(a, a):\n    return ( 1 )\n"
    with pytest.raises(UncompilableModule) as info:
        format_files({"pkg/models.py": good, "pkg/_client.py": small}, jobs=jobs)
    assert (info.value.path, info.value.line) == ("pkg/_client.py", 1)
