"""Prefect's server (a FastAPI app, OpenAPI 3.1) driven the way the
generated README shows: flows created, read, filtered page by page,
paginated, tagged and deleted.

The description's server URL is relative (``/api``), so the user passes the
server's address as ``base_url``, as Prefect's own ``PREFECT_API_URL`` does.
The server is protected by Prefect's basic auth (``PREFECT_SERVER_API_AUTH_STRING``),
which its description does not declare, so the credentials go in an
``Authorization`` default header, as Prefect's ``PREFECT_API_AUTH_STRING`` does.
The method names are FastAPI's operationIds without the ``_<path>_<method>``
suffix FastAPI appends (``create``, ``get``, ``read_flow_by_name``).
Type-checked by ``mypy --strict`` in the suite.
"""

from __future__ import annotations

import base64
from uuid import UUID

from prefect_api_client import (
    AsyncPrefectApiClient,
    AuthenticationError,
    NotFoundError,
    PrefectApiClient,
    UnprocessableEntityError,
)


def basic(auth_string: str) -> dict[str, str]:
    """The header Prefect's basic auth wants for ``user:password``."""
    token = base64.b64encode(auth_string.encode()).decode()
    return {"Authorization": f"Basic {token}"}


def client(base_url: str, auth_string: str) -> PrefectApiClient:
    """A client for the Prefect API at ``base_url`` (``.../api``)."""
    return PrefectApiClient(base_url=base_url, default_headers=basic(auth_string))


def refused(base_url: str, headers: dict[str, str]) -> None:
    """No credentials, or wrong ones: Prefect answers 401."""
    with PrefectApiClient(base_url=base_url, default_headers=headers) as prefect:
        try:
            prefect.flows.filter({})
        except AuthenticationError as exc:
            assert exc.status_code == 401
            assert "Unauthorized" in str(exc)
        else:
            raise AssertionError(f"{headers} was let in")


def flow_lifecycle(prefect: PrefectApiClient, name: str) -> UUID:
    """Create, read, tag and delete one flow; returns its id."""
    flows = prefect.flows
    created = flows.create({"name": name, "tags": ["e2e"]})
    assert created.name == name and created.tags == ["e2e"]

    read = flows.get(created.id)
    assert read.id == created.id

    by_name = flows.read_flow_by_name(name)
    assert by_name.id == created.id

    flows.update(created.id, {"tags": ["e2e", "tagged"]})
    assert flows.get(created.id).tags == ["e2e", "tagged"]

    flows.delete(created.id)
    return created.id


def missing_flow(prefect: PrefectApiClient, flow_id: UUID) -> None:
    """A deleted flow is a ``NotFoundError`` saying so."""
    try:
        prefect.flows.get(flow_id)
    except NotFoundError as exc:
        assert exc.status_code == 404
        assert "Flow not found" in str(exc)
    else:
        raise AssertionError("a deleted flow was found")


def make_flows(prefect: PrefectApiClient, prefix: str, count: int) -> set[str]:
    """``count`` flows named ``<prefix>-<n>``; returns their names."""
    names = {f"{prefix}-{number:02d}" for number in range(count)}
    for name in sorted(names):
        prefect.flows.create({"name": name})
    return names


def filter_by_offset(prefect: PrefectApiClient, prefix: str, size: int) -> list[str]:
    """Every flow named ``<prefix>-...``, read ``size`` at a time by offset."""
    names: list[str] = []
    while True:
        page = prefect.flows.filter(
            {
                "flows": {"name": {"like_": prefix + "-"}},
                "sort": "NAME_ASC",
                "offset": len(names),
                "limit": size,
            }
        )
        names.extend(flow.name for flow in page)
        if len(page) < size:
            return names


def paginate(prefect: PrefectApiClient, prefix: str, size: int) -> list[list[str]]:
    """The same flows through ``/flows/paginate``: a page number and
    ``pages`` in the body; returns the names page by page."""
    pages: list[list[str]] = []
    number = 1
    while True:
        page = prefect.flows.paginate(
            {
                "flows": {"name": {"like_": prefix + "-"}},
                "sort": "NAME_ASC",
                "page": number,
                "limit": size,
            }
        )
        pages.append([flow.name for flow in page.results])
        if number >= page.pages:
            return pages
        number += 1


def invalid_name(prefect: PrefectApiClient) -> UnprocessableEntityError:
    """A flow name with a slash: Prefect answers 422; returns the error."""
    try:
        prefect.flows.create({"name": "bad/name"})
    except UnprocessableEntityError as exc:
        assert exc.status_code == 422
        return exc
    raise AssertionError("a flow name with a slash was accepted")


async def async_lifecycle(base_url: str, auth_string: str, name: str) -> list[str]:
    """Create, read, filter and delete with ``AsyncPrefectApiClient``; returns
    the names the filter saw."""
    headers = basic(auth_string)
    async with AsyncPrefectApiClient(
        base_url=base_url, default_headers=headers
    ) as prefect:
        flows = prefect.flows
        created = await flows.create({"name": name})
        read = await flows.get(created.id)
        assert read.name == name
        await flows.update(created.id, {"tags": ["async"]})
        found = await flows.filter({"flows": {"tags": {"all_": ["async"]}}})
        await flows.delete(created.id)
        try:
            await flows.get(created.id)
        except NotFoundError:
            pass
        else:
            raise AssertionError("a deleted flow was found")
        return [flow.name for flow in found]
