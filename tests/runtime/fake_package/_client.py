from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator, Mapping
from functools import cached_property
from typing import IO, Any

import httpx

from ._runtime import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    ApiInfo,
    ApiKeyScheme,
    AsyncAPIClient,
    AsyncAPIResource,
    ClientHeader,
    ClientSpec,
    Credential,
    HttpBasicScheme,
    HttpBearerScheme,
    NotGiven,
    OAuth2Scheme,
    RequestOptions,
    SyncAPIClient,
    SyncAPIResource,
)
from .models import CursorPage, ErrorBody, RateHeaders, Thing, ThingPage, Upload

SPEC = ClientSpec(
    package="fakeapi",
    version="1.2.3",
    servers={
        "production": "https://api.fake.test/v1",
        "sandbox": "https://sandbox.fake.test/v1",
    },
    credentials=(
        Credential("session_key", env="FAKEAPI_SESSION_KEY"),
        Credential("account_id", env="FAKEAPI_ACCOUNT_ID", secret=False),
        Credential("client_id", env="FAKEAPI_CLIENT_ID"),
        Credential("client_secret", env="FAKEAPI_CLIENT_SECRET"),
        Credential("access_token"),
        Credential("query_key"),
        Credential("username"),
        Credential("password"),
        Credential("bearer_token"),
    ),
    security_schemes={
        "session": ApiKeyScheme("session_key", "X-SESSION-KEY", "header"),
        "oauth": OAuth2Scheme(
            token_url="https://auth.fake.test/oauth/token",
            flow="client_credentials",
            scopes=("things:read", "things:write"),
        ),
        "querykey": ApiKeyScheme("query_key", "api_key", "query"),
        "basic": HttpBasicScheme(),
        "bearer": HttpBearerScheme(),
    },
    security=(("session",), ("oauth",)),
    client_headers=(ClientHeader("account_id", "X-Account-Id"),),
)
API = ApiInfo(
    servers=SPEC.servers,
    environment={c.name: c.env for c in SPEC.credentials},
    spec=lambda: SPEC,
)


class Things(SyncAPIResource):
    def get(self, id: int, *, request_options: RequestOptions | None = None) -> Thing:
        return self._client.request(
            "GET",
            "/things/{id}.json",
            path_params={"id": id},
            cast_to=Thing,
            error_types={"4XX": ErrorBody},
            options=request_options,
        )

    def list(
        self,
        *,
        offset: int | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        tag: builtins.list[str] | NotGiven = NOT_GIVEN,
        request_options: RequestOptions | None = None,
    ) -> ThingPage:
        return self._client.request(
            "GET",
            "/things",
            query={"offset": offset, "limit": limit, "tag": tag},
            cast_to=ThingPage,
            options=request_options,
        )

    def list_all(self, *, page_size: int = 2) -> Iterator[Thing]:
        return self._client.iter_offset(
            lambda offset, limit: self.list(offset=offset, limit=limit),
            page_size=page_size,
        )

    def cursor(self, cursor: str | None) -> CursorPage:
        return self._client.request(
            "GET", "/cursor", query={"cursor": cursor}, cast_to=CursorPage
        )

    def create(
        self,
        *,
        body: Thing | Mapping[str, Any],
        request_options: RequestOptions | None = None,
    ) -> Thing:
        return self._client.request(
            "POST",
            "/things",
            body=body,
            body_type=Thing,
            content_type="application/json",
            cast_to=Thing,
            error_types={"400": ErrorBody, "default": ErrorBody},
            options=request_options,
        )

    def upload(
        self,
        id: int,
        *,
        file: Any,
        description: str | NotGiven = NOT_GIVEN,
        request_options: RequestOptions | None = None,
    ) -> Thing:
        return self._client.request(
            "POST",
            "/things/{id}/files",
            path_params={"id": id},
            body={"file": file, "description": description},
            body_type=Upload,
            content_type="multipart/form-data",
            cast_to=Thing,
            options=request_options,
        )

    def download(
        self,
        id: int,
        destination: str | IO[bytes],
        *,
        request_options: RequestOptions | None = None,
    ) -> int:
        return self._client.download(
            "GET",
            "/things/{id}/content",
            destination,
            path_params={"id": id},
            options=request_options,
        )

    def delete(self, id: int) -> None:
        return self._client.request(
            "DELETE", "/things/{id}", path_params={"id": id}, response_kind="empty"
        )

    def rate(self) -> RateHeaders:
        return self._client.request(
            "HEAD", "/rate", response_kind="headers", cast_to=RateHeaders
        )

    def search_public(self, q: str) -> builtins.list[Thing]:
        return self._client.request(
            "GET",
            "/public/search",
            query={"q": q},
            security=(),
            cast_to=builtins.list[Thing],
        )

    def get_by_query_key(self, id: int) -> Thing:
        return self._client.request(
            "GET",
            "/things/{id}.json",
            path_params={"id": id},
            cast_to=Thing,
            security=(("querykey",),),
        )


