"""Client base classes that generated clients subclass, plus their spec types.

The client classes are light fronts (``_front``); their request machinery,
the engines of ``_sync_client`` and ``_async_client`` (parallel code
differing only in ``await``) over the I/O-free ``_core``, loads on the first
request.  Generated code may import everything
from here.
"""

from __future__ import annotations

from .._async_front import AsyncAPIClient, AsyncAPIResource
from .._front import SyncAPIClient, SyncAPIResource
from ._capture import ResponseLog
from ._spec import ClientHeader, ClientSpec, Credential

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
