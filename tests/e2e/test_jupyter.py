"""Jupyter Server 2.21 (Tornado, Swagger 2.0 at ``/api/spec.yaml``) with
token auth: a client generated from what the running server publishes,
driven through ``flow_jupyter``."""

from __future__ import annotations

import asyncio
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

TOKEN = "e2e-token-not-a-secret"


@dataclass(frozen=True)
class Setup:
    generated: Generated
    flow: ModuleType
    work: Path
    url: str
    venv: Path


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    venv = server_venv("jupyter-server")
    work = tmp_path_factory.mktemp("jupyter")
    (work / "root").mkdir()
    port = free_port()
    command = [
        venv / "bin" / "jupyter-server",
        "--no-browser",
        "--allow-root",  # CI runs as root
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={work / 'root'}",
    ]
    # Jupyter's state (cookie secret, runtime files) stays in the test's folder.
    env = {
        f"JUPYTER_{kind}_DIR": str(work / kind.lower())
        for kind in ("CONFIG", "DATA", "RUNTIME")
    }
    url = f"http://127.0.0.1:{port}"
    with running(
        "jupyter-server", command, url=url, ready_path="/api", workdir=work, env=env
    ):
        spec = fetch_description(
            url + "/api/spec.yaml",
            work / "jupyter-api.yaml",
            headers={"Authorization": f"token {TOKEN}"},
        )
        generated = generate_client(
            spec, work / "jupyter-server-client", "jupyter_server_client"
        )
        flow = importlib.import_module("flow_jupyter")
        record_facts("test_jupyter", "jupyter-server", generated)
        yield Setup(generated, flow, work, url, venv)


def test_description_is_swagger_2(jupyter: Setup) -> None:
    document = jupyter.generated.document
    assert document["swagger"] == "2.0"
    assert document["basePath"] == "/"


def test_workflow_type_checks(jupyter: Setup) -> None:
    mypy_strict(Path(jupyter.flow.__file__), jupyter.generated, jupyter.work / "mypy")


def test_create_get_update_delete_then_404(jupyter: Setup) -> None:
    api = jupyter.flow.client(jupyter.url, TOKEN)
    gone = jupyter.flow.file_lifecycle(api, "crud")
    jupyter.flow.missing_file(api, gone)
    assert jupyter.flow.folder_names(api, "crud") == []


def test_list_a_folder(jupyter: Setup) -> None:
    api = jupyter.flow.client(jupyter.url, TOKEN)
    api.contents.update("listed", {"type": "directory"})
    names = [f"file-{number}.txt" for number in range(4)]
    for name in names:
        jupyter.flow.write(api, f"listed/{name}", name)
    assert jupyter.flow.folder_names(api, "listed") == names
    assert jupyter.flow.status(api) == (0, 0)


def test_bad_request_is_decoded(jupyter: Setup) -> None:
    api = jupyter.flow.client(jupyter.url, TOKEN)
    jupyter.flow.invalid_save(api, "invalid.txt")


def test_auth_failure_and_success(jupyter: Setup) -> None:
    jupyter.flow.refused(jupyter.url, {})
    jupyter.flow.refused(jupyter.url, {"Authorization": "token wrong"})
    api = jupyter.flow.client(jupyter.url, TOKEN)
    assert jupyter.flow.status(api) == (0, 0)


def test_async_workflow(jupyter: Setup) -> None:
    names = asyncio.run(jupyter.flow.async_lifecycle(jupyter.url, TOKEN, "async"))
    assert names == ["async.txt"]


def test_relative_server_asks_for_base_url(jupyter: Setup) -> None:
    package = jupyter.generated.package
    with pytest.raises(package.ConfigurationError, match="base_url"):
        package.JupyterServerClient()


def test_no_hash_suffixes(jupyter: Setup) -> None:
    api = jupyter.flow.client(jupyter.url, TOKEN)
    hashed = re.compile(r"_[0-9a-f]{6}$")
    for resource in ("contents", "kernels", "sessions", "terminals", "api"):
        methods = inspect.getmembers(getattr(api, resource), inspect.ismethod)
        assert not [name for name, _ in methods if hashed.search(name)], resource
        assert not type(getattr(api, resource)).__name__.endswith("_"), resource
    assert hasattr(api.contents, "patch") or hasattr(api.contents, "rename")


def test_default_name_is_not_the_servers(jupyter: Setup) -> None:
    name = jupyter.generated.package.__name__
    assert name not in installed_modules(jupyter.venv), name
