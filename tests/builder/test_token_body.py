"""The OAuth2 token request is a form (RFC 6749) unless the description's
own token operation takes JSON only (onFact's login)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import generate_package


def _spec(token_url: str, media: list[str] | None) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/things": {"get": {"responses": {"200": {"description": "ok"}}}}
    }
    if media is not None:
        body = {"content": {m: {"schema": {"type": "object"}} for m in media}}
        paths["/oauth2/token.json"] = {
            "post": {
                "requestBody": body,
                "responses": {"200": {"description": "ok"}},
                "security": [],
            }
        }
    flow = {"tokenUrl": token_url, "scopes": {}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Tokens", "version": "1"},
        "servers": [{"url": "https://api.tokens.test/v1"}],
        "paths": paths,
        "security": [{"oauth": []}],
        "components": {
            "securitySchemes": {
                "oauth": {"type": "oauth2", "flows": {"password": flow}}
            }
        },
    }


@pytest.mark.parametrize(
    ("token_url", "media", "expected"),
    [
        ("https://api.tokens.test/v1/oauth2/token.json", ["application/json"], True),
        ("/v1/oauth2/token.json", ["application/vnd.api+json"], True),
        ("https://api.tokens.test/v1/oauth2/token.json", None, False),
        (
            "https://api.tokens.test/v1/oauth2/token.json",
            ["application/json", "application/x-www-form-urlencoded"],
            False,
        ),
        ("https://auth.example/token", ["application/json"], False),
    ],
)
def test_token_body_follows_the_token_operation(
    tmp_path: Path, token_url: str, media: list[str] | None, expected: bool
) -> None:
    folder, package = generate_package(_spec(token_url, media), tmp_path)
    client = (folder / package / "_client.py").read_text("utf-8")
    assert ('token_body="json"' in client) is expected
