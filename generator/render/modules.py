"""The modules that print types: models, request types, resources.

Each is rendered body first, then its head (``<template>_head.py.jinja``),
so the head imports exactly what the body used. Where the models are one
``models.py``, the other modules reach them as ``_m.Name``; where they are a
package (:mod:`generator.render.modelsplit`), every module imports the names
it uses from the model modules that define them, so neither Python nor a
type checker loads a model module nobody refers to.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

import jinja2

from generator import ir
from generator.render.modelsplit import ModelModule, ModelSplit, import_lines
from generator.render.pyprint import Layout, Printer

#: Import lines of the module aliases a printer may use, in file order.
_IMPORTS = {
    "_b": "import builtins as _b",
    "_dt": "import datetime as _dt",
    "_decimal": "import decimal as _decimal",
    "_os": "import os as _os",
    "_t": "import typing as _t",
    "_uuid": "import uuid as _uuid",
    "_warnings": "import warnings as _warnings",
}
_RUNTIME_NAMES = (
    "BaseModel",
    "EXACT",
    "ISO",
    "DecimalString",
    "ExactNumber",
    "FileInput",
    "discriminator",
)


def _model_imports(runtime: str) -> tuple[dict[str, str], ...]:
    """The imports a models module may use; ``runtime`` is the relative
    module of the runtime (``._runtime``, or ``.._runtime`` one level down)."""
    return (
        {
            "_Field": "from pydantic import Field as _Field",
            "_Tag": "from pydantic import Tag as _Tag",
        },
        {f"_{n}": f"from {runtime} import {n} as _{n}" for n in _RUNTIME_NAMES},
    )


_MODEL_IMPORTS = _model_imports("._runtime")
_SPLIT_MODEL_IMPORTS = _model_imports(".._runtime")
PARAMS_IMPORTS = (
    {
        "_rt": "from . import _runtime as _rt",
        "_m": "from . import models as _m",
    },
)
_RESOURCE_IMPORTS = (
    {
        "_rt": "from .. import _runtime as _rt",
        "_m": "from .. import models as _m",
    },
)


def imports(
    printer: Printer, groups: tuple[dict[str, str], ...], extra: Iterable[str] = ()
) -> str:
    """The import block for what ``printer`` used: standard library first,
    then each group in turn (``extra`` lines closing the last), a blank line
    between blocks."""
    blocks = [
        [line for alias, line in group.items() if alias in printer.used]
        for group in (_IMPORTS, *groups)
    ]
    blocks[-1].extend(extra)  # relative imports, as the last group's are
    return "\n\n".join("\n".join(block) for block in blocks if block)


def _module(
    env: jinja2.Environment,
    ctx: dict[str, object],
    template: str,
    printer: Printer,
    groups: tuple[dict[str, str], ...],
    head: Callable[[Printer], dict[str, object]] | None = None,
    names: Callable[[Printer], list[str]] | None = None,
    **body_ctx: object,
) -> str:
    """A module whose head is rendered after its body (``<template>.py.jinja``
    then ``<template>_head.py.jinja``), so it imports exactly what the body
    used; ``head`` adds what else the head needs to know of it, ``names``
    the import lines of the generated names it used."""
    body = env.get_template(f"{template}.py.jinja").render(ctx, **body_ctx)
    extra = head(printer) if head is not None else {}
    lines = names(printer) if names is not None else []
    return (
        env.get_template(f"{template}_head.py.jinja").render(
            ctx, imports=imports(printer, groups, lines), **body_ctx, **extra
        )
        + body
    )


def _renamed(names: Iterable[str], taken: Collection[str]) -> dict[str, str]:
    """``_m_Name`` for each generated name that would mean something else
    bare in a module whose own names are ``taken`` (or that does not look
    like a class: a lower-case name could be a local variable)."""
    return {n: f"_m_{n}" for n in names if n in taken or not ("A" <= n[:1] <= "Z")}


def models_module(
    env: jinja2.Environment, ctx: dict[str, object], api: ir.ApiModel
) -> str:
    """``models.py``: every model and alias in one module."""
    printer = Printer("", "_FileInput", runtime="_")
    return _module(
        env,
        ctx,
        "models",
        printer,
        _MODEL_IMPORTS,
        lay=Layout(printer),
        class_lay=lambda m: Layout(printer.shadowing({f.name for f in m.fields})),
        aliases=api.aliases,
        models=api.models,
        part=None,
    )


def models_package(
    env: jinja2.Environment, ctx: dict[str, object], split: ModelSplit, pkg: str
) -> dict[str, str]:
    """``models/``: one module per group of names, and the ``__init__``
    that names them all lazily."""
    files = {
        f"{pkg}/models/{m.stem}.py": _split_module(env, ctx, m, split)
        for m in split.modules
    }
    names = sorted(split.home, key=lambda n: (split.home[n], n))
    files[f"{pkg}/models/__init__.py"] = env.get_template(
        "models_init.py.jinja"
    ).render(ctx, names=names, home=split.home)
    return files


def _split_module(
    env: jinja2.Environment,
    ctx: dict[str, object],
    part: ModelModule,
    split: ModelSplit,
) -> str:
    printer = Printer("", "_FileInput", runtime="_")
    own = set(part.names)

    def siblings(p: Printer) -> list[str]:
        used = p.names | {m.base for m in part.models if m.base}
        return import_lines(used - own, split.home, ".", {})

    return _module(
        env,
        ctx,
        "models",
        printer,
        _SPLIT_MODEL_IMPORTS,
        names=siblings,
        lay=Layout(printer),
        class_lay=lambda m: Layout(printer.shadowing({f.name for f in m.fields})),
        aliases=part.aliases,
        models=part.models,
        part=part,
    )


def _model_names(
    split: ModelSplit | None, package: str
) -> Callable[[Printer], list[str]] | None:
    """The import lines of the model names a printer used, from ``package``
    (``.models.``, ``..models.``); None where ``_m`` reaches them all."""
    if split is None:
        return None
    return lambda p: import_lines(p.names, split.home, package, p.rename)


def params_module(
    env: jinja2.Environment,
    ctx: dict[str, object],
    api: ir.ApiModel,
    split: ModelSplit | None,
) -> str:
    """``params.py``: the request TypedDicts."""
    if split is None:
        printer = Printer("_m.", "_rt.FileInput", params="")
    else:
        taken = {p.name for p in api.params}
        printer = Printer(
            "", "_rt.FileInput", params="", rename=_renamed(split.home, taken)
        )
    if api.params:
        printer.need("_t")
    return _module(
        env,
        ctx,
        "params",
        printer,
        PARAMS_IMPORTS,
        names=_model_names(split, ".models."),
        lay=Layout(printer),
        class_lay=lambda p: Layout(printer.shadowing({k.wire for k in p.keys})),
    )


def _typed_params(printer: Printer) -> dict[str, object]:
    # request TypedDicts only annotate: the module never loads them
    typed = "_p" in printer.used
    if typed:
        printer.need("_t")
    return {"typed_params": typed}


def _resource_names(r: ir.ResourceDef) -> set[str]:
    """The names a resource module binds itself (classes, methods, arguments)."""
    taken = {r.class_name, r.async_class_name, *r.attributes}
    for op in r.operations:
        taken.update(p.name for p in op.positional + op.keyword)
        if op.body is not None:
            taken.add(op.body.name)
    return taken


def resource_module(
    env: jinja2.Environment,
    ctx: dict[str, object],
    r: ir.ResourceDef,
    split: ModelSplit | None,
) -> str:
    """``resources/<module>.py``: one resource's classes, sync and async."""
    rename = {} if split is None else _renamed(split.home, _resource_names(r))
    printer = Printer(
        "_m." if split is None else "",
        "_rt.FileInput",
        params="_p.",
        runtime="_rt.",
        rename=rename,
    )
    printer.need("_rt")
    return _module(
        env,
        ctx,
        "resource",
        printer,
        _RESOURCE_IMPORTS,
        head=_typed_params,
        names=_model_names(split, "..models."),
        r=r,
        lay=Layout(printer.shadowing(r.attributes)),
        int_type=ir.INT,
    )


def error_body(body: ir.Type, split: ModelSplit | None) -> tuple[str, str]:
    """The package root's error body annotation, and the imports it needs
    (``_m_Name`` from the model modules where the models are split: the
    root's own names are many)."""
    if split is None:
        printer = Printer("_m.", "_rt.FileInput")
    else:
        printer = Printer("", "_rt.FileInput", rename=_renamed(split.home, split.home))
    printer.need("_rt")
    annotation = printer.ann(body)
    lines = (
        []
        if split is None
        else import_lines(printer.names, split.home, ".models.", printer.rename)
    )
    return annotation, imports(printer, PARAMS_IMPORTS, lines)
