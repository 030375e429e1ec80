"""Correctness as properties (issue 12): random valid descriptions make working clients.

Hypothesis draws OpenAPI 3.0.3 and 3.1.0 descriptions from the schema model in
``tests/properties/specs.py`` (formats, odd enums, arrays, maps, awkward
property names, nullables, nested unions, discriminated unions, ``allOf``,
recursion, keyword operation names), each with many schemas and, for every
schema, a ``GET`` answering it and a ``POST`` taking it. For each description:
``generate`` exits 0 without a traceback, every module imports in a fresh
interpreter, ``mypy --strict`` passes, valid JSON instances decode (strict
responses) and encode back unchanged and reach the wire unchanged as request
bodies, and no field is typed ``Any`` unless its schema allows any value.

Constructs in ``specs.KNOWN_BROKEN`` are left out of the draw. A large run:
``make corpus-random N=1000 SEED=1``; more examples here:
``OPENAPI_PROPS_EXAMPLES=20 pytest tests/test_openapi_properties.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from openapi_schema_validator import OAS30Validator, OAS31Validator
from openapi_spec_validator import validate
from properties.instances import validates
from properties.jsonvalue import json_equal
from properties.model import Ref
from properties.run import cases, draw_cases, report, run_case
from properties.specs import FEATURES, KNOWN_BROKEN

EXAMPLES = int(os.environ.get("OPENAPI_PROPS_EXAMPLES", "4"))  # per version
SEED = 12


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_random_descriptions_make_working_clients(version: str, tmp_path: Path) -> None:
    failures = []
    for i, case in enumerate(draw_cases(EXAMPLES, SEED, version)):
        outcome = run_case(case, tmp_path / f"case{i}", tmp_path / "mypy")
        if not outcome.ok:
            failures.append(report(outcome, tmp_path / f"failure{i}.json"))
    assert not failures, "\n\n".join(failures)


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases(allowed=FEATURES))
def test_drawn_descriptions_and_instances_are_valid(case: Any) -> None:
    """The draw itself (every feature, broken or not): valid OpenAPI, valid instances.

    The instances are checked by an independent validator (the OpenAPI
    dialects of JSON Schema from openapi-schema-validator), so a bug in the
    instance builder cannot pass for a bug in the generator.
    """
    spec = case.spec
    validate(json.loads(json.dumps(spec)))
    dialect = OAS31Validator if spec["openapi"].startswith("3.1") else OAS30Validator
    comps = dict(case.description.components)
    for key, values in case.instances.items():
        root = {"$ref": "#/components/schemas/" + key, "components": spec["components"]}
        for value in values:
            assert validates(Ref(key), value, comps)
            dialect(root).validate(value)
            assert json_equal(json.loads(json.dumps(value)), value)


def test_known_broken_names_features() -> None:
    assert KNOWN_BROKEN <= FEATURES


def test_examples_in_the_docstrings() -> None:
    import doctest

    from properties import instances, jsonvalue, model, specs

    for module in (instances, jsonvalue, model, specs):
        assert doctest.testmod(module).failed == 0, module.__name__
