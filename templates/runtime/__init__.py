"""Runtime support shared by every package clientgen generates.

The request machinery: copied verbatim into each generated client, it depends
only on ``httpx``, ``pydantic``, the standard library and the client base
classes of ``.._front``.  Its public names are loaded on first use, so that
importing it runs only the modules a caller needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_names

if TYPE_CHECKING:
    from .._async_front import AsyncAPIClient, AsyncAPIResource
    from .._front import (
        DEFAULT_MAX_JSON_DEPTH,
        DEFAULT_MAX_RESPONSE_SIZE,
        DEFAULT_MAX_RETRIES,
        DEFAULT_TIMEOUT,
        ApiInfo,
        SyncAPIClient,
        SyncAPIResource,
    )
    from ._auth import (
        ApiKeyScheme,
        HttpBasicScheme,
        HttpBearerScheme,
        OAuth2Scheme,
        SecurityScheme,
    )
    from ._capture import ResponseLog
    from ._encode import DecimalString, ExactNumber, encode_json
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        ConflictError,
        FieldError,
        FieldValidationError,
        InternalServerError,
        InvalidFieldError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        RequestValidationError,
        ResponseLimitError,
        ResponseNumberTooLargeError,
        ResponseTooDeepError,
        ResponseTooLargeError,
        ResponseValidationError,
        UnprocessableEntityError,
    )
    from ._models import (
        BaseModel,
        parse_headers,
        parse_json,
        parse_response,
        validate_request,
    )
    from ._pages import (
        AsyncListPage,
        AsyncPage,
        Paging,
        SyncListPage,
        SyncPage,
        aiter_items,
        arequest_list_page,
        arequest_page,
        iter_items,
        request_list_page,
        request_page,
    )
    from ._params import FileContent, FileInput, RequestOptions, Styled
    from ._spec import ClientHeader, ClientSpec, Credential
    from ._types import NOT_GIVEN, As, NotGiven
    from ._unions import EXACT, ISO, discriminator

# Where each public name lives, relative to this package (``..`` is the
# generated package, home of the client base classes); a module loads when one
# of its names is first looked up here.
_SOURCES = {
    "ApiInfo": ".._front",
    "AsyncAPIClient": ".._async_front",
    "AsyncAPIResource": ".._async_front",
    "ApiKeyScheme": "._auth",
    "HttpBasicScheme": "._auth",
    "HttpBearerScheme": "._auth",
    "OAuth2Scheme": "._auth",
    "SecurityScheme": "._auth",
    "ResponseLog": "._capture",
    "AsyncListPage": "._pages",
    "AsyncPage": "._pages",
    "Paging": "._pages",
    "SyncListPage": "._pages",
    "SyncPage": "._pages",
    "aiter_items": "._pages",
    "arequest_list_page": "._pages",
    "arequest_page": "._pages",
    "iter_items": "._pages",
    "request_list_page": "._pages",
    "request_page": "._pages",
    "APIConnectionError": "._exceptions",
    "APIError": "._exceptions",
    "APIStatusError": "._exceptions",
    "APITimeoutError": "._exceptions",
    "AuthenticationError": "._exceptions",
    "BadRequestError": "._exceptions",
    "ConfigurationError": "._exceptions",
    "ConflictError": "._exceptions",
    "FieldError": "._exceptions",
    "FieldValidationError": "._exceptions",
    "InternalServerError": "._exceptions",
    "InvalidFieldError": "._exceptions",
    "NotFoundError": "._exceptions",
    "PermissionDeniedError": "._exceptions",
    "RateLimitError": "._exceptions",
    "RequestValidationError": "._exceptions",
    "ResponseLimitError": "._exceptions",
    "ResponseNumberTooLargeError": "._exceptions",
    "ResponseTooDeepError": "._exceptions",
    "ResponseTooLargeError": "._exceptions",
    "ResponseValidationError": "._exceptions",
    "UnprocessableEntityError": "._exceptions",
    "BaseModel": "._models",
    "DecimalString": "._encode",
    "ExactNumber": "._encode",
    "encode_json": "._encode",
    "parse_headers": "._models",
    "parse_json": "._models",
    "parse_response": "._models",
    "validate_request": "._models",
    "ClientHeader": "._spec",
    "ClientSpec": "._spec",
    "Credential": "._spec",
    "SyncAPIClient": ".._front",
    "SyncAPIResource": ".._front",
    "DEFAULT_MAX_JSON_DEPTH": ".._front",
    "DEFAULT_MAX_RESPONSE_SIZE": ".._front",
    "DEFAULT_MAX_RETRIES": ".._front",
    "DEFAULT_TIMEOUT": ".._front",
    "FileContent": "._params",
    "FileInput": "._params",
    "NOT_GIVEN": "._types",
    "As": "._types",
    "NotGiven": "._types",
    "RequestOptions": "._params",
    "Styled": "._params",
    "EXACT": "._unions",
    "ISO": "._unions",
    "discriminator": "._unions",
}


__getattr__ = lazy_names(__name__, _SOURCES, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "AsyncListPage",
    "AsyncPage",
    "Paging",
    "SyncListPage",
    "SyncPage",
    "aiter_items",
    "arequest_list_page",
    "arequest_page",
    "iter_items",
    "request_list_page",
    "request_page",
    "discriminator",
    "APIConnectionError",
    "As",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "ApiInfo",
    "ApiKeyScheme",
    "AsyncAPIClient",
    "AsyncAPIResource",
    "AuthenticationError",
    "BadRequestError",
    "BaseModel",
    "ClientHeader",
    "ClientSpec",
    "ConfigurationError",
    "ConflictError",
    "Credential",
    "DEFAULT_MAX_JSON_DEPTH",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "DecimalString",
    "EXACT",
    "ExactNumber",
    "ISO",
    "FieldError",
    "FieldValidationError",
    "FileContent",
    "FileInput",
    "HttpBasicScheme",
    "HttpBearerScheme",
    "InternalServerError",
    "InvalidFieldError",
    "NOT_GIVEN",
    "NotFoundError",
    "NotGiven",
    "OAuth2Scheme",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "RequestValidationError",
    "ResponseLog",
    "ResponseLimitError",
    "ResponseNumberTooLargeError",
    "ResponseTooDeepError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SecurityScheme",
    "Styled",
    "SyncAPIClient",
    "SyncAPIResource",
    "UnprocessableEntityError",
    "encode_json",
    "parse_headers",
    "parse_json",
    "parse_response",
    "validate_request",
]
