"""Where each model lives: one ``models.py``, or a ``models`` package.

A big API's models would make one module of megabytes that every resource
imports whole (GitHub's: 3.6 MB, about 6,900 names). From :data:`SPLIT_AT`
names on, ``models`` becomes a package instead: one module per strongly
connected group of names (a schema alone, or the schemas that refer to one
another in a cycle), so the imports between the modules form a DAG and each
module imports only the modules it refers to. The modules live in the
private package :data:`HOME` (``_models/``, whose ``__init__`` imports
nothing); ``models/__init__.py`` names them all lazily (see
``templates/models_init.py.jinja``). Apart, because a type checker reads a
module's package first: resources that import ``models/_x.py`` would make
mypy analyse every model that ``models/__init__.py`` names for type
checkers (GitHub: 1,482 model modules where a call reaches 1,078; 33% of a
cold mypy run).

The graph is the one the templates print: a model refers to its base class
and to the names in the types of its response fields; an alias to the names
in its type. Inside a module the names keep the order of the single module
(early aliases, the models, then late aliases), which already defines
every base class and every name a late alias evaluates before its use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator import ir
from generator.builder.names import snake
from generator.render.pyprint import from_import

#: From this many names (models and aliases) on, ``models`` is a package.
#: onFact (181 names) splits: its first call (import, construct, one GET
#: decoded) takes 57 ms instead of 156 ms with one 234 KB module; the
#: constructs golden (67 names) keeps one module, a record of that layout.
SPLIT_AT = 100

#: The package, beside ``models``, that holds the modules of a split.
HOME = "_models"

#: Longest module stem: file names stay far below any file system's limit.
_MAX_STEM = 60


@dataclass(frozen=True)
class ModelModule:
    """One module of the ``models`` package."""

    stem: str  # file name without ``.py``: ``_pull_request``
    aliases: tuple[ir.AliasDef, ...]  # early ones first, late ones after models
    models: tuple[ir.ModelDef, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.aliases) + tuple(m.name for m in self.models)


@dataclass(frozen=True)
class ModelSplit:
    """The modules of a split ``models`` package, in a deterministic order."""

    modules: tuple[ModelModule, ...]
    home: Mapping[str, str]  # every name → the stem of its module


def should_split(api: ir.ApiModel, at: int | None = None) -> bool:
    """Is ``api`` big enough that its models become a package?"""
    limit = SPLIT_AT if at is None else at
    return len(api.models) + len(api.aliases) >= limit


def references(api: ir.ApiModel) -> dict[str, list[str]]:
    """Each model or alias name → the generated names its printed code uses."""
    edges: dict[str, list[str]] = {}
    for a in api.aliases:
        edges[a.name] = _unique(r.name for r in ir.refs(a.type) if r.kind != "params")
    for m in api.models:
        used = [m.base] if m.base else []
        for f in m.response_fields:
            used.extend(r.name for r in ir.refs(f.type) if r.kind != "params")
        edges[m.name] = _unique(used)
    return edges


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def components(edges: Mapping[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of ``edges`` (Tarjan's, iterative, so
    a long chain of references cannot exhaust the stack); a component comes
    after every component it refers to."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            succ = [s for s in edges.get(node, ()) if s in edges]
            if i < len(succ):
                work.append((node, i + 1))
                nxt = succ[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:  # propagate to the caller
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                found.append(group)
    return found


def grouped(edges: Mapping[str, list[str]]) -> list[tuple[list[str], list[str]]]:
    """The names of each module: the strongly connected components of
    ``edges``, a component that only one module refers to merged into that
    module (an enum or inline object of one schema lives with it). Each
    module is (the component it started from, all its names).

    Imports still form a DAG: a merged component's importers are all in
    the module it joins, so an edge into a module always ends at the
    component the module started from; a cycle of modules would be a cycle
    of components.
    """
    comps = components(edges)[::-1]  # each after every component using it
    comp_of = {name: i for i, comp in enumerate(comps) for name in comp}
    users: list[set[int]] = [set() for _ in comps]
    for name, used in edges.items():
        for other in used:
            if other in comp_of and comp_of[other] != comp_of[name]:
                users[comp_of[other]].add(comp_of[name])
    module = list(range(len(comps)))  # component → the component it joined
    for i in range(len(comps)):
        homes = {module[u] for u in users[i]}
        if len(homes) == 1:
            module[i] = homes.pop()
    members: dict[int, list[str]] = {}
    for i, comp in enumerate(comps):
        members.setdefault(module[i], []).extend(comp)
    return [(comps[root], names) for root, names in members.items()]


def split_models(api: ir.ApiModel) -> ModelSplit:
    """The modules of ``api``'s models package (see :func:`grouped`), each
    named after the first name of the component it started from."""
    order = {a.name: i for i, a in enumerate(a for a in api.aliases if not a.late)}
    base = len(order)
    order.update({m.name: base + i for i, m in enumerate(api.models)})
    base = len(order)
    late = [a for a in api.aliases if a.late]
    order.update({a.name: base + i for i, a in enumerate(late)})
    aliases = {a.name: a for a in api.aliases}
    models = {m.name: m for m in api.models}
    groups = [
        (min(root, key=order.__getitem__), sorted(names, key=order.__getitem__))
        for root, names in grouped(references(api))
    ]
    groups.sort(key=lambda g: order[g[0]])
    taken: set[str] = set()
    modules: list[ModelModule] = []
    home: dict[str, str] = {}
    for first, group in groups:
        stem = module_stem(first, taken)
        taken.add(stem)
        members = [aliases[n] for n in group if n in aliases]
        modules.append(
            ModelModule(
                stem,
                tuple(a for a in members if not a.late)
                + tuple(a for a in members if a.late),
                tuple(models[n] for n in group if n in models),
            )
        )
        home.update(dict.fromkeys(group, stem))
    return ModelSplit(tuple(modules), home)


def module_stem(name: str, taken: set[str]) -> str:
    """A private module name for ``name``, unique in ``taken`` even on a
    case-insensitive file system: lower-case ASCII (``PullRequest`` →
    ``_pull_request``), a hash of the name when it has no ASCII, ``_2``...
    on a collision.

    >>> module_stem("PullRequest", {"_pull_request"})
    '_pull_request_2'
    """
    stem = "_" + snake(name, fallback="model").lower()
    if not stem.isascii():
        stem = "_model_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    stem = stem[:_MAX_STEM].rstrip("_") or "_model"
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}_{n}"
    return candidate


def import_lines(
    names: Iterable[str],
    home: Mapping[str, str],
    package: str,
    rename: Mapping[str, str],
) -> list[str]:
    """``from <package><stem> import Name [as _m_Name]`` for each of
    ``names``, sorted by module then name, at the top level; one too long
    for a line is written as black writes it, the name in parentheses."""
    lines = []
    for name in sorted(names, key=lambda n: (home[n], n)):
        spelled = rename.get(name, name)
        alias = "" if spelled == name else f" as {spelled}"
        lines.append(from_import(f"{package}{home[name]}", [f"{name}{alias}"]))
    return lines
