"""OpenAPI Overlay 1.0: JSONPath selection, update/remove semantics, errors,
and a vendor description patched without editing it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import shared

from generator.cli import main
from generator.diagnostics import Diagnostics, SpecError
from generator.load import LoadOptions, load
from generator.load.jsonpath import JsonPathError, compile_path
from generator.load.overlay import apply_overlay, read_overlay

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "tags": [{"name": "pets"}, {"name": "internal"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "responses": {"201": {"description": "created"}},
            },
        },
        "/admin": {
            "get": {
                "operationId": "adminStats",
                "tags": ["internal"],
                "x-internal": True,
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "description": "the id"},
                    "name": {"type": "string", "description": "the name"},
                },
            }
        }
    },
}


def select(expr: str, doc: Any = DOC) -> list[Any]:
    return [value for _, value in compile_path(expr).select(doc)]


def locations(expr: str, doc: Any = DOC) -> list[tuple[str | int, ...]]:
    return [loc for loc, _ in compile_path(expr).select(doc)]


# -- JSONPath -------------------------------------------------------------------


def test_child_segments() -> None:
    assert select("$") == [DOC]
    assert select("$.info.title") == ["Pets"]
    assert select("$['info']['title']") == ["Pets"]
    assert select('$["info"]["title"]') == ["Pets"]
    assert select("$.paths['/pets'].get.operationId") == ["listPets"]
    assert select("$.tags[1].name") == ["internal"]
    assert select("$.tags[-1].name") == ["internal"]
    assert select("$.tags[5]") == []
    assert select("$.tags[*].name") == ["pets", "internal"]
    assert select("$.paths.*.get.operationId") == ["listPets", "adminStats"]
    assert select("$.info['title', 'version']") == ["Pets", "1"]
    assert select("$.missing.deeper") == []
    assert locations("$.paths['/pets'].get.parameters[0].name") == [
        ("paths", "/pets", "get", "parameters", 0, "name")
    ]


def test_recursive_descent() -> None:
    assert select("$..operationId") == ["listPets", "createPet", "adminStats"]
    assert select("$.components..description") == ["the id", "the name"]
    assert select("$..parameters[*].in") == ["query", "header"]
    # every node once, even when several paths of the descent reach it
    found = locations("$..*")
    assert len(found) == len(set(found))
    assert ("components", "schemas", "Pet", "required", 0) in found


def test_filters() -> None:
    assert select("$.paths.*[?(@.operationId == 'createPet')].tags") == [["pets"]]
    assert select("$.paths.*[?@.operationId != 'listPets'].operationId") == [
        "createPet",
        "adminStats",
    ]
    assert select("$.paths.*[?(@['x-internal'])].operationId") == ["adminStats"]
    assert select("$.paths.*[?(!@['x-internal'])].operationId") == [
        "listPets",
        "createPet",
    ]
    assert select("$..parameters[?(@.in == 'header')].name") == ["X-Trace"]
    assert select("$..parameters[?(@.in == 'query' || @.name == 'X-Trace')].name") == [
        "limit",
        "X-Trace",
    ]
    assert (
        select("$..parameters[?(@.in == 'query' && @.schema.type == 'string')]") == []
    )
    assert select('$.tags[?(@.name == "pets")].name') == ["pets"]
    # a comparison against a missing member is false, not an error
    assert select("$.tags[?(@.nope == 'x')]") == []
    # numbers and booleans are different kinds: true is not 1
    doc = {"a": [{"v": 1}, {"v": True}, {"v": 2.5}]}
    assert select("$.a[?(@.v == 1)]", doc) == [{"v": 1}]
    assert select("$.a[?(@.v == true)]", doc) == [{"v": True}]
    assert select("$.a[?(@.v > 1)]", doc) == [{"v": 2.5}]
    # the candidate itself, and absolute queries in a filter
    assert select("$.tags[*].name[?(@ == 'pets')]", {"tags": [{"name": ["pets"]}]}) == [
        "pets"
    ]
    assert select(
        "$.tags[?(@.name == $.info.title)]",
        {"info": {"title": "a"}, "tags": [{"name": "a"}, {"name": "b"}]},
    ) == [{"name": "a"}]


def test_slices_and_function_extensions() -> None:
    # RFC 9535 slices and the standard filter functions
    doc = {"list": ["a", "b", "c", "d", "e"]}
    assert select("$.list[1:3]", doc) == ["b", "c"]
    assert select("$.list[::-2]", doc) == ["e", "c", "a"]
    assert select("$.tags[?length(@.name) == 4].name") == ["pets"]
    assert select("$..parameters[?match(@.name, 'X-.*')].in") == ["header"]
    assert select("$..parameters[?search(@.name, 'im')].name") == ["limit"]
    assert select("$.paths.*[?count(@.tags) == 1].operationId") == [
        "listPets",
        "createPet",
        "adminStats",
    ]
    # a node selected twice by one query is returned once
    assert locations("$.list[0,0,-5]", doc) == [("list", 0)]


@pytest.mark.parametrize(
    ("expr", "position"),
    [
        ("paths", 0),
        (" $", 0),
        ("$.", 2),
        ("$[", 2),
        ("$['a'", 5),
        ("$['a]", 3),
        ("$..", 3),
        ("$[01]", 2),
        ("$[?(@.a == )]", 11),
        ("$[?('x')]", 5),
        ("$[?nope(@) == 1]", 3),
        ("$[?length(@.*) == 1]", 3),
        ("$.a b", 4),
        ("$[?(@.a == 'x']", 14),
    ],
)
def test_bad_jsonpath(expr: str, position: int) -> None:
    with pytest.raises(JsonPathError) as info:
        compile_path(expr)
    assert info.value.position == position
    assert str(info.value).endswith(f"at character {position + 1} of {expr!r}")
    assert info.value.reason


# -- applying overlays ------------------------------------------------------------


def overlay_file(tmp_path: Path, actions: Any, name: str = "overlay.json") -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps(
            {
                "overlay": "1.0.0",
                "info": {"title": "t", "version": "1"},
                "actions": actions,
            },
            indent=2,
        ),
        "utf-8",
    )
    return path


def apply(tmp_path: Path, actions: Any) -> tuple[dict[str, Any], Diagnostics]:
    doc = copy.deepcopy(DOC)
    diags = Diagnostics()
    apply_overlay(doc, read_overlay(str(overlay_file(tmp_path, actions)), diags), diags)
    return doc, diags


def test_update_deep_merges_objects_and_appends_arrays(tmp_path: Path) -> None:
    doc, diags = apply(
        tmp_path,
        [
            {
                "target": "$.components.schemas.Pet",
                "update": {
                    "description": "A pet",
                    "required": ["name"],
                    "properties": {
                        "name": {"maxLength": 40},
                        "tag": {"type": "string"},
                    },
                },
            },
            {"target": "$.tags", "update": {"name": "extra"}},
            {"target": "$.tags", "update": [{"name": "x1"}, {"name": "x2"}]},
            {"target": "$.info", "update": {"title": "Renamed"}},
        ],
    )
    assert not list(diags)
    pet = doc["components"]["schemas"]["Pet"]
    assert pet["description"] == "A pet"
    assert pet["required"] == ["id", "name"]
    assert pet["properties"]["name"] == {
        "type": "string",
        "description": "the name",
        "maxLength": 40,
    }
    assert pet["properties"]["tag"] == {"type": "string"}
    assert (
        pet["properties"]["id"]
        == DOC["components"]["schemas"]["Pet"]["properties"]["id"]
    )
    assert [t["name"] for t in doc["tags"]] == ["pets", "internal", "extra", "x1", "x2"]
    assert doc["info"] == {"title": "Renamed", "version": "1"}
    assert DOC["info"]["title"] == "Pets"  # the input document is untouched


def test_update_applies_to_every_match_and_in_order(tmp_path: Path) -> None:
    doc, _ = apply(
        tmp_path,
        [
            {"target": "$.paths.*.*", "update": {"x-seen": [1]}},
            {"target": "$.paths.*.*", "update": {"x-seen": [2]}},
            {"target": "$.paths['/pets'].get", "update": {"x-seen": None}},
        ],
    )
    ops = [op for item in doc["paths"].values() for op in item.values()]
    assert [op["x-seen"] for op in ops] == [None, [1, 2], [1, 2]]
    # updates are copies: changing one operation does not change another
    ops[1]["x-seen"].append(3)
    assert ops[2]["x-seen"] == [1, 2]


def test_remove(tmp_path: Path) -> None:
    doc, diags = apply(
        tmp_path,
        [
            {"target": "$.paths[?(@.get['x-internal'])]", "remove": True},
            {"target": "$.tags[?(@.name == 'internal')]", "remove": True},
            {"target": "$..parameters[*]", "remove": True},
            {"target": "$.components..description", "remove": True},
            # remove wins over update
            {"target": "$.info", "remove": True, "update": {"title": "x"}},
        ],
    )
    assert not list(diags)
    assert list(doc["paths"]) == ["/pets"]
    assert doc["tags"] == [{"name": "pets"}]
    assert doc["paths"]["/pets"]["get"]["parameters"] == []
    assert "description" not in json.dumps(doc["components"])
    assert "info" not in doc


def test_remove_several_array_items_in_one_action(tmp_path: Path) -> None:
    doc = {"openapi": "3.0.3", "list": ["a", "b", "c", "d", "e"]}
    diags = Diagnostics()
    path = overlay_file(tmp_path, [{"target": "$.list[0,2,-1]", "remove": True}])
    apply_overlay(doc, read_overlay(str(path), diags), diags)
    assert doc["list"] == ["b", "d"]


def test_target_that_matches_nothing_is_a_warning(tmp_path: Path) -> None:
    doc, diags = apply(
        tmp_path,
        [
            {"target": "$.paths['/nope']", "update": {"x": 1}},
            {"target": "$.info", "update": {"x-ok": 1}},
        ],
    )
    (diag,) = list(diags)
    assert (diag.level, diag.code, diag.pointer) == (
        "warning",
        "overlay-no-match",
        "/actions/0/target",
    )
    assert diag.file is not None and diag.file.endswith("overlay.json")
    assert diag.line == 9  # the line of action 0's "target"
    assert doc["info"]["x-ok"] == 1


def errors_of(tmp_path: Path, data: Any, name: str = "bad.yaml") -> list[Any]:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    diags = Diagnostics()
    with pytest.raises(SpecError):
        apply_overlay(copy.deepcopy(DOC), read_overlay(str(path), diags), diags)
    return [d for d in diags if d.level == "error"]


def test_invalid_overlay_documents(tmp_path: Path) -> None:
    yaml_text = (
        "overlay: 2.0.0\n"
        "info:\n"
        "  title: t\n"
        "actions:\n"
        "  - target: $.info\n"
        "    update: {}\n"
        "    replace: true\n"
        "  - target: 'paths'\n"
        "    remove: yes-please\n"
        "  - description: no target\n"
        "extra: 1\n"
    )
    errors = errors_of(tmp_path, yaml_text)
    found = {(d.code, d.pointer, d.line) for d in errors}
    assert ("overlay-invalid", "/overlay", 1) in found
    assert ("overlay-invalid", "/info", 2) in found  # no version
    assert ("overlay-invalid", "/actions/0/replace", 7) in found
    assert ("overlay-bad-jsonpath", "/actions/1/target", 8) in found
    assert ("overlay-invalid", "/actions/2", 10) in found
    assert ("overlay-invalid", "/extra", 11) in found
    assert all(d.file and d.file.endswith("bad.yaml") for d in errors)
    assert [d.code for d in errors_of(tmp_path, "[1, 2]")] == ["overlay-invalid"]
    assert [
        d.pointer
        for d in errors_of(
            tmp_path,
            {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": []},
        )
    ] == ["/actions"]
    (parse,) = errors_of(tmp_path, "overlay: 1.0.0\ninfo: [\n")
    assert parse.code == "parse-error" and parse.line is not None


def test_updates_that_do_not_fit_the_target(tmp_path: Path) -> None:
    errors = errors_of(
        tmp_path,
        overlay_file(tmp_path, [{"target": "$.info", "update": "x"}]).read_text(),
    )
    assert [(d.code, d.pointer) for d in errors] == [
        ("overlay-bad-update", "/actions/0/update")
    ]
    errors = errors_of(
        tmp_path,
        overlay_file(tmp_path, [{"target": "$.info.title", "update": "x"}]).read_text(),
    )
    assert [(d.code, d.pointer) for d in errors] == [
        ("overlay-bad-target", "/actions/0/target")
    ]
    errors = errors_of(
        tmp_path, overlay_file(tmp_path, [{"target": "$", "remove": True}]).read_text()
    )
    assert [d.code for d in errors] == ["overlay-bad-target"]


def test_query_that_cannot_be_evaluated_is_a_located_error(tmp_path: Path) -> None:
    # The library stops a descent below 100 levels; that is a diagnostic too.
    deep: dict[str, Any] = {"openapi": "3.0.3"}
    node = deep
    for _ in range(150):
        node["x-deep"] = {}
        node = node["x-deep"]
    path = overlay_file(tmp_path, [{"target": "$..['x-deep']", "remove": True}])
    diags = Diagnostics()
    with pytest.raises(SpecError):
        apply_overlay(deep, read_overlay(str(path), diags), diags)
    (error,) = [d for d in diags if d.level == "error"]
    assert (error.code, error.pointer, error.line) == (
        "overlay-bad-jsonpath",
        "/actions/0/target",
        9,
    )
    assert "recursion" in error.message


# -- through the command line -----------------------------------------------------

OVERLAY_YAML = """\
overlay: 1.0.0
info:
  title: Internal operations are not for clients
  version: 1.0.0
