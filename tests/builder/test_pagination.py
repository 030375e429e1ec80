"""Which scheme a list operation pages by (issue 16): detected from the
description by the common conventions, or stated in the configuration."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.builder import build
from generator.builder.pagination import _CURSOR, _LIMIT, _OFFSET, _PAGE
from generator.config import read_config
from generator.diagnostics import Diagnostics, SpecError
from generator.settings import BuildOptions, BuildSettings

INT = {"type": "integer"}
STR = {"type": "string"}
ITEMS = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def _q(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema or INT}


def _op(
    params: list[dict[str, Any]],
    response: dict[str, Any],
    *,
    body: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
    op_id: str = "listThings",
) -> dict[str, Any]:
    resp: dict[str, Any] = {
        "description": "ok",
        "content": {"application/json": {"schema": response}},
    }
    if headers:
        resp["headers"] = headers
    op: dict[str, Any] = {
        "operationId": op_id,
        "parameters": params,
        "responses": {"200": resp},
    }
    if body is not None:
        op["requestBody"] = {"content": {"application/json": {"schema": body}}}
    return op


def _paging(
    op: dict[str, Any], method: str = "get", stated: dict[str, Any] | None = None
) -> tuple[ir.PaginationDef | None, Diagnostics]:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/things": {method: op}},
        "components": {"schemas": {"Item": _obj(id=INT)}},
    }
    diags = Diagnostics()
    options = BuildOptions(pagination=stated or {})
    api = build(doc, BuildSettings(options=options), diags)
    assert not diags.has_errors, [d.render() for d in diags]
    (found,) = [o for r in api.resources for o in r.operations]
    return found.pagination, diags


def _summary(pg: ir.PaginationDef | None) -> tuple[Any, ...] | None:
    if pg is None:
        return None
    return (pg.kind, pg.location, pg.offset_wire, pg.limit_wire, pg.items_field)


CASES = [
    # offset and limit in the query, items and a total in an object
    (
        _op([_q("offset"), _q("limit")], _obj(items=ITEMS, total=INT)),
        "get",
        ("offset", "query", "offset", "limit", "items"),
    ),
    # a page number and size, the response is the list
    (
        _op([_q("page"), _q("per_page")], ITEMS),
        "get",
        ("page", "query", "page", "per_page", None),
    ),
    # a cursor argument and the next cursor in the response
    (
        _op([_q("cursor", STR)], _obj(data=ITEMS, next_cursor=STR)),
        "get",
        ("cursor", "query", "cursor", None, "data"),
    ),
    # Kinto: a token argument, nothing in the body: the next URL is a header
    (
        _op([_q("_limit"), _q("_token", STR)], _obj(data=ITEMS)),
        "get",
        ("header", "query", None, None, "data"),
    ),
    # GitHub: the response declares Link
    (
        _op([_q("page"), _q("per_page")], ITEMS, headers={"Link": {"schema": STR}}),
        "get",
        ("link", "query", None, None, None),
    ),
    (
        _op([], _obj(results=ITEMS), headers={"Next-Page": {"schema": STR}}),
        "get",
        ("header", "query", None, None, "results"),
    ),
    # FastAPI: offset and limit, or page and limit, in a POST body
    (
        _op([], ITEMS, body=_obj(offset=INT, limit=INT, name=STR)),
        "post",
        ("offset", "body", "offset", "limit", None),
    ),
    (
        _op([], _obj(results=ITEMS, pages=INT), body=_obj(page=INT, limit=INT)),
        "post",
        ("page", "body", "page", "limit", "results"),
    ),
    (
        _op([], _obj(items=ITEMS, next_token=STR), body=_obj(next_token=STR)),
        "post",
        ("cursor", "body", "next_token", None, "items"),
    ),
    # no paging: nothing to page by, or a POST whose arguments are in the query
    (_op([_q("q", STR)], _obj(items=ITEMS)), "get", None),
    (_op([_q("offset"), _q("limit")], ITEMS), "post", None),
    (_op([_q("offset"), _q("limit")], _obj(name=STR)), "get", None),
]


@pytest.mark.parametrize(("op", "method", "expected"), CASES)
def test_detection(op: dict[str, Any], method: str, expected: Any) -> None:
    pg, _ = _paging(op, method)
    assert _summary(pg) == expected


def _name(table: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A name of ``table`` as APIs spell it: any case, maybe ``_`` first."""
    return st.tuples(st.sampled_from(table), st.booleans(), st.booleans()).map(
        lambda t: ("_" if t[1] else "") + (t[0].upper() if t[2] else t[0])
    )


