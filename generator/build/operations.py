"""Paths and operations → resources with named, typed methods.

See https://spec.openapis.org/oas/v3.1.0#operation-object
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from generator.build.literals import py_doc, py_str, py_tuple, str_of
from generator.build.model import (
    BodyDef,
    OperationDef,
    PaginationDef,
    ParamDef,
    ResourceDef,
)
from generator.build.names import Namespace, pascal, snake
from generator.build.schemas import (
    ANY,
    BUILTIN_TYPES,
    MARK,
    TypeBuilder,
    guard_builtins,
    qualify,
)
from generator.diagnostics import Diagnostics, pointer_join
from generator.settings import BuildOptions

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_DEFAULT_STYLE = {"query": ("form", True), "path": ("simple", False), "header": ("simple", False), "cookie": ("form", True)}
_SKIPPED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")
_VERSION = re.compile(r"^v\d+(\.\d+)*$")

#: Attributes of the generated client a resource must not shadow.
CLIENT_RESERVED = frozenset(
    {
        "request", "download", "close", "with_options", "capture_responses", "iter_offset",
        "iter_page", "iter_cursor", "base_url", "timeout", "max_retries", "aclose",
    }
)

#: Names the generated ``_client`` module defines next to the resource classes.
CLIENT_MODULE_NAMES = frozenset({"API", "ServerName"})

_OFFSET = ("offset", "skip", "start", "from")
_LIMIT = ("limit", "per_page", "page_size", "pagesize", "size", "count", "max_results", "maxresults", "top")
_PAGE = ("page", "page_number", "pagenumber")
_CURSOR = ("cursor", "after", "page_token", "pagetoken", "next_token", "nexttoken", "starting_after", "continuation_token")
_NEXT = ("next_cursor", "next_page_token", "nextpagetoken", "next_token", "nexttoken", "cursor", "next", "continuation_token")
_ITEMS = ("items", "data", "results", "records", "values", "entries", "elements", "content")
_TOTAL = ("count", "total", "total_count", "totalcount", "total_results", "totalresults")


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def rewrite_path(path: str, options: BuildOptions) -> str:
    for prefix in options.strip_path_prefix:
        p = prefix.rstrip("/")
        if p and (path == p or path.startswith(p + "/")):
            path = path[len(p):] or "/"
            break
    if options.path_extension and not _EXTENSION.search(path.rsplit("/", 1)[-1]) and path != "/":
        path = path.rstrip("/") + options.path_extension
    return path


def _segments(path: str) -> list[str]:
    return [s for s in _EXTENSION.sub("", path).split("/") if s]


@dataclass
class _RawOp:
    path: str
    wire_path: str
    method: str
    op: dict[str, Any]
    item: dict[str, Any]
    pointer: str
    group: str


class OperationBuilder:
    def __init__(self, doc: dict[str, Any], types: TypeBuilder, diags: Diagnostics, options: BuildOptions) -> None:
        self.doc = doc
        self.types = types
        self.diags = diags
        self.options = options
        self.hoisted = {h.lower() for h in options.hoist_headers}
        self.global_security = doc.get("security")

    # -- collecting -----------------------------------------------------------
    def _collect(self) -> list[_RawOp]:
        paths = self.doc.get("paths")
        if not isinstance(paths, dict):
            return []
        out: list[_RawOp] = []
        for path, item in paths.items():
            ipointer = pointer_join("/paths", path)
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("$ref"), str):
                item = self.types.deref_reported(item, ipointer, "path item")[0] or {}
            if not path.startswith("/"):
                self.diags.warn("bad-path", f"path {path!r} does not start with '/'; a '/' was added", ipointer)
            wire = rewrite_path(path if path.startswith("/") else "/" + path, self.options)
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                if not self._included(wire, op):
                    continue
                group = self._group(wire, op)
                out.append(_RawOp(path, wire, method, op, item, pointer_join(ipointer, method), group))
        return out

    def _included(self, path: str, op: dict[str, Any]) -> bool:
        tags = [t for t in op.get("tags", []) if isinstance(t, str)] if isinstance(op.get("tags"), list) else []
        o = self.options
        if o.include_tags and not set(tags) & set(o.include_tags):
            return False
        if o.exclude_tags and set(tags) & set(o.exclude_tags):
            return False
        if o.include_paths and not any(path.startswith(p) for p in o.include_paths):
            return False
        return not (o.exclude_paths and any(path.startswith(p) for p in o.exclude_paths))

    def _group(self, path: str, op: dict[str, Any]) -> str:
        tags = op.get("tags")
        if self.options.group_by == "tag" and isinstance(tags, list) and tags and isinstance(tags[0], str) and tags[0].strip():
            return tags[0]
        for seg in _segments(path):
            if not seg.startswith("{"):
                return seg
        return "default"

    # -- entry point ----------------------------------------------------------------
    def build(self) -> tuple[ResourceDef, ...]:
        raw = self._collect()
        groups: dict[str, list[_RawOp]] = {}
        for r in raw:
            groups.setdefault(r.group, []).append(r)
        book = self.types.book
        attrs = book.namespace("resources", CLIENT_RESERVED)
        modules = book.namespace("modules", {"__init__"})
        classes = book.namespace("resource-classes", set(self.types.names._taken) | CLIENT_MODULE_NAMES)
        resources: list[ResourceDef] = []
        for group in sorted(groups, key=lambda g: str(snake(g))):
            wanted = self.options.resource_renames.get(group) or str(snake(group, fallback="resource"))
            attr = attrs.claim(wanted, group)
            module = modules.claim(attr, group)
            cls = classes.claim(pascal(attr, fallback="Resource"), group)
            acls = classes.claim("Async" + cls, group)
            ops = self._operations(attr, groups[group])
            tag_doc = self._tag_description(group)
            resources.append(
                ResourceDef(
                    attr=attr,
                    module=module,
                    class_name=cls,
                    async_class_name=acls,
                    doc=py_doc(tag_doc or f"Operations on {group}.", indent="    "),
                    operations=tuple(ops),
                    uses_models=True,
                )
            )
        return tuple(resources)

    def _tag_description(self, group: str) -> str | None:
        for tag in self.doc.get("tags") or []:
            if isinstance(tag, dict) and tag.get("name") == group and isinstance(tag.get("description"), str):
                return str(tag["description"])
        return None

    # -- naming -----------------------------------------------------------------
    def _explicit_name(self, resource: str, r: _RawOp) -> str | None:
        override = self.options.operation_renames.get(f"{resource}.{r.op.get('operationId')}") or self.options.operation_renames.get(
            f"{r.method.upper()} {r.path}"
        )
        if override:
            return override
        x_name = r.op.get("x-clientgen-name")
        if isinstance(x_name, str) and x_name:
            return str(snake(x_name))
        op_id = r.op.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            return None
        last = re.split(r"[/.]", op_id.strip())[-1] or op_id
        name = str(snake(last, fallback="call"))
        for noun in (resource, singular(resource)):
            if name.startswith(noun + "_") and len(name) > len(noun) + 1:
                return name[len(noun) + 1 :]
            if name.endswith("_" + noun) and len(name) > len(noun) + 1:
                return name[: -len(noun) - 1]
        return name

    def _derived_name(self, resource: str, r: _RawOp) -> str:
        segs = _segments(r.wire_path)
        rest = segs
        for i, seg in enumerate(segs):
            if str(snake(seg)) == resource or seg == r.group:
                rest = segs[i + 1:]
                break
        else:
            rest = segs[1:] if segs and str(snake(segs[0])) == resource else segs
        statics = [str(snake(s)) for s in rest if not s.startswith("{") and not _VERSION.match(s)]
        ends_param = bool(rest) and rest[-1].startswith("{")
        m = r.method
        if m == "head" and not statics:
            stem = self._header_stem(r)
            if stem:
                return stem
        if not statics:
            noun = next((s for s in reversed(segs) if not s.startswith("{") and not _VERSION.match(s)), "")
            if m == "get" and not ends_param and noun and not noun.lower().endswith("s") and not self._lists(r):
                base = "get"  # GET /user, /rate_limit: one thing, not a collection
            elif not rest or not ends_param:
                base = {"get": "list", "post": "create", "put": "update", "patch": "update", "delete": "delete", "head": "head"}.get(m, m)
            else:
                base = {"get": "get", "post": "create", "put": "update", "patch": "update", "delete": "delete", "head": "exists"}.get(m, m)
            return base
        words = "_".join(statics)
        last_static = statics[-1]
        if m == "head":
            return words
        if ends_param:
            noun = "_".join(statics[:-1] + [singular(last_static)])
            return {"get": "get_", "put": "update_", "patch": "update_", "delete": "delete_", "post": "create_"}.get(m, m + "_") + noun
        if m == "get":
            return "list_" + words if last_static.endswith("s") else "get_" + words
        if m == "post":
            return "create_" + "_".join(statics[:-1] + [singular(last_static)])
        return {"put": "update_", "patch": "update_", "delete": "delete_"}.get(m, m + "_") + words

    def _header_stem(self, r: _RawOp) -> str | None:
        """The words all response headers of a HEAD operation share.

        ``X-NEXT-NUMBER`` and ``X-NEXT-NUMBER-FORMATTED`` → ``next_number``.
        """
        success = self._success(r)
        resp = self.types.deref(success[1], r.pointer)[0] if success else None
        headers = resp.get("headers") if isinstance(resp, dict) else None
        if not isinstance(headers, dict) or not headers:
            return None
        split = [str(snake(h[2:] if h.lower().startswith("x-") else h)).split("_") for h in headers]
        prefix: list[str] = []
        for words in zip(*split, strict=False):
            if len(set(words)) != 1:
                break
            prefix.append(words[0])
        if prefix:
            return "_".join(prefix)
        suffix: list[str] = []
        for words in zip(*(list(reversed(s)) for s in split), strict=False):
            if len(set(words)) != 1:
                break
            suffix.insert(0, words[0])
        return "_".join(suffix) or None

    def _operations(self, resource: str, raw: list[_RawOp]) -> list[OperationDef]:
        ns = self.types.book.namespace(f"operations:{resource}", {"with_options"})
        names: dict[int, str] = {}
        for i, r in enumerate(raw):
            with self.diags.element(r.pointer):
                name = self._explicit_name(resource, r)
                if name is not None:
                    full = r.op.get("operationId")
                    if name in ns and isinstance(full, str):
                        name = str(snake(re.split(r"[/.]", full.strip())[-1] or full, fallback="call"))
                    names[i] = ns.claim(name, f"{r.method} {r.path}")
        for i, r in enumerate(raw):
            if i not in names:
                with self.diags.element(r.pointer):
                    names[i] = ns.claim(self._derived_name(resource, r), f"{r.method} {r.path}")
        ops: list[OperationDef] = []
        for i, r in enumerate(raw):
            try:
                with self.diags.element(r.pointer):
                    ops.append(self._operation(resource, names[i], r, ns))
            except _SkipOperation as exc:
                self.diags.warn("operation-skipped", f"{r.method.upper()} {r.path} skipped: {exc}", r.pointer)
        attrs: set[str] = set()
        for op in ops:
            attrs.update(n for n in (op.name, op.download_name, op.pagination and op.pagination.method_name) if n)
        shadowed = BUILTIN_TYPES & attrs
        return [_guard_op(op, shadowed) for op in ops] if shadowed else ops

    # -- one operation ------------------------------------------------------------
    def _params(self, r: _RawOp) -> list[tuple[dict[str, Any], str]]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for source, base in ((r.item.get("parameters"), pointer_join("/paths", r.path, "parameters")), (r.op.get("parameters"), pointer_join(r.pointer, "parameters"))):
            if not isinstance(source, list):
                continue
            for i, p in enumerate(source):
                pp = pointer_join(base, i)
                param, _ = self.types.deref_reported(p, pp, "parameter")
                if not isinstance(param, dict) or not isinstance(param.get("name"), str) or param.get("in") not in _DEFAULT_STYLE:
                    self.diags.warn("bad-parameter", "parameter without a valid name or location ignored", pp)
                    continue
                merged[(param["name"], param["in"])] = (param, pp)
        return list(merged.values())

    def _operation(self, resource: str, name: str, r: _RawOp, ns: Namespace) -> OperationDef:
        opname = pascal(resource) + pascal(name)
        arg_ns = self.types.book.namespace(
            f"params:{resource}.{name}", {"self", "body", "request_options", "page_size", "destination"}
        )
        path_params: list[ParamDef] = []
        keyword_req: list[ParamDef] = []
        keyword_opt: list[ParamDef] = []
        by_loc: dict[str, list[ParamDef]] = {"path": [], "query": [], "header": [], "cookie": []}
        doc_args: list[str] = []
        template_names = re.findall(r"{([^}]+)}", r.wire_path)
        for param, pp in self._params(r):
            loc = param["in"]
            wire = param["name"]
            if loc == "header" and (wire.lower() in _SKIPPED_HEADERS or wire.lower() in self.hoisted):
                continue
            x_name = param.get("x-clientgen-name")
            base_name = x_name if isinstance(x_name, str) and x_name else wire
            if loc == "header" and base_name.lower().startswith("x-") and not x_name:
                base_name = base_name[2:]
            py = arg_ns.claim(str(snake(base_name, fallback="param")), f"{loc}:{wire}")
            schema = param.get("schema")
            if schema is None and isinstance(param.get("content"), dict):
                for media in param["content"].values():
                    if isinstance(media, dict):
                        schema = media.get("schema")
                        break
            ann = qualify(self.types.type_of(schema, opname + pascal(wire, fallback="Param"), pointer_join(pp, "schema")), "_m.")
            required = loc == "path" or bool(param.get("required"))
            if loc == "path" and wire not in template_names:
                self.diags.warn("unused-path-param", f"path parameter {wire!r} does not appear in the path; ignored", pp)
                continue
            raw_style = param.get("style")
            style: str = raw_style if isinstance(raw_style, str) else _DEFAULT_STYLE[loc][0]
            raw_explode = param.get("explode")
            explode: bool = raw_explode if isinstance(raw_explode, bool) else style == "form"
            value: str = py
            if (style, explode) != _DEFAULT_STYLE[loc]:
                value = f"_rt.Styled({py}, {py_str(style)}, {explode!r})"
            warning = py_str(f"parameter {py} of {name}() is deprecated") if param.get("deprecated") else None
            if required:
                pdef = ParamDef(py, py_str(wire), loc, ann, None, value, None, warning)
            else:
                if not ann.endswith("| None") and ann != ANY:
                    ann += " | None"
                pdef = ParamDef(py, py_str(wire), loc, ann, "None", value, None, warning)
            desc = param.get("description")
            if isinstance(desc, str) and desc.strip():
                doc_args.append(f"{py}: {' '.join(desc.split())}")
            by_loc[loc].append(pdef)
            if loc == "path":
                path_params.append(pdef)
            elif required:
                keyword_req.append(pdef)
            else:
                keyword_opt.append(pdef)
        missing = [n for n in template_names if n not in {str_of(p.wire) for p in path_params}]
        for n in missing:
            py = arg_ns.claim(str(snake(n, fallback="param")), f"path:{n}")
            self.diags.warn("undeclared-path-param", f"path parameter {n!r} is not declared; typed as str", r.pointer)
            pdef = ParamDef(py, py_str(n), "path", "str", None, py, None)
            path_params.append(pdef)
            by_loc["path"].append(pdef)
        path_params.sort(key=lambda p: template_names.index(str_of(p.wire)) if str_of(p.wire) in template_names else 99)

        body = self._body(r, opname)
        kind, cast, ret, accept = self._response(r, opname)
        errors = self._errors(r, opname)
        security = self._security(r.op)
        deprecated = bool(r.op.get("deprecated"))
        doc = self._docstring(r, doc_args)
        op = OperationDef(
            name=name,
            http_method=r.method.upper(),
            path=py_str(r.wire_path),
            doc=doc,
            deprecated_message=py_str(f"{resource}.{name}() is deprecated") if deprecated else None,
            positional=tuple(path_params),
            body=body,
            keyword=tuple(keyword_req + keyword_opt),
            return_annotation=ret,
            cast_to=cast,
            response_kind=py_str(kind),
            accept=py_str(accept) if accept else "None",
            error_types=errors,
            security=security,
            pagination=None,
            download_name=ns.claim(name + "_to_file", f"download {r.method} {r.path}") if kind == "bytes" else None,
            path_params=tuple(by_loc["path"]),
            query_params=tuple(by_loc["query"]),
            header_params=tuple(by_loc["header"]),
            cookie_params=tuple(by_loc["cookie"]),
        )
        pagination = self._pagination(r, op, ns)
        if pagination is not None:
            op = replace(op, pagination=pagination)
        return op

    def _docstring(self, r: _RawOp, args: list[str]) -> str | None:
        parts: list[str] = []
        summary = r.op.get("summary")
        desc = r.op.get("description")
        if isinstance(summary, str) and summary.strip():
            parts.append(summary.strip())
        if isinstance(desc, str) and desc.strip() and desc.strip() != (summary or "").strip():
            parts.append(desc.strip())
        parts.append(f"``{r.method.upper()} {r.wire_path}``")
        if args:
            parts.append("Args:\n" + "\n".join("    " + a for a in args))
        return py_doc("\n\n".join(parts), indent="        ")

    def _media(self, content: Any) -> tuple[str, Any] | None:
        if not isinstance(content, dict) or not content:
            return None

        def rank(ct: str) -> int:
            c = ct.lower().split(";")[0].strip()
            if c == "application/json" or c.endswith("+json"):
                return 0
            if c == "application/x-www-form-urlencoded":
                return 1
            if c == "multipart/form-data":
                return 2
            if c.startswith("text/") or c.endswith("/xml") or c.endswith("+xml"):
                return 4
            if "json" in c or c == "*/*":
                return 1
            return 3

        ct = sorted(content, key=lambda c: (rank(c), list(content).index(c)))[0]
        media = content[ct]
        return ct, media.get("schema") if isinstance(media, dict) else None

    def _body(self, r: _RawOp, opname: str) -> BodyDef | None:
        rb = r.op.get("requestBody")
        if rb is None:
            return None
        bpointer = pointer_join(r.pointer, "requestBody")
        rb, _ = self.types.deref_reported(rb, bpointer, "request body")
        if not isinstance(rb, dict):
            return None
        chosen = self._media(rb.get("content"))
        if chosen is None:
            return None
        ct, schema = chosen
        c = ct.lower().split(";")[0].strip()
        required = bool(rb.get("required"))
        if c in ("application/json", "application/x-www-form-urlencoded", "multipart/form-data") or c.endswith("+json") or "json" in c:
            t = self.types.type_of(schema, opname + "Body", pointer_join(bpointer, "content", ct, "schema")) if schema is not None else ANY
            ann = qualify(t, "_m.")
            body_type = ann if ann != ANY else "None"
            if t.startswith(MARK) and t.count(MARK) == 1 and " " not in t and t[1:] in self.types.models:
                ann = f"{ann} | dict[str, _t.Any]"
            elif ann.startswith("list[") and "_m." in ann:
                ann = f"{ann} | list[dict[str, _t.Any]]"
        elif c.startswith("text/"):
            ann, body_type = "str", "None"
        else:
            ann, body_type = "bytes | _t.IO[bytes]", "None"
        if not required:
            ann += " | None"
        return BodyDef("body", ann, body_type, py_str(ct), required)

    def _lists(self, r: _RawOp) -> bool:
        """Does the operation answer with a collection (an array, or an object holding one)?"""
        success = self._success(r)
        if success is None:
            return False
        response, _ = self.types.deref(success[1], r.pointer)
        chosen = self._media(response.get("content")) if isinstance(response, dict) else None
        schema, _ = self.types.deref(chosen[1] if chosen else None, r.pointer)
        if not isinstance(schema, dict):
            return False
        if schema.get("type") == "array":
            return True
        props = schema.get("properties")
        if not isinstance(props, dict):
            return False
        for key in _ITEMS:
            item, _ = self.types.deref(props.get(key), r.pointer)
            if isinstance(item, dict) and item.get("type") == "array":
                return True
        return False

    def _success(self, r: _RawOp) -> tuple[str, Any] | None:
        responses = r.op.get("responses")
        if not isinstance(responses, dict):
            return None
        codes = sorted(str(c) for c in responses if str(c).startswith("2"))
        if codes:
            return codes[0], responses[codes[0] if codes[0] in responses else int(codes[0])]
        if "default" in responses:
            return "default", responses["default"]
        return None

    def _response(self, r: _RawOp, opname: str) -> tuple[str, str, str, str | None]:
        success = self._success(r)
        if success is None:
            return "empty", "None", "None", None
        code, resp = success
        rpointer = pointer_join(r.pointer, "responses", code)
        resp, _ = self.types.deref_reported(resp, rpointer, "response")
        if not isinstance(resp, dict):
            return "empty", "None", "None", None
        headers = resp.get("headers")
        chosen = self._media(resp.get("content"))
        if r.method == "head" or (chosen is None and isinstance(headers, dict) and headers and r.method == "head"):
            if isinstance(headers, dict) and headers:
                name = self.types.headers_model(opname + "Headers", headers, pointer_join(rpointer, "headers"))
                return "headers", "_m." + name, "_m." + name, None
            return "empty", "None", "None", None
        if chosen is None:
            return "empty", "None", "None", None
        ct, schema = chosen
        c = ct.lower().split(";")[0].strip()
        if c == "application/json" or c.endswith("+json") or ("json" in c) or c == "*/*" and schema is not None and not (isinstance(schema, dict) and schema.get("format") == "binary"):
            t = self.types.type_of(schema, opname + "Response", pointer_join(rpointer, "content", ct, "schema")) if schema is not None else ANY
            ann = qualify(t, "_m.")
            return "json", ann, ann, ct
        if isinstance(schema, dict) and schema.get("format") == "binary" or not (c.startswith("text/") or c.endswith("xml")):
            return "bytes", "bytes", "bytes", ct
        return "text", "str", "str", ct

    def _errors(self, r: _RawOp, opname: str) -> tuple[tuple[str, str], ...]:
        responses = r.op.get("responses")
        if not isinstance(responses, dict):
            return ()
        out: list[tuple[str, str]] = []
        has_success = any(str(c).startswith("2") for c in responses)
        for code, resp in responses.items():
            code = str(code)
            if code.startswith("2") or (code == "default" and not has_success):
                continue
            rpointer = pointer_join(r.pointer, "responses", code)
            resp, _ = self.types.deref_reported(resp, rpointer, "response")
            chosen = self._media(resp.get("content") if isinstance(resp, dict) else None)
            if chosen is None or chosen[1] is None:
                continue
            ct, schema = chosen
            if "json" not in ct.lower():
                continue
            t = qualify(self.types.type_of(schema, opname + "Error", pointer_join(rpointer, "content", ct, "schema")), "_m.")
            if t != ANY:
                out.append((py_str(code), t))
        return tuple(out)

    def _security(self, op: dict[str, Any]) -> str | None:
        if "security" not in op:
            return None
        sec = op["security"]
        if sec == self.global_security:
            return None
        return security_expr(sec, self.doc)

    # -- pagination ------------------------------------------------------------------
    def _pagination(self, r: _RawOp, op: OperationDef, ns: Namespace) -> PaginationDef | None:
        if r.method != "get" or op.response_kind != py_str("json") or not op.cast_to.startswith("_m."):
            return None
        model = self.types.models.get(op.cast_to[3:])
        if model is None:
            return None
        fields = {f.wire.lower(): f for f in model.fields}
        items = next((fields[k] for k in _ITEMS if k in fields and fields[k].annotation.startswith("list[")), None)
        if items is None:
            return None
        item_ann = qualify(items.annotation.removesuffix(" | None")[5:-1], "_m.")
        query = {str_of(p.wire).lower(): p for p in op.query_params if p.annotation.startswith("int")}
        cursors = {str_of(p.wire).lower(): p for p in op.query_params}
        total = next((fields[k] for k in _TOTAL if k in fields and fields[k].annotation.startswith("int")), None)
        kind = offset = limit = ""
        cursor_field = "None"
        off = next((query[k] for k in _OFFSET if k in query), None)
        lim = next((query[k] for k in _LIMIT if k in query), None)
        page = next((query[k] for k in _PAGE if k in query), None)
        cur = next((cursors[k] for k in _CURSOR if k in cursors), None)
        nxt = next((fields[k] for k in _NEXT if k in fields), None)
        if off is not None and lim is not None:
            kind, offset, limit = "offset", off.name, lim.name
        elif page is not None:
            kind, offset, limit = "page", page.name, lim.name if lim is not None else ""
        elif cur is not None and nxt is not None:
            kind, offset, cursor_field = "cursor", cur.name, py_str(nxt.wire)
        else:
            return None
        used = {offset, limit}
        passthrough = tuple(p for p in op.keyword if p.name not in used)
        page_size = "100"
        if lim is not None:
            schema = self._param_schema(r, str_of(lim.wire))
            for key in ("default", "maximum"):
                v = schema.get(key)
                if isinstance(v, int) and not isinstance(v, bool) and v > 0:
                    page_size = str(min(v, 1000))
                    break
        method_name = "iter" if op.name == "list" else ("iter_" + op.name[5:] if op.name.startswith("list_") else op.name + "_iter")
        return PaginationDef(
            method_name=ns.claim(method_name, f"iter {r.method} {r.path}"),
            kind=kind,
            item_annotation=item_ann,
            items_field=py_str(items.wire),
            total_field=py_str(total.wire) if total is not None else "None",
            offset_param=offset,
            limit_param=limit,
            cursor_field=cursor_field,
            page_size=page_size,
            passthrough=passthrough,
        )

    def _param_schema(self, r: _RawOp, wire: str) -> dict[str, Any]:
        for param, pp in self._params(r):
            if param.get("name") == wire:
                schema, _ = self.types.deref(param.get("schema"), pp)
                return schema if isinstance(schema, dict) else {}
        return {}


class _SkipOperation(Exception):
    pass


def _guard_params(params: tuple[ParamDef, ...], shadowed: frozenset[str]) -> tuple[ParamDef, ...]:
    return tuple(replace(p, annotation=guard_builtins(p.annotation, shadowed)) for p in params)


def _guard_op(op: OperationDef, shadowed: frozenset[str]) -> OperationDef:
    """Signature annotations that survive methods named like builtins."""

    def g(params: tuple[ParamDef, ...]) -> tuple[ParamDef, ...]:
        return _guard_params(params, shadowed)
    body = replace(op.body, annotation=guard_builtins(op.body.annotation, shadowed)) if op.body else None
    pagination = op.pagination
    if pagination is not None:
        pagination = replace(
            pagination,
            item_annotation=guard_builtins(pagination.item_annotation, shadowed),
            passthrough=g(pagination.passthrough),
        )
    return replace(
        op,
        positional=g(op.positional),
        keyword=g(op.keyword),
        body=body,
        return_annotation=guard_builtins(op.return_annotation, shadowed),
        pagination=pagination,
    )


def security_expr(sec: Any, doc: dict[str, Any]) -> str:
    """A tuple-of-tuples expression of scheme names (OR of ANDs)."""
    comps = doc.get("components")
    schemes = comps.get("securitySchemes") if isinstance(comps, dict) else None
    known = set(schemes) if isinstance(schemes, dict) else set()
    alts: list[str] = []
    if isinstance(sec, list):
        for req in sec:
            if not isinstance(req, dict):
                continue
            names = [n for n in req if n in known]
            if len(names) != len(req):
                continue
            alts.append(py_tuple([py_str(n) for n in names]))
    # An empty requirement means "anonymous is fine": try credentials first.
    alts.sort(key=lambda a: a == "()")
    return py_tuple(alts)
