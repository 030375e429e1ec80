"""Paths and operations → resources with named, typed methods.

See https://spec.openapis.org/oas/v3.1.0#operation-object
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from generator import ir
from generator.builder.names import Namespace, pascal, snake
from generator.builder.opnames import (
    COLLECTION_NAMES,
    EXTENSION,
    ITEM_NAMES,
    RawOp,
    alternatives,
    bare_verb,
    derived_name,
    explicit_name,
    header_stem,
    is_item,
    rename_key,
    segments,
    verb_name,
)
from generator.builder.pagination import ITEMS, Context, pagination
from generator.builder.schemas import TypeBuilder
from generator.diagnostics import Diagnostics, pointer_join
from generator.settings import BuildOptions

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_DEFAULT_STYLE = {
    "query": ("form", True),
    "path": ("simple", False),
    "header": ("simple", False),
    "cookie": ("form", True),
}
_SKIPPED_HEADERS = frozenset({"accept", "content-type", "authorization"})

#: Attributes of the generated client a resource must not shadow.
CLIENT_RESERVED = frozenset(
    {
        "request",
        "download",
        "close",
        "with_options",
        "capture_responses",
        "iter_offset",
        "iter_page",
        "iter_cursor",
        "base_url",
        "timeout",
        "max_retries",
        "aclose",
    }
)

#: Names the generated ``_client`` module defines next to the resource classes.
CLIENT_MODULE_NAMES = frozenset({"API", "ServerName"})

_JSON_BODIES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
)
_RAW_BODY = ir.union(ir.Prim("bytes"), ir.Prim("io_bytes"))


def rewrite_path(path: str, options: BuildOptions) -> str:
    for prefix in options.strip_path_prefix:
        p = prefix.rstrip("/")
        if p and (path == p or path.startswith(p + "/")):
            path = path[len(p) :] or "/"
            break
    if (
        options.path_extension
        and not EXTENSION.search(path.rsplit("/", 1)[-1])
        and path != "/"
    ):
        path = path.rstrip("/") + options.path_extension
    return path


def _media_rank(ct: str, order: int) -> tuple[int, int]:
    c = ct.lower().split(";")[0].strip()
    if c == "application/json" or c.endswith("+json"):
        rank = 0
    elif c == "application/x-www-form-urlencoded":
        rank = 1
    elif c == "multipart/form-data":
        rank = 2
    elif c.startswith("text/") or c.endswith("/xml") or c.endswith("+xml"):
        rank = 4
    elif "json" in c or c == "*/*":
        rank = 1
    else:
        rank = 3
    return rank, order


def media(content: Any) -> tuple[str, Any] | None:
    """The content type a client prefers among ``content``, and its schema."""
    if not isinstance(content, dict) or not content:
        return None
    order = list(content)
    ct = min(content, key=lambda c: _media_rank(c, order.index(c)))
    entry = content[ct]
    return ct, entry.get("schema") if isinstance(entry, dict) else None


def _is_json(ct: str) -> bool:
    c = ct.lower().split(";")[0].strip()
    return c == "application/json" or c.endswith("+json") or "json" in c


class OperationBuilder:
    def __init__(
        self,
        doc: dict[str, Any],
        types: TypeBuilder,
        diags: Diagnostics,
        options: BuildOptions,
    ) -> None:
        self.doc = doc
        self.types = types
        self.diags = diags
        self.options = options
        self.hoisted = {h.lower() for h in options.hoist_headers}
        self.global_security = doc.get("security")

    # -- collecting -----------------------------------------------------------
    def _collect(self) -> list[RawOp]:
        paths = self.doc.get("paths")
        if not isinstance(paths, dict):
            return []
        out: list[RawOp] = []
        for path, item in paths.items():
            ipointer = pointer_join("/paths", path)
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("$ref"), str):
                item = self.types.deref_reported(item, ipointer, "path item")[0] or {}
            if not path.startswith("/"):
                self.diags.warn(
                    "bad-path",
                    f"path {path!r} does not start with '/'; a '/' was added",
                    ipointer,
                )
            wire = rewrite_path(
                path if path.startswith("/") else "/" + path, self.options
            )
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict) and self._included(wire, op):
                    out.append(
                        RawOp(
                            path,
                            wire,
                            method,
                            op,
                            item,
                            pointer_join(ipointer, method),
                            self._group(wire, op),
                        )
                    )
        return out

    def _included(self, path: str, op: dict[str, Any]) -> bool:
        raw_tags = op.get("tags")
        tags = (
            {t for t in raw_tags if isinstance(t, str)}
            if isinstance(raw_tags, list)
            else set()
        )
        o = self.options
        if o.include_tags and not tags & set(o.include_tags):
            return False
        if o.exclude_tags and tags & set(o.exclude_tags):
            return False
        if o.include_paths and not any(path.startswith(p) for p in o.include_paths):
            return False
        return not (
            o.exclude_paths and any(path.startswith(p) for p in o.exclude_paths)
        )

    def _group(self, path: str, op: dict[str, Any]) -> str:
        tags = op.get("tags")
        if (
            self.options.group_by == "tag"
            and isinstance(tags, list)
            and tags
            and isinstance(tags[0], str)
            and tags[0].strip()
        ):
            return tags[0]
        for seg in segments(path):
            if not seg.startswith("{"):
                return seg
        return "default"

    # -- entry point ----------------------------------------------------------------
    def build(self) -> tuple[ir.ResourceDef, ...]:
        groups: dict[str, list[RawOp]] = {}
        for r in self._collect():
            groups.setdefault(r.group, []).append(r)
        book = self.types.book
        attrs = book.namespace("resources", CLIENT_RESERVED)
        modules = book.namespace("modules", {"__init__"})
        classes = book.namespace(
            "resource-classes", set(self.types.names._taken) | CLIENT_MODULE_NAMES
        )
        resources: list[ir.ResourceDef] = []
        for group in sorted(groups, key=lambda g: str(snake(g))):
            wanted = self.options.resource_renames.get(group) or str(
                snake(group, fallback="resource")
            )
            attr = attrs.claim(wanted, group)
            module = modules.claim(attr, group)
            cls = _class_name(classes, pascal(attr, fallback="Resource"), group)
            acls = _class_name(classes, "Async" + cls, group)
            resources.append(
                ir.ResourceDef(
                    attr=attr,
                    module=module,
                    class_name=cls,
                    async_class_name=acls,
                    doc=self._tag_description(group) or f"Operations on {group}.",
                    operations=tuple(self._operations(attr, groups[group])),
                )
            )
        return tuple(resources)

    def _tag_description(self, group: str) -> str | None:
        for tag in self.doc.get("tags") or []:
            if (
                isinstance(tag, dict)
                and tag.get("name") == group
                and isinstance(tag.get("description"), str)
            ):
                return str(tag["description"])
        return None

    def _operations(self, resource: str, raw: list[RawOp]) -> list[ir.OperationDef]:
        ns = self.types.book.namespace(f"operations:{resource}", {"with_options"})
        wanted: dict[int, tuple[str, bool]] = {}
        for i, r in enumerate(raw):
            with self.diags.element(r.pointer):
                wanted[i] = self._wanted(resource, r)
        names: dict[int, str] = {}
        counts = Counter(w for w, _ in wanted.values())
        for i in sorted(wanted, key=lambda i: _claim_order(raw[i], *wanted[i], i)):
            r, want = raw[i], wanted[i][0]
            with self.diags.element(r.pointer):
                names[i] = self._claim(ns, resource, r, want, counts[want] > 1)
        ops: list[ir.OperationDef] = []
        for i, r in enumerate(raw):
            with self.diags.element(r.pointer):
                ops.append(self._operation(resource, names[i], r, ns))
        return ops

    def _wanted(self, resource: str, r: RawOp) -> tuple[str, bool]:
        """The name ``r`` asks for, and whether the description asked for it."""
        name = explicit_name(self.options, resource, r)
        if name is None:
            return derived_name(resource, r, self._lists, self._header_stem), False
        if bare_verb(name, r) and not self._renamed(resource, r):
            # "deleteRecords" on records says no more than DELETE /records
            name = verb_name(resource, r, name, self._lists, self._header_stem)
        return name, True

    def _renamed(self, resource: str, r: RawOp) -> bool:
        renames = self.options.operation_renames
        return (
            f"{resource}.{r.op.get('operationId')}" in renames
            or f"{r.method.upper()} {r.path}" in renames
            or bool(r.op.get("x-clientgen-name"))
        )

    def _claim(
        self, ns: Namespace, resource: str, r: RawOp, wanted: str, contested: bool
    ) -> str:
        origin = f"{r.method} {r.path}"
        choices = alternatives(
            resource, r, wanted, self._lists, self._header_stem, contested=contested
        )
        name = ns.claim_first(choices, origin)
        if name is not None:
            return name
        name = ns.claim(wanted, origin)
        self.diags.warn(
            "name-clash",
            f"{r.method.upper()} {r.path} could not be told apart from another"
            f" operation of {resource} by its path or method and is named {name};"
            f" set rename.operations[{rename_key(resource, r)!r}] to name it",
            r.pointer,
        )
        return name

    def _header_stem(self, r: RawOp) -> str | None:
        success = self._success(r)
        resp = self.types.deref(success[1], r.pointer)[0] if success else None
        headers = resp.get("headers") if isinstance(resp, dict) else None
        return header_stem(headers) if isinstance(headers, dict) else None

    # -- one operation ------------------------------------------------------------
    def _params(self, r: RawOp) -> list[tuple[dict[str, Any], str]]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        sources = (
            (r.item.get("parameters"), pointer_join("/paths", r.path, "parameters")),
            (r.op.get("parameters"), pointer_join(r.pointer, "parameters")),
        )
        for source, base in sources:
            if not isinstance(source, list):
                continue
            for i, p in enumerate(source):
                pp = pointer_join(base, i)
                param, _ = self.types.deref_reported(p, pp, "parameter")
                if (
                    not isinstance(param, dict)
                    or not isinstance(param.get("name"), str)
                    or param.get("in") not in _DEFAULT_STYLE
                ):
                    self.diags.warn(
                        "bad-parameter",
                        "parameter without a valid name or location ignored",
                        pp,
                    )
                    continue
                merged[(param["name"], param["in"])] = (param, pp)
        return list(merged.values())

    def _param(
        self, param: dict[str, Any], pp: str, opname: str, name: str, arg_ns: Namespace
    ) -> ir.ParamDef | None:
        loc = param["in"]
        wire: str = param["name"]
        if loc == "header" and (
            wire.lower() in _SKIPPED_HEADERS or wire.lower() in self.hoisted
        ):
            return None
        x_name = param.get("x-clientgen-name")
        base_name = x_name if isinstance(x_name, str) and x_name else wire
        if loc == "header" and base_name.lower().startswith("x-") and not x_name:
            base_name = base_name[2:]
        py = arg_ns.claim(str(snake(base_name, fallback="param")), f"{loc}:{wire}")
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), dict):
            chosen = next(
                (m for m in param["content"].values() if isinstance(m, dict)), {}
            )
            schema = chosen.get("schema")
        t = self.types.type_of(
            schema, opname + pascal(wire, fallback="Param"), pointer_join(pp, "schema")
        )
        required = loc == "path" or bool(param.get("required"))
        raw_style = param.get("style")
        style: str = raw_style if isinstance(raw_style, str) else _DEFAULT_STYLE[loc][0]
        raw_explode = param.get("explode")
        explode: bool = (
            raw_explode if isinstance(raw_explode, bool) else style == "form"
        )
        desc = param.get("description")
        return ir.ParamDef(
            name=py,
            wire=wire,
            location=loc,
            type=t if required else ir.nullable(t),
            required=required,
            doc=(
                " ".join(desc.split())
                if isinstance(desc, str) and desc.strip()
                else None
            ),
            style=None if (style, explode) == _DEFAULT_STYLE[loc] else (style, explode),
            deprecated_message=(
                f"parameter {py} of {name}() is deprecated"
                if param.get("deprecated")
                else None
            ),
        )

    def _all_params(
        self, r: RawOp, opname: str, name: str, arg_ns: Namespace
    ) -> list[ir.ParamDef]:
        template_names = re.findall(r"{([^}]+)}", r.wire_path)
        params: list[ir.ParamDef] = []
        for param, pp in self._params(r):
            if param["in"] == "path" and param["name"] not in template_names:
                self.diags.warn(
                    "unused-path-param",
                    f"path parameter {param['name']!r} does not appear in the path; ignored",
                    pp,
                )
                continue
            p = self._param(param, pp, opname, name, arg_ns)
            if p is not None:
                params.append(p)
        declared = {p.wire for p in params if p.location == "path"}
        for n in template_names:
            if n not in declared:
                py = arg_ns.claim(str(snake(n, fallback="param")), f"path:{n}")
                self.diags.warn(
                    "undeclared-path-param",
                    f"path parameter {n!r} is not declared; typed as str",
                    r.pointer,
                )
                params.append(ir.ParamDef(py, n, "path", ir.STR, True))
        return params

    def _operation(
        self, resource: str, name: str, r: RawOp, ns: Namespace
    ) -> ir.OperationDef:
        opname = pascal(resource) + pascal(name)
        arg_ns = self.types.book.namespace(
            f"params:{resource}.{name}",
            {"self", "body", "request_options", "page_size", "destination"},
        )
        params = self._all_params(r, opname, name, arg_ns)
        template_names = re.findall(r"{([^}]+)}", r.wire_path)
        path_params = sorted(
            (p for p in params if p.location == "path"),
            key=lambda p: (
                template_names.index(p.wire) if p.wire in template_names else 99
            ),
        )
        others = [p for p in params if p.location != "path"]
        keyword = [p for p in others if p.required] + [
            p for p in others if not p.required
        ]
        kind, returns, accept = self._response(r, opname)
        op = ir.OperationDef(
            name=name,
            http_method=r.method.upper(),
            path=r.wire_path,
            doc=self._docstring(r, [f"{p.name}: {p.doc}" for p in params if p.doc]),
            deprecated_message=(
                f"{resource}.{name}() is deprecated" if r.op.get("deprecated") else None
            ),
            positional=tuple(path_params),
            body=self._body(r, opname),
            keyword=tuple(keyword),
            returns=returns,
            response_kind=kind,
            accept=accept,
            error_types=self._errors(r, opname),
            security=self._security(r.op),
            pagination=None,
            download_name=(
                ns.claim(name + "_to_file", f"download {r.method} {r.path}")
                if kind == "bytes"
                else None
            ),
            pointer=r.pointer,
        )
        ctx = Context(
            models=self.types.models,
            headers=self._success_headers(r),
            param_schema=lambda wire: self._param_schema(r, wire),
            stated=self._stated_paging(resource, r),
            stem=opname,
        )
        pages = pagination(
            op,
            ctx,
            ns,
            f"iter {r.method} {r.path}",
            lambda code, message: self.diags.warn(code, message, r.pointer),
        )
        return replace(op, pagination=pages) if pages is not None else op

    def _docstring(self, r: RawOp, args: list[str]) -> str | None:
        parts: list[str] = []
        summary = r.op.get("summary")
        desc = r.op.get("description")
        if isinstance(summary, str) and summary.strip():
            parts.append(summary.strip())
        if (
            isinstance(desc, str)
            and desc.strip()
            and desc.strip() != (summary or "").strip()
        ):
            parts.append(desc.strip())
        parts.append(f"``{r.method.upper()} {r.wire_path}``")
        if args:
            parts.append("Args:\n" + "\n".join("    " + a for a in args))
        return "\n\n".join(parts)

    def _body(self, r: RawOp, opname: str) -> ir.BodyDef | None:
        rb = r.op.get("requestBody")
        if rb is None:
            return None
        bpointer = pointer_join(r.pointer, "requestBody")
        rb, _ = self.types.deref_reported(rb, bpointer, "request body")
        chosen = media(rb.get("content")) if isinstance(rb, dict) else None
        if chosen is None:
            return None
        ct, schema = chosen
        c = ct.lower().split(";")[0].strip()
        required = bool(rb.get("required"))
        validate_as: ir.Type | None = None
        if c in _JSON_BODIES or _is_json(c):
            t = (
                self.types.type_of(
                    schema,
                    opname + "Body",
                    pointer_join(bpointer, "content", ct, "schema"),
                )
                if schema is not None
                else ir.ANY
            )
            # the signature's type (request TypedDicts) is decided once every
            # model is built: see generator.builder.params
            validate_as = None if isinstance(t, ir.AnyType) else t
        elif c.startswith("text/"):
            t = ir.STR
        else:
            t = _RAW_BODY
        return ir.BodyDef(
            "body",
            t if required else ir.nullable(t),
            validate_as,
            ct,
            required,
            json=c == "application/json" or _is_json(c),
        )

    def _lists(self, r: RawOp) -> bool:
        """Does the operation answer with a collection (an array, or an object holding one)?"""
        success = self._success(r)
        if success is None:
            return False
        response, _ = self.types.deref(success[1], r.pointer)
        chosen = media(response.get("content")) if isinstance(response, dict) else None
        schema, _ = self.types.deref(chosen[1] if chosen else None, r.pointer)
        if not isinstance(schema, dict):
            return False
        if schema.get("type") == "array":
            return True
        props = schema.get("properties")
        if not isinstance(props, dict):
            return False
        for key in ITEMS:
            item, _ = self.types.deref(props.get(key), r.pointer)
            if isinstance(item, dict) and item.get("type") == "array":
                return True
        return False

    def _success(self, r: RawOp) -> tuple[str, Any] | None:
        responses = r.op.get("responses")
        if not isinstance(responses, dict):
            return None
        codes = sorted(str(c) for c in responses if str(c).startswith("2"))
        if codes:
            return (
                codes[0],
                responses[codes[0] if codes[0] in responses else int(codes[0])],
            )
        if "default" in responses:
            return "default", responses["default"]
        return None

    def _response(
        self, r: RawOp, opname: str
    ) -> tuple[ir.ResponseKind, ir.Type, str | None]:
        success = self._success(r)
        if success is None:
            return "empty", ir.NONE, None
        code, resp = success
        rpointer = pointer_join(r.pointer, "responses", code)
        resp, _ = self.types.deref_reported(resp, rpointer, "response")
        if not isinstance(resp, dict):
            return "empty", ir.NONE, None
        if r.method == "head":
            headers = resp.get("headers")
            if isinstance(headers, dict) and headers:
                name = self.types.headers_model(
                    opname + "Headers", headers, pointer_join(rpointer, "headers")
                )
                return "headers", ir.Ref(name), None
            return "empty", ir.NONE, None
        chosen = media(resp.get("content"))
        if chosen is None:
            return "empty", ir.NONE, None
        ct, schema = chosen
        c = ct.lower().split(";")[0].strip()
        binary = isinstance(schema, dict) and schema.get("format") == "binary"
        if _is_json(c) or (c == "*/*" and schema is not None and not binary):
            pointer = pointer_join(rpointer, "content", ct, "schema")
            t = (
                self.types.type_of(schema, opname + "Response", pointer)
                if schema is not None
                else ir.ANY
            )
            return "json", t, ct
        if binary or not (c.startswith("text/") or c.endswith("xml")):
            return "bytes", ir.Prim("bytes"), ct
        return "text", ir.STR, ct

    def _errors(self, r: RawOp, opname: str) -> tuple[tuple[str, ir.Type], ...]:
        responses = r.op.get("responses")
        if not isinstance(responses, dict):
            return ()
        out: list[tuple[str, ir.Type]] = []
        has_success = any(str(c).startswith("2") for c in responses)
        for raw_code, resp in responses.items():
            code = str(raw_code)
            if code.startswith("2") or (code == "default" and not has_success):
                continue
            rpointer = pointer_join(r.pointer, "responses", code)
            resp, _ = self.types.deref_reported(resp, rpointer, "response")
            chosen = media(resp.get("content") if isinstance(resp, dict) else None)
            if chosen is None or chosen[1] is None or "json" not in chosen[0].lower():
                continue
            ct, schema = chosen
            t = self.types.type_of(
                schema,
                opname + "Error",
                pointer_join(rpointer, "content", ct, "schema"),
            )
            if not isinstance(t, ir.AnyType):
                out.append((code, t))
        return tuple(out)

    def _security(self, op: dict[str, Any]) -> ir.Security | None:
        if "security" not in op:
            return None
        sec = op["security"]
        if sec == self.global_security:
            return None
        return security_of(sec, self.doc)

    def _success_headers(self, r: RawOp) -> frozenset[str]:
        """The header names (lower case) the success response declares."""
        success = self._success(r)
        if success is None:
            return frozenset()
        resp, _ = self.types.deref(success[1], r.pointer)
        headers = resp.get("headers") if isinstance(resp, dict) else None
        if not isinstance(headers, dict):
            return frozenset()
        return frozenset(str(h).lower() for h in headers)

    def _stated_paging(self, resource: str, r: RawOp) -> dict[str, str] | None:
        """The configuration's ``pagination`` entry for ``r``: by operationId,
        ``resource.operationId`` or ``METHOD /path``."""
        table = self.options.pagination
        op_id = r.op.get("operationId")
        for key in (op_id, rename_key(resource, r), f"{r.method.upper()} {r.path}"):
            if isinstance(key, str) and key in table:
                return table[key]
        return None

    def _param_schema(self, r: RawOp, wire: str) -> dict[str, Any]:
        for param, pp in self._params(r):
            if param.get("name") == wire:
                schema, _ = self.types.deref(param.get("schema"), pp)
                return schema if isinstance(schema, dict) else {}
        return {}


def _class_name(classes: Namespace, base: str, group: str) -> str:
    """A resource's class name: ``Contents``, else ``ContentsResource``, ...
    (never ``Contents_`` when a model is called ``Contents``)."""
    choices = [base] + [base + s for s in ("Resource", "Resources", "Operations")]
    return classes.claim_first(choices, group) or classes.claim(base, group)


def _claim_order(r: RawOp, wanted: str, explicit: bool, i: int) -> tuple[int, int, int]:
    """Who claims first: names the description asks for, then the operation
    whose kind fits its name (the item's DELETE takes ``delete``, the
    collection's GET ``list``), then the description's order."""
    fits = wanted in (ITEM_NAMES if is_item(r) else COLLECTION_NAMES)
    return (0 if explicit else 1, 0 if fits else 1, i)


def security_of(sec: Any, doc: dict[str, Any]) -> ir.Security:
    """Alternatives of scheme names (OR of ANDs); anonymous access goes last."""
    comps = doc.get("components")
    schemes = comps.get("securitySchemes") if isinstance(comps, dict) else None
    known = set(schemes) if isinstance(schemes, dict) else set()
    alts: list[tuple[str, ...]] = []
    if isinstance(sec, list):
        for req in sec:
            if isinstance(req, dict) and all(n in known for n in req):
                alts.append(tuple(str(n) for n in req))
    # An empty requirement means "anonymous is fine": try credentials first.
    alts.sort(key=lambda a: a == ())
    return tuple(alts)
