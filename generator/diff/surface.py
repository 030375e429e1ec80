"""The API surface: what users of a generated client see, as plain JSON data.

:func:`surface_of` reduces a built :class:`~generator.ir.ApiModel`
to names and types only (no docstrings, no rendering details), so two
descriptions can be compared the way a caller of the client experiences
them, and so the surface can be stored in a generated package and compared
with the next generation.

Types are the Python annotations of the generated code with the module
prefixes removed (``_m.Invoice`` → ``Invoice``, ``_t.Any`` → ``Any``).
Every model and enum records its *usage*: ``input`` (only reachable from
parameters and request bodies), ``output`` (only from responses) or
``both`` (reachable from both, or from neither: an unused class may be used
either way by callers).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable
from typing import Any

from generator import ir
from generator.ir import ApiModel, FieldDef, OperationDef, ParamDef
from generator.render.pyprint import Printer, scheme

#: Bump this when the stored surface changes shape; an older stored surface
#: is then not compared (the package version is kept, no changelog entry).
SURFACE_FORMAT = 1

_PREFIX = re.compile(r"\b_(?:m|t|b|rt)\.")


def norm_type(annotation: str) -> str:
    """``_m.Invoice | None`` → ``Invoice | None``."""
    return _PREFIX.sub("", annotation).strip()


def type_text(t: ir.Type) -> str:
    """The surface spelling of a type: as in the models module, unprefixed
    (computed once per type: a large API spells the same ones thousands of
    times). Equal types may still differ in their literals' kinds (``1 ==
    True``, ``Literal[1]`` is not ``Literal[True]``): the kinds are part of
    the key."""
    kinds = tuple(
        type(v).__name__
        for node in ir.walk(t)
        if isinstance(node, ir.LiteralOf)
        for v in node.values
    )
    return _type_text(t, kinds)


@functools.lru_cache(maxsize=1 << 16)
def _type_text(t: ir.Type, kinds: tuple[str, ...]) -> str:
    return norm_type(Printer("", "_FileInput").ann(t))


def canonical(expr: str) -> str:
    """An expression in the one spelling ``ast.unparse`` gives it.

    Quotes, spacing and trailing commas then no longer depend on how the
    generator rendered it: ``X(a="b", c=("d", ))`` → ``X(a='b', c=('d',))``.
    """
    text = norm_type(expr)
    try:
        return ast.unparse(ast.parse(text, mode="eval"))
    except (SyntaxError, ValueError):
        return text


def _security(sec: ir.Security) -> list[list[str]]:
    """``(('a', 'b'), ('c',))`` → ``[['a', 'b'], ['c']]`` (sorted)."""
    return sorted(sorted(alt) for alt in sec)


def _param(p: ParamDef, position: int | None) -> dict[str, Any]:
    # defaults are left out to keep the record small: see PARAM_DEFAULTS
    out: dict[str, Any] = {
        "in": p.location,
        "type": type_text(p.type),
        "required": p.required,
    }
    if p.wire != p.name:
        out["wire"] = p.wire
    if position is not None:
        out["position"] = position
    if p.deprecated_message is not None:
        out["deprecated"] = True
    return out


def _params(
    params: Iterable[ParamDef], positional: Iterable[ParamDef] = ()
) -> dict[str, Any]:
    out = {p.name: _param(p, i) for i, p in enumerate(positional)}
    out.update({p.name: _param(p, None) for p in params})
    return out


def _operation(op: OperationDef) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "call",
        "http": f"{op.http_method} {op.path}",
        "params": _params(op.keyword, op.positional),
        "returns": type_text(op.returns),
    }
    if op.body is not None:
        out["body"] = {
            "type": type_text(op.body.type),
            "required": op.body.required,
            "content_type": op.body.content_type,
        }
    if op.error_types:
        out["errors"] = {s: type_text(t) for s, t in op.error_types}
    if op.security is not None:  # else the default security ("auth" → "security")
        out["security"] = _security(op.security)
    if op.deprecated_message is not None:
        out["deprecated"] = True
    return out


def _field(f: FieldDef) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": type_text(f.type),
        "required": f.default is None,
    }
    if f.wire != f.name:
        out["wire"] = f.wire
    if f.read_only:
        out["read_only"] = True
    if f.write_only:
        out["write_only"] = True
    return out


def _names(types: Iterable[ir.Type]) -> set[str]:
    return {r.name for t in types for r in ir.refs(t)}


def _usage(api: ApiModel) -> dict[str, str]:
    """Model and alias name → ``input``, ``output`` or ``both``."""
    known = {m.name for m in api.models} | {a.name for a in api.aliases}
    refs: dict[str, set[str]] = {}
    for m in api.models:
        refs[m.name] = _names(f.type for f in m.fields)
        if m.base:
            refs[m.name].add(m.base)
    for a in api.aliases:
        refs[a.name] = _names([a.type])
    inputs: list[ir.Type] = []
    outputs: list[ir.Type] = []
    for r in api.resources:
        for op in r.operations:
            inputs.extend(p.type for p in (*op.positional, *op.keyword))
            if op.body is not None:
                inputs.append(op.body.type)
            outputs.append(op.returns)
            outputs.extend(t for _, t in op.error_types)
            if op.pagination is not None:
                outputs.append(op.pagination.item)

    def reach(roots: list[ir.Type]) -> set[str]:
        seen: set[str] = set()
        todo = sorted(_names(roots) & known)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(sorted(refs.get(name, set()) - seen))
        return seen

    ins, outs = reach(inputs), reach(outputs)
    usage: dict[str, str] = {}
    for name in sorted(known):
        if name in ins and name not in outs:
            usage[name] = "input"
        elif name in outs and name not in ins:
            usage[name] = "output"
        else:
            usage[name] = "both"
    return usage


def surface_of(api: ApiModel) -> dict[str, Any]:
    """The JSON-ready surface of a built API (see the module docstring)."""
    default_security = _security(api.security)
    operations: dict[str, Any] = {}
    for r in api.resources:
        for op in r.operations:
            key = f"{r.attr}.{op.name}"
            entry = _operation(op)
            operations[key] = entry
            if op.pagination is not None:
                pg = op.pagination
                operations[f"{r.attr}.{pg.method_name}"] = {
                    **entry,
                    "kind": "iterator",
                    "params": _params(pg.passthrough, op.positional),
                    "returns": f"Iterator[{type_text(pg.item)}]",
                }
            if op.download_name is not None:
                operations[f"{r.attr}.{op.download_name}"] = {
                    **entry,
                    "kind": "download",
                    "returns": "None",
                }
    usage = _usage(api)
    models: dict[str, Any] = {}
    for m in api.models:
        model: dict[str, Any] = {"usage": usage.get(m.name, "both")}
        if m.base:
            model["base"] = m.base
        model["fields"] = {f.name: _field(f) for f in m.fields}
        models[m.name] = model
    enums: dict[str, Any] = {}
    for a in api.aliases:
        enums[a.name] = {"usage": usage.get(a.name, "both")}
        if isinstance(a.type, ir.LiteralOf):
            enums[a.name]["values"] = list(a.type.values)
        else:
            enums[a.name]["type"] = type_text(a.type)
    return {
        "format": SURFACE_FORMAT,
        "client": {
            "package": api.package,
            "class": api.client_name,
            "async_class": api.async_client_name,
        },
        "operations": dict(sorted(operations.items())),
        "models": dict(sorted(models.items())),
        "enums": dict(sorted(enums.items())),
        "auth": {
            "schemes": {s.key: canonical(scheme(s)) for s in api.schemes},
            "credentials": sorted(c.name for c in api.credentials),
            "security": default_security,
        },
        "servers": {s.name: s.url for s in api.servers},
    }
