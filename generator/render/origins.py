"""Which spec element a line of a rendered file came from.

Used to place a generator bug (a module that does not compile) at the JSON
pointer of the element whose code is wrong: the enclosing model class in
``models.py`` is the schema it was built from; the enclosing method in a
resource module is the operation it was built from, else the module's first
operation. Anything else (client modules, package files) is the document's
root, ``""``.
"""

from __future__ import annotations

import re
import tokenize

from generator.ir import ApiModel, ResourceDef
from generator.render.modelsplit import HOME

_CLASS = re.compile(r"class ([A-Za-z_][A-Za-z0-9_]*)\b")
#: a method of a resource class (not a function nested in one)
_METHOD = re.compile(r"    (?:async )?def ([A-Za-z_][A-Za-z0-9_]*)\(")


def origin(api: ApiModel, path: str, text: str, line: int | None) -> str:
    """The JSON pointer of the element line ``line`` (1-based) of ``path`` renders.

    E.g. line 3 of ``pkg/models.py`` reading ``class Pet(BaseModel):`` /
    ``    name: str(`` gives the pointer of the schema model ``Pet`` was built
    from, ``/components/schemas/Pet``.
    """
    lines = text.splitlines()
    above = lines[: _statement_start(lines, line) if line else 0][::-1]
    if path == f"{api.package}/models.py" or path.startswith(
        (f"{api.package}/models/", f"{api.package}/{HOME}/")
    ):
        return _model_pointer(api, above)
    prefix = f"{api.package}/resources/"
    if path.startswith(prefix) and path.endswith(".py"):
        module = path[len(prefix) : -3]
        for resource in api.resources:
            if resource.module == module:
                return _resource_pointer(api, resource, above)
        return "/paths"
    return ""


def _statement_start(lines: list[str], line: int) -> int:
    """The line where the statement that failed at ``line`` began.

    A bracket left open makes Python report the error where the next
    statement starts (often the next method); the culprit is the line that
    opened the outermost bracket still open at ``line``.
    """
    depth = 0
    opened = line
    tokens = tokenize.generate_tokens(
        iter(text + "\n" for text in lines[: line - 1]).__next__
    )
    try:
        for tok in tokens:
            if tok.type != tokenize.OP:
                continue
            if tok.string in ("(", "[", "{"):
                if depth == 0:
                    opened = tok.start[0]
                depth += 1
            elif tok.string in (")", "]", "}"):
                depth = max(0, depth - 1)
    except (tokenize.TokenError, SyntaxError):
        pass  # the lines end inside a bracket or a string: what was seen counts
    return opened if depth > 0 else line


def _model_pointer(api: ApiModel, above: list[str]) -> str:
    pointers = {m.name: m.pointer for m in api.models}
    for text in above:
        match = _CLASS.match(text)
        if match is not None:
            return pointers.get(match.group(1)) or "/components/schemas"
    return "/components/schemas"


def _resource_pointer(api: ApiModel, resource: ResourceDef, above: list[str]) -> str:
    """The operation of the enclosing method, else the resource's first one."""
    ops = resource.operations
    wanted = ops[0] if ops else None
    for text in above:
        match = _METHOD.match(text)
        if match is not None:
            name = match.group(1)
            wanted = next((op for op in ops if name in op.method_names), wanted)
            break
        if _CLASS.match(text):
            break
    if wanted is None:
        return "/paths"
    return wanted.pointer or "/paths"
