"""Small shared types used by generated code and the runtime.

Nothing in here performs I/O; the module exists so that every other runtime
module (and the generated package) can import these names without cycles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any, Final, Literal, TypeAlias, TypedDict, final

import httpx
from pydantic import SkipValidation

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "FileContent",
    "FileInput",
    "NOT_GIVEN",
    "NotGiven",
    "RequestOptions",
    "Styled",
]


@final
class NotGiven:
    """Marker for "argument not passed" where ``None`` is a meaningful value.

    Generated methods use ``NOT_GIVEN`` as the default of optional keyword
    arguments so that an explicit ``None`` (JSON ``null``) can still be sent.
    The instance is falsy so ``if value:`` style checks treat it as absent.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # A singleton keeps ``is NOT_GIVEN`` checks valid even after copying.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: Any) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        # Pickle by reference to the module-level singleton.
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


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


@dataclass(frozen=True)
class Styled:
    """A parameter value paired with a non-default OpenAPI ``style``/``explode``.

    Generated code wraps a value in ``Styled`` only when the spec overrides the
    location's default (query/cookie: ``form`` + explode; path/header:
    ``simple`` without explode), so the common case stays a plain value.
    """

    value: Any
    style: str
    explode: bool


# Finite by design: a hung server must never hang the caller forever.
DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES: Final = 2


FileContent: TypeAlias = bytes | IO[bytes]
# Annotation for ``format: binary`` fields of multipart bodies.  Validation is
# skipped because file objects and ``(filename, content[, content_type])``
# tuples cannot be checked meaningfully without reading them.
FileInput: TypeAlias = SkipValidation[
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
]
