"""Tests of JSON pointer → line lookups in JSON and YAML text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.load.locate import Locator, locate

REPO_ROOT = Path(__file__).resolve().parents[2]
GITHUB_SPEC = REPO_ROOT.parent / "shared" / "specs" / "github" / "api.github.com.json"

JSON_TEXT = """\
{
  "openapi": "3.0.3",
  "paths": {
    "/pets": {
      "get": {
        "responses": {
          "200": {
            "description": "ok"
          }
        }
      }
    },
    "a~b": 1,
    "caf\\u00e9 \\"quoted\\" \\\\ é": {
      "k": [
        10,
        {"x": "y"},
        [1,
         2]
      ]
    }
  },
  "list": [
    "first",
    {
      "name": "second"
    }
  ],
  "empty": {}, "none": null, "str": "s:{[\\"",
  "last": {"nested": {"deep": true}}
}
"""

YAML_TEXT = """\
# a comment
openapi: 3.0.3
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
        404:
          description: missing
  a~b: 1
  "café \\"quoted\\"":
    k:
      - 10
      - x: y
      - [1,
         2]
list:
  - first
  - name: second
empty: {}
base: &base
  a: from-base
  b: from-base
other: &other
  b: from-other
  c: from-other
merged:
  <<: [*base, *other]
  c: own
