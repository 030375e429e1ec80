"""Method names of operations: from the configuration, ``x-clientgen-name``,
the ``operationId``, or derived from the HTTP method and the path.

See https://spec.openapis.org/oas/v3.1.0#operation-object (operationId).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.builder.names import pascal, snake
from generator.builder.names import words as split_words
from generator.settings import BuildOptions

EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")
_VERSION = re.compile(r"^v\d+([a-z]+\d*)?(\.\d+)*$")  # v1, v2.1, v1beta1

_COLLECTION = {
    "get": "list",
    "post": "create",
    "put": "update",
    "patch": "update",
    "delete": "delete_all",  # a plain ``delete`` never deletes a collection
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


#: Verbs that say no more than the HTTP method: a name made of one of them
#: alone is replaced by the name the method and the path give.
_GENERIC_VERBS = frozenset(
    {"get", "read", "list", "delete", "update", "put", "patch", "create", "post"}
)
#: The verbs each HTTP method's own meaning allows.
_METHOD_VERBS = {
    "get": frozenset({"get", "read", "list"}),
    "delete": frozenset({"delete", "remove"}),
    "put": frozenset({"update", "put"}),
    "patch": frozenset({"update", "patch"}),
    "post": frozenset({"create", "post"}),
}
#: Verbs of an operationId that reads: on a POST to a path word
#: (``/flows/filter``, ``/users/search``) that word names the operation.
_READ_VERBS = frozenset({"read", "get", "list"})
#: Item names a collection operation must not take (and the reverse).
ITEM_NAMES = frozenset({"get", "update", "delete", "patch", "replace"})
COLLECTION_NAMES = frozenset({"list", "create", "delete_all"})


def _last_of_id(op_id: str) -> str:
    return re.split(r"[/.]", op_id.strip())[-1] or op_id


def fastapi_function(op_id: str, path: str, method: str) -> str | None:
    """The function name in a FastAPI operationId, else None.

    FastAPI makes ``<function>_<path words>_<method>``
    (``read_flow_flows__id__get`` for ``GET /flows/{id}``): the id is
    recognised when its last words are exactly the path's words and the
    method, after at least one word of its own.
    """
    id_words = [w.lower() for w in split_words(op_id)]
    tail = [w.lower() for w in split_words(path)] + [method.lower()]
    if len(id_words) > len(tail) and id_words[-len(tail) :] == tail:
        return "_".join(id_words[: -len(tail)])
    return None


def _id_name(r: RawOp) -> str | None:
    """The operationId as a name, FastAPI's path and method suffix removed."""
    op_id = r.op.get("operationId")
    if not isinstance(op_id, str) or not op_id.strip():
        return None
    last = _last_of_id(op_id)
    return str(snake(fastapi_function(last, r.path, r.method) or last, fallback="call"))


def is_item(r: RawOp) -> bool:
    """Does the operation act on one element (its path ends with a parameter)?"""
    segs = segments(r.wire_path)
    return bool(segs) and segs[-1].startswith("{")


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
    name = _id_name(r)
    if name is None:
        return None
    for noun in (resource, singular(resource)):
        if name.startswith(noun + "_") and len(name) > len(noun) + 1:
            return name[len(noun) + 1 :]
        if name.endswith("_" + noun) and len(name) > len(noun) + 1:
            return name[: -len(noun) - 1]
    return name


def bare_verb(name: str, r: RawOp) -> bool:
    """Is ``name`` one verb that says no more than the HTTP method, or one
    that would make a collection's DELETE look like an item's (``remove``)?"""
    return name in _GENERIC_VERBS or (
        name in _METHOD_VERBS.get(r.method, frozenset()) and not is_item(r)
    )


