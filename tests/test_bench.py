"""The benchmark script's measuring functions, once each on tiny inputs.

No duration is asserted: these tests only keep ``tests/sweep/bench.py``
working (and check the formatting shortcuts the benchmark relies on).
"""

from __future__ import annotations

import functools
import importlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, get_by_id

from generator.render import runtime_sources
from generator.render.format import (
    format_files,
    format_source,
    join_formatted,
    split_top_level,
)
from tests.sweep import bench

TINY: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Tiny", "version": "1"},
    "servers": [{"url": "https://tiny.example.com"}],
    "paths": {
        "/things/{id}": {
            "get": get_by_id("things.get", "Thing", summary="One thing"),
        },
        "/things": {
            "post": {
                "operationId": "things.create",
                "summary": "Make a thing",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Thing"}
                        }
                    }
                },
                "responses": {"201": {"description": "made"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            }
        }
    },
}


def test_measure_reports_cpu_memory_and_exit_code() -> None:
    run = bench.measure(
        [sys.executable, "-c", "x = bytearray(40_000_000); print('hi')"]
    )
    assert run.code == 0
    assert "hi" in run.output
    assert run.rss_max >= 35  # MB: the child's bytearray is seen
    assert run.cpu > 0 and run.wall > 0
    failing = bench.measure([sys.executable, "-c", "raise SystemExit(3)"])
    assert failing.code == 3
    with pytest.raises(RuntimeError):
        bench.checked(failing, "it")


def test_generation_rows_on_a_tiny_spec(tmp_path: Path) -> None:
    spec = tmp_path / "tiny.json"
    spec.write_text(json.dumps(TINY), "utf-8")
    runs = bench.unchanged(spec, tmp_path / "u", reps=1)
    assert [r.code for r in runs["check"]] == [0]
    assert [r.code for r in runs["generate"]] == [0]
    size, files = bench.tree_size(tmp_path / "u" / "tree")
    assert size > 0 and files > 3
    assert bench.package_dir(tmp_path / "u" / "tree").name == "tiny_client"
    assert bench.client_class(tmp_path / "u" / "tree") == "TinyClient"


def test_regeneration_row_on_a_tiny_spec(tmp_path: Path) -> None:
    spec = tmp_path / "tiny.json"
    spec.write_text(json.dumps(TINY), "utf-8")
    work = tmp_path / "regen"
    work.mkdir()
    result = bench.regen(spec, work)
    # the first operation in path order is POST /things, in resource "things"
    assert result.rendered_changed == ["tiny_client/resources/things.py"]
    assert result.formatted == 1
    assert "tiny_client/resources/things.py" in " ".join(result.written)


def test_sample_data_follows_the_schema() -> None:
    payloads = bench.onfact_payloads()
    listing = json.loads(payloads["list"])
    assert listing["count"] == 100 and len(listing["items"]) == 100
    assert [i["id"] for i in listing["items"][:3]] == [1, 2, 3]
    big = json.loads(payloads["invoice20"])
    assert len(big["invoice_lines"]) == 20
    assert isinstance(big["invoice_lines"][0], dict)


def test_runtime_drivers_on_the_committed_package(tmp_path: Path) -> None:
    out = tmp_path / "onfact"
    shutil.copytree(REPO / "generated" / "onfact", out)
    payloads = tmp_path / "payloads.json"
    payloads.write_text(
        json.dumps({k: v.decode() for k, v in bench.onfact_payloads().items()})
    )
    cls = bench.client_class(out)
    figures = bench.runtime_figures(
        bench.US_PY, bench._US_RUNTIME, out, payloads, 1, 1, cls
    )
    assert set(figures) == {"decode", "encode", "get", "bare", "exact"}
    assert all(v > 0 for v in figures.values())  # "exact": lines hold Decimals
    control = bench.runtime_figures(
        bench.US_PY, bench._US_RUNTIME, out, payloads, 1, 1, cls, "float"
    )
    assert control["exact"] == 0.0 and control["decode"] > 0
    times = bench.import_time(bench.US_PY, out, f"pkg.{cls}()", bench.US_PRELOAD, 1)
    assert len(times) == 1 and times[0] > 0


def test_peer_drivers(tmp_path: Path) -> None:
    if not (bench.PEER_BIN / "openapi-python-client").exists():
        pytest.skip("the peer is not installed (.venv-peer): run 'make bench'")
    spec = tmp_path / "tiny.json"
    spec.write_text(json.dumps(TINY), "utf-8")
    run = bench.checked(bench.peer_generate(spec, tmp_path / "peer"), "peer")
    assert run.rss_tree > 0
    assert bench.package_dir(tmp_path / "peer").name == "tiny_client"


MODULE = '''"""Doc."""

from __future__ import annotations

import typing as _t

X = 1


class A:
    """A."""

    def f(self, a: int, b: int, c: int, d: int, e: int, f: int, g: int, h: int) -> int:
        return a
TEXT = """
class NotAClass:
"""
# about B
class B(A): pass
@_t.final
class C(A):
    y: int = 1
class D(
    A,
):
    z = {'a': 1,
    'b': 2}
D.z['c'] = 3
'''


def test_split_formatting_equals_black_on_the_whole_file() -> None:
    pieces = split_top_level(MODULE)
    # cut before A, before D: not before B (comment) nor C (decorator)
    assert [p.split("\n", 1)[0] for p in pieces[1:]] == ["class A:", "class D("]
    assert join_formatted([format_source(p) for p in pieces]) == format_source(MODULE)
    assert split_top_level("def broken(:\n") == ["def broken(:\n"]


