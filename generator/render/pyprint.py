"""The one printer of types and values: an IR tree → Python source text.

A :class:`Printer` prints for one module (its *scope*): how generated names
are reached (``Invoice`` in the models module, ``_m.Invoice`` elsewhere),
which builtins a class body shadows (then ``_b.list``), and it records the
module aliases it used so the module imports exactly those.

Long lines are laid out the way black lays them out (:class:`Layout`), from
the tree: a union is cut between its members, a subscript between its
items. Where the layout is not known, the line is left long and black
formats that piece (see :mod:`generator.render.format`); every module is
compiled before it is written either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator import ir
from generator.render.literals import py_str, py_tuple, py_value

#: black's line length (also :data:`generator.render.format.LINE_LENGTH`).
LINE_LENGTH = 88

#: Builtins that annotations use and a class attribute could shadow.
BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})

_PRIMS: dict[str, tuple[str, str | None]] = {
    # name: (spelling, module alias it needs)
    "str": ("str", None),
    "int": ("int", None),
    "float": ("float", None),
    "bool": ("bool", None),
    "bytes": ("bytes", None),
    "none": ("None", None),
    "date": ("_dt.date", "_dt"),
    "datetime": ("_dt.datetime", "_dt"),
    "time": ("_dt.time", "_dt"),
    "uuid": ("_uuid.UUID", "_uuid"),
    "decimal": ("_decimal.Decimal", "_decimal"),
    "decimal_string": ("_decimal.Decimal", "_decimal"),
    "io_bytes": ("_t.IO[bytes]", "_t"),
}


#: Primitives pydantic would also read from numeric strings (Unix times).
_TEMPORAL = frozenset({"date", "datetime", "time"})
#: Primitives written as JSON strings.
_STRINGY = _TEMPORAL | {"str", "uuid", "decimal_string", "bytes"}


def _temporal(t: ir.Type) -> bool:
    return isinstance(t, ir.Prim) and t.name in _TEMPORAL


def _stringy(t: ir.Type) -> bool:
    """Is ``t`` written as a JSON string (so a date could be mistaken for it)?"""
    if isinstance(t, ir.Prim):
        return t.name in _STRINGY
    return isinstance(t, ir.LiteralOf) and any(isinstance(v, str) for v in t.values)


#: Primitives whose values the runtime decodes or sends its own way.
_RUNTIME_PRIMS = {"decimal": "ExactNumber", "decimal_string": "DecimalString"}


def width(line: str) -> int:
    """An upper bound of black's width of ``line`` (exact for ASCII)."""
    return len(line) if line.isascii() else 2 * len(line)


def fits(line: str) -> bool:
    return width(line) <= LINE_LENGTH


# Whole statements in black's layout, for the templates (Jinja globals).
# A layout that splits a line black would keep whole cannot be undone by
# black; so a line that is not ASCII (``fits`` overstates its width) stays
# whole and goes to black, except where the split carries a magic trailing
# comma, which black keeps either way.


def from_import(module: str, names: list[str], indent: int = 0) -> str:
    """``from module import names`` at ``indent``: on one line when it fits,
    else the names in parentheses, one a line, with a trailing comma."""
    pad = " " * indent
    one = f"{pad}from {module} import {', '.join(names)}"
    if fits(one):
        return one
    body = "".join(f"{pad}    {name},\n" for name in names)
    return f"{pad}from {module} import (\n{body}{pad})"


def class_line(name: str, bases: str) -> str:
    """A top-level ``class name(bases):``, the bases on a line of their own
    when it is too long."""
    one = f"class {name}({bases}):"
    if fits(one) or not one.isascii():
        return one
    return f"class {name}(\n    {bases}\n):"


def type_alias_line(name: str, value: str, indent: int) -> str:
    """``name: _t.TypeAlias = value`` at ``indent``, as black writes it when
    too long: the value in parentheses, or, where even the head does not
    fit, the annotation."""
    pad = " " * indent
    head = f"{pad}{name}: _t.TypeAlias = "
    if fits(head + value) or not head.isascii():
        return head + value
    if fits(head + "("):
        return f"{head}(\n{pad}    {value}\n{pad})"
    return f"{pad}{name}: (\n{pad}    _t.TypeAlias\n{pad}) = {value}"


