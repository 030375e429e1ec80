"""Prefect 3.9's server (FastAPI, OpenAPI 3.1 at ``/api/openapi.json``): a
client generated from what the running server publishes, driven through
``flow_prefect``."""

from __future__ import annotations

import asyncio
import base64
import importlib
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from conftest import (
    Generated,
    fetch_description,
    free_port,
    generate_client,
    installed_modules,
    mypy_strict,
    record_facts,
    running,
    server_venv,
)

AUTH = "admin:e2e-password-not-a-secret"


def flow_headers(auth_string: str) -> dict[str, str]:
    token = base64.b64encode(auth_string.encode()).decode()
    return {"Authorization": f"Basic {token}"}


@dataclass(frozen=True)
class Setup:
    generated: Generated
    flow: ModuleType
    work: Path
    api: str
    venv: Path


@pytest.fixture(scope="module")
def prefect(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    venv = server_venv("prefect")
    work = tmp_path_factory.mktemp("prefect")
    port = free_port()
    command = [
        venv / "bin" / "prefect",
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    # Prefect's settings: its database and profiles in the test's folder,
    # no UI, no telemetry, basic auth on the API.
    env = {
        "PREFECT_HOME": str(work / "home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_API_AUTH_STRING": AUTH,
    }
    api = f"http://127.0.0.1:{port}/api"
    with running(
        "prefect", command, url=api, ready_path="/health", workdir=work, env=env
    ):
        spec = fetch_description(
            api + "/openapi.json",
            work / "prefect-api.json",
            headers=flow_headers(AUTH),
        )
        generated = generate_client(
            spec, work / "prefect-api-client", "prefect_api_client"
        )
        flow = importlib.import_module("flow_prefect")
        record_facts("test_prefect", "prefect", generated)
        yield Setup(generated, flow, work, api, venv)


def test_description_is_openapi_3_1(prefect: Setup) -> None:
    document = prefect.generated.document
    assert document["openapi"].startswith("3.1.")
    assert document["servers"] == [{"url": "/api"}]


def test_workflow_type_checks(prefect: Setup) -> None:
    mypy_strict(Path(prefect.flow.__file__), prefect.generated, prefect.work / "mypy")


def test_create_get_update_delete_then_404(prefect: Setup) -> None:
    client = prefect.flow.client(prefect.api, AUTH)
    gone = prefect.flow.flow_lifecycle(client, "e2e-lifecycle")
    prefect.flow.missing_flow(client, gone)


def test_list_every_page_by_hand(prefect: Setup) -> None:
    client = prefect.flow.client(prefect.api, AUTH)
    names = prefect.flow.make_flows(client, "listed", 7)
    assert prefect.flow.filter_by_offset(client, "listed", 3) == sorted(names)
    pages = prefect.flow.paginate(client, "listed", 3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [name for page in pages for name in page] == sorted(names)


def test_validation_error_is_422(prefect: Setup) -> None:
    prefect.flow.invalid_name(prefect.flow.client(prefect.api, AUTH))


def test_validation_error_names_the_field(prefect: Setup) -> None:
    error = prefect.flow.invalid_name(prefect.flow.client(prefect.api, AUTH))
    assert [e.field for e in error.field_errors] == ["name"], error.field_errors
    assert "should match pattern" in str(error)


def test_auth_failure_and_success(prefect: Setup) -> None:
    prefect.flow.refused(prefect.api, {})
    prefect.flow.refused(prefect.api, flow_headers("admin:wrong"))
    client = prefect.flow.client(prefect.api, AUTH)
    assert isinstance(client.flows.filter({}), list)


def test_async_workflow(prefect: Setup) -> None:
    seen = asyncio.run(prefect.flow.async_lifecycle(prefect.api, AUTH, "e2e-async"))
    assert seen == ["e2e-async"]


def test_iterate_every_page(prefect: Setup) -> None:
    client = prefect.flow.client(prefect.api, AUTH)
    names = prefect.flow.make_flows(client, "iterated", 7)
    query = {"flows": {"name": {"like_": "iterated-"}}, "limit": 3}
    assert {flow.name for flow in client.flows.iter_paginate(query)} == names
    # list()'s counterpart: one page, then the pages after it
    page = client.flows.paginate(query)
    sizes = [len(page.results)]
    while page.has_next_page():
        page = page.next_page()
        sizes.append(len(page.results))
    assert sizes == [3, 3, 1]


def test_relative_server_asks_for_base_url(prefect: Setup) -> None:
    package = prefect.generated.package
    with pytest.raises(package.ConfigurationError, match="base_url"):
        package.PrefectApiClient()


def test_names_people_would_write(prefect: Setup) -> None:
    client = prefect.flow.client(prefect.api, AUTH)
    flows = client.flows
    for name in ("create", "get", "update", "delete", "paginate", "count"):
        assert callable(getattr(flows, name, None)), name
    models = importlib.import_module("prefect_api_client.models")
    assert not [name for name in dir(models) if name.startswith("Body_")]
    for resource in ("flows", "flow_runs", "deployments", "work_pools"):
        # FastAPI's suffix: the path's words, then the HTTP method
        suffix = re.compile(rf"_{resource}(_\w+)?_(get|post|put|patch|delete)$")
        methods = inspect.getmembers(getattr(client, resource), inspect.ismethod)
        assert not [n for n, _ in methods if suffix.search(n)], resource


def test_filtered_listing_is_named_list(prefect: Setup) -> None:
    flows = prefect.flow.client(prefect.api, AUTH).flows
    assert callable(getattr(flows, "list", None)) or callable(
        getattr(flows, "filter", None)
    )


def test_default_name_is_not_the_servers(prefect: Setup) -> None:
    name = prefect.generated.package.__name__
    assert name == "prefect_api_client"
    assert name not in installed_modules(prefect.venv)
