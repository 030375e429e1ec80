"""What every transform of the upgrade shares: the source document, the notes,
the document-wide defaults and the renamed component names.

Swagger 2.0 top-level fields read here:
https://spec.openapis.org/oas/v2.0#swagger-object (``consumes``, ``produces``,
``host``, ``basePath``, ``schemes``, ``definitions``, ``parameters``,
``responses``, ``securityDefinitions``). OpenAPI 3.0 component names must match
``^[a-zA-Z0-9\\.\\-_]+$``: https://spec.openapis.org/oas/v3.0.3#components-object
"""

from __future__ import annotations

import re
from typing import Any

Note = tuple[str, str, str]

DEFAULT_MEDIA = "application/json"

_COMPONENT_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_COMPONENT_BAD_CHARS = re.compile(r"[^A-Za-z0-9._-]")


# -- JSON pointers (RFC 6901) ------------------------------------------------


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: object) -> str:
    """``base`` extended by ``tokens``: ``join("/a", "b/c", 0) == "/a/b~1c/0"``."""
    return base + "".join("/" + _escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str] | None:
    """Tokens of *pointer* (without the leading ``#``); None if malformed."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        return None
    return [_unescape(t) for t in pointer[1:].split("/")]


def ref_tokens(ref: str) -> list[str] | None:
    """Tokens of a local ``$ref`` (``#/a/b`` -> ``["a", "b"]``); None otherwise."""
    return split(ref[1:]) if ref.startswith("#") else None


# -- small value helpers -----------------------------------------------------


def media_base(media_type: str) -> str:
    """``"Text/Plain; charset=x"`` -> ``"text/plain"``."""
    return media_type.split(";", 1)[0].strip().lower()


def mapping(value: Any) -> dict[str, Any]:
    """*value* if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def is_ext(key: object) -> bool:
    """True for a specification extension key (``x-...``)."""
    return isinstance(key, str) and key.startswith("x-")


def _step(node: Any, token: str) -> tuple[bool, Any]:
    """One step of a pointer walk: (found, child)."""
    if isinstance(node, dict):
        if token in node:
            return True, node[token]
        # YAML may have produced non-string keys (e.g. 200).
        match = [k for k in node if str(k) == token]
        return (True, node[match[0]]) if match else (False, None)
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return True, node[int(token)]
    return False, None


def _walk(root: Any, tokens: list[str]) -> tuple[bool, Any]:
    node = root
    for token in tokens:
        found, node = _step(node, token)
        if not found:
            return False, None
    return True, node


class Context:
    """The source document and everything the transforms share while upgrading."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.src = doc
        self.notes: list[Note] = []
        self.consumes = self.media_list(doc.get("consumes"), "/consumes")
        self.produces = self.media_list(doc.get("produces"), "/produces")
        host = doc.get("host")
        self.host = str(host) if host else None
        base = doc.get("basePath")
        self.base_path = str(base) if base else ""
        schemes = doc.get("schemes")
        self.schemes = (
            [str(s) for s in schemes] if isinstance(schemes, list) and schemes else []
        )
        self.definitions = mapping(doc.get("definitions"))
        self.parameters = mapping(doc.get("parameters"))
        self.responses = mapping(doc.get("responses"))
        self.security_definitions = mapping(doc.get("securityDefinitions"))
        self.schema_names = self._component_names(self.definitions, "/definitions")
        self.param_names = self._component_names(self.parameters, "/parameters")
        self.response_names = self._component_names(self.responses, "/responses")
        self.scheme_names = self._component_names(
            self.security_definitions, "/securityDefinitions"
        )

    def note(self, code: str, message: str, pointer: str) -> None:
        """Record something that could not be converted exactly."""
        self.notes.append((code, message, pointer))

    def media_list(self, value: Any, ptr: str) -> list[str]:
        """A ``consumes``/``produces`` list, deduplicated in order."""
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.note("invalid-value", "media type list is not a list of strings", ptr)
            return []
        return list(dict.fromkeys(value))

    def _component_names(self, section: dict[str, Any], ptr: str) -> dict[str, str]:
        """Map original component names to names valid in OpenAPI 3.0."""
        names = [str(k) for k in section]
        taken = {n for n in names if _COMPONENT_NAME.match(n)}
        result: dict[str, str] = {}
        for name in names:
            if _COMPONENT_NAME.match(name):
                result[name] = name
                continue
            base = _COMPONENT_BAD_CHARS.sub("_", name) or "_"
            new, n = base, 1
            while new in taken:
                n += 1
                new = f"{base}_{n}"
            taken.add(new)
            result[name] = new
            self.note(
                "renamed-component",
                f"name {name!r} is not a valid OpenAPI 3.0 component name; "
                f"renamed to {new!r}",
                join(ptr, name),
            )
        return result

    def resolve(self, ref: str) -> tuple[Any, str] | None:
        """Follow a local ``$ref`` in the source (chains included).

        Returns the target and its pointer, or None if it cannot be followed.
        """
        seen: set[str] = set()
        while True:
            tokens = ref_tokens(ref)
            if tokens is None or ref in seen:
                return None
            seen.add(ref)
            found, node = _walk(self.src, tokens)
            if not found:
                return None
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                ref = node["$ref"]
                continue
            return node, ref[1:]
