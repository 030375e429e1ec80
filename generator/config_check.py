"""Configuration values that would give a broken package, told apart early.

Each check answers the problem with a value (one sentence), or None when the
value is fine; :mod:`generator.config` turns a problem into a located
``config-invalid`` error. The checks see a name as the builder will use it
(``my-client`` becomes the package ``my_client``), so what passes here
imports.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
import sys

#: What every generated package imports: a package of that name shadows it.
DEPENDENCIES = frozenset(
    {
        "httpx",
        "httpcore",
        "h11",
        "anyio",
        "sniffio",
        "idna",
        "certifi",
        "pydantic",
        "pydantic_core",
        "typing_extensions",
        "annotated_types",
        "typing_inspection",
    }
)

#: A version as PEP 440 allows it to be spelled (any case; ``v`` prefix,
#: separators and implicit numbers included), e.g. ``1!2.0.0rc1.post2.dev3+ab.1``.
_PEP440 = re.compile(
    r"""
    v?
    (?:[0-9]+!)?                                    # epoch
    [0-9]+(?:\.[0-9]+)*                             # release
    (?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?
    (?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?   # post-release
    (?:[-_.]?dev[-_.]?[0-9]*)?                      # development release
    (?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?             # local version
    """,
    re.VERBOSE | re.IGNORECASE,
)
#: A distribution name (PEP 508): letters, digits and ``-_.`` inside.
_DISTRIBUTION = re.compile(r"[A-Z0-9](?:[A-Z0-9._-]*[A-Z0-9])?", re.IGNORECASE)

#: Module-level names of the generated ``_client.py`` besides the client.
_CLIENT_MODULE_NAMES = frozenset({"API", "ServerName", "BaseModel", "Field"})


def identifier_problem(name: str) -> str | None:
    """Why ``name`` cannot be a Python attribute or class name, if it cannot.

    >>> identifier_problem("list_all"), identifier_problem("__init__")
    (None, "'__init__' is a dunder name (reserved by Python)")
    >>> identifier_problem("a.b")
    "'a.b' is not a Python identifier"
    """
    if not name.isidentifier() or not name.isascii():
        return f"{name!r} is not a Python identifier"
    if keyword.iskeyword(name):
        return f"{name!r} is a Python keyword"
    if name.startswith("__"):
        return f"{name!r} is a dunder name (reserved by Python)"
    return None


def package_problem(configured: str) -> str | None:
    """Why the package named ``configured`` would not import as itself."""
    from generator.builder.names import snake

    name = str(snake(configured, fallback="api_client"))
    if name in sys.stdlib_module_names:
        return f"package {name!r} would shadow the standard library module {name!r}"
    if name in DEPENDENCIES:
        return f"package {name!r} would shadow {name!r}, which the client depends on"
    return None


def client_name_problem(configured: str) -> str | None:
    """Why ``configured`` cannot name the client class."""
    from generator.builder.names import pascal

    name = str(pascal(configured, fallback="Client"))
    taken = _CLIENT_MODULE_NAMES | _runtime_exports()
    for candidate in (name, "Async" + name):
        if candidate in taken:
            return (
                f"client name {candidate!r} is already a name of the generated "
                "package (its runtime or _client module)"
            )
    return None


def version_problem(version: str) -> str | None:
    """Why ``version`` is not a PEP 440 version.

    >>> version_problem("1.0.0-beta.2") is None, version_problem("latest")
    (True, "version 'latest' is not a PEP 440 version (e.g. 1.2.0)")
    """
    if _PEP440.fullmatch(version.strip()) is None:
        return f"version {version!r} is not a PEP 440 version (e.g. 1.2.0)"
    return None


def distribution_problem(name: str) -> str | None:
    """Why ``name`` is not a distribution name (PEP 508)."""
    if _DISTRIBUTION.fullmatch(name) is None:
        return (
            f"distribution {name!r} is not a valid name (PEP 508: letters, digits, "
            "and '-', '_' or '.' between them)"
        )
    return None


@functools.cache
def _runtime_exports() -> frozenset[str]:
    """The names the generated package re-exports from its runtime."""
    from generator.fingerprint import templates_dir

    path = templates_dir() / "runtime" / "__init__.py"
    tree = ast.parse(path.read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            return frozenset(str(v) for v in value)
    return frozenset()
