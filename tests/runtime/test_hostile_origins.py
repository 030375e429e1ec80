"""No credential reaches another origin (issue 14, issue 15 point 2).

The API's origin (scheme, host, port of the chosen server or ``base_url``)
is the only one trusted with credentials: absolute URLs and redirects to any
other origin carry none, cookies go back only to the origin that set them,
and OAuth2 tokens are fetched from the chosen server.
"""

from __future__ import annotations

import base64
import contextlib
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_helpers import ACCOUNT_ID, SESSION_KEY, MockServer, reply

QUERY_KEY = "qk-SECRET-77"


def _haystack(request: httpx.Request) -> str:
    """Everything a request discloses, Basic credentials decoded."""
    parts = [str(request.url), request.content.decode("latin-1")]
    for name, value in request.headers.multi_items():
        parts.append(f"{name}: {value}")
        if value.startswith("Basic "):
            parts.append(base64.b64decode(value[6:]).decode("latin-1"))
    return "\n".join(parts)


@pytest.mark.parametrize(
    "url",
    [
        "https://other.test/x",
        "https://api.fake.test:8443/v1/x",
        "http://api.fake.test/v1/x",
    ],
)
def test_an_absolute_url_to_another_origin_gets_no_credentials(
    make_client: Any, url: str
) -> None:
    client, server = make_client(
        reply(200, {}),
        query_key=QUERY_KEY,
        default_headers={"X-Api-Token": "user-SECRET"},
        default_query={"api_key": QUERY_KEY},
    )
    for security in (None, (("querykey",),)):
        client.request("GET", url, security=security, cookies={"pref": "dark"})
        seen = _haystack(server.last)
        for secret in (SESSION_KEY, ACCOUNT_ID, QUERY_KEY, "user-SECRET", "pref"):
            assert secret not in seen, (secret, seen)
    # the same origin, spelled absolutely, is the API: credentials go
    client.request("GET", "https://api.fake.test/v1/things")
    assert server.last.headers["X-SESSION-KEY"] == SESSION_KEY


def test_user_auth_headers_do_not_follow_a_cross_origin_redirect(
    make_client: Any,
) -> None:
    moved = reply(302, headers={"Location": "https://cdn.other.test/blob"})
    client, server = make_client(
        moved,
        reply(200, {}),
        default_headers={"X-Api-Token": "d-SECRET", "Cookie": "c=d-SECRET"},
    )
    client.request(
        "GET",
        "/things/1",
        headers={"X-Auth-Token": "p-SECRET", "X-Request-Id": "r-1"},
        options={
            "extra_headers": {"X-Anything": "e-SECRET", "Proxy-Authorization": "x"}
        },
    )
    first, second = server.requests
    assert first.headers["X-Api-Token"] == "d-SECRET"
    assert first.headers["X-Auth-Token"] == "p-SECRET"
    assert second.url.host == "cdn.other.test"
    assert "SECRET" not in _haystack(second)
    assert "proxy-authorization" not in second.headers
    assert second.headers["X-Request-Id"] == "r-1"  # a plain header parameter


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    label=st.text(
        alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12
    ),
    how=st.sampled_from(["redirect", "absolute", "token"]),
)
def test_a_host_that_does_not_decode_is_just_another_origin(
    make_client: Any, fakeapi: Any, label: str, how: str
) -> None:
    """``xn--`` names that are not valid IDNA (``xn--bcher-kva80``) come from
    servers (a ``Location``, a next-page link) and descriptions (a token
    URL): comparing origins never decodes them, so such a host is simply
    another origin, given no credential; where httpx cannot send to it, the
    call fails with the runtime's own error, never a bare ``UnicodeError``."""
    url = f"https://xn--{label}.test/x"
    if how == "token":
        servers = ("https://api.fake.test/v1",)
        resolve = fakeapi._runtime._auth.token_endpoint
        try:
            httpx.URL(url).host  # noqa: B018 - decodes it, as sending would
        except UnicodeError:  # no request can go there: the description's fault
            with pytest.raises(fakeapi._runtime.ConfigurationError, match="token"):
                resolve(url, servers[0], servers)
        else:  # a valid name of another host: another service's, used as is
            assert resolve(url, servers[0], servers) == url
        return
    first = reply(302, headers={"Location": url}) if how == "redirect" else None
    client, server = make_client(
        *([first] if first else []), reply(200, {}), query_key=QUERY_KEY
    )
    with contextlib.suppress(fakeapi._runtime.RequestValidationError):
        client.request("GET", "/things/1" if first else url)  # httpx may refuse
    for request in server.requests:
        if request.url.raw_host != b"api.fake.test":
            assert SESSION_KEY not in _haystack(request)
            assert QUERY_KEY not in _haystack(request)


