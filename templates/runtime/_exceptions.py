"""Exceptions raised by the generated client.

Hierarchy::

    APIError(Exception)
     +-- APIConnectionError            no usable HTTP response was received
     |    +-- APITimeoutError          ... because a timeout elapsed
     +-- APIStatusError                the API answered with a non-2xx status
     |    +-- BadRequestError          400
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

Catch ``APIError`` to handle everything the client raises on purpose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from ._redact import redact_url

if TYPE_CHECKING:  # checked as dataclasses; built by _record at run time
    from dataclasses import dataclass as record
else:
    from ._record import record

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


@record(frozen=True)
class FieldError:
    """One field-level problem reported in an error body.

    ``field`` is a dotted path when the API gives one, ``raw`` keeps the
    original entry so nothing the API said is lost.
    """

    field: str | None
    message: str | None
    code: str | None = None
    raw: Any = None


class APIStatusError(APIError):
    """The API returned a non-success status code."""

    status_code: int
    headers: httpx.Headers
    body: str
    body_model: Any
    request: httpx.Request
    response: httpx.Response
    field_errors: list[FieldError]

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body_model: Any = None,
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


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401: credentials missing or rejected."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429: still rate limited after the configured retries."""


class InternalServerError(APIStatusError):
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

_MESSAGE_KEYS = ("message", "error_description", "error", "detail", "title", "msg")
_FIELD_ERROR_KEYS = (
    "errors",
    "fields",
    "details",
    "detail",
    "field_errors",
    "invalid_params",
    "violations",
)
_FIELD_NAME_KEYS = ("field", "name", "param", "parameter", "path", "property", "loc")
_FIELD_MESSAGE_KEYS = ("message", "msg", "detail", "description", "reason", "title")
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


def extract_message(data: Any) -> str | None:
    """Find the human-readable message in a decoded error body."""
    if isinstance(data, str):
        return data or None
    if not isinstance(data, dict):
        return None
    for key in _MESSAGE_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict):
            # e.g. {"error": {"message": "..."}}
            nested = extract_message(value)
            if nested:
                return nested
    return None


def _field_name(entry: dict[str, Any]) -> str | None:
    source = entry.get("source")
    if isinstance(source, dict):  # JSON:API style {"source": {"pointer": ...}}
        pointer = source.get("pointer") or source.get("parameter")
        if isinstance(pointer, str):
            return pointer.strip("/").replace("/", ".") or None
    for key in _FIELD_NAME_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, list) and value:
            # FastAPI style loc: ["body", "email"]
            return ".".join(str(part) for part in value)
    return None


def _first_str(entry: dict[str, Any], keys: Sequence[str]) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def extract_field_errors(data: Any) -> list[FieldError]:
    """Collect field-level errors from common error body layouts."""
    if not isinstance(data, dict):
        return []
    for key in _FIELD_ERROR_KEYS:
        value = data.get(key)
        if isinstance(value, list):
            found = [_entry_to_field_error(item) for item in value]
            return [item for item in found if item is not None]
        if isinstance(value, dict) and key != "detail":
            # Rails style {"errors": {"email": ["is invalid"]}}
            return _mapping_to_field_errors(value)
    error = data.get("error")
    if isinstance(error, dict):
        return extract_field_errors(error)
    return []


def _entry_to_field_error(item: Any) -> FieldError | None:
    if isinstance(item, str):
        return FieldError(field=None, message=item, raw=item)
    if not isinstance(item, dict):
        return None
    code = item.get("code", item.get("type"))
    return FieldError(
        field=_field_name(item),
        message=_first_str(item, _FIELD_MESSAGE_KEYS),
        code=str(code) if code is not None else None,
        raw=item,
    )


def _mapping_to_field_errors(value: dict[str, Any]) -> list[FieldError]:
    out: list[FieldError] = []
    for name, messages in value.items():
        items = messages if isinstance(messages, list) else [messages]
        for message in items:
            out.append(
                FieldError(
                    field=str(name),
                    message=message if isinstance(message, str) else None,
                    raw=message,
                )
            )
    return out


def make_status_error(
    response: httpx.Response,
    *,
    body_model: Any = None,
    secret_params: Collection[str] = (),
    hint: str | None = None,
) -> APIStatusError:
    """Build the ``APIStatusError`` subclass matching ``response``'s status.

    The message names method, redacted URL, status and the API's own message
    so that a bare traceback is enough to understand what went wrong.
    """
    status = response.status_code
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    data = decode_json_body(response)
    field_errors = extract_field_errors(data)
    api_message = extract_message(data)
    if api_message is None and data is None:
        text = _safe_text(response).strip()
        if text:
            api_message = printable(text, _MAX_BODY_IN_MESSAGE)
    request = response.request
    parts = [
        f"{request.method} {redact_url(request.url, secret_params)} "
        f"-> {status} {printable(response.reason_phrase, 100)}".rstrip()
    ]
    if api_message:
        parts.append(f": {printable(api_message)}")
    if field_errors:
        listed = "; ".join(
            printable(
                f"{err.field}: {err.message}" if err.field else str(err.message),
                _MAX_FIELD_MESSAGE,
            )
            for err in field_errors[:10]
        )
        more = len(field_errors) - 10
        parts.append(f" [{listed}{f'; and {more} more' if more > 0 else ''}]")
    if hint:
        parts.append(f" ({hint})")
    return cls(
        printable("".join(parts), _MAX_MESSAGE),
        response=response,
        body_model=body_model,
        field_errors=field_errors,
    )
