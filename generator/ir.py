"""The intermediate representation: everything the templates need, decided.

The model builder (:mod:`generator.builder`) makes it; render
(:mod:`generator.render`) only reads it. It imports nothing else of the
generator. Values are frozen dataclasses:

- **types are trees** (:data:`Type`): built once, compared structurally; a
  union is normalised when it is made (:func:`union`: flattened, duplicates
  removed, ``None`` last, ``Any`` absorbing), so no later stage looks at how a
  type is spelled. One printer (:mod:`generator.render.pyprint`) turns a
  tree into Python for the module it is printed in;
- **names** are identifiers already decided (valid, unique in their scope);
- **text** (docs, wire names, paths, enum values, defaults) is plain data:
  the printer makes the literals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

# ---------------------------------------------------------------------------
# Types

#: Scalar and library types a schema can map to.
PrimName = Literal[
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "none",
    "date",
    "datetime",
    "time",
    "uuid",
    "decimal",  # a JSON number held exactly (number, format decimal)
    "decimal_string",  # a decimal number written as a JSON string
    "file",  # a file upload: bytes, a binary file object or (name, content[, type])
    "io_bytes",  # a binary file object (request bodies)
]

#: A value a ``Literal[...]`` may hold.
LiteralValue: TypeAlias = str | int | bool


@dataclass(frozen=True)
class Prim:
    name: PrimName


@dataclass(frozen=True)
class AnyType:
    """Any value at all (the schema allows it, or nothing better is known)."""


@dataclass(frozen=True)
class Ref:
    """A name the package defines: a model class or a type alias."""

    name: str
    kind: Literal["model", "alias", "params"] = "model"


@dataclass(frozen=True)
class ListOf:
    item: Type


@dataclass(frozen=True)
class DictOf:
    """A JSON object with string keys and ``value`` values."""

    value: Type


@dataclass(frozen=True)
class LiteralOf:
    values: tuple[LiteralValue, ...]


@dataclass(frozen=True)
class UnionOf:
    """Make with :func:`union`, which keeps the members normalised."""

    members: tuple[Type, ...]


@dataclass(frozen=True)
class Tagged:
    """Models told apart by the value of the property ``prop``."""

    prop: str
    members: tuple[str, ...]  # model class names
    tags: tuple[tuple[str, str], ...]  # (tag value, model class name), sorted


Type: TypeAlias = Prim | AnyType | Ref | ListOf | DictOf | LiteralOf | UnionOf | Tagged

NONE = Prim("none")
ANY = AnyType()
STR = Prim("str")
INT = Prim("int")


def _key(value: LiteralValue) -> tuple[str, LiteralValue]:
    return (type(value).__name__, value)


def literal(values: tuple[LiteralValue, ...] | list[LiteralValue]) -> LiteralOf:
    """A ``Literal`` of ``values`` without duplicates (``1`` and ``True`` differ)."""
    seen: set[tuple[str, LiteralValue]] = set()
    unique: list[LiteralValue] = []
    for v in values:
        if _key(v) not in seen:
            seen.add(_key(v))
            unique.append(v)
    return LiteralOf(tuple(unique))


def union(*types: Type) -> Type:
    """The union of ``types``: flattened, duplicates dropped, ``None`` last.

    ``Any`` absorbs every other member; literals merge into one; a union of
    one member is that member.
    """
    flat: list[Type] = []
    for t in types:
        flat.extend(t.members if isinstance(t, UnionOf) else (t,))
    if any(isinstance(t, AnyType) for t in flat) or not flat:
        return ANY
    values: list[LiteralValue] = []
    out: list[Type] = []
    literal_at: int | None = None
    for t in flat:
        if isinstance(t, LiteralOf):
            values.extend(t.values)
            if literal_at is None:
                literal_at = len(out)
                out.append(t)
        elif t != NONE and t not in out:
            out.append(t)
    if literal_at is not None:
        out[literal_at] = literal(values)
    if NONE in flat:
        out.append(NONE)
    return out[0] if len(out) == 1 else UnionOf(tuple(out))


def nullable(t: Type) -> Type:
    return union(t, NONE)


def is_optional(t: Type) -> bool:
    """Does ``t`` admit ``None`` (or anything)?"""
    return (
        t == NONE
        or isinstance(t, AnyType)
        or (isinstance(t, UnionOf) and NONE in t.members)
    )


def without_none(t: Type) -> Type:
    if isinstance(t, UnionOf):
        rest = [m for m in t.members if m != NONE]
        return union(*rest) if rest else NONE
    return t


def children(t: Type) -> tuple[Type, ...]:
    if isinstance(t, ListOf):
        return (t.item,)
    if isinstance(t, DictOf):
        return (t.value,)
    if isinstance(t, UnionOf):
        return t.members
    if isinstance(t, Tagged):
        return tuple(Ref(m) for m in t.members)
    return ()


def walk(t: Type) -> Iterator[Type]:
    """``t`` and every type inside it, depth first."""
    stack = [t]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def refs(t: Type) -> Iterator[Ref]:
    for node in walk(t):
        if isinstance(node, Ref):
            yield node


def replace_prim(t: Type, old: PrimName, new: PrimName) -> Type:
    """``t`` with every ``Prim(old)`` replaced by ``Prim(new)``."""
    if isinstance(t, Prim):
        return Prim(new) if t.name == old else t
    if isinstance(t, ListOf):
        return ListOf(replace_prim(t.item, old, new))
    if isinstance(t, DictOf):
        return DictOf(replace_prim(t.value, old, new))
    if isinstance(t, UnionOf):
        return union(*(replace_prim(m, old, new) for m in t.members))
    return t


# ---------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class Default:
    """A default value: plain JSON data (``None`` for ``null``)."""

    value: object


NO_DEFAULT = None
DEFAULT_NONE = Default(None)


# ---------------------------------------------------------------------------
# Models


@dataclass(frozen=True)
class FieldDef:
    name: str  # python attribute name
    wire: str  # JSON key
    type: Type
    default: Default | None  # None: required
    doc: str | None
    read_only: bool = False
    write_only: bool = False
    #: listed in the schema's ``required`` (whatever the direction)
    schema_required: bool = False
    #: the type the schema gives the value (``type`` may add ``None`` for an
    #: optional field); None: the same as ``type``
    value_type: Type | None = None

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def aliased(self) -> bool:
        return self.wire != self.name


@dataclass(frozen=True)
class ModelDef:
    name: str
    doc: str | None
    base: str | None  # a generated model class, or None for the runtime BaseModel
    fields: tuple[FieldDef, ...]
    pointer: str
    #: the schema takes keys besides its properties (``additionalProperties``
    #: given and not false): its request TypedDict accepts a plain dict too
    open: bool = False

    @property
    def read_only(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.read_only)

    @property
    def response_fields(self) -> tuple[FieldDef, ...]:
        """The fields of the class: ``writeOnly`` ones are never in a response."""
        return tuple(f for f in self.fields if not f.write_only)


@dataclass(frozen=True)
class KeyDef:
    """One key of a request :class:`ParamsDef`."""

    wire: str  # the JSON key, as the TypedDict spells it
    type: Type
    required: bool
    doc: str | None


@dataclass(frozen=True)
class ParamsDef:
    """A ``TypedDict`` of a request body object: the keys a caller may send.

    Made from a model (``readOnly`` properties left out); ``functional`` when
    a key is not an identifier, so only the functional syntax can spell it.
    """

    name: str
    model: str  # the model class it mirrors
    doc: str | None
    keys: tuple[KeyDef, ...]
    functional: bool


@dataclass(frozen=True)
class AliasDef:
    """A named type alias: an enum's Literal, or (``late``) a type naming models.

    Late aliases name model classes, so models.py defines them after every class.
    """

    name: str
    type: Type
    doc: str | None
    late: bool = False


# ---------------------------------------------------------------------------
# Operations


@dataclass(frozen=True)
class ParamDef:
    name: str  # python argument name
    wire: str
    location: Literal["path", "query", "header", "cookie"]
    type: Type  # as written in the signature, e.g. int | None
    required: bool
    doc: str | None = None
    #: serialisation when it differs from the location's default: (style, explode)
    style: tuple[str, bool] | None = None
    #: the DeprecationWarning text, None if not deprecated
    deprecated_message: str | None = None


@dataclass(frozen=True)
class BodyDef:
    name: str
    type: Type  # as written in the signature
    validate_as: Type | None  # what the runtime validates a given body as
    content_type: str
    required: bool
    #: a JSON body: the method also takes ``extra_body`` (merged into it)
    json: bool = False


PaginationKind = Literal["offset", "page", "cursor", "header", "link"]


@dataclass(frozen=True)
class PaginationDef:
    """How a list operation pages: its ``list()`` answers a page that knows
    the next one (``has_next_page()``, ``next_page()``), and ``method_name``
    (``iter``) walks every item of every page."""

    method_name: str
    kind: PaginationKind
    item: Type
    items_field: str | None  # None: the response is the list of items
    total_field: str | None  # items (offset) or pages (page) in all
    offset_param: str | None  # python name of the offset, page or cursor argument
    limit_param: str | None  # python name of the page-size argument
    cursor_field: str | None  # cursor: the response field; header: its name
    page_size: int
    passthrough: tuple[ParamDef, ...]
    #: where the offset/page/cursor and page size travel
    location: Literal["query", "body"] = "query"
    offset_wire: str | None = None
    limit_wire: str | None = None
    start: int = 0  # the first offset or page number
    #: the page classes of the resource module (a model response), else None
    page_class: str | None = None
    async_page_class: str | None = None
    #: the response model the page classes extend
    page_model: Type | None = None


ResponseKind = Literal["json", "text", "bytes", "headers", "empty"]

#: Alternatives of scheme names, each all required (OR of ANDs).
Security = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class OperationDef:
    name: str
    http_method: str  # "GET"
    path: str  # path template as sent
    doc: str | None  # including the HTTP line
    deprecated_message: str | None
    positional: tuple[ParamDef, ...]  # path params, in path order
    body: BodyDef | None
    keyword: tuple[ParamDef, ...]  # query/header/cookie params, required first
    returns: Type  # NONE when nothing is returned
    response_kind: ResponseKind
    accept: str | None
    error_types: tuple[tuple[str, Type], ...]  # (status or "default", type)
    security: Security | None  # None: the client's default
    pagination: PaginationDef | None
    download_name: str | None  # name of the streaming variant for binary downloads
    pointer: str = ""

    @property
    def method_names(self) -> tuple[str, ...]:
        """The methods the operation becomes: the call, and its download and
        iterator variants."""
        pages = self.pagination.method_name if self.pagination else None
        return (self.name, *(n for n in (self.download_name, pages) if n))

    @property
    def returns_value(self) -> bool:
        return self.returns != NONE

    def params_in(self, location: str) -> tuple[ParamDef, ...]:
        return tuple(
            p for p in self.positional + self.keyword if p.location == location
        )


@dataclass(frozen=True)
class ResourceDef:
    attr: str  # attribute on the client
    module: str  # module name under resources/
    class_name: str
    async_class_name: str
    doc: str | None
    operations: tuple[OperationDef, ...]

    @property
    def attributes(self) -> frozenset[str]:
        """Names the class body defines (methods); annotations must not use them bare."""
        return frozenset(n for op in self.operations for n in op.method_names)


# ---------------------------------------------------------------------------
# The client


@dataclass(frozen=True)
class CredentialDef:
    name: str  # constructor argument
    env: str  # environment variable
    doc: str


@dataclass(frozen=True)
class ApiKeyScheme:
    key: str  # the scheme's name in the description
    credential: str
    name: str  # header, query or cookie name
    location: Literal["header", "query", "cookie"]


@dataclass(frozen=True)
class BasicScheme:
    key: str
    username: str
    password: str


@dataclass(frozen=True)
class BearerScheme:
    key: str
    credential: str


@dataclass(frozen=True)
class OAuth2Scheme:
    key: str
    token_url: str
    flow: Literal["client_credentials", "password"]
    scopes: tuple[str, ...]
    client_id: str
    client_secret: str
    access_token: str
    username: str | None = None
    password: str | None = None
    #: how the token request is written: a form (RFC 6749), or JSON where
    #: the description's own token operation takes only JSON
    token_body: Literal["form", "json"] = "form"


SchemeDef: TypeAlias = ApiKeyScheme | BasicScheme | BearerScheme | OAuth2Scheme


@dataclass(frozen=True)
class ServerDef:
    name: str
    url: str
    doc: str | None

    @property
    def relative(self) -> bool:
        """Is the URL relative to the description's location (``/api/v1``)?"""
        return "://" not in self.url


@dataclass(frozen=True)
class ApiModel:
    package: str
    distribution: str
    version: str
    client_name: str
    async_client_name: str
    title: str
    api_phrase: str  # the title naming the API: "Pets API", never "Pets API API"
    description: str | None
    spec_name: str  # for the "generated from" header
    servers: tuple[ServerDef, ...]
    credentials: tuple[CredentialDef, ...]
    client_headers: tuple[tuple[str, str], ...]  # (credential name, header)
    schemes: tuple[SchemeDef, ...]
    security: Security
    resources: tuple[ResourceDef, ...]
    models: tuple[ModelDef, ...]
    aliases: tuple[AliasDef, ...]
    env_prefix: str
    #: request TypedDicts (the ``params`` module), by name
    params: tuple[ParamsDef, ...] = ()
    #: every name given out: (scope, origin, wanted, name); see builder.names.NameBook
    names: tuple[tuple[str, str, str, str], ...] = field(default=())
    #: sets of credentials, one of which every operation needs (see
    #: builder.client.client_logins); empty when some operation needs none
    logins: tuple[tuple[str, ...], ...] = ()
    #: what a status error's ``body_model`` can be: the union of every
    #: operation's error types (``None`` when no operation describes one)
    error_body: Type | None = None
