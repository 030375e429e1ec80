"""The input fingerprint: unchanged inputs skip the pipeline, anything else does not."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import PETS

from generator.cli import main

# the Pets spec of test_cli, with a property whose format needs repair (a warning)
SPEC = copy.deepcopy(PETS)
SPEC["components"]["schemas"]["Pet"]["properties"]["born"] = {
    "type": "string",
    "format": "datetime",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "spec.json").write_text(json.dumps(SPEC, indent=1), "utf-8")
    (tmp_path / "clientgen.yaml").write_text(
        "targets:\n  - spec: spec.json\n    output: out\n    package: pets\n", "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--jobs", "1"]) == 0
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*argv])
    return code, capsys.readouterr().err


def test_unchanged_inputs_skip_the_pipeline_and_replay_warnings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(capsys, "check")
    assert code == 0 and "inputs unchanged" in err
    # the warning of the run that wrote the package, located as before
    assert "spec.json:" in err and "warning[format-repaired]" in err
    code, err = _run(capsys, "generate")
    assert code == 0 and "0 of" in err and "inputs unchanged" in err


def test_a_hand_edit_is_still_found(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = project / "out" / "pets" / "models.py"
    models.write_text(models.read_text("utf-8") + "# edited\n", "utf-8")
    code, err = _run(capsys, "check")
    assert code == 1 and "differs: pets/models.py" in err
    (project / "out" / "pets" / "extra.py").write_text("", "utf-8")
    assert _run(capsys, "generate")[0] == 0
    assert not (project / "out" / "pets" / "extra.py").exists()
    assert _run(capsys, "check")[0] == 0


def test_a_spec_or_config_change_is_found(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "spec.json"
    spec.write_text(spec.read_text("utf-8").replace('"name"', '"title"'), "utf-8")
    code, err = _run(capsys, "check")
    assert code == 1 and "inputs unchanged" not in err
    assert _run(capsys, "generate")[0] == 0
    config = project / "clientgen.yaml"
    config.write_text(config.read_text("utf-8") + "    client_name: Zoo\n", "utf-8")
    assert _run(capsys, "check")[0] == 1


def test_another_black_is_another_input(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # black's version shapes every byte it formats: a new black is not
    # "inputs unchanged"; the code may well come out the same, and then only
    # the manifest, which records the inputs, differs
    from generator import fingerprint

    assert fingerprint.formatter_version() != ""
    monkeypatch.setattr(fingerprint, "formatter_version", lambda: "another black")
    code, err = _run(capsys, "check")
    assert code == 1 and "inputs unchanged" not in err
    assert [line.split()[-1] for line in err.splitlines() if "differs:" in line] == [
        ".clientgen-manifest.json"
    ]
    assert _run(capsys, "generate")[0] == 0
    code, err = _run(capsys, "check")
    assert code == 0 and "inputs unchanged" in err


def test_the_fingerprint_does_not_depend_on_where_the_project_lives(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = project.parent / "elsewhere"
    shutil.copytree(project, moved)
    monkeypatch.chdir(moved)
    code, err = _run(capsys, "check")
    assert code == 0 and "inputs unchanged" in err


def test_external_refs_always_take_the_full_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = json.loads(json.dumps(SPEC))
    spec["components"]["schemas"]["Pet"] = {"$ref": "pet.json"}  # type: ignore[index]
    (tmp_path / "spec.json").write_text(json.dumps(spec), "utf-8")
    pet = {"type": "object", "properties": {"name": {"type": "string"}}}
    (tmp_path / "pet.json").write_text(json.dumps(pet), "utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["spec.json", "-o", "out", "--jobs", "1"]
    assert main(["generate", *args]) == 0
    code, err = _run(capsys, "check", *args)
    assert code == 0 and "inputs unchanged" not in err
    pet["properties"]["age"] = {"type": "integer"}
    (tmp_path / "pet.json").write_text(json.dumps(pet), "utf-8")
    assert _run(capsys, "check", *args)[0] == 1


def test_full_runs_the_pipeline_anyway(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(capsys, "check", "--full")
    assert code == 0 and "inputs unchanged" not in err and "up to date" in err


# Texts made of the pieces a $ref scan must get right: quotes on either side
# of the key, spaces around the colon, quoted and bare values, and the
# stoppers of a value (quotes, whitespace, comma, brace).
_REF_PIECES = st.sampled_from(
    ["$ref", '"$ref"', "'$ref'", "$re", "ref", ":", " ", "\n", '"', "'", ",", "}"]
    + ["#/a/b", "x.yaml#/c", "http://h/s.json", "a", "ß", "{"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_REF_PIECES, max_size=24).map("".join))
def test_ref_scan_finds_what_a_plain_scan_finds(text: str) -> None:
    """The $ref pattern starts at the literal (found by a fast scan); it
    finds the same values as a scan that tries every position."""
    from generator.fingerprint import _REF_VALUE

    every_position = re.compile(r"""["']?\$ref["']?\s*:\s*["']?([^"'\s,}]*)""")
    assert _REF_VALUE.findall(text) == every_position.findall(text)
