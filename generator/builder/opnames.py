"""Method names of operations: from the configuration, ``x-clientgen-name``,
the ``operationId``, or derived from the HTTP method and the path.

See https://spec.openapis.org/oas/v3.1.0#operation-object (operationId).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.builder.names import snake
from generator.settings import BuildOptions

EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")
_VERSION = re.compile(r"^v\d+(\.\d+)*$")

_COLLECTION = {
    "get": "list",
    "post": "create",
    "put": "update",
    "patch": "update",
    "delete": "delete",
    "head": "head",
}
_ITEM = {
    "get": "get",
    "post": "create",
    "put": "update",
    "patch": "update",
    "delete": "delete",
    "head": "exists",
}
_PREFIX = {
    "get": "get_",
    "put": "update_",
    "patch": "update_",
    "delete": "delete_",
    "post": "create_",
}


@dataclass
class RawOp:
    """One operation as found in the description, before it is built."""

    path: str
    wire_path: str
    method: str
    op: dict[str, Any]
    item: dict[str, Any]
    pointer: str
    group: str


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def segments(path: str) -> list[str]:
    return [s for s in EXTENSION.sub("", path).split("/") if s]


def _last_of_id(op_id: str) -> str:
    return re.split(r"[/.]", op_id.strip())[-1] or op_id


def explicit_name(options: BuildOptions, resource: str, r: RawOp) -> str | None:
    """The name the configuration, an extension or the operationId asks for."""
    override = options.operation_renames.get(
        f"{resource}.{r.op.get('operationId')}"
    ) or options.operation_renames.get(f"{r.method.upper()} {r.path}")
    if override:
        return override
    x_name = r.op.get("x-clientgen-name")
    if isinstance(x_name, str) and x_name:
        return str(snake(x_name))
    op_id = r.op.get("operationId")
    if not isinstance(op_id, str) or not op_id.strip():
        return None
    name = str(snake(_last_of_id(op_id), fallback="call"))
    for noun in (resource, singular(resource)):
        if name.startswith(noun + "_") and len(name) > len(noun) + 1:
            return name[len(noun) + 1 :]
        if name.endswith("_" + noun) and len(name) > len(noun) + 1:
            return name[: -len(noun) - 1]
    return name


def full_id_name(r: RawOp) -> str | None:
    """The whole operationId as a name (when the short one is taken)."""
    full = r.op.get("operationId")
    if not isinstance(full, str) or not full.strip():
        return None
    return str(snake(_last_of_id(full), fallback="call"))


def derived_name(
    resource: str,
    r: RawOp,
    lists: Callable[[RawOp], bool],
    header_stem: Callable[[RawOp], str | None],
) -> str:
    """A name from the method and the path: ``list``, ``get``, ``create_payment``..."""
    segs = segments(r.wire_path)
    rest = _after_resource(resource, r, segs)
    statics = [
        str(snake(s)) for s in rest if not s.startswith("{") and not _VERSION.match(s)
    ]
    ends_param = bool(rest) and rest[-1].startswith("{")
    m = r.method
    if m == "head" and not statics:
        stem = header_stem(r)
        if stem:
            return stem
    if not statics:
        return _bare_name(m, segs, rest, ends_param, lambda: lists(r))
    words = "_".join(statics)
    last_static = statics[-1]
    if m == "head":
        return words
    if ends_param:
        noun = "_".join(statics[:-1] + [singular(last_static)])
        return _PREFIX.get(m, m + "_") + noun
    if m == "get":
        return "list_" + words if last_static.endswith("s") else "get_" + words
    if m == "post":
        return "create_" + "_".join(statics[:-1] + [singular(last_static)])
    return {"put": "update_", "patch": "update_", "delete": "delete_"}.get(
        m, m + "_"
    ) + words


def _after_resource(resource: str, r: RawOp, segs: list[str]) -> list[str]:
    for i, seg in enumerate(segs):
        if str(snake(seg)) == resource or seg == r.group:
            return segs[i + 1 :]
    return segs[1:] if segs and str(snake(segs[0])) == resource else segs


def _bare_name(
    m: str,
    segs: list[str],
    rest: list[str],
    ends_param: bool,
    lists: Callable[[], bool],
) -> str:
    """The name of an operation on the resource itself (no further words)."""
    noun = next(
        (s for s in reversed(segs) if not s.startswith("{") and not _VERSION.match(s)),
        "",
    )
    if (
        m == "get"
        and not ends_param
        and noun
        and not noun.lower().endswith("s")
        and not lists()
    ):
        return "get"  # GET /user, /rate_limit: one thing, not a collection
    if not rest or not ends_param:
        return _COLLECTION.get(m, m)
    return _ITEM.get(m, m)


def header_stem(headers: dict[str, Any]) -> str | None:
    """The words all response headers of a HEAD operation share.

    ``X-NEXT-NUMBER`` and ``X-NEXT-NUMBER-FORMATTED`` → ``next_number``.
    """
    if not headers:
        return None
    split = [
        str(snake(h[2:] if h.lower().startswith("x-") else h)).split("_")
        for h in headers
    ]
    prefix = _common(split)
    if prefix:
        return "_".join(prefix)
    suffix = _common([list(reversed(s)) for s in split])
    return "_".join(reversed(suffix)) or None


def _common(lists: list[list[str]]) -> list[str]:
    out: list[str] = []
    for words in zip(*lists, strict=False):
        if len(set(words)) != 1:
            break
        out.append(words[0])
    return out
