"""The runtime must stay self-contained: stdlib, httpx and pydantic only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

RUNTIME = Path(__file__).parents[2] / "templates" / "runtime"
# the client base classes, copied verbatim to the package root
FRONT = RUNTIME.parent / "front"
# pydantic_core is pydantic's own compiled half: installed by pydantic at the
# version pydantic pins, so it adds no dependency (the slow validation path
# builds a validator from a core schema with it).
ALLOWED = {"httpx", "pydantic", "pydantic_core"}


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module, level, type_checking_only) for every import in ``path``."""
    tree = ast.parse(path.read_text())
    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded.update(id(child) for child in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0, id(node) in guarded) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level, id(node) in guarded))
    return found


def test_runtime_imports_only_stdlib_httpx_pydantic() -> None:
    files = sorted(RUNTIME.glob("*.py"))
    assert len(files) > 5
    files += sorted(FRONT.glob("*.py"))
    for path in files:
        for module, level, typing_only in _imports(path):
            if level > 0 or typing_only:
                continue  # relative imports stay inside the runtime
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or top in ALLOWED, (path.name, module)


def test_runtime_uses_relative_imports_between_its_modules() -> None:
    names = {p.stem for p in RUNTIME.glob("*.py")}
    for path in RUNTIME.glob("*.py"):
        for module, level, _ in _imports(path):
            if level == 0:
                assert module.split(".")[0] not in names | {"templates"}, (
                    path.name,
                    module,
                )


def test_public_names_are_exported(rt: object) -> None:
    expected = {
        "NotGiven NOT_GIVEN RequestOptions Styled DEFAULT_TIMEOUT DEFAULT_MAX_RETRIES "
        "BaseModel parse_response validate_request encode_json "
        "APIError APIConnectionError APITimeoutError APIStatusError BadRequestError "
        "AuthenticationError PermissionDeniedError NotFoundError ConflictError "
        "UnprocessableEntityError RateLimitError InternalServerError "
        "ResponseValidationError RequestValidationError "
        "ApiKeyScheme HttpBasicScheme HttpBearerScheme OAuth2Scheme "
        "Credential ClientHeader ClientSpec SyncAPIClient AsyncAPIClient "
        "SyncAPIResource AsyncAPIResource ResponseLog"
    }
    names = set(" ".join(expected).split())
    exported = set(rt.__all__)  # type: ignore[attr-defined]
    assert names <= exported, names - exported
    for name in exported:
        assert hasattr(rt, name), name
