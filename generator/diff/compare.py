"""Two surfaces → the list of changes, each breaking or not.

The rules are described in :mod:`generator.diff`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from generator.diff.surface import canonical
from generator.diff.types import (
    Relation,
    atoms,
    only_values_added,
    relation,
    without_none,
)

_LABELS = {
    "call": "method",
    "iterator": "iterator method",
    "download": "download method",
}


V = TypeVar("V")


def _keyed(
    old: Mapping[str, V], new: Mapping[str, V]
) -> Iterator[tuple[str, V | None, V | None]]:
    """Each key of either side, sorted, with its old and new value (None: absent)."""
    for key in sorted(set(old) | set(new)):
        yield key, old.get(key), new.get(key)


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed
    subject: str  # e.g. "invoices.create: parameter 'limit'"
    message: str
    breaking: bool

    @property
    def category(self) -> str:
        """``breaking``, ``addition`` (a non-breaking addition) or ``other``."""
        if self.breaking:
            return "breaking"
        return "addition" if self.kind == "added" else "other"

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "message": self.message,
            "breaking": self.breaking,
            "category": self.category,
        }

    def render(self) -> str:
        return f"{self.subject}: {self.message}"


def _usage(old: str, new: str) -> str:
    return old if old == new else "both"


def _type_breaks(usage: str, old: str, new: str) -> bool:
    """Does ``old`` → ``new`` break callers? (``usage``: input, output or both)"""
    rel = relation(old, new)
    if rel is Relation.SAME:
        return False
    if usage in ("input", "both") and rel in (Relation.NARROWER, Relation.OTHER):
        return True
    if usage in ("output", "both"):
        if rel is Relation.OTHER:
            return True
        if rel is Relation.WIDER:
            return not (only_values_added(old, new) or atoms(new) == {"Any"})
    return False


def _type_message(old: str, new: str) -> str:
    rel = relation(old, new)
    how = {Relation.WIDER: " (wider)", Relation.NARROWER: " (narrower)"}.get(rel, "")
    return f"type changed from {old} to {new}{how}"


class _Comparer:
    def __init__(self, default_security: tuple[Any, Any]) -> None:
        self.changes: list[Change] = []
        self.default_security = default_security  # (old, new)

    def add(self, kind: str, subject: str, message: str, breaking: bool) -> None:
        self.changes.append(Change(kind, subject, message, breaking))

    def typed(self, subject: str, usage: str, old: str, new: str) -> None:
        if relation(old, new) is not Relation.SAME:
            self.add(
                "changed",
                subject,
                _type_message(old, new),
                _type_breaks(usage, old, new),
            )

    def optionality(
        self,
        subject: str,
        usage: str,
        old: dict[str, Any],
        new: dict[str, Any],
        what: str,
    ) -> None:
        """Required-ness and type of a field, parameter or body."""
        inp = usage in ("input", "both")
        out = usage in ("output", "both")
        o_type, n_type = old["type"], new["type"]
        if old["required"] and not new["required"]:
            msg = f"{what} is now optional"
            self.add("changed", subject, msg + (" (may be None)" if out else ""), out)
        elif new["required"] and not old["required"]:
            self.add("changed", subject, f"{what} is now required", inp)
        if old["required"] != new["required"]:
            o_type, n_type = without_none(o_type), without_none(n_type)
            if relation(o_type, n_type) is Relation.SAME:
                return
            o_type, n_type = old["type"], new["type"]
        self.typed(subject, usage, o_type, n_type)

    # -- operations --------------------------------------------------------------
    def operations(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        for key, o, n in _keyed(old, new):
            if n is None and o is not None:
                label = _LABELS.get(o["kind"], "method")
                self.add("removed", key, f"{label} removed ({o['http']})", True)
            elif o is None and n is not None:
                label = _LABELS.get(n["kind"], "method")
                self.add("added", key, f"new {label} ({n['http']})", False)
            elif o is not None and n is not None:
                self.operation(key, o, n)

    def operation(self, key: str, o: dict[str, Any], n: dict[str, Any]) -> None:
        if o["http"] != n["http"]:
            self.add("changed", key, f"now sends {n['http']} (was {o['http']})", False)
        if o.get("deprecated", False) != n.get("deprecated", False):
            msg = "deprecated" if n.get("deprecated") else "no longer deprecated"
            self.add("changed", key, msg, False)
        self.params(key, o["params"], n["params"])
        self.body(key, o.get("body"), n.get("body"))
        self.typed(f"{key}: return type", "output", o["returns"], n["returns"])
        self.errors(key, o.get("errors", {}), n.get("errors", {}))
        if "security" in o or "security" in n:
            # a method without its own security uses the default one
            self.security(
                f"{key}: security",
                o.get("security", self.default_security[0]),
                n.get("security", self.default_security[1]),
            )

    def params(self, key: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for name, o, n in _keyed(old, new):
            subject = f"{key}: parameter '{name}'"
            if n is None:
                self.add("removed", subject, "parameter removed", True)
            elif o is None:
                if n["required"]:
                    self.add(
                        "added", subject, f"new required parameter ({n['type']})", True
                    )
                else:
                    self.add(
                        "added", subject, f"new optional parameter ({n['type']})", False
                    )
            else:
                self.param(subject, name, o, n)

    def param(
        self, subject: str, name: str, o: dict[str, Any], n: dict[str, Any]
    ) -> None:
        o_pos, n_pos = o.get("position"), n.get("position")
        if o_pos != n_pos:
            if n_pos is None:
                msg = "now keyword-only (was positional)"
            elif o_pos is None:
                msg = f"now positional (argument {n_pos + 1})"
            else:
                msg = f"moved from argument {o_pos + 1} to {n_pos + 1}"
            self.add("changed", subject, msg, True)
        self.optionality(subject, "input", o, n, "parameter")
        o_wire, n_wire = o.get("wire", name), n.get("wire", name)
        if (o["in"], o_wire) != (n["in"], n_wire):
            self.add(
                "changed",
                subject,
                f"now sent as {n['in']} '{n_wire}' (was {o['in']} '{o_wire}')",
                False,
            )
        if o.get("deprecated", False) != n.get("deprecated", False):
            msg = "deprecated" if n.get("deprecated") else "no longer deprecated"
            self.add("changed", subject, msg, False)

    def body(
        self, key: str, o: dict[str, Any] | None, n: dict[str, Any] | None
    ) -> None:
        subject = f"{key}: request body"
        if o is None and n is None:
            return
        if n is None:
            self.add("removed", subject, "request body removed", True)
        elif o is None:
            how = "required" if n["required"] else "optional"
            self.add(
                "added", subject, f"new {how} request body ({n['type']})", n["required"]
            )
        else:
            self.optionality(subject, "input", o, n, "request body")
            if o["content_type"] != n["content_type"]:
                self.add(
                    "changed",
                    subject,
                    f"now sent as {n['content_type']} (was {o['content_type']})",
                    False,
                )

    def errors(self, key: str, old: dict[str, str], new: dict[str, str]) -> None:
        for status, o, n in _keyed(old, new):
            subject = f"{key}: error response {status}"
            if n is None:
                self.add("removed", subject, "no longer described", False)
            elif o is None:
                self.add("added", subject, f"now described ({n})", False)
            elif relation(o, n) is not Relation.SAME:
                self.add(
                    "changed", subject, f"body type changed from {o} to {n}", False
                )

    def security(self, subject: str, old: Any, new: Any) -> None:
        if old == new:
            return
        if isinstance(old, list) and isinstance(new, list):
            olds = [set(a) for a in old] or [set()]
            news = [set(a) for a in new] or [set()]
            # credentials that were enough before must still be enough
            breaking = any(not any(b <= a for b in news) for a in olds)
            self.add(
                "changed",
                subject,
                f"now {_alternatives(new)} (was {_alternatives(old)})",
                breaking,
            )
        else:
            self.add("changed", subject, f"changed from {old} to {new}", True)

    # -- models and enums ----------------------------------------------------------
    def models(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        for name, o, n in _keyed(old, new):
            subject = f"model {name}"
            if n is None:
                self.add("removed", subject, "model removed", True)
            elif o is None:
                self.add("added", subject, "new model", False)
            else:
                usage = _usage(o["usage"], n["usage"])
                o_base, n_base = (
                    o.get("base") or "BaseModel",
                    n.get("base") or "BaseModel",
                )
                if o_base != n_base:
                    msg = f"base class changed from {o_base} to {n_base}"
                    self.add("changed", subject, msg, False)
                self.fields(subject, usage, o["fields"], n["fields"])

    def fields(
        self, model: str, usage: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        inp = usage in ("input", "both")
        for name, o, n in _keyed(old, new):
            subject = f"{model}: field '{name}'"
            if n is None:
                self.add("removed", subject, "field removed", True)
            elif o is None:
                if n["required"] and inp and not n.get("read_only"):
                    self.add(
                        "added", subject, f"new required field ({n['type']})", True
                    )
                else:
                    how = "required" if n["required"] else "optional"
                    self.add("added", subject, f"new {how} field ({n['type']})", False)
            else:
                self.optionality(subject, usage, o, n, "field")
                o_wire, n_wire = o.get("wire", name), n.get("wire", name)
                if o_wire != n_wire:
                    msg = f"JSON key changed from '{o_wire}' to '{n_wire}'"
                    self.add("changed", subject, msg, False)

    def enums(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        for name, o, n in _keyed(old, new):
            subject = f"enum {name}"
            if n is None:
                self.add("removed", subject, "enum removed", True)
            elif o is None:
                self.add("added", subject, "new enum", False)
            else:
                usage = _usage(o["usage"], n["usage"])
                o_vals, n_vals = o.get("values"), n.get("values")
                if o_vals is None or n_vals is None:
                    o_type = o.get("type") or _literal(o_vals or [])
                    n_type = n.get("type") or _literal(n_vals or [])
                    self.typed(subject, usage, o_type, n_type)
                    continue
                gone = [v for v in o_vals if v not in n_vals]
                came = [v for v in n_vals if v not in o_vals]
                if gone:
                    msg = (
                        f"value{'s' if len(gone) > 1 else ''} removed: {_values(gone)}"
                    )
                    self.add("removed", subject, msg, usage in ("input", "both"))
                if came:
                    msg = f"new value{'s' if len(came) > 1 else ''}: {_values(came)}"
                    self.add("added", subject, msg, False)

    # -- client, auth, servers -------------------------------------------------------
    def client(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        labels = {
            "package": "package",
            "class": "client class",
            "async_class": "async client class",
        }
        for key, label in labels.items():
            if old.get(key) != new.get(key):
                self.add(
                    "changed",
                    label,
                    f"renamed from {old.get(key)} to {new.get(key)}",
                    True,
                )

    def auth(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        o_s, n_s = old["schemes"], new["schemes"]
        for key in sorted(set(o_s) | set(n_s)):
            subject = f"auth scheme '{key}'"
            if key not in n_s:
                self.add("removed", subject, "scheme removed", True)
            elif key not in o_s:
                self.add("added", subject, f"new scheme ({n_s[key]})", False)
            elif canonical(o_s[key]) != canonical(n_s[key]):
                self.add("changed", subject, f"now {n_s[key]} (was {o_s[key]})", False)
        o_c, n_c = set(old["credentials"]), set(new["credentials"])
        for cred in sorted(o_c - n_c):
            self.add(
                "removed",
                f"client argument '{cred}'",
                "credential argument removed",
                True,
            )
        for cred in sorted(n_c - o_c):
            self.add(
                "added", f"client argument '{cred}'", "new credential argument", False
            )
        self.security("default security", old["security"], new["security"])

    def servers(self, old: dict[str, str], new: dict[str, str]) -> None:
        for name in sorted(set(old) | set(new)):
            subject = f"server '{name}'"
            if name not in new:
                self.add("removed", subject, f"server removed ({old[name]})", True)
            elif name not in old:
                self.add("added", subject, f"new server ({new[name]})", False)
            elif old[name] != new[name]:
                self.add(
                    "changed",
                    subject,
                    f"URL changed from {old[name]} to {new[name]}",
                    False,
                )


def _literal(values: list[Any]) -> str:
    return f"Literal[{', '.join(repr(v) for v in values)}]"


def _values(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _alternatives(alts: Any) -> str:
    if not isinstance(alts, list) or not alts or alts == [[]]:
        return "no authentication" if alts in ([], [[]]) else str(alts)
    return " or ".join(" + ".join(a) if a else "anonymous" for a in alts)


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from surface ``old`` to surface ``new``, breaking first."""
    c = _Comparer((old["auth"]["security"], new["auth"]["security"]))
    c.client(old["client"], new["client"])
    c.operations(old["operations"], new["operations"])
    c.models(old["models"], new["models"])
    c.enums(old["enums"], new["enums"])
    c.auth(old["auth"], new["auth"])
    c.servers(old["servers"], new["servers"])
    # stable: breaking first, then additions, then the rest, each in found order
    order = {"breaking": 0, "addition": 1, "other": 2}
    return sorted(c.changes, key=lambda ch: order[ch.category])
