"""Tests of the Swagger 2.0 → OpenAPI 3.0.3 upgrade."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from generator.load.swagger2 import upgrade

REPO_ROOT = Path(__file__).resolve().parents[2]
OAI_EXAMPLES = REPO_ROOT.parent / "shared" / "specs" / "oai-examples"


def _example_files() -> list[Path]:
    if not OAI_EXAMPLES.is_dir():
        return []
    # Single-file Swagger 2.0 examples (petstore-separate needs bundling first).
    return sorted(OAI_EXAMPLES.glob("v2.0_*"))


def _doc(**extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
    }
    doc.update(extra)
    return doc


def _with_op(op: dict[str, Any], method: str = "post", **extra: Any) -> dict[str, Any]:
    op = {"responses": {"204": {"description": "ok"}}, **op}
    id_param = {"name": "id", "in": "path", "required": True, "type": "string"}
    return _doc(paths={"/p/{id}": {"parameters": [id_param], method: op}}, **extra)


def _run(doc: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """Upgrade, check the input is untouched and the output is valid 3.0."""
    before = copy.deepcopy(doc)
    result, notes = upgrade(doc)
    assert doc == before, "upgrade() mutated its input"
    validate(result)
    return result, notes


def _codes(notes: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(code, pointer) for code, _, pointer in notes]


# --------------------------------------------------------------------------
# published examples


@pytest.mark.skipif(
    not _example_files(),
    reason=f"OAI examples not found at {OAI_EXAMPLES} (../shared is absent)",
)
@pytest.mark.parametrize("path", _example_files(), ids=lambda p: p.name)
def test_oai_examples_upgrade_to_valid_openapi(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    result, notes = _run(doc)
    assert result["openapi"] == "3.0.3"
    assert "swagger" not in result
    assert notes == []
    # No Swagger 2.0 reference survives.
    dumped = json.dumps(result)
    for old in ("#/definitions/", '"#/parameters/', '"#/responses/'):
        assert old not in dumped


def test_petstore_expanded_details() -> None:
    path = OAI_EXAMPLES / "v2.0_yaml_petstore-expanded.yaml"
    if not path.is_file():
        pytest.skip(f"{path} not found (../shared is absent)")
    result, _ = _run(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert result["servers"] == [{"url": "http://petstore.swagger.io/api"}]
    tags = result["paths"]["/pets"]["get"]["parameters"][0]
    assert tags == {
        "name": "tags",
        "in": "query",
        "description": "tags to filter by",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": False,
    }
    post = result["paths"]["/pets"]["post"]
    assert "parameters" not in post
    assert post["requestBody"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}
    }
    pet = result["components"]["schemas"]["Pet"]
    assert pet["allOf"][0] == {"$ref": "#/components/schemas/NewPet"}


# --------------------------------------------------------------------------
# top level


@pytest.mark.parametrize(
    ("fields", "servers"),
    [
        ({}, [{"url": "/"}]),
        ({"basePath": "/v1"}, [{"url": "/v1"}]),
        ({"basePath": "/v1", "schemes": ["http"]}, [{"url": "/v1"}]),
        ({"host": "api.example.com"}, [{"url": "https://api.example.com"}]),
        (
            {"host": "api.example.com:8080", "basePath": "/v2"},
            [{"url": "https://api.example.com:8080/v2"}],
        ),
        (
            {"host": "h", "basePath": "/b", "schemes": ["http", "https"]},
            [{"url": "http://h/b"}, {"url": "https://h/b"}],
        ),
    ],
)
def test_servers(fields: dict[str, Any], servers: list[dict[str, str]]) -> None:
    result, _ = _run(_doc(**fields))
    assert result["servers"] == servers


def test_top_level_fields_kept() -> None:
    doc = _doc(
        info={"title": "t", "version": "1", "x-logo": {"url": "l"}},
        tags=[{"name": "a", "description": "A"}],
        externalDocs={"url": "https://docs"},
        security=[{"key": []}],
        securityDefinitions={"key": {"type": "apiKey", "name": "k", "in": "header"}},
        **{"x-top": {"a": [1]}},
    )
    result, notes = _run(doc)
    assert notes == []
    assert list(result)[:2] == ["openapi", "info"]
    assert result["info"] == doc["info"]
    assert result["tags"] == doc["tags"]
    assert result["externalDocs"] == doc["externalDocs"]
    assert result["security"] == [{"key": []}]
    assert result["x-top"] == {"a": [1]}


def test_not_swagger_2() -> None:
    with pytest.raises(ValueError, match="not a Swagger 2.0 document"):
        upgrade({"openapi": "3.0.0", "info": {}, "paths": {}})


def test_yaml_float_version_and_int_response_codes() -> None:
    doc = yaml.safe_load("""