def verb_name(
    resource: str,
    r: RawOp,
    verb: str,
    lists: Callable[[RawOp], bool],
    header_stem: Callable[[RawOp], str | None],
) -> str:
    """The name for an operationId that is only a verb (``deleteRecords``
    on ``records``): the method's and path's name when the verb means what
    the method does (so DELETE on a collection is ``delete_all``), else the
    verb followed by the path's words (``read_filter``)."""
    segs = segments(r.wire_path)
    rest = _after_resource(resource, r, segs)
    statics = [_word(s) for s in rest if not s.startswith("{")]
    names_resource = any(_names_resource(resource, r, s) for s in segs)
    if verb not in _METHOD_VERBS.get(r.method, frozenset()):
        if r.method == "post" and verb in _READ_VERBS and statics and names_resource:
            return "_".join(statics)  # read_flows on POST /flows/filter: filter
        return "_".join([verb, *statics]) if names_resource else verb
    if verb in (ITEM_NAMES if is_item(r) else COLLECTION_NAMES) or (
        verb == "list" and lists(r)
    ):
        return verb  # already the name of its kind
    if statics and names_resource:
        return derived_name(resource, r, lists, header_stem)  # delete_tags
    if is_item(r):
        return _ITEM.get(r.method, r.method)
    return _bare_name(r.method, segs, [], False, lambda: lists(r))


def full_id_name(r: RawOp) -> str | None:
    """The whole operationId as a name (when the short one is taken)."""
    return _id_name(r)


def alternatives(
    resource: str,
    r: RawOp,
    wanted: str,
    lists: Callable[[RawOp], bool],
    header_stem: Callable[[RawOp], str | None],
    *,
    contested: bool = False,
) -> list[str]:
    """Names for ``r``, best first, for when ``wanted`` is taken: each tells
    the operation apart by what it is (its whole id, its path, its method,
    its path parameters), never by a hash. A ``contested`` name (wanted by
    other operations too) goes to none whose path says more
    (``create`` on ``/{parent}/databases`` is ``create_database``)."""
    _, rest, statics = _path_words(resource, r)
    params = [str(snake(p)) for p in re.findall(r"{([^}]+)}", r.wire_path)]
    derived = derived_name(resource, r, lists, header_stem)
    refined = derived.startswith(wanted + "_")  # create → create_database
    out = [derived, wanted] if contested and refined else [wanted]
    full = full_id_name(r)
    if full:
        out.append(full)
    if refined:
        out.append(derived)
    if statics and not wanted.endswith((statics[-1], singular(statics[-1]))):
        out.append(f"{wanted}_{statics[-1]}")
    out.append(derived)
    if r.method == "patch":
        out.append("_".join(["patch", *statics]))
    if r.method == "put":
        out.append("_".join(["replace", *statics]))
    action = _summary_verb(r)
    if action and statics and is_item(r) and r.method in ("post", "put", "patch"):
        out.append(f"{action}_{singular(statics[-1])}")  # restore_checkpoint
    if params and is_item(r):
        out.append(f"{wanted}_by_{params[-1]}")
    if statics:
        out.append("_".join([r.method, *statics]))
    if params:
        out.append(f"{wanted}_by_{'_'.join(params)}")
        out.append("_".join([r.method, *statics, "by", *params]))
    out.append(f"{wanted}_{r.method}")
    if is_item(r):
        # never a name that says "all of them" for one item's operation
        # (``list`` for a GET of ``/records/{id}``), not even its whole
        # operationId; ``create`` stays (POST /contents/{path} makes one)
        return [n for n in dict.fromkeys(out) if n not in _ALL_OF_THEM]
    return list(dict.fromkeys(out))


#: Collection names that mean every item: never one item's operation.
_ALL_OF_THEM = frozenset({"list", "delete_all"})


#: Words a summary starts with that are no verb of its own.
_NOT_VERBS = frozenset(
    {"a", "an", "the", "new", "one", "all", "this", "my", "our", "your", "api"}
    | {"fetch", "retrieve", "obtain", "return"}  # reads: no word for a POST
)


