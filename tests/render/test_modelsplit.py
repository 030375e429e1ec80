"""Where each model lives in a split ``models`` package (issue 17): the
module graph is a DAG, cycles stay in one module, names are file-safe."""

from __future__ import annotations

import keyword

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ir
from generator.render.modelsplit import (
    components,
    grouped,
    module_stem,
    references,
    should_split,
    split_models,
)

NAMES = [f"N{i}" for i in range(12)]

graphs = st.dictionaries(
    st.sampled_from(NAMES),
    st.lists(st.sampled_from(NAMES), max_size=4, unique=True),
    min_size=1,
)


def _reach(edges: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        for nxt in edges.get(node, ()):
            if nxt in edges and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_components_are_the_strongly_connected_sets(
    edges: dict[str, list[str]],
) -> None:
    comps = components(edges)
    assert sorted(n for c in comps for n in c) == sorted(edges)
    where = {n: i for i, c in enumerate(comps) for n in c}
    for a in edges:
        for b in edges:
            together = where[a] == where[b]
            mutual = a == b or (b in _reach(edges, a) and a in _reach(edges, b))
            assert together == mutual, (a, b)
    # a component comes after every component it refers to
    for a, used in edges.items():
        for b in used:
            if b in where:
                assert where[b] <= where[a]


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_modules_form_a_dag_and_keep_cycles_together(
    edges: dict[str, list[str]],
) -> None:
    modules = [names for _, names in grouped(edges)]
    assert sorted(n for m in modules for n in m) == sorted(edges)
    home = {n: i for i, m in enumerate(modules) for n in m}
    module_edges: dict[str, list[str]] = {str(i): [] for i in range(len(modules))}
    for a, used in edges.items():
        for b in used:
            if b in home and home[b] != home[a]:
                module_edges[str(home[a])].append(str(home[b]))
    # no module reaches itself through another: imports cannot cycle
    for m in module_edges:
        assert m not in _reach(module_edges, m)
    for comp in components(edges):
        assert len({home[n] for n in comp}) == 1


def test_a_name_only_one_module_uses_lives_in_it() -> None:
    edges = {
        "Invoice": ["InvoiceStatus", "Line"],
        "Line": ["LineType"],
        "LineType": [],
        "InvoiceStatus": [],
        "Contact": ["Address"],
        "Address": [],
        "Company": ["Address"],
    }
    modules = sorted(sorted(m) for _, m in grouped(edges))
    assert modules == [
        ["Address"],
        ["Company"],
        ["Contact"],
        ["Invoice", "InvoiceStatus", "Line", "LineType"],
    ]


identifiers = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,80}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s)
) | st.text(
    st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=20
).filter(
    str.isidentifier
)


@settings(max_examples=300, deadline=None)
@given(st.lists(identifiers, unique=True, max_size=40))
def test_module_stems_are_unique_even_without_case(names: list[str]) -> None:
    taken: set[str] = set()
    for name in names:
        stem = module_stem(name, taken)
        assert stem.isidentifier() and stem.isascii() and stem.startswith("_")
        assert stem == stem.lower() and len(stem) <= 70
        assert stem != "__init__" and not keyword.iskeyword(stem)
        assert stem.casefold() not in {t.casefold() for t in taken}
        taken.add(stem)


def test_module_stems_read_like_the_schema() -> None:
    taken: set[str] = set()
    stems = []
    for name in ["PullRequest", "Pull_Request", "PULLRequest", "Заказ", "Заказы"]:
        stems.append(module_stem(name, taken))
        taken.add(stems[-1])
    assert stems[:3] == ["_pull_request", "_pull_request_2", "_pull_request_3"]
    assert stems[3] != stems[4] and stems[3].startswith("_model_")


def _model(name: str, *fields: ir.Type, base: str | None = None) -> ir.ModelDef:
    return ir.ModelDef(
        name,
        None,
        base,
        tuple(
            ir.FieldDef(f"f{i}", f"f{i}", t, ir.DEFAULT_NONE, None)
            for i, t in enumerate(fields)
        ),
        f"/components/schemas/{name}",
    )


def _api(models: list[ir.ModelDef], aliases: list[ir.AliasDef]) -> ir.ApiModel:
    return ir.ApiModel(
        package="p",
        distribution="p",
        version="1",
        client_name="P",
        async_client_name="AsyncP",
        title="P",
        api_phrase="P API",
        description=None,
        spec_name="p.json",
        servers=(),
        credentials=(),
        client_headers=(),
        schemes=(),
        security=(),
        resources=(),
        models=tuple(models),
        aliases=tuple(aliases),
        env_prefix="P",
    )


def test_the_graph_is_what_the_templates_print() -> None:
    write_only = ir.FieldDef("w", "w", ir.Ref("Hidden"), None, None, write_only=True)
    pet = _model(
        "Pet", ir.ListOf(ir.Ref("Tag")), ir.Ref("Kind", "alias"), base="Animal"
    )
    pet = ir.ModelDef(pet.name, None, pet.base, pet.fields + (write_only,), "")
    api = _api(
        [
            _model("Animal"),
            pet,
            _model("Tag", ir.Ref("Pet")),
            _model("Hidden"),
            _model("Zoo", ir.Tagged("kind", ("Pet", "Tag"), (("p", "Pet"),))),
            _model("Farm", ir.Ref("Pet")),
        ],
        [
            ir.AliasDef("Kind", ir.LiteralOf(("cat", "dog")), None),
            ir.AliasDef(
                "Any", ir.union(ir.Ref("Animal"), ir.Ref("Zoo")), None, late=True
            ),
        ],
    )
    edges = references(api)
    assert edges["Pet"] == ["Animal", "Tag", "Kind"]  # not Hidden: write-only
    assert edges["Zoo"] == ["Pet", "Tag"]
    assert edges["Any"] == ["Animal", "Zoo"]
    split = split_models(api)
    home = split.home
    assert home["Pet"] == home["Tag"]  # a cycle: one module
    assert home["Kind"] == home["Pet"]  # an enum only Pet uses lives with it
    assert home["Zoo"] == home["Any"]  # only Any uses Zoo
    assert len({home[n] for n in ("Pet", "Animal", "Hidden", "Farm", "Any")}) == 5
    (pets,) = [m for m in split.modules if "Pet" in m.names]
    assert [a.name for a in pets.aliases] == ["Kind"]
    assert [m.name for m in pets.models] == ["Pet", "Tag"]  # the single module's order
    (anys,) = [m for m in split.modules if "Any" in m.names]
    assert anys.stem == "_any" and [a.late for a in anys.aliases] == [True]
    assert not should_split(api) and should_split(api, at=8)
