"""What the package README says, prepared for ``README.md.jinja``.

A README opens with recipes: the target's cookbook when it has one (see
:mod:`generator.cookbook`), else a short quickstart made from the model (a
client with the credentials its first security requirement needs, a
paginated listing, a fetch by id).
"""

from __future__ import annotations

from generator import ir
from generator.render.literals import py_str


def readme_context(api: ir.ApiModel, cookbook: str | None) -> dict[str, object]:
    """The variables of ``README.md.jinja`` beyond the model itself."""
    return {
        "cookbook": cookbook,
        "quickstart": [
            f"from {api.package} import {api.client_name}",
            "",
            f"client = {api.client_name}({_credential_arguments(api)})",
            *_examples(api),
        ],
    }


def _quickstart_credentials(api: ir.ApiModel) -> list[str]:
    """The constructor arguments the first security requirement needs."""
    if not api.security:
        return []
    by_key = {scheme.key: scheme for scheme in api.schemes}
    names: list[str] = []
    for key in api.security[0]:
        scheme = by_key.get(key)
        if isinstance(scheme, ir.ApiKeyScheme | ir.BearerScheme):
            names.append(scheme.credential)
        elif isinstance(scheme, ir.BasicScheme):
            names += [scheme.username, scheme.password]
        elif isinstance(scheme, ir.OAuth2Scheme):
            if scheme.flow == "password" and scheme.username and scheme.password:
                names += [scheme.username, scheme.password]
            else:
                names += [scheme.client_id, scheme.client_secret]
    known = {c.name for c in api.credentials}
    return [n for n in dict.fromkeys(names) if n in known]


def _credential_arguments(api: ir.ApiModel) -> str:
    return ", ".join(f"{name}={py_str('...')}" for name in _quickstart_credentials(api))


def _examples(api: ir.ApiModel) -> list[str]:
    """A paginated listing and a fetch by id, where the API has them."""
    lines: list[str] = []
    for r in api.resources:
        op = next(
            (o for o in r.operations if o.pagination is not None and not o.positional),
            None,
        )
        if op is not None and op.pagination is not None:
            lines.append(
                f"for item in client.{r.attr}.{op.pagination.method_name}():"
                "  # every page, lazily"
            )
            lines.append("    print(item)")
            break
    for r in api.resources:
        for op in r.operations:
            if op.http_method == "GET" and len(op.positional) == 1 and op.body is None:
                arg = "1" if op.positional[0].type == ir.INT else py_str("...")
                lines.append(f"result = client.{r.attr}.{op.name}({arg})")
                return lines
    return lines