@dataclass(frozen=True)
class Shape:
    """A printed type and where black may cut it.

    ``members``: the operands of a top-level union. ``opener`` and
    ``items``: a name applied to one subscript (``list[`` + items + ``]``).
    ``atom``: a (dotted) name, which black never cuts.
    """

    text: str
    atom: bool = False
    members: tuple[Shape, ...] | None = None
    opener: str | None = None
    items: tuple[Shape, ...] = ()


@dataclass
class Printer:
    """Prints types for one module."""

    models: str  # prefix of generated names: "" or "_m."
    file_input: str  # spelling of a file upload type
    shadowed: frozenset[str] = frozenset()
    used: set[str] = field(default_factory=set)
    params: str = ""  # prefix of request TypedDicts: "" or "_p."
    #: how the runtime's value types (``ExactNumber``, ``DecimalString``,
    #: ``EXACT``) are spelled: "_" (imported as ``_ExactNumber``), "_rt."
    #: (``_rt.ExactNumber``), or "" where values are only type-checked, not
    #: decoded or sent (request TypedDicts): plain ``Decimal``, no marker
    runtime: str = ""
    #: generated names spelled otherwise here (``_m_Name``: imported under
    #: another name where ``Name`` means something else)
    rename: Mapping[str, str] = field(default_factory=dict)
    #: the generated names (models and aliases) printed, for the imports of
    #: a split ``models`` package
    names: set[str] = field(default_factory=set)

    def shadowing(self, names: frozenset[str] | set[str]) -> Printer:
        """The same scope inside a class body that defines ``names``."""
        return Printer(
            self.models,
            self.file_input,
            frozenset(names) & BUILTIN_TYPES,
            self.used,
            self.params,
            self.runtime,
            self.rename,
            self.names,
        )

    def need(self, alias: str) -> str:
        self.used.add(alias)
        return alias

    def _builtin(self, name: str) -> str:
        if name in self.shadowed:
            self.used.add("_b")
            return f"_b.{name}"
        return name

    def _iso(self, t: ir.Type) -> Shape:
        """A date or time that shares a union with other values written as
        strings: matched by ISO 8601 text only (see the runtime's ``ISO``)."""
        marker = Shape(self._runtime("ISO"), atom=True)
        return self._subscript(self.need("_t") + ".Annotated[", (self.shape(t), marker))

    def _runtime(self, name: str) -> str:
        """The spelling of the runtime's ``name`` in this module."""
        self.used.add(self.runtime + name if self.runtime == "_" else "_rt")
        return self.runtime + name

    def _ref(self, name: str, kind: str = "model") -> str:
        if kind == "params":
            prefix = self.params
        else:
            prefix = self.models
            self.names.add(name)
            name = self.rename.get(name, name)
        if prefix:
            self.used.add(prefix.rstrip("."))
        return prefix + name

    # -- types ---------------------------------------------------------------
    def ann(self, t: ir.Type) -> str:
        return self.shape(t).text

    def shape(self, t: ir.Type) -> Shape:
        if isinstance(t, ir.Prim):
            return self._prim(t)
        if isinstance(t, ir.AnyType):
            return Shape(self.need("_t") + ".Any", atom=True)
        if isinstance(t, ir.Ref):
            return Shape(self._ref(t.name, t.kind), atom=True)
        if isinstance(t, ir.ListOf):
            return self._subscript(self._builtin("list") + "[", (self.shape(t.item),))
        if isinstance(t, ir.DictOf):
            key = Shape(self._builtin("str"), atom=True)
            return self._subscript(
                self._builtin("dict") + "[", (key, self.shape(t.value))
            )
        if isinstance(t, ir.LiteralOf):
            return self._literal(t)
        if isinstance(t, ir.UnionOf):
            iso = self.runtime and sum(map(_stringy, t.members)) > 1
            members = tuple(
                self._iso(m) if iso and _temporal(m) else self.shape(m)
                for m in t.members
            )
            return Shape(" | ".join(m.text for m in members), members=members)
        return self._tagged(t)

    def _prim(self, t: ir.Prim) -> Shape:
        if t.name == "file":
            self.used.add(self.file_input.split(".")[0])
            return Shape(self.file_input, atom=True)
        if t.name in _RUNTIME_PRIMS and self.runtime:
            return Shape(self._runtime(_RUNTIME_PRIMS[t.name]), atom=True)
        text, module = _PRIMS[t.name]
        if module:
            self.used.add(module)
            return Shape(text, atom="[" not in text)
        return Shape(self._builtin(text), atom=True)

    def _literal(self, t: ir.LiteralOf) -> Shape:
        """``Literal[...]``; one holding numbers or booleans carries the
        runtime's ``EXACT`` where values are decoded."""
        values = tuple(Shape(py_value(v)) for v in t.values)
        literal = self._subscript(self.need("_t") + ".Literal[", values)
        if not self.runtime or all(isinstance(v, str) for v in t.values):
            return literal
        marker = Shape(self._runtime("EXACT"), atom=True)
        return self._subscript("_t.Annotated[", (literal, marker))

    def generic(self, opener: str, t: ir.Type) -> Shape:
        """``opener`` (``_rt.SyncListPage[``) applied to the type ``t``."""
        return self._subscript(opener, (self.shape(t),))

    def _subscript(self, opener: str, items: tuple[Shape, ...]) -> Shape:
        text = opener + ", ".join(i.text for i in items) + "]"
        return Shape(text, opener=opener, items=items)

    def _tagged(self, t: ir.Tagged) -> Shape:
        self.used.update({"_t", "_Tag", "_discriminator"})
        members = ", ".join(
            f"_t.Annotated[{self._ref(m)}, _Tag({py_str(m)})]" for m in t.members
        )
        table = ", ".join(f"{py_str(v)}: {py_str(c)}" for v, c in t.tags)
        # the classes, tried in turn when a response's tag is missing or unknown
        classes = py_tuple([self._ref(m) for m in t.members])
        union = Shape(f"_t.Union[{members}]")
        disc = Shape(f"_discriminator({py_str(t.prop)}, {{{table}}}, {classes})")
        return self._subscript("_t.Annotated[", (union, disc))

    # -- values --------------------------------------------------------------
    def default(self, d: ir.Default) -> str:
        return py_value(d.value)


