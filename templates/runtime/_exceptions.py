"""Exceptions raised by the generated client.

Hierarchy::

    APIError(Exception)
     +-- APIConnectionError            no usable HTTP response was received
     |    +-- APITimeoutError          ... because a timeout elapsed
     +-- APIStatusError                the API answered with a non-2xx status
     |    +-- BadRequestError          400
     |    |    +-- FieldValidationError 400 with field errors (also 422's class)
     |    +-- AuthenticationError      401
     |    +-- PermissionDeniedError    403
     |    +-- NotFoundError            404
     |    +-- ConflictError            409
     |    +-- UnprocessableEntityError 422
     |    +-- RateLimitError           429
     |    +-- InternalServerError      >= 500
     +-- ResponseValidationError       strict mode: response does not match spec
     |    +-- InvalidFieldError        (also AttributeError) reading a field
     |    |                            whose value does not fit its type
     |    +-- ResponseLimitError       a response exceeds a limit of the client
     |         +-- ResponseTooLargeError       max_response_size
     |         +-- ResponseTooDeepError        max_json_depth
     |         +-- ResponseNumberTooLargeError Python's int digits limit
     +-- RequestValidationError        (also ValueError) request cannot be built
     +-- ConfigurationError            (also ValueError) a client setting is unusable

Catch ``APIError`` to handle everything the client raises on purpose, and
``UnprocessableEntityError`` for a request the API refused field by field:
a 422, or a 400 whose body lists field errors (``FieldValidationError``).
Each status error has the API's problems per field as ``field_errors``
(:class:`FieldError`, parsed by ``_field_errors``) and the body parsed as
the operation's error model as ``body_model``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, Generic

import httpx

from ._field_errors import FieldError, api_message, field_errors
from ._redact import redact_url

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    #: the type of ``body_model``: a package types it with its error models
    BodyT = TypeVar("BodyT", default=Any)
else:
    from typing import TypeVar

    BodyT = TypeVar("BodyT")

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "FieldError",
    "FieldValidationError",
    "InternalServerError",
    "InvalidFieldError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseLimitError",
    "ResponseNumberTooLargeError",
    "ResponseTooDeepError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "UnprocessableEntityError",
    "make_status_error",
]


class APIError(Exception):
    """Base class of every error raised deliberately by the client."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class APIConnectionError(APIError):
    """The request could not be completed (DNS, refused, reset, TLS, ...)."""

    request: httpx.Request | None

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None
    ) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout elapsed."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None
    ) -> None:
        super().__init__(message, request=request)


class APIStatusError(APIError, Generic[BodyT]):
    """The API returned a non-success status code.

    ``body_model`` is the body parsed as the operation's error model (``None``
    when the description gives none, or the body is not JSON of that shape);
    ``field_errors`` lists the problems per field, in every common layout.
    """

    status_code: int
    headers: httpx.Headers
    body: str
    body_model: BodyT | None
    request: httpx.Request
    response: httpx.Response
    field_errors: list[FieldError]

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body_model: BodyT | None = None,
        field_errors: Sequence[FieldError] = (),
    ) -> None:
        super().__init__(message)
        self.response = response
        self.request = response.request
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = _safe_text(response)
        self.body_model = body_model
        self.field_errors = list(field_errors)


class BadRequestError(APIStatusError[BodyT]):
    """HTTP 400."""


class AuthenticationError(APIStatusError[BodyT]):
    """HTTP 401: credentials missing or rejected."""


class PermissionDeniedError(APIStatusError[BodyT]):
    """HTTP 403."""


class NotFoundError(APIStatusError[BodyT]):
    """HTTP 404."""


class ConflictError(APIStatusError[BodyT]):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError[BodyT]):
    """HTTP 422."""


class FieldValidationError(BadRequestError[BodyT], UnprocessableEntityError[BodyT]):
    """HTTP 400 whose body lists field errors: a validation failure.

    Caught by ``except UnprocessableEntityError`` as a 422 is (and by
    ``except BadRequestError``), with the same ``field_errors``.
    """


class RateLimitError(APIStatusError[BodyT]):
    """HTTP 429: still rate limited after the configured retries."""


class InternalServerError(APIStatusError[BodyT]):
    """HTTP 5xx."""


class ResponseValidationError(APIError):
    """A response did not match the spec while ``strict_responses`` was on.

    ``errors`` holds pydantic's error list; the ``ValidationError`` itself is
    chained as ``__cause__``.
    """

    errors: list[Any]

    def __init__(self, message: str, *, errors: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)


