"""Types that describe what generated methods accept.

Request options, parameters with a non-default serialization style, and file
fields of multipart bodies.  Building these typing constructs is relatively
slow, so they live apart from ``_types`` and load on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict

import httpx
from pydantic import SkipValidation

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as record
else:
    from ._record import record

__all__ = ["FileContent", "FileInput", "RequestOptions", "StyleName", "Styled"]


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every generated operation method."""

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]
    timeout: float | httpx.Timeout
    max_retries: int


StyleName = Literal[
    "form",
    "simple",
    "label",
    "matrix",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
]


@record(frozen=True)
class Styled:
    """A parameter value paired with a non-default OpenAPI ``style``/``explode``.

    Generated code wraps a value in ``Styled`` only when the spec overrides the
    location's default (query/cookie: ``form`` + explode; path/header:
    ``simple`` without explode), so the common case stays a plain value.
    """

    value: Any
    style: str
    explode: bool


FileContent: TypeAlias = bytes | IO[bytes]
# Annotation for ``format: binary`` fields of multipart bodies.  Validation is
# skipped because file objects and ``(filename, content[, content_type])``
# tuples cannot be checked meaningfully without reading them.
FileInput: TypeAlias = SkipValidation[
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
]
