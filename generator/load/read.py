"""Read a spec (path or URL) and parse JSON or YAML safely."""

from __future__ import annotations

import datetime
import functools
import json
import re
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostics, SpecError

#: A description larger than this is refused outright.
MAX_BYTES = 256 * 1024 * 1024
#: YAML aliases can make a small file expand enormously ("billion laughs");
#: a document whose expanded tree exceeds this many nodes is refused.
MAX_EXPANDED_NODES = 20_000_000


@functools.cache
def _spec_loader() -> type[Any]:
    """Safe YAML loader that keeps dates as strings (OpenAPI wants strings).

    Made on first use: reading a pyproject.toml or a JSON spec needs no YAML.
    """
    import yaml

    base: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, rx) for tag, rx in res if tag != "tag:yaml.org,2002:timestamp"]
        for first, res in base.yaml_implicit_resolvers.items()
    }
    return type("_SpecLoader", (base,), {"yaml_implicit_resolvers": resolvers})


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_text(source: str, diags: Diagnostics, pointer: str = "") -> str:
    """The text of a local file or an http(s) URL."""
    try:
        if is_url(source):
            import urllib.request  # only for URLs: it costs 20 ms to import

            with urllib.request.urlopen(source, timeout=30) as resp:  # noqa: S310
                data: bytes = resp.read(MAX_BYTES + 1)
        else:
            path = Path(source)
            if path.stat().st_size > MAX_BYTES:
                data = b"x" * (MAX_BYTES + 1)
            else:
                data = path.read_bytes()
    except (OSError, ValueError) as exc:  # URLError is an OSError
        diags.error("read-failed", f"cannot read {source}: {exc}", pointer)
        raise SpecError(diags) from None
    if len(data) > MAX_BYTES:
        diags.error("too-large", f"{source} is larger than {MAX_BYTES} bytes", pointer)
        raise SpecError(diags)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diags.error("not-utf8", f"{source} is not UTF-8 text: {exc}", pointer)
        raise SpecError(diags) from None


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _expanded_size(root: Any) -> int:
    """Node count of the tree as if every YAML alias were copied out."""
    memo: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        key = id(node)
        if key in memo:
            return memo[key]
        if key in in_progress:  # recursive alias: refuse to expand at all
            return MAX_EXPANDED_NODES + 1
        in_progress.add(key)
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                break
        in_progress.discard(key)
        memo[key] = total
        return total

    return size(root)


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


def parse_text(text: str, source: str, diags: Diagnostics, pointer: str = "") -> Any:
    """Parse JSON or YAML text; a syntax error is a diagnostic with a line."""
    if looks_like_json(text):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            # Not valid JSON: it may still be YAML (JSON-like flow YAML).
            json_error = exc
        else:
            if _SURROGATE_ESCAPE.search(text):
                data = _replace_lone_surrogates(data, source, diags, pointer)
            return data
    else:
        json_error = None
    import yaml

    try:
        data = yaml.load(text, Loader=_spec_loader())  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        if json_error is not None:
            line = json_error.lineno
            problem = json_error.msg
        else:
            problem = str(getattr(exc, "problem", None) or exc)
        from generator.diagnostics import Diagnostic

        diags.add(
            Diagnostic(
                "error",
                "parse-error",
                f"{source} is not valid JSON or YAML: {problem}",
                pointer,
                source,
                line,
            )
        )
        raise SpecError(diags) from None
    if isinstance(data, dict | list) and _expanded_size(data) > MAX_EXPANDED_NODES:
        diags.error(
            "too-large",
            f"{source} expands to more than {MAX_EXPANDED_NODES} nodes through YAML aliases",
            pointer,
        )
        raise SpecError(diags)
    if _SURROGATE_ESCAPE.search(text):
        data = _replace_lone_surrogates(data, source, diags, pointer)
    return _normalise(data)
