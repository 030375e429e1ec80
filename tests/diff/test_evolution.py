"""Regenerating a package: version bump, CHANGELOG.md, idempotence, stable names."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from generator.builder.names import NameBook
from generator.cli import main
from generator.config import read_config
from generator.diagnostics import Diagnostics
from generator.diff.evolution import CHANGELOG, RECORD, bump, parse_version
from generator.pipeline import generate_files
from generator.write import diff, write_tree

Spec = dict[str, Any]


def _json(schema: Spec) -> Spec:
    return {"application/json": {"schema": schema}}


ITEM = {"$ref": "#/components/schemas/Item"}
V1: Spec = {
    "openapi": "3.0.3",
    "info": {"title": "Store", "version": "1"},
    "servers": [{"url": "https://store.example/v1"}],
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "tags": ["items"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": ITEM}),
                    }
                },
            }
        },
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {"200": {"description": "ok", "content": _json(ITEM)}},
            }
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}


class Project:
    """A folder with a spec and a config, the way another repository uses us."""

    def __init__(self, root: Path, package: str) -> None:
        self.root = root
        self.spec = root / "spec.json"
        self.out = root / "client"
        self.config = root / "clientgen.yaml"
        self.package = package
        self.extra: dict[str, Any] = {}

    def write(self, spec: Spec, **extra: Any) -> None:
        self.spec.write_text(json.dumps(spec), "utf-8")
        target = {"spec": "spec.json", "output": "client", "package": self.package}
        self.config.write_text(json.dumps({"targets": [{**target, **extra}]}), "utf-8")

    def run(self, command: str, *extra: str) -> int:
        return main(
            [command, "--config", str(self.config), "-q", "--jobs", "1", *extra]
        )

    def generate(self, spec: Spec, **extra: Any) -> None:
        self.write(spec, **extra)
        assert self.run("generate") == 0
        # --full: the pipeline must reproduce the tree (a fixed point), not
        # merely find the inputs unchanged
        assert self.run("check", "--full") == 0, "check must be clean after generate"

    @property
    def version(self) -> str:
        data = tomllib.loads((self.out / "pyproject.toml").read_text("utf-8"))
        version: str = data["project"]["version"]
        record = json.loads((self.out / RECORD).read_text("utf-8"))
        assert record["version"] == version
        init = (self.out / self.package / "__init__.py").read_text("utf-8")
        assert f"__version__ = {version!r}" in init.replace('"', "'")
        return version

    @property
    def changelog(self) -> str:
        return (self.out / CHANGELOG).read_text("utf-8")

    def snapshot(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.out).as_posix(): p.read_bytes()
            for p in sorted(self.out.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        }


@pytest.fixture
def project(tmp_path: Path, request: pytest.FixtureRequest) -> Project:
    name = "evo_" + request.node.name.split("[")[0].removeprefix("test_")[:30]
    return Project(tmp_path, name)


def with_param(spec: Spec, **param: Any) -> Spec:
    new = copy.deepcopy(spec)
    new["paths"]["/items"]["get"]["parameters"].append(param)
    return new


def test_first_generation_and_idempotent_regeneration(project: Project) -> None:
    project.generate(V1)
    assert project.version == "0.1.0"
    assert "## 0.1.0" in project.changelog
    assert "First generated version." in project.changelog
    before = project.snapshot()
    assert RECORD in before and CHANGELOG in before
    for _ in range(2):
        assert project.run("generate") == 0
        assert project.snapshot() == before, "an unchanged spec must not bump again"


def test_version_follows_the_kind_of_change(project: Project) -> None:
    project.generate(V1)
    # an optional parameter: an addition → minor
    v2 = with_param(V1, name="q", **{"in": "query"}, schema={"type": "string"})
    project.generate(v2)
    assert project.version == "0.2.0"
    top = project.changelog.split("\n## ")[1]
    assert top.startswith("0.2.0") and "### Additions" in top
    assert "`items.list: parameter 'q'`: new optional parameter" in top
    # moved path, same method: neither breaking nor an addition → patch
    v3 = copy.deepcopy(v2)
    v3["paths"]["/things/{id}"] = v3["paths"].pop("/items/{id}")
    project.generate(v3)
    assert project.version == "0.2.1"
    assert "### Other changes" in project.changelog.split("\n## ")[1]
    # a removed parameter: breaking → major
    project.generate(V1 | {"paths": v3["paths"] | {"/items": V1["paths"]["/items"]}})
    assert project.version == "1.0.0"
    top = project.changelog.split("\n## ")[1]
    assert "### Breaking changes" in top and "parameter 'q'`: parameter removed" in top
    # the history is kept, newest first
    headings = [
        line for line in project.changelog.splitlines() if line.startswith("## ")
    ]
    assert headings == ["## 1.0.0", "## 0.2.1", "## 0.2.0", "## 0.1.0"]
    # the same spec again: no new entry
    before = project.snapshot()
    assert project.run("generate") == 0
    assert project.snapshot() == before


def test_check_reports_a_changed_spec_as_stale(project: Project) -> None:
    project.generate(V1)
    project.write(
        with_param(V1, name="q", **{"in": "query"}, schema={"type": "string"})
    )
    assert project.run("check") == 1
    assert project.version == "0.1.0"  # check writes nothing


def test_configured_bump_and_version_floor(project: Project) -> None:
    rules = {"breaking": "minor", "addition": "patch"}
    project.generate(V1, version="0.3.0", version_bump=rules)
    assert project.version == "0.3.0"
    breaking = copy.deepcopy(V1)
    del breaking["paths"]["/items/{id}"]
    project.generate(breaking, version="0.3.0", version_bump=rules)
    assert project.version == "0.4.0"
    # a higher configured version wins, even with no API change
    project.generate(breaking, version="2.0.0", version_bump=rules)
    assert project.version == "2.0.0"
    assert project.changelog.split("\n## ")[1].startswith(
        "2.0.0\n\nNo changes to the API."
    )
    # a lower one is only a floor: the version never goes back
    project.generate(breaking, version="1.0.0", version_bump=rules)
    assert project.version == "2.0.0"
    added = with_param(breaking, name="q", **{"in": "query"}, schema={"type": "string"})
    project.generate(added, version="1.0.0", version_bump=rules)
    assert project.version == "2.0.1"


def test_bad_bump_rule_is_a_config_error(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write(V1, version_bump={"breaking": "huge"})
    assert project.run("generate") == 2
    err = capsys.readouterr().err
    assert "config-invalid" in err and "version_bump/breaking" in err


@pytest.mark.parametrize(
    ("version", "part", "bumped"),
    [
        ("0.1.0", "major", "1.0.0"),
        ("1.4.2", "minor", "1.5.0"),
        ("1.4.2", "patch", "1.4.3"),
        ("2", "minor", "2.1.0"),
        ("1.0.0rc1", "patch", "1.0.1"),
    ],
)
def test_bump(version: str, part: str, bumped: str) -> None:
    assert bump(version, part) == bumped
    assert parse_version(bumped) > parse_version(version)


# -- names stay stable -----------------------------------------------------------------

VLANS_V1: Spec = {
    "openapi": "3.0.3",
    "info": {"title": "Net", "version": "1"},
    "paths": {
        "/vlans": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json(
                            {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/vlan"},
                            }
                        ),
                    }
                }
            }
        }
    },
    "components": {
        "schemas": {
            "vlan": {"type": "object", "properties": {"vid": {"type": "integer"}}},
        }
    },
}


def _vlans_v2() -> Spec:
    """V1 plus a schema and an operation whose names collide with existing ones."""
    v2 = copy.deepcopy(VLANS_V1)
    # 'Vlan' sorts before 'vlan': on its own it would take the class name Vlan
    v2["components"]["schemas"]["Vlan"] = {
        "type": "object",
        "properties": {"tag_name": {"type": "string"}},
    }
    # an explicit name is given before derived names: 'list' for /vlans
    v2["paths"]["/vlans/search"] = {
        "post": {
            "operationId": "listVlans",
            "x-clientgen-name": "list",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": _json({"$ref": "#/components/schemas/Vlan"}),
                }
            },
        }
    }
    return v2


def _names(folder: Path, package: str) -> tuple[set[str], str]:
    """(fields of class Vlan, HTTP method of vlans.list) in the package as it is now.

    Imported in a fresh interpreter: the package is rewritten between calls.
    """
    code = (
        "import json, sys\n"
        f"from {package}.models import Vlan\n"
        f"from {package}.resources.vlans import Vlans\n"
        "doc = Vlans.list.__doc__ or ''\n"
        "print(json.dumps([sorted(Vlan.model_fields), 'POST /vlans/search' in doc]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-B", "-c", code],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    fields, post = json.loads(done.stdout)
    return set(fields), "POST" if post else "GET"


def test_names_stay_stable_when_the_spec_grows(tmp_path: Path) -> None:
    evolving = Project(tmp_path / "evolving", "evo_net_a")
    evolving.root.mkdir()
    evolving.generate(VLANS_V1)
    assert _names(evolving.out, "evo_net_a") == ({"vid"}, "GET")

    evolving.generate(_vlans_v2())
    # the existing class and method keep their names; the new ones get suffixes
    assert _names(evolving.out, "evo_net_a") == ({"vid"}, "GET")
    assert evolving.version == "0.2.0"  # additions only
    top = evolving.changelog.split("\n## ")[1]
    assert "Breaking" not in top and "new model" in top and "new method" in top

    # without the history, the same spec names things the other way round:
    # this is what pinning the previous names prevents
    fresh = Project(tmp_path / "fresh", "evo_net_b")
    fresh.root.mkdir()
    fresh.generate(_vlans_v2())
    assert _names(fresh.out, "evo_net_b") == ({"tag_name"}, "POST")

    # the new names are kept too, and a name whose owner is gone is free again
    v3 = _vlans_v2()
    del v3["components"]["schemas"]["vlan"]
    del v3["paths"]["/vlans"]
    v3["components"]["schemas"]["vlan-"] = {
        "type": "object",
        "properties": {"pcp": {"type": "integer"}},
    }
    evolving.generate(v3)
    classes = _classes(evolving.out / "evo_net_a" / "models.py")
    suffixed = [name for name in classes if name.startswith("Vlan_")]
    assert len(suffixed) == 1 and classes[suffixed[0]] == ["tag_name"]
    assert classes["Vlan"] == ["pcp"]
    assert evolving.version == "1.0.0"


def _classes(models: Path) -> dict[str, list[str]]:
    """Model class → its field names, read from the generated source."""
    found: dict[str, list[str]] = {}
    for chunk in models.read_text("utf-8").split("\nclass ")[1:]:
        name = chunk.split("(", 1)[0]
        found[name] = re.findall(r"^    ([a-z_][a-z0-9_]*): ", chunk, re.M)
    return found


def test_diff_pins_the_old_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "v1.json", tmp_path / "v2.json"
    old.write_text(json.dumps(VLANS_V1), "utf-8")
    new.write_text(json.dumps(_vlans_v2()), "utf-8")
    assert main(["diff", str(old), str(new), "--fail-on", "breaking"]) == 0
    out = capsys.readouterr().out
    assert "model Vlan_" in out and "vlans.list_" in out


# -- regeneration is a fixed point -------------------------------------------------------


def _full_run(project: Project) -> list[str]:
    """The files a whole pipeline run would change in the package on disk.

    ``check`` skips the pipeline when the inputs are the ones the manifest
    records; this runs it, so the pinned names really are used again.
    """
    target = read_config(str(project.config), Diagnostics()).targets[0]
    assert target.output is not None
    out = Path(target.output)
    gen = generate_files(target, out, Diagnostics(), jobs=1)
    changed = diff(out, gen.files)
    write_tree(out, gen.files)
    return changed


def _shared_items_spec(uses: int) -> Spec:
    """An array schema with inline items, used by ``uses`` operations.

    Each use makes its own class for the items (``LabelsItem``,
    ``LabelsItem_<hash>``, ...), all claimed by the same origin; the odd uses
    are request bodies, so the classes differ (input and output).
    """
    labels = {"$ref": "#/components/schemas/Labels"}
    paths: Spec = {}
    for i in range(uses):
        if i % 2:
            op = {
                "operationId": f"put{i}",
                "requestBody": {"content": _json(labels)},
                "responses": {"204": {"description": "done"}},
            }
            paths[f"/r{i}"] = {"post": op}
        else:
            op = {
                "operationId": f"get{i}",
                "responses": {"200": {"description": "ok", "content": _json(labels)}},
            }
            paths[f"/r{i}"] = {"get": op}
    item = {"type": "object", "properties": {"name": {"type": "string"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Labels", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Labels": {"type": "array", "items": item}}},
    }


def test_regenerating_an_unchanged_spec_is_a_fixed_point(project: Project) -> None:
    # a component used from several places: one class, however often used
    # (the pins' claim order is tested on its own below), and a second and
    # third full run change nothing
    project.generate(_shared_items_spec(6))
    record = json.loads((project.out / RECORD).read_text("utf-8"))
    given = record["names"]["models"]["/components/schemas/Labels/items"]
    assert given == "LabelsItem"
    before = project.snapshot()
    for _ in range(2):
        assert _full_run(project) == []
        assert project.snapshot() == before
    assert project.version == "0.1.0"


def test_pins_go_back_to_the_claims_that_made_them() -> None:
    # one origin wants several names, each taken by another origin already
    fresh = NameBook()
    ns = fresh.namespace("models")
    wanted = [f"Item{i}" for i in range(8)]
    for w in wanted:
        ns.claim(w, f"/other/{w}")
    first = [ns.claim(w, "/x/items") for w in wanted]
    assert len(set(first)) == 8 and not set(first) & set(wanted)
    # asking again is answered with the same name, not a new suffix
    assert [ns.claim(w, "/x/items") for w in wanted] == first
    pins = [(scope, o, n) for scope, o, _w, n in fresh.record()]
    again = NameBook(reversed(pins)).namespace("models")
    # each origin gets its own names back, whatever order the pins come in
    assert [again.claim(w, "/x/items") for w in wanted] == first
    assert [again.claim(w, f"/other/{w}") for w in wanted] == wanted