_CLASSES = frozenset(ir.Prim(n) for n in ("str", "bytes", "int", "float", "bool"))


def security(sec: ir.Security) -> str:
    """A tuple of tuples of scheme names, spaced as black does."""
    alts = [py_tuple([py_str(n) for n in alt]) for alt in sec]
    return py_tuple(alts)


def scheme(s: ir.SchemeDef) -> str:
    """The runtime constructor call of a security scheme."""
    if isinstance(s, ir.ApiKeyScheme):
        return (
            f"_rt.ApiKeyScheme(credential={py_str(s.credential)}, name={py_str(s.name)}, "
            f"location={py_str(s.location)})"
        )
    if isinstance(s, ir.BasicScheme):
        return f"_rt.HttpBasicScheme(username={py_str(s.username)}, password={py_str(s.password)})"
    if isinstance(s, ir.BearerScheme):
        return f"_rt.HttpBearerScheme(credential={py_str(s.credential)})"
    extra = ""
    if s.username is not None and s.password is not None:
        extra = f", username={py_str(s.username)}, password={py_str(s.password)}"
    if s.token_body != "form":
        extra += f", token_body={py_str(s.token_body)}"
    scopes = "(" + "".join(py_str(x) + ", " for x in s.scopes) + ")"
    return (
        f"_rt.OAuth2Scheme(token_url={py_str(s.token_url)}, flow={py_str(s.flow)}, scopes={scopes}, "
        f"client_id={py_str(s.client_id)}, client_secret={py_str(s.client_secret)}{extra}, "
        f"access_token={py_str(s.access_token)})"
    )


def simple_default(d: ir.Default | None) -> bool:
    """A default black never cuts: no brackets, commas or escapes."""
    if d is None:
        return True
    v = d.value
    if v is None or isinstance(v, bool | int | float):
        return True
    return (
        isinstance(v, str)
        and py_str(v) == f'"{v}"'
        and not any(c in v for c in "(){}[],#")
    )


