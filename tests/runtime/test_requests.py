"""Request construction: URL, headers, credentials, bodies, response kinds."""

from __future__ import annotations

import io
import json
from typing import Any

import httpx
import pytest
from runtime_helpers import ACCOUNT_ID, SESSION_KEY, THING, reply


def test_get_builds_url_headers_and_parses_model(make_client: Any, models: Any) -> None:
    client, server = make_client(reply(200, THING))
    thing = client.things.get(7)
    assert isinstance(thing, models.Thing)
    assert (thing.id, thing.name, thing.status) == (7, "widget", "active")
    request = server.last
    assert str(request.url) == "https://api.fake.test/v1/things/7.json"
    assert request.headers["X-SESSION-KEY"] == SESSION_KEY
    assert request.headers["X-Account-Id"] == ACCOUNT_ID
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith(
        "fakeapi/1.2.3 (clientgen) python-httpx/"
    )


def test_path_params_are_percent_encoded(make_client: Any) -> None:
    client, server = make_client(reply(200, THING))
    client.request("GET", "/things/{id}.json", path_params={"id": "a/b c?"})
    assert server.last.url.raw_path == b"/v1/things/a%2Fb%20c%3F.json"


def test_missing_path_param_raises_before_sending_and_empty_is_sent(
    make_client: Any, rt: Any
) -> None:
    client, server = make_client()
    with pytest.raises(rt.RequestValidationError, match="id"):
        client.request("GET", "/things/{id}", path_params={})
    assert server.requests == []
    # an empty value is how some servers address a root folder (issue 13)
    client.request("GET", "/things/{id}", path_params={"id": ""})
    assert server.last.url.raw_path == b"/v1/things/"


def test_query_serialisation_drops_not_given_and_none(
    make_client: Any, rt: Any
) -> None:
    client, server = make_client(reply(200, {"items": []}))
    client.request(
        "GET",
        "/things",
        query={
            "tag": ["a", "b"],
            "limit": rt.NOT_GIVEN,
            "cursor": None,
            "archived": False,
            "ids": rt.Styled([1, 2], "form", False),
            "filter": rt.Styled({"name": "x", "size": 3}, "deepObject", True),
        },
    )
    params = server.last.url.params
    assert params.get_list("tag") == ["a", "b"]
    assert "limit" not in params and "cursor" not in params
    assert params["archived"] == "false"
    assert params["ids"] == "1,2"
    assert params["filter[name]"] == "x" and params["filter[size]"] == "3"


def test_default_query_and_extra_query_and_extra_headers(make_client: Any) -> None:
    client, server = make_client(
        reply(200, THING),
        default_query={"lang": "en"},
        default_headers={"X-Team": "t1"},
    )
    client.things.get(
        7,
        request_options={
            "extra_query": {"debug": True},
            "extra_headers": {"X-Trace": "abc"},
        },
    )
    request = server.last
    assert request.url.params["lang"] == "en"
    assert request.url.params["debug"] == "true"
    assert request.headers["X-Team"] == "t1"
    assert request.headers["X-Trace"] == "abc"


def test_header_and_cookie_params(make_client: Any, rt: Any) -> None:
    client, server = make_client(reply(200, {}))
    client.request(
        "GET",
        "/x",
        headers={"X-Ids": [1, 2, 3], "X-Skip": rt.NOT_GIVEN, "X-Flag": True},
        cookies={"session_hint": "abc", "prefs": ["a", "b"]},
    )
    request = server.last
    assert request.headers["X-Ids"] == "1,2,3"
    assert "X-Skip" not in request.headers
    assert request.headers["X-Flag"] == "true"
    assert request.headers["Cookie"] == "session_hint=abc; prefs=a,b"


