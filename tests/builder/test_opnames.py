"""Method names people would write (issue 16): FastAPI's ids reduced to their
function, collisions told apart by meaning, collection and item kept apart."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import ir
from generator.builder import build
from generator.builder.names import NameBook
from generator.builder.opnames import fastapi_function
from generator.diagnostics import Diagnostics
from generator.settings import BuildSettings

OK = {"200": {"description": "ok"}}
HASHED = re.compile(r"_[0-9a-f]{6}$")

word = st.from_regex(r"[a-z]{2,8}", fullmatch=True)


def _doc(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> Any:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }


def _build(doc: Any, pins: tuple[tuple[str, str, str], ...] = ()) -> ir.ApiModel:
    diags = Diagnostics()
    api = build(doc, BuildSettings(pins=pins), diags)
    assert not diags.has_errors, [d.render() for d in diags]
    return api


def _names(api: ir.ApiModel) -> dict[str, str]:
    """``METHOD /path`` → ``resource.method`` for every operation."""
    return {
        f"{op.http_method} {op.path}": f"{r.attr}.{op.name}"
        for r in api.resources
        for op in r.operations
    }


def _fastapi_id(function: str, path: str, method: str) -> str:
    """FastAPI's default operationId, computed as FastAPI does."""
    return re.sub(r"\W", "_", function + path) + "_" + method


segment = st.one_of(word, word.map(lambda w: "{" + w + "}"))
paths = st.lists(segment, min_size=0, max_size=4).map(lambda s: "/" + "/".join(s))
methods = st.sampled_from(["get", "post", "put", "patch", "delete"])
functions = st.lists(word, min_size=1, max_size=4).map("_".join)


@given(functions, paths, methods, st.booleans())
def test_fastapi_ids_reduce_to_their_function(
    function: str, path: str, method: str, slash: bool
) -> None:
    path = path + "/" if slash and path != "/" else path
    assert fastapi_function(_fastapi_id(function, path, method), path, method) == (
        function
    )


@given(functions, paths, methods, methods)
def test_ids_of_another_path_or_method_are_kept(
    function: str, path: str, method: str, other: str
) -> None:
    # the suffix must be the path's words and the method, exactly
    if other != method:
        assert (
            fastapi_function(_fastapi_id(function, path, other), path, method) is None
        )
    assert fastapi_function(function + "_" + method, path + "/extra", method) is None
    # nothing before the path and the method: not FastAPI's
    bare = re.sub(r"\W", "_", path) + "_" + method
    assert fastapi_function(bare, path, method) is None


def test_a_fastapi_app_gets_short_names() -> None:
    def op(function: str, path: str, method: str, **more: Any) -> dict[str, Any]:
        return {
            method: {
                "operationId": _fastapi_id(function, path, method),
                "responses": OK,
                **more,
            }
        }

    body = {"$ref": "#/components/schemas/Body_read_flows_flows_filter_post"}
    paths = {
        "/flows/": op("create_flow", "/flows/", "post"),
        "/flows/{id}": {
            **op("read_flow", "/flows/{id}", "get"),
            **op("update_flow", "/flows/{id}", "patch"),
            **op("delete_flow", "/flows/{id}", "delete"),
        },
        "/flows/filter": op(
            "read_flows",
            "/flows/filter",
            "post",
            requestBody={"content": {"application/json": {"schema": body}}},
        ),
        "/deployments/name/{flow_name}/{deployment_name}": op(
            "read_deployment_by_name",
            "/deployments/name/{flow_name}/{deployment_name}",
            "get",
        ),
    }
    schemas = {
        "Body_read_flows_flows_filter_post": {
            "type": "object",
            "properties": {"limit": {"type": "integer"}},
        }
    }
    api = _build(_doc(paths, schemas))
    assert _names(api) == {
        "POST /flows/": "flows.create",
        "GET /flows/{id}": "flows.get",
        "PATCH /flows/{id}": "flows.update",
        "DELETE /flows/{id}": "flows.delete",
        "POST /flows/filter": "flows.filter",
        "GET /deployments/name/{flow_name}/{deployment_name}": (
            "deployments.read_deployment_by_name"
        ),
    }
    assert "ReadFlowsBody" in {m.name for m in api.models}


