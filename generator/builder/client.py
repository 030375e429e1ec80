"""Security schemes, credentials and servers → client settings.

See https://spec.openapis.org/oas/v3.1.0#security-scheme-object
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from generator import ir
from generator.builder.names import Namespace, snake, upper_snake
from generator.diagnostics import Diagnostics, pointer_join

_CLIENT_ARGS = frozenset(
    {
        "self",
        "base_url",
        "server",
        "timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "http_client",
        "strict_responses",
        "max_response_size",
        "max_json_depth",
        "credentials",
    }
)


class ClientBuilder:
    def __init__(
        self, doc: dict[str, Any], diags: Diagnostics, env_prefix: str
    ) -> None:
        self.doc = doc
        self.diags = diags
        self.env_prefix = env_prefix
        self.credentials: dict[str, ir.CredentialDef] = {}
        self.schemes: list[ir.SchemeDef] = []
        self.client_headers: list[tuple[str, str]] = []
        self._ns = Namespace(_CLIENT_ARGS)

    def _credential(self, wanted: str, doc: str) -> str:
        name = str(snake(wanted, fallback="credential"))
        if name not in self.credentials:
            if name in _CLIENT_ARGS:
                name += "_"
            self.credentials[name] = ir.CredentialDef(
                name, f"{self.env_prefix}_{name.upper()}", doc
            )
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
                self.diags.warn(
                    "unsupported-ref",
                    "a $ref security scheme is not supported; ignored",
                    pointer,
                )
                continue
            if not isinstance(scheme, dict):
                continue
            kind = scheme.get("type")
            x_name = (
                scheme.get("x-clientgen-name")
                if isinstance(scheme.get("x-clientgen-name"), str)
                else None
            )
            made: ir.SchemeDef | None = None
            if kind == "apiKey":
                raw_in = scheme.get("in")
                location: Literal["header", "query", "cookie"] = (
                    raw_in if raw_in in ("header", "query", "cookie") else "header"
                )
                raw_name = scheme.get("name")
                header: str = raw_name if isinstance(raw_name, str) else "X-API-Key"
                wanted = x_name or ("api_key" if kinds.count("apiKey") == 1 else key)
                cred = self._credential(
                    wanted, f"API key sent as {location} {header!r}"
                )
                made = ir.ApiKeyScheme(key, cred, header, location)
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                u = self._credential(
                    "username", "user name for HTTP basic authentication"
                )
                p = self._credential(
                    "password", "password for HTTP basic authentication"
                )
                made = ir.BasicScheme(key, u, p)
            elif kind == "http":
                cred = self._credential(
                    x_name
                    or ("bearer_token" if kinds.count("http") <= 1 else f"{key}_token"),
                    "bearer token",
                )
                made = ir.BearerScheme(key, cred)
            elif kind == "oauth2":
                made = self._oauth2(key, scheme)
            elif kind == "openIdConnect":
                cred = self._credential(
                    "access_token", "OAuth 2.0 / OpenID Connect access token"
                )
                made = ir.BearerScheme(key, cred)
            else:
                self.diags.warn(
                    "unsupported-security",
                    f"security scheme type {kind!r} is not supported; ignored",
                    pointer,
                )
            if made is not None:
                self.schemes.append(made)

    def _oauth2(self, key: str, scheme: dict[str, Any]) -> ir.SchemeDef:
        raw_flows = scheme.get("flows")
        flows: dict[str, Any] = raw_flows if isinstance(raw_flows, dict) else {}
        token = self._credential(
            "access_token", "OAuth 2.0 access token (used as is, no token request)"
        )
        for flow_key, flow in (
            ("clientCredentials", "client_credentials"),
            ("password", "password"),
        ):
            f = flows.get(flow_key)
            if isinstance(f, dict) and isinstance(f.get("tokenUrl"), str):
                cid = self._credential("client_id", "OAuth 2.0 client id")
                csec = self._credential("client_secret", "OAuth 2.0 client secret")
                user = pw = None
                if flow == "password":
                    user = self._credential(
                        "username", "user name for the OAuth 2.0 password flow"
                    )
                    pw = self._credential(
                        "password", "password for the OAuth 2.0 password flow"
                    )
                raw_scopes = f.get("scopes")
                scopes = (
                    tuple(str(s) for s in raw_scopes)
                    if isinstance(raw_scopes, dict)
                    else ()
                )
                return ir.OAuth2Scheme(
                    key,
                    f["tokenUrl"],
                    flow,  # type: ignore[arg-type]
                    scopes,
                    cid,
                    csec,
                    token,
                    user,
                    pw,
                    token_body=self._token_body(f["tokenUrl"]),
                )
        return ir.BearerScheme(key, token)

    def _token_body(self, token_url: str) -> Literal["form", "json"]:
        """JSON when the description describes its token URL as an
        operation whose body is JSON only (onFact's login), else a form."""
        wanted = urlsplit(token_url).path
        paths = self.doc.get("paths")
        for path, item in (paths if isinstance(paths, dict) else {}).items():
            if not (isinstance(path, str) and path and wanted.endswith(path)):
                continue
            post = item.get("post") if isinstance(item, dict) else None
            body = post.get("requestBody") if isinstance(post, dict) else None
            content = body.get("content") if isinstance(body, dict) else None
            if isinstance(content, dict) and content:
                media = [str(m).split(";")[0].strip().lower() for m in content]
                if all(m == "application/json" or m.endswith("+json") for m in media):
                    return "json"
        return "form"

    def hoist(self, headers: tuple[str, ...]) -> None:
        for header in headers:
            base = header[2:] if header.lower().startswith("x-") else header
            existing = next(
                (
                    s
                    for s in self.schemes
                    if isinstance(s, ir.ApiKeyScheme) and s.name == header
                ),
                None,
            )
            if existing is not None:
                name = existing.credential
            else:
                name = self._credential(
                    base, f"value of the {header!r} header sent on every request"
                )
            self.client_headers.append((name, header))


def _scheme_logins(scheme: ir.SchemeDef) -> tuple[tuple[str, ...], ...]:
    """The sets of credentials, any one of which lets ``scheme`` apply."""
    if isinstance(scheme, ir.ApiKeyScheme | ir.BearerScheme):
        return ((scheme.credential,),)
    if isinstance(scheme, ir.BasicScheme):
        return ((scheme.username, scheme.password),)
    if scheme.flow == "password" and scheme.username and scheme.password:
        return ((scheme.access_token,), (scheme.username, scheme.password))
    return ((scheme.access_token,), (scheme.client_id, scheme.client_secret))


def client_logins(
    schemes: tuple[ir.SchemeDef, ...],
    security: ir.Security,
    resources: tuple[ir.ResourceDef, ...],
) -> tuple[tuple[str, ...], ...]:
    """The sets of credentials one of which a client needs to make any call:
    empty when some operation needs none (then each call checks its own), or
    when no operation can ever be authenticated (a scheme the client does not
    support).  The runtime's ``_auth.credential_sets`` expands a requirement
    the same way."""
    by_key = {s.key: s for s in schemes}
    found: dict[tuple[str, ...], None] = {}
    for op in (op for r in resources for op in r.operations):
        alternatives = security if op.security is None else op.security
        if not alternatives or () in alternatives:
            return ()
        for requirement in alternatives:
            if not all(name in by_key for name in requirement):
                continue
            combos: list[tuple[str, ...]] = [()]
            for name in requirement:
                combos = [c + o for c in combos for o in _scheme_logins(by_key[name])]
            for combo in combos:
                found[tuple(dict.fromkeys(combo))] = None
    return tuple(found)


def build_servers(
    doc: dict[str, Any], overrides: list[dict[str, Any]], diags: Diagnostics
) -> tuple[ir.ServerDef, ...]:
    servers = overrides or doc.get("servers") or []
    out: list[ir.ServerDef] = []
    ns = Namespace()
    for i, server in enumerate(servers if isinstance(servers, list) else []):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        raw_vars = server.get("variables")
        variables: dict[str, Any] = raw_vars if isinstance(raw_vars, dict) else {}
        for var, var_spec in variables.items():
            default = var_spec.get("default") if isinstance(var_spec, dict) else None
            url = url.replace(
                "{" + var + "}", str(default) if default is not None else ""
            )
        if "{" in url:
            diags.warn(
                "server-variable",
                f"server URL {url!r} has undeclared variables",
                pointer_join("/servers", i),
            )
        raw = server.get("x-clientgen-name") or server.get("name")
        if not isinstance(raw, str) or not raw:
            desc = server.get("description")
            raw = (
                desc
                if isinstance(desc, str) and 0 < len(desc) <= 40
                else ("default" if i == 0 else f"server_{i + 1}")
            )
        name = ns.claim(str(snake(raw, fallback="server")), url)
        about = server.get("description")
        text = about if isinstance(about, str) and about.strip() else None
        out.append(ir.ServerDef(name, url.rstrip("/") if url != "/" else url, text))
    if not out:
        out.append(ir.ServerDef("default", "http://localhost", None))
    return tuple(out)


def env_prefix(package: str) -> str:
    return upper_snake(package)
