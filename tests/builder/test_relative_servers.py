"""A relative server URL (issue 16): the client asks for ``base_url`` when it
is constructed, never fails at its first request, and its README says so."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import generate_package, import_package
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}


def _spec(url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Records", "version": "1"},
        "servers": [{"url": url}],
        "paths": {"/records": {"get": {"responses": OK}}},
    }


@pytest.fixture(scope="module")
def relative(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    folder, package = generate_package(
        _spec("/api/v1"), tmp_path_factory.mktemp("relative")
    )
    return import_package(folder, package), folder


def test_construction_asks_for_base_url(relative: tuple[Any, Path]) -> None:
    pkg, _ = relative
    client_class = getattr(pkg, pkg.__name__.capitalize())
    with pytest.raises(pkg.ConfigurationError) as caught:
        client_class()
    assert "base_url" in str(caught.value) and "/api/v1" in str(caught.value)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={})

    client = client_class(
        base_url="https://records.example/api/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    client.records.list()
    assert seen == ["https://records.example/api/v1/records"]


def test_the_readme_says_to_pass_base_url(relative: tuple[Any, Path]) -> None:
    _, folder = relative
    readme = (folder / "README.md").read_text("utf-8")
    assert "relative" in readme and "base_url=" in readme


@settings(max_examples=50)
@given(
    st.one_of(
        st.from_regex(r"/([a-z0-9._-]{1,8}/?){0,3}", fullmatch=True),
        st.from_regex(r"[a-z0-9._-]{1,8}(/[a-z0-9._-]{1,8}){0,2}", fullmatch=True),
    )
)
def test_every_relative_server_url_asks_for_base_url(
    relative: tuple[Any, Path], url: str
) -> None:
    pkg, _ = relative
    front = importlib.import_module(pkg.__name__ + "._front")
    assert ir.ServerDef("s", url, None).relative
    with pytest.raises(pkg.ConfigurationError, match="pass base_url="):
        front._absolute_server(url, "server 'default'")


@settings(max_examples=20)
@given(st.from_regex(r"https?://[a-z]{1,8}\.example(/[a-z]{1,5}){0,2}", fullmatch=True))
def test_absolute_server_urls_need_nothing(
    relative: tuple[Any, Path], url: str
) -> None:
    pkg, _ = relative
    front = importlib.import_module(pkg.__name__ + "._front")
    assert not ir.ServerDef("s", url, None).relative
    assert front._absolute_server(url, "server 'default'") is None
