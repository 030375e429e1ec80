"""Secrets never in output (issue 14): not in ``repr``, not in log lines,
not in error messages; settings that cannot work fail at construction with
a typed error that does not print the value."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_helpers import SESSION_KEY, LocalServer, MockServer, reply

CONTROL = st.sampled_from([chr(c) for c in [*range(32), 127]])


@settings(max_examples=150, deadline=None)
@given(
    secret=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126)).map(
        lambda tail: "Zq9-" + tail
    ),
    bad=CONTROL,
    where=st.integers(min_value=0),
)
def test_a_credential_with_a_control_character_is_refused_unshown(
    fakeapi: Any, secret: str, bad: str, where: int
) -> None:
    at = where % (len(secret) + 1)
    value = secret[:at] + bad + secret[at:]
    error = fakeapi._runtime.ConfigurationError
    with pytest.raises(error, match="'session_key'.*control character") as caught:
        fakeapi.Fake(session_key=value)
    assert secret not in str(caught.value) and value not in repr(caught.value)
    with pytest.raises(error):
        fakeapi.Fake(session_key="ok").with_options(credentials={"session_key": value})
    with pytest.raises(error, match="'X-Token'"):
        fakeapi.Fake(session_key="ok", default_headers={"X-Token": value})


def test_a_credential_from_the_environment_names_the_variable(
    fakeapi: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKEAPI_SESSION_KEY", "sk-from-a-file\n")
    with pytest.raises(ValueError, match="FAKEAPI_SESSION_KEY") as caught:
        fakeapi.Fake()
    assert "sk-from-a-file" not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "api.example.com/v1",
        "ftp://api.example.com",
        "https://",
        "https:///v1",
        "http://[::1",
        "https://exa mple.com",
        "https://api.example.com:99999",
        "https://api.example.com/v1?token=s3cret",
        "https://api.example.com/v1#frag",
        "https://api.example.com/v1\n",
        "https://user:s3cret@",
        "https://xn--bcher-kva80/v1",  # an invalid IDNA A-label
    ],
)
def test_a_malformed_base_url_is_a_typed_error_at_construction(
    fakeapi: Any, url: str
) -> None:
    error = fakeapi._runtime.ConfigurationError
    with pytest.raises(error, match="Invalid base_url") as caught:
        fakeapi.Fake(session_key="k", base_url=url)
    assert isinstance(caught.value, ValueError)
    assert "s3cret" not in str(caught.value)
    with pytest.raises(error):
        fakeapi.Fake(session_key="k").with_options(base_url=url)


_URL_PIECES = st.sampled_from(
    ["http", "https", "HTTPS", "ftp", "://", ":/", "/", ".", "..", "-", ":",
     "80", "0", "65535", "65536", "099999", "api", "Ex-1", "1", "1a2b3c4",
     "127", "xn--bcher-kva", "@", "?", "#", "%", "%2F", "[::1]", " ", "\n",
     "\u00e9", "\u00b2", "_", "~", "v1", "a(b)*c;d=e", "'"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(pieces=st.lists(_URL_PIECES, max_size=12))
def test_a_url_let_through_unparsed_is_one_httpx_accepts(
    fakeapi: Any, pieces: list[str]
) -> None:
    """Constructing a client checks its URL without httpx when the URL is
    plainly fine (parsing is most of a construction's cost): every URL let
    through that way is one the full check, by httpx, accepts too."""
    front = fakeapi._front
    for url in ("".join(pieces), "https://" + "".join(pieces)):
        if front._plainly_valid(url):
            assert front._url_problem(url) is None, url


def test_the_usual_server_urls_are_let_through_unparsed(fakeapi: Any) -> None:
    for url in (
        "https://api5.onfact.be/v1",
        "https://api.github.com",
        "http://localhost:8080/api/v2",
        "https://my-host.example.com/a/b_c/~d",
    ):
        assert fakeapi._front._plainly_valid(url), url
    for url in (
        "https://127.0.0.1/v1",
        "https://1a2b3c4",
        "https://h/%2F",
        "http://xn--a",
    ):
        assert not fakeapi._front._plainly_valid(url), url


def test_userinfo_and_query_keys_never_reach_repr_or_logs(
    fakeapi: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server = MockServer(reply(200, {}))
    client = fakeapi.Fake(
        session_key=SESSION_KEY,
        query_key="qk-SECRET-9",
        base_url="https://bob:pa55-SECRET@api.fake.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
    )
    assert "pa55-SECRET" not in repr(client)
    assert "bob" in repr(client)
    with caplog.at_level(logging.DEBUG):
        client.request("GET", "/things", security=(("querykey",),))
    # the key was sent, and httpx logged the request line...
    assert server.last.url.params["api_key"] == "qk-SECRET-9"
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("HTTP Request: GET https://") for line in lines)
    # ...without the password or the key
    for line in lines:
        assert "pa55-SECRET" not in line and "qk-SECRET-9" not in line, line


def test_a_header_http_cannot_carry_is_not_retried_or_shown(fakeapi: Any) -> None:
    def ok(conn: Any, request: bytes, stop: Any) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")

    with LocalServer(ok) as server:
        client = fakeapi.Fake(session_key="k", base_url=server.url, max_retries=2)
        error = fakeapi._runtime.RequestValidationError
        for bad in ("tok-SECRET\n", "tok-SECRET\r\nX-Injected: 1", "tök-SECRET"):
            with pytest.raises(error, match="cannot be sent") as caught:
                client.request("GET", "/x", options={"extra_headers": {"X-T": bad}})
            assert "SECRET" not in str(caught.value)
            assert caught.value.__cause__ is None
        assert server.connections <= 3  # one per call: nothing was retried
        client.request("GET", "/x")
        client.close()
