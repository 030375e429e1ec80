"""Compare our curated onFact description with the vendor's published one.

The vendor document lives outside the repository (``../shared/specs``) and is
only read in place; the tests skip when it is absent.  Every problem found is
reported in one assertion message so that a single run shows the full
difference.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
OUR_SPEC = REPO_ROOT / "specs" / "onfact.yaml"
VENDOR_SPEC = REPO_ROOT.parent / "shared" / "specs" / "onfact-vendor" / "openapi.json"

Spec = dict[str, Any]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
EXTENSIONS = (".json", ".pdf", ".html", ".xml")
DOCUMENT_TYPES = (
    "invoices",
    "creditnotes",
    "proposals",
    "orderslips",
    "deliveryslips",
    "postickets",
    "paymentrequests",
    "purchaseslips",
    "purchases",
)
SERVER_URLS = ("https://api5.onfact.be/v1", "https://uat-api5.onfact.be/v1")

# Vendor schema name -> our schema name, where we renamed.
SCHEMA_RENAMES: dict[str, str] = {
    "AppsList": "AppList",
    "ContactsList": "ContactList",
    "ContactPeopleList": "ContactPersonList",
    "ContactTiersList": "ContactTierList",
    "PaymentsList": "PaymentList",
    "PaymentAccountsList": "PaymentAccountList",
    "ProductGroupsList": "ProductGroupList",
    "ProductsList": "ProductList",
    "ProposalsList": "ProposalList",
    "OrderslipsList": "OrderslipList",
    "DeliveryslipsList": "DeliveryslipList",
    "PosticketsList": "PosticketList",
    "PaymentrequestsList": "PaymentrequestList",
    "InvoicesList": "InvoiceList",
    "CreditnotesList": "CreditnoteList",
    "PurchaseslipsList": "PurchaseslipList",
    "ContactFieldsList": "ContactFieldList",
    "LawrulesList": "LawruleList",
    "ExportRequestsList": "ExportRequestList",
    "ImportConfigurationsList": "ImportConfigurationList",
    "ImportRequestsList": "ImportRequestList",
    "TemplatesList": "TemplateList",
    "DescriptionsList": "DescriptionList",
    "ToptextdescriptionsList": "ToptextdescriptionList",
    "EmaildescriptionsList": "EmaildescriptionList",
    "Product_product_lines": "ProductLine",
}

# Vendor classes whose property names are placeholders for data keys (a field
# name, an error code, a column name): we model them as maps.
VENDOR_PLACEHOLDER_MAPS = frozenset(
    {"Error_errors", "Error_field", "ImportConfiguration_fields"}
)

_MAP_KEY = re.compile(r"^(_|\d+|[A-Z]{3})$")

# Where we settled a type against the vendor's description (reasons in
# specs/DECISIONS.md): "Schema.property" -> our kind.
_LINE_SCHEMAS = ("Proposal", "Orderslip", "Deliveryslip", "Posticket", "Paymentrequest")
SETTLED_TYPES: dict[str, str] = {
    "Contact.number_formatted": "string",
    "ExportRequest.resource_list": "string",
    "ExportRequest.number_of_resources": "integer",
    "ExportRequest.current_pointer": "integer",
    "Payment.payment_account_id": "integer",
    "PaymentAccount.current_balance": "number",
    "ProductLine.child_product_id": "integer",
    "TwoFactorAuthentication.code": "string",
    **{
        f"{doc}Line.g_l_account_code": "string"
        for doc in _LINE_SCHEMAS + ("Invoice", "Creditnote", "Purchaseslip")
    },
}


# --------------------------------------------------------------------------- helpers


def load_vendor() -> Spec:
    if not VENDOR_SPEC.exists():
        pytest.skip("../shared is not present: vendor onFact description unavailable")
    with VENDOR_SPEC.open(encoding="utf-8") as fh:
        data: Spec = json.load(fh)
    return data


def load_ours() -> Spec:
    with OUR_SPEC.open(encoding="utf-8") as fh:
        data: Spec = yaml.safe_load(fh)
    return data


def resolve(doc: Spec, node: Any) -> tuple[Any, str | None]:
    """Follow local $refs; return the target and the last schema name seen."""
    name: str | None = None
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unresolvable $ref {ref!r}")
        seen.add(ref)
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
        node = target
    return node, name


def is_vendor_map_class(name: str | None, schema: Any) -> bool:
    """True for vendor classes keyed by data (`_`, currency codes, tier ids...)."""
    if name in VENDOR_PLACEHOLDER_MAPS:
        return True
    if not isinstance(schema, dict):
        return False
    props = schema.get("properties")
    if not isinstance(props, dict) or not props:
        return False
    keys = list(props)
    return "_" in keys or all(_MAP_KEY.match(k) for k in keys)


def schema_kind(doc: Spec, node: Any, vendor: bool) -> str | None:
    """JSON kind of a schema: string/integer/number/boolean/array/object/map."""
    schema, name = resolve(doc, node)
    if not isinstance(schema, dict):
        return None
    if vendor and is_vendor_map_class(name, schema):
        return "map"
    if (
        not vendor
        and schema.get("additionalProperties") not in (None, False)
        and not schema.get("properties")
    ):
        return "map"
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def kinds_compatible(vendor_kind: str | None, our_kind: str | None) -> bool:
    if vendor_kind is None:
        return True
    if vendor_kind in ("integer", "number"):
        return our_kind in ("integer", "number")
    return vendor_kind == our_kind


def normalise_path(path: str) -> str:
    """Path without server prefix (`/v1`), extension and parameter names."""
    if path.startswith("/exact-online/v1/"):
        path = "/exact-online/" + path[len("/exact-online/v1/") :]
    elif path.startswith("/v1/"):
        path = path[len("/v1") :]
    for ext in EXTENSIONS:
        if path.endswith(ext):
            path = path[: -len(ext)]
            break
    return re.sub(r"\{[^}]+\}", "{id}", path)


def operations(doc: Spec) -> dict[tuple[str, str], Spec]:
    """(METHOD, raw path) -> operation object."""
    out: dict[tuple[str, str], Spec] = {}
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                out[(method.upper(), path)] = op
    return out


def normalised_operations(doc: Spec) -> set[tuple[str, str]]:
    return {(method, normalise_path(path)) for method, path in operations(doc)}


# --------------------------------------------------------------------------- comparison


def compare_with_vendor(vendor: Spec, ours: Spec) -> list[str]:
    """Everything the vendor describes that our spec lacks or types differently."""
    problems: list[str] = []

    have = normalised_operations(ours)
    for method, path in sorted(normalised_operations(vendor)):
        if (method, path) not in have:
            problems.append(f"missing operation: {method} {path}")

    vendor_schemas: dict[str, Any] = vendor.get("components", {}).get("schemas", {})
    our_schemas: dict[str, Any] = ours.get("components", {}).get("schemas", {})
    for vname, vschema in sorted(vendor_schemas.items()):
        if is_vendor_map_class(vname, vschema):
            continue  # satisfied by an additionalProperties map where it is used
        oname = SCHEMA_RENAMES.get(vname, vname)
        if oname not in our_schemas:
            problems.append(f"missing schema: {vname} (ours: {oname})")
            continue
        oschema, _ = resolve(ours, our_schemas[oname])
        vresolved, _ = resolve(vendor, vschema)
        if not isinstance(vresolved, dict):
            continue
        problems.extend(
            _compare_properties(vendor, ours, vname, oname, vresolved, oschema)
        )
        if "items" in vresolved:  # array schemas such as ProposalLines
            problems.extend(
                _compare_kinds(
                    vendor, ours, f"{oname}[]", vresolved["items"], oschema.get("items")
                )
            )
    return problems


def _compare_properties(
    vendor: Spec, ours: Spec, vname: str, oname: str, vschema: Spec, oschema: Any
) -> list[str]:
    problems: list[str] = []
    vprops: dict[str, Any] = vschema.get("properties") or {}
    oprops: dict[str, Any] = (
        oschema.get("properties") or {} if isinstance(oschema, dict) else {}
    )
    for prop, vprop in vprops.items():
        if prop not in oprops:
            problems.append(f"missing property: {oname}.{prop} (vendor {vname})")
            continue
        problems.extend(
            _compare_kinds(vendor, ours, f"{oname}.{prop}", vprop, oprops[prop])
        )
    return problems


def _compare_kinds(
    vendor: Spec, ours: Spec, where: str, vnode: Any, onode: Any
) -> list[str]:
    vkind = schema_kind(vendor, vnode, vendor=True)
    okind = schema_kind(ours, onode, vendor=False) if onode is not None else None
    if not kinds_compatible(vkind, okind) and SETTLED_TYPES.get(where) != okind:
        return [f"incompatible type: {where}: vendor {vkind}, ours {okind}"]
    if vkind == "array":
        vitems = resolve(vendor, vnode)[0].get("items")
        oitems = resolve(ours, onode)[0].get("items")
        if vitems is not None:
            vik = schema_kind(vendor, vitems, vendor=True)
            oik = (
                schema_kind(ours, oitems, vendor=False) if oitems is not None else None
            )
            if not kinds_compatible(vik, oik):
                return [f"incompatible type: {where}[]: vendor {vik}, ours {oik}"]
    return []


def check_our_conventions(ours: Spec) -> list[str]:
    """Rules our description keeps beyond what the vendor describes."""
    problems: list[str] = []
    ops = operations(ours)

    seen_ids: dict[str, str] = {}
    for (method, path), op in sorted(ops.items()):
        where = f"{method} {path}"
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            problems.append(f"no operationId: {where}")
        elif op_id in seen_ids:
            problems.append(
                f"duplicate operationId {op_id}: {where} and {seen_ids[op_id]}"
            )
        else:
            seen_ids[op_id] = where
        tags = op.get("tags")
        if not isinstance(tags, list) or len(tags) != 1:
            problems.append(f"not exactly one tag: {where}: {tags!r}")
        params = list(ours["paths"][path].get("parameters", [])) + list(
            op.get("parameters", [])
        )
        for param in params:
            resolved, _ = resolve(ours, param)
            if (
                isinstance(resolved, dict)
                and str(resolved.get("name", "")).lower() == "x-company-uuid"
            ):
                problems.append(f"X-COMPANY-UUID parameter on {where}")

    for path in ours.get("paths", {}):
        if not path.endswith(EXTENSIONS):
            problems.append(f"path without format extension: {path}")

    urls = [s.get("url") for s in ours.get("servers", [])]
    for url in SERVER_URLS:
        if url not in urls:
            problems.append(f"missing server: {url}")

    heads = sorted(f"{m} {p}" for m, p in ops if m == "HEAD")
    if len(heads) != 11:
        problems.append(f"expected 11 HEAD operations, found {len(heads)}: {heads}")

    present = set(ops)
    for resource in ("languages", "purchases"):
        for method, path in (
            ("GET", f"/{resource}.json"),
            ("POST", f"/{resource}.json"),
            ("GET", f"/{resource}/{{id}}.json"),
            ("PUT", f"/{resource}/{{id}}.json"),
            ("DELETE", f"/{resource}/{{id}}.json"),
        ):
            if (method, path) not in present:
                problems.append(f"missing operation: {method} {path}")
    for doc_type in DOCUMENT_TYPES:
        wanted = [
            ("POST", f"/{doc_type}/{{id}}/document-events.json"),
            ("POST", f"/{doc_type}/{{id}}/emails.json"),
        ] + [("GET", f"/{doc_type}/{{id}}.{ext}") for ext in ("pdf", "html", "xml")]
        for method, path in wanted:
            if (method, path) not in present:
                problems.append(f"missing operation: {method} {path}")
    return problems


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def vendor() -> Spec:
    return load_vendor()


@pytest.fixture(scope="module")
def ours() -> Spec:
    return load_ours()


def test_ours_covers_vendor(vendor: Spec, ours: Spec) -> None:
    problems = compare_with_vendor(vendor, ours)
    assert (
        not problems
    ), f"{len(problems)} difference(s) from the vendor document:\n" + "\n".join(
        problems
    )


def test_our_conventions(ours: Spec) -> None:
    problems = check_our_conventions(ours)
    assert not problems, f"{len(problems)} convention problem(s):\n" + "\n".join(
        problems
    )


def test_vendor_operation_count(vendor: Spec) -> None:
    # Guards the path normalisation: no two vendor operations may collapse.
    # (The vendor file holds 154 operations over 67 paths, 11 of them HEAD;
    # the README's "143" undercounts.)
    assert len(operations(vendor)) == len(normalised_operations(vendor))
    assert sum(1 for method, _ in operations(vendor) if method == "HEAD") == 11


def test_comparison_detects_removals(vendor: Spec, ours: Spec) -> None:
    mutilated = copy.deepcopy(ours)
    del mutilated["paths"]["/invoices/{id}.json"]["delete"]
    del mutilated["components"]["schemas"]["Contact"]["properties"]["vat"]
    problems = compare_with_vendor(vendor, mutilated)
    assert problems == [
        "missing operation: DELETE /invoices/{id}",
        "missing property: Contact.vat (vendor Contact)",
    ]


def test_comparison_detects_type_change(vendor: Spec, ours: Spec) -> None:
    mutilated = copy.deepcopy(ours)
    mutilated["components"]["schemas"]["Product"]["properties"]["price"] = {
        "type": "number"
    }
    assert compare_with_vendor(vendor, mutilated) == [
        "incompatible type: Product.price: vendor map, ours number"
    ]


def test_convention_check_detects_problems(ours: Spec) -> None:
    mutilated = copy.deepcopy(ours)
    del mutilated["paths"]["/purchases/{id}.pdf"]
    mutilated["paths"]["/invoices.json"]["get"]["parameters"].append(
        {"name": "X-COMPANY-UUID", "in": "header", "schema": {"type": "string"}}
    )
    assert check_our_conventions(mutilated) == [
        "X-COMPANY-UUID parameter on GET /invoices.json",
        "missing operation: GET /purchases/{id}.pdf",
    ]


# --------------------------------------------------------------------------- documentation (issue 15)

# A description may recur on at most this many properties; more means one
# sentence stands in for several facts.
MAX_SAME_DESCRIPTION = 5

# Words after "a" that start with a vowel letter but a consonant sound, and
# words after "an" that start with a consonant letter but a vowel sound.
_A_BEFORE_VOWEL_LETTER = {
    "un",
    "union",
    "unique",
    "unit",
    "uuid",
    "use",
    "user",
    "usual",
    "one",
    "uri",
    "url",
    "ubl",
}
_AN_BEFORE_CONSONANT_LETTER = {"html", "hour", "hours", "mt940", "sql", "xml", "fx"}
_ARTICLE = re.compile(r"\b(a|an) ([A-Za-z][A-Za-z0-9]*)")

# Properties whose description may recur: one wording per document type is
# already unique, these are the few true repeats across unrelated schemas.
_NUMBER_NOT_MONEY = {"Contact.latitude", "Contact.longitude"}

# Property names that mean different facts in different schemas (not one fact
# typed two ways); see specs/DECISIONS.md.
HOMONYMS: dict[str, str] = {
    "customer": "a contact's customer-since moment vs the embedded contact of a document",
    "id": "numeric record ids vs the codes of countries, currencies, languages, units, files, tokens",
    "items": "each list holds its own record type",
    "name": "a plain name vs a name per language (Translations)",
    "number": "document and contact sequence numbers vs a product code",
    "price": "a line's unit price vs a product's price per tier (TierPrices)",
    "text": "a plain text vs a product text per language (Translations)",
    "vat": "a VAT number (string) vs a VAT rate in percent (decimal)",
}

# Read-only fields the server assigns to every saved record: where a schema
# that a GET returns has one of these, it is required (issue 13).
SERVER_ASSIGNED = ("id", "created", "modified", "uuid", "number_formatted", "status")


def _schemas(doc: Spec) -> dict[str, Spec]:
    schemas: dict[str, Spec] = doc["components"]["schemas"]
    return schemas


def _all_parameters(doc: Spec) -> list[tuple[str, Spec]]:
    found = [
        (f"#/components/parameters/{name}", p)
        for name, p in doc["components"].get("parameters", {}).items()
    ]
    for (method, path), op in operations(doc).items():
        for p in op.get("parameters", []):
            if "$ref" not in p:
                found.append((f"{method} {path} {p.get('name')}", p))
    return found


def _described(node: Any) -> bool:
    text = node.get("description") if isinstance(node, dict) else None
    return isinstance(text, str) and bool(text.strip())


def documentation_counts(doc: Spec) -> dict[str, tuple[int, int]]:
    """Kind -> (described, all) for schemas, properties, operations, parameters."""
    schemas = _schemas(doc)
    props = [p for s in schemas.values() for p in (s.get("properties") or {}).values()]
    ops = list(operations(doc).values())
    params = [p for _, p in _all_parameters(doc)]
    return {
        "schemas": (sum(map(_described, schemas.values())), len(schemas)),
        "properties": (sum(map(_described, props)), len(props)),
        "operations": (
            sum(
                1 for op in ops if _described(op) and str(op.get("summary", "")).strip()
            ),
            len(ops),
        ),
        "parameters": (sum(map(_described, params)), len(params)),
    }


def check_documentation(doc: Spec) -> list[str]:
    """Every schema, property, operation and parameter says what it means, once."""
    problems: list[str] = []
    users: dict[str, list[str]] = {}
    for name, schema in _schemas(doc).items():
        if not _described(schema):
            problems.append(f"schema without description: {name}")
        for prop, node in (schema.get("properties") or {}).items():
            if not _described(node):
                problems.append(f"property without description: {name}.{prop}")
            else:
                users.setdefault(" ".join(node["description"].split()), []).append(
                    f"{name}.{prop}"
                )
    for text, where in sorted(users.items()):
        if len(where) > MAX_SAME_DESCRIPTION:
            problems.append(
                f"description shared by {len(where)} properties ({', '.join(where[:3])}, ...): {text[:60]!r}"
            )
    for (method, path), op in sorted(operations(doc).items()):
        if not str(op.get("summary", "")).strip():
            problems.append(f"operation without summary: {method} {path}")
        if not _described(op):
            problems.append(f"operation without description: {method} {path}")
    for where, param in _all_parameters(doc):
        if not _described(param):
            problems.append(f"parameter without description: {where}")
    return problems


def _texts(doc: Spec) -> Iterator[tuple[str, str]]:
    """(where, text) for every summary and description in the document."""

    def walk(node: Any, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{where}/{key}"
                if key in ("summary", "description") and isinstance(value, str):
                    yield here, value
                else:
                    yield from walk(value, here)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{where}/{i}")

    yield from walk(doc, "#")


def check_articles(doc: Spec) -> list[str]:
    """'a' before a consonant sound, 'an' before a vowel sound ("Create an invoice")."""
    problems: list[str] = []
    for where, text in _texts(doc):
        for article, word in _ARTICLE.findall(text):
            low = word.lower()
            vowel = low[0] in "aeiou"
            if article.lower() == "a" and vowel and low not in _A_BEFORE_VOWEL_LETTER:
                problems.append(f"'a {word}' in {where}")
            if (
                article.lower() == "an"
                and not vowel
                and low not in _AN_BEFORE_CONSONANT_LETTER
            ):
                problems.append(f"'an {word}' in {where}")
    return problems


def check_ranges(doc: Spec) -> list[str]:
    """The paging limits the API enforces are in the schema."""
    params = doc["components"]["parameters"]
    problems: list[str] = []
    limit, offset = params["limit"]["schema"], params["offset"]["schema"]
    if limit.get("minimum") != 1 or limit.get("maximum") != 100:
        problems.append(
            f"limit must be 1..100, is {limit.get('minimum')}..{limit.get('maximum')}"
        )
    if offset.get("minimum") != 0:
        problems.append(f"offset must have minimum 0, has {offset.get('minimum')}")
    for (method, path), op in operations(doc).items():
        names = [resolve(doc, p)[0].get("name") for p in op.get("parameters", [])]
        if "offset" in names and "limit" not in names:
            problems.append(f"offset without limit: {method} {path}")
    return problems


def _numbers(node: Any, where: str) -> Iterator[tuple[str, Spec]]:
    if isinstance(node, dict):
        if node.get("type") == "number":
            yield where, node
        for key, value in node.items():
            yield from _numbers(
                value, f"{where}.{key}" if key != "properties" else where
            )
    elif isinstance(node, list):
        for value in node:
            yield from _numbers(value, where)


def check_exact_numbers(doc: Spec) -> list[str]:
    """Money, prices, quantities, VAT rates and discounts are exact decimals."""
    problems: list[str] = []
    for name, schema in _schemas(doc).items():
        for where, node in _numbers(schema, name):
            if where not in _NUMBER_NOT_MONEY and node.get("format") != "decimal":
                problems.append(f"number without format decimal: {where}")
    return problems


def _response_schemas(doc: Spec) -> set[str]:
    """Names of the schemas a successful GET can return (transitively)."""
    todo: list[Any] = []
    for (method, _path), op in operations(doc).items():
        if method != "GET":
            continue
        for code, response in op.get("responses", {}).items():
            if str(code).startswith("2"):
                todo.extend(
                    media.get("schema")
                    for media in resolve(doc, response)[0].get("content", {}).values()
                )
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in seen:
                    seen.add(name)
                    todo.append(_schemas(doc)[name])
                continue
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return seen


def check_server_assigned_required(doc: Spec) -> list[str]:
    """readOnly fields the server always fills are required in returned records."""
    problems: list[str] = []
    schemas = _schemas(doc)
    for name in sorted(_response_schemas(doc)):
        schema = schemas[name]
        required = set(schema.get("required", []))
        for prop, node in (schema.get("properties") or {}).items():
            computed = node.get("$ref") == "#/components/schemas/CurrencyAmounts"
            assigned = (prop in SERVER_ASSIGNED and node.get("readOnly")) or computed
            if assigned and prop not in required:
                problems.append(f"server-assigned field not required: {name}.{prop}")
        record_id = (schema.get("properties") or {}).get("id", {})
        if "id" in required and not record_id.get("readOnly"):
            problems.append(f"required id is not readOnly: {name}")
    return problems


def _kind(doc: Spec, node: Spec) -> str:
    if "$ref" in node:
        target = resolve(doc, node)[0]
        extra = target.get("additionalProperties")
        if isinstance(extra, dict) and not target.get("properties"):
            return f"map<{_kind(doc, extra)}>"
        return "ref:" + node["$ref"].rsplit("/", 1)[-1]
    kind = str(node.get("type", "?"))
    if kind == "array":
        return f"array<{_kind(doc, node.get('items', {}))}>"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"map<{_kind(doc, node['additionalProperties'])}>"
    return kind + (f":{node['format']}" if "format" in node else "")


def check_consistent_types(doc: Spec) -> list[str]:
    """One property name, one type and format across schemas (homonyms aside);
    a foreign key `<thing>_id` has the type of the id it points to."""
    kinds: dict[str, dict[str, list[str]]] = {}
    for name, schema in _schemas(doc).items():
        for prop, node in (schema.get("properties") or {}).items():
            kinds.setdefault(prop, {}).setdefault(_kind(doc, node), []).append(name)
    problems = [
        f"{prop} typed {len(by_kind)} ways: "
        + "; ".join(f"{k} ({', '.join(v)})" for k, v in sorted(by_kind.items()))
        for prop, by_kind in sorted(kinds.items())
        if len(by_kind) > 1 and prop not in HOMONYMS
    ]
    schemas = _schemas(doc)
    pointers = {
        "payment_account_id": "PaymentAccount",
        "child_product_id": "Product",
        "product_id": "Product",
        "customer_id": "Contact",
        "contact_id": "Contact",
        "productgroup_id": "ProductGroup",
        "template_id": "Template",
        "import_configuration_id": "ImportConfiguration",
        "app_id": "App",
        "user_id": "User",
        "unit_code_id": "UnitCode",
        "currency_id": "Currency",
        "language_id": "Language",
        "country_id": "Country",
    }
    for prop, target in pointers.items():
        want = _kind(doc, schemas[target]["properties"]["id"])
        for kind, names in kinds.get(prop, {}).items():
            if kind != want:
                problems.append(
                    f"{prop} is {kind} in {', '.join(names)} but {target}.id is {want}"
                )
    return problems


def test_everything_is_documented(ours: Spec) -> None:
    problems = check_documentation(ours)
    counts = documentation_counts(ours)
    print(
        "described / all: " + ", ".join(f"{k} {d}/{n}" for k, (d, n) in counts.items())
    )
    assert not problems, f"{len(problems)} documentation problem(s):\n" + "\n".join(
        problems
    )
    assert all(d == n for d, n in counts.values()), counts


def test_articles(ours: Spec) -> None:
    problems = check_articles(ours)
    assert not problems, "\n".join(problems)


def _docstrings(path: Path) -> str:
    """Every docstring of a module (string statements), not its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "\n".join(
        node.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def test_generated_docstrings_use_correct_articles() -> None:
    # the method docstrings come from the summaries: no "Create a invoice"
    package = REPO_ROOT / "generated" / "onfact"
    wrong = [
        f"{path.relative_to(package)}: {article} {word}"
        for path in sorted(package.rglob("*.py"))
        for article, word in _ARTICLE.findall(_docstrings(path))
        if article.lower() == "a"
        and word[0].lower() in "aeiou"
        and word.lower() not in _A_BEFORE_VOWEL_LETTER
    ]
    assert not wrong, "\n".join(wrong[:20])


def test_ranges_in_schema(ours: Spec) -> None:
    assert check_ranges(ours) == []


def test_money_is_exact(ours: Spec) -> None:
    problems = check_exact_numbers(ours)
    assert not problems, "\n".join(problems)
    line = _schemas(ours)["InvoiceLine"]["properties"]
    for prop in ("price", "quantity", "vat", "discount", "purchase_price"):
        assert line[prop] == {**line[prop], "type": "number", "format": "decimal"}
    assert (
        _kind(ours, _schemas(ours)["Invoice"]["properties"]["total_amount_incl"])
        == "map<number:decimal>"
    )


def test_server_assigned_fields_are_required(ours: Spec) -> None:
    problems = check_server_assigned_required(ours)
    assert not problems, "\n".join(problems)
    invoice = _schemas(ours)["Invoice"]
    assert {"id", "number_formatted", "status", "created", "total_amount_incl"} <= set(
        invoice["required"]
    )


def test_types_are_consistent(ours: Spec) -> None:
    problems = check_consistent_types(ours)
    assert not problems, "\n".join(problems)


def test_decisions_are_recorded() -> None:
    decisions = (REPO_ROOT / "specs" / "DECISIONS.md").read_text(encoding="utf-8")
    for key in list(SETTLED_TYPES) + list(HOMONYMS):
        field = key.split(".")[-1]
        assert re.search(
            rf"[`.]{re.escape(field)}`", decisions
        ), f"{key} is not explained in specs/DECISIONS.md"


def test_documentation_checks_fail_on_bad_specs(ours: Spec) -> None:
    bad = copy.deepcopy(ours)
    schemas = _schemas(bad)
    del schemas["Invoice"]["properties"]["vat_exception"]["description"]
    del schemas["Payment"]["description"]
    for name in (
        "InvoiceLine",
        "ProposalLine",
        "OrderslipLine",
        "DeliveryslipLine",
        "PosticketLine",
        "CreditnoteLine",
    ):
        schemas[name]["properties"]["vat"]["description"] = "Computed amounts."
    op = bad["paths"]["/invoices.json"]["post"]
    op["summary"] = "Create a invoice"
    del op["description"]
    del bad["components"]["parameters"]["q"]["description"]
    problems = check_documentation(bad)
    assert "property without description: Invoice.vat_exception" in problems
    assert "schema without description: Payment" in problems
    assert "operation without description: POST /invoices.json" in problems
    assert "parameter without description: #/components/parameters/q" in problems
    assert any(p.startswith("description shared by 6 properties") for p in problems)
    assert check_articles(bad) == ["'a invoice' in #/paths//invoices.json/post/summary"]


def test_type_checks_fail_on_bad_specs(ours: Spec) -> None:
    bad = copy.deepcopy(ours)
    schemas = _schemas(bad)
    schemas["Payment"]["properties"]["date"] = {"type": "string", "description": "x"}
    schemas["Payment"]["properties"]["payment_account_id"] = {
        "type": "string",
        "description": "x",
    }
    schemas["InvoiceLine"]["properties"]["price"] = {
        "type": "number",
        "description": "x",
    }
    schemas["Invoice"]["required"].remove("id")
    schemas["Invoice"]["required"].remove("total_amount_incl")
    bad["components"]["parameters"]["limit"]["schema"].pop("maximum")
    consistency = check_consistent_types(bad)
    assert any(p.startswith("date typed 2 ways") for p in consistency), consistency
    assert any(
        p.startswith("payment_account_id is string in Payment") for p in consistency
    )
    assert check_exact_numbers(bad) == [
        "number without format decimal: InvoiceLine.price"
    ]
    assert check_server_assigned_required(bad) == [
        "server-assigned field not required: Invoice.id",
        "server-assigned field not required: Invoice.total_amount_incl",
    ]
    assert check_ranges(bad) == ["limit must be 1..100, is 1..None"]
