"""Build outputs inside a package folder (issue 16): ``pip install ./pkg``
leaves ``build/`` and ``pkg.egg-info``; check ignores them, generate keeps
them, and the package's ``.gitignore`` names them."""

from __future__ import annotations

import fnmatch
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.package import BUILD_OUTPUTS, TOOL_CACHES, gitignore, is_build_output
from generator.write import MANIFEST, diff, manifest_text, write_tree


def _package(version: str) -> dict[str, str]:
    files = {
        "pyproject.toml": "[project]\nname = 'pets'\n",
        "pets/__init__.py": "",
        "pets/resources/pets.py": f"x = {version}\n",
    }
    return {**files, MANIFEST: manifest_text(files, {}, "spec")}


FILES, NEW = _package("1"), _package("2")

name = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
top_outputs = st.one_of(
    st.sampled_from([g for g in BUILD_OUTPUTS if "*" not in g]),
    name.map(lambda n: n + ".egg-info"),
)
anywhere = st.tuples(
    st.sampled_from(["", "pets", "pets/resources"]), st.sampled_from(TOOL_CACHES)
).map(lambda t: f"{t[0]}/{t[1]}".lstrip("/"))


def _fill(folder: Path, relative: str) -> Path:
    target = folder / relative / "lib" / "leftover.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("built\n")
    return target


@settings(max_examples=25)
@given(st.lists(st.one_of(top_outputs, anywhere), min_size=1, max_size=4, unique=True))
def test_check_ignores_and_generate_keeps_build_outputs(outputs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_then_generate(Path(tmp) / "pets", outputs)


def _check_then_generate(out: Path, outputs: list[str]) -> None:
    assert write_tree(out, FILES)
    made = [_fill(out, o) for o in outputs]
    assert diff(out, FILES) == []  # `clientgen check` after `pip install ./pets`
    assert write_tree(out, NEW) == [
        f"differs: {MANIFEST}",
        "differs: pets/resources/pets.py",
    ]
    assert all(m.read_text() == "built\n" for m in made)  # generate kept them
    assert diff(out, NEW) == []


def test_a_folder_named_like_an_output_deeper_in_the_package_is_the_packages(
    tmp_path: Path,
) -> None:
    out = tmp_path / "pets"
    write_tree(out, FILES)
    _fill(out, "pets/build")
    _fill(out, "pets/dist")
    assert diff(out, FILES) == [
        "extra:   pets/build/lib/leftover.txt",
        "extra:   pets/dist/lib/leftover.txt",
    ]
    write_tree(out, NEW)
    assert not (out / "pets" / "build").exists()  # not a build output: replaced


@given(st.one_of(top_outputs, anywhere))
def test_the_gitignore_names_every_build_output(relative: str) -> None:
    assert is_build_output(relative)
    patterns = [
        line.rstrip("/") for line in gitignore().splitlines() if line.endswith("/")
    ]
    # a leading "/" anchors a pattern at the package's folder
    assert any(
        fnmatch.fnmatchcase("/" + relative, p)
        or fnmatch.fnmatchcase(relative.rsplit("/", 1)[-1], p)
        for p in patterns
    ), (relative, patterns)


@given(name)
def test_other_folders_are_not_build_outputs(folder: str) -> None:
    if folder not in BUILD_OUTPUTS and not folder.endswith(".egg-info"):
        assert not is_build_output(folder)
        assert not is_build_output(f"pets/{folder}")
