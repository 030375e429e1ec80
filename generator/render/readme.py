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
    fetch = _fetch_call(api)
    return {
        "cookbook": cookbook,
        "quickstart": [
            f"from {api.package} import {api.client_name}",
            "",
            f"client = {api.client_name}({_credential_arguments(api)})",
            *_listing(api),
            *([f"result = {fetch}"] if fetch else []),
        ],
        "capture": _capture(fetch),
        "pages": _pages(api),
        "try_call": fetch or "...  # any call",
    }


def _capture(fetch: str | None) -> list[str]:
    """Reading the raw response of a call (``capture_responses``)."""
    if fetch is None:
        return [
            "with client.capture_responses() as log:",
            "    ...  # any calls",
            "for response in log.responses:",
            "    print(response.status_code, response.headers)",
        ]
    return [
        "with client.capture_responses() as log:",
        f"    {fetch}",
        "print(log.last.status_code, log.last.headers)",
    ]


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


def _listing(api: ir.ApiModel) -> list[str]:
    """Every item of the first paginated listing, if the API has one."""
    for r in api.resources:
        for op in r.operations:
            body_needed = op.body is not None and op.body.required
            if op.pagination is not None and not op.positional and not body_needed:
                return [
                    f"for item in client.{r.attr}.{op.pagination.method_name}():"
                    "  # every page, lazily",
                    "    print(item)",
                ]
    return []


def _pages(api: ir.ApiModel) -> list[str]:
    """One page, the pages after it and every item, with the first paged
    operation (its path parameters and body by name)."""
    for r in api.resources:
        for op in r.operations:
            pg = op.pagination
            if pg is None:
                continue
            args = [p.name for p in op.positional]
            if op.body is not None and op.body.required:
                args.append(op.body.name)
            call = ", ".join(args)
            resource = f"client.{r.attr}"
            return [
                f"page = {resource}.{op.name}({call})  # one page",
                "while page.has_next_page():",
                "    page = page.next_page()  # the same request, for the next page",
                f"for item in {resource}.{pg.method_name}({call}):  # every item",
                "    print(item)",
            ]
    return []


#: a value to show for a path parameter of these types
_SAMPLES: tuple[tuple[ir.Type, str], ...] = ((ir.INT, "1"), (ir.STR, py_str("...")))


def _fetch_call(api: ir.ApiModel) -> str | None:
    """A call of the first operation that fetches one record by an id that
    is a plain ``int`` or ``str``."""
    for r in api.resources:
        for op in r.operations:
            if op.http_method == "GET" and len(op.positional) == 1 and op.body is None:
                kind = op.positional[0].type
                arg = next((v for t, v in _SAMPLES if t == kind), None)
                if arg is not None:
                    return f"client.{r.attr}.{op.name}({arg})"
    return None
