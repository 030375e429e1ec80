"""A package's history: the recorded surface, its version and its changelog.

Every generated package holds :data:`RECORD` (the API surface, the package
version and the names given out, see :class:`generator.builder.names.NameBook`)
and ``CHANGELOG.md``. When ``generate`` replaces a package, the new surface
is compared with the recorded one and the version is bumped by the kind of
change (``version_bump`` in the configuration: breaking → major, addition →
minor, other → patch by default). The configured ``version`` is a floor: a
higher configured version wins. No change, no bump: regenerating from the
same description gives the same files. The previous record, changelog and
version come from :class:`generator.past.PreviousRun` (read once per run).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from generator.diff.compare import Change, compare
from generator.diff.surface import SURFACE_FORMAT
from generator.past import CHANGELOG, RECORD, PreviousRun

BUMP_PARTS = ("major", "minor", "patch")
DEFAULT_BUMP = {"breaking": "major", "addition": "minor", "other": "patch"}

_VERSION = re.compile(r"^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")
_HEAD = (
    "# Changelog\n\n"
    "Written by clientgen each time the package is regenerated from a changed\n"
    "API description; newest first.\n"
)


@dataclass(frozen=True)
class Evolution:
    version: str
    changes: tuple[Change, ...]
    files: dict[str, str]  # RECORD and CHANGELOG.md


def record_text(
    version: str, surface: dict[str, Any], names: tuple[tuple[str, str, str, str], ...]
) -> str:
    """The record: version, surface and names (scope → origin → name or names).

    Field and parameter names are not listed: the surface holds them.
    """
    table: dict[str, dict[str, list[str]]] = {}
    for scope, origin, _wanted, name in names:
        if scope.startswith(("fields:", "params:")):
            continue
        table.setdefault(scope, {}).setdefault(origin, []).append(name)
    doc = {
        "generator": "clientgen",
        "note": "the API surface of this package; clientgen compares it on regeneration",
        "version": version,
        "surface": surface,
        "names": {
            scope: {o: n[0] if len(n) == 1 else sorted(n) for o, n in entries.items()}
            for scope, entries in table.items()
        },
    }
    return _dump(doc, 3, "") + "\n"


def _dump(value: Any, depth: int, indent: str) -> str:
    """JSON with the first ``depth`` levels of objects one member a line."""
    if depth <= 0 or not isinstance(value, dict) or not value:
        return json.dumps(
            value, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
    inner = indent + " "
    members = [
        f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(value[k], depth - 1, inner)}"
        for k in sorted(value)
    ]
    return "{\n" + ",\n".join(members) + "\n" + indent + "}"


def parse_version(text: str) -> tuple[int, int, int]:
    m = _VERSION.match(text)
    if m is None:
        return (0, 0, 0)
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def bump(version: str, part: str) -> str:
    major, minor, patch = parse_version(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def level(changes: list[Change] | tuple[Change, ...]) -> str | None:
    """``breaking``, ``addition``, ``other`` or None for no change."""
    cats = {c.category for c in changes}
    for cat in ("breaking", "addition", "other"):
        if cat in cats:
            return cat
    return None


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def changelog_entry(
    version: str, changes: list[Change] | tuple[Change, ...], first: bool = False
) -> str:
    lines = [f"## {version}", ""]
    if first:
        lines += ["First generated version.", ""]
    elif not changes:
        lines += ["No changes to the API.", ""]
    groups = (
        ("breaking", "Breaking changes"),
        ("addition", "Additions"),
        ("other", "Other changes"),
    )
    for cat, title in groups:
        picked = [c for c in changes if c.category == cat]
        if picked:
            lines += [f"### {title}", ""]
            lines += [f"- `{c.subject}`: {_escape(c.message)}" for c in picked]
            lines.append("")
    return "\n".join(lines)


def evolve(
    past: PreviousRun,
    surface: dict[str, Any],
    names: tuple[tuple[str, str, str, str], ...],
    floor: str | None,
    rules: dict[str, str] | None = None,
) -> Evolution:
    """The new version, the changes and the RECORD / CHANGELOG.md texts.

    ``past`` gives the previous record, changelog and version.
    """
    rules = {**DEFAULT_BUMP, **(rules or {})}
    floor = floor or "0.1.0"
    previous = past.record
    old_log = past.changelog
    changes: tuple[Change, ...] = ()
    comparable = previous is not None and previous.surface.get(
        "format"
    ) == SURFACE_FORMAT == surface.get("format")
    if previous is None:
        base = past.package_version
        version = (
            floor
            if base is None or parse_version(floor) >= parse_version(base)
            else base
        )
        entry = changelog_entry(version, (), first=True) if old_log is None else None
    else:
        version = previous.version
        if comparable:
            changes = tuple(compare(previous.surface, surface))
        kind = level(changes)
        if kind is not None:
            version = bump(previous.version, rules.get(kind, "patch"))
        if parse_version(floor) > parse_version(version):
            version = floor
        entry = (
            changelog_entry(version, changes) if version != previous.version else None
        )
    if entry is None and old_log is not None:
        log = old_log
    else:
        rest = (
            old_log[len(_HEAD) :].lstrip("\n")
            if old_log and old_log.startswith(_HEAD)
            else (old_log or "")
        )
        log = _HEAD + "\n" + (entry or "") + ("\n" + rest if rest else "")
        log = log.rstrip("\n") + "\n"
    return Evolution(
        version,
        changes,
        {RECORD: record_text(version, surface, names), CHANGELOG: log},
    )
