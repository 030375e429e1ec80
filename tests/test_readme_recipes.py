"""The onFact package README, executed: every Python block of
``generated/onfact/README.md`` runs against the stand-in onFact API
(``onfact_fake.py``) and does what the text around it says (``mypy
--strict`` checks them in ``render/test_readme.py``).

The recipes also run against Prism serving ``specs/onfact.yaml``: every
request they send must be valid there.

The README's convention is the test's: the first recipe makes ``client``,
every other recipe starts from it. A recipe runs as written; only the
network is replaced (every ``httpx`` client the package makes talks to the
stand-in), so a recipe that drifts from the client fails here.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import REPO
from onfact_fake import PDF, FakeOnFact
from test_prism_contract import prism

__all__ = ["prism"]

PACKAGE = REPO / "generated" / "onfact"
README = PACKAGE / "README.md"


@dataclass(frozen=True)
class Block:
    """A fenced ``python`` block and the headings it sits under."""

    section: str  # the ``##`` heading
    title: str  # the nearest heading
    code: str
    line: int  # of its first code line in the README


def python_blocks(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    section = title = ""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section = title = line[3:].strip()
        elif line.startswith("### "):
            title = line[4:].strip()
        elif line.startswith("```"):
            end = lines.index("```", i + 1)
            if line.strip() == "```python":
                code = "\n".join(lines[i + 1 : end]) + "\n"
                blocks.append(Block(section, title, code, i + 2))
            i = end
        i += 1
    return blocks


BLOCKS = python_blocks(README.read_text("utf-8"))
RECIPES = [b for b in BLOCKS if b.section == "Cookbook"]
REFERENCE = [b for b in BLOCKS if b.section != "Cookbook"]
SETUP = RECIPES[0]


@dataclass
class Run:
    """What running a block left behind."""

    fake: FakeOnFact
    namespace: dict[str, Any]
    out: str


@pytest.fixture
def world(
    onfact: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[FakeOnFact]:
    """A fresh stand-in, every ``httpx`` client routed to it, no ``ONFACT_*``
    variables and an empty current folder."""
    fake = FakeOnFact()
    for cls in (httpx.Client, httpx.AsyncClient):
        monkeypatch.setattr(cls, "__init__", _routed(cls.__init__, fake))
    for name in list(os.environ):
        if name.startswith("ONFACT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield fake
    assert not fake.unexpected, [str(r.url) for r in fake.unexpected]


def _routed(init: Callable[..., None], fake: FakeOnFact) -> Callable[..., None]:
    def routed(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("transport", httpx.MockTransport(fake))
        kwargs["trust_env"] = False  # no proxy from the environment
        init(self, *args, **kwargs)

    return routed


def run(block: Block, fake: FakeOnFact, capsys: pytest.CaptureFixture[str]) -> Run:
    """``block`` after the first recipe, as a reader runs it."""
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    for part in (SETUP, block) if block is not SETUP else (SETUP,):
        code = compile(part.code, f"README.md:{part.line}", "exec")
        exec(code, namespace)  # noqa: S102 - the README's own recipes
    return Run(fake, namespace, capsys.readouterr().out)


# -- what each recipe must have done -------------------------------------------


def _sent(fake: FakeOnFact, method: str, path: str) -> list[httpx.Request]:
    return [
        r for r in fake.requests if r.method == method and r.url.path == "/v1" + path
    ]


def _json(request: httpx.Request) -> Any:
    import json

    return json.loads(request.content)


def check_api_key(r: Run) -> None:
    r.namespace["client"].invoices.get(1042)
    (request,) = r.fake.requests
    assert request.url.host == "api5.onfact.be"
    assert request.headers["X-SESSION-KEY"] == "your-api-key"
    assert request.headers["X-COMPANY-UUID"] == "your-company-uuid"


def check_oauth(r: Run) -> None:
    invoice = r.namespace["client"].invoices.get(1042)
    assert invoice.id == 1042
    token, call = r.fake.requests
    assert token.url.path == "/v1/oauth2/token.json"
    assert r.fake.tokens == {"token-1": "accountant@example.com"}
    assert b"their-password" in token.content
    assert call.headers["Authorization"] == "Bearer token-1"
    assert "X-SESSION-KEY" not in call.headers
    assert {token.url.host, call.url.host} == {"api5.onfact.be"}


def check_uat(r: Run) -> None:
    r.namespace["client"].invoices.get(1042)
    (request,) = r.fake.requests
    assert request.url.host == "uat-api5.onfact.be"
    assert request.headers["X-SESSION-KEY"] == "your-uat-api-key"


def check_customer(r: Run) -> None:
    (head,) = _sent(r.fake, "HEAD", "/contacts.json")
    assert head.url.params["type"] == "customers"
    (post,) = _sent(r.fake, "POST", "/contacts.json")
    body = _json(post)
    assert body["number"] == 152  # the next free one
    contact = r.fake.records["contacts"][r.namespace["created"].id]
    assert contact["name"] == "BVBA Janssens" and contact["customer"]
    assert r.out == "00152 BVBA Janssens\n"


def check_invoice(r: Run) -> None:
    (post,) = _sent(r.fake, "POST", "/invoices.json")
    assert post.headers["X-ACTIONS"] == "FIND-OR-CREATE-CUSTOMER"
    lines = _json(post)["invoice_lines"]
    assert [(x["name"], x["quantity"], x["price"]) for x in lines] == [
        ("Consultancy", 7.5, 95.0),
        ("Travel costs", 1, 42.5),
    ]
    invoice = r.namespace["invoice"]
    assert invoice.customer_id == 151  # the existing contact, found by name
    assert invoice.total_amount_incl == {"EUR": Decimal("913.55")}
    assert r.out.split()[1:] == ["151", "{'EUR':", "Decimal('913.55')}"]


def check_search(r: Run) -> None:
    pages = _sent(r.fake, "GET", "/contacts.json")
    assert [p.url.params["offset"] for p in pages] == ["0", "100"]
    assert {p.url.params["q"] for p in pages} == {"isCustomer && name:BVBA*"}
    lines = r.out.splitlines()
    names = [line.split(" ", 1)[1] for line in lines[:-1]]
    assert len(names) == 131 and all(n.startswith("BVBA ") for n in names)
    assert lines[-1] == "3 invoices match; 3 on the first page"


def check_pdf(r: Run) -> None:
    assert Path("invoice-1042.pdf").read_bytes() == PDF
    assert r.out == f"wrote {len(PDF)} bytes\n"


def check_payment(r: Run) -> None:
    (post,) = _sent(r.fake, "POST", "/invoices/1042/payments.json")
    assert _json(post) == {
        "payment_account_id": 3,
        "date": _json(post)["date"],
        "amount": {"_": 913.55},
    }
    assert r.out == "paid\n"


def check_email(r: Run) -> None:
    ((ident, email),) = r.fake.emails
    assert ident == 1042 and email["to"] == "boekhouding@janssens.example"
    assert email["pdf_as_attachment"] is True
    assert r.fake.records["invoices"][1042]["status"] == "sent"


def check_credit_note(r: Run) -> None:
    (post,) = _sent(r.fake, "POST", "/creditnotes.json")
    body = _json(post)
    assert body["customer_id"] == 151 and body["customer_name"] == "BVBA Janssens"
    assert body["creditnote_lines"] == [
        {"name": "Consultancy", "quantity": 1, "price": 95.0, "vat": 21.0}
    ]
    assert r.out == "00001\n"  # the first credit note


def check_next_number(r: Run) -> None:
    (head,) = _sent(r.fake, "HEAD", "/invoices.json")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", head.url.params["date"])
    assert r.out == "43 00043\n"


def check_not_found(r: Run) -> None:
    assert r.out == "no such invoice: 404\n"


def check_validation(r: Run) -> None:
    (post,) = _sent(r.fake, "POST", "/invoices.json")
    assert post.url.host == "api5.onfact.be"
    # one line per problem onFact reported (customer_name, invoice_lines)
    assert len(r.out.splitlines()) == 2


def check_retries(r: Run) -> None:
    assert len(_sent(r.fake, "GET", "/invoices.json")) == 2  # a 503, then the page
    assert len(_sent(r.fake, "GET", "/invoices/1042.json")) == 1  # max_retries=0
    assert r.out == "3\nonFact did not answer within 2 seconds\n"


def unreliable(fake: FakeOnFact) -> None:
    fake.fail_next.append(503)  # the first request: onFact is briefly away
    fake.slow_paths.add("/invoices/1042.json")


def check_async(r: Run) -> None:
    lines = r.out.splitlines()
    assert lines[0] == "00042 131"
    assert len(lines) == 132 and all(n.startswith("BVBA ") for n in lines[1:])


#: recipe title → (how the stand-in is prepared, what must have happened)
CHECKS: dict[str, tuple[Callable[[FakeOnFact], None] | None, Callable[[Run], None]]]
CHECKS = {
    "Connect with an API key": (None, check_api_key),
    "Log in with a user's email address and password (OAuth 2.0)": (None, check_oauth),
    "Work on the test server (UAT)": (None, check_uat),
    "Create a customer": (None, check_customer),
    "Create an invoice with two lines": (None, check_invoice),
    "Search, and go through every page": (None, check_search),
    "Save an invoice as PDF": (None, check_pdf),
    "Record a payment": (None, check_payment),
    "Send an invoice by email": (None, check_email),
    "Credit an invoice": (None, check_credit_note),
    "Ask for the next number": (None, check_next_number),
    "Handle a record that does not exist": (None, check_not_found),
    "Handle a validation error": (None, check_validation),
    "Retries and timeouts": (unreliable, check_retries),
    "Async": (None, check_async),
}


def test_every_recipe_has_a_check() -> None:
    titles = [b.title for b in RECIPES]
    assert len(titles) == len(set(titles)), "one block per recipe"
    assert titles == list(CHECKS)
    assert README.read_text("utf-8").count("```python") == len(BLOCKS)


@pytest.mark.parametrize("block", RECIPES, ids=[b.title for b in RECIPES])
def test_recipe(
    block: Block,
    world: FakeOnFact,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    prepare, check = CHECKS[block.title]
    if prepare is not None:
        prepare(world)
    check(run(block, world, capsys))
    # the stand-in's records are complete: nothing was read leniently
    assert not [r for r in caplog.records if r.name.startswith("onfact")], [
        r.getMessage() for r in caplog.records
    ]


def test_validation_recipe_names_the_fields(
    world: FakeOnFact, capsys: pytest.CaptureFixture[str]
) -> None:
    (block,) = [b for b in RECIPES if b.title == "Handle a validation error"]
    out = run(block, world, capsys).out
    assert out.startswith("customer_name: ") and "\ninvoice_lines: " in out
    assert "None" not in out


@pytest.mark.parametrize(
    "block", REFERENCE, ids=[f"{b.section}:{b.line}" for b in REFERENCE]
)
def test_reference_block(
    block: Block,
    world: FakeOnFact,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The blocks of the reference part run too (credentials from the
    environment, as they say)."""
    monkeypatch.setenv("ONFACT_API_KEY", "your-api-key")
    monkeypatch.setenv("ONFACT_COMPANY_UUID", "your-company-uuid")
    run(block, world, capsys)
    for request in world.requests:
        assert request.headers["X-SESSION-KEY"] == "your-api-key"


