"""Kinto 26.5 (Pyramid + Cornice, Swagger 2.0 at ``/v1/__api__``) with HTTP
basic auth: a client generated from what the running server publishes,
driven through ``flow_kinto``."""

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

# Kinto's own configuration (the ``kinto init`` file cut to the memory
# backends), with the basic-auth policy its docs describe for development
# and the schema validation of records switched on.
INI = """\
[app:main]
use = egg:kinto
kinto.storage_backend = kinto.core.storage.memory
kinto.cache_backend = kinto.core.cache.memory
kinto.permission_backend = kinto.core.permission.memory
kinto.userid_hmac_secret = e2e-only-not-a-secret
multiauth.policies = basicauth
kinto.bucket_create_principals = system.Authenticated
kinto.experimental_collection_schema_validation = true

[server:main]
use = egg:waitress#main
host = 127.0.0.1
port = %(http_port)s
"""

OPEN_OBJECT = """\
from kinto_client import KintoClient

KintoClient(username="a", password="b").buckets.create({"data": {"id": "b"}})
"""

USER, PASSWORD = "alice", "alice-password"
BUCKET, COLLECTION = "e2e", "notes"


@dataclass(frozen=True)
class Setup:
    generated: Generated
    flow: ModuleType
    work: Path
    venv: Path


@pytest.fixture(scope="module")
def kinto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    venv = server_venv("kinto")
    work = tmp_path_factory.mktemp("kinto")
    (work / "kinto.ini").write_text(INI, "utf-8")
    port = free_port()
    command = [venv / "bin" / "kinto", "start", "--ini", "kinto.ini"]
    url = f"http://127.0.0.1:{port}/v1"
    with running(
        "kinto",
        [*command, "--port", str(port)],
        url=url,
        ready_path="/__heartbeat__",
        workdir=work,
    ):
        spec = fetch_description(url + "/__api__", work / "kinto-api.json")
        generated = generate_client(spec, work / "kinto-client", "kinto_client")
        flow = importlib.import_module("flow_kinto")
        record_facts("test_kinto", "kinto", generated)
        flow.make_collection(flow.client(USER, PASSWORD), BUCKET, COLLECTION)
        yield Setup(generated, flow, work, venv)


def test_description_is_swagger_2(kinto: Setup) -> None:
    document = kinto.generated.document
    assert document["swagger"] == "2.0"
    assert document["securityDefinitions"] == {"basicauth": {"type": "basic"}}


def test_workflow_type_checks(kinto: Setup) -> None:
    mypy_strict(Path(kinto.flow.__file__), kinto.generated, kinto.work / "mypy")


def test_create_get_update_delete_then_404(kinto: Setup) -> None:
    client = kinto.flow.client(USER, PASSWORD)
    record_id = kinto.flow.record_lifecycle(client, BUCKET, COLLECTION)
    kinto.flow.missing_record(client, BUCKET, COLLECTION, record_id)


def test_open_object_takes_extra_keys(kinto: Setup) -> None:
    # Kinto's docs create a bucket by POSTing its id inside ``data``, an
    # object the description leaves open.
    script = kinto.work / "open_object.py"
    script.write_text(OPEN_OBJECT, "utf-8")
    mypy_strict(script, kinto.generated, kinto.work / "mypy-open")


def test_404_details_are_not_field_errors(kinto: Setup) -> None:
    client = kinto.flow.client(USER, PASSWORD)
    record_id = kinto.flow.record_lifecycle(client, BUCKET, COLLECTION)
    kinto.flow.missing_record_has_no_field_errors(client, BUCKET, COLLECTION, record_id)


def test_validation_error_names_the_field(kinto: Setup) -> None:
    kinto.flow.invalid_record(kinto.flow.client(USER, PASSWORD), BUCKET, COLLECTION)


def test_list_and_first_page(kinto: Setup) -> None:
    client = kinto.flow.client(USER, PASSWORD)
    client.collections.update(BUCKET, "listed", {})
    ids = kinto.flow.fill(client, BUCKET, "listed", 7)
    every = kinto.flow.list_records(client, BUCKET, "listed")
    assert {str(record["id"]) for record in every} == ids
    assert [record["stars"] for record in every] == list(range(7))
    assert len(kinto.flow.first_page(client, BUCKET, "listed", 3)) == 3


def test_iterate_every_page(kinto: Setup) -> None:
    client = kinto.flow.client(USER, PASSWORD)
    client.collections.update(BUCKET, "paged", {})
    ids = kinto.flow.fill(client, BUCKET, "paged", 7)
    records = client.records
    # the README's promise: iter() follows every page; list() gives one
    seen = {str(r["id"]) for r in records.iter(BUCKET, "paged", limit=3)}
    assert seen == ids
    page = records.list(BUCKET, "paged", limit=3)
    sizes = [len(page.data)]
    while page.has_next_page():
        page = page.next_page()
        sizes.append(len(page.data))
    assert sizes == [3, 3, 1]


def test_auth_failure_and_success(kinto: Setup) -> None:
    kinto.flow.anonymous_is_refused("not-mine")
    stranger = kinto.flow.client("mallory", "other-password")
    kinto.flow.stranger_is_refused(stranger, BUCKET, COLLECTION)
    # success: the owner reads the same collection
    owner = kinto.flow.client(USER, PASSWORD)
    assert isinstance(kinto.flow.list_records(owner, BUCKET, COLLECTION), list)


def test_async_workflow(kinto: Setup) -> None:
    seen = asyncio.run(kinto.flow.async_lifecycle(USER, PASSWORD, BUCKET, COLLECTION))
    assert seen >= 1


def test_names_by_meaning(kinto: Setup) -> None:
    records = kinto.flow.client(USER, PASSWORD).records
    for method in ("get", "delete", "update", "patch"):
        assert "id" in inspect.signature(getattr(records, method)).parameters, method
    assert hasattr(records, "list") and hasattr(records, "delete_all")


def test_default_name_is_not_the_servers(kinto: Setup) -> None:
    # installed next to the server, the client must not replace a module
    name = kinto.generated.package.__name__
    assert name == "kinto_client"
    assert name not in installed_modules(kinto.venv)


def test_no_hash_suffixes_in_models(kinto: Setup) -> None:
    models = importlib.import_module("kinto_client.models")
    hashed = [name for name in dir(models) if re.search(r"_[0-9a-f]{6}$", name)]
    assert hashed == [] or "rename" in kinto.generated.warnings, hashed[:5]
