"""The fast validation path reports what openapi-spec-validator reports.

Same findings, in the same order, with the same messages; the fast path's
pointers are absolute where the validator's are relative to the schema or
value it checked (or empty), so the validator's pointer ends ours.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostics
from generator.load import detect_version, parse_text, read_text
from generator.load.bundle import bundle
from generator.load.speccheck import walk_errors
from generator.load.validate import _run_validator, reference_findings

CORPUS = SHARED / "corpus"
OAI = SHARED / "oai-examples"
PEER = SHARED / "peer-tests" / "openapi-python-client"


def _listed(folder: Path, *patterns: str) -> list[str]:
    if not folder.is_dir():
        return []
    found = {p for pattern in patterns for p in folder.glob(pattern)}
    return sorted(str(p.relative_to(SHARED)) for p in found)


# the corpus smoke's sample, every OAI example, every peer description
SAMPLE = _listed(CORPUS, "*.json")[::6]
EXAMPLES = _listed(OAI, "*.json", "*.yaml", "petstore-separate/spec/swagger.yaml")
PEER_DOCS = _listed(PEER, "*.json", "*.yaml", "*.yml", "documents_with_errors/*")
OURS = ["specs/onfact.yaml", "specs/constructs.yaml"]


def bundled(path: Path) -> tuple[dict[str, Any], str]:
    """The document as load hands it to validation (bundled, not upgraded)."""
    diags = Diagnostics()
    text = read_text(str(path), diags)
    doc = parse_text(text, str(path), diags)
    version = detect_version(doc, diags)
    doc = bundle(doc, str(path.resolve()), text, diags, allow_remote=False)
    return doc, version


_LISTED = re.compile(r"\[([^\[\]]*)\]$")


def _set_order(message: str) -> str:
    """A message that ends with a list printed from a set (the reference's
    "Required list has not defined properties: [...]"), its items sorted:
    the reference prints them in an order that changes with the hash seed,
    ours sorted, so that the manifest is deterministic."""
    found = _LISTED.search(message)
    if found is None:
        return message
    items = sorted(found.group(1).split(", "))
    return message[: found.start()] + "[" + ", ".join(items) + "]"


def assert_same(doc: dict[str, Any], version: str) -> list[tuple[str, str, str]]:
    fast = _run_validator(doc, version)
    reference = reference_findings(doc, version)
    assert [(f[0], _set_order(f[1])) for f in fast] == [
        (f[0], _set_order(f[1])) for f in reference
    ]
    for (_c, message, ours), (_c2, _m, theirs) in zip(fast, reference, strict=True):
        assert ours.endswith(theirs), (message, ours, theirs)
    return fast


def test_the_samples_are_there() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared is not present: {CORPUS} unavailable")
    assert len(SAMPLE) >= 30 and len(EXAMPLES) >= 12 and len(PEER_DOCS) >= 10


@pytest.mark.parametrize("name", SAMPLE + EXAMPLES + PEER_DOCS)
def test_same_findings_as_openapi_spec_validator(name: str) -> None:
    doc, version = bundled(SHARED / name)
    fast = assert_same(doc, version)
    # the fast walk answered itself, the validator's walk was not needed
    assert walk_errors(doc, version) is not None
    # the documents with errors, but for the two bad $refs (the builder's to find)
    if "documents_with_errors" in name and "-ref" not in name:
        assert fast


@pytest.mark.parametrize("name", OURS)
def test_same_findings_on_our_specs(name: str) -> None:
    doc, version = bundled(REPO / name)
    assert_same(doc, version)
    assert walk_errors(doc, version) is not None


# -- many small documents, valid and not, built to trip every check


NAMES = st.sampled_from(["a", "b", "id"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([1.5, 2.0]),
    st.sampled_from(["", "x", "2024-01-31", "3f1c7b4e-1d2a-4c5b-9e8f-0a1b2c3d4e5f"]),
)
VALUES = st.one_of(
    SCALARS, st.lists(SCALARS, max_size=2), st.dictionaries(NAMES, SCALARS)
)
REF = st.sampled_from(
    [
        {"$ref": "#/components/schemas/A"},
        {"$ref": "#/components/schemas/B"},
        {"$ref": "#/components/schemas/Missing"},
        {"$ref": "#/components/parameters/P"},
    ]
)
LEAF = st.one_of(
    REF,
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["string", "integer", "number", "boolean", "object", "array", "file"]
            )
        },
        optional={
            "default": VALUES,
            "nullable": st.booleans(),
            "format": st.sampled_from(["uuid", "date", "int32", "byte", "email"]),
            "pattern": st.sampled_from(["^a+$", "[a-", "\\p{L}"]),
            "enum": st.lists(SCALARS, max_size=3),
            "required": st.lists(NAMES, max_size=2),
            "minLength": st.sampled_from([1, 2.0, -1]),
        },
    ),
)


def _compound(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    props = st.dictionaries(NAMES, inner, max_size=2)
    required = st.lists(NAMES, max_size=3)
    return st.one_of(
        st.fixed_dictionaries(
            {"allOf": st.lists(inner, min_size=1, max_size=2)},
            optional={"required": required, "properties": props},
        ),
        st.fixed_dictionaries(
            {"type": st.just("object"), "properties": props},
            optional={"required": required, "default": VALUES},
        ),
        st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, max_size=2), "not": inner}),
    )


SCHEMAS = st.recursive(LEAF, _compound, max_leaves=6)
PARAMETER = st.fixed_dictionaries(
    {
        "name": NAMES,
        "in": st.sampled_from(["path", "path", "query"]),
        "required": st.just(True),
        "schema": SCHEMAS,
    }
)
PARAMETERS = st.lists(st.one_of(PARAMETER, REF), max_size=3)
OPERATION = st.fixed_dictionaries(
    {
        "responses": st.dictionaries(
            st.sampled_from(["200", "404", "default"]),
            st.fixed_dictionaries(
                {
                    "description": st.just("ok"),
                    "content": st.dictionaries(
                        st.sampled_from(["application/json", "text/plain"]),
                        st.fixed_dictionaries({"schema": SCHEMAS}),
                        max_size=2,
                    ),
                }
            ),
            min_size=1,
            max_size=2,
        )
    },
    optional={
        "operationId": st.sampled_from(["one", "two"]),
        "parameters": PARAMETERS,
    },
)
PATH_ITEM = st.fixed_dictionaries(
    {},
    optional={
        "get": OPERATION,
        "post": OPERATION,
        "parameters": PARAMETERS,
        "x-note": st.just({"get": "not an operation"}),
    },
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    version = draw(st.sampled_from(["3.0", "3.1"]))
    paths = draw(
        st.dictionaries(
            st.sampled_from(["/x", "/x/{a}", "/x/{a}/{b}", "/y/{id}", "/z/{a.b}"]),
            PATH_ITEM,
            max_size=3,
        )
    )
    doc: dict[str, Any] = {
        "openapi": "3.0.3" if version == "3.0" else "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {"A": draw(SCHEMAS), "B": draw(SCHEMAS)},
            "parameters": {"P": draw(PARAMETER)},
        },
    }
    tags = draw(st.lists(st.sampled_from(["t1", "t2"]), max_size=3))
    if tags:
        doc["tags"] = [{"name": t} for t in tags]
    if draw(st.booleans()):  # as JSON would give it: no shared objects
        doc = json.loads(json.dumps(doc))
    return doc, version


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents())
def test_same_findings_on_many_small_documents(
    case: tuple[dict[str, Any], str],
) -> None:
    doc, version = case
    assert_same(doc, version)


TRIPPING: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "tags": [{"name": "t"}, {"name": "t"}],
    "paths": {
        "/x/{a}/{b.c}": {
            "parameters": [{"name": "a", "in": "path", "required": True}],
            "get": {
                "operationId": "one",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "file"}},
                    {"name": "q", "in": "query", "schema": {"pattern": "\\p{L}"}},
                    {"name": "z", "in": "path", "required": True},
                ],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "operationId": "one",
                "requestBody": {"content": {}},
                "responses": {
                    "default": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/A"}
                            }
                        },
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {
            "A": {
                "allOf": [{"$ref": "#/components/schemas/B"}],
                "required": ["a", "nowhere", "x"],
                "properties": {"x": {"type": "integer", "default": "seven"}},
            },
            "B": {
                "properties": {"a": {"format": "uuid", "default": "no uuid"}},
                "default": {"a": "zz"},
                "type": "object",
                "nullable": True,
            },
        }
    },
}


def test_every_kind_of_finding_is_the_same() -> None:
    found = assert_same(TRIPPING, "3.0")
    messages = "\n".join(message for _code, message, _pointer in found)
    for kind in (
        "Duplicate tag name 't'",
        "Duplicate parameter 'q'",
        "Operation ID 'one' for 'post' in '/x/{a}/{b.c}' is not unique",
        "Path parameter 'b.c' for 'get' operation",
        "Path parameter 'z' for 'get' operation",
        "Required list has not defined properties: ['nowhere']",
        "'\\\\p{L}' is not a 'regex'",
        "'file' is not valid under any of the given schemas",
        "'seven' is not of type 'integer'",
        "'zz' is not a 'uuid'",
    ):
        assert kind in messages, kind
    pointers = {pointer for _code, _message, pointer in found}
    assert "/components/schemas/A/properties/x/default" in pointers
    assert "/paths/~1x~1{a}~1{b.c}/post/operationId" in pointers
