"""Client configuration, copies, redirects, redaction, logging, pagination."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from runtime_helpers import ACCOUNT_ID, SESSION_KEY, THING, MockServer, reply


def test_env_var_credentials(fakeapi: Any, monkeypatch: Any, clean_env: None) -> None:
    monkeypatch.setenv("FAKEAPI_SESSION_KEY", "from-env")
    monkeypatch.setenv("FAKEAPI_ACCOUNT_ID", "acct-env")
    server = MockServer(reply(200, THING))
    client = fakeapi.Fake(
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler))
    )
    client.things.get(1)
    assert server.last.headers["X-SESSION-KEY"] == "from-env"
    assert server.last.headers["X-Account-Id"] == "acct-env"
    explicit = fakeapi.Fake(session_key="explicit", http_client=client._engine._http)
    explicit.things.get(1)
    assert server.last.headers["X-SESSION-KEY"] == "explicit"


def test_blank_env_var_counts_as_unset(
    fakeapi: Any, monkeypatch: Any, clean_env: None
) -> None:
    monkeypatch.setenv("FAKEAPI_SESSION_KEY", "")
    client = fakeapi.Fake()
    assert "session_key=unset" in repr(client)


def test_base_url_and_server_selection(fakeapi: Any, clean_env: None) -> None:
    assert fakeapi.Fake().base_url == "https://api.fake.test/v1"
    assert fakeapi.Fake(server="sandbox").base_url == "https://sandbox.fake.test/v1"
    assert fakeapi.Fake(
        base_url="http://localhost:8080/", server="sandbox"
    ).base_url == ("http://localhost:8080")
    with pytest.raises(ValueError, match="Unknown server"):
        fakeapi.Fake(server="nope")


def test_unknown_credential_rejected(rt: Any, fakeapi: Any) -> None:
    with pytest.raises(TypeError, match="bogus"):
        rt.SyncAPIClient.__init__(
            fakeapi.Fake.__new__(fakeapi.Fake), credentials={"bogus": "x"}
        )


def test_repr_shows_state_not_secrets(make_client: Any) -> None:
    client, _ = make_client()
    text = repr(client)
    assert SESSION_KEY not in text
    assert "session_key=set" in text
    assert "client_secret=unset" in text
    assert f"account_id='{ACCOUNT_ID}'" in text  # declared non-secret
    assert "https://api.fake.test/v1" in text


def test_with_options_copy(make_client: Any) -> None:
    client, server = make_client(reply(200, THING))
    things = client.things
    copy = client.with_options(
        base_url="https://eu.fake.test/v2",
        credentials={"session_key": "other-key"},
        default_headers={"X-Extra": "1"},
        timeout=5,
    )
    assert copy is not client and copy._engine._http is client._engine._http
    assert copy.things is not things and copy.things._client is copy
    assert client.things is things  # original cache untouched
    copy.things.get(1)
    assert str(server.last.url) == "https://eu.fake.test/v2/things/1.json"
    assert server.last.headers["X-SESSION-KEY"] == "other-key"
    assert server.last.headers["X-Extra"] == "1"
    assert server.last.extensions["timeout"]["read"] == 5
    client.things.get(1)
    assert str(server.last.url) == "https://api.fake.test/v1/things/1.json"
    assert server.last.headers["X-SESSION-KEY"] == SESSION_KEY
    assert "X-Extra" not in server.last.headers


def test_close_only_closes_owned_http_client(fakeapi: Any, clean_env: None) -> None:
    shared = httpx.Client()
    with fakeapi.Fake(http_client=shared):
        pass
    assert not shared.is_closed
    with fakeapi.Fake() as owned:
        inner = owned._engine._http
        copy = owned.with_options(max_retries=0)
        copy.close()
        assert not inner.is_closed  # the copy does not own the pool
    assert inner.is_closed
    shared.close()


def _redirect(status: int, location: str) -> Any:
    return reply(status, headers={"Location": location})


def test_redirect_to_other_host_drops_credentials(make_client: Any) -> None:
    client, server = make_client(
        _redirect(302, "https://cdn.other.test/blob/7"),
        reply(200, THING),
        default_headers={"Authorization": "Bearer user-set"},
    )
    client.request(
        "GET",
        "/things/7",
        cookies={"pref": "dark"},
        options={"extra_headers": {"X-Trace": "t"}},
    )
    first, second = server.requests
    assert first.headers["X-SESSION-KEY"] == SESSION_KEY
    assert str(second.url) == "https://cdn.other.test/blob/7"
    for header in ("X-SESSION-KEY", "X-Account-Id", "Authorization", "Cookie"):
        assert header not in second.headers
    # headers set for the API stay with it; only our own generic ones travel
    assert "X-Trace" not in second.headers
    assert second.headers["Accept"] == "application/json"
    assert second.headers["User-Agent"].startswith("fakeapi/")


def test_redirect_same_origin_keeps_credentials_and_303_becomes_get(
    make_client: Any,
) -> None:
    client, server = make_client(_redirect(303, "/v1/things/7"), reply(200, THING))
    client.things.create(body={"name": "w"})
    first, second = server.requests
    assert (first.method, second.method) == ("POST", "GET")
    assert second.content == b"" and "Content-Type" not in second.headers
    assert second.headers["X-SESSION-KEY"] == SESSION_KEY


def test_307_keeps_method_and_body_and_scheme_change_drops_credentials(
    make_client: Any,
) -> None:
    client, server = make_client(
        _redirect(307, "http://api.fake.test/v1/things"), reply(201, THING)
    )
    client.things.create(body={"name": "w"})
    second = server.requests[1]
    assert second.method == "POST" and second.content == b'{"name":"w"}'
    assert "X-SESSION-KEY" not in second.headers  # https -> http is another origin


def test_query_api_key_dropped_on_cross_origin_redirect(make_client: Any) -> None:
    client, server = make_client(
        _redirect(301, "https://elsewhere.test/x"), reply(200, THING)
    )
    client = client.with_options(credentials={"query_key": "qk-SECRET"})
    client.things.get_by_query_key(1)
    assert server.requests[0].url.params["api_key"] == "qk-SECRET"
    assert "api_key" not in server.requests[1].url.params


def test_too_many_redirects(make_client: Any, rt: Any) -> None:
    client, server = make_client(_redirect(302, "/v1/loop"))
    with pytest.raises(rt.APIStatusError) as info:
        client.request("GET", "/loop")
    assert info.value.status_code == 302
    assert len(server.requests) == 6  # original + 5 redirects


def test_logs_and_errors_redact_credentials(
    make_client: Any, caplog: Any, rt: Any
) -> None:
    client, _ = make_client(
        reply(500, {"message": "boom"}), query_key="qk-SECRET", max_retries=1
    )
    with (
        caplog.at_level(logging.DEBUG, logger="fakeapi"),
        pytest.raises(rt.APIStatusError) as info,
    ):
        client.things.get_by_query_key(1)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request: GET https://api.fake.test/v1/things/1.json" in logged
    assert "HTTP Response" in logged and "500" in logged
    assert any(
        r.levelno == logging.INFO and "Retrying" in r.getMessage()
        for r in caplog.records
    )
    assert all(r.name == "fakeapi" for r in caplog.records)
    for text in (logged, str(info.value)):
        assert "qk-SECRET" not in text
        assert SESSION_KEY not in text
    assert "api_key=%5BREDACTED%5D" in str(info.value) or "api_key=[REDACTED]" in str(
        info.value
    )


def test_redact_url_userinfo(rt: Any) -> None:
    from fakeapi._runtime._redact import redact_url

    assert redact_url("https://user:pw@h.test/p?token=abc&x=1") == (
        "https://user:[REDACTED]@h.test/p?token=[REDACTED]&x=1"
    )


def test_offset_pagination_over_three_pages(make_client: Any) -> None:
    pages = {
        0: {"items": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}], "count": 5},
        2: {"items": [{"id": 3, "name": "c"}, {"id": 4, "name": "d"}], "count": 5},
        4: {"items": [{"id": 5, "name": "e"}], "count": 5},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[int(request.url.params["offset"])])

    client, server = make_client(handler)
    iterator = client.things.list_all(page_size=2)
    assert server.requests == []  # lazy until iterated
    assert [t.id for t in iterator] == [1, 2, 3, 4, 5]
    assert [r.url.params["offset"] for r in server.requests] == ["0", "2", "4"]
    assert all(r.url.params["limit"] == "2" for r in server.requests)


def test_offset_pagination_stops_at_total(make_client: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        return httpx.Response(
            200,
            json={
                "items": [
                    {"id": offset + 1, "name": "a"},
                    {"id": offset + 2, "name": "b"},
                ],
                "count": 4,
            },
        )

    client, server = make_client(handler)
    assert len(list(client.things.list_all(page_size=2))) == 4
    assert len(server.requests) == 2  # no request for offset 4


def test_cursor_and_page_pagination(make_client: Any) -> None:
    pages = {
        None: {"data": [{"id": 1, "name": "a"}], "nextCursor": "c2"},
        "c2": {"data": [{"id": 2, "name": "b"}], "nextCursor": "c3"},
        "c3": {"data": [{"id": 3, "name": "c"}], "nextCursor": None},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("cursor")])

    client, server = make_client(handler)
    items = list(client.iter_cursor(client.things.cursor, items="data"))
    assert [t.id for t in items] == [1, 2, 3]
    assert len(server.requests) == 3

    numbered = {1: [1, 2], 2: [3], 3: []}
    fetched: list[int] = []

    def fetch(page: int) -> dict[str, Any]:
        fetched.append(page)
        return {"items": numbered[page]}

    assert list(client.iter_page(fetch)) == [1, 2, 3]
    assert fetched == [1, 2, 3]


def test_connection_retry_logged_as_warning(make_client: Any, caplog: Any) -> None:
    client, _ = make_client(httpx.ConnectError("refused"), reply(200, THING))
    with caplog.at_level(logging.INFO, logger="fakeapi"):
        client.things.get(1)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "ConnectError" in warnings[0].getMessage()
