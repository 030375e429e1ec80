"""Security schemes, credentials and servers → client settings.

See https://spec.openapis.org/oas/v3.1.0#security-scheme-object
"""

from __future__ import annotations

import re
from typing import Any

from generator.build.literals import py_doc, py_str
from generator.build.model import CredentialDef, SchemeDef, ServerDef
from generator.build.names import Namespace, snake, upper_snake
from generator.diagnostics import Diagnostics, pointer_join

_CLIENT_ARGS = frozenset(
    {"self", "base_url", "server", "timeout", "max_retries", "default_headers", "default_query",
     "http_client", "strict_responses", "credentials"}
)


class ClientBuilder:
    def __init__(self, doc: dict[str, Any], diags: Diagnostics, env_prefix: str) -> None:
        self.doc = doc
        self.diags = diags
        self.env_prefix = env_prefix
        self.credentials: dict[str, CredentialDef] = {}
        self.schemes: list[SchemeDef] = []
        self.client_headers: list[tuple[str, str]] = []
        self._ns = Namespace(_CLIENT_ARGS)

    def _credential(self, wanted: str, doc: str) -> str:
        name = str(snake(wanted, fallback="credential"))
        if name not in self.credentials:
            if name in _CLIENT_ARGS:
                name += "_"
            self.credentials[name] = CredentialDef(name, py_str(f"{self.env_prefix}_{name.upper()}"), doc)
        return name

    def build_security(self) -> None:
        comps = self.doc.get("components")
        schemes = comps.get("securitySchemes") if isinstance(comps, dict) else None
        if not isinstance(schemes, dict):
            return
        kinds = [s.get("type") for s in schemes.values() if isinstance(s, dict)]
        for key, scheme in schemes.items():
            pointer = pointer_join("/components/securitySchemes", key)
            if isinstance(scheme, dict) and isinstance(scheme.get("$ref"), str):
                self.diags.warn("unsupported-ref", "a $ref security scheme is not supported; ignored", pointer)
                continue
            if not isinstance(scheme, dict):
                continue
            kind = scheme.get("type")
            x_name = scheme.get("x-clientgen-name") if isinstance(scheme.get("x-clientgen-name"), str) else None
            expr: str | None = None
            if kind == "apiKey":
                raw_in = scheme.get("in")
                location: str = raw_in if isinstance(raw_in, str) and raw_in in ("header", "query", "cookie") else "header"
                raw_name = scheme.get("name")
                header: str = raw_name if isinstance(raw_name, str) else "X-API-Key"
                wanted = x_name or ("api_key" if kinds.count("apiKey") == 1 else key)
                cred = self._credential(wanted, f"API key sent as {location} {header!r}")
                expr = f"_rt.ApiKeyScheme(credential={py_str(cred)}, name={py_str(header)}, location={py_str(location)})"
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                u = self._credential("username", "user name for HTTP basic authentication")
                p = self._credential("password", "password for HTTP basic authentication")
                expr = f"_rt.HttpBasicScheme(username={py_str(u)}, password={py_str(p)})"
            elif kind == "http":
                cred = self._credential(x_name or ("bearer_token" if kinds.count("http") <= 1 else f"{key}_token"), "bearer token")
                expr = f"_rt.HttpBearerScheme(credential={py_str(cred)})"
            elif kind == "oauth2":
                expr = self._oauth2(key, scheme, pointer)
            elif kind == "openIdConnect":
                cred = self._credential("access_token", "OAuth 2.0 / OpenID Connect access token")
                expr = f"_rt.HttpBearerScheme(credential={py_str(cred)})"
            else:
                self.diags.warn("unsupported-security", f"security scheme type {kind!r} is not supported; ignored", pointer)
            if expr is not None:
                self.schemes.append(SchemeDef(py_str(key), expr))

    def _oauth2(self, key: str, scheme: dict[str, Any], pointer: str) -> str:
        raw_flows = scheme.get("flows")
        flows: dict[str, Any] = raw_flows if isinstance(raw_flows, dict) else {}
        token = self._credential("access_token", "OAuth 2.0 access token (used as is, no token request)")
        for flow_key, flow in (("clientCredentials", "client_credentials"), ("password", "password")):
            f = flows.get(flow_key)
            if isinstance(f, dict) and isinstance(f.get("tokenUrl"), str):
                cid = self._credential("client_id", "OAuth 2.0 client id")
                csec = self._credential("client_secret", "OAuth 2.0 client secret")
                extra = ""
                if flow == "password":
                    user = self._credential("username", "user name for the OAuth 2.0 password flow")
                    pw = self._credential("password", "password for the OAuth 2.0 password flow")
                    extra = f", username={py_str(user)}, password={py_str(pw)}"
                raw_scopes = f.get("scopes")
                scopes: dict[str, Any] = raw_scopes if isinstance(raw_scopes, dict) else {}
                scope_expr = "(" + "".join(py_str(str(s)) + ", " for s in scopes) + ")"
                return (
                    f"_rt.OAuth2Scheme(token_url={py_str(f['tokenUrl'])}, flow={py_str(flow)}, scopes={scope_expr}, "
                    f"client_id={py_str(cid)}, client_secret={py_str(csec)}{extra}, access_token={py_str(token)})"
                )
        return f"_rt.HttpBearerScheme(credential={py_str(token)})"

    def hoist(self, headers: tuple[str, ...]) -> None:
        for header in headers:
            base = header[2:] if header.lower().startswith("x-") else header
            existing = next(
                (s for s in self.schemes if f"name={py_str(header)}" in s.expr and "ApiKeyScheme" in s.expr), None
            )
            if existing is not None:
                cred = re.search(r"credential='([^']*)'", existing.expr)
                name = cred.group(1) if cred else str(snake(base))
            else:
                name = self._credential(base, f"value of the {header!r} header sent on every request")
            self.client_headers.append((name, py_str(header)))


def build_servers(doc: dict[str, Any], overrides: list[dict[str, Any]], diags: Diagnostics) -> tuple[ServerDef, ...]:
    servers = overrides or doc.get("servers") or []
    out: list[ServerDef] = []
    ns = Namespace()
    for i, server in enumerate(servers if isinstance(servers, list) else []):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        raw_vars = server.get("variables")
        variables: dict[str, Any] = raw_vars if isinstance(raw_vars, dict) else {}
        for var, spec in variables.items():
            default = spec.get("default") if isinstance(spec, dict) else None
            url = url.replace("{" + var + "}", str(default) if default is not None else "")
        if "{" in url:
            diags.warn("server-variable", f"server URL {url!r} has undeclared variables", pointer_join("/servers", i))
        raw = server.get("x-clientgen-name") or server.get("name")
        if not isinstance(raw, str) or not raw:
            desc = server.get("description")
            raw = desc if isinstance(desc, str) and 0 < len(desc) <= 40 else ("default" if i == 0 else f"server_{i + 1}")
        name = ns.claim(str(snake(raw, fallback="server")), url)
        desc = server.get("description")
        out.append(ServerDef(py_str(name), py_str(url.rstrip("/") if url != "/" else url), py_doc(desc if isinstance(desc, str) else None)))
    if not out:
        out.append(ServerDef(py_str("default"), py_str("http://localhost"), None))
    return tuple(out)


def env_prefix(package: str) -> str:
    return upper_snake(package)
