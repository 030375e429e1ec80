from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._runtime import BaseModel, FileInput

ThingStatus = Literal["active", "archived"]


class Thing(BaseModel):
    __clientgen_read_only__ = frozenset({"id"})
    id: int
    """Identifier."""
    name: str
    status: ThingStatus | None = None
    tags: list[Tag] | None = None
    scores: dict[str, float] | None = None
    display_name: str | None = Field(default=None, alias="display-name")


class Tag(BaseModel):
    label: str
    parent: Thing | None = None


class ThingPage(BaseModel):
    items: list[Thing]
    count: int | None = None


class CursorPage(BaseModel):
    data: list[Thing]
    next_cursor: str | None = Field(default=None, alias="nextCursor")


class ErrorDetail(BaseModel):
    field: str | None = None
    message: str | None = None


class ErrorBody(BaseModel):
    message: str
    errors: list[ErrorDetail] | None = None


class RateHeaders(BaseModel):
    remaining: int | None = Field(default=None, alias="X-RateLimit-Remaining")
    request_id: str | None = Field(default=None, alias="X-Request-Id")


class Upload(BaseModel):
    file: FileInput
    description: str | None = None


class NextNumberHeaders(BaseModel):
    """Uses the validation/serialization alias pair instead of ``alias``."""

    number: int | None = Field(
        default=None,
        validation_alias="X-NEXT-NUMBER",
        serialization_alias="X-NEXT-NUMBER",
    )


class Contact(BaseModel):
    __clientgen_read_only__ = frozenset({"contact_id"})
    contact_id: int = Field(
        validation_alias="contactId", serialization_alias="contactId"
    )
    first_name: str = Field(
        validation_alias="first-name", serialization_alias="first-name"
    )
    age: int | None = None
