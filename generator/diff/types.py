"""How a type annotation of the surface changed: same, wider, narrower, other.

A type is read as a union of *atoms*: ``int | None`` → {``int``, ``None``};
``Literal['a', 'b']`` → {``='a'``, ``='b'``}; anything else (``list[X]``,
a model name, ``dict[str, Any]``) is one atom, compared by its text.

An atom is *covered* by a type when the type accepts every value of it:
the same atom, ``Any``, ``str`` for a string literal, ``int`` for an
integer literal (and ``float`` for either), ``bool`` for a boolean literal.
"""

from __future__ import annotations

import ast
from enum import Enum


class Relation(Enum):
    SAME = "same"
    WIDER = "wider"  # the new type accepts everything the old one did, and more
    NARROWER = "narrower"  # the new type accepts a subset of the old one
    OTHER = "other"  # neither


def atoms(annotation: str) -> frozenset[str]:
    try:
        node = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return frozenset({annotation})
    out: set[str] = set()

    def walk(n: ast.expr) -> None:
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr):
            walk(n.left)
            walk(n.right)
        elif (
            isinstance(n, ast.Subscript)
            and isinstance(n.value, ast.Name)
            and n.value.id == "Literal"
        ):
            elts = n.slice.elts if isinstance(n.slice, ast.Tuple) else [n.slice]
            for e in elts:
                out.add("=" + ast.unparse(e))
        elif isinstance(n, ast.Constant) and n.value is None:
            out.add("None")
        else:
            out.add(ast.unparse(n))

    walk(node)
    return frozenset(out)


def _literal_kind(atom: str) -> str | None:
    if not atom.startswith("="):
        return None
    try:
        value = ast.literal_eval(atom[1:])
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    return None


def covered(atom: str, by: frozenset[str]) -> bool:
    if atom in by or "Any" in by:
        return True
    kind = _literal_kind(atom)
    if kind is not None:
        return kind in by or (kind in ("int", "float") and "float" in by)
    return atom == "int" and "float" in by


def relation(old: str, new: str) -> Relation:
    a, b = atoms(old), atoms(new)
    if a == b:
        return Relation.SAME
    if all(covered(x, b) for x in a):
        return Relation.WIDER
    if all(covered(x, a) for x in b):
        return Relation.NARROWER
    return Relation.OTHER


def only_values_added(old: str, new: str) -> bool:
    """True when the new type only adds literal values (an enum grew)."""
    a, b = atoms(old), atoms(new)
    added = b - a
    return a <= b and bool(added) and all(x.startswith("=") for x in added)


def without_none(annotation: str) -> str:
    """The type without its ``None`` member (for comparing around optionality)."""
    parts = sorted(atoms(annotation) - {"None"})
    if not parts:
        return "None"
    lits = [p[1:] for p in parts if p.startswith("=")]
    rest = [p for p in parts if not p.startswith("=")]
    if lits:
        rest.append(f"Literal[{', '.join(lits)}]")
    return " | ".join(rest)