class Layout:
    """Lines laid out as black lays them out, when they are too long.

    Each method returns the text for one logical line at ``indent``
    columns; what it does not know how to lay out stays on one line, for
    black to format.
    """

    def __init__(self, printer: Printer) -> None:
        self.p = printer

    def wrap(self, head: str, items: list[str], tail: str, indent: int) -> str:
        return wrap(head, items, tail, indent)

    def field(self, f: ir.FieldDef, indent: int) -> str:
        """A class-body field ``name: type [= default]``."""
        shape = self.p.shape(f.type)
        if f.aliased:
            args = [] if f.default is None else ["default=" + self.p.default(f.default)]
            lit = py_str(f.wire)
            self.p.need("_Field")
            args += ["validation_alias=" + lit, "serialization_alias=" + lit]
            return wrap(f"{f.name}: {shape.text} = _Field(", args, ")", indent)
        default = "" if f.default is None else self.p.default(f.default)
        tail = f" = {default}" if default else ""
        one = f"{f.name}: {shape.text}{tail}"
        if fits(" " * indent + one):
            return one
        if default:
            if not simple_default(f.default):
                return one
            head = f"{f.name}: {shape.text} = ("
            if fits(" " * indent + head) and fits(" " * (indent + 4) + default):
                return f"{head}\n{' ' * (indent + 4)}{default}\n{' ' * indent})"
        if shape.members is None and not shape.atom:
            if tail:  # black splits at the default first: left to it
                return one
            return _annotation_block(f"{f.name}: ", shape, indent) or one
        return _parenthesized(f"{f.name}: ", shape, tail, indent) or one

    def key(self, k: ir.KeyDef) -> str:
        """The annotation of a request TypedDict's key, on one line."""
        return self._key_shape(k).text

    def key_line(self, k: ir.KeyDef, indent: int) -> str:
        """A class-syntax TypedDict's ``key: _t.NotRequired[type]``, its
        subscript exploded as black explodes it when the line is too long."""
        shape = self._key_shape(k)
        one = f"{k.wire}: {shape.text}"
        if fits(" " * indent + one):
            return one
        return _annotation_block(f"{k.wire}: ", shape, indent) or one

    def _key_shape(self, k: ir.KeyDef) -> Shape:
        wrapper = "Required" if k.required else "NotRequired"
        return self.p.generic(f"{self.p.need('_t')}.{wrapper}[", k.type)

    def quoted_key(self, k: ir.KeyDef) -> str:
        """:meth:`key` as a string: the functional syntax evaluates its values,
        and a TypedDict may name one defined further down."""
        return py_str(self.key(k))

    def param(self, name: str, t: ir.Type, default: str, indent: int) -> str:
        """A parameter line ``name: type [= default],`` of an exploded signature."""
        shape = self.p.shape(t)
        tail = (f" = {default}" if default else "") + ","
        one = f"{name}: {shape.text}{tail}"
        if fits(" " * indent + one) or shape.members is None:
            return one
        return _parenthesized(f"{name}: ", shape, tail, indent) or one

    def alias(self, name: str, t: ir.Type) -> str:
        """A top-level ``name: _t.TypeAlias = type``."""
        shape = self.p.shape(t)
        self.p.need("_t")
        head = f"{name}: _t.TypeAlias = "
        one = head + shape.text
        if fits(one):
            return one
        if shape.opener is None:
            if shape.members is None:
                return one
            return _parenthesized(head, shape, "", 0) or one
        if fits(head + shape.opener):
            return _subscript(head, shape, 0)
        if fits(head + "("):
            # black's optional parentheses around the value
            if fits("    " + shape.text):
                return f"{head}(\n    {shape.text}\n)"
            return f"{head}(\n{_subscript('    ', shape, 4)}\n)"
        if fits(f"{name}: ("):
            rest = ") = " + shape.text
            if not fits(rest):
                rest = _subscript(") = ", shape, 0)
            return f"{name}: (\n    _t.TypeAlias\n{rest}"
        inner = ", ".join(i.text for i in shape.items)
        if len(shape.items) > 1 and not fits("    " + inner):
            rest = _subscript(") = ", shape, 0)
        else:
            rest = f") = {shape.opener}\n    {inner}\n]"
        return f"{name}: (\n    _t.TypeAlias\n{rest}"

    def item(self, key: str, t: ir.Type, indent: int) -> str:
        """One item ``key=type,`` (or ``type,`` when ``key`` is empty) of an
        exploded bracket."""
        shape = self.p.shape(t)
        text = f"{key}={shape.text}" if key else shape.text
        one = text + ","
        if fits(" " * indent + one):
            return one
        head = f"{key}=" if key else ""
        block = _union_lines(shape, indent, head, ",")
        if block is None:
            sub = _subscript_block(shape, indent)
            block = head + sub if sub else None
        return block + "," if block else one

    def cast(self, t: ir.Type, indent: int) -> str:
        """The ``cast_to=`` item of a request: a class as it is, any other
        type wrapped in the runtime's ``As[...]`` so the call stays typed."""
        if (isinstance(t, ir.Ref) and t.kind == "model") or t in _CLASSES:
            return self.item("cast_to", t, indent)
        shape = self.p.shape(t)
        self.p.need("_rt")
        wrapped = Shape(f"_rt.As[{shape.text}]", opener="_rt.As[", items=(shape,))
        one = f"cast_to={wrapped.text},"
        if fits(" " * indent + one):
            return one
        block = _subscript_block(wrapped, indent)
        return f"cast_to={block}," if block else one

    def params(self, params: tuple[ir.ParamDef, ...]) -> list[str]:
        """``"wire": value`` items of a request's parameter dict."""
        items: list[str] = []
        for p in params:
            value = p.name
            if p.style is not None:
                self.p.need("_rt")
                value = f"_rt.Styled({p.name}, {py_str(p.style[0])}, {p.style[1]!r})"
            items.append(f"{py_str(p.wire)}: {value}")
        return items

    def errors(self, op: ir.OperationDef) -> list[str]:
        return [f"{py_str(status)}: {self.p.ann(t)}" for status, t in op.error_types]

    def page_type(self, pg: ir.PaginationDef, is_async: bool) -> str:
        """What a paged operation's ``list()`` answers: its page class, or
        the runtime's list page of its items."""
        return self._page_shape(pg, is_async).text

    def _page_shape(self, pg: ir.PaginationDef, is_async: bool) -> Shape:
        if pg.page_class is not None and pg.async_page_class is not None:
            name = pg.async_page_class if is_async else pg.page_class
            return Shape(name, atom=True)
        self.p.need("_rt")
        flavour = "AsyncListPage" if is_async else "SyncListPage"
        return self.p.generic(f"_rt.{flavour}[", pg.item)

    def paging(self, pg: ir.PaginationDef, indent: int) -> str:
        """The ``_rt.Paging(...)`` argument telling the runtime how to page."""
        args = [py_str(pg.kind)]
        named = (
            ("items", pg.items_field),
            ("param", pg.offset_wire),
            ("limit", pg.limit_wire),
            ("location", pg.location if pg.location != "query" else None),
            ("total", pg.total_field),
            ("next", pg.cursor_field),
        )
        args += [f"{key}={py_str(value)}" for key, value in named if value]
        if pg.start:
            args.append(f"start={pg.start}")
        self.p.need("_rt")
        return wrap("_rt.Paging(", args, "),", indent)

    def page_request(self, pg: ir.PaginationDef, is_async: bool) -> str:
        """The runtime function a paged ``list()`` calls, and its bracket."""
        kind = "page" if pg.page_class else "list_page"
        self.p.need("_rt")
        return f"_rt.{'a' if is_async else ''}request_{kind}("

    def iter_call(self, op: ir.OperationDef, pg: ir.PaginationDef) -> str:
        """``iter()``'s call of ``list()`` for the first page: the caller's
        arguments, the first offset or page number, the page size."""
        items = [p.name for p in op.positional]
        if op.body:
            items.append(op.body.name)
        items += [f"{p.name}={p.name}" for p in pg.passthrough]
        if pg.offset_param and pg.kind != "cursor":
            items.append(f"{pg.offset_param}={pg.start}")
        if pg.limit_param:
            items.append(f"{pg.limit_param}=page_size")
        items.append("request_options=request_options")
        return wrap(f"lambda: self.{op.name}(", items, ")", 12)

    def page_returns(self, pg: ir.PaginationDef, is_async: bool) -> str:
        """The ``) -> ...:`` line of a paged operation's ``list()``."""
        return self._returns(self._page_shape(pg, is_async))

    def iter_returns(self, pg: ir.PaginationDef, iterator: str) -> str:
        """The ``) -> _t.Iterator[item]:`` line of a paged operation's ``iter()``."""
        return self._returns(
            self.p.generic(f"{self.p.need('_t')}.{iterator}[", pg.item)
        )

    def returns(self, t: ir.Type) -> str:
        """The ``) -> type:`` line closing a method's exploded signature."""
        return self._returns(self.p.shape(t))

    def _returns(self, shape: Shape) -> str:
        one = f") -> {shape.text}:"
        if fits("    " + one):
            return one
        block = _subscript_block(shape, 4)
        if block:
            return f") -> {block}:"
        if shape.members is None and not shape.atom:
            return one
        return _parenthesized(") -> ", shape, ":", 4) or one


