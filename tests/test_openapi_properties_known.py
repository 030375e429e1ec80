"""The smallest description of each construct in ``specs.KNOWN_BROKEN``.

Each runs through the same steps as the property test (generate, import,
round trips, no stray ``Any``, mypy --strict). While its feature is in
``KNOWN_BROKEN`` the test asserts that it still fails, at the step named in
:data:`BROKEN_AT`; once the generator is fixed the test fails and says so,
and the feature must leave the set, which puts it back into the random draw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from properties.model import (
    Array,
    Description,
    Enum,
    Node,
    Null,
    Obj,
    Operation,
    Prim,
    Prop,
    Ref,
    Union,
)
from properties.run import Case, run_case
from properties.specs import KNOWN_BROKEN

STRING_OR_INT = Union("oneOf", (Prim("string"), Prim("integer")))
STRING_OR_BOOL = Union("oneOf", (Prim("string"), Prim("boolean")))


def _case(
    version: str,
    props: tuple[Prop, ...],
    instances: list[Any],
    get_id: str = "get0",
    others: tuple[tuple[str, Node, list[Any]], ...] = (),
) -> Case:
    """``Thing`` (an object of ``props``) and ``others``, each with a GET and a POST."""
    components = (("Thing", Obj(props)), *((key, n) for key, n, _ in others))
    ops = []
    for i, (key, _) in enumerate(components):
        ops.append(
            Operation("get", f"/data/s{i}", get_id if i == 0 else f"get{i}", key)
        )
        ops.append(Operation("post", f"/data/s{i}", f"send{i}", key))
    found = {"Thing": instances} | {key: values for key, _, values in others}
    return Case(Description(version, components, tuple(ops)), found)


def _union_of_arrays(name: str) -> Prop:
    members = (Array(STRING_OR_INT), Array(STRING_OR_BOOL))
    return Prop(name, Union("oneOf", members), False)


REPRODUCTIONS = {
    # v: list[str | int] | bool] | None: a SyntaxError on import, exit 0
    "union_of_array_unions": _case(
        "3.1.0", (_union_of_arrays("v"),), [{"v": [1, "a"]}, {"v": [True]}]
    ),
    # the same, on a line long enough for black: InvalidInput traceback
    "union_of_array_unions/black": _case(
        "3.1.0",
        (_union_of_arrays("a-rather-long-property-name-that-needs-an-alias"),),
        [{"a-rather-long-property-name-that-needs-an-alias": [2]}],
    ),
    # list[str | None] | list[int | None = None: "[" never closed
    "union_of_array_unions/nullable-items": _case(
        "3.0.3",
        (
            Prop(
                "v",
                Union(
                    "anyOf",
                    (
                        Array(Null(Prim("string"), "nullable")),
                        Array(Null(Prim("integer"), "nullable")),
                    ),
                ),
                False,
            ),
        ),
        [{"v": ["a", None]}, {"v": [None, 3]}],
    ),
    # when: anyOf [date-time, null] is typed Any (so is oneOf, and a $ref)
    "anyof_null": _case(
        "3.1.0",
        (
            Prop("when", Null(Prim("string", "date-time"), "anyof_null"), False),
            Prop("count", Null(Prim("integer"), "oneof_null"), False),
            Prop("other", Null(Ref("Other"), "anyof_null"), False),
        ),
        [{"when": "2024-01-02T03:04:05Z", "count": None, "other": {}}],
        others=(("Other", Obj((Prop("x", Prim("integer"), False),)), [{}]),),
    ),
    # operationId data_del on /data/...: "data_" is stripped, leaving `del`
    "keyword_operations": _case(
        "3.1.0", (Prop("name", Prim("string"), False),), [{"name": "x"}], "data_del"
    ),
    # "12.50" decodes to Decimal and is sent back as the number 12.5
    "decimal_string": _case(
        "3.0.3",
        (Prop("amount", Prim("string", "decimal"), False),),
        [{"amount": "12.50"}],
    ),
    # 0 decodes as False: pydantic's Literal[False] accepts 0 (and 0.0, -0.0)
    "enum_number_bool_unions": _case(
        "3.1.0",
        (Prop("v", Union("anyOf", (Enum((False, "off")), Prim("integer"))), False),),
        [{"v": 0}, {"v": False}],
    ),
    # a nullable component object: a required $ref to it is typed non-null
    "nullable_models": _case(
        "3.0.3",
        (Prop("other", Ref("Other"), True),),
        [{"other": None}, {"other": {"a": "x"}}],
        others=(
            (
                "Other",
                Null(Obj((Prop("a", Prim("string"), False),)), "nullable"),
                [None],
            ),
        ),
    ),
    # an undeclared "first_name" is read as the field of "first-name"
    "extra_keys_like_fields": _case(
        "3.1.0",
        (Prop("first-name", Prim("string"), False),),
        [{"first_name": "x"}, {"first-name": "a", "first_name": "b"}],
    ),
}


#: The step each reproduction fails at today (see ``run.Outcome.step``).
BROKEN_AT = {
    "union_of_array_unions": "import",
    "union_of_array_unions/black": "generate",
    "union_of_array_unions/nullable-items": "import",
    "anyof_null": "check",
    "keyword_operations": "generate",
    "decimal_string": "check",
    "extra_keys_like_fields": "check",
    "enum_number_bool_unions": "check",
    "nullable_models": "check",
}


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy")


@pytest.mark.parametrize("name", sorted(REPRODUCTIONS))
def test_smallest_description(name: str, tmp_path: Path, mypy_cache: Path) -> None:
    outcome = run_case(REPRODUCTIONS[name], tmp_path, mypy_cache)
    report = "\n".join(outcome.failures)
    if name.split("/")[0] not in KNOWN_BROKEN:
        assert outcome.ok, report
        return
    assert not outcome.ok, f"{name} works now: take it out of specs.KNOWN_BROKEN"
    assert outcome.step == BROKEN_AT[name], report


def test_every_known_broken_feature_has_a_reproduction() -> None:
    assert {name.split("/")[0] for name in REPRODUCTIONS} >= KNOWN_BROKEN