@settings(max_examples=40, deadline=None)
@given(offset=_name(_OFFSET), limit=_name(_LIMIT), where=st.booleans())
def test_offset_and_limit_by_any_usual_name(
    offset: str, limit: str, where: bool
) -> None:
    if offset.lower().lstrip("_") == limit.lower().lstrip("_"):
        return
    if where:
        op = _op([_q(offset), _q(limit)], _obj(items=ITEMS))
        pg, _ = _paging(op)
    else:
        op = _op([], ITEMS, body=_obj(**{offset: INT, limit: INT}))
        pg, _ = _paging(op, "post")
    assert pg is not None
    assert (pg.kind, pg.offset_wire, pg.limit_wire) == ("offset", offset, limit)
    assert pg.location == ("query" if where else "body")
    if where:  # the iterator sets both; they are not its arguments
        assert {p.wire for p in pg.passthrough}.isdisjoint({offset, limit})


@settings(max_examples=30, deadline=None)
@given(page=_name(_PAGE), start=st.integers(0, 2))
def test_page_numbers_start_at_the_default(page: str, start: int) -> None:
    pg, _ = _paging(_op([_q(page, {**INT, "default": start})], ITEMS))
    assert pg is not None and (pg.kind, pg.start) == ("page", start)


@settings(max_examples=30, deadline=None)
@given(cursor=_name(_CURSOR))
def test_a_cursor_without_a_next_field_pages_by_header(cursor: str) -> None:
    pg, _ = _paging(_op([_q(cursor, STR)], _obj(data=ITEMS)))
    assert pg is not None and pg.kind == "header"
    assert cursor in {p.wire for p in pg.passthrough}


@pytest.mark.parametrize(
    ("op_id", "method_name"),
    [("listThings", "iter"), ("paginate", "iter_paginate"), ("search", "iter_search")],
)
def test_iterator_names(op_id: str, method_name: str) -> None:
    op = _op([_q("offset"), _q("limit")], ITEMS, op_id=op_id)
    pg, _ = _paging(op)
    assert pg is not None and pg.method_name == method_name


def test_page_classes_extend_the_response_model() -> None:
    pg, _ = _paging(_op([_q("offset"), _q("limit")], _obj(items=ITEMS)))
    assert pg is not None and pg.page_model == ir.Ref("ThingsListResponse")
    assert (pg.page_class, pg.async_page_class) == (
        "ThingsListPage",
        "AsyncThingsListPage",
    )
    listed, _ = _paging(_op([_q("offset"), _q("limit")], ITEMS))
    assert listed is not None and listed.page_class is None


def test_a_field_named_like_a_page_method_prevents_paging() -> None:
    op = _op([_q("offset"), _q("limit")], _obj(items=ITEMS, next_page=STR))
    pg, diags = _paging(op)
    assert pg is None
    (warning,) = [d for d in diags.warnings if d.code == "pagination-hidden"]
    assert "next_page" in warning.message


@pytest.mark.parametrize("key", ["listThings", "GET /things", "things.listThings"])
def test_stated_scheme_by_any_key(key: str) -> None:
    op = _op([_q("n")], _obj(rows=ITEMS))
    assert _paging(op)[0] is None
    stated = {key: {"scheme": "header", "items": "rows", "next": "X-Continue"}}
    pg, _ = _paging(op, stated=stated)
    assert pg is not None
    assert (pg.kind, pg.items_field, pg.cursor_field) == (
        "header",
        "rows",
        "X-Continue",
    )


