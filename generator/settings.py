"""What a target asks of the model builder (kept light: the CLI imports it on every run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.builder.names import NameRecord


#: The values of a ``pagination`` entry's ``scheme`` ("none": no paging).
PAGING_SCHEMES = ("offset", "page", "cursor", "header", "link", "none")
#: The keys of a ``pagination`` entry (see generator.builder.pagination).
PAGING_KEYS = frozenset({"scheme", "items", "param", "limit", "next", "total"})


@dataclass
class BuildOptions:
    group_by: str = "tag"
    hoist_headers: tuple[str, ...] = ()
    strip_path_prefix: tuple[str, ...] = ()
    path_extension: str | None = None
    include_tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    include_paths: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    resource_renames: dict[str, str] = field(default_factory=dict)
    operation_renames: dict[str, str] = field(default_factory=dict)
    #: operation (operationId or "METHOD /path") → its paging scheme
    pagination: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class BuildSettings:
    package: str | None = None
    distribution: str | None = None
    version: str | None = None
    client_name: str | None = None
    spec_name: str = "spec"
    servers: list[dict[str, Any]] = field(default_factory=list)
    schema_renames: dict[str, str] = field(default_factory=dict)
    property_renames: dict[str, str] = field(default_factory=dict)
    options: BuildOptions = field(default_factory=BuildOptions)
    #: names of a previous build to keep (see generator.builder.names.NameBook)
    pins: tuple[NameRecord, ...] = ()