def test_json_body_sends_only_set_fields_without_read_only(
    make_client: Any, models: Any
) -> None:
    client, server = make_client(reply(201, THING))
    thing = models.Thing(id=99, name="widget", display_name="W")
    created = client.things.create(body=thing)
    assert created.id == 7
    request = server.last
    assert request.headers["Content-Type"] == "application/json"
    # id is read-only, status was never set, display_name goes out by alias.
    assert json.loads(request.content) == {"name": "widget", "display-name": "W"}


def test_dict_body_is_validated_and_encoded(make_client: Any) -> None:
    client, server = make_client(reply(201, THING))
    client.things.create(body={"name": "widget", "tags": [{"label": "x"}], "custom": 1})
    assert json.loads(server.last.content) == {
        "name": "widget",
        "tags": [{"label": "x"}],
        "custom": 1,
    }


def test_strict_requests_raise_before_any_request(make_client: Any, rt: Any) -> None:
    client, server = make_client(reply(201, THING), strict_requests=True)
    with pytest.raises(rt.RequestValidationError) as info:
        client.things.create(body={"name": 123, "status": "active"})
    assert isinstance(info.value, ValueError)
    assert info.value.errors[0]["loc"] == ("name",)
    with pytest.raises(rt.RequestValidationError) as info:
        client.things.create(body={"status": "active"})  # name is required
    assert any(err["type"] == "missing" for err in info.value.errors)
    assert server.requests == []


def test_multipart_upload_with_file_and_fields(make_client: Any) -> None:
    client, server = make_client(reply(200, THING))
    payload = io.BytesIO(b"\x00\x01binary-data")
    payload.name = "/tmp/report.bin"
    client.things.upload(7, file=payload, description="quarterly")
    request = server.last
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="file"; filename="report.bin"' in body
    assert b"\x00\x01binary-data" in body
    assert b'name="description"\r\n\r\nquarterly' in body


def test_multipart_tuple_and_retry_rewinds_file(make_client: Any) -> None:
    client, server = make_client(reply(503), reply(200, THING))
    data = io.BytesIO(b"hello")
    # PUT-like retry needs an idempotent method: use request() directly.
    client.request(
        "PUT",
        "/things/{id}/files",
        path_params={"id": 1},
        body={"file": ("notes.txt", data, "text/plain"), "meta": {"k": 1}},
        content_type="multipart/form-data",
    )
    assert len(server.requests) == 2
    for request in server.requests:
        assert (
            b'filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nhello'
            in request.content
        )
        assert (
            b'name="meta"\r\nContent-Type: application/json\r\n\r\n{"k": 1}'
            in request.content
        )


def test_form_urlencoded_body(make_client: Any) -> None:
    client, server = make_client(reply(200, {}))
    client.request(
        "POST",
        "/forms",
        body={"name": "a b", "tags": ["x", "y"], "ok": True, "skip": None},
        content_type="application/x-www-form-urlencoded",
    )
    assert server.last.content == b"name=a+b&tags=x&tags=y&ok=true"


def test_binary_and_text_bodies(make_client: Any) -> None:
    client, server = make_client(reply(200, {}))
    client.request(
        "PUT", "/blob", body=b"\x01\x02", content_type="application/octet-stream"
    )
    assert server.last.content == b"\x01\x02"
    assert server.last.headers["Content-Type"] == "application/octet-stream"
    client.request(
        "PUT", "/blob", body=io.BytesIO(b"streamed"), content_type="image/png"
    )
    assert server.last.content == b"streamed"
    assert server.last.headers["Content-Length"] == "8"
    client.request("PUT", "/note", body="héllo", content_type="text/plain")
    assert server.last.content == "héllo".encode()


def test_response_kinds(make_client: Any, models: Any) -> None:
    client, server = make_client(
        reply(200, content=b"plain text"),
        reply(200, content=b"\x89PNG"),
        reply(204),
        reply(200, headers={"x-ratelimit-remaining": "41", "X-REQUEST-ID": "req-1"}),
        reply(200, content=b""),
    )
    assert client.request("GET", "/t", response_kind="text") == "plain text"
    assert client.request("GET", "/b", response_kind="bytes") == b"\x89PNG"
    assert client.things.delete(3) is None
    assert server.last.method == "DELETE"
    rate = client.things.rate()
    assert isinstance(rate, models.RateHeaders)
    assert (rate.remaining, rate.request_id) == (41, "req-1")
    assert client.request("GET", "/empty", cast_to=models.Thing) is None


