"""Honest types in both directions (issue 13): request TypedDicts checked by
mypy, response models by the OpenAPI direction rules, exact numbers, and a
client that sends what it is given unless told to be strict.

The package is generated from a small inline spec; the mypy half runs
``mypy --strict`` once over a few user scripts, each with the mistakes a
user would make, and checks which lines it flags.
"""

from __future__ import annotations

import decimal
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import generate_package, import_package

MONEY = {"type": "number", "format": "decimal"}
AN_INVOICE = {
    "description": "ok",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Invoice"}}
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Ledger", "version": "1"},
    "servers": [{"url": "https://ledger.example/v1"}],
    "paths": {
        "/invoices": {
            "post": {
                "operationId": "invoices_create",
                "tags": ["invoices"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Invoice"}
                        }
                    },
                },
                "responses": {"201": AN_INVOICE},
            }
        },
        "/invoices/{id}": {
            "get": {
                "operationId": "invoices_get",
                "tags": ["invoices"],
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {"200": AN_INVOICE},
            }
        },
        "/folders/{path}": {
            "get": {
                "operationId": "folders_get",
                "tags": ["folders"],
                "parameters": [
                    {
                        "name": "path",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "minLength": 0},
                    }
                ],
                "responses": {"204": {"description": "none"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Invoice": {
                "type": "object",
                "required": ["id", "customer_name", "lines"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "customer_name": {"type": "string"},
                    "lines": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Line"},
                    },
                    "note": {"type": "string", "nullable": True},
                    "discount": MONEY,
                    "total": {**MONEY, "readOnly": True},
                    "secret": {"type": "string", "writeOnly": True},
                    "x-ref": {"type": "string"},
                    "kind": {"type": "string", "enum": ["sale", "refund"]},
                    "meta": {  # open: keys besides its properties are welcome
                        "type": "object",
                        "properties": {"source": {"type": "string"}},
                        "additionalProperties": {},
                    },
                },
            },
            "Line": {
                "type": "object",
                "required": ["quantity", "price"],
                "properties": {
                    "quantity": {"type": "integer"},
                    "price": MONEY,
                    "x-code": {"type": "string"},
                },
            },
        }
    },
}

