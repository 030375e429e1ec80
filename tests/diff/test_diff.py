"""``clientgen diff``: each classification rule in both directions, and the CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.builder import BuildSettings, build
from generator.cli import main
from generator.diagnostics import Diagnostics
from generator.diff import Change, compare, surface_of
from generator.diff.types import Relation, relation

Spec = dict[str, Any]


def _json(schema: Spec) -> Spec:
    return {"application/json": {"schema": schema}}


INVOICE = {"$ref": "#/components/schemas/Invoice"}
BASE: Spec = {
    "openapi": "3.0.3",
    "info": {"title": "Books", "version": "1"},
    "servers": [{"url": "https://books.example/v1"}],
    "security": [{"key": []}],
    "paths": {
        "/invoices": {
            "get": {
                "operationId": "listInvoices",
                "tags": ["invoices"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "number"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": _json({"type": "array", "items": INVOICE}),
                    }
                },
            },
            "post": {
                "operationId": "createInvoice",
                "tags": ["invoices"],
                "requestBody": {
                    "required": True,
                    "content": _json({"$ref": "#/components/schemas/NewInvoice"}),
                },
                "responses": {"201": {"description": "ok", "content": _json(INVOICE)}},
            },
        },
        "/invoices/{id}": {
            "get": {
                "operationId": "getInvoice",
                "tags": ["invoices"],
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {"200": {"description": "ok", "content": _json(INVOICE)}},
            }
        },
    },
    "components": {
        "securitySchemes": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "token": {"type": "http", "scheme": "bearer"},
        },
        "schemas": {
            "Invoice": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "total": {"type": "number"},
                    "status": {"$ref": "#/components/schemas/Status"},
                },
            },
            "NewInvoice": {
                "type": "object",
                "required": ["customer"],
                "properties": {
                    "customer": {"type": "string"},
                    "note": {"type": "string"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                },
            },
            "Status": {"type": "string", "enum": ["draft", "sent"]},
            "Kind": {"type": "string", "enum": ["sale", "credit"]},
        },
    },
}


def _surface(doc: Spec, pins: tuple[tuple[str, str, str], ...] = ()) -> Any:
    diags = Diagnostics()
    api = build(doc, BuildSettings(pins=pins), diags)
    assert not diags.has_errors, list(diags)
    return api


def diff_docs(old: Spec, new: Spec) -> list[Change]:
    old_api = _surface(old)
    pins = tuple((s, o, n) for s, o, _w, n in old_api.names)
    return compare(surface_of(old_api), surface_of(_surface(new, pins)))


def _op(doc: Spec, path: str, method: str) -> Spec:
    op: Spec = doc["paths"][path][method]
    return op


def _schema(doc: Spec, name: str) -> Spec:
    schema: Spec = doc["components"]["schemas"][name]
    return schema


def add_operation(d: Spec) -> None:
    d["paths"]["/invoices/{id}"]["delete"] = {
        "operationId": "deleteInvoice",
        "tags": ["invoices"],
        "parameters": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "integer"},
            }
        ],
        "responses": {"204": {"description": "gone"}},
    }


def add_optional_param(d: Spec) -> None:
    _op(d, "/invoices", "get")["parameters"].append(
        {"name": "q", "in": "query", "schema": {"type": "string"}}
    )


def add_required_param(d: Spec) -> None:
    _op(d, "/invoices", "get")["parameters"].append(
        {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}
    )


def require_param(d: Spec) -> None:
    _op(d, "/invoices", "get")["parameters"][0]["required"] = True


def narrow_param(d: Spec) -> None:
    _op(d, "/invoices", "get")["parameters"][0]["schema"] = {"type": "integer"}


def change_param_type(d: Spec) -> None:
    _op(d, "/invoices", "get")["parameters"][0]["schema"] = {"type": "string"}


def add_response_field(d: Spec) -> None:
    _schema(d, "Invoice")["properties"]["paid"] = {"type": "boolean"}


def add_required_request_field(d: Spec) -> None:
    _schema(d, "NewInvoice")["properties"]["currency"] = {"type": "string"}
    _schema(d, "NewInvoice")["required"].append("currency")


def add_optional_request_field(d: Spec) -> None:
    _schema(d, "NewInvoice")["properties"]["currency"] = {"type": "string"}


def unrequire_response_field(d: Spec) -> None:
    _schema(d, "Invoice")["required"] = []


def require_request_field(d: Spec) -> None:
    _schema(d, "NewInvoice")["required"].append("note")


def remove_input_enum_value(d: Spec) -> None:
    _schema(d, "Kind")["enum"] = ["sale"]


def add_output_enum_value(d: Spec) -> None:
    _schema(d, "Status")["enum"] = ["draft", "sent", "paid"]


def widen_response_field(d: Spec) -> None:
    _schema(d, "Invoice")["properties"]["total"] = {
        "oneOf": [{"type": "number"}, {"type": "string"}]
    }


def add_unused_model(d: Spec) -> None:
    d["components"]["schemas"]["Customer"] = {
        "type": "object",
        "properties": {"name": {"type": "string"}},
    }


def body_optional(d: Spec) -> None:
    _op(d, "/invoices", "post")["requestBody"]["required"] = False


def add_server(d: Spec) -> None:
    d["servers"].append({"url": "https://sandbox.books.example/v1"})


def stricter_security(d: Spec) -> None:
    d["security"] = [{"key": [], "token": []}]


def move_path(d: Spec) -> None:
    d["paths"]["/bills/{id}"] = d["paths"].pop("/invoices/{id}")


def drop_output_enum_value(d: Spec) -> None:
    _schema(d, "Status")["enum"] = ["draft"]


# (mutation, subject, forward breaking?, backward breaking?)
RULES: list[tuple[Callable[[Spec], None], str, bool, bool]] = [
    (add_operation, "invoices.delete", False, True),
    (add_optional_param, "invoices.list: parameter 'q'", False, True),
    (add_required_param, "invoices.list: parameter 'q'", True, True),
    (require_param, "invoices.list: parameter 'limit'", True, False),
    (narrow_param, "invoices.list: parameter 'limit'", True, False),
    (change_param_type, "invoices.list: parameter 'limit'", True, True),
    (add_response_field, "model Invoice: field 'paid'", False, True),
    (add_required_request_field, "model NewInvoice: field 'currency'", True, True),
    (add_optional_request_field, "model NewInvoice: field 'currency'", False, True),
    (unrequire_response_field, "model Invoice: field 'id'", True, False),
    (require_request_field, "model NewInvoice: field 'note'", True, False),
    (remove_input_enum_value, "enum Kind", True, False),
    (add_output_enum_value, "enum Status", False, False),
    (widen_response_field, "model Invoice: field 'total'", True, False),
    (add_unused_model, "model Customer", False, True),
    (body_optional, "invoices.create: request body", False, True),
    (stricter_security, "default security", True, False),
    (move_path, "invoices.get", False, False),
]


@pytest.mark.parametrize(
    ("mutate", "subject", "forward", "backward"),
    RULES,
    ids=[r[0].__name__ for r in RULES],
)
def test_rule_both_directions(
    mutate: Callable[[Spec], None], subject: str, forward: bool, backward: bool
) -> None:
    new = copy.deepcopy(BASE)
    mutate(new)
    for old_doc, new_doc, breaking in ((BASE, new, forward), (new, BASE, backward)):
        changes = diff_docs(old_doc, new_doc)
        mine = [c for c in changes if c.subject == subject]
        assert mine, f"no change for {subject!r} in {[c.render() for c in changes]}"
        assert any(c.breaking for c in mine) == breaking, [c.render() for c in mine]
        # the surface of the rest of the API did not move
        others = [c for c in changes if c.subject != subject]
        assert not [c for c in others if c.breaking and not breaking], others


def test_no_changes_for_an_identical_spec() -> None:
    assert diff_docs(BASE, copy.deepcopy(BASE)) == []


def test_categories_pick_the_bump() -> None:
    new = copy.deepcopy(BASE)
    add_optional_param(new)
    (change,) = diff_docs(BASE, new)
    assert (change.kind, change.category) == ("added", "addition")
    assert "new optional parameter" in change.message
    new = copy.deepcopy(BASE)
    move_path(new)
    changes = diff_docs(BASE, new)
    assert {c.category for c in changes} == {"other"}
    assert any("GET /bills/{id}" in c.message for c in changes)


def test_added_server_and_scheme_details() -> None:
    new = copy.deepcopy(BASE)
    add_server(new)
    changes = diff_docs(BASE, new)
    assert [c.category for c in changes if c.subject.startswith("server")] == [
        "addition"
    ]
    back = diff_docs(new, BASE)
    assert any(c.breaking and c.subject.startswith("server") for c in back)


def test_breaking_changes_come_first() -> None:
    new = copy.deepcopy(BASE)
    add_optional_param(new)
    require_request_field(new)
    add_response_field(new)
    changes = diff_docs(BASE, new)
    flags = [c.breaking for c in changes]
    assert flags == sorted(flags, reverse=True) and flags[0] and not flags[-1]


@pytest.mark.parametrize(
    ("old", "new", "rel"),
    [
        ("int", "int", Relation.SAME),
        ("int", "int | str", Relation.WIDER),
        ("int", "float", Relation.WIDER),
        ("Literal['a']", "str", Relation.WIDER),
        ("Literal['a', 'b']", "Literal['a']", Relation.NARROWER),
        ("str | None", "str", Relation.NARROWER),
        ("int", "str", Relation.OTHER),
        ("Invoice", "Bill", Relation.OTHER),
        ("int", "Any", Relation.WIDER),
    ],
)
def test_type_relation(old: str, new: str, rel: Relation) -> None:
    assert relation(old, new) is rel


# -- the command line ----------------------------------------------------------------


def _write(tmp_path: Path, name: str, doc: Spec) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), "utf-8")
    return str(path)


def test_cli_exit_codes_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = copy.deepcopy(BASE)
    require_param(new)
    add_optional_param(new)
    old_path, new_path = _write(tmp_path, "v1.json", BASE), _write(
        tmp_path, "v2.json", new
    )

    assert main(["diff", old_path, new_path]) == 0
    out = capsys.readouterr().out
    assert out.index("Breaking changes (1)") < out.index("Non-breaking changes (1)")
    assert "invoices.list: parameter 'limit'" in out

    assert main(["diff", old_path, new_path, "--fail-on", "breaking"]) == 1
    assert main(["diff", old_path, new_path, "--fail-on", "any"]) == 1
    assert main(["diff", old_path, old_path, "--fail-on", "any"]) == 0
    capsys.readouterr()

    # the other direction: the optional parameter is removed → breaking
    assert main(["diff", new_path, old_path, "--fail-on", "breaking"]) == 1
    capsys.readouterr()

    only_addition = copy.deepcopy(BASE)
    add_optional_param(only_addition)
    add_path = _write(tmp_path, "v3.json", only_addition)
    assert main(["diff", old_path, add_path, "--fail-on", "breaking"]) == 0
    assert main(["diff", old_path, add_path, "--fail-on", "any"]) == 1
    capsys.readouterr()

    assert main(["diff", old_path, new_path, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["valid"] is True and doc["breaking"] == 1
    assert [c["category"] for c in doc["changes"]] == ["breaking", "addition"]
    assert doc["changes"][0] == {
        "kind": "changed",
        "subject": "invoices.list: parameter 'limit'",
        "message": "parameter is now required",
        "breaking": True,
        "category": "breaking",
    }


def test_cli_invalid_spec_exits_2_with_a_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_path = _write(tmp_path, "v1.json", BASE)
    bad_path = str(tmp_path / "bad.json")
    Path(bad_path).write_text('{"openapi": "3.0.3", "paths": ', "utf-8")
    assert main(["diff", old_path, bad_path, "--fail-on", "none"]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "error[" in err and "Traceback" not in err

    assert main(["diff", old_path, str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in capsys.readouterr().err

    assert main(["diff", old_path, bad_path, "--format", "json"]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["valid"] is False and doc["changes"] == []
    assert doc["diagnostics"] and doc["diagnostics"][0]["level"] == "error"


def test_cli_uses_the_configured_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = copy.deepcopy(BASE)
    add_optional_param(new)
    old_path, new_path = _write(tmp_path, "v1.json", BASE), _write(
        tmp_path, "v2.json", new
    )
    config = tmp_path / "clientgen.yaml"
    config.write_text("rename:\n  resources:\n    invoices: bills\n", "utf-8")
    assert main(["diff", old_path, new_path, "--config", str(config)]) == 0
    # the resource rename applies to both sides: no removed/added methods
    out = capsys.readouterr().out
    assert "bills.list_invoices: parameter 'q'" in out
    assert "Breaking" not in out


def _requote(text: str) -> str:
    """Swap the quote style of a rendered expression (no quote inside a string)."""
    return text.translate(str.maketrans({"'": '"', '"': "'"})).replace(",)", ", )")


def test_rendering_of_the_recorded_surface_is_no_change() -> None:
    # a stored surface written by a generator that quoted literals another
    # way is the same API: no change, so regenerating does not bump
    new = surface_of(_surface(BASE))
    old = copy.deepcopy(new)
    schemes = old["auth"]["schemes"]
    assert schemes, "the spec has no auth schemes: else no test"
    for key, expr in schemes.items():
        assert "'" in expr, expr
        schemes[key] = _requote(expr)
    assert old != new
    assert compare(old, new) == []
    # a real change still shows
    key = sorted(schemes)[0]
    schemes[key] = schemes[key].replace("X-Key", "X-Other")
    assert [c.subject for c in compare(old, new)] == [f"auth scheme '{key}'"]


def test_type_text_tells_literals_of_equal_values_apart() -> None:
    """``1 == True`` and ``0 == False``: the spelling of one must not be
    remembered for the other (the spelling is cached per type)."""
    from generator import ir
    from generator.diff.surface import type_text

    spelled = [
        type_text(ir.LiteralOf(values))
        for values in [(True,), (1,), (1.0,), (False,), (0,)]
    ]
    assert spelled == [
        "Literal[True]",
        "Literal[1]",
        "Literal[1.0]",
        "Literal[False]",
        "Literal[0]",
    ]
    nested = [type_text(ir.ListOf(ir.LiteralOf((v,)))) for v in (True, 1)]
    assert nested == ["list[Literal[True]]", "list[Literal[1]]"]
