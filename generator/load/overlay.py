"""OpenAPI Overlay 1.0: patch a description without editing it.

An overlay document lists ``actions``; each selects nodes of the
description with a JSONPath ``target`` and either removes them
(``remove: true``) or updates them (``update``):

* a selected object is deep-merged with the ``update`` object: nested
  objects merge key by key, nested arrays get the update's items appended,
  anything else is replaced;
* a selected array gets ``update`` appended (each item, if ``update`` is
  itself an array);
* a selected string, number, boolean or null cannot be updated (Overlay 1.0
  updates objects and arrays); target its parent object instead.

Actions apply in order, each to the result of the previous ones; overlays
apply in the order given. A target that selects nothing is a warning.
Problems are reported against the overlay file, with its line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Diagnostics, SpecError, pointer_join
from generator.load.jsonpath import (
    JsonPath,
    JsonPathError,
    Location,
    Node,
    compile_path,
)
from generator.load.read import looks_like_json, parse_text, read_text

_VERSION = re.compile(r"^1\.0\.\d+$")
_TOP_KEYS = {"overlay", "info", "extends", "actions"}
_INFO_KEYS = {"title", "version"}
_ACTION_KEYS = {"target", "description", "update", "remove"}


@dataclass(frozen=True)
class Action:
    path: JsonPath
    pointer: str  # of the action in the overlay document
    update: Any
    has_update: bool
    remove: bool


@dataclass(frozen=True)
class Overlay:
    source: str
    text: str
    title: str
    actions: tuple[Action, ...]


class _Report:
    """Diagnostics about one overlay file, with lines in that file."""

    def __init__(self, source: str, text: str, diags: Diagnostics) -> None:
        self.source = source
        self.text = text
        self.diags = diags
        self._locator: Any = None

    def line(self, pointer: str) -> int | None:
        try:
            if self._locator is None:
                from generator.load.locate import Locator

                self._locator = Locator(self.text, looks_like_json(self.text))
            line: int | None = self._locator.line(pointer)
            return line
        except Exception:  # noqa: BLE001 - a location is best effort
            return None

    def add(self, level: str, code: str, message: str, pointer: str) -> None:
        self.diags.add(
            Diagnostic(
                "error" if level == "error" else "warning",
                code,
                message,
                pointer,
                self.source,
                self.line(pointer),
            )
        )


def _unknown_keys(
    report: _Report, data: dict[str, Any], allowed: set[str], pointer: str
) -> None:
    for key in data:
        if key not in allowed and not str(key).startswith("x-"):
            report.add(
                "error",
                "overlay-invalid",
                f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))}, x-*)",
                pointer_join(pointer, key),
            )


def read_overlay(source: str, diags: Diagnostics) -> Overlay:
    """Read and check an overlay document; SpecError if it is not valid."""
    text = read_text(source, diags)
    data = parse_text(text, source, diags)
    report = _Report(source, text, diags)
    errors_before = sum(1 for d in diags if d.level == "error")
    if not isinstance(data, dict):
        report.add(
            "error", "overlay-invalid", "an overlay document must be an object", ""
        )
        raise SpecError(diags)
    _unknown_keys(report, data, _TOP_KEYS, "")
    _check_version(report, data.get("overlay"))
    title = _read_info(report, data.get("info"))
    if "extends" in data and not isinstance(data["extends"], str):
        report.add("error", "overlay-invalid", "'extends' must be a string", "/extends")
    actions = _read_actions(report, data.get("actions"))
    if sum(1 for d in diags if d.level == "error") > errors_before:
        raise SpecError(diags)
    return Overlay(source, text, title, actions)


def _check_version(report: _Report, version: Any) -> None:
    if version is None:
        report.add(
            "error", "overlay-invalid", "missing field 'overlay' (e.g. 1.0.0)", ""
        )
    elif not isinstance(version, str) or not _VERSION.match(version):
        report.add(
            "error",
            "overlay-invalid",
            f"overlay version {version!r} is not supported (1.0.x)",
            "/overlay",
        )


def _read_info(report: _Report, info: Any) -> str:
    """The overlay's title; errors for a missing or malformed ``info``."""
    if not isinstance(info, dict):
        report.add(
            "error",
            "overlay-invalid",
            "missing or invalid 'info' (an object with 'title' and 'version')",
            "/info" if info is not None else "",
        )
        return ""
    _unknown_keys(report, info, _INFO_KEYS, "/info")
    for key in ("title", "version"):
        if not isinstance(info.get(key), str):
            report.add(
                "error",
                "overlay-invalid",
                f"'info.{key}' must be a string",
                pointer_join("/info", key) if key in info else "/info",
            )
    return str(info.get("title", ""))


def _read_actions(report: _Report, raw_actions: Any) -> tuple[Action, ...]:
    if not isinstance(raw_actions, list) or not raw_actions:
        report.add(
            "error",
            "overlay-invalid",
            "'actions' must be a non-empty list",
            "/actions" if raw_actions is not None else "",
        )
        return ()
    actions = (
        _read_action(report, raw, pointer_join("/actions", i))
        for i, raw in enumerate(raw_actions)
    )
    return tuple(action for action in actions if action is not None)


