"""Paged list operations → a page-answering ``list`` and an ``iter`` method
(:class:`generator.ir.PaginationDef`).

Detected from the description by the common conventions, in this order:

- the success response declares a ``Link`` header (RFC 8288, GitHub):
  ``link``; a ``Next-Page``-style header: ``header``;
- integer offset and limit arguments, in the query or the JSON body:
  ``offset``; a page number (and maybe a size): ``page``;
- a cursor argument and a next-cursor field in the response: ``cursor``;
- a cursor argument and none in the response (Kinto's ``_token``): the next
  page's URL comes in a header, ``header``.

Names match after leading underscores and case are dropped (``_limit``).
The configuration's ``pagination`` key states the scheme where these miss
(:func:`stated_scheme`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator import ir
from generator.builder.names import Namespace
from generator.settings import PAGING_SCHEMES

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
    "token",
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
_PAGES = ("total_pages", "pages", "page_count")
#: the code of a warning about a stated scheme
_STATED = "pagination-config"
_NEXT_HEADERS = ("next-page", "x-next-page", "x-next", "next")
#: Methods of the page classes a response field would hide.
PAGE_METHODS = frozenset({"has_next_page", "next_page", "iter_pages"})


@dataclass(frozen=True)
class Arg:
    """An argument the scheme sets: its Python name, wire name and place."""

    name: str
    wire: str
    location: Literal["query", "body"]
    type: ir.Type


@dataclass(frozen=True)
class Context:
    """What detection sees beyond the operation."""

    models: Mapping[str, ir.ModelDef]
    #: header names (lower case) the success response declares
    headers: frozenset[str]
    #: the schema of a query parameter, by wire name
    param_schema: Callable[[str], dict[str, Any]]
    #: the configuration's statement for this operation, if any
    stated: Mapping[str, str] | None = None
    #: what the page classes are named after (``RecordsList``)
    stem: str = "Paged"


@dataclass(frozen=True)
class _Scheme:
    kind: ir.PaginationKind
    param: Arg | None = None
    limit: Arg | None = None
    next: str | None = None  # response field or header name
    total: str | None = None


def _key(wire: str) -> str:
    return wire.lower().lstrip("_")


def _is_int(t: ir.Type) -> bool:
    return ir.without_none(t) == ir.INT


def _first(table: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((table[k] for k in keys if k in table), None)


def _args(op: ir.OperationDef, models: Mapping[str, ir.ModelDef]) -> list[Arg]:
    """The query arguments, then the fields of a JSON body model."""
    out = [
        Arg(p.name, p.wire, "query", p.type)
        for p in op.keyword
        if p.location == "query"
    ]
    body = op.body
    if body is not None and body.json and isinstance(body.validate_as, ir.Ref):
        model = models.get(body.validate_as.name)
        for f in model.fields if model is not None else ():
            if not f.read_only:
                out.append(Arg(f.name, f.wire, "body", f.type))
    return out


def _by_header(ctx: Context) -> _Scheme | None:
    """A declared ``Link`` or ``Next-Page``-style response header."""
    if "link" in ctx.headers:
        return _Scheme("link")
    header = _first({h: h for h in ctx.headers}, _NEXT_HEADERS)
    return _Scheme("header", next=header) if header is not None else None


def _int_field(fields: Mapping[str, ir.FieldDef], keys: tuple[str, ...]) -> str | None:
    found = _first({k: f for k, f in fields.items() if _is_int(f.type)}, keys)
    return found.wire if found is not None else None


#: Offset names that also start a range of values when an end is beside them.
_RANGE_STARTS = ("start", "from")
_RANGE_ENDS = ("end", "to", "until", "stop")


def _bounded(args: list[Arg]) -> bool:
    return any(_key(a.wire) in _RANGE_ENDS for a in args)


def _by_args(args: list[Arg], fields: Mapping[str, ir.FieldDef]) -> _Scheme | None:
    """Offset and limit, a page number, or a cursor among ``args`` (all in
    one place); a cursor with no next field in the response is ``header``."""
    ints = {_key(a.wire): a for a in args if _is_int(a.type)}
    off: Arg | None = _first(ints, _OFFSET)
    if off is not None and _key(off.wire) in _RANGE_STARTS and _bounded(args):
        off = None  # start/end, from/to: a range of values, not a position
    lim: Arg | None = _first(ints, _LIMIT)
    page: Arg | None = _first(ints, _PAGE)
    if off is not None and lim is not None:
        return _Scheme("offset", off, lim, total=_int_field(fields, _TOTAL))
    if page is not None:
        return _Scheme("page", page, lim, total=_int_field(fields, _PAGES))
    cur: Arg | None = _first({_key(a.wire): a for a in args}, _CURSOR)
    if cur is None:
        return None
    nxt: ir.FieldDef | None = _first(fields, _NEXT)
    if nxt is not None:
        return _Scheme("cursor", cur, next=nxt.wire)
    return _Scheme("header") if cur.location == "query" else None


def _detect(
    op: ir.OperationDef, fields: Mapping[str, ir.FieldDef], ctx: Context
) -> _Scheme | None:
    found = _by_header(ctx)
    args = _args(op, ctx.models)
    for location in ("query", "body"):
        if found is None:
            found = _by_args([a for a in args if a.location == location], fields)
    return found


def _stated(
    op: ir.OperationDef, fields: Mapping[str, ir.FieldDef], ctx: Context
) -> _Scheme | str | None:
    """The scheme the configuration states (None: no paging), or why it
    cannot be used."""
    stated = ctx.stated or {}
    kind = stated.get("scheme", "")
    if kind == "none":
        return None
    by_wire = {a.wire: a for a in _args(op, ctx.models)}
    chosen: dict[str, Arg] = {}
    for key in ("param", "limit"):
        wire = stated.get(key)
        if wire is not None and wire not in by_wire:
            return f"{op.http_method} {op.path} has no argument {wire!r} ({key})"
        if wire is not None:
            chosen[key] = by_wire[wire]
    param, limit = chosen.get("param"), chosen.get("limit")
    if kind in ("offset", "page", "cursor") and param is None:
        return f"the {kind} scheme needs 'param', the argument it sets"
    if param and limit and param.location != limit.location:
        return "'param' and 'limit' must both be in the query or both in the body"
    nxt = stated.get("next")
    if kind == "cursor" and (nxt is None or nxt.lower() not in fields):
        return "the cursor scheme needs 'next', the response field of the next cursor"
    total = stated.get("total")
    for k in ("offset", "page", "cursor", "header", "link"):
        if k == kind:
            return _Scheme(k, param, limit, next=nxt, total=total)
    return f"unknown scheme {kind!r}: expected one of {', '.join(PAGING_SCHEMES)}"


def _items(
    op: ir.OperationDef, models: Mapping[str, ir.ModelDef], wanted: str | None
) -> tuple[ir.FieldDef | None, ir.Type, ir.ModelDef | None] | None:
    """(items field, item type, response model); the field is None when the
    response is the list itself."""
    if isinstance(op.returns, ir.ListOf):
        return None, op.returns.item, None
    if not isinstance(op.returns, ir.Ref):
        return None
    model = models.get(op.returns.name)
    if model is None:
        return None
    keys = (wanted.lower(),) if wanted else ITEMS
    fields = {f.wire.lower(): f for f in model.fields}
    for k in keys:
        listed = ir.without_none(fields[k].type) if k in fields else None
        if isinstance(listed, ir.ListOf):
            return fields[k], listed.item, model
    return None


def _method_name(op: ir.OperationDef) -> str:
    if op.name == "list":
        return "iter"
    return "iter_" + (op.name[5:] if op.name.startswith("list_") else op.name)


def _page_size(scheme: _Scheme, ctx: Context) -> int:
    if scheme.limit is None or scheme.limit.location != "query":
        return 100
    schema = ctx.param_schema(scheme.limit.wire)
    for key in ("default", "maximum"):
        v = schema.get(key)
        if isinstance(v, int) and not isinstance(v, bool) and v > 0:
            return min(v, 1000)
    return 100


def _start(scheme: _Scheme, ctx: Context) -> int:
    if scheme.kind != "page":
        return 0
    arg = scheme.param
    if arg is not None and arg.location == "query":
        default = ctx.param_schema(arg.wire).get("default")
        if isinstance(default, int) and not isinstance(default, bool):
            return default
    return 1


def pagination(
    op: ir.OperationDef,
    ctx: Context,
    ns: Namespace,
    origin: str,
    problem: Callable[[str, str], None],
) -> ir.PaginationDef | None:
    """How ``op`` pages, if it answers a page of items; a stated scheme that
    cannot apply is reported through ``problem(code, message)`` and ignored."""
    if op.response_kind != "json" or op.http_method not in ("GET", "POST"):
        if ctx.stated and ctx.stated.get("scheme") != "none":
            problem(_STATED, f"{op.http_method} {op.path} answers no JSON list to page")
        return None
    found = _items(op, ctx.models, (ctx.stated or {}).get("items"))
    if found is None:
        if ctx.stated and ctx.stated.get("scheme") != "none":
            problem(
                _STATED, f"{op.http_method} {op.path} answers no list of items to page"
            )
        return None
    items, item, model = found
    fields = {f.wire.lower(): f for f in model.fields} if model else {}
    if ctx.stated is not None:
        stated = _stated(op, fields, ctx)
        if isinstance(stated, str):
            problem(_STATED, stated)
            return None
        scheme = stated
    else:
        scheme = _detect(op, fields, ctx)
        if scheme is not None and op.http_method == "POST":
            # a POST pages only with its arguments in the body
            located = scheme.param is not None and scheme.param.location == "body"
            scheme = scheme if located else None
    if scheme is None:
        return None
    return _definition(op, ctx, ns, origin, scheme, (items, item, model), problem)


def _hidden(model: ir.ModelDef | None) -> str | None:
    """A field of the response model that would hide a page method."""
    names = {f.name for f in model.fields} if model is not None else set()
    hidden = sorted(PAGE_METHODS & names)
    return hidden[0] if hidden else None


def _wire(arg: Arg | None) -> str | None:
    return arg.wire if arg is not None else None


def _definition(
    op: ir.OperationDef,
    ctx: Context,
    ns: Namespace,
    origin: str,
    scheme: _Scheme,
    found: tuple[ir.FieldDef | None, ir.Type, ir.ModelDef | None],
    problem: Callable[[str, str], None],
) -> ir.PaginationDef | None:
    items, item, model = found
    hidden = _hidden(model)
    if hidden is not None:
        problem(
            "pagination-hidden",
            f"the field {hidden!r} of the response would hide the page method"
            f" of that name: {op.http_method} {op.path} gets no paging",
        )
        return None
    # arguments in the query are the iterator's to set; a body is the caller's
    set_by_iter = (
        [a for a in (scheme.param, scheme.limit) if a is not None]
        if scheme.param is not None and scheme.param.location == "query"
        else []
    )
    names = {a.name: a for a in set_by_iter}
    paged = model is not None
    return ir.PaginationDef(
        method_name=ns.claim(_method_name(op), origin),
        kind=scheme.kind,
        item=item,
        items_field=items.wire if items is not None else None,
        total_field=scheme.total,
        offset_param=scheme.param.name if scheme.param in set_by_iter else None,
        limit_param=scheme.limit.name if scheme.limit in set_by_iter else None,
        cursor_field=scheme.next,
        page_size=_page_size(scheme, ctx),
        passthrough=tuple(p for p in op.keyword if p.name not in names),
        location=scheme.param.location if scheme.param is not None else "query",
        offset_wire=_wire(scheme.param),
        limit_wire=_wire(scheme.limit),
        start=_start(scheme, ctx),
        page_class=f"{ctx.stem}Page" if paged else None,
        async_page_class=f"Async{ctx.stem}Page" if paged else None,
        page_model=ir.Ref(model.name) if model is not None else None,
    )
