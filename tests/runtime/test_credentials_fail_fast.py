"""Fail fast, name the fix (issue 15 point 3): a client that could make no
call for lack of credentials is refused at construction; where some calls
need none, a call that needs them is refused before anything is sent; both
name the arguments and environment variables to set.  ``with_options``
takes the constructor's credential keywords."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from helpers import generate_package, import_package

ONFACT_ENV = (
    "ONFACT_API_KEY",
    "ONFACT_COMPANY_UUID",
    "ONFACT_ACCESS_TOKEN",
    "ONFACT_CLIENT_ID",
    "ONFACT_CLIENT_SECRET",
    "ONFACT_USERNAME",
    "ONFACT_PASSWORD",
)


class Recorder:
    """A transport that answers ``{}`` and records what was sent."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self), **kwargs)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (*ONFACT_ENV, "GUARDED_TOKEN", "GUARDED_API_KEY", "OPTIONAL_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    yield


# -- onFact: one call (logging in) needs no credentials -----------------------------


def test_onfact_call_without_credentials_fails_before_sending(
    onfact: Any, no_env: None
) -> None:
    sent = Recorder()
    client = onfact.OnFact(http_client=sent.client())  # logging in needs nothing
    with pytest.raises(onfact.ConfigurationError) as info:
        client.invoices.list()
    assert sent.requests == []
    text = str(info.value)
    assert text.startswith("GET /invoices.json needs credentials")
    assert "nothing was sent" in text
    for name in ("api_key=", "company_uuid=", "access_token=", "username="):
        assert name in text
    assert "ONFACT_API_KEY and ONFACT_COMPANY_UUID" in text
    assert isinstance(info.value, ValueError)
    # the one call that needs no credentials goes out
    client.oauth2.token({"username": "u@example.com", "password": "pw"})
    assert [r.url.path for r in sent.requests] == ["/v1/oauth2/token.json"]
    assert "X-SESSION-KEY" not in sent.requests[0].headers


def test_onfact_partial_credentials_name_what_is_set(onfact: Any, no_env: None) -> None:
    sent = Recorder()
    client = onfact.OnFact(api_key="secret-key", http_client=sent.client())
    with pytest.raises(onfact.ConfigurationError) as info:
        client.contacts.get(1)
    assert "Set already: api_key." in str(info.value)
    assert "secret-key" not in str(info.value)
    assert sent.requests == []


def test_onfact_with_options_takes_credential_keywords(
    onfact: Any, no_env: None
) -> None:
    sent = Recorder()
    client = onfact.OnFact(http_client=sent.client())
    ready = client.with_options(api_key="k", company_uuid="c", max_retries=0)
    ready.contacts.list()
    assert sent.requests[-1].headers["X-SESSION-KEY"] == "k"
    assert sent.requests[-1].headers["X-COMPANY-UUID"] == "c"
    other = ready.with_options(company_uuid="c2")  # merges by name
    other.contacts.list()
    assert sent.requests[-1].headers["X-SESSION-KEY"] == "k"
    assert sent.requests[-1].headers["X-COMPANY-UUID"] == "c2"
    ready.with_options(credentials={"company_uuid": "c3"}).contacts.list()
    assert sent.requests[-1].headers["X-COMPANY-UUID"] == "c3"
    with pytest.raises(TypeError, match="api_ky"):
        client.with_options(api_ky="k")
    with pytest.raises(onfact.ConfigurationError):
        client.with_options(api_key="line\n")  # checked like the constructor's


def test_onfact_credentials_sent_another_way_count(onfact: Any, no_env: None) -> None:
    sent = Recorder()
    client = onfact.OnFact(
        http_client=sent.client(),
        default_headers={"x-session-key": "k", "X-Company-UUID": "c"},
    )
    client.contacts.list()
    request_options = {"extra_headers": {"X-SESSION-KEY": "k2", "X-COMPANY-UUID": "c"}}
    onfact.OnFact(http_client=sent.client()).contacts.list(
        request_options=request_options
    )
    assert [r.headers["x-session-key"] for r in sent.requests] == ["k", "k2"]


