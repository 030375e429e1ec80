"""Runtime support shared by every package clientgen generates.

This subpackage is copied verbatim into each generated client and depends
only on ``httpx``, ``pydantic`` and the standard library.
"""

from ._auth import (
    ApiKeyScheme,
    HttpBasicScheme,
    HttpBearerScheme,
    OAuth2Scheme,
    SecurityScheme,
)
from ._base_client import (
    AsyncAPIClient,
    AsyncAPIResource,
    SyncAPIClient,
    SyncAPIResource,
)
from ._capture import ResponseLog
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FieldError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    UnprocessableEntityError,
)
from ._models import (
    BaseModel,
    encode_json,
    parse_headers,
    parse_response,
    validate_request,
)
from ._spec import ClientHeader, ClientSpec, Credential
from ._types import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    FileContent,
    FileInput,
    NotGiven,
    RequestOptions,
    Styled,
)
from ._unions import discriminator

__all__ = [
    "discriminator",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ApiKeyScheme",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AuthenticationError",
    "BadRequestError",
    "BaseModel",
    "ClientHeader",
    "ClientSpec",
    "ConflictError",
    "Credential",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "FieldError",
    "FileContent",
    "FileInput",
    "HttpBasicScheme",
    "HttpBearerScheme",
    "InternalServerError",
    "NOT_GIVEN",
    "NotFoundError",
    "NotGiven",
    "OAuth2Scheme",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "RequestValidationError",
    "ResponseLog",
    "ResponseValidationError",
    "SecurityScheme",
    "Styled",
    "SyncAPIClient",
    "SyncAPIResource",
    "UnprocessableEntityError",
    "encode_json",
    "parse_headers",
    "parse_response",
    "validate_request",
]