def wrap(head: str, items: list[str], tail: str, indent: int) -> str:
    """``head`` + items + ``tail`` the way black leaves it.

    On one line when that fits at ``indent`` columns; otherwise exploded,
    one item per line with a trailing comma, which black keeps exploded (the
    magic trailing comma). For call brackets, dicts, lists and sets only
    (black ignores the trailing comma of a one-element tuple or subscript).
    """
    one = f"{head}{', '.join(items)}{tail}"
    if not items or width(" " * indent + one) <= LINE_LENGTH:
        return one
    inner = " " * (indent + 4)
    body = "".join(f"{inner}{item},\n" for item in items)
    return f"{head}\n{body}{' ' * indent}{tail}"


def _annotation_block(head: str, shape: Shape, indent: int) -> str | None:
    """``head`` + a subscript annotation with no value after it (a class
    body's ``name: list[A]``), split as black splits its last bracket; None
    when unsure."""
    if not fits(" " * indent + head + (shape.opener or "")):
        return None
    if not (head + shape.text).isascii():
        return None  # fits() overstates its width: black may keep one line
    block = _subscript_block(shape, indent)
    return head + block if block else None


def _parenthesized(head: str, shape: Shape, tail: str, indent: int) -> str | None:
    """``head (`` type ``) tail``, as black wraps a long type hint, or None."""
    pad = " " * (indent + 4)
    close = " " * indent + ")" + tail
    if not fits(" " * indent + head + "(") or not fits(close):
        return None
    if fits(pad + shape.text):
        return f"{head}(\n{pad}{shape.text}\n{close}"
    body = _union_lines(shape, indent + 4)
    return f"{head}(\n{pad}{body}\n{close}" if body else None


