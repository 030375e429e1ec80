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


def wrap_expr(head: str, expr: str, indent: int) -> str:
    """``head`` + ``expr``, exploded like :func:`wrap` when too long.

    Only a dotted name applied to one bracket that closes at the end of
    ``expr`` (``_t.Literal[...]``, ``f(...)``) is exploded, and a subscript
    only with two items or more; anything else stays on one line for black.
    """
    one = head + expr
    if fits(" " * indent + one):
        return one
    match = _DOTTED_OPEN.match(expr)
    if match is None or expr[-1] != _CLOSE[expr[match.end() - 1]]:
        return one
    items = split_items(expr[match.end() : -1])
    if items is None or (expr[-1] == "]" and len(items) < 2):
        return one
    # the bracket opened after the name must be the one closing at the end
    if split_items(expr[match.end() - 1 :]) != [expr[match.end() - 1 :]]:
        return one
    return wrap(head + expr[: match.end()], items, expr[-1], indent)


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
    env.globals["wrap_expr"] = wrap_expr
    env.filters["param_items"] = lambda params: [
        f"{p.wire}: {p.value_expr}" for p in params
    ]
    return env


@dataclass(frozen=True)
class Mode:
    is_async: bool
    base: str
    client_base: str
    def_: str
    await_: str
    iterator: str
    http_client: str


MODES = (
    Mode(
        False, "SyncAPIResource", "SyncAPIClient", "def", "", "Iterator", "httpx.Client"
    ),
    Mode(
        True,
        "AsyncAPIResource",
        "AsyncAPIClient",
        "async def",
        "await ",
        "AsyncIterator",
        "httpx.AsyncClient",
    ),
)


def header(api: ApiModel) -> str:
    return f"# Generated by clientgen from {api.spec_name}. Do not edit: regenerate instead."


def runtime_sources() -> dict[str, str]:
    folder = templates_dir() / "runtime"
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.py"))}


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
        f"{pkg}/_client.py": env.get_template("client.py.jinja").render(ctx),
        f"{pkg}/models.py": env.get_template("models.py.jinja").render(ctx),
        f"{pkg}/resources/__init__.py": env.get_template(
            "resources_init.py.jinja"
        ).render(ctx),
    }
    resource_tpl = env.get_template("resource.py.jinja")
    for r in api.resources:
        files[f"{pkg}/resources/{r.module}.py"] = resource_tpl.render(ctx, r=r)
    for name, text in runtime_sources().items():
        files[f"{pkg}/_runtime/{name}"] = f"{head}\n{text}"
    return files
