"""Stage 3: the model → source files, through Jinja templates.

:func:`environment` is the one Jinja environment factory; the generator and
its tests use it alike. Templates only loop and fill in; every string they
print was made by the model builder (or goes through a ``py_str`` filter,
the same escaping path the builder uses).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import jinja2

from generator.build.literals import py_comment_safe, py_str
from generator.build.model import ApiModel
from generator.fingerprint import templates_dir

RUNTIME_FILES_PACKAGE = "generator.templates.runtime"


def _doc_text(text: str) -> str:
    """Plain one-line text inside an existing docstring."""
    return py_comment_safe(text).replace("\\", "\\\\").replace('"', '\\"')


#: black's line length (also :data:`generator.render.format.LINE_LENGTH`).
LINE_LENGTH = 88


def width(line: str) -> int:
    """An upper bound of black's width of ``line`` (exact for ASCII)."""
    return len(line) if line.isascii() else 2 * len(line)


def fits(line: str) -> bool:
    return width(line) <= LINE_LENGTH


def wrap(head: str, items: list[str], tail: str, indent: int) -> str:
    """``head`` + items + ``tail`` the way black leaves it.

    On one line (``head`` + the items joined by ", " + ``tail``) when that
    fits in :data:`LINE_LENGTH` at ``indent`` columns; otherwise exploded,
    one item per line with a trailing comma, which black keeps exploded (the
    magic trailing comma). ``head`` ends with the opening bracket and
    ``tail`` starts with the closing one; call brackets, dicts, lists and
    sets only (black ignores the trailing comma of a one-element tuple or
    subscript).
    """
    one = f"{head}{', '.join(items)}{tail}"
    if not items or width(" " * indent + one) <= LINE_LENGTH:
        return one
    inner = " " * (indent + 4)
    body = "".join(f"{inner}{item},\n" for item in items)
    return f"{head}\n{body}{' ' * indent}{tail}"