def _subscript(head: str, shape: Shape, indent: int) -> str:
    """``head`` + a subscript type with its subscript exploded as black does."""
    assert shape.opener is not None
    opener = head + shape.opener
    items = [i.text for i in shape.items]
    if len(items) > 1:
        return wrap(opener, items, "]", indent)
    # one item: no trailing comma (black does not add one in a subscript)
    return f"{opener}\n{' ' * (indent + 4)}{items[0]}\n{' ' * indent}]"


def _union_lines(
    shape: Shape, indent: int, head: str = "", tail: str = ""
) -> str | None:
    """``head`` + a union, one operand per line as black splits it inside
    brackets (the first after ``head``, the others after ``| ``); an operand
    too long for its line has its subscript exploded in turn; None when
    unsure. ``tail`` is not included, only measured."""
    if shape.members is None:
        return None
    pad = " " * indent
    lines: list[str] = []
    last = len(shape.members) - 1
    for i, part in enumerate(shape.members):
        prefix = "| " if i else head
        end = tail if i == last else ""
        text = part.text
        if not (part.atom or fits(f"{pad}{prefix}{text}{end}")):
            block = _subscript_block(part, indent)
            if block is None:
                return None
            text = block
        lines.append(prefix + text)
    return f"\n{pad}".join(lines)


def _subscript_block(shape: Shape, indent: int) -> str | None:
    """A name applied to one subscript of one item, the subscript exploded
    as black does at ``indent``: the item alone on a line (a name however
    long), a union split one operand a line, or a one-item subscript
    exploded the same way (``As[list[A | B]]``); None when unsure."""
    if shape.opener is None or not shape.items:
        return None
    pad = " " * (indent + 4)
    if len(shape.items) > 1:
        return _items_block(shape, indent)
    inner_shape = shape.items[0]
    inner = inner_shape.text
    if not fits(pad + inner) and not inner_shape.atom:
        # a union one operand a line, or a nested one-item subscript in turn
        lines = _union_lines(inner_shape, indent + 4) or _subscript_block(
            inner_shape, indent + 4
        )
        if lines is None:
            return None
        inner = lines
    return f"{shape.opener}\n{pad}{inner}\n{' ' * indent}]"


def _items_block(shape: Shape, indent: int) -> str | None:
    """A subscript of several items (``dict[str, list[A | B]]``) exploded as
    black does: the items on one line inside the brackets when they fit,
    else one a line with a trailing comma, a subscript among them exploded
    in turn; None when unsure (an item that is a long bare union)."""
    assert shape.opener is not None
    pad = " " * (indent + 4)
    joined = ", ".join(i.text for i in shape.items)
    if fits(pad + joined):
        return f"{shape.opener}\n{pad}{joined}\n{' ' * indent}]"
    items: list[str] = []
    for item in shape.items:
        text = item.text
        if not (item.atom or fits(f"{pad}{text},")):
            block = _subscript_block(item, indent + 4)
            if block is None:
                return None
            text = block
        items.append(text)
    return wrap(shape.opener, items, "]", indent)  # too long for one line
