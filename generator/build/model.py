"""The intermediate model: everything the templates need, decided.

Frozen dataclasses only. Strings that end up in generated code are either
identifiers (made by :mod:`generator.build.names`), Python type expressions
built from those identifiers, or literals made by
:mod:`generator.build.literals`. Templates never decide anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldDef:
    name: str  # python attribute name
    wire: str  # JSON key
    annotation: str  # python type expression
    default: str | None  # python expression; None = required
    alias: str | None  # py_str literal of the JSON key when it differs
    doc: str | None  # docstring literal
    read_only: bool = False
    write_only: bool = False


@dataclass(frozen=True)
class ModelDef:
    name: str
    doc: str | None
    base: str | None  # a generated model class, or None for the runtime BaseModel
    fields: tuple[FieldDef, ...]
    read_only: tuple[str, ...]  # py_str literals
    write_only: tuple[str, ...]
    pointer: str


@dataclass(frozen=True)
class AliasDef:
    """A named type alias: an enum's Literal, or (``late``) a tagged union of models.

    Late aliases name model classes, so models.py defines them after every class.
    """

    name: str
    expr: str
    doc: str | None
    late: bool = False


@dataclass(frozen=True)
class ParamDef:
    name: str  # python argument name
    wire: str  # py_str literal of the wire name
    location: str  # path, query, header, cookie
    annotation: str  # as written in the signature, e.g. "int | None"
    default: str | None  # None = required
    value_expr: str  # expression passed in the request dict (may wrap in Styled)
    doc: str | None
    #: py_str literal of the DeprecationWarning text, None if not deprecated
    deprecated_message: str | None = None

    @property
    def deprecated(self) -> bool:
        return self.deprecated_message is not None


@dataclass(frozen=True)
class BodyDef:
    name: str
    annotation: str
    body_type: str  # expression for runtime validation, or "None"
    content_type: str  # py_str literal
    required: bool


@dataclass(frozen=True)
class PaginationDef:
    method_name: str
    kind: str  # offset, page, cursor
    item_annotation: str
    items_field: str  # py_str literal
    total_field: str  # py_str literal or "None"
    offset_param: str
    limit_param: str
    cursor_field: str  # py_str literal (cursor kind)
    page_size: str  # python expression
    passthrough: tuple[ParamDef, ...]


@dataclass(frozen=True)
class OperationDef:
    name: str
    http_method: str  # "GET"
    path: str  # py_str literal of the path template
    doc: str | None  # docstring literal including the HTTP line
    deprecated_message: str | None  # py_str literal
    positional: tuple[ParamDef, ...]  # path params, in path order
    body: BodyDef | None
    keyword: tuple[ParamDef, ...]  # query/header/cookie params, required first
    return_annotation: str
    cast_to: str  # expression
    response_kind: str  # py_str literal
    accept: str  # py_str literal or "None"
    error_types: tuple[tuple[str, str], ...]  # (py_str status literal, type expr)
    security: str | None  # python expression or None for the client default
    pagination: PaginationDef | None
    download_name: str | None  # name of the streaming variant for binary downloads
    path_params: tuple[ParamDef, ...] = ()
    query_params: tuple[ParamDef, ...] = ()
    header_params: tuple[ParamDef, ...] = ()
    cookie_params: tuple[ParamDef, ...] = ()


@dataclass(frozen=True)
class ResourceDef:
    attr: str  # attribute on the client
    module: str  # module name under resources/
    class_name: str
    async_class_name: str
    doc: str | None
    operations: tuple[OperationDef, ...]
    uses_models: bool


@dataclass(frozen=True)
class CredentialDef:
    name: str  # constructor argument
    env: str  # py_str literal
    doc: str


@dataclass(frozen=True)
class SchemeDef:
    key: str  # py_str literal of the scheme's name
    expr: str  # runtime constructor expression


@dataclass(frozen=True)
class ServerDef:
    name: str  # py_str literal
    url: str  # py_str literal
    doc: str | None


@dataclass(frozen=True)
class ApiModel:
    package: str
    distribution: str
    version: str
    client_name: str
    async_client_name: str
    title: str  # py_str literal
    title_text: str  # plain text for README (markdown-escaped)
    api_text: str  # title_text naming the API: "Pets API", never "Pets API API"
    description: str | None  # docstring literal
    spec_name: str  # for the "generated from" header (plain, comment-safe)
    servers: tuple[ServerDef, ...]
    credentials: tuple[CredentialDef, ...]
    client_headers: tuple[tuple[str, str], ...]  # (credential name, header literal)
    schemes: tuple[SchemeDef, ...]
    security: str  # python expression
    resources: tuple[ResourceDef, ...]
    models: tuple[ModelDef, ...]
    aliases: tuple[AliasDef, ...]
    env_prefix: str
    readme_examples: tuple[str, ...] = field(default_factory=tuple)
    #: every name given out: (scope, origin, wanted, name); see build.names.NameBook
    names: tuple[tuple[str, str, str, str], ...] = ()