INVOICE = {
    "id": 7,
    "customer_name": "Acme",
    "lines": [{"quantity": 2, "price": 0.1}],
    "discount": 0.30,
    "total": 0.2,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return generate_package(
        SPEC, tmp_path_factory.mktemp("ledger"), config={"client_name": "Ledger"}
    )


@pytest.fixture(scope="module")
def pkg(built: tuple[Path, str]) -> Any:
    return import_package(*built)


Handler = Callable[[httpx.Request], httpx.Response]


def _client(
    pkg: Any, answer: Any = INVOICE, status: int = 201, **settings: Any
) -> tuple[Any, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=answer)

    transport = httpx.MockTransport(handler)
    client = pkg.Ledger(http_client=httpx.Client(transport=transport), **settings)
    return client, seen


# -- mypy over user scripts -------------------------------------------------------

#: script name → (source, the lines mypy must flag); every other line must pass
SCRIPTS: dict[str, tuple[str, set[int]]] = {
    "good": (
        """
        import decimal
        from {pkg} import Ledger
        from {pkg}.params import InvoiceParams

        client = Ledger()
        body: InvoiceParams = {{
            "customer_name": "A",
            "lines": [{{"quantity": 1, "price": decimal.Decimal("0.1"), "x-code": "c"}}],
            "note": None,
            "discount": "0.30",
            "secret": "s",
            "x-ref": "r",
        }}
        created = client.invoices.create(body, extra_body={{"unknown": 1}})
        fetched = client.invoices.get(1)
        ident: int = fetched.id
        name: str = fetched.customer_name
        client.invoices.create(
            {{"customer_name": "B", "lines": [{{"quantity": 1, "price": 2}}]}}
        )
        client.invoices.create(
            {{"customer_name": "C", "lines": [], "meta": {{"source": "s", "tag": 1}}}}
        )
        """,
        set(),
    ),
    "misspelled_key": (
        """
        from {pkg} import Ledger

        Ledger().invoices.create(
            {{"customer_name": "A", "lines": [], "custmer_note": "x"}}
        )
        """,
        {4},
    ),
    "misspelled_key_in_a_closed_item": (
        """
        from {pkg} import Ledger

        Ledger().invoices.create(
            {{"customer_name": "A", "lines": [{{"quantity": 1, "prise": 2}}]}}
        )
        """,
        {4},
    ),
    "missing_required_key": (
        """
        from {pkg} import Ledger

        Ledger().invoices.create({{"lines": []}})
        """,
        {3},
    ),
    "wrong_value_type": (
        """
        from {pkg} import Ledger

        Ledger().invoices.create({{"customer_name": 42, "lines": []}})
        Ledger().invoices.create(
            {{"customer_name": "A", "lines": [{{"quantity": "two", "price": 1}}]}}
        )
        """,
        {3, 5},
    ),
    "read_only_in_request": (
        """
        from {pkg} import Ledger

        Ledger().invoices.create({{"id": 1, "customer_name": "A", "lines": []}})
        Ledger().invoices.create({{"total": 1, "customer_name": "A", "lines": []}})
        """,
        {3, 4},
    ),
    "null_where_not_allowed": (
        """
        from {pkg} import Ledger

        Ledger().invoices.create({{"customer_name": None, "lines": []}})
        """,
        {3},
    ),
    "id_is_int": (
        """
        from {pkg} import Ledger

        ident = Ledger().invoices.get(1).id
        reveal_type(ident)
        secret = Ledger().invoices.get(1).secret
        """,
        {4, 5},  # reveal_type is a note; writeOnly is never in a response
    ),
}


@pytest.fixture(scope="module")
def mypy_report(
    built: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> str:
    folder, package = built
    scripts = tmp_path_factory.mktemp("scripts")
    for name, (source, _lines) in SCRIPTS.items():
        text = textwrap.dedent(source).lstrip("\n").format(pkg=package)
        (scripts / f"{name}.py").write_text(text, "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            "--show-error-codes",
            *sorted(str(p) for p in scripts.glob("*.py")),
        ],
        cwd=scripts,
        env={"MYPYPATH": str(folder), "PATH": ""},
        capture_output=True,
        text=True,
    )
    assert "error: Cannot find implementation" not in result.stdout, result.stdout
    return result.stdout


def _flagged(report: str, name: str) -> dict[int, str]:
    lines: dict[int, str] = {}
    for line in report.splitlines():
        head, _, rest = line.partition(": ")
        path, _, number = head.rpartition(":")
        if Path(path).name == f"{name}.py" and number.isdigit():
            lines[int(number)] = lines.get(int(number), "") + rest
    return lines


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_mypy_flags_exactly_the_mistakes(mypy_report: str, name: str) -> None:
    flagged = _flagged(mypy_report, name)
    assert set(flagged) == SCRIPTS[name][1], mypy_report


def test_a_fetched_records_id_is_int(mypy_report: str) -> None:
    note = _flagged(mypy_report, "id_is_int")[4]
    assert 'Revealed type is "builtins.int"' in note or 'Revealed type is "int"' in note


# -- run time: what is sent -------------------------------------------------------


def test_a_body_the_description_refuses_is_still_sent(pkg: Any) -> None:
    client, seen = _client(pkg)
    body = {"lines": [{"quantity": "two"}], "customer_name": 5}
    created = client.invoices.create(body)
    assert json.loads(seen[0].content) == body
    assert created.id == 7


def test_strict_requests_restores_validation(pkg: Any) -> None:
    client, seen = _client(pkg, strict_requests=True)
    with pytest.raises(pkg.RequestValidationError) as info:
        client.invoices.create({"lines": [], "customer_name": 5})
    assert isinstance(info.value, ValueError)
    assert seen == []
    lenient = client.with_options(strict_requests=False)
    lenient.invoices.create({"lines": [], "customer_name": 5})
    assert len(seen) == 1


def test_an_unencodable_value_is_a_request_validation_error(pkg: Any) -> None:
    client, seen = _client(pkg)
    for bad in (float("nan"), decimal.Decimal("Infinity"), object()):
        with pytest.raises(pkg.RequestValidationError):
            client.invoices.create({"customer_name": "A", "lines": [], "discount": bad})
    assert seen == []


def test_an_empty_path_parameter_is_sent(pkg: Any) -> None:
    client, seen = _client(pkg, None, 204)
    client.folders.get("")
    client.folders.get("a/b")
    assert [r.url.raw_path for r in seen] == [b"/v1/folders/", b"/v1/folders/a%2Fb"]


def test_absent_keys_are_not_sent_and_none_is_null(pkg: Any) -> None:
    client, seen = _client(pkg)
    client.invoices.create({"customer_name": "A", "lines": []})
    client.invoices.create({"customer_name": "A", "lines": [], "note": None})
    first, second = (json.loads(r.content) for r in seen)
    assert first == {"customer_name": "A", "lines": []}
    assert second == {"customer_name": "A", "lines": [], "note": None}


def test_extra_body_is_merged_into_the_json(pkg: Any) -> None:
    client, seen = _client(pkg)
    model = pkg.models.Invoice.model_validate(INVOICE)
    client.invoices.create({"customer_name": "A", "lines": []}, extra_body={"b": [1]})
    client.invoices.create(model, extra_body={"customer_name": "B"})
    first, second = (json.loads(r.content) for r in seen)
    assert first == {"customer_name": "A", "lines": [], "b": [1]}
    assert second["customer_name"] == "B" and "id" not in second  # readOnly


def test_an_open_objects_extra_keys_reach_the_wire(pkg: Any) -> None:
    client, seen = _client(pkg)
    meta = {"source": "s", "tag": [1, {"deep": None}]}
    client.invoices.create({"customer_name": "A", "lines": [], "meta": meta})
    assert json.loads(seen[0].content)["meta"] == meta


def test_a_model_is_still_accepted_and_read_only_fields_stay_home(pkg: Any) -> None:
    client, seen = _client(pkg)
    fetched = client.invoices.get(7)
    client.invoices.create(fetched)
    sent = json.loads(seen[-1].content)
    assert "id" not in sent and "total" not in sent
    assert sent["customer_name"] == "Acme"


# -- run time: exact numbers ------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "wire"),
    [
        (decimal.Decimal("0.1") + decimal.Decimal("0.2"), b"0.3"),
        (decimal.Decimal("1.20"), b"1.20"),
        (decimal.Decimal("-0.000001"), b"-0.000001"),
        (
            decimal.Decimal("12345678901234567890.123456789"),
            b"12345678901234567890.123456789",
        ),
        (decimal.Decimal("3"), b"3"),
        ("0.30", b"0.30"),
        (2, b"2"),
        (0.5, b"0.5"),
    ],
)
def test_money_goes_out_exactly(pkg: Any, given: Any, wire: bytes) -> None:
    client, seen = _client(pkg)
    client.invoices.create({"customer_name": "A", "lines": [], "discount": given})
    assert (
        seen[0].content == b'{"customer_name":"A","lines":[],"discount":' + wire + b"}"
    )


