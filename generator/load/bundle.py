"""Bundle a spec split over several files into one self-contained document.

After bundling every ``$ref`` is local (``#/...``). A schema that lives in
another file becomes a named schema of the root document (named after its
pointer's last segment, or the file's stem); any other referenced object
(path item, parameter, response, ...) is copied in place. Recursive schemas
across files work because a schema is registered before it is walked.

Files may only be read from inside ``ref_root``: the one configured, else
the repository that holds the spec (the nearest folder above it with a
``.git`` or ``.hg``), so that a project's ``reference/api.yaml`` may use its
``../models/Invoice.yaml``. Outside any repository a relative reference may
reach any file (the root is then the common ancestor of the references),
but an absolute path only one inside the spec's folder. Remote (http)
references are followed only when allowed, and a remote spec never reads a
local file.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostics, SpecError, escape_pointer_token
from generator.load.read import is_url, parse_text, read_text

_SCHEMA_CHILD = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "additionalItems",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
_SCHEMA_MAP = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"}
)
_SCHEMA_LIST = frozenset({"allOf", "oneOf", "anyOf", "prefixItems"})

_EXTERNAL_REF = re.compile(r"""["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"'#]""")


# Members of a schema that hold literal values, not schemas.
_LITERAL = frozenset({"example", "examples", "default", "enum", "const"})


def _member_kind(key: str, value: Any, in_schema: bool) -> str:
    """How to walk member ``key`` of an object (a schema if ``in_schema``):
    ``schema`` (its value is a schema, or holds schemas), ``map`` (a map of
    schemas), ``raw`` (kept as is) or ``plain`` (no schema).
    """
    if key == "schema":
        return "schema"
    if not in_schema or key in _LITERAL:
        return "plain"
    if key in _SCHEMA_MAP and isinstance(value, dict):
        return "map"
    # A malformed "properties" is left for validation to report.
    return "raw" if key == "properties" else "schema"


def has_external_refs(text: str) -> bool:
    """Cheap pre-check on the raw text, so single-file specs skip bundling."""
    return _EXTERNAL_REF.search(text) is not None


def resolve_pointer(doc: Any, fragment: str) -> Any:
    """The value at a JSON pointer fragment (without ``#``); KeyError if absent."""
    node = doc
    if not fragment:
        return node
    if not fragment.startswith("/"):
        raise KeyError(fragment)
    for raw in fragment[1:].split("/"):
        token = urllib.parse.unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node[token]
        elif isinstance(node, list):
            node = node[int(token)]
        else:
            raise KeyError(token)
    return node


#: Marks of a version-controlled work tree's top folder.
_REPOSITORY_MARKS = (".git", ".hg")


def repository_of(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` that is the top of a
    version-controlled work tree (holds ``.git`` or ``.hg``), else None."""
    for candidate in (folder, *folder.parents):
        if any(os.path.lexists(candidate / mark) for mark in _REPOSITORY_MARKS):
            return candidate
    return None


class Bundler:
    def __init__(
        self,
        root: dict[str, Any],
        location: str,
        diags: Diagnostics,
        *,
        allow_remote: bool = False,
        ref_root: str | None = None,
    ) -> None:
        self.root = root
        self.location = location
        self.diags = diags
        self.allow_remote = allow_remote
        self.ref_root: Path | None = None
        #: where absolute paths may point when no root is known
        self.home: Path | None = None
        if ref_root and not is_url(location):
            self.ref_root = Path(ref_root).resolve()
        elif not is_url(location):
            self.home = Path(location).parent.resolve()
            self.ref_root = repository_of(self.home)
        self.docs: dict[str, Any] = {location: root}
        self.imported: dict[tuple[str, str], str] = {}
        if "swagger" in root:
            self.section: tuple[str, ...] = ("definitions",)
        else:
            self.section = ("components", "schemas")
        self.inline_stack: list[tuple[str, str]] = []

    # -- entry point ------------------------------------------------------
    def bundle(self) -> dict[str, Any]:
        out: dict[str, Any] = self._walk(self.root, self.location, False, "")
        schemas = out
        for key in self.section:
            schemas = schemas.setdefault(key, {})
        for (_, _), ref in sorted(self.imported.items(), key=lambda kv: kv[1]):
            name = ref.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            schemas[name] = self._pending[name]
        return out

    _pending: dict[str, Any]

    # -- walking ------------------------------------------------------------
    def _walk(self, node: Any, loc: str, in_schema: bool, pointer: str) -> Any:
        if isinstance(node, list):
            return [
                self._walk(v, loc, in_schema, f"{pointer}/{i}")
                for i, v in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and (loc != self.location or not ref.startswith("#")):
            return self._follow(node, ref, loc, in_schema, pointer)
        at_root = loc == self.location and pointer in (
            "/components/schemas",
            "/definitions",
        )
        return {
            key: self._member(
                key,
                value,
                loc,
                "schema" if at_root else _member_kind(key, value, in_schema),
                f"{pointer}/{escape_pointer_token(key)}",
            )
            for key, value in node.items()
        }

    def _member(self, key: str, value: Any, loc: str, kind: str, child: str) -> Any:
        """Walk one member of an object; ``kind`` from :func:`_member_kind`."""
        if kind == "map":
            return {
                k: self._walk(v, loc, True, f"{child}/{escape_pointer_token(k)}")
                for k, v in value.items()
            }
        if kind == "raw":
            return value
        return self._walk(value, loc, kind == "schema", child)

    def _target(self, ref: str, loc: str, pointer: str) -> tuple[str, str]:
        file_part, _, fragment = ref.partition("#")
        if not file_part:
            return loc, fragment
        if is_url(loc):
            target = urllib.parse.urljoin(loc, file_part)
        elif is_url(file_part):
            target = file_part
        else:
            target = self._local_target(ref, loc, file_part, pointer)
        if is_url(target):
            if not self.allow_remote:
                self.diags.error(
                    "remote-ref",
                    f"remote reference {ref!r} is not followed without --allow-remote-refs",
                    pointer,
                )
                raise SpecError(self.diags)
        elif self._escapes(Path(target), file_part):
            self.diags.error(
                "ref-escapes",
                f"reference {ref!r} points outside {self.ref_root or self.home};"
                " pass --ref-root to allow it",
                pointer,
            )
            raise SpecError(self.diags)
        return target, fragment

    def _escapes(self, target: Path, file_part: str) -> bool:
        """Does a local reference reach past what it may read?"""
        if self.ref_root is not None:
            return not target.is_relative_to(self.ref_root)
        absolute = Path(urllib.parse.unquote(file_part)).is_absolute()
        return (
            absolute and self.home is not None and not target.is_relative_to(self.home)
        )

    def _local_target(self, ref: str, loc: str, file_part: str, pointer: str) -> str:
        """The absolute path of a file ``$ref``; a path no file can have
        (NUL, an invalid name) is a ``bad-ref`` error."""
        name = urllib.parse.unquote(file_part)
        try:
            if "\x00" in name:
                raise ValueError("a path cannot hold a NUL character")
            return str((Path(loc).parent / name).resolve())
        except (OSError, ValueError) as exc:
            self.diags.error(
                "bad-ref", f"reference {ref!r} is not a file path: {exc}", pointer
            )
            raise SpecError(self.diags) from None

    def _load(self, target: str, pointer: str) -> Any:
        if target not in self.docs:
            text = read_text(target, self.diags, pointer)
            self.docs[target] = parse_text(text, target, self.diags, pointer)
        return self.docs[target]

    def _lookup(self, ref: str, loc: str, pointer: str) -> tuple[str, str, Any]:
        target, fragment = self._target(ref, loc, pointer)
        doc = self._load(target, pointer)
        try:
            return target, fragment, resolve_pointer(doc, fragment)
        except (KeyError, IndexError, ValueError):
            self.diags.error("bad-ref", f"reference {ref!r} does not resolve", pointer)
            raise SpecError(self.diags) from None

    def _follow(
        self, node: dict[str, Any], ref: str, loc: str, in_schema: bool, pointer: str
    ) -> Any:
        target, fragment, value = self._lookup(ref, loc, pointer)
        if target == self.location:
            return {**node, "$ref": "#" + fragment}
        key = (target, fragment)
        if in_schema:
            if key not in self.imported:
                self._register(key, fragment, target)
                name = self.imported[key].rsplit("/", 1)[1]
                self._pending[name] = self._walk(value, target, True, pointer)
            return {
                **{k: v for k, v in node.items() if k != "$ref"},
                "$ref": self.imported[key],
            }
        if key in self.inline_stack:
            self.diags.error(
                "ref-cycle", f"reference {ref!r} refers to itself", pointer
            )
            raise SpecError(self.diags)
        self.inline_stack.append(key)
        try:
            return self._walk(value, target, False, pointer)
        finally:
            self.inline_stack.pop()

    def _register(self, key: tuple[str, str], fragment: str, target: str) -> None:
        if not hasattr(self, "_pending"):
            self._pending = {}
        name = (
            fragment.rsplit("/", 1)[-1]
            if fragment
            else Path(urllib.parse.urlparse(target).path).stem
        )
        name = name.replace("~1", "/").replace("~0", "~") or "Schema"
        existing = self._existing_schema_names()
        base, n = name, 2
        while name in existing or name in self._pending:
            name, n = f"{base}{n}", n + 1
        self._pending[name] = None
        self.imported[key] = (
            "#/" + "/".join(self.section) + "/" + escape_pointer_token(name)
        )

    def _existing_schema_names(self) -> set[str]:
        node: Any = self.root
        for k in self.section:
            node = node.get(k, {}) if isinstance(node, dict) else {}
        return set(node) if isinstance(node, dict) else set()


def bundle(
    root: dict[str, Any],
    location: str,
    text: str,
    diags: Diagnostics,
    *,
    allow_remote: bool = False,
    ref_root: str | None = None,
) -> dict[str, Any]:
    if not has_external_refs(text):
        return root
    bundler = Bundler(
        root, location, diags, allow_remote=allow_remote, ref_root=ref_root
    )
    bundler._pending = {}
    return bundler.bundle()