def test_a_collection_delete_is_never_plain_delete() -> None:
    item = {"parameters": [{"name": "id", "in": "path", "required": True}]}
    paths = {
        "/records": {
            "get": {"operationId": "getRecords", "responses": OK},
            "delete": {"operationId": "deleteRecords", "responses": OK},
        },
        "/records/{id}": {
            **item,
            "get": {"operationId": "getRecord", "responses": OK},
            "delete": {"operationId": "deleteRecord", "responses": OK},
        },
    }
    assert _names(_build(_doc(paths))) == {
        "GET /records": "records.list",
        "DELETE /records": "records.delete_all",
        "GET /records/{id}": "records.get",
        "DELETE /records/{id}": "records.delete",
    }


def test_put_and_patch_on_one_item_are_update_and_patch() -> None:
    paths = {"/notes/{id}": {"put": {"responses": OK}, "patch": {"responses": OK}}}
    assert sorted(_names(_build(_doc(paths))).values()) == [
        "notes.patch",
        "notes.update",
    ]


def test_a_resource_class_never_ends_with_an_underscore() -> None:
    paths = {"/contents": {"get": {"responses": OK}}, "/identity": {"get": {}}}
    schemas = {n: {"type": "object"} for n in ("Contents", "Identity", "Contents2")}
    api = _build(_doc(paths, schemas))
    classes = {r.class_name for r in api.resources} | {
        r.async_class_name for r in api.resources
    }
    assert "ContentsResource" in classes and "IdentityResource" in classes
    assert not any(c.endswith("_") for c in classes)
    assert not classes & {m.name for m in api.models}


ops = st.lists(
    st.tuples(
        st.lists(
            st.one_of(st.sampled_from(["{id}", "{sub_id}"]), word), max_size=3
        ).map(lambda s: "/records/" + "/".join(s) if s else "/records"),
        methods,
        st.one_of(
            st.none(),
            st.sampled_from(
                ["get", "list", "delete", "remove", "update", "create", "read"]
            ).flatmap(
                lambda verb: st.sampled_from(
                    [verb, verb + "Record", verb + "Records", verb + "_records_get"]
                )
            ),
        ),
    ),
    min_size=1,
    max_size=10,
    unique_by=lambda t: (t[0].rstrip("/"), t[1]),
)


@settings(max_examples=60, deadline=None)
@given(ops)
# found by a clean-clone CI run: "get" taken, the item's whole id was "list"
@example([("/records/{id}", "get", "get"), ("/records/{id}/{id}", "get", "list")])
def test_operations_are_told_apart_by_meaning(
    raw: list[tuple[str, str, str | None]],
) -> None:
    paths: dict[str, dict[str, Any]] = {}
    for path, method, op_id in raw:
        op: dict[str, Any] = {"responses": OK}
        if op_id is not None:
            op["operationId"] = op_id
        paths.setdefault(path, {})[method] = op
    diags = Diagnostics()
    api = build(_doc(paths), BuildSettings(), diags)
    names = _names(api)
    assert len(names) == len(raw)
    for key, name in names.items():
        method, path = key.split(" ", 1)
        short = name.split(".", 1)[1]
        assert not HASHED.search(short) or any(
            d.code == "name-clash" for d in diags
        ), names
        assert not short.endswith("_"), names
        if method == "DELETE" and path == "/records":
            assert short != "delete", names  # never deletes a collection
        if method == "GET" and path.endswith("}"):
            assert short != "list", names


def test_a_hash_is_the_last_resort_and_names_the_rename_key() -> None:
    # one path spelled four ways: nothing but a hash tells them apart
    same = {"x-clientgen-name": "go", "responses": OK}
    spellings = ["/things", "/things/", "//things", "/things//"]
    paths = {p: {"get": dict(same)} for p in spellings}
    diags = Diagnostics()
    api = build(_doc(paths), BuildSettings(), diags)
    names = _names(api)
    assert len(set(names.values())) == 4
    assert names["GET /things"] == "things.go"
    hashed = [k for k, n in names.items() if HASHED.search(n)]
    clashes = [d.message for d in diags if d.code == "name-clash"]
    assert hashed and len(clashes) == len(hashed)
    for key in hashed:
        assert any(f"rename.operations[{key!r}]" in m for m in clashes), clashes