swagger: 2.0
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        200: {description: ok}
""")
    result, _ = _run(doc)
    assert list(result["paths"]["/a"]["get"]["responses"]) == ["200"]


# --------------------------------------------------------------------------
# parameters and request bodies


def test_body_parameter() -> None:
    doc = _with_op(
        {
            "consumes": ["application/json", "application/xml"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "type": "string"},
                {
                    "name": "pet",
                    "in": "body",
                    "description": "The pet",
                    "required": True,
                    "schema": {"$ref": "#/definitions/Pet"},
                    "x-extra": 1,
                },
            ],
        },
        definitions={"Pet": {"type": "object"}},
    )
    result, notes = _run(doc)
    assert notes == []
    op = result["paths"]["/p/{id}"]["post"]
    assert op["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    schema = {"$ref": "#/components/schemas/Pet"}
    assert op["requestBody"] == {
        "description": "The pet",
        "content": {
            "application/json": {"schema": schema},
            "application/xml": {"schema": schema},
        },
        "required": True,
        "x-codegen-request-body-name": "pet",
        "x-extra": 1,
    }


def test_body_parameter_default_media_type() -> None:
    doc = _with_op({"parameters": [{"name": "b", "in": "body", "schema": {}}]})
    result, _ = _run(doc)
    body = result["paths"]["/p/{id}"]["post"]["requestBody"]
    assert body == {
        "content": {"application/json": {"schema": {}}},
        "x-codegen-request-body-name": "b",
    }


def test_form_data_with_file() -> None:
    doc = _with_op(
        {
            "consumes": ["multipart/form-data"],
            "parameters": [
                {
                    "name": "file",
                    "in": "formData",
                    "type": "file",
                    "required": True,
                    "description": "The upload",
                },
                {"name": "note", "in": "formData", "type": "string", "maxLength": 10},
            ],
        }
    )
    result, notes = _run(doc)
    assert notes == []
    assert result["paths"]["/p/{id}"]["post"]["requestBody"] == {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "description": "The upload",
                            "type": "string",
                            "format": "binary",
                        },
                        "note": {"type": "string", "maxLength": 10},
                    },
                    "required": ["file"],
                }
            }
        },
        "required": True,
    }


def test_form_data_file_without_multipart_consumes() -> None:
    doc = _with_op({"parameters": [{"name": "f", "in": "formData", "type": "file"}]})
    result, notes = _run(doc)
    content = result["paths"]["/p/{id}"]["post"]["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    assert _codes(notes) == [
        ("file-not-multipart", "/paths/~1p~1{id}/post/parameters/0")
    ]


@pytest.mark.parametrize(
    ("consumes", "media_types"),
    [
        (None, ["application/x-www-form-urlencoded"]),
        (["application/json"], ["application/x-www-form-urlencoded"]),
        (["multipart/form-data"], ["multipart/form-data"]),
        (
            ["application/x-www-form-urlencoded", "multipart/form-data"],
            ["application/x-www-form-urlencoded", "multipart/form-data"],
        ),
    ],
)
def test_form_data_media_types(
    consumes: list[str] | None, media_types: list[str]
) -> None:
    op: dict[str, Any] = {
        "parameters": [{"name": "a", "in": "formData", "type": "integer"}]
    }
    if consumes is not None:
        op["consumes"] = consumes
    result, _ = _run(_with_op(op))
    body = result["paths"]["/p/{id}"]["post"]["requestBody"]
    assert list(body["content"]) == media_types
    assert "required" not in body
    for media in media_types:
        assert body["content"][media]["schema"] == {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
        }


def test_form_data_array_encoding() -> None:
    doc = _with_op(
        {
            "parameters": [
                {
                    "name": "ids",
                    "in": "formData",
                    "type": "array",
                    "items": {"type": "integer"},
                    "collectionFormat": "multi",
                },
                {
                    "name": "tags",
                    "in": "formData",
                    "type": "array",
                    "items": {"type": "string"},
                },
            ]
        }
    )
    result, _ = _run(doc)
    media = result["paths"]["/p/{id}"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"
    ]
    assert media["encoding"] == {
        "ids": {"style": "form", "explode": True},
        "tags": {"style": "form", "explode": False},
    }


@pytest.mark.parametrize(
    ("location", "fmt", "style", "explode", "note"),
    [
        ("query", None, "form", False, None),
        ("query", "csv", "form", False, None),
        ("query", "multi", "form", True, None),
        ("query", "ssv", "spaceDelimited", False, None),
        ("query", "pipes", "pipeDelimited", False, None),
        ("query", "tsv", "form", False, "collection-format"),
        ("query", "bogus", "form", False, "collection-format"),
        ("header", "csv", "simple", False, None),
        ("header", None, "simple", False, None),
        ("header", "pipes", "simple", False, "collection-format"),
        ("path", "csv", "simple", False, None),
        ("path", "multi", "simple", False, "collection-format"),
        ("path", "tsv", "simple", False, "collection-format"),
    ],
)
def test_collection_format(
    location: str, fmt: str | None, style: str, explode: bool, note: str | None
) -> None:
    param: dict[str, Any] = {
        "name": "id" if location == "path" else "v",
        "in": location,
        "required": True,
        "type": "array",
        "items": {"type": "string"},
    }
    if fmt is not None:
        param["collectionFormat"] = fmt
    result, notes = _run(_with_op({"parameters": [param]}, method="get"))
    out = result["paths"]["/p/{id}"]["get"]["parameters"][0]
    assert out["schema"] == {"type": "array", "items": {"type": "string"}}
    assert (out["style"], out["explode"]) == (style, explode)
    assert "collectionFormat" not in out
    pointer = "/paths/~1p~1{id}/get/parameters/0/collectionFormat"
    assert _codes(notes) == ([] if note is None else [(note, pointer)])


def test_non_body_parameter_schema_keywords() -> None:
    param = {
        "name": "limit",
        "in": "query",
        "description": "max",
        "type": "integer",
        "format": "int32",
        "minimum": 1,
        "maximum": 100,
        "exclusiveMaximum": True,
        "default": 20,
        "enum": [10, 20, 100],
        "multipleOf": 10,
        "allowEmptyValue": True,
        "x-nullable": True,
        "x-ext": "kept",
    }
    result, notes = _run(_with_op({"parameters": [param]}, method="get"))
    assert notes == []
    assert result["paths"]["/p/{id}"]["get"]["parameters"][0] == {
        "name": "limit",
        "in": "query",
        "description": "max",
        "allowEmptyValue": True,
        "schema": {
            "type": "integer",
            "format": "int32",
            "minimum": 1,
            "maximum": 100,
            "exclusiveMaximum": True,
            "default": 20,
            "enum": [10, 20, 100],
            "multipleOf": 10,
            "nullable": True,
        },
        "x-ext": "kept",
    }


def test_allow_empty_value_only_in_query() -> None:
    param = {"name": "h", "in": "header", "type": "string", "allowEmptyValue": True}
    result, _ = _run(_with_op({"parameters": [param]}, method="get"))
    assert "allowEmptyValue" not in result["paths"]["/p/{id}"]["get"]["parameters"][0]


def test_path_level_parameters() -> None:
    doc = _doc(
        paths={
            "/p/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "type": "string"},
                    {"name": "body", "in": "body", "schema": {"type": "object"}},
                ],
                "put": {"responses": {"204": {"description": "ok"}}},
                "post": {
                    "parameters": [
                        {"name": "own", "in": "body", "schema": {"type": "string"}}
                    ],
                    "responses": {"204": {"description": "ok"}},
                },
                "patch": {
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [{"name": "f", "in": "formData", "type": "string"}],
                    "responses": {"204": {"description": "ok"}},
                },
            }
        }
    )
    result, notes = _run(doc)
    assert notes == []
    item = result["paths"]["/p/{id}"]
    assert item["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert item["put"]["requestBody"]["content"] == {
        "application/json": {"schema": {"type": "object"}}
    }
    assert item["post"]["requestBody"]["content"] == {
        "application/json": {"schema": {"type": "string"}}
    }
    assert list(item["patch"]["requestBody"]["content"]) == [
        "application/x-www-form-urlencoded"
    ]


def test_path_level_form_data_merged_and_overridden() -> None:
    doc = _doc(
        paths={
            "/p": {
                "parameters": [
                    {"name": "a", "in": "formData", "type": "string"},
                    {"name": "b", "in": "formData", "type": "string"},
                ],
                "post": {
                    "parameters": [{"name": "b", "in": "formData", "type": "integer"}],
                    "responses": {"204": {"description": "ok"}},
                },
            }
        }
    )
    result, _ = _run(doc)
    assert "parameters" not in result["paths"]["/p"]
    schema = result["paths"]["/p"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"
    ]["schema"]
    assert schema["properties"] == {"b": {"type": "integer"}, "a": {"type": "string"}}


def test_path_parameter_forced_required() -> None:
    param = {"name": "id", "in": "path", "type": "string"}
    result, notes = _run(_with_op({"parameters": [param]}, method="get"))
    assert result["paths"]["/p/{id}"]["get"]["parameters"][0]["required"] is True
    assert _codes(notes) == [("missing-field", "/paths/~1p~1{id}/get/parameters/0")]


# --------------------------------------------------------------------------
# responses, consumes/produces


def test_response_schema_headers_and_file() -> None:
    doc = _with_op(
        {
            "produces": ["application/octet-stream"],
            "responses": {
                "200": {
                    "description": "the file",
                    "schema": {"type": "file"},
                    "headers": {
                        "X-Rate": {
                            "type": "integer",
                            "description": "left",
                            "x-h": 1,
                        },
                        "X-List": {"type": "array", "items": {"type": "string"}},
                    },
                    "x-resp": True,
                }
            },
        },
        method="get",
    )
    result, notes = _run(doc)
    assert notes == []
    assert result["paths"]["/p/{id}"]["get"]["responses"]["200"] == {
        "description": "the file",
        "headers": {
            "X-Rate": {"description": "left", "schema": {"type": "integer"}, "x-h": 1},
            "X-List": {"schema": {"type": "array", "items": {"type": "string"}}},
        },
        "content": {
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}
            }
        },
        "x-resp": True,
    }


def test_response_examples() -> None:
    doc = _with_op(
        {
            "produces": ["application/json"],
            "responses": {
                "200": {
                    "description": "ok",
                    "schema": {"type": "object"},
                    "examples": {
                        "application/json": {"a": 1},
                        "text/plain": "a=1",
                    },
                },
                "201": {
                    "description": "no schema",
                    "examples": {"text/plain": "hi"},
                },
            },
        },
        method="get",
    )
    result, notes = _run(doc)
    responses = result["paths"]["/p/{id}"]["get"]["responses"]
    assert responses["200"]["content"] == {
        "application/json": {"schema": {"type": "object"}, "example": {"a": 1}}
    }
    assert responses["201"]["content"] == {"text/plain": {"example": "hi"}}
    assert _codes(notes) == [
        ("example-dropped", "/paths/~1p~1{id}/get/responses/200/examples/text~1plain")
    ]


def test_produces_consumes_per_operation() -> None:
    doc = _doc(
        consumes=["application/json"],
        produces=["application/json"],
        parameters={"Body": {"name": "b", "in": "body", "schema": {"type": "object"}}},
        responses={"Ok": {"description": "ok", "schema": {"type": "object"}}},
        paths={
            "/same": {
                "post": {
                    "parameters": [{"$ref": "#/parameters/Body"}],
                    "responses": {"200": {"$ref": "#/responses/Ok"}},
                }
            },
            "/other": {
                "post": {
                    "consumes": ["application/xml"],
                    "produces": ["application/xml", "text/plain"],
                    "parameters": [{"$ref": "#/parameters/Body"}],
                    "responses": {
                        "200": {"$ref": "#/responses/Ok"},
                        "201": {"description": "c", "schema": {"type": "string"}},
                    },
                }
            },
        },
    )
    result, notes = _run(doc)
    assert notes == []
    same = result["paths"]["/same"]["post"]
    assert same["requestBody"] == {"$ref": "#/components/requestBodies/Body"}
    assert same["responses"]["200"] == {"$ref": "#/components/responses/Ok"}
    other = result["paths"]["/other"]["post"]
    assert "consumes" not in other and "produces" not in other
    assert other["requestBody"]["content"] == {
        "application/xml": {"schema": {"type": "object"}}
    }
    assert other["responses"]["200"] == {
        "description": "ok",
        "content": {
            "application/xml": {"schema": {"type": "object"}},
            "text/plain": {"schema": {"type": "object"}},
        },
    }
    assert list(other["responses"]["201"]["content"]) == [
        "application/xml",
        "text/plain",
    ]
    components = result["components"]
    assert components["requestBodies"]["Body"] == {
        "content": {"application/json": {"schema": {"type": "object"}}},
        "x-codegen-request-body-name": "b",
    }
    assert components["responses"]["Ok"] == {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }


def test_operation_schemes_become_servers() -> None:
    doc = _with_op({"schemes": ["wss"]}, method="get", host="h", schemes=["https"])
    result, _ = _run(doc)
    assert result["paths"]["/p/{id}"]["get"]["servers"] == [{"url": "wss://h"}]


# --------------------------------------------------------------------------
# references and components


def test_ref_rewriting() -> None:
    doc = _doc(
        definitions={
            "Pet": {
                "type": "object",
                "properties": {
                    "owner": {"$ref": "#/definitions/a~1b"},
                    "tilde": {"$ref": "#/definitions/c~0d"},
                    "name": {"$ref": "#/definitions/Pet/properties/owner"},
                    "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
                    "extra": {"additionalProperties": {"$ref": "#/definitions/Tag"}},
                },
            },
            "a/b": {"type": "string"},
            "c~d": {"type": "string"},
            "Tag": {"allOf": [{"$ref": "#/definitions/Pet"}]},
        },
        parameters={
            "Limit": {"name": "limit", "in": "query", "type": "integer"},
            "Pet": {
                "name": "pet",
                "in": "body",
                "schema": {"$ref": "#/definitions/Pet"},
            },
        },
        responses={
            "Err": {"description": "e", "schema": {"$ref": "#/definitions/Tag"}}
        },
        paths={
            "/pets": {
                "post": {
                    "parameters": [
                        {"$ref": "#/parameters/Limit"},
                        {"$ref": "#/parameters/Pet"},
                    ],
                    "responses": {"default": {"$ref": "#/responses/Err"}},
                }
            }
        },
    )
    result, notes = _run(doc)
    schemas = result["components"]["schemas"]
    assert list(schemas) == ["Pet", "a_b", "c_d", "Tag"]
    props = schemas["Pet"]["properties"]
    assert props["owner"] == {"$ref": "#/components/schemas/a_b"}
    assert props["tilde"] == {"$ref": "#/components/schemas/c_d"}
    assert props["name"] == {"$ref": "#/components/schemas/Pet/properties/owner"}
    assert props["tags"]["items"] == {"$ref": "#/components/schemas/Tag"}
    assert props["extra"]["additionalProperties"] == {
        "$ref": "#/components/schemas/Tag"
    }
    assert schemas["Tag"] == {"allOf": [{"$ref": "#/components/schemas/Pet"}]}
    op = result["paths"]["/pets"]["post"]
    assert op["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    assert op["requestBody"] == {"$ref": "#/components/requestBodies/Pet"}
    assert op["responses"] == {"default": {"$ref": "#/components/responses/Err"}}
    assert result["components"]["parameters"] == {
        "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    }
    assert result["components"]["responses"]["Err"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}
    }
    assert _codes(notes) == [
        ("renamed-component", "/definitions/a~1b"),
        ("renamed-component", "/definitions/c~0d"),
    ]


def test_escaped_names_kept_when_valid() -> None:
    doc = _doc(
        definitions={"A.b-c_d": {"type": "string"}},
        paths={
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {"$ref": "#/definitions/A.b-c_d"},
                        }
                    }
                }
            }
        },
    )
    result, notes = _run(doc)
    assert notes == []
    schema = result["paths"]["/a"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema == {"$ref": "#/components/schemas/A.b-c_d"}


def test_renamed_component_uniqueness() -> None:
    doc = _doc(
        definitions={
            "List«Pet»": {"type": "array"},
            "List_Pet_": {"type": "object"},
            "Ref": {"$ref": "#/definitions/List«Pet»"},
        }
    )
    result, notes = _run(doc)
    schemas = result["components"]["schemas"]
    assert list(schemas) == ["List_Pet__2", "List_Pet_", "Ref"]
    assert schemas["Ref"] == {"$ref": "#/components/schemas/List_Pet__2"}
    assert [n[0] for n in notes] == ["renamed-component"]


def test_form_data_parameter_ref_is_inlined() -> None:
    doc = _doc(
        parameters={"F": {"name": "f", "in": "formData", "type": "string"}},
        paths={
            "/a": {
                "post": {
                    "parameters": [{"$ref": "#/parameters/F"}],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    )
    result, notes = _run(doc)
    assert notes == []
    assert "components" not in result
    content = result["paths"]["/a"]["post"]["requestBody"]["content"]
    assert content["application/x-www-form-urlencoded"]["schema"] == {
        "type": "object",
        "properties": {"f": {"type": "string"}},
    }


def test_dangling_and_external_refs_noted() -> None:
    doc = _doc(
        definitions={
            "A": {
                "properties": {
                    "b": {"$ref": "#/definitions/Missing"},
                    "c": {"$ref": "other.yaml#/definitions/C"},
                }
            }
        }
    )
    result, notes = upgrade(doc)
    props = result["components"]["schemas"]["A"]["properties"]
    assert props["b"] == {"$ref": "#/components/schemas/Missing"}
    assert props["c"] == {"$ref": "other.yaml#/definitions/C"}
    assert _codes(notes) == [
        ("dangling-ref", "/definitions/A/properties/b/$ref"),
        ("external-ref", "/definitions/A/properties/c/$ref"),
    ]


# --------------------------------------------------------------------------
# schemas


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "x-nullable": True}, {"type": "string", "nullable": True}),
        (
            {"type": "string", "x-nullable": False},
            {"type": "string", "nullable": False},
        ),
        (
            {"$ref": "#/definitions/B", "x-nullable": True},
            {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": True},
        ),
        (
            {
                "type": "object",
                "properties": {"p": {"type": "integer", "x-nullable": True}},
            },
            {
                "type": "object",
                "properties": {"p": {"type": "integer", "nullable": True}},
            },
        ),
        ({"type": "file"}, {"type": "string", "format": "binary"}),
        (
            {"type": "object", "discriminator": "kind", "required": ["kind"]},
            {
                "type": "object",
                "discriminator": {"propertyName": "kind"},
                "required": ["kind"],
            },
        ),
        ({"type": "object", "required": []}, {"type": "object"}),
        (
            {
                "type": "array",
                "items": {"type": "array", "items": {"x-nullable": True}},
            },
            {"type": "array", "items": {"type": "array", "items": {"nullable": True}}},
        ),
        (
            {
                "type": "object",
                "additionalProperties": True,
                "example": {"x-nullable": True, "$ref": "#/definitions/B"},
                "xml": {"name": "a"},
                "readOnly": True,
                "x-ext": {"$ref": "#/definitions/B"},
            },
            {
                "type": "object",
                "additionalProperties": True,
                "example": {"x-nullable": True, "$ref": "#/definitions/B"},
                "xml": {"name": "a"},
                "readOnly": True,
                "x-ext": {"$ref": "#/definitions/B"},
            },
        ),
    ],
)
def test_schema_conversion(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    doc = _doc(definitions={"A": schema, "B": {"type": "string"}})
    result, notes = _run(doc)
    assert notes == []
    assert result["components"]["schemas"]["A"] == expected


# --------------------------------------------------------------------------
# security


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ({"type": "basic"}, {"type": "http", "scheme": "basic"}),
        (
            {"type": "apiKey", "name": "X-Key", "in": "header", "description": "d"},
            {"type": "apiKey", "name": "X-Key", "in": "header", "description": "d"},
        ),
        (
            {
                "type": "oauth2",
                "flow": "implicit",
                "authorizationUrl": "https://a",
                "scopes": {"read": "r"},
            },
            {
                "type": "oauth2",
                "flows": {
                    "implicit": {
                        "authorizationUrl": "https://a",
                        "scopes": {"read": "r"},
                    }
                },
            },
        ),
        (
            {
                "type": "oauth2",
                "flow": "password",
                "tokenUrl": "https://t",
                "scopes": {},
            },
            {
                "type": "oauth2",
                "flows": {"password": {"tokenUrl": "https://t", "scopes": {}}},
            },
        ),
        (
            {"type": "oauth2", "flow": "application", "tokenUrl": "https://t"},
            {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}},
            },
        ),
        (
            {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://a",
                "tokenUrl": "https://t",
                "scopes": {"w": "write"},
                "x-ext": 1,
            },
            {
                "type": "oauth2",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": "https://a",
                        "tokenUrl": "https://t",
                        "scopes": {"w": "write"},
                    }
                },
                "x-ext": 1,
            },
        ),
    ],
)
def test_security_definitions(
    definition: dict[str, Any], expected: dict[str, Any]
) -> None:
    doc = _with_op(
        {"security": [{"auth": []}]},
        method="get",
        securityDefinitions={"auth": definition},
    )
    result, notes = _run(doc)
    assert notes == []
    assert result["components"]["securitySchemes"] == {"auth": expected}
    assert result["paths"]["/p/{id}"]["get"]["security"] == [{"auth": []}]


def test_operation_fields_and_extensions_kept() -> None:
    op = {
        "tags": ["a"],
        "summary": "s",
        "description": "d",
        "operationId": "op",
        "deprecated": True,
        "externalDocs": {"url": "https://e"},
        "x-op": [1, 2],
    }
    result, notes = _run(_with_op(op, method="get", **{"x-root": 1}))
    assert notes == []
    out = result["paths"]["/p/{id}"]["get"]
    for key, value in op.items():
        assert out[key] == value
    assert result["x-root"] == 1
