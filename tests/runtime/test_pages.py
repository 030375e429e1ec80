"""Pagination, each scheme against a fake server (``httpx.MockTransport``).

One package is generated from a description with one paged operation per
scheme; a fake server answers them over any number of items in pages of any
size. For every scheme, ``iter()`` yields every item exactly once, in order,
and stops; ``list()`` answers a page whose ``next_page()`` chain walks the
same pages (sync and async).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from helpers import generate_package, import_package
from hypothesis import given, settings
from hypothesis import strategies as st

BASE = "https://api.example/v1"
ITEM = {"$ref": "#/components/schemas/Item"}


def _q(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema or {"type": "integer"}}


def _ok(schema: dict[str, Any], headers: dict[str, Any] | None = None) -> Any:
    resp: dict[str, Any] = {
        "description": "a page",
        "content": {"application/json": {"schema": schema}},
    }
    if headers:
        resp["headers"] = headers
    return {"200": resp}


def _obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def _body(**props: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": _obj(**props)}}}


INT = {"type": "integer"}
STR = {"type": "string"}
LIST = {"type": "array", "items": ITEM}

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Pages", "version": "1"},
    "servers": [{"url": BASE}],
    "paths": {
        "/offset": {
            "get": {
                "operationId": "listOffset",
                "parameters": [_q("offset"), _q("limit"), _q("q", STR)],
                "responses": _ok(_obj(items=LIST, total=INT)),
            }
        },
        "/numbered": {
            "get": {
                "operationId": "listNumbered",
                "parameters": [_q("page"), _q("per_page")],
                "responses": _ok(LIST),
            }
        },
        "/cursor": {
            "get": {
                "operationId": "listCursor",
                "parameters": [_q("cursor", STR), _q("size")],
                "responses": _ok(_obj(data=LIST, next_cursor=STR)),
            }
        },
        "/kinto": {
            "get": {
                "operationId": "listKinto",
                "parameters": [_q("_limit"), _q("_token", STR)],
                "responses": _ok(_obj(data=LIST)),
            }
        },
        "/linked": {
            "get": {
                "operationId": "listLinked",
                "parameters": [_q("page"), _q("per_page")],
                "responses": _ok(LIST, {"Link": {"schema": STR}}),
            }
        },
        "/stated": {
            "get": {
                "operationId": "listStated",
                "parameters": [_q("n")],
                "responses": _ok(_obj(rows=LIST)),
            }
        },
        "/drf": {  # Django REST framework: the next page's URL in "next"
            "get": {
                "operationId": "listDrf",
                "parameters": [_q("cursor", STR)],
                "responses": _ok(
                    _obj(results=LIST, next={**STR, "format": "uri"}, previous=STR)
                ),
            }
        },
        "/django-pages": {  # page numbers; only a null "next" says "last"
            "get": {
                "operationId": "listDjangoPages",
                "parameters": [_q("page")],
                "responses": _ok(_obj(results=LIST, next=STR)),
            }
        },
        "/spring": {  # zero-based pages with a page count and "last"
            "get": {
                "operationId": "listSpring",
                "parameters": [_q("page", {**INT, "default": 0}), _q("size")],
                "responses": _ok(
                    _obj(content=LIST, total_pages=INT, last={"type": "boolean"})
                ),
            }
        },
        "/body-offset": {
            "post": {
                "operationId": "filterOffset",
                "requestBody": _body(offset=INT, limit=INT, name=STR),
                "responses": _ok(LIST),
            }
        },
        "/body-page": {
            "post": {
                "operationId": "paginate",
                "requestBody": _body(page={**INT, "default": 1}, limit=INT),
                "responses": _ok(
                    _obj(results=LIST, count=INT, pages=INT, page=INT, limit=INT)
                ),
            }
        },
        "/body-cursor": {
            "post": {
                "operationId": "scan",
                "requestBody": _body(next_token=STR, limit=INT),
                "responses": _ok(_obj(items=LIST, next_token=STR)),
            }
        },
    },
    "components": {"schemas": {"Item": _obj(id=INT)}},
}
CONFIG = {
    "pagination": {
        "listStated": {"scheme": "header", "items": "rows", "next": "X-Continue"}
    }
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    tmp = tmp_path_factory.mktemp("pages")
    folder, name = generate_package(SPEC, tmp, package="paged_fake", config=CONFIG)
    module: ModuleType = import_package(folder, name)
    return module


class Server:
    """``total`` items served in pages of ``size`` by each scheme."""

    def __init__(self, total: int, size: int, cap: int | None = None) -> None:
        self.items = [{"id": i} for i in range(total)]
        self.size = size
        self.cap = cap  # the most items a page holds, whatever was asked
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        q = request.url.params
        path = request.url.path.removeprefix("/v1")
        body = json.loads(request.content) if request.content else {}
        handler = getattr(self, path.strip("/").replace("-", "_"))
        result: httpx.Response = handler(q, body)
        return result

    def _slice(self, start: int, size: int) -> list[dict[str, int]]:
        return self.items[start : start + min(size, self.cap or size)]

    def offset(self, q: Any, _: Any) -> httpx.Response:
        start, size = int(q.get("offset", 0)), int(q.get("limit", self.size))
        page = {"items": self._slice(start, size), "total": len(self.items)}
        return httpx.Response(200, json=page)

    def numbered(self, q: Any, _: Any) -> httpx.Response:
        number, size = int(q.get("page", 1)), int(q.get("per_page", self.size))
        return httpx.Response(200, json=self._slice((number - 1) * size, size))

    def cursor(self, q: Any, _: Any) -> httpx.Response:
        start = int(q.get("cursor") or 0)
        end = start + self.size
        nxt = str(end) if end < len(self.items) else None
        page = {"data": self._slice(start, self.size), "next_cursor": nxt}
        return httpx.Response(200, json=page)

    def kinto(self, q: Any, _: Any) -> httpx.Response:
        start, size = int(q.get("_token") or 0), int(q.get("_limit", self.size))
        headers = {}
        if start + size < len(self.items):
            headers["Next-Page"] = f"{BASE}/kinto?_limit={size}&_token={start + size}"
        return httpx.Response(
            200, json={"data": self._slice(start, size)}, headers=headers
        )

    def linked(self, q: Any, _: Any) -> httpx.Response:
        number, size = int(q.get("page", 1)), int(q.get("per_page", self.size))
        links = ['</v1/linked?page=1>; rel="first"']
        if number * size < len(self.items):
            # relative, and not the first link: both must be understood
            links.append(f'</v1/linked?page={number + 1}&per_page={size}>; rel="next"')
        items = self._slice((number - 1) * size, size)
        return httpx.Response(200, json=items, headers={"Link": ", ".join(links)})

    def stated(self, q: Any, _: Any) -> httpx.Response:
        start = int(q.get("n") or 0)
        headers = {}
        if start + self.size < len(self.items):
            headers["X-Continue"] = f"{BASE}/stated?n={start + self.size}"
        rows = {"rows": self._slice(start, self.size)}
        return httpx.Response(200, json=rows, headers=headers)

    def drf(self, q: Any, _: Any) -> httpx.Response:
        start = int(q.get("cursor") or 0)
        end = start + self.size
        nxt = f"{BASE}/drf?cursor={end}" if end < len(self.items) else None
        page = {"results": self._slice(start, self.size), "next": nxt}
        return httpx.Response(200, json=page)

    def django_pages(self, q: Any, _: Any) -> httpx.Response:
        number = int(q.get("page", 1))
        if number > 1 and (number - 1) * self.size >= len(self.items):
            return httpx.Response(404, json={"detail": "Invalid page."})
        more = number * self.size < len(self.items)
        nxt = f"{BASE}/django-pages?page={number + 1}" if more else None
        page = {"results": self._slice((number - 1) * self.size, self.size)}
        return httpx.Response(200, json={**page, "next": nxt})

    def spring(self, q: Any, _: Any) -> httpx.Response:
        number, size = int(q.get("page", 0)), int(q.get("size", self.size))
        pages = -(-len(self.items) // size)
        if number >= max(pages, 1):
            return httpx.Response(400, json={"message": "page out of range"})
        page = {
            "content": self._slice(number * size, size),
            "total_pages": pages,
            "last": number >= pages - 1,
        }
        return httpx.Response(200, json=page)

    def body_offset(self, _: Any, body: Any) -> httpx.Response:
        start, size = body.get("offset", 0), body.get("limit", self.size)
        return httpx.Response(200, json=self._slice(start, size))

    def body_page(self, _: Any, body: Any) -> httpx.Response:
        number, size = body.get("page", 1), body.get("limit", self.size)
        pages = max(1, -(-len(self.items) // size))
        page = {
            "results": self._slice((number - 1) * size, size),
            "count": len(self.items),
            "pages": pages,
            "page": number,
            "limit": size,
        }
        return httpx.Response(200, json=page)

    def body_cursor(self, _: Any, body: Any) -> httpx.Response:
        start = int(body.get("next_token") or 0)
        end = start + body.get("limit", self.size)
        nxt = str(end) if end < len(self.items) else ""
        page = {"items": self._slice(start, end - start), "next_token": nxt}
        return httpx.Response(200, json=page)


#: scheme → (resource, its first page, every item), with page size n
Calls = dict[str, tuple[str, Callable[[Any, int], Any], Callable[[Any, int], Any]]]
CALLS: Calls = {
    "offset": (
        "offset",
        lambda r, n: r.list(limit=n),
        lambda r, n: r.iter(page_size=n),
    ),
    "page": (
        "numbered",
        lambda r, n: r.list(per_page=n),
        lambda r, n: r.iter(page_size=n),
    ),
    "cursor": ("cursor", lambda r, n: r.list(), lambda r, n: r.iter()),
    "header": ("kinto", lambda r, n: r.list(limit=n), lambda r, n: r.iter(limit=n)),
    "link": (
        "linked",
        lambda r, n: r.list(per_page=n),
        lambda r, n: r.iter(per_page=n),
    ),
    "stated header": ("stated", lambda r, n: r.list(), lambda r, n: r.iter()),
    "next url": ("drf", lambda r, n: r.list(), lambda r, n: r.iter()),
    "null next": ("django_pages", lambda r, n: r.list(), lambda r, n: r.iter()),
    "zero-based": (
        "spring",
        lambda r, n: r.list(size=n),
        lambda r, n: r.iter(page_size=n),
    ),
    "body offset": (
        "body_offset",
        lambda r, n: r.filter_offset({"limit": n}),
        lambda r, n: r.iter_filter_offset({"limit": n, "name": "x"}),
    ),
    "body page": (
        "body_page",
        lambda r, n: r.paginate({"limit": n}),
        lambda r, n: r.iter_paginate({"limit": n}),
    ),
    "body cursor": (
        "body_cursor",
        lambda r, n: r.scan({"limit": n}),
        lambda r, n: r.iter_scan({"limit": n}),
    ),
}


def _client_class(pkg: ModuleType, flavour: str = "") -> Any:
    return next(
        getattr(pkg, n)
        for n in pkg.__all__
        if n.startswith("Async") == bool(flavour)
        and isinstance(getattr(pkg, n), type)
        and hasattr(getattr(pkg, n), "_api")
    )


def _client(pkg: ModuleType, server: Any, **kwargs: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return _client_class(pkg)(http_client=http, **kwargs)


def _async_client(pkg: ModuleType, server: Server) -> Any:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    return _client_class(pkg, "Async")(http_client=http)


def _items(page: Any) -> list[Any]:
    if isinstance(page, list):
        return page
    for name in ("items", "data", "results", "rows", "content"):
        found = getattr(page, name, None)
        if isinstance(found, list):
            return found
    raise AssertionError(f"no items in {page!r}")


def _walk(first: Any) -> Iterator[Any]:
    page = first
    yield page
    while page.has_next_page():
        page = page.next_page()
        yield page


def _ids(items: list[Any]) -> list[int]:
    return [item.id for item in items]


@pytest.mark.parametrize("scheme", sorted(CALLS))
@settings(max_examples=15, deadline=None)
@given(total=st.integers(0, 23), size=st.integers(1, 6))
def test_iter_yields_every_item_once_and_stops(
    pkg: ModuleType, scheme: str, total: int, size: int
) -> None:
    server = Server(total, size)
    attr, first, every = CALLS[scheme]
    resource = getattr(_client(pkg, server), attr)
    assert _ids(list(every(resource, size))) == list(range(total))
    # at most one request past the last full page
    assert len(server.requests) <= total // size + 2

    server.requests.clear()
    pages = list(_walk(first(resource, size)))
    assert [i for page in pages for i in _ids(_items(page))] == list(range(total))
    assert all(len(_items(page)) == size for page in pages[:-1])
    with pytest.raises(LookupError):
        pages[-1].next_page()


@pytest.mark.parametrize("scheme", sorted(CALLS))
def test_async_pages(pkg: ModuleType, scheme: str) -> None:
    server = Server(11, 4)

    async def run() -> tuple[list[int], list[int]]:
        async with _async_client(pkg, server) as client:
            attr, first, every = CALLS[scheme]
            resource = getattr(client, attr)
            seen = [item.id async for item in every(resource, 4)]
            page = await first(resource, 4)
            sizes = [len(_items(page))]
            while page.has_next_page():
                page = await page.next_page()
                sizes.append(len(_items(page)))
            return seen, sizes

    seen, sizes = asyncio.run(run())
    assert seen == list(range(11))
    assert sizes == [4, 4, 3]


@settings(max_examples=20, deadline=None)
@given(total=st.integers(0, 30), cap=st.integers(1, 4))
def test_a_server_capping_the_page_size_is_followed_to_its_total(
    pkg: ModuleType, total: int, cap: int
) -> None:
    # asked for 10 a page, the server sends at most ``cap``: the stated
    # total still leads to the end
    server = Server(total, 10, cap)
    client = _client(pkg, server)
    assert _ids(list(client.offset.iter(page_size=10))) == list(range(total))
    # numbered pages, no size asked: the stated page count decides
    server.cap, server.size = None, cap
    assert _ids(list(client.body_page.iter_paginate({}))) == list(range(total))


def test_a_page_is_still_the_response_model(pkg: ModuleType) -> None:
    server = Server(5, 2)
    client = _client(pkg, server)
    page = client.offset.list(limit=2)
    assert isinstance(page, pkg.models.OffsetListResponse)
    assert page.total == 5 and _ids(page.items) == [0, 1]
    assert page.model_dump() == {"items": [{"id": 0}, {"id": 1}], "total": 5}
    numbered = client.numbered.list(per_page=2)
    assert isinstance(numbered, list) and _ids(numbered) == [0, 1]


def test_iter_sends_nothing_until_iterated(pkg: ModuleType) -> None:
    server = Server(5, 2)
    walker = _client(pkg, server).offset.iter(page_size=2)
    assert server.requests == []
    assert next(walker).id == 0
    assert len(server.requests) == 1


def test_next_link_to_another_origin_carries_no_credentials(
    tmp_path: Path,
) -> None:
    spec = json.loads(json.dumps(SPEC))
    spec["components"]["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
    }
    spec["security"] = [{"key": []}]
    folder, name = generate_package(spec, tmp_path, package="paged_secret")
    package = import_package(folder, name)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {}
        if request.url.host == "api.example":
            headers["Next-Page"] = "https://evil.example/steal"
        return httpx.Response(200, json={"data": [{"id": 1}]}, headers=headers)

    client = _client(package, handler, api_key="secret", default_query={"k": "v"})
    assert [item.id for item in client.kinto.iter()] == [1, 1]
    assert seen[0].headers["X-Key"] == "secret"
    assert "X-Key" not in seen[1].headers
    # nor the client's own query parameters (an API key may be among them)
    assert seen[0].url.params["k"] == "v" and "k" not in seen[1].url.params