def test_download_streams_to_path(make_client: Any, tmp_path: Any) -> None:
    chunks = [b"a" * 1000, b"b" * 1000, b"c" * 500]

    def streaming(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter(chunks))

    client, server = make_client(streaming)
    target = tmp_path / "out.bin"
    written = client.things.download(5, str(target))
    assert written == 2500
    assert target.read_bytes() == b"".join(chunks)
    assert not (tmp_path / "out.bin.part").exists()
    assert server.last.headers["Accept"] == "*/*"


def test_download_writes_chunk_by_chunk_into_file_object(make_client: Any) -> None:
    chunks = [b"x" * 10, b"y" * 10, b"z" * 10]

    def streaming(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter(chunks))

    class Recorder(io.BytesIO):
        writes: list[int] = []

        def write(self, data: Any) -> int:
            self.writes.append(len(data))
            return super().write(data)

    client, _ = make_client(streaming)
    sink = Recorder()
    assert client.things.download(5, sink) == 30
    assert sink.getvalue() == b"x" * 10 + b"y" * 10 + b"z" * 10
    assert len(sink.writes) == 3  # never buffered into a single write


def test_download_error_leaves_no_file(
    make_client: Any, rt: Any, tmp_path: Any
) -> None:
    client, _ = make_client(reply(404, {"message": "no such file"}))
    target = tmp_path / "missing.bin"
    with pytest.raises(rt.NotFoundError, match="no such file"):
        client.things.download(5, str(target))
    assert not target.exists() and not (tmp_path / "missing.bin.part").exists()


def test_capture_responses_gives_raw_access(make_client: Any) -> None:
    client, _ = make_client(reply(200, THING, headers={"X-Request-Id": "r-1"}))
    client.things.get(7)  # outside the block: not captured
    with client.capture_responses() as log:
        client.things.get(7)
        client.things.get(8)
    assert len(log.responses) == 2
    assert log.last.headers["X-Request-Id"] == "r-1"
    assert log.last.request.url.path == "/v1/things/8.json"


def test_capture_is_scoped_to_the_client(make_client: Any) -> None:
    first, _ = make_client(reply(200, THING))
    second, _ = make_client(reply(200, THING))
    with first.capture_responses() as log:
        second.things.get(1)
    assert log.responses == []
    with pytest.raises(LookupError):
        _ = log.last


def test_invalid_json_body_is_returned_as_text_when_lenient(
    make_client: Any, rt: Any
) -> None:
    client, _ = make_client(reply(200, content=b"<html>oops</html>"))
    assert client.things.get(1) == "<html>oops</html>"
    strict, _ = make_client(
        reply(200, content=b"<html>oops</html>"), strict_responses=True
    )
    with pytest.raises(rt.ResponseValidationError):
        strict.things.get(1)


def test_not_given_fields_are_left_out_of_validated_bodies(make_client: Any) -> None:
    client, server = make_client(reply(200, THING))
    client.things.upload(7, file=b"raw-bytes")  # description defaults to NOT_GIVEN
    body = server.last.content
    assert b'name="file"; filename="file"' in body and b"raw-bytes" in body
    assert b'name="description"' not in body


def test_headers_merge_case_insensitively(make_client: Any) -> None:
    client, server = make_client(
        reply(200, THING), default_headers={"accept": "text/csv"}
    )
    client.things.get(
        1, request_options={"extra_headers": {"x-session-key": "override"}}
    )
    assert server.last.headers.get_list("Accept") == ["text/csv"]
    assert server.last.headers.get_list("X-SESSION-KEY") == ["override"]