def test_cookies_go_back_only_to_the_origin_that_set_them(fakeapi: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/login":
            return httpx.Response(
                200, json={}, headers={"Set-Cookie": "sid=s-SECRET; Path=/"}
            )
        return httpx.Response(200, json={})

    server = MockServer(handler)
    for http_client in (None, httpx.Client()):
        transport = httpx.MockTransport(server.handler)
        client = fakeapi.Fake(
            session_key=SESSION_KEY,
            base_url="https://api.fake.test/v1",
            http_client=(
                httpx.Client(transport=transport, cookies=None)
                if http_client is None
                else httpx.Client(transport=transport)
            ),
        )
        client.request("GET", "/login")
        client.request("GET", "/things")
        assert server.last.headers.get("Cookie") == "sid=s-SECRET"
        for other in (
            "https://api.fake.test:8443/v1/things",
            "http://api.fake.test/v1/things",
            "https://sub.api.fake.test/v1/things",
        ):
            client.request("GET", other)
            assert "s-SECRET" not in _haystack(server.last), other


# -- OAuth2 and every kind of credential, for every server -------------------------

SECRETS = {
    "api_key": "AK-SECRET-1",
    "company_uuid": "CU-SECRET-2",
    "client_id": "CI-SECRET-3",
    "client_secret": "CS-SECRET-4",
    "username": "UN-SECRET-5",
    "password": "PW-SECRET-6",
}
ELSEWHERE = "https://elsewhere.test/landing"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port or {"http": 80, "https": 443}[url.scheme])


