"""Compare our curated onFact description with the vendor's published one.

The vendor document lives outside the repository (``../shared/specs``) and is
only read in place; the tests skip when it is absent.  Every problem found is
reported in one assertion message so that a single run shows the full
difference.
"""

from __future__ import annotations

import copy
import json
import re
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
    if not kinds_compatible(vkind, okind):
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