def _read_action(report: _Report, raw: Any, pointer: str) -> Action | None:
    if not isinstance(raw, dict):
        report.add("error", "overlay-invalid", "an action must be an object", pointer)
        return None
    _unknown_keys(report, raw, _ACTION_KEYS, pointer)
    target = raw.get("target")
    target_ptr = pointer_join(pointer, "target")
    if not isinstance(target, str):
        report.add(
            "error",
            "overlay-invalid",
            "an action needs a 'target' (a JSONPath string)",
            target_ptr if "target" in raw else pointer,
        )
        return None
    try:
        path = compile_path(target)
    except JsonPathError as exc:
        report.add("error", "overlay-bad-jsonpath", str(exc), target_ptr)
        return None
    if "description" in raw and not isinstance(raw["description"], str):
        report.add(
            "error",
            "overlay-invalid",
            "'description' must be a string",
            pointer_join(pointer, "description"),
        )
    remove = raw.get("remove", False)
    if not isinstance(remove, bool):
        report.add(
            "error",
            "overlay-invalid",
            "'remove' must be true or false",
            pointer_join(pointer, "remove"),
        )
        return None
    if not remove and "update" not in raw:
        report.add(
            "warning",
            "overlay-no-op",
            "the action has neither 'update' nor 'remove: true'; it does nothing",
            pointer,
        )
    return Action(path, pointer, raw.get("update"), "update" in raw, remove)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """Deep-merge ``update`` into ``target`` in place (see module docs)."""
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            target[key] = copy.deepcopy(value)


def _parent(doc: Any, location: Location) -> Any:
    node = doc
    for token in location[:-1]:
        node = node[token]
    return node


def _remove(doc: Any, locations: list[Location]) -> None:
    # Resolve every parent first: removing one node must not shift the
    # position of another selected by the same action.
    dict_items: list[tuple[dict[str, Any], str]] = []
    list_items: dict[int, tuple[list[Any], set[int]]] = {}
    for location in locations:
        parent = _parent(doc, location)
        key = location[-1]
        if isinstance(parent, dict):
            dict_items.append((parent, str(key)))
        elif isinstance(parent, list) and isinstance(key, int):
            list_items.setdefault(id(parent), (parent, set()))[1].add(key)
    for mapping, name in dict_items:
        mapping.pop(name, None)
    for array, indices in list_items.values():
        for index in sorted(indices, reverse=True):
            del array[index]


def apply_overlay(doc: dict[str, Any], overlay: Overlay, diags: Diagnostics) -> None:
    """Apply ``overlay``'s actions to ``doc`` in place; SpecError on a bad action."""
    report = _Report(overlay.source, overlay.text, diags)
    results = [_apply_action(report, doc, action) for action in overlay.actions]
    if not all(results):
        raise SpecError(diags)


def _apply_action(report: _Report, doc: dict[str, Any], action: Action) -> bool:
    """Apply one action; False after reporting an error."""
    target_ptr = pointer_join(action.pointer, "target")
    try:
        nodes = action.path.select(doc)
    except JsonPathError as exc:
        report.add("error", "overlay-bad-jsonpath", str(exc), target_ptr)
        return False
    if not nodes:
        report.add(
            "warning",
            "overlay-no-match",
            f"target {action.path.expression!r} selects nothing in the description",
            target_ptr,
        )
        return True
    if action.remove:
        if any(location == () for location, _ in nodes):
            report.add(
                "error",
                "overlay-bad-target",
                "the whole document cannot be removed",
                target_ptr,
            )
            return False
        _remove(doc, [location for location, _ in nodes])
        return True
    if not action.has_update:
        return True
    return all(_update_node(report, action, node) for node in nodes)


def _update_node(report: _Report, action: Action, node: Node) -> bool:
    """Merge or append the action's update into one node; False on an error."""
    location, value = node
    update = action.update
    where = "#" + pointer_join("", *location)
    if isinstance(value, list):
        value.extend(copy.deepcopy(update if isinstance(update, list) else [update]))
        return True
    if not isinstance(value, dict):
        report.add(
            "error",
            "overlay-bad-target",
            f"target selects a {_kind(value)} ({where}); Overlay 1.0 updates "
            "objects and arrays only, so target the object that holds it",
            pointer_join(action.pointer, "target"),
        )
        return False
    if not isinstance(update, dict):
        report.add(
            "error",
            "overlay-bad-update",
            f"target selects an object ({where}); 'update' must be an "
            f"object, not {_kind(update)}",
            pointer_join(action.pointer, "update"),
        )
        return False
    merge(value, update)
    return True


def apply_overlays(
    doc: dict[str, Any], sources: tuple[str, ...] | list[str], diags: Diagnostics
) -> list[Overlay]:
    """Read every overlay, then apply them in order to ``doc`` (in place)."""
    overlays = [read_overlay(source, diags) for source in sources]
    for overlay in overlays:
        apply_overlay(doc, overlay, diags)
    return overlays
