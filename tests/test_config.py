"""Configuration: ``clientgen.yaml`` or ``[tool.clientgen]``, every target acted
on when no arguments are given, and unknown keys reported where they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import get_by_id

from generator.cli import main
from generator.config import find_config, read_config
from generator.diagnostics import Diagnostics, SpecError

PETSTORE = {
    "openapi": "3.0.3",
    "info": {"title": "Petstore", "version": "1"},
    "servers": [{"url": "https://petstore.example/v1"}],
    "paths": {
        "/pets/{petId}": {
            "get": get_by_id(
                "showPetById", "Pet", param="petId", param_type="string", tags=["pets"]
            )
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

#: The minimal configuration from the issue, verbatim.
MINIMAL = """\
targets:
  - spec: specs/petstore.yaml
    output: clients/petstore
    package: petstore
"""


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([*args, "--jobs", "1"])
    return code, capsys.readouterr().err


def write_spec(path: Path, spec: object = PETSTORE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(spec, sort_keys=False), "utf-8")
    return path


def test_minimal_config_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path / "specs" / "petstore.yaml")
    (tmp_path / "clientgen.yaml").write_text(MINIMAL, "utf-8")
    monkeypatch.chdir(tmp_path)
    code, err = run(["generate"], capsys)
    assert code == 0, err
    package = tmp_path / "clients" / "petstore" / "petstore"
    assert (package / "__init__.py").is_file()
    assert "def show_pet_by_id(" in (package / "resources" / "pets.py").read_text()
    code, err = run(["check"], capsys)
    assert (code, "up to date" in err) == (0, True)
    changed = json.loads(json.dumps(PETSTORE))
    changed["components"]["schemas"]["Pet"]["properties"]["age"] = {"type": "integer"}
    write_spec(spec, changed)
    code, err = run(["check"], capsys)
    assert code == 1
    assert "is stale" in err and "models.py" in err


def test_every_target_is_generated_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path / "specs" / "petstore.yaml")
    other = json.loads(json.dumps(PETSTORE))
    other["info"]["title"] = "Shelter"
    write_spec(tmp_path / "specs" / "shelter.yaml", other)
    (tmp_path / "clientgen.yaml").write_text(
        MINIMAL
        + "  - spec: specs/shelter.yaml\n"
        + "    output: clients/shelter\n"
        + "    package: shelter\n"
        + "    client_name: ShelterClient\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, err = run(["generate"], capsys)
    assert code == 0, err
    assert err.count("wrote ") == 2
    shelter = (tmp_path / "clients" / "shelter" / "shelter" / "__init__.py").read_text()
    assert "ShelterClient" in shelter
    assert (tmp_path / "clients" / "petstore" / "petstore" / "__init__.py").is_file()
    assert run(["check"], capsys)[0] == 0
    # one stale target of two makes check fail, and names that target only
    models = tmp_path / "clients" / "shelter" / "shelter" / "models.py"
    models.write_text(models.read_text() + "# edited\n")
    code, err = run(["check"], capsys)
    assert code == 1
    assert "clients/shelter is stale" in err
    assert "clients/petstore is up to date" in err
    # with --config, a SPEC argument replaces the first target's spec only
    code, err = run(
        ["check", "--config", "clientgen.yaml", "specs/petstore.yaml"], capsys
    )
    assert code == 0, err
    assert err.count("up to date") == 1 and "clients/petstore" in err


def test_paths_are_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_spec(tmp_path / "specs" / "petstore.yaml")
    (tmp_path / "clientgen.yaml").write_text(MINIMAL, "utf-8")
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    code, err = run(["generate", "--config", "../../clientgen.yaml"], capsys)
    assert code == 0, err
    assert (tmp_path / "clients" / "petstore" / "petstore").is_dir()
    assert not (elsewhere / "clients").exists()


PYPROJECT_FORMS = {
    "inline targets": """\
[project]
name = "consumer"

[tool.clientgen]
targets = [
    { spec = "specs/petstore.yaml", output = "clients/petstore", package = "petstore" },
]
""",
    "array of tables": """\
[tool.clientgen]

[[tool.clientgen.targets]]
spec = "specs/petstore.yaml"
output = "clients/petstore"
package = "petstore"

[tool.clientgen.targets.normalize]
strip_path_prefix = ["/v1"]
""",
    "one target at the top": """\
