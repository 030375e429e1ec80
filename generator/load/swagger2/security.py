"""Security schemes and requirements: Swagger 2.0 -> OpenAPI 3.0.

Swagger 2.0: https://spec.openapis.org/oas/v2.0#security-definitions-object,
https://spec.openapis.org/oas/v2.0#security-requirement-object
OpenAPI 3.0: https://spec.openapis.org/oas/v3.0.3#security-scheme-object,
https://spec.openapis.org/oas/v3.0.3#oauth-flows-object,
https://spec.openapis.org/oas/v3.0.3#security-requirement-object

``basic`` becomes an HTTP scheme; an OAuth2 scheme's single ``flow`` becomes
one entry of ``flows`` under its 3.0 name. Requirements follow renamed
schemes.
"""

from __future__ import annotations

import copy
from typing import Any

from generator.load.swagger2.context import Context, is_ext

# 2.0 flow -> (3.0 flow, the URLs that flow needs)
_OAUTH2_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}


def security_scheme(ctx: Context, src: Any, ptr: str) -> Any:
    """Convert one entry of ``securityDefinitions``."""
    if not isinstance(src, dict):
        ctx.note("invalid-value", "security scheme is not an object", ptr)
        return copy.deepcopy(src)
    kind = src.get("type")
    out: dict[str, Any]
    if kind == "basic":
        out = {"type": "http", "scheme": "basic"}
    elif kind == "apiKey":
        out = {"type": "apiKey", "name": src.get("name"), "in": src.get("in")}
    elif kind == "oauth2":
        out = {"type": "oauth2", "flows": _oauth2_flows(ctx, src, ptr)}
    else:
        ctx.note("invalid-value", f"unknown security scheme type {kind!r}", ptr)
        out = {"type": copy.deepcopy(kind)}
    if "description" in src:
        out["description"] = copy.deepcopy(src["description"])
    for k, v in src.items():
        if is_ext(k):
            out[k] = copy.deepcopy(v)
    return out


def _oauth2_flows(ctx: Context, src: dict[str, Any], ptr: str) -> dict[str, Any]:
    flow_name = src.get("flow")
    known = _OAUTH2_FLOWS.get(str(flow_name))
    if known is None:
        ctx.note("invalid-value", f"unknown oauth2 flow {flow_name!r}", ptr)
        return {}
    new_name, url_keys = known
    flow: dict[str, Any] = {}
    for key in url_keys:
        if key in src:
            flow[key] = copy.deepcopy(src[key])
        else:
            ctx.note("missing-field", f"oauth2 flow {flow_name!r} needs {key!r}", ptr)
    scopes = src.get("scopes")
    flow["scopes"] = copy.deepcopy(scopes) if isinstance(scopes, dict) else {}
    return {new_name: flow}


def security_requirements(ctx: Context, src: Any, ptr: str) -> Any:
    """Convert a ``security`` list, following renamed schemes."""
    if not isinstance(src, list):
        ctx.note("invalid-value", "security must be a list", ptr)
        return copy.deepcopy(src)
    out: list[Any] = []
    for requirement in src:
        if isinstance(requirement, dict):
            out.append(
                {
                    ctx.scheme_names.get(str(k), str(k)): copy.deepcopy(v)
                    for k, v in requirement.items()
                }
            )
        else:
            out.append(copy.deepcopy(requirement))
    return out
