"""Amplification inputs stop fast within bounded memory (issue 14, "Must show").

Each runs the generator in a child process and reads its peak memory
(``RUSAGE_CHILDREN``); the 10 s bound only tells "stopped" from "ran away".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import read

PROBE = """
import resource, subprocess, sys
try:
    code = subprocess.run(sys.argv[1:], capture_output=True, timeout=10).returncode
except subprocess.TimeoutExpired:
    code = "timeout"
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def laughs(leaf: str) -> str:
    """11 KB of YAML whose aliases expand ten levels of tenfold copies."""
    lines = [
        'openapi: 3.0.3\ninfo: {title: L, version: "1"}\npaths: {}',
        f"x-0: &a0 {leaf}",
    ]
    for i in range(1, 11):
        lines.append(f"x-{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def inputs(tmp_path: Path) -> dict[str, Path]:
    made = {
        "laughs.yaml": laughs("lol"),  # 10^10 nodes
        "descriptions.yaml": laughs('"' + "lorem ipsum " * 900 + '"'),  # 100 TB of text
    }
    files = {}
    for name, text in made.items():
        files[name] = tmp_path / name
        files[name].write_text(text, "utf-8")
    refs = {f"P{i}": {"$ref": f"big{i}.json"} for i in range(4)}
    for i in range(4):  # four files of 400,000 nodes: together over the budget
        (tmp_path / f"big{i}.json").write_text("[" + "0," * 400_000 + "0]")
    many = tmp_path / "many.json"
    many.write_text(
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "M", "version": "1"},
                "paths": {},
                "components": {"schemas": refs},
            }
        )
    )
    files["many.json"] = many
    return files


@pytest.mark.parametrize("name", ["laughs.yaml", "descriptions.yaml", "many.json"])
def test_amplification_stops_fast_in_bounded_memory(tmp_path: Path, name: str) -> None:
    spec = inputs(tmp_path)[name]
    cmd = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(spec),
        "-o",
        str(tmp_path / "o"),
    ]
    # the budget is per load, not per file: four files under it, together over
    env = {**os.environ, "CLIENTGEN_MAX_NODES": "1000000"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *cmd],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env if name == "many.json" else None,
    )
    code, peak_kb = done.stdout.split()
    assert code == "2"
    assert int(peak_kb) < 500 * 1024


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.text(max_size=5), inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, indent=st.sampled_from([None, 0, 2]))
def test_json_bounds_are_never_below_the_walked_counts(value: Any, indent: Any) -> None:
    """The budget charges a JSON document its bounds in place of a walk:
    they must never undercount what the walk would charge."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    nodes, chars = read._json_bounds(text)
    walked = read._weigh(json.loads(text), read.Budget())
    assert nodes >= walked[0] and chars >= walked[1]
