"""Upgrade a Swagger 2.0 document to an equivalent OpenAPI 3.0.3 document.

The entry point is :func:`upgrade`. It works on an already parsed document whose
``$ref``\\ s are still in place and all local (``#/...``), as produced by the
bundling step. The input is never mutated; the result shares no objects with it.

One module per object of the specifications, each citing the sections it
implements: ``document`` (the Swagger/OpenAPI object, servers, components),
``paths`` (path items, operations), ``parameters``, ``request_bodies`` (body
and form parameters), ``responses`` (responses, headers), ``schemas``,
``security``; ``refs`` rewrites ``$ref`` targets and ``context`` holds what
they share.

Whatever cannot be expressed exactly in OpenAPI 3.0 is converted as closely as
possible and reported as a note ``(code, message, json_pointer_in_original)``.
Note codes:

``renamed-component``
    A definition/parameter/response/security scheme name contains characters
    OpenAPI 3.0 does not allow in component names; it was renamed.
``external-ref``, ``dangling-ref``, ``unmapped-ref``, ``unresolved-ref``
    A ``$ref`` could not be rewritten (or resolved) exactly.
``collection-format``
    A ``collectionFormat`` with no OpenAPI 3.0 equivalent at that location
    (``tsv`` anywhere, ``multi`` outside query/form data, nested formats, ...).
``example-dropped``
    A response example for a media type the operation does not produce.
``body-and-formdata``, ``multiple-bodies``, ``file-not-multipart``
    Invalid parameter combinations that were resolved by picking one.
``missing-field``, ``unknown-field``, ``invalid-value``, ``path-item-ref``
    Structural problems of the input that were repaired or dropped.
"""

from __future__ import annotations

from typing import Any

from generator.load.swagger2.context import Context, Note
from generator.load.swagger2.document import OPENAPI_VERSION, document

__all__ = ["OPENAPI_VERSION", "Note", "upgrade"]


def upgrade(doc: dict[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """Convert the Swagger 2.0 document *doc* into an OpenAPI 3.0.3 document.

    Returns the new document and the list of notes ``(code, message, pointer)``
    about everything that could not be converted exactly; ``pointer`` is an
    RFC 6901 JSON pointer into *doc*. Raises ``ValueError`` if *doc* does not
    declare ``swagger: "2.0"``.

    >>> upgrade({"swagger": "2.0", "info": {"title": "t", "version": "1"},
    ...          "paths": {}})[0]["servers"]
    [{'url': '/'}]
    """
    if not isinstance(doc, dict):
        raise TypeError("a Swagger 2.0 document must be a mapping")
    if str(doc.get("swagger")) != "2.0":
        raise ValueError(
            f"not a Swagger 2.0 document (swagger: {doc.get('swagger')!r})"
        )
    ctx = Context(doc)
    return document(ctx), ctx.notes
