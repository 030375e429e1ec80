"""The modules that print types: models, request types, resources.

Each is rendered body first, then its head (``<template>_head.py.jinja``),
so the head imports exactly what the body used. Resources and request
types reach the models as ``_m.Name``. Where the models are one
``models.py``, ``_m`` is that module; where they are a package
(:mod:`generator.render.modelsplit`), ``_m`` is the lazy package at run
time (an operation loads only the models it decodes) and, for type
checkers, a class of aliases to the model modules (in ``_models/``) the
module uses (``templates/models_refs.jinja``); a model module imports the
names it uses from the modules that define them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

import jinja2

from generator import ir
from generator.parallel import spread_task
from generator.render.modelsplit import HOME, ModelModule, ModelSplit, import_lines
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


def _package_imports(parent: str, split: ModelSplit | None) -> tuple[dict[str, str]]:
    """The runtime and the models, imported from the package ``parent``
    (``.`` or ``..``); where models is a package, ``_m`` is imported in the
    head instead (``models_refs.jinja``)."""
    group = {"_rt": f"from {parent} import _runtime as _rt"}
    if split is None:
        group["_m"] = f"from {parent} import models as _m"
    return (group,)


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
    env: jinja2.Environment,
    ctx: dict[str, object],
    split: ModelSplit,
    pkg: str,
    jobs: int | None = None,
) -> dict[str, str]:
    """``_models/``: one module per group of names, rendered on ``jobs``
    processes (default: all cores) when there are many; and
    ``models/__init__.py``, the public namespace that names them all lazily."""
    modules = split.modules
    texts = spread_task(
        lambda i: _split_module(env, ctx, modules[i], split),
        [float(sum(len(m.fields) + 1 for m in part.models)) for part in modules],
        _jobs(len(modules), jobs),
    )
    files = {
        f"{pkg}/{HOME}/{m.stem}.py": text
        for m, text in zip(modules, texts, strict=True)
    }
    files[f"{pkg}/{HOME}/__init__.py"] = env.get_template(
        "models_home.py.jinja"
    ).render(ctx)
    names = sorted(split.home, key=lambda n: (split.home[n], n))
    files[f"{pkg}/models/__init__.py"] = env.get_template(
        "models_init.py.jinja"
    ).render(ctx, names=names, home=split.home, source=f"..{HOME}.")
    return files


#: Below this many model modules, forking a worker costs more than it saves.
PARALLEL_MODULES = 300


def _jobs(modules: int, jobs: int | None) -> int:
    if modules < PARALLEL_MODULES:
        return 1
    return jobs if jobs is not None else (os.cpu_count() or 1)


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


def _model_refs(split: ModelSplit | None) -> Callable[[Printer], dict[str, object]]:
    """The head's ``model_refs``: (name, module) of each model the printer
    used, where the models are a package (none where ``_m`` is ``models.py``)."""

    def refs(printer: Printer) -> dict[str, object]:
        if split is None or not printer.names:
            return {"model_refs": []}
        printer.need("_t")
        used = sorted(printer.names, key=lambda n: (split.home[n], n))
        return {"model_refs": [(n, split.home[n]) for n in used]}

    return refs


def params_module(
    env: jinja2.Environment,
    ctx: dict[str, object],
    api: ir.ApiModel,
    split: ModelSplit | None,
) -> str:
    """``params.py``: the request TypedDicts."""
    printer = Printer("_m.", "_rt.FileInput", params="")
    if api.params:
        printer.need("_t")
    return _module(
        env,
        ctx,
        "params",
        printer,
        _package_imports(".", split),
        head=_model_refs(split),
        lay=Layout(printer),
        class_lay=lambda p: Layout(printer.shadowing({k.wire for k in p.keys})),
    )


def resource_module(
    env: jinja2.Environment,
    ctx: dict[str, object],
    r: ir.ResourceDef,
    split: ModelSplit | None,
) -> str:
    """``resources/<module>.py``: one resource's classes, sync and async."""
    printer = Printer("_m.", "_rt.FileInput", params="_p.", runtime="_rt.")
    printer.need("_rt")
    refs = _model_refs(split)

    def head(p: Printer) -> dict[str, object]:
        # request TypedDicts only annotate: the module never loads them
        typed = "_p" in p.used
        if typed:
            p.need("_t")
        return {"typed_params": typed, **refs(p)}

    return _module(
        env,
        ctx,
        "resource",
        printer,
        _package_imports("..", split),
        head=head,
        r=r,
        lay=Layout(printer.shadowing(r.attributes)),
        int_type=ir.INT,
    )


def error_body_module(
    env: jinja2.Environment,
    ctx: dict[str, object],
    body: ir.Type,
    split: ModelSplit | None,
) -> str:
    """``_error_body.py``: the alias ``ErrorBody`` of the union of the error
    models, which the package root types its status errors with (apart, so
    that importing the package does not load the union's code)."""
    if split is None:
        printer = Printer("_m.", "_rt.FileInput")
    else:
        rename = {n: f"_m_{n}" for n in split.home}
        printer = Printer("", "_rt.FileInput", rename=rename)
    alias = Layout(printer).alias("ErrorBody", body)
    lines = (
        []
        if split is None
        else import_lines(printer.names, split.home, f".{HOME}.", printer.rename)
    )
    return env.get_template("package_errors.py.jinja").render(
        ctx, imports=imports(printer, _package_imports(".", None), lines), alias=alias
    )
