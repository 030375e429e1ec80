"""The package's name and folder, decided before the pipeline builds anything.

The default output folder is named after the package, and the package is
named after the configuration or the spec's title: so the name is decided
here, from the loaded document, before the model builder runs (which calls
:func:`package_name` too, so the two never disagree), and the run reads the
previous package in that folder once (:class:`generator.past.PreviousRun`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.config import Target


def package_name(configured: str | None, doc: Mapping[str, Any]) -> str:
    """The import name: ``configured`` if given, else the spec's ``info.title``.

    >>> package_name(None, {"info": {"title": "Pet Store API"}})
    'pet_store_api'
    >>> package_name("my-client", {})
    'my_client'
    """
    from generator.builder.names import snake  # the builder imports this module

    if configured:
        wanted = configured
    else:
        info = doc.get("info")
        title = info.get("title") if isinstance(info, dict) else None
        wanted = str(title or "API")
    return str(snake(wanted, fallback="api_client"))


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
