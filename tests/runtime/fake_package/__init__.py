"""Hand-written stand-in for a generated package (copied to fakeapi/ by conftest)."""

from . import models
from ._client import AsyncFake, Fake

__all__ = ["AsyncFake", "Fake", "models"]
