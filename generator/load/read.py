"""Read a spec (path or URL) and parse JSON or YAML safely.

Everything read for one load (the spec, its overlays and every file its
``$ref``s reach) shares one :class:`Budget`: total bytes read, total nodes,
and the size of the tree with every YAML alias copied out. A hostile input
(a billion-laughs YAML, a ``$ref`` to ``/dev/zero``, many huge files) stops
with a located ``too-large`` error instead of exhausting memory. Only regular
files are read: a device, FIFO or folder is refused before any byte is read.

YAML is read with the YAML 1.2 core schema (``NO`` stays the string "NO",
``010`` is ten), and duplicate keys in YAML or JSON are reported, never
silently dropped.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Diagnostics, SpecError

#: Budgets of one load, overridable through these environment variables.
BYTES_VAR = "CLIENTGEN_MAX_BYTES"
NODES_VAR = "CLIENTGEN_MAX_NODES"
#: Bytes read over all files of a load; also the bound on the characters of
#: all strings once YAML aliases are copied out.
MAX_BYTES = 128 * 1024 * 1024
#: Objects, arrays and scalars over all files of a load, aliases copied out
#: (GitHub's 13 MB description has 260,000).
MAX_NODES = 5_000_000
#: The longest integer Python will print (``sys.get_int_max_str_digits``).
_LONG_INT = re.compile(r"[0-9]{4301,}")


class NotAFile(OSError):
    """The path names a device, FIFO, socket or folder: never read."""


@dataclass
class Budget:
    """What one load may still read; shared by every file it reads."""

    max_bytes: int = MAX_BYTES
    max_nodes: int = MAX_NODES
    bytes_read: int = 0
    nodes: int = 0
    chars: int = 0  # characters of all strings, aliases copied out

    @classmethod
    def from_env(cls) -> Budget:
        """The default budget, or the one the environment sets."""
        return cls(_env_int(BYTES_VAR, MAX_BYTES), _env_int(NODES_VAR, MAX_NODES))


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "clientgen_load_budget", default=None
)


@contextlib.contextmanager
def shared_budget() -> Iterator[Budget]:
    """Every read inside the block draws on one :class:`Budget`.

    Outside such a block each file has a budget of its own.
    """
    budget = Budget.from_env()
    token = _CURRENT.set(budget)
    try:
        yield budget
    finally:
        _CURRENT.reset(token)


def _budget() -> Budget:
    return _CURRENT.get() or Budget.from_env()


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes | None:
    """The bytes of the regular file at ``path``, or None if it holds more
    than ``limit``. Raises :class:`NotAFile` for anything that is not a
    regular file (``/dev/zero``, a FIFO: no byte is read, nothing blocks) and
    OSError when it cannot be opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(f"{os.fspath(path)} is not a regular file")
        if info.st_size > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the file may grow while it is read
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    return None if len(data) > limit else data


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_text(source: str, diags: Diagnostics, pointer: str = "") -> str:
    """The text of a local regular file or an http(s) URL, within the budget."""
    budget = _budget()
    left = max(budget.max_bytes - budget.bytes_read, 0)
    data: bytes | None
    try:
        if is_url(source):
            import urllib.request  # only for URLs: it costs 20 ms to import

            with urllib.request.urlopen(source, timeout=30) as resp:  # noqa: S310
                data = resp.read(left + 1)
            data = data if len(data) <= left else None
        else:
            data = read_regular(source, left)
    except NotAFile:
        diags.error(
            "not-a-file",
            f"cannot read {source}: not a regular file (a device, FIFO or folder)",
            pointer,
        )
        raise SpecError(diags) from None
    except (OSError, ValueError) as exc:  # URLError is an OSError; NUL in a path
        diags.error("read-failed", f"cannot read {source}: {exc}", pointer)
        raise SpecError(diags) from None
    if data is None:
        diags.error(
            "too-large",
            f"reading {source} exceeds the budget of {budget.max_bytes} bytes "
            f"for all files of the description (set {BYTES_VAR} to change it)",
            pointer,
        )
        raise SpecError(diags)
    budget.bytes_read += len(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diags.error("not-utf8", f"{source} is not UTF-8 text: {exc}", pointer)
        raise SpecError(diags) from None


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _weigh(root: Any, budget: Budget) -> tuple[int, int]:
    """Nodes and string characters of ``root`` with every alias copied out.

    Shared subtrees (YAML aliases) are weighed once and counted at every use;
    the walk stops as soon as either total passes what the budget has left.
    """
    max_nodes = budget.max_nodes - budget.nodes
    max_chars = budget.max_bytes - budget.chars
    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def weigh(node: Any) -> tuple[int, int]:
        if isinstance(node, str):
            return 1, len(node)
        if not isinstance(node, dict | list):
            return 1, 0
        key = id(node)
        if key in memo:
            return memo[key]
        if key in active:  # a recursive alias: infinite once copied out
            return max_nodes + 1, 0
        active.add(key)
        nodes, chars = 1, 0
        if isinstance(node, dict):
            chars += sum(len(k) for k in node if isinstance(k, str))
            nodes += len(node)
        for child in node.values() if isinstance(node, dict) else node:
            n, c = weigh(child)
            nodes, chars = nodes + n, chars + c
            if nodes > max_nodes or chars > max_chars:
                break
        active.discard(key)
        memo[key] = nodes, chars
        return nodes, chars

    return weigh(root)


def _json_bounds(text: str) -> tuple[int, int]:
    """Upper bounds of the nodes and string characters of the JSON ``text``.

    JSON has no aliases: every node but the root follows a ``{``, ``[``,
    ``,`` or ``:`` of the text (counting those inside strings too only
    raises the bound), and no string holds more characters than the text.
    """
    return 1 + sum(text.count(c) for c in "{[,:"), len(text)


def _charge(
    data: Any,
    source: str,
    diags: Diagnostics,
    pointer: str,
    bounds: tuple[int, int] | None = None,
) -> None:
    """Count ``data`` against the load's node and size budget; ``bounds``
    (upper bounds of its nodes and characters, as :func:`_json_bounds`
    gives) are charged instead of a walk of ``data`` when they fit."""
    budget = _budget()
    if (
        bounds is not None
        and budget.nodes + bounds[0] <= budget.max_nodes
        and budget.chars + bounds[1] <= budget.max_bytes
    ):
        budget.nodes += bounds[0]
        budget.chars += bounds[1]
        return
    nodes, chars = _weigh(data, budget)
    budget.nodes += nodes
    budget.chars += chars
    if budget.nodes > budget.max_nodes:
        what = f"more than {budget.max_nodes} nodes (set {NODES_VAR} to change it)"
    elif budget.chars > budget.max_bytes:
        what = f"strings longer than {budget.max_bytes} characters (set {BYTES_VAR})"
    else:
        return
    diags.error(
        "too-large",
        f"{source} brings the description to {what}, YAML aliases copied out",
        pointer,
    )
    raise SpecError(diags)


def _normalise(node: Any) -> Any:
    """Keys become strings (YAML turns ``200:`` into an int); dates stay strings."""
    if isinstance(node, dict):
        return {_key(k): _normalise(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_normalise(v) for v in node]
    if isinstance(node, datetime.date):
        return node.isoformat()
    return node


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


#: a \uD800-\uDFFF escape: JSON may spell a lone surrogate, which no file can hold
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(
    data: Any, source: str, diags: Diagnostics, pointer: str
) -> Any:
    """Lone surrogates (half of a UTF-16 pair) become U+FFFD, with one warning."""
    found = False

    def fix(node: Any) -> Any:
        nonlocal found
        if isinstance(node, str):
            if _LONE_SURROGATE.search(node):
                found = True
                return _LONE_SURROGATE.sub("\ufffd", node)
            return node
        if isinstance(node, list):
            return [fix(v) for v in node]
        if isinstance(node, dict):
            return {fix(k): fix(v) for k, v in node.items()}
        return node

    fixed = fix(data)
    if found:
        diags.warn(
            "lone-surrogate",
            f"{source} spells unpaired UTF-16 surrogates (\\uD800-\\uDFFF); each became U+FFFD",
            pointer,
        )
    return fixed


def _fail_at(
    diags: Diagnostics, code: str, message: str, source: str, line: int | None
) -> SpecError:
    diags.add(Diagnostic("error", code, message, "", source, line))
    return SpecError(diags)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _parse_json(text: str, source: str, diags: Diagnostics) -> Any:
    """The JSON document; its duplicate keys reported. JSONDecodeError if it
    is not JSON (it may still be YAML)."""
    duplicates: list[tuple[int, str]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    duplicates.append((id(obj), key))
                seen.add(key)
        return obj

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer Python will not convert
        long = _LONG_INT.search(text)
        raise _fail_at(
            diags,
            "number-too-large",
            f"{source} holds a number that cannot be read: "
            + str(exc).split(";", 1)[0],
            source,
            _line_of(text, long.start()) if long else None,
        ) from None
    if duplicates:
        _report_json_duplicates(data, duplicates, text, source, diags)
    return data


def _report_json_duplicates(
    data: Any,
    duplicates: list[tuple[int, str]],
    text: str,
    source: str,
    diags: Diagnostics,
) -> None:
    from generator.diagnostics import pointer_join
    from generator.load.locate import locate

    owners = {owner for owner, _ in duplicates}
    where: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack and len(where) < len(owners):
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if id(node) in owners:
                where[id(node)] = pointer
            stack.extend((v, pointer_join(pointer, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, pointer_join(pointer, i)) for i, v in enumerate(node))
    for owner, key in duplicates:
        pointer = pointer_join(where.get(owner, ""), key)
        diags.add(
            Diagnostic(
                "warning",
                "duplicate-key",
                f"key {key!r} appears more than once in one object: "
                "only its last value is kept",
                pointer,
                source,
                locate(text, pointer, is_json=True),
            )
        )


def _parse_yaml(
    text: str, source: str, diags: Diagnostics, json_error: Exception | None
) -> Any:
    import yaml

    from generator.load.yamlcore import BadScalar, load_yaml

    try:
        data, duplicates = load_yaml(text)
    except BadScalar as exc:
        raise _fail_at(
            diags, "number-too-large", f"{source}: {exc}", source, exc.line
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        if isinstance(json_error, json.JSONDecodeError):
            line = json_error.lineno
            problem = json_error.msg
        else:
            problem = str(getattr(exc, "problem", None) or exc)
        raise _fail_at(
            diags,
            "parse-error",
            f"{source} is not valid JSON or YAML: {problem}",
            source,
            line,
        ) from None
    for dup in duplicates:
        diags.add(
            Diagnostic(
                "warning",
                "duplicate-key",
                f"key {dup.key!r} appears more than once in one mapping (also on "
                f"line {dup.first}): only the last value is kept",
                "",
                source,
                dup.line,
            )
        )
    return data


def parse_text(text: str, source: str, diags: Diagnostics, pointer: str = "") -> Any:
    """Parse JSON or YAML text; a syntax error is a diagnostic with a line.

    The document is counted against the load's budget (:class:`Budget`).
    """
    json_error: Exception | None = None
    if looks_like_json(text):
        try:
            data = _parse_json(text, source, diags)
        except json.JSONDecodeError as exc:
            # Not valid JSON: it may still be YAML (JSON-like flow YAML).
            json_error = exc
        else:
            _charge(data, source, diags, pointer, _json_bounds(text))
            if _SURROGATE_ESCAPE.search(text):
                data = _replace_lone_surrogates(data, source, diags, pointer)
            return data
    data = _parse_yaml(text, source, diags, json_error)
    _charge(data, source, diags, pointer)
    if _SURROGATE_ESCAPE.search(text):
        data = _replace_lone_surrogates(data, source, diags, pointer)
    return _normalise(data)
