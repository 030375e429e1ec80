"""Fixtures shared by every test module (helpers live in ``helpers.py``)."""

from helpers import gen, onfact

__all__ = ["gen", "onfact"]
