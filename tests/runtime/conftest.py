"""Fixtures: a fake "generated" package built around templates/runtime.

The runtime is copied into ``<tmp>/fakeapi/_runtime`` and the client base
classes into ``<tmp>/fakeapi`` exactly as the generator does it, next to
hand-written client and model modules from
``fake_package/``.  HTTP traffic goes to ``httpx.MockTransport`` handlers.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from runtime_helpers import ACCOUNT_ID, SESSION_KEY, MockServer

HERE = Path(__file__).parent
RUNTIME = HERE.parents[1] / "templates" / "runtime"
FRONT = HERE.parents[1] / "templates" / "front"


@pytest.fixture(scope="session")
def fakeapi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("pkgs")
    package = root / "fakeapi"
    shutil.copytree(
        HERE / "fake_package", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    (package / "_runtime").mkdir()
    for source in RUNTIME.glob("*.py"):
        shutil.copy(source, package / "_runtime" / source.name)
    for source in FRONT.glob("*.py"):
        shutil.copy(source, package / source.name)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("fakeapi")
    finally:
        sys.path.remove(str(root))
        for name in [
            n for n in sys.modules if n == "fakeapi" or n.startswith("fakeapi.")
        ]:
            del sys.modules[name]


@pytest.fixture
def rt(fakeapi: ModuleType) -> ModuleType:
    """The copied runtime package (``fakeapi._runtime``)."""
    return importlib.import_module("fakeapi._runtime")


@pytest.fixture
def models(fakeapi: ModuleType) -> ModuleType:
    return importlib.import_module("fakeapi.models")


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch, rt: ModuleType) -> list[float]:
    """Record retry sleeps instead of sleeping; jitter pinned to 1.0."""
    recorded: list[float] = []

    def fake_sleep(self: Any, seconds: float) -> None:
        recorded.append(seconds)

    async def fake_async_sleep(self: Any, seconds: float) -> None:
        recorded.append(seconds)

    engines = "fakeapi._runtime._{}_client"
    sync = importlib.import_module(engines.format("sync")).SyncEngine
    monkeypatch.setattr(sync, "_sleep", fake_sleep)
    asyn = importlib.import_module(engines.format("async")).AsyncEngine
    monkeypatch.setattr(asyn, "_sleep", fake_async_sleep)
    monkeypatch.setattr(
        importlib.import_module("fakeapi._runtime._retry"), "_jitter", lambda: 1.0
    )
    return recorded


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "FAKEAPI_SESSION_KEY",
        "FAKEAPI_ACCOUNT_ID",
        "FAKEAPI_CLIENT_ID",
        "FAKEAPI_CLIENT_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_client(
    fakeapi: ModuleType, sleeps: list[float], clean_env: None
) -> Callable[..., tuple[Any, MockServer]]:
    """Build ``Fake`` wired to a MockServer: ``client, server = make_client(...)``."""

    def build(*steps: Any, **kwargs: Any) -> tuple[Any, MockServer]:
        server = MockServer(*steps)
        kwargs.setdefault("session_key", SESSION_KEY)
        kwargs.setdefault("account_id", ACCOUNT_ID)
        client = fakeapi.Fake(
            http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
            **kwargs,
        )
        return client, server

    return build


@pytest.fixture
def make_async_client(
    fakeapi: ModuleType, sleeps: list[float], clean_env: None
) -> Callable[..., tuple[Any, MockServer]]:
    """Async twin of ``make_client`` (use inside ``asyncio.run``)."""

    def build(*steps: Any, **kwargs: Any) -> tuple[Any, MockServer]:
        server = MockServer(*steps)
        kwargs.setdefault("session_key", SESSION_KEY)
        kwargs.setdefault("account_id", ACCOUNT_ID)
        client = fakeapi.AsyncFake(
            http_client=httpx.AsyncClient(
                transport=httpx.MockTransport(server.async_handler)
            ),
            **kwargs,
        )
        return client, server

    return build
