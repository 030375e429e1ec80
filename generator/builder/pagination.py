"""Paged list operations → an ``iter`` method (:class:`generator.ir.PaginationDef`).

Detected from the response model (an items array, a total, a next cursor)
and the query parameters (offset/limit, page, cursor).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator import ir
from generator.builder.names import Namespace

_OFFSET = ("offset", "skip", "start", "from")
_LIMIT = (
    "limit",
    "per_page",
    "page_size",
    "pagesize",
    "size",
    "count",
    "max_results",
    "maxresults",
    "top",
)
_PAGE = ("page", "page_number", "pagenumber")
_CURSOR = (
    "cursor",
    "after",
    "page_token",
    "pagetoken",
    "next_token",
    "nexttoken",
    "starting_after",
    "continuation_token",
)
_NEXT = (
    "next_cursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
    "nexttoken",
    "cursor",
    "next",
    "continuation_token",
)
ITEMS = (
    "items",
    "data",
    "results",
    "records",
    "values",
    "entries",
    "elements",
    "content",
)
_TOTAL = (
    "count",
    "total",
    "total_count",
    "totalcount",
    "total_results",
    "totalresults",
)


def _is_int(t: ir.Type) -> bool:
    return ir.without_none(t) == ir.INT


def _first(table: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((table[k] for k in keys if k in table), None)


def _scheme(
    op: ir.OperationDef, fields: dict[str, ir.FieldDef]
) -> tuple[ir.PaginationKind, str, str | None, str | None] | None:
    """(kind, offset/page/cursor argument, limit argument, next-cursor field)."""
    ints = {
        p.wire.lower(): p
        for p in op.keyword
        if p.location == "query" and _is_int(p.type)
    }
    query = {p.wire.lower(): p for p in op.keyword if p.location == "query"}
    off: ir.ParamDef | None = _first(ints, _OFFSET)
    lim: ir.ParamDef | None = _first(ints, _LIMIT)
    page: ir.ParamDef | None = _first(ints, _PAGE)
    cur: ir.ParamDef | None = _first(query, _CURSOR)
    nxt: ir.FieldDef | None = _first(fields, _NEXT)
    if off is not None and lim is not None:
        return "offset", off.name, lim.name, None
    if page is not None:
        return "page", page.name, lim.name if lim is not None else None, None
    if cur is not None and nxt is not None:
        return "cursor", cur.name, None, nxt.wire
    return None


def pagination(
    op: ir.OperationDef,
    models: dict[str, ir.ModelDef],
    ns: Namespace,
    origin: str,
    limit_schema: Callable[[str], dict[str, Any]],
) -> ir.PaginationDef | None:
    """The ``iter`` method of a GET answering a page of items, if it is one."""
    if (
        op.http_method != "GET"
        or op.response_kind != "json"
        or not isinstance(op.returns, ir.Ref)
    ):
        return None
    model = models.get(op.returns.name)
    if model is None:
        return None
    fields = {f.wire.lower(): f for f in model.fields}
    items = next(
        (
            fields[k]
            for k in ITEMS
            if k in fields and isinstance(ir.without_none(fields[k].type), ir.ListOf)
        ),
        None,
    )
    if items is None:
        return None
    listed = ir.without_none(items.type)
    assert isinstance(listed, ir.ListOf)
    scheme = _scheme(op, fields)
    if scheme is None:
        return None
    kind, offset, limit, cursor_field = scheme
    total = next(
        (fields[k] for k in _TOTAL if k in fields and _is_int(fields[k].type)), None
    )
    passthrough = tuple(p for p in op.keyword if p.name not in {offset, limit})
    page_size = 100
    if limit is not None:
        wire = next(p.wire for p in op.keyword if p.name == limit)
        schema = limit_schema(wire)
        for key in ("default", "maximum"):
            v = schema.get(key)
            if isinstance(v, int) and not isinstance(v, bool) and v > 0:
                page_size = min(v, 1000)
                break
    if op.name == "list":
        method_name = "iter"
    elif op.name.startswith("list_"):
        method_name = "iter_" + op.name[5:]
    else:
        method_name = op.name + "_iter"
    return ir.PaginationDef(
        method_name=ns.claim(method_name, origin),
        kind=kind,
        item=listed.item,
        items_field=items.wire,
        total_field=total.wire if total is not None else None,
        offset_param=offset,
        limit_param=limit,
        cursor_field=cursor_field,
        page_size=page_size,
        passthrough=passthrough,
    )
