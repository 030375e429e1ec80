"""Jupyter Server's REST API driven the way the generated README shows:
files and folders of the contents service, checkpoints, sessions.

Jupyter's description declares no security scheme and a relative server
URL (``/``), so a user passes what Jupyter's own docs say: the server's
address as ``base_url`` and ``Authorization: token <token>`` as a default
header. Type-checked by ``mypy --strict`` in the suite.
"""

from __future__ import annotations

from typing import Any

from jupyter_server_client import (
    AsyncJupyterServerClient,
    BadRequestError,
    JupyterServerClient,
    NotFoundError,
    PermissionDeniedError,
)


def client(base_url: str, token: str) -> JupyterServerClient:
    """A client for the server at ``base_url`` holding ``token``."""
    return JupyterServerClient(
        base_url=base_url, default_headers={"Authorization": f"token {token}"}
    )


def file_lifecycle(api: JupyterServerClient, folder: str) -> str:
    """A folder, a new file in it, saved, read, renamed, checkpointed and
    deleted; returns the path the file had last."""
    made = api.contents.update(folder, {"type": "directory"})
    assert made.type == "directory"

    untitled = api.contents.create(folder, {"type": "file", "ext": ".txt"})
    assert untitled.path.startswith(folder + "/") and untitled.type == "file"

    saved = api.contents.update(
        untitled.path, {"type": "file", "format": "text", "content": "hello"}
    )
    assert saved.size == 5

    read = api.contents.get(untitled.path, content=1)
    assert (read.content, read.format, read.mimetype) == ("hello", "text", "text/plain")

    renamed = api.contents.patch(untitled.path, {"path": f"{folder}/notes.txt"})
    assert renamed.name == "notes.txt"

    checkpoint = api.contents.create_checkpoint(renamed.path)
    listed = api.contents.list_checkpoints(renamed.path)
    assert [each.id for each in listed] == [checkpoint.id]

    api.contents.delete(renamed.path)
    return renamed.path


def folder_names(api: JupyterServerClient, folder: str) -> list[str]:
    """The names in a folder. The description types ``content`` as a string
    but a folder's is a list: as the README says, reading the field raises
    ``InvalidFieldError`` and the raw value stays in ``model_extra``."""
    listing = api.contents.get(folder)
    assert listing.type == "directory"
    entries: list[dict[str, Any]] = (listing.model_extra or {})["content"]
    return sorted(entry["name"] for entry in entries)


def write(api: JupyterServerClient, path: str, text: str) -> None:
    """Save ``text`` as the file at ``path``."""
    api.contents.update(path, {"type": "file", "format": "text", "content": text})


def missing_file(api: JupyterServerClient, path: str) -> None:
    """A file that is gone: ``NotFoundError`` saying what was not found."""
    try:
        api.contents.get(path)
    except NotFoundError as exc:
        assert exc.status_code == 404
        assert path in str(exc)
    else:
        raise AssertionError(f"{path} was found")


def invalid_save(api: JupyterServerClient, path: str) -> None:
    """A file saved without its format: 400, with Jupyter's reason."""
    try:
        api.contents.update(path, {"type": "file", "content": "x"})
    except BadRequestError as exc:
        assert exc.status_code == 400
        assert "format" in str(exc)
    else:
        raise AssertionError("a file without a format was saved")


def refused(base_url: str, headers: dict[str, str]) -> None:
    """No token, or a wrong one: Jupyter answers 403."""
    with JupyterServerClient(base_url=base_url, default_headers=headers) as api:
        try:
            api.contents.get("")
        except PermissionDeniedError as exc:
            assert exc.status_code == 403
        else:
            raise AssertionError(f"{headers} was let in")


def status(api: JupyterServerClient) -> tuple[int, int]:
    """The server's sessions and kernels (none: no kernel is installed)."""
    return len(api.sessions.list()), len(api.kernels.list())


async def async_lifecycle(base_url: str, token: str, folder: str) -> list[str]:
    """The file steps with ``AsyncJupyterServerClient``; returns the names the
    folder held while the file was there."""
    headers = {"Authorization": f"token {token}"}
    async with AsyncJupyterServerClient(
        base_url=base_url, default_headers=headers
    ) as api:
        await api.contents.update(folder, {"type": "directory"})
        path = f"{folder}/async.txt"
        await api.contents.update(
            path, {"type": "file", "format": "text", "content": "async"}
        )
        read = await api.contents.get(path, content=1)
        assert read.content == "async"
        listing = await api.contents.get(folder)
        entries: list[dict[str, Any]] = (listing.model_extra or {})["content"]
        await api.contents.delete(path)
        try:
            await api.contents.get(path)
        except NotFoundError:
            pass
        else:
            raise AssertionError(f"{path} was found")
        return sorted(entry["name"] for entry in entries)