def test_money_round_trips_exactly(pkg: Any) -> None:
    answer = {
        **INVOICE,
        "discount": 0.30000000000000004,
        "lines": [{"quantity": 1, "price": 19.99}],
    }
    client, seen = _client(pkg, answer)
    fetched = client.invoices.get(7)
    assert fetched.discount == decimal.Decimal("0.30000000000000004")
    assert fetched.lines[0].price == decimal.Decimal("19.99")
    assert isinstance(fetched.lines[0].quantity, int)
    client.invoices.create(fetched)
    sent = seen[-1].content
    assert b'"discount":0.30000000000000004' in sent and b'"price":19.99' in sent


def test_a_fetched_records_id_is_an_int_at_run_time(pkg: Any) -> None:
    client, _ = _client(pkg)
    fetched = client.invoices.get(7)
    assert type(fetched.id) is int and fetched.id == 7
    assert pkg.models.Invoice.model_fields["id"].is_required()
    assert "secret" not in pkg.models.Invoice.model_fields


# -- run time: lenient and honest responses ---------------------------------------


def test_a_mismatching_field_raises_on_read_and_its_siblings_read_fine(
    pkg: Any, caplog: pytest.LogCaptureFixture
) -> None:
    answer = {
        **INVOICE,
        "customer_name": ["not", "a", "string"],
        "lines": [{"quantity": 1, "price": 2}, {"quantity": "many", "price": 3}],
        "kind": "barter",  # an enum value the description does not know
    }
    client, _ = _client(pkg, answer)
    with caplog.at_level(logging.WARNING):
        fetched = client.invoices.get(7)
        client.invoices.get(7)
    assert (fetched.id, fetched.discount, fetched.kind) == (
        7,
        decimal.Decimal("0.3"),
        "barter",
    )
    assert fetched.lines[0].quantity == 1 and fetched.lines[1].price == 3
    with pytest.raises(pkg.ResponseValidationError) as info:
        fetched.customer_name  # noqa: B018
    error = info.value
    assert isinstance(error, pkg.InvalidFieldError)
    assert (error.model, error.field, error.path) == (
        "Invoice",
        "customer_name",
        "$.customer_name",
    )
    assert error.raw == ["not", "a", "string"]
    assert "Invoice.customer_name at $.customer_name" in str(error)
    with pytest.raises(pkg.InvalidFieldError) as nested:
        fetched.lines[1].quantity  # noqa: B018
    assert (nested.value.model, nested.value.path, nested.value.raw) == (
        "Line",
        "$.lines[1].quantity",
        "many",
    )
    assert fetched.model_extra == {"customer_name": ["not", "a", "string"]}
    # one warning per (model, field), however often it happens
    warned = [
        r.getMessage() for r in caplog.records if "does not fit" in r.getMessage()
    ]
    assert len(warned) == 2
    assert any("Invoice.customer_name" in w for w in warned)
    assert any("Line.quantity" in w for w in warned)


def test_strict_responses_raise_at_decode(pkg: Any) -> None:
    client, _ = _client(pkg, {**INVOICE, "customer_name": 5}, strict_responses=True)
    with pytest.raises(pkg.ResponseValidationError) as info:
        client.invoices.get(7)
    assert not isinstance(info.value, pkg.InvalidFieldError)
    assert "customer_name" in str(info.value)
    client, _ = _client(pkg, {**INVOICE, "kind": "barter"}, strict_responses=True)
    assert client.invoices.get(7).kind == "barter"  # unknown enum values stay valid


def test_a_record_without_its_id_is_honest_about_it(pkg: Any) -> None:
    answer = {k: v for k, v in INVOICE.items() if k != "id"}
    client, seen = _client(pkg, answer)
    fetched = client.invoices.get(7)
    with pytest.raises(pkg.InvalidFieldError, match="absent"):
        fetched.id  # noqa: B018
    assert fetched.customer_name == "Acme"
    client.invoices.create(fetched)  # and it goes back as it came
    assert json.loads(seen[-1].content)["customer_name"] == "Acme"