class AsyncThings(AsyncAPIResource):
    async def get(
        self, id: int, *, request_options: RequestOptions | None = None
    ) -> Thing:
        return await self._client.request(
            "GET",
            "/things/{id}.json",
            path_params={"id": id},
            cast_to=Thing,
            error_types={"4XX": ErrorBody},
            options=request_options,
        )

    async def list(
        self,
        *,
        offset: int | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        request_options: RequestOptions | None = None,
    ) -> ThingPage:
        return await self._client.request(
            "GET",
            "/things",
            query={"offset": offset, "limit": limit},
            cast_to=ThingPage,
            options=request_options,
        )

    def list_all(self, *, page_size: int = 2) -> AsyncIterator[Thing]:
        async def fetch(offset: int, limit: int) -> ThingPage:
            return await self.list(offset=offset, limit=limit)

        return self._client.iter_offset(fetch, page_size=page_size)

    async def create(
        self,
        *,
        body: Thing | Mapping[str, Any],
        request_options: RequestOptions | None = None,
    ) -> Thing:
        return await self._client.request(
            "POST",
            "/things",
            body=body,
            body_type=Thing,
            content_type="application/json",
            cast_to=Thing,
            error_types={"400": ErrorBody},
            options=request_options,
        )

    async def upload(
        self, id: int, *, file: Any, description: str | NotGiven = NOT_GIVEN
    ) -> Thing:
        return await self._client.request(
            "POST",
            "/things/{id}/files",
            path_params={"id": id},
            body={"file": file, "description": description},
            body_type=Upload,
            content_type="multipart/form-data",
            cast_to=Thing,
        )

    async def download(self, id: int, destination: str | IO[bytes]) -> int:
        return await self._client.download(
            "GET", "/things/{id}/content", destination, path_params={"id": id}
        )


class Fake(SyncAPIClient):
    _api = API

    def __init__(
        self,
        *,
        session_key: str | None = None,
        account_id: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        access_token: str | None = None,
        query_key: str | None = None,
        username: str | None = None,
        password: str | None = None,
        bearer_token: str | None = None,
        base_url: str | None = None,
        server: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, Any] | None = None,
        http_client: httpx.Client | None = None,
        strict_responses: bool = False,
        strict_requests: bool = False,
    ) -> None:
        super().__init__(
            credentials={
                "session_key": session_key,
                "account_id": account_id,
                "client_id": client_id,
                "client_secret": client_secret,
                "access_token": access_token,
                "query_key": query_key,
                "username": username,
                "password": password,
                "bearer_token": bearer_token,
            },
            base_url=base_url,
            server=server,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            http_client=http_client,
            strict_responses=strict_responses,
            strict_requests=strict_requests,
        )

    @cached_property
    def things(self) -> Things:
        return Things(self)


class AsyncFake(AsyncAPIClient):
    _api = API

    def __init__(
        self,
        *,
        session_key: str | None = None,
        account_id: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        access_token: str | None = None,
        base_url: str | None = None,
        server: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        strict_responses: bool = False,
        strict_requests: bool = False,
    ) -> None:
        super().__init__(
            credentials={
                "session_key": session_key,
                "account_id": account_id,
                "client_id": client_id,
                "client_secret": client_secret,
                "access_token": access_token,
            },
            base_url=base_url,
            server=server,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            strict_responses=strict_responses,
            strict_requests=strict_requests,
        )

    @cached_property
    def things(self) -> AsyncThings:
        return AsyncThings(self)