@functools.cache
def _onfact_raw() -> tuple[str, dict[str, str]]:
    """The package name and the unformatted files of onFact's client, its
    models in one module."""
    from generator.builder import build
    from generator.config import Target
    from generator.diagnostics import Diagnostics
    from generator.load import LoadOptions, load
    from generator.render import render

    spec = str(REPO / "specs" / "onfact.yaml")
    diags = Diagnostics()
    loaded = load(spec, diags, LoadOptions(validate=False))
    api = build(loaded.doc, Target(spec=spec).settings, diags)
    return api.package, render(api, split_at=10**9)


def test_split_formatting_on_generated_models(tmp_path: Path) -> None:
    package, raw = _onfact_raw()
    models = raw[f"{package}/models.py"]
    models = models[: models.index("\nclass ", 40_000)]  # 40 kB are enough
    pieces = split_top_level(models)
    assert len(pieces) > 10
    assert join_formatted([format_source(p) for p in pieces]) == format_source(models)


def test_runtime_files_are_black_stable_with_their_header() -> None:
    head = "# Generated by clientgen from spec.yaml. Do not edit: regenerate instead."
    for name, text in runtime_sources().items():
        rendered = f"{head}\n{text}"
        assert format_source(rendered) == rendered, name
    files = {"pkg/_runtime/x.py": "x  =  1\n", "pkg/y.py": "y  =  1\n"}
    out, keys = format_files(files, jobs=1)
    assert out == {"pkg/_runtime/x.py": "x  =  1\n", "pkg/y.py": "y = 1\n"}
    assert set(keys) == set(files)


def test_single_pass_formatting_equals_black_format_str() -> None:
    import black

    from generator.render.format import _black

    package, raw = _onfact_raw()
    pieces = split_top_level(raw[f"{package}/models.py"])[:12]
    pieces += split_top_level(raw[f"{package}/resources/invoices.py"])
    pieces += split_top_level(raw[f"{package}/_client.py"])
    mode = _black()[1]
    changed = 0
    for piece in pieces:
        once = format_source(piece)
        changed += once != piece
        assert once == black.format_str(piece, mode=mode)
    assert changed  # some renders (the client module) still need black


def test_prefect_rows_skip_without_the_e2e_venv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGEN_E2E_VENVS", str(tmp_path / "none"))
    assert bench.prefect_venv().parent == tmp_path / "none"
    assert bench.prefect_description(tmp_path / "prefect.json") is None
    assert "Prefect rows skipped" in capsys.readouterr().out
    assert not (tmp_path / "prefect.json").exists()


def test_no_spec_is_too_big_to_validate() -> None:
    from generator.diagnostics import Diagnostics

    v = importlib.import_module("generator.load.validate")
    assert not hasattr(v, "AUTO_LIMIT")
    huge = json.loads(json.dumps(TINY))
    huge["info"]["description"] = "x" * 3_000_000
    huge["paths"]["/things"]["post"]["responses"] = "nope"
    diags = Diagnostics()
    result = v.validate(huge, "3.0", diags)
    assert result.findings[0][:2] == ("spec-invalid", "'nope' is not of type 'object'")
    assert len(list(diags)) == len(result.findings)


def test_validation_findings_are_recorded_and_replayed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.diagnostics import Diagnostics

    v = importlib.import_module("generator.load.validate")
    from generator.write import Manifest, manifest_text

    broken = json.loads(json.dumps(TINY))
    broken["paths"]["/things"]["post"]["responses"] = "nope"
    diags = Diagnostics()
    result = v.validate(broken, "3.0", diags)
    assert result is not None and result.findings
    assert result.findings[0][0] == "spec-invalid"
    assert [(d.code, d.message) for d in diags] == [f[:2] for f in result.findings]
    # the manifest keeps the result ...
    (tmp_path / ".clientgen-manifest.json").write_text(
        manifest_text({"a.py": "x = 1\n"}, {"a.py": "k"}, "spec", result)
    )
    manifest = Manifest.read(tmp_path)
    assert manifest is not None and manifest.validation == result

    # ... and the same document replays it without running the validator
    def boom(doc: Any, version: str) -> list[tuple[str, str, str]]:
        raise AssertionError("the validator ran")

    monkeypatch.setattr(v, "_run_validator", boom)
    again = Diagnostics()
    assert v.validate(broken, "3.0", again, known=manifest.validation) == result
    assert list(again) == list(diags)
    # a changed document is validated again
    with pytest.raises(AssertionError, match="validator ran"):
        v.validate(TINY, "3.0", Diagnostics(), known=manifest.validation)


def test_user_rows_measure_a_first_call_and_the_type_checkers(tmp_path: Path) -> None:
    from tests.sweep import bench_user

    out = tmp_path / "onfact"
    shutil.copytree(REPO / "generated" / "onfact", out)
    payload = bench_user.onfact_invoice(bench.ONFACT)
    (run,) = bench_user.first_call(
        bench.US_PY,
        out,
        "onfact",
        bench_user.US_CALLS["onFact"].format(client="OnFact"),
        bench.US_PRELOAD,
        payload,
        1,
    )
    assert run.result_type == "Invoice" and run.seconds > 0
    # the models package and the modules of Invoice and the error body
    assert 2 < run.model_modules < 10
    script = bench_user.US_SCRIPTS["onFact"].format(pkg="onfact", client="OnFact")
    tools = Path(bench.US_PY).parent
    checked = bench_user.mypy_cold(bench.US_PY, str(tools / "mypy"), out, script)
    assert checked.code == 0, checked.output
    checked = bench_user.pyright_run(str(tools / "pyright"), bench.US_PY, out, script)
    assert checked.code == 0, checked.output
    bad = script.replace("print(invoice.id)", "x: str = invoice.id")
    checked = bench_user.mypy_cold(bench.US_PY, str(tools / "mypy"), out, bad)
    assert checked.code == 1 and "Incompatible types" in checked.output
