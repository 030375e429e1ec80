"""Compare two API descriptions the way users of the generated client see them.

Both descriptions are built into an :class:`~generator.ir.ApiModel`
(the new one with the names of the old one pinned, see
:class:`~generator.builder.names.NameBook`) and reduced to a *surface*
(:mod:`generator.diff.surface`): methods by ``resource.method``, their
parameters, request body, return and error types, security; model classes
and their fields; enums; auth schemes and credential arguments; servers;
the package and client class names. Each difference is a :class:`Change`
(added / removed / changed, a subject, a message) that is *breaking* when
code written against the old client can fail — at import, at the call, in
a type checker, or when it reads a result — with the new one.

Rules. *Input* types are those a caller passes (parameters, request bodies
and the models and enums reachable from them); *output* types are those the
client returns (responses, errors, iterator items). A model or enum used
both ways, or not at all, follows both rules.

==========================================  =================  ============
change                                      breaking           not breaking
==========================================  =================  ============
method, model, enum, server, credential     removed            added
argument or auth scheme
package or client class                     renamed
parameter                                   removed; added     added as
                                            as required; made  optional;
                                            required; moved    made
                                            between positions  optional
request body                                removed; added or  added as
                                            made required      optional
input type (parameter, body, input field)   narrowed or        widened
                                            changed
output type (return type, output field)     widened (but new   narrowed
                                            enum values and
                                            ``Any``) or
                                            changed
model field                                 removed; added as  added
                                            required in an     otherwise
                                            input model; made
                                            optional in an
                                            output model; made
                                            required in an
                                            input model
enum value                                  removed from an    added
                                            input enum
security of a method (or the default)       credentials that   otherwise
                                            sufficed no
                                            longer do
HTTP method or path, wire name or location                     always
of a parameter, JSON key of a field,
content type, base class, error responses,
deprecation, server URL, scheme details
==========================================  =================  ============

Widened means every value the old type accepted is still accepted
(``int`` → ``int | str``, ``Literal['a']`` → ``str``, ``int`` → ``float``);
narrowed is the reverse; changed is neither (``int`` → ``str``, a
different model class). A new value of an output enum is not breaking
(callers already handle a value they do not act on), but code that matches
every value exhaustively needs a new case; it is listed as an addition.

Non-breaking changes are *additions* (something added) or *other*; the
three categories pick the version bump on ``generate`` (see
:mod:`generator.diff.evolution`).
"""

from __future__ import annotations

from generator.diff.compare import Change, compare
from generator.diff.surface import surface_of

__all__ = ["Change", "compare", "surface_of"]