def test_onfact_async_call_without_credentials(onfact: Any, no_env: None) -> None:
    sent = Recorder()

    async def main() -> None:
        transport = httpx.MockTransport(sent)
        async with onfact.AsyncOnFact(
            http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            with pytest.raises(onfact.ConfigurationError, match="company_uuid="):
                await client.invoices.list()
            await client.with_options(api_key="k", company_uuid="c").invoices.list()

    asyncio.run(main())
    assert len(sent.requests) == 1
    assert sent.requests[0].headers["X-COMPANY-UUID"] == "c"


# -- a description where every call needs credentials --------------------------------


@pytest.fixture
def gen_as(tmp_path: Any) -> Any:
    """``gen_as(spec, package)`` → the generated package, imported."""

    def make(spec: dict[str, Any], package: str) -> Any:
        (tmp_path / package).mkdir()
        folder, name = generate_package(spec, tmp_path / package, package=package)
        return import_package(folder, name)

    return make


def _spec(security: list[Any], **extra_ops: Any) -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Guarded", "version": "1"},
        "servers": [{"url": "https://guarded.example/v1"}],
        "security": security,
        "components": {
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "bearer": {"type": "http", "scheme": "bearer"},
            }
        },
        "paths": {
            "/things": {"get": {"operationId": "things.list", "responses": ok}},
            **{
                f"/{name}": {
                    "get": {"operationId": f"{name}.list", **op, "responses": ok}
                }
                for name, op in extra_ops.items()
            },
        },
    }


def test_client_that_can_call_nothing_is_refused_at_construction(
    gen_as: Any, no_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = gen_as(_spec([{"key": []}, {"bearer": []}]), "guarded")
    client_module = importlib.import_module("guarded._client")
    assert client_module.API.logins == (("api_key",), ("bearer_token",))
    with pytest.raises(pkg.ConfigurationError) as info:
        pkg.Guarded()
    text = str(info.value)
    assert text.startswith("Every call of the Guarded client needs credentials")
    assert "api_key= (or set the environment variable GUARDED_API_KEY)" in text
    assert "bearer_token= (or set the environment variable GUARDED_BEARER_TOKEN)" in (
        text
    )
    with pytest.raises(pkg.ConfigurationError):
        pkg.AsyncGuarded()
    sent = Recorder()
    client = pkg.Guarded(bearer_token="t", http_client=sent.client())
    client.things.list()
    assert sent.requests[0].headers["Authorization"] == "Bearer t"
    with pytest.raises(pkg.ConfigurationError, match="api_key="):
        client.with_options(bearer_token=None)  # a copy that could call nothing
    monkeypatch.setenv("GUARDED_API_KEY", "from-env")
    pkg.Guarded(http_client=sent.client()).things.list()
    assert sent.requests[-1].headers["X-Key"] == "from-env"
    # credentials the caller sends their own way
    monkeypatch.delenv("GUARDED_API_KEY")
    pkg.Guarded(http_client=sent.client(auth=("u", "p"))).things.list()
    pkg.Guarded(http_client=sent.client(), default_headers={"x-key": "k"})
    pkg.Guarded(http_client=sent.client(), default_headers={"Authorization": "X"})


def test_optional_security_checks_each_call(gen_as: Any, no_env: None) -> None:
    spec = _spec(
        [{"key": []}],
        public={"security": []},
        maybe={"security": [{}, {"key": []}]},
    )
    pkg = gen_as(spec, "optional")
    assert importlib.import_module("optional._client").API.logins == ()
    sent = Recorder()
    client = pkg.Optional(http_client=sent.client())  # some calls need nothing
    client.public.list()
    client.maybe.list()
    assert len(sent.requests) == 2
    with pytest.raises(pkg.ConfigurationError) as info:
        client.things.list()
    assert str(info.value).startswith("GET /things needs credentials")
    assert "api_key= (or set the environment variable OPTIONAL_API_KEY)" in str(
        info.value
    )
    assert len(sent.requests) == 2
    client.with_options(api_key="k").things.list()
    assert sent.requests[-1].headers["X-Key"] == "k"


def test_generator_and_runtime_expand_requirements_alike(
    gen_as: Any, no_env: None
) -> None:
    security = [{"key": [], "bearer": []}, {"bearer": []}, {"key": []}]
    gen_as(_spec(security), "alike")
    client_module = importlib.import_module("alike._client")
    auth = importlib.import_module("alike._runtime._auth")
    spec = client_module._spec()
    assert client_module.API.logins == auth.credential_sets(
        spec.security, spec.security_schemes
    )
    assert client_module.API.logins == (
        ("api_key", "bearer_token"),
        ("bearer_token",),
        ("api_key",),
    )
