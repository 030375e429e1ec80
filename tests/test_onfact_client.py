"""The committed onFact client, end to end against a fake onFact server.

Every operation of ``specs/onfact.yaml`` is called through the generated
client; the fake server records the request and the test checks the exact
method, URL (with its extension), query, headers and body. Expectations are
computed from the spec itself, not from the generator's model.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import REPO
from onfact_calls import OPS, build_call

GENERATED = REPO / "generated" / "onfact"


class FakeOnFact:
    """Answers like the onFact API does and records every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.pages: list[dict[str, Any]] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.method == "HEAD":
            return httpx.Response(
                200,
                headers={"X-NEXT-NUMBER": "42", "X-NEXT-NUMBER-FORMATTED": "INV-0042"},
            )
        if path.endswith(".pdf"):
            return httpx.Response(
                200,
                content=b"%PDF-1.7 fake",
                headers={"Content-Type": "application/pdf"},
            )
        if path.endswith((".html", ".xml")):
            return httpx.Response(200, text="<doc/>")
        if request.method == "POST":
            return httpx.Response(201, json={"id": 99})
        if request.method == "GET" and self.pages is not None:
            offset = int(request.url.params.get("offset", "0"))
            return httpx.Response(
                200,
                json=(
                    self.pages[offset // 2]
                    if offset // 2 < len(self.pages)
                    else {"count": 5, "items": []}
                ),
            )
        if (
            request.method == "GET"
            and "{" not in path
            and not path.rstrip(".json").split("/")[-1].isdigit()
        ):
            return httpx.Response(200, json={"count": 0, "items": []})
        return httpx.Response(200, json={"id": 1})


def make_client(onfact: Any, fake: FakeOnFact, **kwargs: Any) -> Any:
    return onfact.OnFact(
        api_key="secret-key",
        company_uuid="company-1",
        http_client=httpx.Client(transport=httpx.MockTransport(fake)),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("path", "method", "op", "item"), OPS, ids=[o[2]["operationId"] for o in OPS]
)
def test_every_operation_sends_the_right_request(
    onfact: Any, path: str, method: str, op: dict[str, Any], item: dict[str, Any]
) -> None:
    fake = FakeOnFact()
    client = make_client(onfact, fake)
    call = build_call(onfact, path, method, op, item)
    getattr(getattr(client, call.resource), call.method)(*call.args, **call.kwargs)
    assert len(fake.requests) == 1
    request = fake.requests[0]
    assert request.method == call.http_method
    assert request.url.scheme == "https" and request.url.host == "api5.onfact.be"
    assert request.url.path == "/v1" + call.path
    assert dict(request.url.params) == call.query
    for name, value in call.headers.items():
        assert request.headers[name] == value
    if call.secured:
        assert request.headers["X-SESSION-KEY"] == "secret-key"
        assert request.headers["X-COMPANY-UUID"] == "company-1"
    if call.body is not None:
        assert json.loads(request.content) == call.body
        assert request.headers["Content-Type"].startswith("application/json")
    else:
        assert request.content == b""


def test_list_query_and_page(onfact: Any) -> None:
    fake = FakeOnFact()
    fake.pages = [{"count": 1, "items": [{"id": 5, "customer_name": "Acme"}]}]
    client = make_client(onfact, fake)
    page = client.invoices.list(offset=0, limit=100, q="acme", order_by="date:descend")
    assert (
        str(fake.requests[0].url)
        == "https://api5.onfact.be/v1/invoices.json?offset=0&limit=100&q=acme&order_by=date%3Adescend"
    )
    assert page.count == 1
    assert isinstance(page.items[0], onfact.models.Invoice)
    assert page.items[0].customer_name == "Acme"


def test_iter_walks_every_page_lazily(onfact: Any) -> None:
    fake = FakeOnFact()
    fake.pages = [
        {"count": 5, "items": [{"id": 1}, {"id": 2}]},
        {"count": 5, "items": [{"id": 3}, {"id": 4}]},
        {"count": 5, "items": [{"id": 5}]},
    ]
    client = make_client(onfact, fake)
    iterator = client.invoices.iter(q="x", page_size=2)
    assert fake.requests == []  # nothing fetched before the first item is asked for
    assert [i.id for i in iterator] == [1, 2, 3, 4, 5]
    offsets = [r.url.params["offset"] for r in fake.requests]
    assert offsets == ["0", "2", "4"]
    assert all(
        r.url.params["q"] == "x" and r.url.params["limit"] == "2" for r in fake.requests
    )


def test_create_with_actions_and_dict_body(onfact: Any) -> None:
    fake = FakeOnFact()
    client = make_client(onfact, fake)
    created = client.invoices.create(
        {
            "customer_name": "Acme",
            "invoice_lines": [{"name": "Work", "price": 50.0, "quantity": 2}],
        },
        actions=["FIND-OR-CREATE-CUSTOMER", "FIND-PRODUCTS"],
    )
    assert created.id == 99
    request = fake.requests[0]
    assert request.headers["X-ACTIONS"] == "FIND-OR-CREATE-CUSTOMER,FIND-PRODUCTS"
    assert json.loads(request.content) == {
        "customer_name": "Acme",
        "invoice_lines": [{"name": "Work", "price": 50.0, "quantity": 2}],
    }


def test_read_only_fields_are_never_sent(onfact: Any) -> None:
    fake = FakeOnFact()
    client = make_client(onfact, fake)
    # a record as the server sent it (a response model: its read-only fields
    # are the server's, so only some of them are here)
    invoice = onfact.models.Invoice.model_construct(
        id=5, customer_name="Acme", invoice_lines=[]
    )
    client.invoices.update(5, invoice)
    assert json.loads(fake.requests[0].content) == {
        "customer_name": "Acme",
        "invoice_lines": [],
    }


def test_invalid_body_raises_before_sending(onfact: Any) -> None:
    fake = FakeOnFact()
    client = make_client(onfact, fake, strict_requests=True)
    with pytest.raises(onfact.RequestValidationError):
        client.invoices.create({"customer_name": {"not": "a string"}})
    assert fake.requests == []


def test_renditions_and_next_number(onfact: Any, tmp_path: Path) -> None:
    fake = FakeOnFact()
    client = make_client(onfact, fake)
    pdf = client.invoices.get_pdf(123)
    assert pdf == b"%PDF-1.7 fake"
    assert fake.requests[-1].url.path == "/v1/invoices/123.pdf"
    assert client.invoices.get_html(123) == "<doc/>"
    assert client.invoices.get_xml(123) == "<doc/>"
    target = tmp_path / "invoice.pdf"
    written = client.invoices.get_pdf_to_file(123, target)
    assert written == len(b"%PDF-1.7 fake") and target.read_bytes() == b"%PDF-1.7 fake"
    nxt = client.invoices.next_number(date=datetime.date(2026, 1, 1))
    assert nxt.number == 42
    assert nxt.formatted == "INV-0042"
    assert fake.requests[-1].method == "HEAD"


def test_sub_resources(onfact: Any) -> None:
    fake = FakeOnFact()
    client = make_client(onfact, fake)
    client.invoices.add_payment(
        123, {"amount": {"EUR": 10}, "date": "2026-01-01", "payment_account_id": "1"}
    )
    client.invoices.send_email(
        123, {"to": "a@example.com", "subject": "Invoice", "text": "Attached."}
    )
    client.invoices.add_document_event(123, {"status": "x"})
    paths = [r.url.path for r in fake.requests]
    assert paths == [
        "/v1/invoices/123/payments.json",
        "/v1/invoices/123/emails.json",
        "/v1/invoices/123/document-events.json",
    ]


def test_resources_named_after_path_segments(onfact: Any) -> None:
    client = make_client(onfact, FakeOnFact())
    for attr in (
        "contacts",
        "contact_people",
        "product_groups",
        "creditnotes",
        "payment_accounts",
        "export_requests",
        "languages",
        "purchases",
    ):
        assert hasattr(client, attr), attr


def test_credentials_from_environment(
    onfact: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONFACT_API_KEY", "env-key")
    monkeypatch.setenv("ONFACT_COMPANY_UUID", "env-company")
    fake = FakeOnFact()
    client = onfact.OnFact(
        http_client=httpx.Client(transport=httpx.MockTransport(fake))
    )
    client.contacts.list()
    assert fake.requests[0].headers["X-SESSION-KEY"] == "env-key"
    assert fake.requests[0].headers["X-COMPANY-UUID"] == "env-company"
    assert "env-key" not in repr(client)


def test_uat_server_by_name_and_url(onfact: Any) -> None:
    fake = FakeOnFact()
    make_client(onfact, fake, server="uat").contacts.list()
    make_client(onfact, fake, base_url="https://uat-api5.onfact.be/v1").contacts.list()
    assert [r.url.host for r in fake.requests] == [
        "uat-api5.onfact.be",
        "uat-api5.onfact.be",
    ]


def test_async_client_same_surface(onfact: Any) -> None:
    import asyncio

    fake = FakeOnFact()
    fake.pages = [
        {"count": 3, "items": [{"id": 1}, {"id": 2}]},
        {"count": 3, "items": [{"id": 3}]},
    ]

    async def main() -> list[int]:
        async with onfact.AsyncOnFact(
            api_key="k",
            company_uuid="c",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(fake)),
        ) as client:
            ids = [i.id async for i in client.invoices.iter(page_size=2)]
            pdf = await client.invoices.get_pdf(1)
            assert pdf.startswith(b"%PDF")
            return ids

    assert asyncio.run(main()) == [1, 2, 3]