class Recorder:
    """Answers like the API (and its token endpoint) and records everything."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.issued = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if request.url.path.endswith("/oauth2/token.json"):
            self.issued += 1
            token = f"TOK-SECRET-{self.issued}"
            return httpx.Response(200, json={"access_token": token, "expires_in": 3600})
        if request.url.path.endswith("/away"):
            return httpx.Response(307, headers={"Location": ELSEWHERE})
        return httpx.Response(200, json={})


def _targets(onfact: Any) -> list[dict[str, str]]:
    servers = [{"server": name} for name in onfact.OnFact._api.servers]
    return [*servers, {"base_url": "http://127.0.0.1:4010/api"}]


@pytest.mark.parametrize("flavour", ["api_key", "password_grant"])
def test_no_credential_reaches_another_origin_for_any_server(
    onfact: Any, monkeypatch: pytest.MonkeyPatch, flavour: str
) -> None:
    for name in onfact.OnFact._api.environment.values():
        if name:
            monkeypatch.delenv(name, raising=False)
    for target in _targets(onfact):
        recorder = Recorder()
        if flavour == "api_key":
            creds = {
                "api_key": SECRETS["api_key"],
                "company_uuid": SECRETS["company_uuid"],
            }
        else:
            creds = {k: v for k, v in SECRETS.items() if k != "api_key"}
        client = onfact.OnFact(
            **creds,
            **target,
            http_client=httpx.Client(transport=httpx.MockTransport(recorder.handler)),
        )
        home = _origin(httpx.URL(client.base_url))
        client.request("GET", "/invoices.json")
        client.request("POST", "/invoices/away", body={"a": 1})
        client.request("GET", ELSEWHERE)
        client.request("GET", "https://api5.onfact.be/v1/invoices.json")
        secrets = [*creds.values(), *(f"TOK-SECRET-{i}" for i in range(1, 5))]
        at_home = [r for r in recorder.requests if _origin(r.url) == home]
        away = [r for r in recorder.requests if _origin(r.url) != home]
        assert len(at_home) >= 2 and len(away) >= 2, target
        for request in away:
            seen = _haystack(request)
            leaked = [s for s in secrets if s in seen]
            assert not leaked, (target, str(request.url), leaked)
        if flavour == "password_grant":
            token_requests = [
                r for r in recorder.requests if r.url.path.endswith("token.json")
            ]
            assert token_requests and all(
                _origin(r.url) == home for r in token_requests
            )
            assert str(token_requests[0].url).startswith(client.base_url + "/")
            assert "PW-SECRET-6" in _haystack(token_requests[0])
            assert at_home[-1].headers["Authorization"].startswith("Bearer TOK-SECRET")


def test_token_url_resolution(fakeapi: Any) -> None:
    auth = __import__("fakeapi._runtime._auth", fromlist=["x"])
    servers = ("https://api.x.test/v1", "https://uat.x.test/v1")
    resolve = auth.token_endpoint
    # pinned to one of the servers: follows the chosen one
    assert resolve(
        "https://api.x.test/v1/oauth/token", "https://uat.x.test/v1", servers
    ) == ("https://uat.x.test/v1/oauth/token")
    assert resolve(
        "https://api.x.test/oauth/token", "http://localhost:9/base", servers
    ) == ("http://localhost:9/oauth/token")
    # relative: against the chosen server
    assert resolve("oauth/token", "https://uat.x.test/v1", servers) == (
        "https://uat.x.test/v1/oauth/token"
    )
    # a host no server has: the description names another service explicitly
    assert resolve(
        "https://login.idp.test/token", "https://uat.x.test/v1", servers
    ) == ("https://login.idp.test/token")
    with pytest.raises(fakeapi._runtime.ConfigurationError, match="plain http"):
        resolve("http://login.idp.test/token", "https://uat.x.test/v1", servers)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    spelling=st.sampled_from(["https://", "HTTPS://", "Https://", "//"]),
    host=st.sampled_from(["api.x.test", "API.X.test", "login.idp.test"]),
    path=st.sampled_from(["/v1/oauth/token", "/oauth/token", "/t"]),
    plain=st.booleans(),
)
def test_a_token_url_resolves_alike_however_its_scheme_is_spelled(
    fakeapi: Any, spelling: str, host: str, path: str, plain: bool
) -> None:
    """``HTTPS://`` and ``//host`` (a network-path reference) are the same
    absolute URLs as ``https://``: moved to the chosen server when on one of
    the description's, and refused over plain http for an https API however
    ``http`` is spelled; a server URL that cannot be parsed (a variable left
    in it) matches nothing rather than breaking every token request."""
    resolve = fakeapi._runtime._auth.token_endpoint
    servers = ("https://api.x.test:{port}/v1", "https://api.x.test/v1")
    base = "https://uat.x.test/v1"
    if plain and spelling != "//" and host == "login.idp.test":
        spelling = spelling.replace("s:", ":").replace("S:", ":")
        with pytest.raises(fakeapi._runtime.ConfigurationError, match="plain http"):
            resolve(spelling + host + path, base, servers)
        return
    canonical = resolve("https://" + host.lower() + path, base, servers)
    assert resolve(spelling + host + path, base, servers).lower() == canonical.lower()
    if host.lower() == "api.x.test":
        assert canonical.startswith("https://uat.x.test/")  # the chosen server
