"""The escaping path: any string from a spec becomes a safe literal."""

from __future__ import annotations

import ast

import pytest

from generator.render.literals import py_doc, py_str, py_value, str_of

HOSTILE = [
    "plain",
    "quote ' and \" both",
    '"""triple"""',
    "'''triple single'''",
    "back\\slash\\",
    "new\nline\r\n",
    "\x00nul and \x1b escape",
    "line\u2028separator",
    "lone \ud800 surrogate",
    "'); import os; os.system('x') #",
    'ends with quote"',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_py_str_round_trips(text: str) -> None:
    literal = py_str(text)
    assert "\n" not in literal
    value = ast.literal_eval(literal)
    expected = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    assert value in (text, expected) or "\ufffd" in value


@pytest.mark.parametrize("text", HOSTILE)
def test_py_doc_is_one_string_literal(text: str) -> None:
    doc = py_doc(text, indent="    ")
    if doc is None:
        assert not text.strip()
        return
    tree = ast.parse(f"def f():\n    {doc}\n    return 1\n")
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert len(func.body) == 2  # the docstring and the return: nothing injected


@pytest.mark.parametrize(
    "value", [None, True, 0, -3, 2.5, "x'y", [1, "a"], {"k": [None]}, float("inf")]
)
def test_py_value(value: object) -> None:
    expr = py_value(value)
    result = eval(expr, {})  # noqa: S307 - evaluating our own literal in a test
    assert result == value


@pytest.mark.parametrize("text", [t for t in HOSTILE if "\ud800" not in t])
def test_str_of_inverts_py_str(text: str) -> None:
    # slicing the quotes off is wrong once repr escaped anything
    assert str_of(py_str(text)) == text
    assert str_of(py_str(text + "\u202e\\'")) == text + "\u202e\\'"


def test_str_of_rejects_other_literals() -> None:
    with pytest.raises(ValueError):
        str_of("1")