def test_pins_decide_who_keeps_the_plain_name() -> None:
    paths = {
        "/jobs": {"get": {"x-clientgen-name": "run", "responses": OK}},
        "/jobs/go": {"post": {"x-clientgen-name": "run", "responses": OK}},
    }
    first = _names(_build(_doc(paths)))
    assert first == {"GET /jobs": "jobs.run", "POST /jobs/go": "jobs.run_go"}
    pins = (("operations:jobs", "post /jobs/go", "run"),)
    pinned = _names(_build(_doc(paths), pins))
    assert pinned["POST /jobs/go"] == "jobs.run"
    assert pinned["GET /jobs"] != "jobs.run"
    assert not HASHED.search(pinned["GET /jobs"])


def test_claim_first_skips_taken_names_and_never_suffixes() -> None:
    ns = NameBook().namespace("x", {"reserved"})
    assert ns.claim_first(["reserved", "free"], "a") == "free"
    assert ns.claim_first(["free"], "b") is None
    assert ns.claim_first(["free", "other"], "a") == "free"  # asked again
    assert ns.claim_first(["del"], "c") == "del_"  # a keyword is made safe


def test_one_verb_on_many_collections_takes_each_collections_name() -> None:
    # Google's layout: every collection under one tag, ids ``list`` / ``create``
    def op(op_id: str) -> dict[str, Any]:
        return {"operationId": op_id, "tags": ["projects"], "responses": OK}

    paths = {
        f"/v1beta1/{{parent}}/{c}": {"get": op("list"), "post": op("create")}
        for c in ("databases", "tables", "workflowConfigs")
    }
    assert sorted(_names(_build(_doc(paths))).values()) == [
        "projects.create_database",
        "projects.create_table",
        "projects.create_workflow_config",
        "projects.list_databases",
        "projects.list_tables",
        "projects.list_workflow_configs",
    ]


def test_a_verb_against_its_method_keeps_its_own_word() -> None:
    # GET /archive/delete named "delete" by its tag "manage": not a DELETE
    op = {"operationId": "delete", "tags": ["manage"], "responses": OK}
    assert _names(_build(_doc({"/archive/delete": {"get": op}}))) == {
        "GET /archive/delete": "manage.delete"
    }


@settings(max_examples=40, deadline=None)
@given(word, st.sampled_from(["read", "get", "list"]))
def test_a_reading_post_is_named_by_its_path_word(action: str, verb: str) -> None:
    # FastAPI lists with POST /flows/filter (read_flows): "filter", not "read_filter"
    path = f"/flows/{action}"
    op = {"operationId": _fastapi_id(f"{verb}_flows", path, "post"), "responses": OK}
    name = _names(_build(_doc({path: {"post": op}})))[f"POST {path}"]
    assert name in (f"flows.{action}", f"flows.{action}_"), name


@settings(max_examples=40, deadline=None)
@given(word.filter(lambda w: not w.endswith("s")))
def test_a_post_to_a_word_after_an_item_is_that_action(action: str) -> None:
    # POST /kernels/{id}/restart restarts a kernel; it creates no "restart"
    path = f"/kernels/{{kernel_id}}/{action}"
    paths = {path: {"post": {"responses": OK}}, "/kernels": {"post": {"responses": OK}}}
    names = _names(_build(_doc(paths)))
    assert names["POST /kernels"] == "kernels.create"
    assert names[f"POST {path}"] in (f"kernels.{action}", f"kernels.{action}_")


def test_a_post_to_a_plural_word_after_an_item_creates_one() -> None:
    path = "/repos/{repo}/forks"
    names = _names(_build(_doc({path: {"post": {"responses": OK}}})))
    assert names[f"POST {path}"] == "repos.create_fork"


@settings(max_examples=40, deadline=None)
@given(word.filter(lambda w: len(w) > 2 and not w.endswith("s")))
def test_a_post_on_one_element_takes_its_summarys_verb(verb: str) -> None:
    # Jupyter: POST .../checkpoints/{id} "Restore a file to ..." beside the
    # POST .../checkpoints that creates one: restore_checkpoint
    base = "/contents/{path}/checkpoints"
    summary = verb.capitalize() + " a file to a particular state"
    paths = {
        base: {"post": {"responses": OK}},
        base + "/{checkpoint_id}": {"post": {"summary": summary, "responses": OK}},
    }
    names = _names(_build(_doc(paths)))
    assert names[f"POST {base}"] == "contents.create_checkpoint"
    restore = names[f"POST {base}/{{checkpoint_id}}"]
    if verb in ("get", "put", "read", "list", "patch", "update", "delete", "create"):
        assert not restore.startswith(f"contents.{verb}_checkpoint_"), names
    else:
        assert restore == f"contents.{verb}_checkpoint", names