class InvalidFieldError(ResponseValidationError, AttributeError):
    """Reading a model field whose value in the response does not fit its type.

    A lenient client decodes such a response anyway: the other fields stay
    usable, and this field raises when read instead of handing out a value
    of the wrong type. ``raw`` is the value as received (also in the model's
    ``model_extra`` under its JSON key, and sent back unchanged); ``path`` is
    its JSON path in the response, e.g. ``$.items[3].date``. Also an
    ``AttributeError``, so ``getattr(model, name, default)`` gives the default.
    """

    model: str
    field: str
    path: str
    raw: Any

    def __init__(
        self,
        *,
        model: str,
        field: str,
        path: str,
        raw: Any,
        reason: str,
        errors: Sequence[Any] = (),
    ) -> None:
        shown = "absent" if raw is MISSING else repr(raw)
        if len(shown) > 200:
            shown = shown[:200] + "..."
        super().__init__(
            f"{model}.{field} at {path} does not fit its type ({reason}): {shown}",
            errors=errors,
        )
        self.model, self.field, self.path, self.raw = model, field, path, raw


class _Missing:
    """The raw "value" of a required field the response left out."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class ResponseLimitError(ResponseValidationError):
    """A response exceeds a limit that protects the client's memory and stack.

    ``limit`` names the setting (``max_response_size``, ``max_json_depth``,
    ``int_max_str_digits``); the message says how to raise it.
    """

    limit: str

    def __init__(self, message: str, *, limit: str) -> None:
        super().__init__(message)
        self.limit = limit


class ResponseTooLargeError(ResponseLimitError):
    """The decompressed body is larger than ``max_response_size`` bytes."""


class ResponseTooDeepError(ResponseLimitError):
    """The JSON body nests arrays and objects deeper than ``max_json_depth``."""


class ResponseNumberTooLargeError(ResponseLimitError):
    """The JSON body holds an integer longer than Python converts by default."""


class ConfigurationError(APIError, ValueError):
    """A client setting cannot be used: base URL, server, credential value."""


class RequestValidationError(APIError, ValueError):
    """A request cannot be built (or, opted in, fails validation); nothing was sent."""

    errors: list[Any]

    def __init__(self, message: str, *, errors: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_MAX_BODY_IN_MESSAGE = 300
_MAX_API_MESSAGE = 2000
_MAX_FIELD_MESSAGE = 200
_MAX_MESSAGE = 4000
# C0 and C1 controls, and the marks that reorder text on a terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, limit: int = _MAX_API_MESSAGE) -> str:
    """Server text made safe for a message: control characters escaped
    (``\\x1b``, ``\\n``) and anything past ``limit`` characters cut, with a
    note saying how much was cut (the whole body stays in ``exc.body``)."""
    cut = len(text) - limit
    if cut > 0:
        text = text[:limit]
    text = _UNPRINTABLE.sub(
        lambda m: m.group().encode("unicode_escape").decode("ascii"), text
    )
    if cut > 0:
        text += f"... [{cut:,} more characters cut]"
    return text


def _safe_text(response: httpx.Response) -> str:
    try:
        return response.text
    except httpx.ResponseNotRead:
        # A streamed response whose body was never read; nothing to show.
        return ""


def decode_json_body(response: httpx.Response) -> Any:
    """Return the decoded JSON body, or ``None`` when it is not JSON."""
    text = _safe_text(response)
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, too deep, too long a number
        return None


def make_status_error(
    response: httpx.Response,
    *,
    body_model: Any = None,
    secret_params: Collection[str] = (),
    hint: str | None = None,
) -> APIStatusError:
    """Build the ``APIStatusError`` subclass matching ``response``'s status.

    The message names method, redacted URL, status, the API's own message and
    its field errors, so that a bare traceback is enough to understand what
    went wrong; it stays under 4,000 characters whatever the body holds.
    """
    status = response.status_code
    data = decode_json_body(response)
    problems = field_errors(data)
    cls: type[APIStatusError] | None = _STATUS_CLASSES.get(status)
    if status == 400 and problems:
        cls = FieldValidationError
    elif cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    message = api_message(data)
    if message is None and not problems:
        text = _safe_text(response).strip()
        if text:
            message = printable(text, _MAX_BODY_IN_MESSAGE)
    request = response.request
    parts = [
        f"{request.method} {redact_url(request.url, secret_params)} "
        f"-> {status} {printable(response.reason_phrase, 100)}".rstrip()
    ]
    if message:
        message = printable(message)
        parts.append(f": {message}")
    if problems:
        stop = ":" if not message else "" if message.endswith((".", "!", "?")) else "."
        parts.append(f"{stop} {describe_field_errors(problems)}")
    if hint:
        parts.append(f" ({hint})")
    return cls(
        printable("".join(parts), _MAX_MESSAGE),
        response=response,
        body_model=body_model,
        field_errors=problems,
    )


def describe_field_errors(errors: Sequence[FieldError], shown: int = 10) -> str:
    """``Field errors: customer_name: required (...); vat: ...``, the first
    ``shown`` of them, each cut to a readable length."""
    listed = "; ".join(printable(str(e), _MAX_FIELD_MESSAGE) for e in errors[:shown])
    more = len(errors) - shown
    return f"Field errors: {listed}{f'; and {more} more' if more > 0 else ''}."