actions:
  - target: $.paths.*[?(@['x-internal'] == true)]
    remove: true
  - target: $.paths['/pets'].get.parameters[?(@.name == 'limit')]
    update:
      description: at most this many
  - target: $.paths['/pets'].get
    update:
      operationId: findPets
"""


def test_cli_flag_and_config_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(DOC), "utf-8")
    before = spec.read_bytes()
    (tmp_path / "overlays").mkdir()
    (tmp_path / "overlays" / "public.yaml").write_text(OVERLAY_YAML, "utf-8")
    config = tmp_path / "clientgen.yaml"
    config.write_text(
        "targets:\n"
        "  - spec: spec.json\n"
        "    output: out\n"
        "    package: pets\n"
        "    overlays: [overlays/public.yaml]\n",
        "utf-8",
    )
    assert main(["generate", "--config", str(config), "-q", "--jobs", "1"]) == 0
    resources = "\n".join(
        p.read_text() for p in (tmp_path / "out" / "pets" / "resources").glob("*.py")
    )
    assert "def find(" in resources and "def list(" not in resources
    assert "admin_stats" not in resources
    assert "at most this many" in resources
    assert spec.read_bytes() == before
    capsys.readouterr()
    # the same overlay given on the command line
    code = main(
        [
            "generate",
            str(spec),
            "-o",
            str(tmp_path / "flag"),
            "--overlay",
            str(tmp_path / "overlays" / "public.yaml"),
            "-q",
            "--jobs",
            "1",
        ]
    )
    assert code == 0
    flag = "\n".join(p.read_text() for p in (tmp_path / "flag").rglob("resources/*.py"))
    assert "admin_stats" not in flag and "at most this many" in flag
    # a bad overlay: exit 2 with file:line of the overlay
    (tmp_path / "bad.yaml").write_text(
        OVERLAY_YAML.replace("$.paths['/pets'].get\n", "$.paths['/pets'.get\n"),
        "utf-8",
    )
    code = main(["validate", str(spec), "--overlay", str(tmp_path / "bad.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{tmp_path / 'bad.yaml'}:11: error[overlay-bad-jsonpath]" in err
    assert "(at #/actions/2/target)" in err
    # a target that matches nothing: a warning, exit 0 (2 with --fail-on-warning)
    (tmp_path / "stale.yaml").write_text(
        OVERLAY_YAML.replace("'/pets'].get\n", "'/gone'].get\n"), "utf-8"
    )
    args = ["validate", str(spec), "--overlay", str(tmp_path / "stale.yaml")]
    assert main(args) == 0
    assert "warning[overlay-no-match]" in capsys.readouterr().err
    assert main([*args, "--fail-on-warning"]) == 2


# -- the vendor's own description, patched --------------------------------------

VENDOR_FIX = """\
overlay: 1.0.0
info:
  title: Fixes to the onFact vendor description
  version: 1.0.0
