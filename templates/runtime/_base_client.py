"""Client base classes that generated clients subclass, plus their spec types.

The sync and async implementations live in ``_sync_client`` and
``_async_client`` (parallel code differing only in ``await``); shared,
I/O-free logic lives in ``_core``.  Generated code may import everything
from here.
"""

from __future__ import annotations

from ._async_client import AsyncAPIClient, AsyncAPIResource
from ._capture import ResponseLog
from ._spec import ClientHeader, ClientSpec, Credential
from ._sync_client import SyncAPIClient, SyncAPIResource

__all__ = [
    "AsyncAPIClient",
    "AsyncAPIResource",
    "ClientHeader",
    "ClientSpec",
    "Credential",
    "ResponseLog",
    "SyncAPIClient",
    "SyncAPIResource",
]
