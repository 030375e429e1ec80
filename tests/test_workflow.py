"""clientgen the way another repository uses it: the installed wheel, a
config in that repository, generate → check (clean) → the vendor changes
the spec → check (stale) and diff (what changed); and the pre-commit hooks
we offer."""

from __future__ import annotations

import copy
import shlex
import tomllib
from pathlib import Path
from typing import Any

import yaml
from helpers import REPO
from installed import Installed, installed_clientgen, run
from test_config import MINIMAL, PETSTORE

__all__ = ["installed_clientgen"]

HOOKS = REPO / ".pre-commit-hooks.yaml"


def hooks() -> list[dict[str, Any]]:
    data = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert isinstance(data, list)
    return data


def console_scripts() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    scripts: dict[str, str] = project["scripts"]
    return scripts


def test_pre_commit_hooks_file() -> None:
    by_id = {hook["id"]: hook for hook in hooks()}
    assert {"clientgen-check", "clientgen-generate"} <= set(by_id)
    for hook in by_id.values():
        # the fields pre-commit requires, and the ones a whole-repo check needs
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook.get("always_run") is True or "files" in hook
        command = shlex.split(hook["entry"])
        assert command[0] in console_scripts()
        assert console_scripts()[command[0]] == "generator.cli:main"
    assert shlex.split(by_id["clientgen-check"]["entry"]) == ["clientgen", "check"]
    assert shlex.split(by_id["clientgen-generate"]["entry"]) == [
        "clientgen",
        "generate",
    ]


def test_consumer_repository_workflow(
    installed_clientgen: Installed, tmp_path: Path
) -> None:
    repo = tmp_path / "consumer"
    assert REPO not in repo.parents and REPO not in installed_clientgen.bin.parents
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "petstore.yaml"
    spec.write_text(yaml.safe_dump(PETSTORE, sort_keys=False), "utf-8")
    (repo / "clientgen.yaml").write_text(MINIMAL, "utf-8")
    clientgen = installed_clientgen.clientgen

    result = run([clientgen, "generate"], cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    package = repo / "clients" / "petstore" / "petstore"
    assert "def show_pet_by_id(" in (package / "resources" / "pets.py").read_text()
    assert "\x1b" not in result.stderr  # not a terminal: no progress line

    # what the pre-commit hook runs, from the hook definition itself
    (check_hook,) = [h for h in hooks() if h["id"] == "clientgen-check"]
    entry = shlex.split(check_hook["entry"])
    hook_command = [installed_clientgen.bin / entry[0], *entry[1:]]
    result = run(hook_command, cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "up to date" in result.stderr

    # the vendor publishes a new version of the description
    old = repo / "specs" / "petstore-previous.yaml"
    old.write_text(spec.read_text("utf-8"), "utf-8")
    new = copy.deepcopy(PETSTORE)
    get = new["paths"]["/pets/{petId}"]["get"]
    get["parameters"].append(
        {
            "name": "includeOwner",
            "in": "query",
            "required": True,
            "schema": {"type": "boolean"},
        }
    )
    new["components"]["schemas"]["Pet"]["properties"]["nickname"] = {"type": "string"}
    spec.write_text(yaml.safe_dump(new, sort_keys=False), "utf-8")

    result = run(hook_command, cwd=repo)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "is stale" in result.stderr and "run 'clientgen generate'" in result.stderr

    result = run([clientgen, "diff", old, spec], cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    assert "show_pet_by_id" in report and "include_owner" in report
    assert "nickname" in report
    result = run(
        [clientgen, "diff", old, spec, "--fail-on", "breaking", "-q"], cwd=repo
    )
    assert result.returncode == 1  # a new required parameter breaks callers

    result = run([clientgen, "generate"], cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    result = run([clientgen, "check"], cwd=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "include_owner" in (package / "resources" / "pets.py").read_text()
