"""The pipeline runs once per target and reads the previous run in one place.

The package name (hence the default folder) is decided from the loaded spec
before building, by the same function the builder uses; the previous
package is read once, into :class:`generator.past.PreviousRun`, and its
parts reach load (validation), build (pins), evolve (record, changelog) and
format (reuse).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.pipeline
from generator.builder import BuildSettings, build
from generator.cli import main
from generator.diagnostics import Diagnostics
from generator.package import output_folder, package_name
from generator.past import CHANGELOG, RECORD, PreviousRun
from generator.render import format as fmt
from generator.write import MANIFEST

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pet Shop", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Pet"}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {"type": "object", "properties": {"name": {"type": "string"}}}
        }
    },
}


def _counting(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, calls: list[str]
) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Calls of each stage, and of every reader of the output folder."""
    calls: list[str] = []
    for name in ("load", "build", "render", "format_files", "evolve"):
        _counting(monkeypatch, generator.pipeline, name, calls)
    import generator.past as past

    for name in ("read_record", "_project_version", "_read_text"):
        _counting(monkeypatch, past, name, calls)
    _counting(monkeypatch, past.Manifest, "read", calls)
    return calls


def test_generate_without_output_runs_the_pipeline_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counts: list[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    monkeypatch.chdir(tmp_path)
    for run in range(2):  # the first run, then a regeneration over it
        counts.clear()
        assert main(["generate", str(spec), "-q", "--no-cache", "--jobs", "1"]) == 0
        stages = ["load", "build", "evolve", "render", "format_files"]
        assert sorted(c for c in counts if c in stages) == sorted(stages)
        # the manifest and the record once; CHANGELOG.md and pyproject.toml
        # at most once (read when evolve asks for them)
        readers = sorted(c for c in counts if c not in stages)
        assert readers.count("read") == readers.count("read_record") == 1
        assert readers.count("_project_version") <= 1, f"run {run}: {counts}"
        assert readers.count("_read_text") <= 2, f"run {run}: {counts}"
    out = tmp_path / "pet-shop-client"
    assert (out / MANIFEST).is_file()
    assert (out / "pet_shop_client" / "models.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pet-shop-client",
        "spec.json",
    ]


def test_regeneration_without_output_uses_the_past_of_the_default_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run reuses every formatted file of the first (no black at all),
    so it read the manifest of the folder it writes."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["generate", str(spec), "-q", "--no-cache", "--jobs", "1"]
    assert main(args) == 0
    formatted: list[str] = []
    monkeypatch.setattr(fmt, "format_source", lambda text: formatted.append(text))
    assert main([*args, "--full"]) == 0
    assert formatted == []


def test_a_configured_package_names_the_folder_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counts: list[str]
) -> None:
    """With ``package`` configured the folder is known at once: an unchanged
    package is replayed from its manifest without loading the spec."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    config = tmp_path / "clientgen.yaml"
    config.write_text(json.dumps({"spec": str(spec), "package": "shop"}), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q", "--jobs", "1"]) == 0
    assert (tmp_path / "shop" / "shop" / "_client.py").is_file()
    counts.clear()
    assert main(["check", "-q"]) == 0
    assert "load" not in counts and "build" not in counts
    assert counts.count("read") == 1  # the manifest, once


def test_previous_run_parts(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    out = tmp_path / "out"
    empty = PreviousRun.read(out)
    assert (empty.manifest, empty.record, empty.changelog) == (None, None, None)
    assert (empty.validation, empty.pins, empty.version) == (None, (), None)
    assert empty.reuse("x.py", "k") is None and not empty.untouched()
    assert main(["generate", str(spec), "-o", str(out), "-q", "--jobs", "1"]) == 0
    past = PreviousRun.read(out)
    assert past.manifest is not None and past.record is not None
    assert past.version == past.package_version == "0.1.0"
    assert past.changelog == (out / CHANGELOG).read_text("utf-8")
    assert ("models", "Pet", "Pet") in past.pins
    assert past.validation is not None  # validated: replayed next time
    assert past.untouched()
    path, (key, _) = next(iter(past.manifest.entries.items()))
    assert past.reuse(path, key) == (out / path).read_text("utf-8")
    assert past.reuse(path, key + "0") is None
    (out / path).write_text("edited", "utf-8")
    assert past.reuse(path, key) is None and not PreviousRun.read(out).untouched()
    (out / RECORD).write_text("{not json", "utf-8")
    assert PreviousRun.read(out).record is None


def test_output_folder() -> None:
    from generator.config import Target

    target = Target(spec="s.json")
    assert output_folder(target) is None  # needs the title
    assert output_folder(target, SPEC) == Path.cwd() / "pet-shop-client"
    target.settings.package = "my_pkg"
    assert output_folder(target) == Path.cwd() / "my-pkg"
    target.output = "elsewhere"
    assert output_folder(target) == Path("elsewhere")


_TITLE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "API", "del", "class", "3D Printer", "Über API", "---"]),
    st.integers(),
    st.none(),
)


@settings(max_examples=60, deadline=None)
@given(title=_TITLE, configured=st.one_of(st.none(), st.just(""), _TITLE.map(str)))
def test_package_name_is_the_builders(title: object, configured: str | None) -> None:
    """The folder is decided before building: it must be the name the model gets."""
    doc: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": title}, "paths": {}}
    api = build(doc, BuildSettings(package=configured), Diagnostics())
    assert package_name(configured, doc) == api.package
    assert api.package.isidentifier()