def test_stated_offset_in_names_detection_misses() -> None:
    op = _op([_q("first"), _q("howmany")], ITEMS)
    stated = {"listThings": {"scheme": "offset", "param": "first", "limit": "howmany"}}
    pg, _ = _paging(op, stated=stated)
    assert pg is not None
    assert (pg.kind, pg.offset_param, pg.limit_param) == ("offset", "first", "howmany")


def test_stated_none_turns_detection_off() -> None:
    op = _op([_q("offset"), _q("limit")], ITEMS)
    pg, _ = _paging(op, stated={"listThings": {"scheme": "none"}})
    assert pg is None


@pytest.mark.parametrize(
    ("stated", "words"),
    [
        ({"scheme": "offset", "items": "rows", "param": "nope"}, "no argument"),
        ({"scheme": "page", "items": "rows"}, "needs 'param'"),
        ({"scheme": "cursor", "items": "rows", "param": "n"}, "needs 'next'"),
        ({"scheme": "header", "items": "missing"}, "no list of items"),
    ],
)
def test_a_stated_scheme_that_cannot_apply_is_a_located_warning(
    stated: dict[str, str], words: str
) -> None:
    op = _op([_q("n")], _obj(rows=ITEMS))
    pg, diags = _paging(op, stated={"listThings": stated})
    assert pg is None
    (warning,) = [d for d in diags.warnings if d.code == "pagination-config"]
    assert words in warning.message and warning.pointer == "/paths/~1things/get"


def test_config_key_is_read(tmp_path: Any) -> None:
    path = tmp_path / "clientgen.yaml"
    path.write_text(
        "spec: api.yaml\n"
        "pagination:\n"
        "  listThings: {scheme: header, next: Next-Page}\n"
        "  GET /other: {scheme: none}\n",
        "utf-8",
    )
    config = read_config(str(path), Diagnostics())
    assert config.targets[0].settings.options.pagination == {
        "listThings": {"scheme": "header", "next": "Next-Page"},
        "GET /other": {"scheme": "none"},
    }


@pytest.mark.parametrize(
    ("entry", "pointer", "words"),
    [
        ("{scheme: sideways}", "/pagination/GET ~1other/scheme", "must be one of"),
        ("{scheme: page, colour: blue}", "/pagination/GET ~1other/colour", "colour"),
        ("{scheme: page, param: [1]}", "/pagination/GET ~1other", "strings"),
        ("offset", "/pagination/GET ~1other", "mapping"),
    ],
)
def test_config_key_is_checked(
    tmp_path: Any, entry: str, pointer: str, words: str
) -> None:
    path = tmp_path / "clientgen.yaml"
    path.write_text(f"spec: api.yaml\npagination:\n  GET /other: {entry}\n", "utf-8")
    diags = Diagnostics()
    with pytest.raises(SpecError):
        read_config(str(path), diags)
    errors = [d for d in diags if d.level == "error" and d.pointer == pointer]
    assert errors and words in errors[0].message, [d.render() for d in diags]
    assert errors[0].line == 3


@settings(max_examples=30, deadline=None)
@given(
    start=st.sampled_from(["start", "from", "_start", "Start"]),
    end=st.sampled_from(["end", "to", "until", "stop", "_end"]),
)
def test_a_range_start_beside_its_end_is_no_offset(start: str, end: str) -> None:
    # GET /events?start=..&end=..&limit=..: start bounds values, it is no position
    op = _op([_q(start), _q(end), _q("limit")], _obj(items=ITEMS))
    pg, _ = _paging(op)
    assert pg is None or pg.offset_wire != start
    alone, _ = _paging(_op([_q(start), _q("limit")], _obj(items=ITEMS)))
    assert alone is not None and alone.offset_wire == start
