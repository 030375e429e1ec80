"""Hostile generator inputs (issue 14): every one ends in a located
diagnostic and exit 2, never a traceback, a hang or a silent change."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import generate_package, import_package
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.load.yamlcore import load_yaml

HEAD = 'openapi: 3.0.3\ninfo: {title: Hostile, version: "1"}\n'


def spec_with(schemas: str) -> str:
    return HEAD + "paths: {}\ncomponents:\n  schemas:\n" + schemas


def run_json(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, Any]]]:
    code = main([*args, "--format", "json", "--jobs", "1"])
    return code, json.loads(capsys.readouterr().out)


def generate(
    tmp_path: Path, spec: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, list[dict[str, Any]]]:
    return run_json(
        ["generate", str(spec), "-o", str(tmp_path / "out"), *extra], capsys
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("big.json", '{"openapi": "3.0.3",\n "x-n": ' + "7" * 4301 + "}"),
        ("big.yaml", "openapi: 3.0.3\nx-n: " + "7" * 4301 + "\n"),
        ("hex.yaml", "openapi: 3.0.3\nx-n: 0x" + "f" * 4000 + "\n"),
    ],
)
def test_an_integer_too_long_to_print_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    spec = tmp_path / name
    spec.write_text(text, "utf-8")
    code, found = generate(tmp_path, spec, capsys)
    assert code == 2
    assert [(d["code"], d["line"]) for d in found] == [("number-too-large", 2)]


def test_a_nul_in_a_ref_path_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_with('    A: {$ref: "a%00.yaml"}\n'), "utf-8")
    code, found = generate(tmp_path, spec, capsys)
    assert code == 2
    assert [(d["code"], d["pointer"], d["line"]) for d in found] == [
        ("bad-ref", "#/components/schemas/A", 6)
    ]


@pytest.mark.parametrize("wanted", ["a.b", "1abc", "a b", "class", "__init__"])
def test_any_x_clientgen_name_gives_a_package_that_imports(
    tmp_path: Path, wanted: str
) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Names", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "x-clientgen-name": wanted,
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "x-clientgen-name": wanted,
                    "properties": {
                        "id": {"type": "integer", "x-clientgen-name": wanted}
                    },
                }
            }
        },
    }
    folder, package = generate_package(spec, tmp_path)
    module = import_package(folder, package)
    assert module.models is not None


def _special(tmp_path: Path, kind: str) -> str:
    if kind == "fifo":
        fifo = tmp_path / "pipe.yaml"
        os.mkfifo(fifo)
        return str(fifo)
    if kind == "folder":
        return str(tmp_path)
    return "/dev/zero"


@pytest.mark.parametrize("kind", ["zero", "fifo", "folder"])
@pytest.mark.parametrize("where", ["spec", "overlay", "ref"])
def test_only_regular_files_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, where: str
) -> None:
    """/dev/zero is an endless read, a FIFO a hang: both refused unread."""
    target = _special(tmp_path, kind)
    spec = tmp_path / "spec.yaml"
    extra: list[str] = ["--ref-root", "/"]
    if where == "spec":
        spec = Path(target)
    elif where == "overlay":
        spec.write_text(spec_with("    A: {type: string}\n"), "utf-8")
        extra += ["--overlay", target]
    else:
        spec.write_text(spec_with(f"    A: {{$ref: '{target}'}}\n"), "utf-8")
    code, found = generate(tmp_path, spec, capsys, *extra)
    assert code == 2
    assert [d["code"] for d in found] == ["not-a-file"]


#: Every plain scalar YAML 1.1 reads as a boolean; YAML 1.2 only true/false.
YAML11_BOOLEANS = [
    w
    for base in ("y", "yes", "n", "no", "on", "off")
    for w in (base, base.upper(), base.capitalize())
]


@given(
    st.lists(
        st.sampled_from(YAML11_BOOLEANS) | st.from_regex(r"[A-Z]{2}", fullmatch=True),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=50, deadline=None)
def test_yaml_reads_no_as_a_string_norway_problem(words: list[str]) -> None:
    text = "enum: [" + ", ".join(words) + "]\n"
    assert load_yaml(text)[0] == {"enum": words}


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("true", True),
        ("False", False),
        ("010", 10),
        ("0o17", 15),
        ("0x1f", 31),
        ("1_000", "1_000"),
        ("1:20", "1:20"),
        ("2024-01-31", "2024-01-31"),
        (".inf", float("inf")),
        ("~", None),
    ],
)
def test_yaml_scalars_follow_the_yaml_1_2_core_schema(scalar: str, value: Any) -> None:
    assert load_yaml(f"v: {scalar}\n")[0] == {"v": value}


def test_a_string_enum_of_country_codes_stays_strings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_with("    Country: {type: string, enum: [NO, SE, DK]}\n"))
    code, found = generate(tmp_path, spec, capsys)
    assert code == 0, found
    models = (tmp_path / "out" / "hostile_client" / "models.py").read_text("utf-8")
    assert 'Literal["NO", "SE", "DK"]' in models


DUPLICATE_YAML = """\
openapi: 3.0.3
info: {title: Dup, version: "1"}
paths:
  /a:
    get: {operationId: first, responses: {"200": {description: ok}}}
    get: {operationId: second, responses: {"200": {description: ok}}}
components:
  schemas:
    S: {type: string}
    S: {type: integer}
"""


@pytest.mark.parametrize("as_json", [False, True])
def test_duplicate_keys_are_located_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    spec = tmp_path / "spec.yaml"
    if as_json:  # JSON with the same duplicates, one member per line
        spec = tmp_path / "spec.json"
        doc = yaml.safe_load(DUPLICATE_YAML)
        text = json.dumps(doc, indent=1)
        text = text.replace(
            '"get": {', '"get": {"operationId": "first"},\n  "get": {', 1
        )
        text = text.replace('"S": {', '"S": {"type": "string"},\n   "S": {', 1)
        spec.write_text(text, "utf-8")
    else:
        spec.write_text(DUPLICATE_YAML, "utf-8")
    code, found = generate(tmp_path, spec, capsys)
    assert code == 0
    dups = [d for d in found if d["code"] == "duplicate-key"]
    assert sorted(d["message"].split("'")[1] for d in dups) == ["S", "get"]
    assert all(d["level"] == "warning" and d["line"] for d in dups)


ESCAPES = ["\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\u202e", "\r", "\x08"]


@pytest.mark.parametrize("escape", ESCAPES)
def test_control_characters_from_the_spec_are_escaped_in_text_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], escape: str
) -> None:
    key = f"items{escape}x"  # a path key without '/': a warning that quotes it
    spec = tmp_path / "spec.json"
    doc = json.loads(json.dumps(yaml.safe_load(HEAD)))
    doc["paths"] = {key: {"get": {"responses": {"200": {"description": "ok"}}}}}
    spec.write_text(json.dumps(doc), "utf-8")
    assert main(["validate", str(spec)]) == 0
    err = capsys.readouterr().err
    assert escape not in err and repr(escape)[1:-1] in err
    code = main(["validate", str(spec), "--format", "json"])
    assert code == 0
    found = json.loads(capsys.readouterr().out)
    assert any(key in d["message"] or key in d["pointer"] for d in found)
