"""A target's cookbook: Markdown recipes the package README includes.

The file (``cookbook:`` in the configuration) is plain Markdown written for
the package's users; it goes into the README as it is, under its own
heading. Its Python blocks must at least parse: a recipe that is not Python
is reported at its line, like any other problem of the inputs.
"""

from __future__ import annotations

import ast
import re

from generator.config import Target
from generator.diagnostics import Diagnostic, Diagnostics, SpecError
from generator.load.read import read_text

#: A fenced block: its info string and its text (fences of three backticks).
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def python_blocks(markdown: str) -> list[tuple[int, str]]:
    """Every fenced ``python`` block of ``markdown``: (line of its first code
    line, its code), in order."""
    blocks = []
    for match in _FENCE.finditer(markdown):
        if match.group(1).strip().split(" ")[0] == "python":
            line = markdown.count("\n", 0, match.start(2)) + 1
            blocks.append((line, match.group(2)))
    return blocks


def read_cookbook(target: Target, diags: Diagnostics) -> str | None:
    """The text of ``target``'s cookbook, None without one; a file that cannot
    be read, or a Python block that does not parse, is a located error."""
    if target.cookbook is None:
        return None
    text = read_text(target.cookbook, diags)
    problems = Diagnostics()
    for first, code in python_blocks(text):
        try:
            ast.parse(code)
        except SyntaxError as exc:
            problems.add(
                Diagnostic(
                    "error",
                    "cookbook-invalid",
                    f"a python block does not parse: {exc.msg}",
                    "",
                    target.cookbook,
                    first + (exc.lineno or 1) - 1,
                )
            )
    if problems.has_errors:
        diags.extend(problems)
        raise SpecError(diags)
    return text.strip()