# -- the same recipes against Prism: every request they send is valid -------------


class _ToPrism(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Sends what the package addresses to onFact's servers to Prism instead,
    keeping Prism's verdict on every request."""

    def __init__(self, base: str, verdicts: list[str]) -> None:
        self.base = httpx.URL(base)
        self.verdicts = verdicts

    def _moved(self, request: httpx.Request) -> httpx.Request:
        assert request.url.host in ("api5.onfact.be", "uat-api5.onfact.be")
        url = request.url.copy_with(
            scheme=self.base.scheme,
            host=self.base.host,
            port=self.base.port,
            path=request.url.path.removeprefix("/v1"),
        )
        headers = httpx.Headers(request.headers)
        # Prism 5.16 crashes on an absent optional array header
        headers.setdefault("X-ACTIONS", "")
        return httpx.Request(
            request.method, url, headers=headers, content=request.content
        )

    def _answer(
        self, request: httpx.Request, response: httpx.Response
    ) -> httpx.Response:
        violations = response.headers.get("sl-violations")
        if violations or response.status_code in (400, 415, 422):
            where = f"{request.method} {request.url.path}"
            self.verdicts.append(f"{where}: {response.status_code} {violations}")
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length")
        }
        return httpx.Response(
            response.status_code, headers=headers, content=response.content
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with httpx.HTTPTransport() as transport:
            response = transport.handle_request(self._moved(request))
            response.read()
        return self._answer(request, response)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        async with httpx.AsyncHTTPTransport() as transport:
            response = await transport.handle_async_request(self._moved(request))
            await response.aread()
        return self._answer(request, response)


#: recipes that only make a client: the test makes a call with it
SETUPS = {b.title for b in RECIPES if re.search(r"^client = OnFact\(", b.code, re.M)}


PRISM_CASES = [pytest.param(b, id=b.title) for b in RECIPES]


@pytest.mark.parametrize("block", PRISM_CASES)
def test_recipe_requests_are_valid_for_prism(
    block: Block,
    prism: str,
    onfact: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Prism checks every request a recipe sends against specs/onfact.yaml
    (its answers are made up, so what the recipe prints is not checked)."""
    verdicts: list[str] = []
    transport = _ToPrism(prism, verdicts)
    for cls in (httpx.Client, httpx.AsyncClient):
        init = cls.__init__

        def routed(self: Any, *args: Any, _init: Any = init, **kwargs: Any) -> None:
            kwargs.setdefault("transport", transport)
            kwargs["trust_env"] = False
            _init(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", routed)
    for name in list(os.environ):
        if name.startswith("ONFACT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    with contextlib.suppress(onfact.APIStatusError):
        # a made-up answer may surprise a recipe; its requests were judged
        ran = run(block, FakeOnFact(), capsys)
        if block.title in SETUPS:
            ran.namespace["client"].invoices.get(1042)
    assert not verdicts, verdicts
