"""The command line contract: exit codes, diagnostics, check, safe writing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, golden_packages

from generator.cli import main

PETS = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example/v1"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, data: object) -> Path:
    path.write_text(
        json.dumps(data, indent=1) if not isinstance(data, str) else data, "utf-8"
    )
    return path


def test_generate_then_check_clean_then_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "pets.json", PETS)
    out = tmp_path / "pets"
    code, _, err = run(["generate", str(spec), "-o", str(out)], capsys)
    assert code == 0, err
    assert (out / ".clientgen-manifest.json").is_file()
    code, _, err = run(["check", str(spec), "-o", str(out)], capsys)
    assert code == 0, err
    client = next(out.rglob("_client.py"))
    client.write_text(client.read_text() + "# edited\n")
    (out / "stray.txt").write_text("x")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, _, err = run(["check", str(spec), "-o", str(out)], capsys)
    assert code == 1
    assert "differs: pets_client/_client.py" in err
    assert "extra:   stray.txt" in err
    assert before == {
        p: p.read_bytes() for p in out.rglob("*") if p.is_file()
    }  # check writes nothing
    code, _, _ = run(["generate", str(spec), "-o", str(out)], capsys)
    assert code == 0
    assert not (out / "stray.txt").exists()  # files no longer produced are removed


def test_tool_caches_in_the_package_are_not_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "pets.json", PETS)
    out = tmp_path / "pets"
    assert run(["generate", str(spec), "-o", str(out)], capsys)[0] == 0
    (out / ".mypy_cache" / "3.11").mkdir(parents=True)
    (out / ".mypy_cache" / "3.11" / "cache.db").write_text("x")
    code, _, err = run(["check", str(spec), "-o", str(out)], capsys)
    assert code == 0, err


def test_generate_refuses_foreign_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "pets.json", PETS)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "important.txt").write_text("keep me")
    code, _, err = run(["generate", str(spec), "-o", str(out)], capsys)
    assert code == 2
    assert "was not made by clientgen" in err
    assert (out / "important.txt").read_text() == "keep me"
    code, _, _ = run(["generate", str(spec), "-o", str(out), "--force"], capsys)
    assert code == 0
    assert not (out / "important.txt").exists()


def test_output_is_deterministic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "pets.json", PETS)
    a, b = tmp_path / "a", tmp_path / "b"
    assert run(["generate", str(spec), "-o", str(a), "--no-cache"], capsys)[0] == 0
    assert run(["generate", str(spec), "-o", str(b), "--no-cache"], capsys)[0] == 0
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a == files_b


BAD_INPUTS = [
    # (file name, content, expected diagnostic line)
    (
        "broken.json",
        '{\n  "openapi": "3.0.0",\n  "info": {,\n}',
        "broken.json:3: error[parse-error]",
    ),
    (
        "broken.yaml",
        "openapi: 3.0.0\ninfo:\n  title: [unclosed\n",
        "broken.yaml:4: error[parse-error]",
    ),
    (
        "noversion.json",
        '{"info": {"title": "x", "version": "1"}, "paths": {}}',
        "error[not-openapi] the document has neither an 'openapi' nor a 'swagger' field (at #)",
    ),
    (
        "old.json",
        '{"swagger": "1.2", "paths": {}}',
        "error[unsupported-version] swagger version '1.2' is not supported (only 2.0) (at #/swagger)",
    ),
    (
        "list.yaml",
        "- 1\n- 2\n",
        "error[not-an-object] the document is not a JSON/YAML object (at #)",
    ),
    (
        "paths.json",
        '{"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": [1]}',
        "error[bad-paths] 'paths' is not an object (at #/paths)",
    ),
    (
        "laughs.yaml",
        "openapi: 3.0.0\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
        "error[too-large]",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
@pytest.mark.parametrize("command", ["generate", "validate"])
def test_bad_input_exit_2_with_diagnostic(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
    expected: str,
    command: str,
) -> None:
    spec = write(tmp_path / name, content)
    args = [command, str(spec)] + (
        ["-o", str(tmp_path / "out")] if command == "generate" else []
    )
    code, out, err = run(args, capsys)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err + out
    assert not (tmp_path / "out").exists()


def test_missing_file_is_a_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["validate", str(tmp_path / "nope.yaml")], capsys)
    assert code == 2
    assert "error[read-failed] cannot read" in err


REPAIRED = {
    "openapi": "3.0.3",
    "info": {"title": "Repairs", "version": "1"},
    "paths": {
        "/things": {
            "put": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"}
                            }
                        },
                    },
                    "400": {
                        "description": "bad",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/responses/Bad"}
                            }
                        },
                    },
                }
            }
        }
    },
    "components": {
        "responses": {
            "Bad": {
                "description": "x",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Err"}}
                },
            }
        },
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "code-"],
                "properties": {
                    "id": {"type": "integer"},
                    "at": {"type": "string", "format": "datetime"},
                    "h": {"type": "string", "format": "html"},
                },
            },
            "Err": {"type": "object", "properties": {"message": {"type": "string"}}},
        },
    },
}


def test_repairable_problems_are_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path / "repairs.json", REPAIRED)
    code, _, err = run(["generate", str(spec), "-o", str(tmp_path / "out")], capsys)
    assert code == 0, err
    assert (
        "warning[ref-not-schema] $ref '#/components/responses/Bad' points at a response object, not a schema; using its schema (at #/paths/~1things/put/responses/400/content/application~1json/schema)"
        in err
    )
    assert (
        "warning[required-missing] required property 'code-' is not defined in the schema; ignored (at #/components/schemas/Thing/required)"
        in err
    )
    assert (
        "warning[format-repaired] format 'datetime' is not standard; read as 'date-time' (at #/components/schemas/Thing/properties/at/format)"
        in err
    )
    assert (
        "warning[unknown-format] unknown format 'html' ignored (at #/components/schemas/Thing/properties/h/format)"
        in err
    )
    assert "repairs.json:" in err
    models = next((tmp_path / "out").rglob("models.py")).read_text()
    assert "at: _dt.datetime | None = None" in models
    code, _, _ = run(
        ["generate", str(spec), "-o", str(tmp_path / "out2"), "--fail-on-warning"],
        capsys,
    )
    assert code == 2


def test_json_diagnostics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path / "repairs.json", REPAIRED)
    code, out, _ = run(["validate", str(spec), "--format", "json"], capsys)
    assert code == 0
    items = json.loads(out)
    codes = {d["code"] for d in items}
    assert {"ref-not-schema", "required-missing", "unknown-format"} <= codes
    assert all(d["file"] and d["pointer"].startswith("#") for d in items)


def test_file_refs_may_not_escape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "outside.json").write_text(json.dumps({"type": "string"}))
    inner = tmp_path / "repo" / "spec"
    inner.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()  # refs may reach the repository
    doc = json.loads(json.dumps(PETS))
    doc["components"]["schemas"]["Pet"]["properties"]["name"] = {
        "$ref": "../../outside.json"
    }
    spec = write(inner / "api.json", doc)
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    assert "error[ref-escapes] reference '../../outside.json' points outside" in err
    code, _, err = run(["validate", str(spec), "--ref-root", str(tmp_path)], capsys)
    assert code == 0, err


def test_remote_refs_need_a_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(json.dumps(PETS))
    doc["components"]["schemas"]["Pet"]["properties"]["name"] = {
        "$ref": "https://example.invalid/x.json"
    }
    spec = write(tmp_path / "api.json", doc)
    code, _, err = run(["validate", str(spec)], capsys)
    assert code == 2
    assert (
        "error[remote-ref] remote reference 'https://example.invalid/x.json' is not followed without --allow-remote-refs"
        in err
    )


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["generate", "--bogus"])
    assert exc.value.code == 2


def test_python_m_and_console_script_agree(tmp_path: Path) -> None:
    spec = write(tmp_path / "pets.json", PETS)
    a = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(spec)],
        capture_output=True,
        text=True,
    )
    script = Path(sys.executable).with_name("clientgen")
    if not script.exists():
        pytest.skip("clientgen console script not installed in this environment")
    b = subprocess.run(
        [str(script), "validate", str(spec)], capture_output=True, text=True
    )
    assert a.returncode == b.returncode == 0
    assert a.stderr == b.stderr


def test_project_check_is_the_ci_check() -> None:
    """The committed generated/ tree is the golden record: `clientgen check` passes.

    ``--full``: the whole pipeline must reproduce it, not only the fingerprint
    match; with no SPEC it covers every target (onFact and the constructs).
    """
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--full"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    golden = golden_packages()
    assert {package for _, package in golden} >= {"onfact", "constructs"}
    for folder, _ in golden:
        assert f"{folder} is up to date" in result.stderr
