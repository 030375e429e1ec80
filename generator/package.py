"""The package's name and folder, decided before the pipeline builds anything.

The default output folder is named after the package, and the package is
named after the configuration or the spec's title: so the name is decided
here, from the loaded document, before the model builder runs (which calls
:func:`package_name` too, so the two never disagree), and the run reads the
previous package in that folder once (:class:`generator.past.PreviousRun`).
"""

from __future__ import annotations

import fnmatch
import importlib.util
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.config import Target
from generator.taken_names import POPULAR_CLIENT_DISTRIBUTIONS


def package_name(configured: str | None, doc: Mapping[str, Any]) -> str:
    """The import name: ``configured`` if given, else one made from the
    spec's ``info.title`` (:func:`default_name`).

    >>> package_name("my-client", {})
    'my_client'
    """
    from generator.builder.names import snake  # the builder imports this module

    if configured:
        return str(snake(configured, fallback="api_client"))
    info = doc.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    return default_name(str(title or ""))


#: A title's words that say nothing about which API it is.
_FILLER = frozenset(
    {
        "a", "an", "the", "of", "for", "and", "api", "apis", "rest", "restful",
        "openapi", "swagger", "spec", "specs", "specification", "official",
        "description", "definition", "documentation", "docs", "service",
        "services", "http", "json", "web", "interface", "public", "sdk",
        "client", "version", "reference", "endpoints",
    }
)  # fmt: skip
#: Where a title's subtitle starts: "Api2Pdf - PDF Generation, Powered by ..."
_SUBTITLE = re.compile(r"\s[-\u2013\u2014|+]\s|[:(,\[]")
_MAX_WORDS = 3


def default_name(title: str) -> str:
    """A short, readable package name from an API's title, ending in
    ``_client``, that is no standard module and no installed module or
    distribution (installing the client must never replace the server).

    >>> default_name("GitHub's official OpenAPI spec + Octokit extension")
    'github_client'
    >>> default_name("Swagger Petstore")
    'petstore_client'
    """
    from generator.builder.names import ascii_fold

    head = _SUBTITLE.split(title, maxsplit=1)[0]
    tokens = re.split(r"[^0-9a-z]+", ascii_fold(head).lower().replace("'s ", " "))
    words = [t for t in tokens if t and t not in _FILLER and not _VERSION.match(t)]
    if words and words[0][0].isdigit():
        words = ["api", *words]
    stem = "_".join(words[:_MAX_WORDS])
    choices = (
        [f"{stem}_client", f"{stem}_api_client", f"{stem}_rest_client"]
        if stem
        else ["api_client"]
    )
    choices += [f"{choices[0]}{n}" for n in range(2, 100)]
    return next((c for c in choices if not is_taken(c)), choices[0])


_VERSION = re.compile(r"^v?\d+(\.\d+)*$")


def is_taken(name: str) -> bool:
    """Is ``name`` a standard module, a popular distribution
    (:data:`~generator.taken_names.POPULAR_CLIENT_DISTRIBUTIONS`), or a
    module or distribution installed where clientgen runs, other than a
    package clientgen generated?"""
    if name in sys.stdlib_module_names or name in sys.builtin_module_names:
        return True
    if name in POPULAR_CLIENT_DISTRIBUTIONS:
        return True
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and not _generated(spec.origin):
        return True
    from importlib import metadata  # 30 ms: kept off an unchanged check's path

    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    files = dist.files or []
    found = [str(dist.locate_file(f)) for f in files if f.name == "__init__.py"]
    return not any(_generated(f) for f in found) or not found


def _generated(origin: str | None) -> bool:
    """Does the module at ``origin`` come from a package clientgen wrote?"""
    if not origin:
        return False
    module = Path(origin)
    return (module.parent / "_runtime").is_dir() or (
        module.parent.parent / ".clientgen-manifest.json"
    ).is_file()


def output_folder(target: Target, doc: Mapping[str, Any] | None = None) -> Path | None:
    """Where ``target``'s package goes: its ``output``, else ``./<package>``.

    None when that needs the spec's title and ``doc`` (the loaded document)
    is not given yet.
    """
    if target.output:
        return Path(target.output)
    if doc is None and not target.settings.package:
        return None
    package = package_name(target.settings.package, doc or {})
    return Path.cwd() / package.replace("_", "-")


#: What building, installing or checking a package leaves in its folder:
#: never part of the package, so never stale, "extra" or deleted. Names of
#: folders at the package's top, then names of folders anywhere in it.
BUILD_OUTPUTS = ("build", "dist", "*.egg-info", ".eggs", ".tox", ".nox", ".venv")
TOOL_CACHES = ("__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache")


def is_build_output(relative: str) -> bool:
    """Is the folder at ``relative`` (a path inside a package folder, with
    ``/``) a build output or a tool cache?

    >>> [is_build_output(p) for p in ("build", "a.egg-info", "x/__pycache__", "x/build")]
    [True, True, True, False]
    """
    parts = relative.split("/")
    if parts[-1] in TOOL_CACHES:
        return True
    return len(parts) == 1 and any(
        fnmatch.fnmatchcase(parts[0], g) for g in BUILD_OUTPUTS
    )


def gitignore() -> str:
    """The package's ``.gitignore``: its build outputs and tool caches."""
    lines = [f"/{name}/" for name in BUILD_OUTPUTS] + [f"{n}/" for n in TOOL_CACHES]
    return "\n".join(
        [
            "# Written by clientgen: what building the package leaves",
            *lines,
            "*.py[cod]",
            "",
        ]
    )
