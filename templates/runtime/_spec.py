"""Static description of an API that a generated client class carries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as record

    from ._auth import SecurityScheme
else:
    from ._record import record

__all__ = ["ClientHeader", "ClientSpec", "Credential"]


@record(frozen=True)
class Credential:
    """A client setting that is (usually) secret, optionally read from env."""

    name: str
    env: str | None = None
    secret: bool = True


@record(frozen=True)
class ClientHeader:
    """A header sent on every request whose value is a client credential."""

    credential: str
    header: str


@record(frozen=True)
class ClientSpec:
    """Everything the runtime needs to know about one API."""

    package: str
    version: str
    servers: Mapping[str, str]
    credentials: tuple[Credential, ...]
    security_schemes: Mapping[str, SecurityScheme]
    security: tuple[tuple[str, ...], ...]
    client_headers: tuple[ClientHeader, ...] = ()