actions:
  # the 400 response points a schema $ref at a response object: use the response
  - target: $.paths['/v1/oauth2/two-factor-authentication'].put.responses['400']
    remove: true
  - target: $.paths['/v1/oauth2/two-factor-authentication'].put.responses
    update:
      '400':
        $ref: '#/components/responses/InvalidTwoFactorAuthenticationCodeErrorResponse'
  - target: $.paths['/v1/oauth2/two-factor-authentication'].put
    update:
      operationId: confirmTwoFactorCode
"""


def test_vendor_document_patched_without_editing_it(tmp_path: Path) -> None:
    vendor = shared("onfact-vendor", "openapi.json")
    original = vendor.read_bytes()
    plain = Diagnostics()
    load(str(vendor), plain, LoadOptions(validate=False))
    overlay = tmp_path / "fix.yaml"
    overlay.write_text(VENDOR_FIX, "utf-8")
    diags = Diagnostics()
    spec = load(str(vendor), diags, LoadOptions(overlays=(str(overlay),)))
    put = spec.doc["paths"]["/v1/oauth2/two-factor-authentication"]["put"]
    assert put["operationId"] == "confirmTwoFactorCode"
    assert put["responses"]["400"] == {
        "$ref": "#/components/responses/InvalidTwoFactorAuthenticationCodeErrorResponse"
    }
    assert "200" in put["responses"] and "401" in put["responses"]
    assert not [d for d in diags if d.code.startswith("overlay")]
    assert vendor.read_bytes() == original

    from generator.builder import BuildSettings, build

    before, after = Diagnostics(), Diagnostics()
    build(load(str(vendor), Diagnostics()).doc, BuildSettings(), before)
    api = build(spec.doc, BuildSettings(), after)
    assert "ref-not-schema" in {d.code for d in before}
    assert "ref-not-schema" not in {d.code for d in after}
    names = {op.name for r in api.resources for op in r.operations}
    assert "confirm_two_factor_code" in names
