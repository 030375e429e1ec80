"""Security schemes, requirement selection and OAuth2 token handling."""

from __future__ import annotations

import base64
import contextlib
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_helpers import SESSION_KEY, THING, MockServer, reply

TOKEN_URL = "https://auth.fake.test/oauth/token"


class OAuthServer(MockServer):
    """API that expects bearer tokens, plus a token endpoint issuing them."""

    def __init__(self, *api_steps: Any, expires_in: int | None = 3600) -> None:
        super().__init__(*api_steps)
        self.issued = 0
        self.expires_in = expires_in
        self.token_requests: list[httpx.Request] = []

    def _respond(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            self.token_requests.append(request)
            self.issued += 1
            body: dict[str, Any] = {
                "access_token": f"tok-{self.issued}",
                "token_type": "bearer",
            }
            if self.expires_in is not None:
                body["expires_in"] = self.expires_in
            return httpx.Response(200, json=body)
        return super()._respond(request)


@pytest.fixture
def oauth_client(fakeapi: Any, sleeps: Any, clean_env: None) -> Any:
    def build(server: OAuthServer, **kwargs: Any) -> Any:
        return fakeapi.Fake(
            client_id="cid",
            client_secret="csecret",
            http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
            **kwargs,
        )

    return build


def test_client_credentials_token_fetched_once_and_cached(oauth_client: Any) -> None:
    server = OAuthServer(reply(200, THING))
    client = oauth_client(server)
    client.things.get(1)
    client.things.get(2)
    assert server.issued == 1
    assert [r.headers["Authorization"] for r in server.requests] == ["Bearer tok-1"] * 2
    token_request = server.token_requests[0]
    form = parse_qs(token_request.content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "scope": ["things:read things:write"],
    }
    expected = "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert token_request.headers["Authorization"] == expected
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_token_refreshed_before_expiry(oauth_client: Any, monkeypatch: Any) -> None:
    import fakeapi._runtime._auth as auth

    now = [1000.0]
    monkeypatch.setattr(auth, "_now", lambda: now[0])
    server = OAuthServer(reply(200, THING), expires_in=300)
    client = oauth_client(server)
    client.things.get(1)
    now[0] += 200  # still valid
    client.things.get(1)
    assert server.issued == 1
    now[0] += 75  # 275 s: inside the 30 s refresh margin
    client.things.get(1)
    assert server.issued == 2
    assert server.last.headers["Authorization"] == "Bearer tok-2"


def test_token_refreshed_once_after_401(oauth_client: Any, rt: Any) -> None:
    server = OAuthServer(reply(401, {"message": "revoked"}), reply(200, THING))
    client = oauth_client(server)
    assert client.things.get(1).id == 7
    assert server.issued == 2
    assert [r.headers["Authorization"] for r in server.requests] == [
        "Bearer tok-1",
        "Bearer tok-2",
    ]
    # A second 401 in a row is an error, not an endless loop.
    server2 = OAuthServer(reply(401, {"message": "revoked"}))
    with pytest.raises(rt.AuthenticationError):
        oauth_client(server2).things.get(1)
    assert server2.issued == 2 and len(server2.requests) == 2


@pytest.mark.parametrize(
    "method", ["POST", "PATCH", "GET", "HEAD", "OPTIONS", "PUT", "DELETE"]
)
def test_only_idempotent_requests_are_resent_after_a_token_refresh(
    oauth_client: Any, fakeapi: Any, rt: Any, method: str
) -> None:
    """A POST answered 401 may have been processed: it is never sent twice."""
    server = OAuthServer(reply(401, {"message": "revoked"}), reply(200, {}))
    client = oauth_client(server)
    idempotent = method not in ("POST", "PATCH")
    if idempotent:
        client.request(method, "/things", response_kind="empty")
    else:
        with pytest.raises(rt.AuthenticationError):
            client.request(method, "/things", body={"a": 1})
    assert [r.method for r in server.requests] == [method] * (2 if idempotent else 1)
    # the rejected token is dropped either way: the next call gets a new one
    client.request("GET", "/things", response_kind="empty")
    assert server.issued == 2

    async def run_async() -> int:
        aserver = OAuthServer(reply(401, {"message": "revoked"}), reply(200, {}))
        aclient = fakeapi.AsyncFake(
            client_id="cid",
            client_secret="csecret",
            http_client=httpx.AsyncClient(
                transport=httpx.MockTransport(aserver.async_handler)
            ),
        )
        with contextlib.suppress(rt.AuthenticationError):
            await aclient.request(method, "/things", body={"a": 1})
        return len(aserver.requests)

    import asyncio

    assert asyncio.run(run_async()) == (2 if idempotent else 1)


def test_static_access_token_is_used_directly(oauth_client: Any) -> None:
    server = OAuthServer(reply(200, THING))
    client = oauth_client(server, access_token="static-token")
    client.things.get(1)
    assert server.issued == 0
    assert server.last.headers["Authorization"] == "Bearer static-token"


def test_token_endpoint_failure_raises(fakeapi: Any, rt: Any, clean_env: None) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    client = fakeapi.Fake(
        client_id="cid",
        client_secret="bad",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with pytest.raises(rt.AuthenticationError, match="invalid_client") as info:
        client.things.get(1)
    assert "OAuth2 token" in str(info.value)
    assert "bad" not in str(info.value).replace("invalid_client", "")


def test_first_satisfiable_alternative_wins(make_client: Any) -> None:
    # Session key configured: the first alternative ("session") applies.
    client, server = make_client(reply(200, THING), client_id="cid", client_secret="s")
    client.things.get(1)
    assert server.last.headers["X-SESSION-KEY"] == SESSION_KEY
    assert "Authorization" not in server.last.headers


def test_operation_security_overrides_and_anonymous(make_client: Any) -> None:
    client, server = make_client(reply(200, []), query_key="qk-SECRET")
    client.things.search_public("x")
    assert "X-SESSION-KEY" not in server.last.headers
    # Hoisted client headers are settings, not security: still sent.
    assert server.last.headers["X-Account-Id"] == "acct-42"
    client.things.get_by_query_key(3)
    assert server.last.url.params["api_key"] == "qk-SECRET"
    assert "X-SESSION-KEY" not in server.last.headers


def test_and_requirements_and_basic_bearer(make_client: Any) -> None:
    client, server = make_client(
        reply(200, {}), username="u", password="p:w", bearer_token="bt"
    )
    client.request("GET", "/x", security=(("basic",),))
    assert (
        server.last.headers["Authorization"]
        == "Basic " + base64.b64encode(b"u:p:w").decode()
    )
    client.request("GET", "/x", security=(("bearer",),))
    assert server.last.headers["Authorization"] == "Bearer bt"
    # AND: both schemes must be satisfiable; querykey lacks a credential,
    # so the second alternative is used.
    client.request(
        "GET", "/x", security=(("session", "querykey"), ("session", "bearer"))
    )
    assert server.last.headers["X-SESSION-KEY"] == SESSION_KEY
    assert server.last.headers["Authorization"] == "Bearer bt"
    assert "api_key" not in server.last.url.params


def test_api_key_in_cookie(fakeapi: Any, rt: Any) -> None:
    from fakeapi._runtime._auth import apply_scheme

    parts = apply_scheme(rt.ApiKeyScheme("k", "sid", "cookie"), {"k": "v"}, None)
    assert parts.cookies == {"sid": "v"} and not parts.headers and not parts.query


def test_token_fetch_is_shared_between_threads(oauth_client: Any) -> None:
    import threading
    import time

    class SlowTokenServer(OAuthServer):
        def _respond(self, request: httpx.Request) -> httpx.Response:
            if str(request.url) == TOKEN_URL:
                time.sleep(0.05)  # widen the race window
            return super()._respond(request)

    server = SlowTokenServer(reply(200, THING))
    client = oauth_client(server)
    threads = [threading.Thread(target=client.things.get, args=(i,)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.issued == 1
    assert len(server.requests) == 5


def test_password_flow_with_body_client_auth_and_relative_url(
    fakeapi: Any, rt: Any, clean_env: None
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.path == "/v1/token":
            return httpx.Response(200, json={"access_token": "pw-token"})
        return httpx.Response(200, json={})

    scheme = rt.OAuth2Scheme(token_url="token", flow="password", client_auth="body")

    names = ("client_id", "client_secret", "username", "password")
    spec = rt.ClientSpec(
        package="pwapi",
        version="0",
        servers={"main": "https://api.pw.test/v1"},
        credentials=tuple(rt.Credential(n) for n in names),
        security_schemes={"oauth": scheme},
        security=(("oauth",),),
    )

    class PasswordClient(rt.SyncAPIClient):
        _api = rt.ApiInfo(
            servers=spec.servers,
            environment=dict.fromkeys(names),
            spec=lambda: spec,
        )

    client = PasswordClient(
        credentials={
            "client_id": "c",
            "client_secret": "s",
            "username": "ann",
            "password": "pw",
        },
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    client.request("GET", "/me")
    token_request, api_request = seen
    assert str(token_request.url) == "https://api.pw.test/v1/token"
    assert parse_qs(token_request.content.decode()) == {
        "grant_type": ["password"],
        "username": ["ann"],
        "password": ["pw"],
        "client_id": ["c"],
        "client_secret": ["s"],
    }
    assert "Authorization" not in token_request.headers
    assert api_request.headers["Authorization"] == "Bearer pw-token"


def _refused(url: str) -> bool:
    """Whether httpx refuses to build a request to ``url``."""
    try:
        httpx.Request("POST", url).url.host  # noqa: B018 - decodes IDNA names
    except (httpx.InvalidURL, UnicodeError):
        return True
    return False


_LABEL = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10
)
_UNUSABLE_TOKEN_URLS = st.one_of(
    st.builds("https://xn--{}.test/oauth/token".format, _LABEL),
    st.builds("https://{}\u00e9.test/t".format, st.sampled_from(["", ".", "a..", "-"])),
    st.sampled_from(
        ["https://[::1/token", "https://xn--bcher-kva80/t", "http://:80/t"]
    ),
).filter(_refused)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(url=_UNUSABLE_TOKEN_URLS, is_async=st.booleans())
def test_a_token_url_no_request_can_go_to_is_a_configuration_error(
    fakeapi: Any, rt: Any, monkeypatch: pytest.MonkeyPatch, url: str, is_async: bool
) -> None:
    """A description's ``tokenUrl`` is input like the rest: one httpx cannot
    parse or send to (a host that is not valid IDNA, a broken IPv6 literal)
    fails the call with the runtime's ``ConfigurationError`` naming it,
    never with httpx's or the codec's own exception, in either flavour."""
    module = fakeapi._client
    spec = module.SPEC
    fields = {name: getattr(spec, name) for name in type(spec).__match_args__}
    oauth = rt.OAuth2Scheme(token_url=url, flow="client_credentials")
    fields["security_schemes"] = {**spec.security_schemes, "oauth": oauth}
    server = OAuthServer(reply(200, THING))
    with monkeypatch.context() as patch:
        patch.setattr(module, "SPEC", type(spec)(**fields))
        patch.setattr(module.API, "_spec", None)
        for name in (
            "FAKEAPI_SESSION_KEY",
            "FAKEAPI_CLIENT_ID",
            "FAKEAPI_CLIENT_SECRET",
        ):
            patch.delenv(name, raising=False)
        kwargs = {"client_id": "cid", "client_secret": "csecret"}
        if is_async:
            import asyncio

            async def call() -> None:
                transport = httpx.MockTransport(server.handler)
                http = httpx.AsyncClient(transport=transport)
                async with fakeapi.AsyncFake(http_client=http, **kwargs) as client:
                    await client.things.get(1)

            with pytest.raises(rt.ConfigurationError, match="OAuth2 token URL"):
                asyncio.run(call())
        else:
            http = httpx.Client(transport=httpx.MockTransport(server.handler))
            client = fakeapi.Fake(http_client=http, **kwargs)
            with pytest.raises(rt.ConfigurationError, match="OAuth2 token URL"):
                client.things.get(1)
    assert server.requests == []  # nothing reached the API without its token