[tool.clientgen]
spec = "specs/petstore.yaml"
output = "clients/petstore"
package = "petstore"
""",
}


@pytest.mark.parametrize("form", sorted(PYPROJECT_FORMS))
def test_pyproject_table(
    form: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_spec(tmp_path / "specs" / "petstore.yaml")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT_FORMS[form], "utf-8")
    assert find_config(tmp_path) == str(tmp_path / "pyproject.toml")
    config = read_config(str(tmp_path / "pyproject.toml"), Diagnostics())
    (target,) = config.targets
    assert target.spec == str(tmp_path / "specs" / "petstore.yaml")
    assert target.output == str(tmp_path / "clients" / "petstore")
    assert target.package == "petstore"
    monkeypatch.chdir(tmp_path)
    code, err = run(["check"], capsys)
    assert code == 1  # nothing generated yet
    assert "clients/petstore is stale" in err


def test_clientgen_yaml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT_FORMS["inline targets"])
    assert find_config(tmp_path) == str(tmp_path / "pyproject.toml")
    (tmp_path / "clientgen.yaml").write_text(MINIMAL)
    assert find_config(tmp_path) == str(tmp_path / "clientgen.yaml")
    (tmp_path / "clientgen.yaml").unlink()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(tmp_path) is None


def config_errors(path: Path, text: str) -> list[tuple[str, int | None, str]]:
    path.write_text(text, "utf-8")
    diags = Diagnostics()
    with pytest.raises(SpecError):
        read_config(str(path), diags)
    assert all(d.file == str(path) for d in diags)
    return [(d.pointer, d.line, d.message) for d in diags]


def test_unknown_keys_are_errors_with_their_line_in_yaml(tmp_path: Path) -> None:
    errors = config_errors(
        tmp_path / "clientgen.yaml",
        MINIMAL
        + "    normalise:\n"
        + "      hoist_headers: [X-Trace]\n"
        + "    rename:\n"
        + "      schemaz: {Pet: Animal}\n"
        + "    validate: 'no'\n",
    )
    assert [(p, line) for p, line, _ in errors] == [
        ("/targets/0/normalise", 5),
        ("/targets/0/validate", 9),
        ("/targets/0/rename/schemaz", 8),
    ]
    assert "unknown key 'normalise'" in errors[0][2]
    assert "normalize" in errors[0][2]  # the allowed keys are listed
    assert errors[1][2] == "expected true or false"
    top = config_errors(tmp_path / "clientgen.yaml", MINIMAL + "colour: red\n")
    assert [(p, line) for p, line, _ in top] == [("/colour", 5)]


def test_unknown_keys_are_errors_with_their_line_in_toml(tmp_path: Path) -> None:
    text = (
        PYPROJECT_FORMS["inline targets"]
        + "\n[tool.other]\ncolour = 1\n"  # other tools' keys are not ours
    ).replace(
        'package = "petstore" },',
        'package = "petstore", colour = "red" },\n'
        '    { spec = "b.yaml", normalize = { bogus = 1 } },',
    )
    errors = config_errors(tmp_path / "pyproject.toml", text)
    assert [(p, line) for p, line, _ in errors] == [
        ("/targets/0/colour", 6),
        ("/targets/1/normalize/bogus", 7),
    ]
    text = PYPROJECT_FORMS["array of tables"] + "hoist = 1\n"
    errors = config_errors(tmp_path / "pyproject.toml", text)
    assert [(p, line) for p, line, _ in errors] == [("/targets/0/normalize/hoist", 10)]
    errors = config_errors(
        tmp_path / "pyproject.toml", "[tool.clientgen]\ntargets = [\n  { spec = 1 ]\n"
    )
    assert errors[0][1] == 3 and "invalid TOML" in errors[0][2]


def test_config_errors_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run(["generate"], capsys)
    assert code == 2
    assert "error[no-config]" in err
    (tmp_path / "clientgen.yaml").write_text(MINIMAL + "    colour: red\n")
    code, err = run(["check"], capsys)
    assert code == 2
    assert "clientgen.yaml:5: error[config-invalid] unknown key 'colour'" in err
    assert "Traceback" not in err
    # a broken pyproject.toml that has our table is reported, not ignored
    (tmp_path / "clientgen.yaml").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen]\nspec = \n")
    code, err = run(["check"], capsys)
    assert code == 2
    assert "pyproject.toml:2: error[config-invalid] invalid TOML" in err


def test_every_documented_key_is_accepted(tmp_path: Path) -> None:
    full = {
        "targets": [
            {
                "spec": "https://example.com/openapi.json",
                "output": "out",
                "package": "pkg",
                "distribution": "pkg-client",
                "version": "1.2.3",
                "client_name": "Pkg",
                "group_by": "path",
                "normalize": {
                    "hoist_headers": ["X-Tenant"],
                    "strip_path_prefix": ["/v1"],
                    "path_extension": ".json",
                    "servers": [
                        {"name": "prod", "url": "https://x", "description": "d"}
                    ],
                },
                "rename": {
                    "resources": {"a": "b"},
                    "operations": {"c": "d"},
                    "schemas": {"E": "F"},
                    "properties": {"G.h": "i"},
                },
                "include": {"tags": ["t"], "paths": ["/p"]},
                "exclude": {"tags": ["u"], "paths": ["/q"]},
                "overlays": ["fix.yaml", "https://example.com/o.yaml"],
                "allow_remote_refs": True,
                "ref_root": "..",
                "validate": False,
                "version_bump": {
                    "breaking": "major",
                    "addition": "minor",
                    "other": "patch",
                },
            }
        ]
    }
    path = tmp_path / "clientgen.yaml"
    path.write_text(yaml.safe_dump(full), "utf-8")
    (target,) = read_config(str(path), Diagnostics()).targets
    assert target.spec == "https://example.com/openapi.json"
    assert target.overlays == [str(tmp_path / "fix.yaml"), "https://example.com/o.yaml"]
    assert (target.allow_remote_refs, target.validate) == (True, False)
    assert target.settings.options.hoist_headers == ("X-Tenant",)
    assert target.settings.servers[0]["url"] == "https://x"
    assert target.settings.schema_renames == {"E": "F"}
    assert target.settings.options.exclude_paths == ("/q",)


#: Configurations that would give a package that does not install or import.
BROKEN_PACKAGE = [
    ("package: json\n", "/package"),
    ("package: os\n", "/package"),
    ("package: typing\n", "/package"),
    ("package: httpx\n", "/package"),
    ("package: Pydantic\n", "/package"),
    ("client_name: API\n", "/client_name"),
    ("client_name: APIError\n", "/client_name"),
    ("version: latest\n", "/version"),
    ("version: 1.0.0 final\n", "/version"),
    ("distribution: -pets\n", "/distribution"),
    ("distribution: pets client\n", "/distribution"),
    (
        "rename:\n  operations:\n    showPetById: __init__\n",
        "/rename/operations/showPetById",
    ),
    (
        "rename:\n  operations:\n    showPetById: class\n",
        "/rename/operations/showPetById",
    ),
    (
        "rename:\n  operations:\n    showPetById: a.b\n",
        "/rename/operations/showPetById",
    ),
    ("rename:\n  schemas:\n    Pet: 1abc\n", "/rename/schemas/Pet"),
    ("rename:\n  resources:\n    pets: a b\n", "/rename/resources/pets"),
    ("rename:\n  properties:\n    Pet.name: for\n", "/rename/properties/Pet.name"),
]


@pytest.mark.parametrize(("config", "pointer"), BROKEN_PACKAGE)
def test_config_that_breaks_the_package_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, pointer: str
) -> None:
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(PETSTORE), "utf-8")
    cfg = tmp_path / "clientgen.yaml"
    cfg.write_text("output: out\n" + config, "utf-8")
    code = main(["generate", str(spec), "--config", str(cfg), "--format", "json"])
    assert code == 2
    found = json.loads(capsys.readouterr().out)
    assert [(d["code"], d["pointer"]) for d in found] == [
        ("config-invalid", "#" + pointer)
    ]
    assert found[0]["file"] == str(cfg) and found[0]["line"] >= 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "config",
    [
        "package: pets_client\nversion: 1.0.0-beta.2\ndistribution: my.pets-client\n",
        "version: 2!1.0rc1.post2.dev3+local.7\nclient_name: Pets\n",
        "rename:\n  operations:\n    showPetById: get_pet\n",
    ],
)
def test_sound_names_and_versions_pass(tmp_path: Path, config: str) -> None:
    cfg = tmp_path / "clientgen.yaml"
    cfg.write_text(config, "utf-8")
    diags = Diagnostics()
    read_config(str(cfg), diags)
    assert not diags.has_errors