_DOTTED_OPEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*[\[(]")
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def split_items(inner: str) -> list[str] | None:
    """``inner`` cut at its top-level commas, or None when unsure.

    Knows string literals (either quote, backslash escapes) and brackets;
    anything odd (an unbalanced bracket, an unterminated string, an empty
    item, a triple quote) gives None.
    """
    items: list[str] = []
    stack: list[str] = []
    start = 0
    i = 0
    n = len(inner)
    while i < n:
        c = inner[i]
        if c in "\"'":
            if inner.startswith(c * 3, i):
                return None
            j = i + 1
            while j < n and inner[j] != c:
                j += 2 if inner[j] == "\\" else 1
            if j >= n:
                return None
            i = j + 1
            continue
        if c in _CLOSE:
            stack.append(_CLOSE[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                return None
        elif c == "," and not stack:
            items.append(inner[start:i].strip())
            start = i + 1
        i += 1
    if stack:
        return None
    last = inner[start:].strip()
    if last:
        items.append(last)
    if not items or any(not item for item in items):
        return None
    return items


def split_union(expr: str) -> list[str] | None:
    """``expr`` cut at its top-level `` | ``, or None when unsure (strings
    other than simple double-quoted ones, unbalanced brackets)."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(expr)
    while i < n:
        c = expr[i]
        if c == '"':
            j = expr.find('"', i + 1)
            if j < 0 or "\\" in expr[i:j]:
                return None
            i = j + 1
            continue
        if c in "'#\\":
            return None
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and expr.startswith(" | ", i):
            parts.append(expr[start:i])
            start = i + 3
            i += 3
            continue
        i += 1
    if depth:
        return None
    parts.append(expr[start:])
    if any(not part or part != part.strip() for part in parts):
        return None
    return parts


_ATOM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
#: defaults :func:`annotated` lays out itself: no brackets, no commas
_SIMPLE = re.compile(r'None|True|False|-?[0-9][0-9.e+-]*|"[^"\\(){}\[\],#]*"')


def _parenthesized(head: str, ann: str, tail: str, indent: int) -> str | None:
    """``head (`` ann ``) tail``, as black wraps a long type hint, or None."""
    pad = " " * (indent + 4)
    close = " " * indent + ")" + tail
    if not fits(" " * indent + head + "(") or not fits(close):
        return None
    if fits(pad + ann):
        return f"{head}(\n{pad}{ann}\n{close}"
    body = _union_lines(ann, indent + 4)
    return f"{head}(\n{pad}{body}\n{close}" if body else None


def field(name: str, ann: str, default: str, indent: int) -> str:
    """A class-body field ``name: ann = default`` (or without default) the
    way black lays it out when too long; left on one line (for black) in
    the cases this does not know."""
    tail = f" = {default}" if default else ""
    one = f"{name}: {ann}{tail}"
    if fits(" " * indent + one):
        return one
    if default:
        if not _SIMPLE.fullmatch(default):
            return one
        head = f"{name}: {ann} = ("
        if fits(" " * indent + head) and fits(" " * (indent + 4) + default):
            return f"{head}\n{' ' * (indent + 4)}{default}\n{' ' * indent})"
    parts = split_union(ann)
    if parts is None or (len(parts) == 1 and not _ATOM.fullmatch(ann)):
        return one
    return _parenthesized(f"{name}: ", ann, tail, indent) or one


def param(name: str, ann: str, default: str, indent: int) -> str:
    """A parameter line ``name: ann = default,`` of an exploded signature the
    way black lays it out when too long (a union annotation in parentheses);
    left on one line (for black) in the cases this does not know."""
    tail = (f" = {default}" if default else "") + ","
    one = f"{name}: {ann}{tail}"
    if fits(" " * indent + one):
        return one
    if default and not _SIMPLE.fullmatch(default):
        return one
    parts = split_union(ann)
    if parts is None or len(parts) < 2:
        return one
    return _parenthesized(f"{name}: ", ann, tail, indent) or one


def _one_subscript(expr: str) -> int | None:
    """Where the ``[`` opens in ``expr`` when it is a dotted name applied to
    one subscript that closes at the end (``_t.Literal[...]``), else None."""
    match = _DOTTED_OPEN.match(expr)
    if match is None or expr[match.end() - 1] != "[" or expr[-1] != "]":
        return None
    if split_items(expr[match.end() - 1 :]) != [expr[match.end() - 1 :]]:
        return None
    return match.end() - 1


def _subscript(head: str, expr: str, indent: int) -> str | None:
    """``head`` + ``expr`` (see :func:`_one_subscript`) with the subscript
    exploded the way black does, or None."""
    at = _one_subscript(expr)
    if at is None:
        return None
    items = split_items(expr[at + 1 : -1])
    if items is None:
        return None
    opener = head + expr[: at + 1]
    if len(items) > 1:
        return wrap(opener, items, "]", indent)
    # one item: no trailing comma (black does not add one in a subscript)
    return f"{opener}\n{' ' * (indent + 4)}{items[0]}\n{' ' * indent}]"


def alias(name: str, expr: str) -> str:
    """A top-level ``name: _t.TypeAlias = expr`` laid out as black does; left
    on one line (for black) in the cases this does not know."""
    head = f"{name}: _t.TypeAlias = "
    one = head + expr
    if fits(one):
        return one
    at = _one_subscript(expr)
    if at is None:
        parts = split_union(expr)
        if parts is None or len(parts) < 2:
            return one
        return _parenthesized(head, expr, "", 0) or one
    if fits(head + expr[: at + 1]):
        return _subscript(head, expr, 0) or one
    if fits(head + "("):
        # black's optional parentheses around the value
        if fits("    " + expr):
            return f"{head}(\n    {expr}\n)"
        inner = _subscript("    ", expr, 4)
        return f"{head}(\n{inner}\n)" if inner else one
    # the annotation in parentheses, the value after them
    if fits(f"{name}: ("):
        rest = ") = " + expr
        if not fits(rest):
            rest = _subscript(") = ", expr, 0) or ""
        return f"{name}: (\n    _t.TypeAlias\n{rest}" if rest else one
    # a name too long for any line: black explodes the value too, its items
    # on one line when they fit there
    items = split_items(expr[at + 1 : -1])
    if items is None:
        return one
    inner = ", ".join(items)
    if len(items) > 1 and not fits("    " + inner):
        rest = _subscript(") = ", expr, 0) or ""
    else:
        rest = f") = {expr[: at + 1]}\n    {inner}\n]"
    return f"{name}: (\n    _t.TypeAlias\n{rest}" if rest else one


def _union_lines(expr: str, indent: int, head: str = "", tail: str = "") -> str | None:
    """``head`` + ``expr`` (+ ``tail``, not included), a union, one operand
    per line as black splits it inside brackets (the first after ``head``, the others after ``| ``); an
    operand too long for its line has its subscript exploded in turn (see
    :func:`_subscript_block`); None when unsure."""
    parts = split_union(expr)
    if parts is None or len(parts) < 2:
        return None
    pad = " " * indent
    lines: list[str] = []
    last = len(parts) - 1
    for i, part in enumerate(parts):
        prefix = "| " if i else head
        end = tail if i == last else ""
        if not (_ATOM.fullmatch(part) or fits(f"{pad}{prefix}{part}{end}")):
            # an operand too long for its line: its subscript exploded
            block = _subscript_block(part, indent)
            if block is None:
                return None
            part = block
        lines.append(prefix + part)
    return f"\n{pad}".join(lines)


def _subscript_block(expr: str, indent: int) -> str | None:
    """``expr``, a dotted name applied to one subscript of one item, with the
    subscript exploded as black does at ``indent``: the item alone on a line
    (a name however long), or a union split one operand a line; None when
    unsure."""
    at = _one_subscript(expr)
    if at is None:
        return None
    items = split_items(expr[at + 1 : -1])
    if items is None or len(items) != 1:
        return None
    pad = " " * (indent + 4)
    inner = items[0]
    if not fits(pad + inner) and not _ATOM.fullmatch(inner):
        lines = _union_lines(inner, indent + 4)
        if lines is None:
            return None
        inner = lines
    return f"{expr[: at + 1]}\n{pad}{inner}\n{' ' * indent}]"


def item(text: str, indent: int) -> str:
    """One item ``text,`` (``key=value`` or a value) of an exploded bracket
    at ``indent``, laid out as black does when too long; left on one line
    (for black) in the cases this does not know."""
    one = text + ","
    if fits(" " * indent + one):
        return one
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*=", text)
    key = match.group() if match else ""
    value = text[len(key) :]
    block = _union_lines(value, indent, key, ",")
    if block is None:
        block = _subscript_block(value, indent)
        block = key + block if block else None
    return block + "," if block else one


def returns(annotation: str) -> str:
    """The ``) -> annotation:`` line closing a method's exploded signature,
    laid out as black does when too long (one subscript exploded, or the
    annotation in parentheses)."""
    one = f") -> {annotation}:"
    if fits("    " + one):
        return one
    block = _subscript_block(annotation, 4)
    if block:
        return f") -> {block}:"
    parts = split_union(annotation)
    if parts is None or (len(parts) == 1 and not _ATOM.fullmatch(annotation)):
        return one
    return _parenthesized(") -> ", annotation, ":", 4) or one


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["py_str"] = py_str
    env.filters["toml_str"] = lambda s: json.dumps(str(s))
    env.filters["py_doc_text"] = _doc_text
    env.globals["wrap"] = wrap
    env.globals["fits"] = fits
    env.globals["field"] = field
    env.globals["alias"] = alias
    env.globals["item"] = item
    env.globals["returns"] = returns
    env.globals["param"] = param
    env.filters["param_items"] = lambda params: [
        f"{p.wire}: {p.value_expr}" for p in params
    ]
    return env


@dataclass(frozen=True)
class Mode:
    is_async: bool
    base: str
    client_base: str  # the generated client's base class, from its module
    def_: str
    await_: str
    iterator: str
    http_client: str


MODES = (
    Mode(
        False,
        "SyncAPIResource",
        "_front.SyncAPIClient",
        "def",
        "",
        "Iterator",
        "httpx.Client",
    ),
    Mode(
        True,
        "AsyncAPIResource",
        "_async_front.AsyncAPIClient",
        "async def",
        "await ",
        "AsyncIterator",
        "httpx.AsyncClient",
    ),
)


def header(api: ApiModel) -> str:
    return f"# Generated by clientgen from {api.spec_name}. Do not edit: regenerate instead."


def runtime_sources() -> dict[str, str]:
    """Verbatim files by their path in the package: ``_runtime/`` holds the
    request machinery, the package root the light client base classes."""
    root = templates_dir()
    files = {
        f"_runtime/{p.name}": p.read_text("utf-8")
        for p in sorted((root / "runtime").glob("*.py"))
    }
    for p in sorted((root / "front").glob("*.py")):
        files[p.name] = p.read_text("utf-8")
    return files


def _examples(api: ApiModel) -> list[str]:
    lines: list[str] = []
    for r in api.resources:
        for op in r.operations:
            if op.pagination is not None and not op.positional:
                lines.append(
                    f"for item in client.{r.attr}.{op.pagination.method_name}():  # every page, lazily"
                )
                lines.append("    print(item)")
                break
        if lines:
            break
    for r in api.resources:
        for op in r.operations:
            if op.http_method == "GET" and len(op.positional) == 1 and op.body is None:
                lines.append(f"result = client.{r.attr}.{op.name}(1)")
                return lines
    return lines


def render(api: ApiModel) -> dict[str, str]:
    """Relative path → unformatted text, for every file of the package."""
    env = environment()
    head = header(api)
    pkg = api.package
    ctx = {"api": api, "header": head, "modes": MODES}
    files: dict[str, str] = {
        "pyproject.toml": env.get_template("pyproject.toml.jinja").render(ctx),
        "README.md": env.get_template("README.md.jinja").render(
            ctx, header_text=head.lstrip("# "), examples=_examples(api)
        ),
        f"{pkg}/__init__.py": env.get_template("package_init.py.jinja").render(ctx),
        f"{pkg}/py.typed": "",
        f"{pkg}/_client.py": env.get_template("client.py.jinja").render(
            ctx, mode=MODES[0]
        ),
        f"{pkg}/_async_client.py": env.get_template("client.py.jinja").render(
            ctx, mode=MODES[1]
        ),
        f"{pkg}/models.py": env.get_template("models.py.jinja").render(ctx),
        f"{pkg}/resources/__init__.py": env.get_template(
            "resources_init.py.jinja"
        ).render(ctx),
    }
    resource_tpl = env.get_template("resource.py.jinja")
    for r in api.resources:
        files[f"{pkg}/resources/{r.module}.py"] = resource_tpl.render(ctx, r=r)
    for name, text in runtime_sources().items():
        files[f"{pkg}/{name}"] = f"{head}\n{text}"
    return files
