"""A stand-in for the onFact API that keeps what it is sent.

It answers every operation of ``specs/onfact.yaml`` at both servers of the
description. Contacts, invoices, credit notes, payment accounts and payments
are kept (create, fetch, list with ``q``, ``offset`` and ``limit``, next
number, payments, emails); every other operation answers a record made from
its response schema. Records are complete: every property the description
requires is there, with a value of its type, so a client parsing them never
finds one missing. Failures look like onFact's: 401 without credentials, 404
for an unknown id, 400 with the problems per field for a record it cannot
save. The token endpoint takes the login as JSON (as onFact documents it)
or as the form OAuth 2.0 defines (as the runtime sends it); the Prism half
of ``test_readme_recipes.py`` holds the client to the description.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import parse_qsl

import httpx
from onfact_calls import SPEC

HOSTS = {"api5.onfact.be": "production", "uat-api5.onfact.be": "uat"}
PDF = b"%PDF-1.7\n% onFact stand-in\n%%EOF\n"
#: collections kept, by path segment: (schema of a record, name of its lines)
KEPT = {
    "contacts": ("Contact", None),
    "invoices": ("Invoice", "invoice_lines"),
    "creditnotes": ("Creditnote", "creditnote_lines"),
    "payment-accounts": ("PaymentAccount", None),
    "payments": ("Payment", None),
}
_METHODS = ("get", "put", "post", "delete", "head", "patch")


def _schema(ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    return _schema(SPEC["components"][ref.split("/")[2]][ref.rsplit("/", 1)[1]])


def _sample(schema: dict[str, Any]) -> Any:
    """A value of ``schema``'s type (complete, if it is an object)."""
    schema = _schema(schema)
    if schema.get("enum"):
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "object" or "properties" in schema or "allOf" in schema:
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not schema.get("properties"):
            return {"EUR": _sample(extra)}
        return complete(schema, {})
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return Decimal("0.00")
    if kind == "boolean":
        return False
    if fmt == "date":
        return "2026-01-05"
    if fmt == "date-time":
        return "2026-01-05T10:00:00+01:00"
    return "text"


