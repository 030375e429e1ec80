"""The generated client as a light front: what construction loads and does.

Constructing ``onfact.OnFact()`` must load only the package, its ``_client``
and the base classes in ``_front``; the runtime loads on the first request,
a resource group on first access, the asynchronous client when it is first
named. The resource groups are plain attributes to type checkers and looked
up in a table at run time; these tests pin that behaviour down on the
committed package.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest
from helpers import REPO

GENERATED = REPO / "generated" / "onfact"

_SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import httpx

def loaded():
    return sorted(m for m in sys.modules if m == "onfact" or m.startswith("onfact."))

import onfact
client = onfact.OnFact(api_key="k", company_uuid="c")
constructed = loaded()
client.invoices
resource = loaded()
transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"id": 1}))
client = onfact.OnFact(api_key="k", company_uuid="c",
                       http_client=httpx.Client(transport=transport))
client.invoices.get(1)
requested = loaded()
onfact.AsyncOnFact
print(json.dumps([constructed, resource, requested, loaded()]))
"""


def test_construction_loads_only_the_front() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(GENERATED)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    constructed, resource, requested, last = json.loads(out)
    assert constructed == ["onfact", "onfact._client", "onfact._front"]
    assert "onfact.resources.invoices" in resource
    assert "onfact.resources.contacts" not in resource
    assert "onfact._runtime._sync_client" in requested
    assert "onfact._runtime._async_client" not in requested
    assert "onfact._async_client" not in requested
    assert "onfact._async_client" in last


def test_resources_are_cached_listed_and_unknown_names_fail(onfact: Any) -> None:
    client = onfact.OnFact(api_key="k", company_uuid="c")
    assert client.invoices is client.invoices
    assert type(client.invoices).__name__ == "Invoices"
    assert {"invoices", "contacts", "with_options"} <= set(dir(client))
    with pytest.raises(AttributeError, match="invoicez"):
        client.invoicez  # noqa: B018
    aclient = onfact.AsyncOnFact(api_key="k", company_uuid="c")
    assert type(aclient.invoices).__name__ == "AsyncInvoices"


def test_settings_are_checked_at_construction(
    onfact: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match="Unknown server 'nope'"):
        onfact.OnFact(server="nope")
    with pytest.raises(ValueError, match="max_retries"):
        onfact.OnFact(max_retries=-1)
    monkeypatch.setenv("ONFACT_API_KEY", "from-env")
    client = onfact.OnFact()
    monkeypatch.setenv("ONFACT_API_KEY", "changed")
    # the environment is read when the client is made, not at the first call
    assert client._credentials["api_key"] == "from-env"
    assert client._engine_ is None  # nothing built yet
    assert "api_key=set" in repr(client) and "from-env" not in repr(client)


def test_with_options_shares_the_engine_state_not_the_settings(onfact: Any) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": 1})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = onfact.OnFact(api_key="k", company_uuid="c", http_client=http)
    invoices = client.invoices
    copy = client.with_options(
        server="uat", credentials={"api_key": "k2"}, default_headers={"X-A": "1"}
    )
    assert copy.invoices is not invoices and client.invoices is invoices
    assert copy._engine._http is client._engine._http
    copy.invoices.get(1)
    client.invoices.get(1)
    assert sent[0].url.host == "uat-api5.onfact.be"
    assert sent[0].headers["X-SESSION-KEY"] == "k2" and sent[0].headers["X-A"] == "1"
    assert sent[1].url.host == "api5.onfact.be"
    assert sent[1].headers["X-SESSION-KEY"] == "k" and "X-A" not in sent[1].headers
    assert copy.base_url == "https://uat-api5.onfact.be/v1"
    with pytest.raises(TypeError, match="Unknown option"):
        client.with_options(bogus=1)
    with pytest.raises(TypeError, match="Unknown credential"):
        client.with_options(credentials={"bogus": "x"})


def test_resource_classes_are_importable_from_the_resources_package(
    onfact: Any,
) -> None:
    from onfact.resources import AsyncInvoices, Invoices  # loads on first use

    client = onfact.OnFact(api_key="k", company_uuid="c")
    assert type(client.invoices) is Invoices
    assert AsyncInvoices.__name__ == "AsyncInvoices"
    resources = onfact.resources
    assert len(resources.__all__) == 2 * len(type(client)._resources)
    assert {"Invoices", "AsyncInvoices", "Contacts"} <= set(resources.__all__)
    assert all(getattr(resources, name).__name__ == name for name in resources.__all__)
    with pytest.raises(AttributeError, match="Nope"):
        resources.Nope  # noqa: B018
