"""Where file ``$ref``s may reach by default (issue 16): anywhere in the
repository that holds the description (Stoplight Studio's ``reference/`` and
``models/`` layout), anywhere relative outside a repository, never past a
configured ``ref_root`` or the repository, and never to an absolute path
outside the spec's folder unless told."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import shared
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostics, SpecError
from generator.load import LoadOptions, load
from generator.load.bundle import repository_of

INVOICE = {"type": "object", "properties": {"id": {"type": "integer"}}}


def _api(ref: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Invoices", "version": "1"},
        "paths": {
            "/invoices": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": ref}}},
                        }
                    }
                }
            }
        },
    }


def _layout(root: Path, ref: str, mark: str | None) -> Path:
    """``root/reference/api.json`` referencing ``ref``, ``root/models/Invoice.json``."""
    (root / "reference").mkdir(parents=True)
    (root / "models").mkdir()
    (root / "models" / "Invoice.json").write_text(json.dumps(INVOICE))
    if mark == ".git-file":  # a git worktree: .git is a file
        (root / ".git").write_text("gitdir: /elsewhere\n")
    elif mark:
        (root / mark).mkdir()
    spec = root / "reference" / "api.json"
    spec.write_text(json.dumps(_api(ref)))
    return spec


def _load(spec: Path, **options: Any) -> tuple[dict[str, Any] | None, Diagnostics]:
    diags = Diagnostics()
    try:
        return load(str(spec), diags, LoadOptions(**options)).doc, diags
    except SpecError:
        return None, diags


@pytest.mark.parametrize("mark", [".git", ".git-file", ".hg", None])
def test_stoplight_layout_loads_without_ref_root(tmp_path: Path, mark: str) -> None:
    spec = _layout(tmp_path / "project", "../models/Invoice.json", mark)
    doc, diags = _load(spec)
    assert doc is not None, [d.render() for d in diags]
    assert doc["components"]["schemas"]["Invoice"] == INVOICE


def test_a_ref_past_the_repository_is_refused_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "secret.json").write_text(json.dumps(INVOICE))
    spec = _layout(tmp_path / "project", "../../secret.json", ".git")
    doc, diags = _load(spec)
    assert doc is None
    (error,) = [d for d in diags if d.code == "ref-escapes"]
    assert str(tmp_path / "project") in error.message and "--ref-root" in error.message
    assert error.pointer.startswith("/paths/~1invoices/get/responses/200")
    assert _load(spec, ref_root=str(tmp_path))[0] is not None  # unless configured


def test_an_absolute_path_outside_the_spec_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "Invoice.json"
    outside.parent.mkdir()
    outside.write_text(json.dumps(INVOICE))
    spec = _layout(tmp_path / "project", str(outside), None)
    doc, diags = _load(spec)
    assert doc is None and [d.code for d in diags] == ["ref-escapes"]
    inside = tmp_path / "project" / "reference" / "Invoice.json"
    inside.write_text(json.dumps(INVOICE))
    spec.write_text(json.dumps(_api(str(inside))))
    assert _load(spec)[0] is not None


def test_a_configured_root_is_kept_even_inside_a_repository(tmp_path: Path) -> None:
    spec = _layout(tmp_path / "project", "../models/Invoice.json", ".git")
    doc, diags = _load(spec, ref_root=str(spec.parent))
    assert doc is None and [d.code for d in diags] == ["ref-escapes"]


@settings(max_examples=30, deadline=None)
@given(
    repo_depth=st.integers(0, 3),
    spec_depth=st.integers(0, 3),
    up=st.integers(0, 7),
)
def test_refs_reach_exactly_the_repository(
    tmp_path_factory: pytest.TempPathFactory,
    repo_depth: int,
    spec_depth: int,
    up: int,
) -> None:
    base = tmp_path_factory.mktemp("tree")
    repo = base.joinpath(*[f"r{i}" for i in range(repo_depth)])
    folder = repo.joinpath(*[f"s{i}" for i in range(spec_depth)])
    folder.mkdir(parents=True, exist_ok=True)
    (repo / ".git").mkdir()
    if up > len(folder.relative_to(base).parts):
        up = len(folder.relative_to(base).parts)  # stay inside the test's folder
    target_dir = folder.parents[up - 1] if up else folder
    (target_dir / "Model.json").write_text(json.dumps(INVOICE))
    spec = folder / "api.json"
    spec.write_text(json.dumps(_api("../" * up + "Model.json")))
    doc, diags = _load(spec)
    assert repository_of(folder) == repo
    assert (doc is not None) == target_dir.is_relative_to(repo), [
        d.render() for d in diags
    ]


def test_the_oai_multi_file_petstore_loads_without_ref_root() -> None:
    spec = shared("oai-examples", "petstore-separate", "spec", "swagger.yaml")
    doc, diags = _load(spec)
    assert doc is not None, [d.render() for d in diags]
    assert "Error" in json.dumps(doc["paths"])
