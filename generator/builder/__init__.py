"""Stage 2, the model builder: a loaded spec → the frozen :class:`~generator.ir.ApiModel`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator import ir
from generator.builder.client import (
    ClientBuilder,
    build_servers,
    client_logins,
    env_prefix,
)
from generator.builder.names import NameBook, pascal
from generator.builder.operations import OperationBuilder, security_of
from generator.builder.params import ParamsBuilder
from generator.builder.schemas import TypeBuilder
from generator.diagnostics import Diagnostics
from generator.package import package_name
from generator.settings import BuildOptions, BuildSettings

__all__ = ["BuildOptions", "BuildSettings", "build"]


def _ordered(models: dict[str, ir.ModelDef]) -> tuple[ir.ModelDef, ...]:
    """Models sorted by name, a base class always before its subclasses."""
    done: dict[str, ir.ModelDef] = {}

    def visit(name: str, depth: int = 0) -> None:
        if name in done or depth > 50:
            return
        model = models[name]
        if model.base is not None and model.base in models:
            visit(model.base, depth + 1)
        done[name] = model

    for name in sorted(models):
        visit(name)
    return tuple(done.values())


def _alias_order(a: ir.AliasDef) -> tuple[bool, bool, str]:
    # late aliases name classes; tagged unions (classes only) go before the
    # exported aliases that may name them
    return (a.late, not isinstance(a.type, ir.Tagged), a.name)


def build(
    doc: dict[str, Any], settings: BuildSettings, diags: Diagnostics
) -> ir.ApiModel:
    if settings.pins:
        # A pinned name is kept for its owner only while the owner still exists:
        # build once, then drop the pins of origins that no longer claim a name.
        trial = Diagnostics()
        api = _build(doc, settings, trial)
        claimed = {(s, o) for s, o, _w, _n in api.names}
        scopes = {s for s, _o, _w, _n in api.names}
        live = tuple(
            p for p in settings.pins if p[0] not in scopes or (p[0], p[1]) in claimed
        )
        if live == settings.pins:
            diags.extend(trial)
            return api
        settings = replace(settings, pins=live)
    return _build(doc, settings, diags)


def _build(
    doc: dict[str, Any], settings: BuildSettings, diags: Diagnostics
) -> ir.ApiModel:
    raw_info = doc.get("info")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    title = str(info.get("title") or "API")
    package = package_name(settings.package, doc)
    client_name = str(pascal(settings.client_name or package, fallback="Client"))
    if client_name in ("BaseModel", "Field"):
        client_name += "Client"
    version = settings.version or "0.1.0"
    types = TypeBuilder(
        doc,
        diags,
        renames=settings.schema_renames,
        property_renames=settings.property_renames,
        book=NameBook(settings.pins),
    )
    types.names.reserve(client_name)
    types.names.reserve("Async" + client_name)
    resources = OperationBuilder(doc, types, diags, settings.options).build()
    types.build_all()
    params = ParamsBuilder(types.models, types.aliases, types.book)
    resources = tuple(_typed_bodies(r, params) for r in resources)
    prefix = env_prefix(package)
    client = ClientBuilder(doc, diags, prefix)
    client.build_security()
    client.hoist(settings.options.hoist_headers)
    servers = build_servers(doc, settings.servers, diags)
    security = security_of(doc.get("security"), doc) if "security" in doc else ()
    description = info.get("description")
    return ir.ApiModel(
        package=package,
        distribution=settings.distribution or package.replace("_", "-"),
        version=version,
        client_name=client_name,
        async_client_name="Async" + client_name,
        title=title,
        api_phrase=_api_phrase(title),
        description=(
            description
            if isinstance(description, str) and description.strip()
            else None
        ),
        spec_name=settings.spec_name,
        servers=servers,
        credentials=tuple(client.credentials.values()),
        client_headers=tuple(client.client_headers),
        schemes=tuple(client.schemes),
        security=security,
        resources=resources,
        models=_ordered(types.models),
        aliases=tuple(sorted(types.aliases.values(), key=_alias_order)),
        env_prefix=prefix,
        names=types.book.record(),
        params=params.result(),
        logins=client_logins(tuple(client.schemes), security, resources),
        error_body=_error_body(resources),
    )


def _error_body(resources: tuple[ir.ResourceDef, ...]) -> ir.Type | None:
    """The union of every operation's error types, or ``None`` if none has one."""
    types = [t for r in resources for op in r.operations for _, t in op.error_types]
    return ir.union(*types) if types else None


def _typed_bodies(r: ir.ResourceDef, params: ParamsBuilder) -> ir.ResourceDef:
    """``r`` with each JSON body typed for callers (request TypedDicts)."""
    ops = []
    for op in r.operations:
        body = op.body
        if body is not None and body.validate_as is not None:
            t = params.body_type(body.validate_as)
            body = replace(body, type=t if body.required else ir.nullable(t))
        ops.append(replace(op, body=body))
    return replace(r, operations=tuple(ops))


def _api_phrase(title: str) -> str:
    """``title`` followed by "API" unless it already ends with that word."""
    words = title.split()
    return title if words and words[-1].upper() in ("API", "APIS") else f"{title} API"