alias: *base
flow: {x: 1, y: [2, 3]}
"""

# (pointer, JSON line, YAML line); None where not found.
CASES = [
    ("", 1, 2),
    ("#", 1, 2),
    ("/openapi", 2, 2),
    ("/paths", 3, 3),
    ("/paths/~1pets", 4, 4),
    ("/paths/~1pets/get", 5, 5),
    ("/paths/~1pets/get/responses/200", 7, 7),
    ("/paths/~1pets/get/responses/200/description", 8, 8),
    ("#/paths/~1pets/get/responses/200", 7, 7),
    ("/paths/a~0b", 13, 11),
    ("/list/0", 24, 19),
    ("/list/1", 25, 20),
    ("/list/1/name", 26, 20),
    ("/empty", 29, 21),
    # missing last segment → the parent's line
    ("/paths/~1pets/get/responses/500", 6, 6),
    ("/paths/~1pets/post", 4, 4),
    ("/list/2", 23, 18),
    ("/list/-", 23, 18),
    ("/list/01", 23, 18),
    ("/list/x", 23, 18),
    ("/empty/x", 29, 21),
    ("/openapi/x", 2, 2),
    ("/nope", 1, 2),
    # missing deeper → None
    ("/nope/x", None, None),
    ("/paths/~1pets/post/responses", None, None),
    ("/list/5/name", None, None),
    ("/openapi/x/y", None, None),
    # malformed pointer
    ("paths", None, None),
]

JSON_ONLY = [
    ('/paths/café "quoted" \\ é', 14),
    ('/paths/café "quoted" \\ é/k', 15),
    ('/paths/café "quoted" \\ é/k/0', 16),
    ('/paths/café "quoted" \\ é/k/1', 17),
    ('/paths/café "quoted" \\ é/k/1/x', 17),
    ('/paths/café "quoted" \\ é/k/2', 18),
    ('/paths/café "quoted" \\ é/k/2/1', 19),
    ('/paths/café "quoted" \\ é/k/3', 15),
    ("/none", 29),
    ("/str", 29),
    ("/last/nested/deep", 30),
    ("/last/nested/deeper", 30),
]

YAML_ONLY = [
    ("/paths/~1pets/get/responses/404", 9),
    ('/paths/café "quoted"/k/1/x', 15),
    ('/paths/café "quoted"/k/2', 16),
    ('/paths/café "quoted"/k/2/1', 17),
    # merge keys: own keys win, then earlier merged maps
    ("/merged/a", 23),
    ("/merged/b", 24),
    ("/merged/c", 30),
    ("/merged/d", 28),
    # an alias resolves to its anchor
    ("/alias", 31),
    ("/alias/b", 24),
    ("/flow/y/1", 32),
]


def test_inline_documents_are_valid() -> None:
    json.loads(JSON_TEXT)
    loaded = yaml.safe_load(YAML_TEXT)
    assert loaded["merged"] == {"a": "from-base", "b": "from-base", "c": "own"}


@pytest.mark.parametrize(("pointer", "line", "_yaml_line"), CASES)
def test_json(pointer: str, line: int | None, _yaml_line: int | None) -> None:
    assert locate(JSON_TEXT, pointer, is_json=True) == line


@pytest.mark.parametrize(("pointer", "_json_line", "line"), CASES)
def test_yaml(pointer: str, _json_line: int | None, line: int | None) -> None:
    assert locate(YAML_TEXT, pointer, is_json=False) == line


@pytest.mark.parametrize(("pointer", "line"), JSON_ONLY)
def test_json_only(pointer: str, line: int) -> None:
    assert locate(JSON_TEXT, pointer, is_json=True) == line


@pytest.mark.parametrize(("pointer", "line"), YAML_ONLY)
def test_yaml_only(pointer: str, line: int) -> None:
    assert locate(YAML_TEXT, pointer, is_json=False) == line


def test_json_is_valid_yaml_too() -> None:
    locator = Locator(JSON_TEXT, is_json=False)
    for pointer, line, _ in CASES:
        assert locator.line(pointer) == line, pointer


def test_json_locator_resumes_scans() -> None:
    locator = Locator(JSON_TEXT, is_json=True)
    cases = [(p, line) for p, line, _ in CASES] + JSON_ONLY
    # Twice, in both orders: later lookups reuse partial scans and the cache.
    for pointer, line in cases + cases[::-1]:
        assert locator.line(pointer) == line, pointer


def test_locator_caches_compose(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real_compose = yaml.compose

    def counting_compose(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real_compose(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml, "compose", counting_compose)
    locator = Locator(YAML_TEXT, is_json=False)
    assert [locator.line(p) for p, _, _ in CASES] == [y for _, _, y in CASES]
    assert locator.line("/paths/~1pets") == 4
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("text", "is_json", "pointer", "line"),
    [
        ("", True, "", None),
        ("", False, "", None),
        ("   \n", True, "/a", None),
        ('{"a": ', True, "/a", None),
        ('{"a" 1}', True, "/a", None),
        ('{"a": [1, 2', True, "/a/5", None),
        ('{"b": [1, 2}', True, "/a", None),
        ("a: [1, 2", False, "/a", None),
        ("a: b: c", False, "/a", None),
        ('\ufeff{\n"a": 1}', True, "/a", 2),
        ("[\n1,\n2]", True, "/1", 3),
        ("- 1\n- 2\n", False, "/1", 2),
        ("7", True, "", 1),
        ("\n\n7", True, "", 3),
        ('{"a":\n  {"b": 1}}', True, "/a", 1),
        ("a:\n  b: 1\n", False, "/a", 1),
        ("a: &x {b: 1}\nc: *x\n", False, "/c/b", 1),
        ("a: &x\n  <<: *x\n", False, "/a/b", 1),
        ('{"a": 1, "a": {"b": 2}}', True, "/a", 1),
    ],
)
def test_edge_cases(text: str, is_json: bool, pointer: str, line: int | None) -> None:
    assert locate(text, pointer, is_json=is_json) == line


def test_deeply_nested_json() -> None:
    depth = 5000
    text = '{"skip": ' + "[" * depth + "]" * depth + ',\n"x": 1}'
    assert locate(text, "/x", is_json=True) == 2


@pytest.mark.skipif(
    not GITHUB_SPEC.is_file(),
    reason=f"GitHub spec not found at {GITHUB_SPEC} (../shared is absent)",
)
def test_github_spec() -> None:
    text = GITHUB_SPEC.read_text(encoding="utf-8")
    needle = '"/repos/{owner}/{repo}": {'
    expected = text.count("\n", 0, text.index(needle)) + 1
    path = "/paths/~1repos~1{owner}~1{repo}"
    assert locate(text, path, is_json=True) == expected
    assert locate(text, path + "/get", is_json=True) == expected + 1
    assert locate(text, path + "/get/operationId", is_json=True) is not None
    assert locate(text, path + "/get/no-such-key", is_json=True) == expected + 1
    assert locate(text, path + "/no/such", is_json=True) is None
    # The far end of the document: every sibling before it is skipped.
    last_key = list(json.loads(text))[-1]
    assert locate(text, f"/{last_key}", is_json=True) is not None
    # (how fast that is is measured by make bench, never asserted here)

    # Many lookups through one Locator agree with a naive search for each
    # path's key (path keys are unique strings at this indentation).
    paths = list(json.loads(text)["paths"])
    locator = Locator(text, is_json=True)
    sample = paths[::-10]
    for key in sample:
        pointer = "/paths/" + key.replace("~", "~0").replace("/", "~1")
        naive = text.count("\n", 0, text.index(f'\n    "{key}": {{')) + 2
        assert locator.line(pointer) == naive, pointer
