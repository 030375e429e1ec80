"""Configuration: ``clientgen.yaml`` or ``[tool.clientgen]`` in pyproject.toml.

A config holds one or more targets (``targets: [...]``), or the options of a
single target at its top level. Relative paths are relative to the config
file. Unknown keys are errors with the key's location.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.config_check import (
    client_name_problem,
    distribution_problem,
    identifier_problem,
    package_problem,
    version_problem,
)
from generator.diagnostics import Diagnostic, Diagnostics, SpecError, pointer_join
from generator.load.read import is_url, parse_text, read_text
from generator.settings import PAGING_KEYS, PAGING_SCHEMES, BuildOptions, BuildSettings

CONFIG_NAMES = ("clientgen.yaml", "clientgen.yml")

_TARGET_KEYS = {
    "spec",
    "output",
    "package",
    "distribution",
    "version",
    "client_name",
    "group_by",
    "normalize",
    "rename",
    "include",
    "exclude",
    "allow_remote_refs",
    "ref_root",
    "version_bump",
    "validate",
    "overlays",
    "cookbook",
    "pagination",
}
_NORMALIZE_KEYS = {"hoist_headers", "strip_path_prefix", "path_extension", "servers"}
_RENAME_KEYS = {"resources", "operations", "schemas", "properties"}
_FILTER_KEYS = {"tags", "paths"}
_BUMP_KEYS = {"breaking", "addition", "other"}


@dataclass
class Target:
    spec: str | None = None
    output: str | None = None
    package: str | None = None
    distribution: str | None = None
    version: str | None = None
    client_name: str | None = None
    allow_remote_refs: bool = False
    ref_root: str | None = None
    validate: bool | None = None  # False: no validation (None and True: validate)
    #: OpenAPI Overlay documents applied in order (paths relative to the config)
    overlays: list[str] = field(default_factory=list)
    #: Markdown recipes for the package README (a local path), or None
    cookbook: str | None = None
    version_bump: dict[str, str] = field(
        default_factory=lambda: {
            "breaking": "major",
            "addition": "minor",
            "other": "patch",
        }
    )
    settings: BuildSettings = field(default_factory=BuildSettings)


@dataclass
class Config:
    path: str | None
    targets: list[Target]


class _Reader:
    def __init__(self, path: str, diags: Diagnostics, text: str) -> None:
        self.path = path
        self.diags = diags
        self.text = text
        self.base = Path(path).parent

    def fail(self, message: str, pointer: str) -> None:
        line = None
        try:
            if self.path.endswith(".toml"):
                from generator.toml_locate import toml_line

                tokens = [
                    t.replace("~1", "/").replace("~0", "~")
                    for t in pointer.split("/")[1:]
                ]
                line = toml_line(self.text, ["tool", "clientgen"], tokens)
            else:
                from generator.load.locate import locate

                line = locate(self.text, pointer, is_json=False)
        except Exception:  # noqa: BLE001 - location is best effort
            line = None
        self.diags.add(
            Diagnostic("error", "config-invalid", message, pointer, self.path, line)
        )

    def mapping(self, value: Any, pointer: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail("expected a mapping", pointer)
            return {}
        for key in value:
            if key not in allowed:
                self.fail(
                    f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})",
                    pointer_join(pointer, key),
                )
        return value

    def strings(self, value: Any, pointer: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail("expected a list of strings", pointer)
            return []
        return list(value)

    def string_map(self, value: Any, pointer: str) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(v, str) for v in value.values()
        ):
            self.fail("expected a mapping of strings", pointer)
            return {}
        return {str(k): v for k, v in value.items()}

    def names(self, value: Any, pointer: str) -> dict[str, str]:
        """A rename map: every new name must be a usable Python name."""
        renames = self.string_map(value, pointer)
        for key, name in renames.items():
            problem = identifier_problem(name)
            if problem is not None:
                self.fail(f"invalid new name: {problem}", pointer_join(pointer, key))
        return renames

    def check_names(self, t: Target, pointer: str) -> None:
        """Names and version that would give a package that does not install
        or import (shadowing the standard library, an invalid version...)."""
        checks = (
            ("package", t.package, package_problem),
            ("client_name", t.client_name, client_name_problem),
            ("version", t.version, version_problem),
            ("distribution", t.distribution, distribution_problem),
        )
        for key, value, check in checks:
            problem = check(value) if value is not None else None
            if problem is not None:
                self.fail(problem, pointer_join(pointer, key))

    def paging(self, value: Any, pointer: str) -> dict[str, dict[str, str]]:
        """``pagination``: operation (operationId, ``resource.operationId`` or
        ``METHOD /path``) → its scheme and the names it uses."""
        out: dict[str, dict[str, str]] = {}
        if value is None:
            return out
        if not isinstance(value, dict):
            self.fail("expected a mapping", pointer)
            return out
        for op, raw in value.items():
            p = pointer_join(pointer, str(op))
            entry = self.string_map(self.mapping(raw, p, set(PAGING_KEYS)), p)
            if entry.get("scheme") not in PAGING_SCHEMES:
                choices = ", ".join(PAGING_SCHEMES)
                self.fail(
                    f"'scheme' must be one of {choices}", pointer_join(p, "scheme")
                )
                continue
            out[str(op)] = entry
        return out

    def path_value(self, value: Any, pointer: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail("expected a string", pointer)
            return None
        return value if is_url(value) else str(self.base / value)

    def local_path(self, value: Any, pointer: str) -> str | None:
        path = self.path_value(value, pointer)
        if path is not None and is_url(path):
            self.fail("expected a local path, not a URL", pointer)
            return None
        return path

    def flag(self, value: Any, default: bool, pointer: str) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail("expected true or false", pointer)
            return default
        return value

    def scalar(self, value: Any, pointer: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str | int | float):
            self.fail("expected a string", pointer)
            return None
        return str(value)

    def target(self, raw: Any, pointer: str) -> Target:
        data = self.mapping(raw, pointer, _TARGET_KEYS)
        t = Target()
        t.spec = self.path_value(data.get("spec"), pointer_join(pointer, "spec"))
        t.output = self.path_value(data.get("output"), pointer_join(pointer, "output"))
        t.package = self.scalar(data.get("package"), pointer_join(pointer, "package"))
        t.distribution = self.scalar(
            data.get("distribution"), pointer_join(pointer, "distribution")
        )
        t.version = self.scalar(data.get("version"), pointer_join(pointer, "version"))
        t.client_name = self.scalar(
            data.get("client_name"), pointer_join(pointer, "client_name")
        )
        t.allow_remote_refs = self.flag(
            data.get("allow_remote_refs"),
            False,
            pointer_join(pointer, "allow_remote_refs"),
        )
        t.ref_root = self.path_value(
            data.get("ref_root"), pointer_join(pointer, "ref_root")
        )
        t.validate = (
            None
            if data.get("validate") is None
            else self.flag(
                data.get("validate"), True, pointer_join(pointer, "validate")
            )
        )
        op = pointer_join(pointer, "overlays")
        t.overlays = [
            self.path_value(o, pointer_join(op, i)) or ""
            for i, o in enumerate(self.strings(data.get("overlays"), op))
        ]
        t.cookbook = self.local_path(
            data.get("cookbook"), pointer_join(pointer, "cookbook")
        )
        if "version_bump" in data:
            bump = self.mapping(
                data["version_bump"], pointer_join(pointer, "version_bump"), _BUMP_KEYS
            )
            for key, part in bump.items():
                if part not in ("major", "minor", "patch"):
                    self.fail(
                        "expected 'major', 'minor' or 'patch'",
                        pointer_join(pointer, "version_bump", key),
                    )
                t.version_bump[key] = str(part)
        opts = BuildOptions()
        group_by = data.get("group_by", "tag")
        if group_by not in ("tag", "path"):
            self.fail(
                "group_by must be 'tag' or 'path'", pointer_join(pointer, "group_by")
            )
        opts.group_by = str(group_by)
        norm = self.mapping(
            data.get("normalize", {}),
            pointer_join(pointer, "normalize"),
            _NORMALIZE_KEYS,
        )
        np = pointer_join(pointer, "normalize")
        opts.hoist_headers = tuple(
            self.strings(norm.get("hoist_headers"), pointer_join(np, "hoist_headers"))
        )
        opts.strip_path_prefix = tuple(
            self.strings(
                norm.get("strip_path_prefix"), pointer_join(np, "strip_path_prefix")
            )
        )
        opts.path_extension = self.scalar(
            norm.get("path_extension"), pointer_join(np, "path_extension")
        )
        servers: list[dict[str, Any]] = []
        for i, server in enumerate(norm.get("servers") or []):
            sp = pointer_join(np, "servers", i)
            s = self.mapping(server, sp, {"name", "url", "description"})
            if not isinstance(s.get("url"), str):
                self.fail("a server needs a 'url'", sp)
                continue
            servers.append(
                {
                    "url": s["url"],
                    "x-clientgen-name": s.get("name"),
                    "description": s.get("description"),
                }
            )
        rename = self.mapping(
            data.get("rename", {}), pointer_join(pointer, "rename"), _RENAME_KEYS
        )
        rp = pointer_join(pointer, "rename")
        opts.resource_renames = self.names(
            rename.get("resources"), pointer_join(rp, "resources")
        )
        opts.operation_renames = self.names(
            rename.get("operations"), pointer_join(rp, "operations")
        )
        opts.pagination = self.paging(
            data.get("pagination"), pointer_join(pointer, "pagination")
        )
        inc = self.mapping(
            data.get("include", {}), pointer_join(pointer, "include"), _FILTER_KEYS
        )
        exc = self.mapping(
            data.get("exclude", {}), pointer_join(pointer, "exclude"), _FILTER_KEYS
        )
        opts.include_tags = tuple(
            self.strings(inc.get("tags"), pointer_join(pointer, "include", "tags"))
        )
        opts.include_paths = tuple(
            self.strings(inc.get("paths"), pointer_join(pointer, "include", "paths"))
        )
        opts.exclude_tags = tuple(
            self.strings(exc.get("tags"), pointer_join(pointer, "exclude", "tags"))
        )
        opts.exclude_paths = tuple(
            self.strings(exc.get("paths"), pointer_join(pointer, "exclude", "paths"))
        )
        self.check_names(t, pointer)
        t.settings = BuildSettings(
            package=t.package,
            distribution=t.distribution,
            version=t.version,
            client_name=t.client_name,
            servers=servers,
            schema_renames=self.names(
                rename.get("schemas"), pointer_join(rp, "schemas")
            ),
            property_renames=self.names(
                rename.get("properties"), pointer_join(rp, "properties")
            ),
            options=opts,
        )
        return t


def read_config(path: str, diags: Diagnostics) -> Config:
    text = read_text(path, diags)
    if path.endswith(".toml"):
        try:
            data: Any = tomllib.loads(text).get("tool", {}).get("clientgen")
        except tomllib.TOMLDecodeError as exc:
            at = re.search(r"at line (\d+)", str(exc))
            diags.add(
                Diagnostic(
                    "error",
                    "config-invalid",
                    f"invalid TOML: {exc}",
                    "",
                    path,
                    int(at.group(1)) if at else None,
                )
            )
            raise SpecError(diags) from None
        if data is None:
            diags.add(
                Diagnostic(
                    "error", "config-invalid", "no [tool.clientgen] table", "", path
                )
            )
            raise SpecError(diags)
    else:
        data = parse_text(text, path, diags)
    reader = _Reader(path, diags, text)
    if not isinstance(data, dict):
        reader.fail("the configuration must be a mapping", "")
        raise SpecError(diags)
    if "targets" in data:
        top = reader.mapping(data, "", {"targets"})
        raw_targets = top.get("targets")
        if not isinstance(raw_targets, list) or not raw_targets:
            reader.fail("'targets' must be a non-empty list", "/targets")
            raise SpecError(diags)
        targets = [
            reader.target(t, pointer_join("/targets", i))
            for i, t in enumerate(raw_targets)
        ]
    else:
        targets = [reader.target(data, "")]
    if diags.has_errors:
        raise SpecError(diags)
    return Config(path, targets)


def find_config(folder: Path) -> str | None:
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return str(folder / name)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text("utf-8")
        except OSError:
            return None
        try:
            if "clientgen" in tomllib.loads(text).get("tool", {}):
                return str(pyproject)
        except tomllib.TOMLDecodeError:
            # let read_config report the syntax error with its line
            return str(pyproject) if "tool.clientgen" in text else None
    return None
