"""Naming: valid, non-reserved, unique and stable identifiers."""

from __future__ import annotations

import pytest

from generator.builder.names import Namespace, PyName, pascal, snake


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("firstName", "first_name"),
        ("first-name", "first_name"),
        ("FIRST NAME", "first_name"),
        ("_", "value"),
        ("48", "value_48"),
        ("EUR", "eur"),
        ("class", "class_"),
        ("Prénom", "prenom"),
        ("getHTTPResponse_code", "get_http_response_code"),
        ("x-company-uuid", "x_company_uuid"),
        ("Имя", "имя"),
        ("", "value"),
    ],
)
def test_snake(raw: str, expected: str) -> None:
    assert snake(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("invoice_line", "InvoiceLine"),
        ("VLAN", "VLAN"),
        ("Vlan", "Vlan"),
        ("None", "None_"),
        ("List", "List"),
        ("Product_price", "Product_price"),
        ("product-price", "ProductPrice"),
        ("48", "Model_48"),
        ("_", "Model"),
        ("FIRST NAME", "FirstName"),
    ],
)
def test_pascal(raw: str, expected: str) -> None:
    assert pascal(raw) == expected


def test_pyname_rejects_keywords_and_garbage() -> None:
    for bad in ("class", "1abc", "a-b", ""):
        with pytest.raises(ValueError):
            PyName(bad)


def test_namespace_suffix_depends_only_on_origin() -> None:
    first = Namespace()
    first.claim("Foo", "foo")
    clash_a = first.claim("Foo", "foo-bar")
    second = Namespace()
    second.claim("Foo", "foo")
    second.claim("Other", "other")
    clash_b = second.claim("Foo", "foo-bar")
    assert clash_a == clash_b != "Foo"


def test_namespace_avoid_keeps_names_of_other_keys_free() -> None:
    # "a-b" must not become a_b while another property's JSON key is "a_b"
    ns = Namespace()
    first = ns.claim("a_b", "a-b", avoid={"a_b"})
    assert first not in ("a_b", "a_b_")
    assert ns.claim("a_b", "a_b", avoid={"a-b"}) == "a_b"
    reserved = Namespace({"class"})
    assert reserved.claim("class", "class", avoid={"class_"}) not in ("class", "class_")


def test_api_phrase_never_doubles_the_word_api() -> None:
    from generator.builder import _api_phrase

    assert _api_phrase("onFact API") == "onFact API"
    assert _api_phrase("Azure Maps APIs") == "Azure Maps APIs"
    assert _api_phrase("Pets") == "Pets API"
    assert _api_phrase("Rapid") == "Rapid API"  # only the whole word counts
