"""Kinto (Mozilla's JSON storage server) driven the way the generated
README shows: HTTP basic auth from the description's security scheme, the
server URL from the description, buckets, collections and records.

Written as a user would, type-checked by ``mypy --strict`` in the suite;
each function is one step of the workflow (see ``test_kinto.py``).
"""

from __future__ import annotations

from typing import Any

from kinto_client import (
    AsyncKintoClient,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    KintoClient,
    NotFoundError,
    PermissionDeniedError,
)

# A JSON schema that Kinto checks each record of the collection against.
NOTE_SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "stars": {"type": "integer"}},
    "required": ["title"],
}


def client(username: str, password: str) -> KintoClient:
    """The client as the README builds it: credentials, nothing else."""
    return KintoClient(username=username, password=password)


def make_collection(kinto: KintoClient, bucket: str, collection: str) -> None:
    """A bucket and a collection whose records must fit ``NOTE_SCHEMA``,
    created under chosen ids by PUT, as Kinto's docs do."""
    made = kinto.buckets.update(bucket, {})
    assert made.data is not None
    assert (made.data.model_extra or {})["id"] == bucket
    notes = kinto.collections.update(
        bucket, collection, {"data": {"schema": NOTE_SCHEMA}}
    )
    assert notes.data is not None and notes.data.schema_ == NOTE_SCHEMA
    assert (notes.data.model_extra or {})["id"] == collection


def record_lifecycle(kinto: KintoClient, bucket: str, collection: str) -> str:
    """Create, read, patch, replace and delete one record; returns its id."""
    created = kinto.records.create(bucket, collection, {"data": {"title": "first"}})
    assert created.data is not None
    record_id = str(created.data["id"])

    fetched = kinto.records.get(bucket, collection, record_id)
    assert fetched.data is not None and fetched.data["title"] == "first"

    patched = kinto.records.patch(bucket, collection, record_id, {"data": {"stars": 4}})
    assert patched.data is not None
    assert (patched.data["title"], patched.data["stars"]) == ("first", 4)

    replaced = kinto.records.update(
        bucket, collection, record_id, {"data": {"title": "second"}}
    )
    assert replaced.data is not None and "stars" not in replaced.data

    deleted = kinto.records.delete(bucket, collection, record_id)
    assert deleted.data is not None and deleted.data["deleted"] is True
    return record_id


def missing_record(
    kinto: KintoClient, bucket: str, collection: str, record_id: str
) -> None:
    """A record that is gone is a ``NotFoundError`` with Kinto's error body."""
    try:
        kinto.records.get(bucket, collection, record_id)
    except NotFoundError as exc:
        assert exc.status_code == 404
        assert exc.body_model is not None
        assert getattr(exc.body_model, "errno", None) == 110
    else:
        raise AssertionError("a deleted record was found")


def missing_record_has_no_field_errors(
    kinto: KintoClient, bucket: str, collection: str, record_id: str
) -> None:
    """A 404's ``details`` name the missing object: they are no field errors."""
    try:
        kinto.records.get(bucket, collection, record_id)
    except NotFoundError as exc:
        assert exc.field_errors == [], exc.field_errors
    else:
        raise AssertionError("a deleted record was found")


def invalid_record(kinto: KintoClient, bucket: str, collection: str) -> None:
    """A record that breaks the collection's schema: a 400 naming the field."""
    try:
        kinto.records.create(bucket, collection, {"data": {"stars": 3}})
    except BadRequestError as exc:
        fields = [error.field for error in exc.field_errors]
        assert any(field and "title" in field for field in fields), exc
        assert "title" in str(exc)
    else:
        raise AssertionError("a record without a title was accepted")


def fill(kinto: KintoClient, bucket: str, collection: str, count: int) -> set[str]:
    """``count`` new records; returns their ids."""
    ids = set()
    for number in range(count):
        made = kinto.records.create(
            bucket, collection, {"data": {"title": f"note {number}", "stars": number}}
        )
        assert made.data is not None
        ids.add(str(made.data["id"]))
    return ids


def list_records(
    kinto: KintoClient, bucket: str, collection: str
) -> list[dict[str, Any]]:
    """Every record of the collection in one list (Kinto's default)."""
    listed = kinto.records.list(bucket, collection, sort=["stars"])
    assert listed.data is not None
    return listed.data


def first_page(
    kinto: KintoClient, bucket: str, collection: str, size: int
) -> list[dict[str, Any]]:
    """One page of ``size`` records; the next is in the ``Next-Page`` header."""
    page = kinto.records.list(bucket, collection, limit=size)
    assert page.data is not None
    return page.data


def anonymous_is_refused(bucket: str) -> None:
    """No credentials: the client refuses before sending anything and names
    what to pass. Credentials Kinto has no policy for (a bearer token): Kinto
    answers 401, decoded as ``AuthenticationError``."""
    with KintoClient() as anonymous:
        try:
            anonymous.buckets.update(bucket, {})
        except ConfigurationError as exc:
            assert "nothing was sent" in str(exc) and "username=" in str(exc), exc
        else:
            raise AssertionError("a client without credentials sent a request")
    bearer = {"Authorization": "Bearer not-a-kinto-token"}
    with KintoClient(default_headers=bearer) as unknown:
        try:
            unknown.buckets.update(bucket, {})
        except AuthenticationError as exc:
            assert exc.status_code == 401
        else:
            raise AssertionError("an unauthenticated user created a bucket")


def stranger_is_refused(stranger: KintoClient, bucket: str, collection: str) -> None:
    """Someone else's credentials: 403, ``PermissionDeniedError``."""
    try:
        stranger.records.list(bucket, collection)
    except PermissionDeniedError as exc:
        assert exc.status_code == 403
    else:
        raise AssertionError("a stranger read private records")


async def async_lifecycle(
    username: str, password: str, bucket: str, collection: str
) -> int:
    """The same steps with ``AsyncKintoClient``; returns how many records it saw."""
    async with AsyncKintoClient(username=username, password=password) as kinto:
        created = await kinto.records.create(
            bucket, collection, {"data": {"title": "async"}}
        )
        assert created.data is not None
        record_id = str(created.data["id"])
        fetched = await kinto.records.get(bucket, collection, record_id)
        assert fetched.data is not None and fetched.data["title"] == "async"
        await kinto.records.patch(bucket, collection, record_id, {"data": {"stars": 1}})
        listed = await kinto.records.list(bucket, collection)
        assert listed.data is not None
        await kinto.records.delete(bucket, collection, record_id)
        try:
            await kinto.records.get(bucket, collection, record_id)
        except NotFoundError:
            pass
        else:
            raise AssertionError("a deleted record was found")
        return len(listed.data)
