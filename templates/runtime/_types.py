"""Small shared types used by generated code and the runtime.

Nothing in here performs I/O; the module exists so that every other runtime
module (and the generated package) can import these names without cycles.
Annotation-heavy types (request options, styled parameters, file fields) are
in ``_params``, which loads only when they are first used; the client
defaults (timeout, retries) are in ``.._front``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar, final

if TYPE_CHECKING:
    from ._params import FileContent, FileInput, RequestOptions, Styled

__all__ = [
    "As",
    "FileContent",
    "FileInput",
    "NOT_GIVEN",
    "NotGiven",
    "RequestOptions",
    "Styled",
]


_T = TypeVar("_T")


@final
class As(Generic[_T]):
    """A type passed as a value: ``cast_to=As[list[Invoice] | None]``.

    Lets a request helper return exactly the type it was given, for types
    that are not classes (unions, lists, literals), so no call site needs
    ``typing.cast``. Never instantiated; see :func:`unwrap`.
    """


def unwrap(cast_to: Any) -> Any:
    """The type inside ``As[...]``; any other value as it is."""
    if getattr(cast_to, "__origin__", None) is As:
        return cast_to.__args__[0]
    return cast_to


@final
class NotGiven:
    """Marker for "argument not passed" where ``None`` is a meaningful value.

    Generated methods use ``NOT_GIVEN`` as the default of optional keyword
    arguments so that an explicit ``None`` (JSON ``null``) can still be sent.
    The instance is falsy so ``if value:`` style checks treat it as absent.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # A singleton keeps ``is NOT_GIVEN`` checks valid even after copying.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __copy__(self) -> NotGiven:
        return self

    def __deepcopy__(self, memo: Any) -> NotGiven:
        return self

    def __reduce__(self) -> str:
        # Pickle by reference to the module-level singleton.
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


def __getattr__(name: str) -> Any:
    # The names that moved to ``_params`` stay importable from here.
    if name in ("FileContent", "FileInput", "RequestOptions", "Styled"):
        from . import _params

        return getattr(_params, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
