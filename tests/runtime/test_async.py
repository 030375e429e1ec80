"""Async client: the same behaviour through httpx.AsyncClient."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from runtime_helpers import SESSION_KEY, THING, MockServer, reply


def test_async_get_and_429_retry(
    make_async_client: Any, sleeps: list[float], models: Any
) -> None:
    async def main() -> Any:
        client, server = make_async_client(
            reply(429, headers={"Retry-After": "2"}), reply(200, THING)
        )
        async with client:
            thing = await client.things.get(7)
        return thing, server

    thing, server = asyncio.run(main())
    assert isinstance(thing, models.Thing) and thing.id == 7
    assert len(server.requests) == 2
    assert sleeps == [2.0]
    assert server.last.headers["X-SESSION-KEY"] == SESSION_KEY


def test_async_500_post_not_retried_get_retried(
    make_async_client: Any, sleeps: list[float], rt: Any
) -> None:
    async def main() -> tuple[MockServer, MockServer]:
        client, post_server = make_async_client(reply(500), reply(201, THING))
        with pytest.raises(rt.InternalServerError):
            await client.things.create(body={"name": "w"})
        client, get_server = make_async_client(reply(500), reply(200, THING))
        assert (await client.things.get(1)).id == 7
        return post_server, get_server

    post_server, get_server = asyncio.run(main())
    assert len(post_server.requests) == 1
    assert len(get_server.requests) == 2


def test_async_transport_errors(make_async_client: Any, rt: Any) -> None:
    async def main() -> None:
        client, server = make_async_client(
            httpx.ConnectError("refused"), reply(201, THING)
        )
        assert (await client.things.create(body={"name": "w"})).id == 7
        assert len(server.requests) == 2
        client, server = make_async_client(httpx.ReadTimeout("slow"))
        with pytest.raises(rt.APITimeoutError):
            await client.things.create(body={"name": "w"})
        assert len(server.requests) == 1
        client, server = make_async_client(httpx.ReadTimeout("slow"))
        with pytest.raises(rt.APITimeoutError):
            await client.things.get(1)
        assert len(server.requests) == 3

    asyncio.run(main())


def test_async_lenient_and_strict(make_async_client: Any, rt: Any) -> None:
    payload = {"name": "w", "status": "weird", "new": 1}

    async def main() -> Any:
        client, _ = make_async_client(reply(200, payload))
        thing = await client.things.get(1)
        with pytest.raises(rt.ResponseValidationError):
            await client.with_options(strict_responses=True).things.get(1)
        return thing

    thing = asyncio.run(main())
    assert thing.name == "w" and thing.model_extra == {"status": "weird", "new": 1}
    for name in ("id", "status"):  # absent / not in the enum: raise when read
        with pytest.raises(rt.InvalidFieldError):
            getattr(thing, name)


def test_async_validation_before_request(make_async_client: Any, rt: Any) -> None:
    async def main() -> MockServer:
        client, server = make_async_client(reply(201, THING), strict_requests=True)
        with pytest.raises(rt.RequestValidationError):
            await client.things.create(body={"name": {"not": "a string"}})
        return server

    assert asyncio.run(main()).requests == []


def test_async_400_field_errors(make_async_client: Any, rt: Any, models: Any) -> None:
    body = {"message": "Invalid", "errors": [{"field": "name", "message": "blank"}]}

    async def main() -> Any:
        client, _ = make_async_client(reply(400, body))
        with pytest.raises(rt.BadRequestError) as info:
            await client.things.create(body={"name": ""})
        return info.value

    err = asyncio.run(main())
    assert [(e.field, e.message) for e in err.field_errors] == [("name", "blank")]
    assert isinstance(err.body_model, models.ErrorBody)
    assert "POST https://api.fake.test/v1/things -> 400" in str(err)


def test_async_multipart_and_download(make_async_client: Any, tmp_path: Any) -> None:
    chunks = [b"1" * 100, b"2" * 100]

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json=THING)
        return httpx.Response(200, content=stream())

    async def main() -> tuple[int, MockServer]:
        client, server = make_async_client(handler)
        await client.things.upload(7, file=("a.csv", b"x,y\n1,2", "text/csv"))
        written = await client.things.download(7, str(tmp_path / "f.bin"))
        return written, server

    written, server = asyncio.run(main())
    upload = server.requests[0]
    assert (
        b'filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nx,y\n1,2' in upload.content
    )
    assert written == 200
    assert (tmp_path / "f.bin").read_bytes() == b"".join(chunks)


def test_async_streamed_file_body(make_async_client: Any) -> None:
    async def main() -> MockServer:
        client, server = make_async_client(reply(200, {}))
        await client.request(
            "PUT",
            "/blob",
            body=io.BytesIO(b"data" * 1000),
            content_type="application/zip",
        )
        return server

    server = asyncio.run(main())
    assert server.last.content == b"data" * 1000
    assert server.last.headers["Content-Length"] == "4000"


def test_async_offset_pagination(make_async_client: Any) -> None:
    pages = {
        0: {"items": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]},
        2: {"items": [{"id": 3, "name": "c"}, {"id": 4, "name": "d"}]},
        4: {"items": [{"id": 5, "name": "e"}]},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[int(request.url.params["offset"])])

    async def main() -> tuple[list[int], MockServer]:
        client, server = make_async_client(handler)
        return [t.id async for t in client.things.list_all(page_size=2)], server

    ids, server = asyncio.run(main())
    assert ids == [1, 2, 3, 4, 5]
    assert len(server.requests) == 3


def test_async_redirect_drops_credentials(make_async_client: Any) -> None:
    async def main() -> MockServer:
        client, server = make_async_client(
            reply(302, headers={"Location": "https://other.test/x"}), reply(200, THING)
        )
        await client.things.get(1)
        return server

    server = asyncio.run(main())
    assert "X-SESSION-KEY" in server.requests[0].headers
    assert "X-SESSION-KEY" not in server.requests[1].headers
    assert "X-Account-Id" not in server.requests[1].headers


def test_async_capture_in_concurrent_tasks(make_async_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=THING, headers={"X-Path": request.url.path})

    async def main() -> list[str]:
        client, _ = make_async_client(handler)
        with client.capture_responses() as log:
            await asyncio.gather(client.things.get(1), client.things.get(2))
        return sorted(r.headers["X-Path"] for r in log.responses)

    assert asyncio.run(main()) == ["/v1/things/1.json", "/v1/things/2.json"]


def test_async_oauth_token_cached_across_tasks(fakeapi: Any, clean_env: None) -> None:
    issued: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        if request.url.path == "/oauth/token":
            await asyncio.sleep(0.01)  # let the other task race for the lock
            issued.append(1)
            return httpx.Response(
                200, json={"access_token": "atok", "expires_in": 3600}
            )
        assert request.headers["Authorization"] == "Bearer atok"
        return httpx.Response(200, json=THING)

    async def main() -> None:
        client = fakeapi.AsyncFake(
            client_id="cid",
            client_secret="cs",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        )
        await asyncio.gather(*(client.things.get(i) for i in range(5)))
        await client.things.get(9)

    asyncio.run(main())
    assert len(issued) == 1


def test_async_with_options_and_close(fakeapi: Any, clean_env: None) -> None:
    async def main() -> None:
        client = fakeapi.AsyncFake(session_key="k")
        copy = client.with_options(max_retries=0)
        assert copy.things is not client.things and copy.max_retries == 0
        await copy.close()
        assert not client._engine._http.is_closed
        await client.close()
        assert client._engine._http.is_closed

    asyncio.run(main())


def test_async_json_body_encoding(make_async_client: Any, models: Any) -> None:
    async def main() -> MockServer:
        client, server = make_async_client(reply(201, THING))
        await client.things.create(body=models.Thing(id=1, name="n"))
        return server

    assert json.loads(asyncio.run(main()).last.content) == {"name": "n"}