def complete(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every property ``schema`` requires, nested ones too."""
    schema = _schema(schema)
    out = dict(data)
    for part in schema.get("allOf", []):
        out = complete(part, out)
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        if name in props and name not in out:
            out[name] = _sample(props[name])
    for name, value in out.items():
        prop = _schema(props.get(name, {}))
        if isinstance(value, dict) and "properties" in prop:
            out[name] = complete(prop, value)
        elif isinstance(value, list) and "items" in prop:
            item = _schema(prop["items"])
            if "properties" in item:
                out[name] = [complete(item, v) for v in value]
    return out


def _operation(path: str, method: str) -> tuple[str, dict[str, Any]] | None:
    for template, item in SPEC["paths"].items():
        pattern = re.sub(r"\\\{[^}]*\\\}", r"[^/]+", re.escape(template))
        if method in item and re.fullmatch(pattern, path):
            return template, item[method]
    return None


def _json(status: int, body: Any, **headers: str) -> httpx.Response:
    def number(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        raise TypeError(type(value).__name__)

    return httpx.Response(
        status,
        content=json.dumps(body, default=number).encode(),
        headers={"Content-Type": "application/json", **headers},
    )


def _matches(record: dict[str, Any], query: str) -> bool:
    """onFact's ``q``: conditions ``field:value`` (``*`` is any text) and flags
    such as ``isCustomer``, joined with ``&&``."""
    for term in (t.strip() for t in query.split("&&")):
        if ":" in term:
            name, pattern = term.split(":", 1)
            if not fnmatch.fnmatchcase(str(record.get(name, "")), pattern):
                return False
        elif term.startswith("is"):
            if not record.get(term[2:].lower()):
                return False
        elif term:
            raise ValueError(term)
    return True


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _totals(document: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    """The amounts onFact computes, per currency (no discounts here): VAT on
    the sum of the lines at each rate."""
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        amount = Decimal(str(line["quantity"])) * Decimal(str(line["price"]))
        rate = Decimal(str(line.get("vat", 0))) / 100
        if document.get("vattype") == "incl":
            amount = amount / (1 + rate)
        line["price_excl"] = {"EUR": _money(amount)}
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + _money(amount)
    excl = sum(by_rate.values(), Decimal(0))
    tax = sum((_money(base * rate) for rate, base in by_rate.items()), Decimal(0))
    document.update(
        total_amount_excl={"EUR": excl},
        total_tax_amount={"EUR": tax},
        total_amount_incl={"EUR": excl + tax},
    )


@dataclass
class FakeOnFact:
    """Call it with an ``httpx.Request`` (``httpx.MockTransport(fake)``)."""

    requests: list[httpx.Request] = field(default_factory=list)
    records: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    emails: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> username
    #: statuses answered, in turn, before the next requests are served
    fail_next: list[int] = field(default_factory=list)
    #: paths whose requests time out
    slow_paths: set[str] = field(default_factory=set)
    #: requests no operation of the description matches
    unexpected: list[httpx.Request] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5000))

    def __post_init__(self) -> None:
        self.records = {name: {} for name in KEPT}
        seed(self)

    def add(self, collection: str, data: dict[str, Any]) -> dict[str, Any]:
        """Keep a record as onFact would after creating it."""
        schema, lines_key = KEPT[collection]
        ident = data.get("id") or next(self._ids)
        record = dict(data, id=ident)
        if "number" in _schema({"$ref": f"#/components/schemas/{schema}"}).get(
            "properties", {}
        ):
            record.setdefault("number", self._next_number(collection))
            record["number_formatted"] = f"{record['number']:05d}"
        if lines_key is not None:
            lines = [dict(line, id=next(self._ids)) for line in data[lines_key]]
            _totals(record, lines)
            record[lines_key] = lines
            record.setdefault("status", "draft")
        stored = complete({"$ref": f"#/components/schemas/{schema}"}, record)
        self.records[collection][ident] = stored
        return stored

    def _next_number(self, collection: str) -> int:
        numbers = [r.get("number", 0) for r in self.records[collection].values()]
        return max(numbers, default=0) + 1

    # -- serving -----------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host not in HOSTS or not request.url.path.startswith("/v1/"):
            self.unexpected.append(request)
            return _json(404, {"code": "NotFound", "message": "No such host or path"})
        path = request.url.path[len("/v1") :]
        if path in self.slow_paths:
            raise httpx.ReadTimeout("onFact stand-in: too slow", request=request)
        if self.fail_next:
            status = self.fail_next.pop(0)
            message = {"code": "Unavailable", "message": "Try again"}
            return _json(status, message, **{"Retry-After": "0"})
        found = _operation(path, request.method.lower())
        if found is None:
            self.unexpected.append(request)
            return _json(404, {"code": "NotFound", "message": "No such operation"})
        template, op = found
        if path == "/oauth2/token.json":
            return self._token(request)
        if op.get("security", SPEC["security"]) and not self._authorized(request):
            return _json(401, {"code": "Unauthorized", "message": "Log in first"})
        parts = path.split("/")[1:]
        if parts[0].split(".")[0] in KEPT:
            return self._kept(request, parts, op)
        return self._made_up(op)

    def _authorized(self, request: httpx.Request) -> bool:
        headers = request.headers
        bearer = headers.get("Authorization", "").removeprefix("Bearer ")
        has_key = bool(headers.get("X-SESSION-KEY")) or bearer in self.tokens
        return has_key and bool(headers.get("X-COMPANY-UUID"))

    def _token(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("Content-Type", "").startswith("application/json"):
            form = json.loads(request.content)
        else:
            form = dict(parse_qsl(request.content.decode()))
        if not form.get("username") or not form.get("password"):
            return _json(401, {"code": "Unauthorized", "message": "Wrong login"})
        token = f"token-{len(self.tokens) + 1}"
        self.tokens[token] = form["username"]
        answer = {"token_type": "Bearer", "expires_in": 3600, "access_token": token}
        return _json(200, answer)

    def _made_up(self, op: dict[str, Any]) -> httpx.Response:
        answer = op["responses"].get("200") or op["responses"].get("201") or {}
        content = answer.get("content", {})
        if "application/json" in content:
            return _json(200, _sample(content["application/json"]["schema"]))
        if content:
            return httpx.Response(200, content=PDF)
        return httpx.Response(200)

    def _kept(
        self, request: httpx.Request, parts: list[str], op: dict[str, Any]
    ) -> httpx.Response:
        collection, _, ext = parts[0].partition(".")
        method = request.method
        if len(parts) == 1:
            if method == "HEAD":
                number = self._next_number(collection)
                return httpx.Response(
                    200,
                    headers={
                        "X-NEXT-NUMBER": str(number),
                        "X-NEXT-NUMBER-FORMATTED": f"{number:05d}",
                    },
                )
            if method == "GET":
                return self._list(collection, request)
            return self._create(collection, request, op)
        ident, _, ext = parts[1].partition(".")
        record = self.records[collection].get(int(ident))
        if record is None:
            message = f"The {collection.rstrip('s')} {ident} does not exist."
            return _json(404, {"code": "NotFound", "message": message})
        if len(parts) == 3 and parts[2] == "payments.json":
            return self._payment(record, request, op)
        if len(parts) == 3 and parts[2] == "emails.json":
            body = json.loads(request.content)
            self.emails.append((record["id"], body))
            if record.get("status") != "paid":
                record["status"] = "sent"
            return _json(201, {"id": next(self._ids)})
        if ext == "pdf":
            return httpx.Response(
                200, content=PDF, headers={"Content-Type": "application/pdf"}
            )
        if method == "GET" and ext == "json":
            return _json(200, record)
        return self._made_up(op)

    def _list(self, collection: str, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        offset = int(params.get("offset", "0"))
        limit = int(params.get("limit", "100"))
        if not 1 <= limit <= 100 or offset < 0:
            problem = {"limit": [{"range": "The limit is 1 to 100."}]}
            return _json(
                400, {"code": "BadRequest", "message": "Bad page", "errors": [problem]}
            )
        found = [
            r
            for r in self.records[collection].values()
            if _matches(r, params.get("q", ""))
        ]
        by = params.get("order_by", "")
        if by:
            name, _, way = by.partition(":")
            found.sort(key=lambda r: str(r.get(name)), reverse=way == "descend")
        page = found[offset : offset + limit]
        return _json(200, {"count": len(found), "items": page})

    def _invalid(
        self, body: dict[str, Any], schema: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """onFact's problems per field: required ones missing or empty."""
        schema = _schema(schema)
        props = schema.get("properties", {})
        problems = []
        for name in schema.get("required", []):
            prop = props.get(name, {})
            if prop.get("readOnly") or _schema(prop).get("readOnly"):
                continue
            if body.get(name) in (None, "", []):
                problems.append({name: [{"_required": f"{name} is required."}]})
        return problems

    def _create(
        self, collection: str, request: httpx.Request, op: dict[str, Any]
    ) -> httpx.Response:
        body = json.loads(request.content)
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        problems = self._invalid(body, schema)
        if problems:
            kind = collection.rstrip("s").replace("-", " ")
            message = f"The {kind} could not be saved."
            return _json(
                400, {"code": "BadRequest", "message": message, "errors": problems}
            )
        actions = request.headers.get("X-ACTIONS", "")
        if "FIND-OR-CREATE-CUSTOMER" in [a.strip() for a in actions.split(",")]:
            body["customer_id"] = self._customer(body)["id"]
        record = self.add(collection, body)
        return _json(201, {"id": record["id"]})

    def _customer(self, document: dict[str, Any]) -> dict[str, Any]:
        for contact in self.records["contacts"].values():
            if contact["name"] == document["customer_name"]:
                return contact
        return self.add(
            "contacts",
            {
                "name": document["customer_name"],
                "customer": "2026-01-05T10:00:00+01:00",
            },
        )

    def _payment(
        self, record: dict[str, Any], request: httpx.Request, op: dict[str, Any]
    ) -> httpx.Response:
        body = json.loads(request.content)
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        problems = self._invalid(body, schema)
        if body.get("payment_account_id") not in self.records["payment-accounts"]:
            problems.append({"payment_account_id": [{"_exists": "Unknown account."}]})
        if problems:
            message = "The payment could not be saved."
            return _json(
                400, {"code": "BadRequest", "message": message, "errors": problems}
            )
        payment = self.add("payments", dict(body, document_id=record["id"]))
        paid = sum(
            _money(p["amount"]["_"])
            for p in self.records["payments"].values()
            if p.get("document_id") == record["id"]
        )
        if paid >= record["total_amount_incl"]["EUR"]:
            record["status"] = "paid"
        return _json(201, {"id": payment["id"]})


def seed(fake: FakeOnFact) -> None:
    """The company the recipes work on: 130 customers whose name starts with
    BVBA (and others), invoice 1042 and a bank account."""
    for i in range(1, 151):
        name = f"BVBA Klant {i:03d}" if i <= 130 else f"NV Leverancier {i:03d}"
        role = "customer" if i <= 130 else "supplier"
        fake.add("contacts", {"id": i, "name": name, role: "2025-03-01T09:00:00+01:00"})
    janssens = fake.add(
        "contacts",
        {"id": 151, "name": "BVBA Janssens", "customer": "2025-03-01T09:00:00+01:00"},
    )
    lines = [
        {"name": "Consultancy", "quantity": "7.5", "price": "95.00", "vat": "21"},
        {"name": "Travel costs", "quantity": "1", "price": "42.50", "vat": "21"},
    ]
    for ident, day in (
        (1040, "2026-01-05"),
        (1041, "2026-01-12"),
        (1042, "2026-01-19"),
    ):
        fake.add(
            "invoices",
            {
                "id": ident,
                "number": ident - 1000,
                "date": day,
                "customer_id": janssens["id"],
                "customer_name": "BVBA Janssens",
                "vattype": "excl",
                "status": "sent",
                "invoice_lines": lines,
            },
        )
    fake.add(
        "payment-accounts",
        {"id": 3, "name": "KBC current account", "iban": "BE68539007547034"},
    )