def _summary_verb(r: RawOp) -> str | None:
    """The verb a ``summary`` starts with, in the imperative ("Restore a
    file to a particular checkpointed state"), unless it only repeats the
    method: what tells a POST on one element apart from a create."""
    summary = r.op.get("summary")
    if not isinstance(summary, str):
        return None
    first = summary.strip().split(" ", 1)[0]
    if not (first.isascii() and first.isalpha() and first[:1].isupper()):
        return None
    verb = first.lower()
    if verb in _NOT_VERBS or verb in _GENERIC_VERBS or verb.endswith("s"):
        return None  # "Creates ...", "Returns ...": not the imperative
    return verb


def rename_key(resource: str, r: RawOp) -> str:
    """The ``rename.operations`` key that names ``r`` in the configuration."""
    op_id = r.op.get("operationId")
    if isinstance(op_id, str) and op_id.strip():
        return f"{resource}.{op_id}"
    return f"{r.method.upper()} {r.path}"


def fastapi_body_names(doc: dict[str, Any]) -> dict[str, str]:
    """Class names for FastAPI's body schemas, by schema key.

    FastAPI names the body of a form or multi-argument operation
    ``Body_<operationId>``: ``Body_read_flows_flows_filter_post`` becomes
    ``ReadFlowsBody``, after the function of the operation.
    """
    out: dict[str, str] = {}
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(item, dict) or not isinstance(path, str):
            continue
        for method, op in item.items():
            op_id = op.get("operationId") if isinstance(op, dict) else None
            if not isinstance(op_id, str):
                continue
            function = fastapi_function(op_id, path, method)
            if function:
                out["Body_" + op_id] = (
                    str(pascal(function, fallback="Request")) + "Body"
                )
    return out


def derived_name(
    resource: str,
    r: RawOp,
    lists: Callable[[RawOp], bool],
    header_stem: Callable[[RawOp], str | None],
) -> str:
    """A name from the method and the path: ``list``, ``get``, ``create_payment``..."""
    segs, rest, statics = _path_words(resource, r)
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
    if m == "post" and _is_action(rest):
        return last_static  # POST /kernels/{id}/restart: restart
    if m == "post":
        return "create_" + "_".join(statics[:-1] + [singular(last_static)])
    return {"put": "update_", "patch": "update_", "delete": "delete_"}.get(
        m, m + "_"
    ) + words


def _is_action(rest: list[str]) -> bool:
    """Is the last of ``rest`` (path segments after the resource) an action
    on one element: a singular word right after a path parameter, as in
    ``/kernels/{id}/restart`` or ``/invoices/{id}/send``? (A plural one,
    ``/repos/{id}/forks``, names a collection the POST adds to.)"""
    if len(rest) < 2 or not rest[-2].startswith("{") or rest[-1].startswith("{"):
        return False
    last = _word(rest[-1])
    return singular(last) == last and not last.endswith("s")


def _path_words(resource: str, r: RawOp) -> tuple[list[str], list[str], list[str]]:
    """The path's segments, those after the resource, and the words among
    the latter (no parameters, no versions) a name is made of."""
    segs = segments(r.wire_path)
    rest = _after_resource(resource, r, segs)
    statics = [
        _word(s) for s in rest if not s.startswith("{") and not _VERSION.match(s)
    ]
    return segs, rest, statics


def _word(segment: str) -> str:
    """A path segment as a part of a name: ``as`` stays ``as`` (the whole
    name is made safe once it is claimed), never ``as_`` inside ``get_as_``."""
    return str(snake(segment)).rstrip("_") or "value"


def _names_resource(resource: str, r: RawOp, seg: str) -> bool:
    return str(snake(seg)) == resource or seg == r.group


def _after_resource(resource: str, r: RawOp, segs: list[str]) -> list[str]:
    for i, seg in enumerate(segs):
        if _names_resource(resource, r, seg):
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
    if m == "delete" and not ends_param and noun and not noun.lower().endswith("s"):
        return "delete"  # DELETE /session: one thing, not a collection
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
