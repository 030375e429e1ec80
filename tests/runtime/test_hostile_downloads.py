"""Downloads (issue 14): a destination that is a folder is refused before
anything is sent, and no failure leaves a ``.part`` file behind."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


def test_download_into_a_folder_is_refused_before_sending(
    make_client: Any, make_async_client: Any, tmp_path: Path
) -> None:
    (tmp_path / "inv.pdf").mkdir()
    client, server = make_client(lambda r: httpx.Response(200, content=b"%PDF"))
    for destination in (tmp_path, tmp_path / "inv.pdf", str(tmp_path / "inv.pdf")):
        with pytest.raises(IsADirectoryError, match="folder"):
            client.things.download(5, destination)
    assert server.requests == []
    aclient, aserver = make_async_client(lambda r: httpx.Response(200, content=b"x"))
    with pytest.raises(IsADirectoryError):
        asyncio.run(aclient.things.download(5, str(tmp_path / "inv.pdf")))
    assert aserver.requests == []
    assert _listing(tmp_path) == ["inv.pdf"]


def test_a_failure_mid_download_removes_the_partial_file(
    make_client: Any, rt: Any, tmp_path: Path
) -> None:
    def broken() -> Iterator[bytes]:
        yield b"first chunk"
        raise httpx.ReadError("connection reset")

    client, _ = make_client(lambda r: httpx.Response(200, content=broken()))
    with pytest.raises(rt.APIConnectionError):
        client.things.download(5, tmp_path / "inv.pdf")
    assert _listing(tmp_path) == []


def test_a_failed_rename_removes_the_partial_file(
    make_client: Any, tmp_path: Path
) -> None:
    target = tmp_path / "inv.pdf"

    def racing() -> Iterator[bytes]:
        yield b"data"
        target.mkdir()  # the final name turns into a folder meanwhile

    client, _ = make_client(lambda r: httpx.Response(200, content=racing()))
    with pytest.raises(OSError):
        client.things.download(5, target)
    assert _listing(tmp_path) == ["inv.pdf"] and target.is_dir()
