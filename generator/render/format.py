"""black, in-process, in parallel, never twice for the same text.

Formatting dominates generation time (black formats ~0.3 MB of code per CPU
second). Three levers, in order:

1. a manifest in the output tree records, per file, the hash of its
   unformatted render and of the formatted result: when both still match,
   the file on disk is reused as is (``check`` and unchanged regeneration);
2. a content-hash cache outside the tree (``CLIENTGEN_CACHE_DIR``);
3. what remains is formatted on all cores.

Formatting is also the last syntax check, and black is skipped for most
bytes: so every module is compiled before it leaves here, piece by piece on
the same cores (:func:`check_compiles`); a text reused or cached was
compiled by the run that stored it.
"""

from __future__ import annotations
import __future__

import functools
import hashlib
import os
import re
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.parallel import spread
from generator.render.modelsplit import HOME

if TYPE_CHECKING:
    from black.mode import Mode

LINE_LENGTH = 88


def _black_version() -> str:
    try:
        return metadata.version("black")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        return "?"


#: One pass of black's formatter instead of ``format_str``'s two (see
#: :func:`format_source`); the output has been identical on every input tried.
SINGLE_PASS = True


def _logic_version() -> str:
    """A hash of this module, which decides what skips black: a change to
    :func:`black_stable` must not find texts formatted by the old rule."""
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    except OSError:  # pragma: no cover - a frozen or zipped install
        from generator import __version__

        return __version__


#: Part of every cache key: a new black, mode or skip rule invalidates old
#: entries. (black itself is imported only when something needs formatting:
#: ``check`` of an unchanged tree never pays for it.) ``-compiled``: every
#: text stored under such a key (the cache, a manifest entry) passed
#: :func:`check_compiles`.
FORMAT_KEY = (
    f"black-{_black_version()}-{LINE_LENGTH}"
    + ("-1" if SINGLE_PASS else "")
    + f"-{_logic_version()}-compiled"
)


@functools.cache
def _black() -> tuple[Any, Mode]:
    import black
    from black.mode import Mode, TargetVersion

    return black, Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)


def digest(text: str) -> str:
    return hashlib.sha256(
        (FORMAT_KEY + "\0" + text).encode("utf-8", "surrogatepass")
    ).hexdigest()


def format_source(text: str) -> str:
    """black's formatting of ``text``, in a single pass.

    ``black.format_str`` runs its formatter a second time over any text the
    first pass changed, to settle rare interplay between the trailing commas
    it adds and optional parentheses. Renders always change, so that doubles
    the cost of formatting, while the second pass changed none of the 209
    pieces of the onFact client nor any piece of GitHub's (tests/test_bench.py
    keeps checking a sample). Set :data:`SINGLE_PASS` to False for black's
    own two passes.
    """
    black, mode = _black()
    once = getattr(black, "_format_str_once", None) if SINGLE_PASS else None
    if once is None:
        result: str = black.format_str(text, mode=mode)
        return result
    formatted: str = once(text, mode=mode, lines=())
    return formatted


class UncompilableModule(Exception):
    """A generated module that is not valid Python: a bug in the generator."""

    def __init__(self, path: str, text: str, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.text = text  # the module as checked
        self.line = line  # 1-based, in ``text``
        self.message = message


def check_compiles(path: str, text: str) -> None:
    """Raise :class:`UncompilableModule` unless ``text`` compiles.

    The last syntax check before a module is written: black's parser only
    sees the pieces that go through black, and accepts what the compiler
    refuses (a duplicate parameter, ``return`` outside a function).

    >>> check_compiles("ok.py", "def f(a, b): return a")
    >>> check_compiles("bad.py", "def f(a, a): pass")
    Traceback (most recent call last):
    generator.render.format.UncompilableModule: bad.py:1: duplicate argument 'a' in function definition
    """
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise UncompilableModule(path, text, exc.lineno, exc.msg) from exc
    except ValueError as exc:  # a NUL character
        raise UncompilableModule(path, text, None, str(exc)) from exc


def first_uncompilable(files: Mapping[str, str]) -> UncompilableModule | None:
    """The first ``.py`` file of ``files`` that does not compile, if any."""
    for path in sorted(files):
        if path.endswith(".py"):
            try:
                check_compiles(path, files[path])
            except UncompilableModule as exc:
                return exc
    return None


def cache_dir() -> Path:
    env = os.environ.get("CLIENTGEN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clientgen"


class FormatCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, key: str) -> str | None:
        if self.folder is None:
            return None
        path = self.folder / key[:2] / key
        try:
            return path.read_text("utf-8")
        except OSError:
            return None

    def put(self, key: str, text: str) -> None:
        if self.folder is None:
            return
        path = self.folder / key[:2] / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, "utf-8")
            os.replace(tmp, path)
        except OSError:
            pass


#: ``on_progress(done, total)`` after each formatted file (progress display)
ProgressHook = Callable[[int, int], None]


#: Files at least this long are cut at their top-level classes, so that one
#: big ``models.py`` spreads over every core instead of keeping one busy.
SPLIT_AT = 16_000
#: Files under this folder are the runtime, copied verbatim from
#: ``templates/runtime`` (kept black-clean by ``make lint``) behind a comment
#: line: black would return them unchanged, so it is not run on them.
VERBATIM_DIR = "/_runtime/"


@functools.cache
def front_names() -> frozenset[str]:
    """The client base classes, copied verbatim from ``templates/front`` to
    the package root: not run through black either."""
    from generator.fingerprint import templates_dir

    return frozenset(p.name for p in (templates_dir() / "front").glob("*.py"))


def split_top_level(text: str) -> list[str]:
    """Cut ``text`` before each top-level ``class`` statement.

    black formats a top-level class independently of its neighbours and puts
    exactly two blank lines before it, so formatting the pieces and joining
    them with two blank lines gives black's result for the whole file. Only
    classes without decorators and without a comment line just above are cut
    at (black keeps those attached to the class).

    Candidates are lines starting with ``class`` at column 0; the cut is only
    made where the piece above it compiles on its own. A cut inside a string,
    a bracket or a continued line would leave that piece unterminated (pieces
    are checked from the top, and the first starts outside any string), so
    every cut made is at a real top-level class; the others are dropped. This
    never builds the syntax tree of the whole file at once (hundreds of MB
    for a 4 MB module).
    """
    return _split(text)[0]


def _split(text: str) -> tuple[list[str], bool]:
    """:func:`split_top_level`, and whether each piece was compiled.

    A piece is compiled in full (not only parsed), with the ``__future__``
    flags of the file: one black skips then needs no other compile.
    """
    lines = text.splitlines(keepends=True)
    cuts: list[int] = []
    above = ""  # the last non-blank line
    for number, line in enumerate(lines):
        if line.startswith("class ") and above and not above.startswith(("@", "#")):
            cuts.append(number)
        if line.strip():
            above = line.lstrip()
    if not cuts:
        return [text], False
    flags = _future_flags("".join(lines[: cuts[0]]))
    pieces: list[str] = []
    start = 0
    for end in [*cuts, len(lines)]:
        piece = "".join(lines[start:end])
        try:
            compile(piece, "<piece>", "exec", flags=flags, dont_inherit=True)
        except (SyntaxError, ValueError):
            if end == len(lines):
                return [text], False  # black formats (or reports) the whole file
            continue  # not a real boundary: grow this piece to the next one
        pieces.append(piece)
        start = end
    return pieces, True


def join_formatted(pieces: list[str]) -> str:
    """The formatted pieces of :func:`split_top_level`, as one file."""
    if len(pieces) == 1:
        return pieces[0]
    return "\n\n\n".join(p.rstrip("\n") for p in pieces) + "\n"


#: Generated modules whose templates write code the way black does
#: (``templates/models.py.jinja``, ``templates/resource.py.jinja``): a
#: top-level piece of them that passes :func:`black_stable` is not given to
#: black. ``tests/test_format.py`` checks, over many specs, that black
#: returns every such piece unchanged.
STABLE_MODULES = (
    "models.py",
    "params.py",
    "resources/*.py",
    "models/*.py",
    f"{HOME}/*.py",
)


def stable_path(path: str) -> bool:
    """Whether ``path`` (``pkg/models.py``, ``pkg/resources/x.py``,
    ``pkg/_models/_x.py``, ``pkg/models/__init__.py``) comes from a
    black-stable template."""
    parts = path.split("/")
    if len(parts) == 2:
        return parts[1] in ("models.py", "params.py")
    return (
        len(parts) == 3
        and parts[1] in ("resources", "models", HOME)
        and parts[2].endswith(".py")
        and (parts[2] != "__init__.py" or parts[1] in ("models", HOME))
    )


_ODD_SPACE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029]")


#: Spacing black never leaves in code (also matches inside a string
#: literal now and then: such a piece just goes to black).
_UNUSUAL = re.compile(r"[(\[{] |, +[)\]}]| ,|  |;")

#: Brackets with nothing between them, split over two lines (a template's
#: loop that wrote no item): black joins them (``__all__ = []``).
_EMPTY_SPLIT = re.compile(r"[(\[{]\n *[)\]}]")


#: A line black cannot split however long: one item (a string without
#: escapes, a dotted name, ``keyword=`` either) of an exploded bracket,
#: ending with the magic trailing comma that keeps the bracket exploded.
#: Or one name alone on its line, in a union black split one operand a
#: line (``| name``); or an item ``name: dotted.name = atom,`` (a
#: parameter); or the first line of an annotation, a class or a
#: method that black put in parentheses because the name is too long
#: (``Name: (``, ``class Name(``, ``def name(``); or an import black put
#: in parentheses: ``from .module import (`` and ``Name as _m_Name,``.
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = rf"{_NAME}(?:\.{_NAME})*"
_STRING = r'"[^"\\]*"'
_UNSPLITTABLE = re.compile(
    rf" +(?:{_NAME}=|\| )?(?:{_STRING},|{_DOTTED},?)"
    # a name imported under another, alone in an import's parentheses, and
    # the import's first line
    rf"| +{_NAME} as {_NAME},| *from \.*{_DOTTED} import \("
    rf"| +{_NAME}: {_DOTTED}(?: = (?:{_STRING}|{_DOTTED}|-?[0-9]+))?,"
    rf"| *{_NAME}: \(|class {_NAME}\(| +(?:async )?def {_NAME}\("
    # the end of an annotation black put in parentheses (``) = value``)
    rf"| +\) = {_DOTTED}"
    # an entry of a dict display of strings (the lazy map of models/__init__)
    rf"| +{_STRING}: {_STRING},"
)


#: A field ``name: dotted.name`` without default, too long for black to
#: gain anything by putting the name in parentheses on a line of its own.
#: (Not a dotted name: black splits that at the dot, so it does.)
_BARE_FIELD = re.compile(rf"( +){_NAME}: ({_NAME})")


def _unsplittable(line: str) -> bool:
    if _UNSPLITTABLE.fullmatch(line):
        return True
    match = _BARE_FIELD.fullmatch(line)
    return match is not None and (
        len(match.group(1)) + 4 + len(match.group(2)) > LINE_LENGTH
    )


def _width(line: str) -> int:
    # black measures East Asian wide characters as 2 columns: 2 per
    # character bounds that from above.
    return len(line) if line.isascii() else 2 * len(line)


def black_stable(piece: str) -> bool:
    """A cheap, conservative test that black leaves ``piece`` as it is.

    Meant for pieces of :data:`STABLE_MODULES`, whose template already
    writes black's layout: then what black could still change is a line too
    long for it. So: every code line fits in :data:`LINE_LENGTH` columns
    (lines of a triple-quoted docstring may be longer: black does not wrap
    text; so may a line black cannot split, see ``_unsplittable``), no
    tab, no control character but ``\\n``, no unusual line break, no empty
    brackets split over two lines, no trailing whitespace, no backslash continuation, no run of three blank
    lines, and a final newline (:func:`plan` checks the end of the file).
    """
    if not piece.endswith("\n") or "\n\n\n\n" in piece or "\\\n" in piece:
        return False
    if _ODD_SPACE.search(piece) or _EMPTY_SPLIT.search(piece):
        return False
    in_doc = False
    for line in piece.split("\n"):
        if line != line.rstrip():
            return False
        stripped = line.lstrip(" ")
        if in_doc:
            # py_doc closes a docstring of several lines on a line of its own
            if line.endswith('"""'):
                if stripped != '"""':
                    return False
                in_doc = False
            continue
        if stripped.startswith('"""'):
            # a docstring (the escaping in py_doc keeps \"\"\" out of its text)
            text = stripped[3:]
            if len(stripped) >= 6 and stripped.endswith('"""'):
                text = text[:-3]
                if text.endswith('" '):
                    text = text[:-1]  # black's padding after a quote
            else:
                in_doc = True
            if text != text.strip():
                return False
            continue
        if _UNUSUAL.search(stripped):
            return False
        if _width(line) > LINE_LENGTH and not _unsplittable(line):
            return False
    return not in_doc


def plan(path: str, text: str) -> tuple[list[str], list[bool]]:
    """``text`` as top-level pieces, and which of them need black.

    Files of :data:`STABLE_MODULES` are always cut, and black is skipped
    for the pieces that pass :func:`black_stable`; other files are cut only
    when big (:data:`SPLIT_AT`, for parallel formatting) and all need black.
    """
    pieces, needs, _ = _plan(path, text)
    return pieces, needs


#: pieces, which need black, and whether the pieces are compiled already
_Plan = tuple[list[str], list[bool], bool]


def _plan(path: str, text: str) -> _Plan:
    if stable_path(path):
        pieces, compiled = _split(text)
        needs = [not black_stable(p) for p in pieces]
        needs[-1] = needs[-1] or pieces[-1].endswith("\n\n")
        return pieces, needs, compiled
    pieces, compiled = _split(text) if len(text) >= SPLIT_AT else ([text], False)
    return pieces, [True] * len(pieces), compiled


def unstable_skips(path: str, text: str) -> list[str]:
    """The pieces of ``text`` that :func:`plan` lets skip black but that black
    would change: always empty, unless a template stopped writing black's
    layout (tests, and ``CLIENTGEN_VERIFY_BLACK=1``, check this)."""
    pieces, needs = plan(path, text)
    return [
        piece
        for piece, need in zip(pieces, needs, strict=True)
        if not need and format_source(piece) != piece.rstrip("\n") + "\n"
    ]


#: Below this much work (bytes for black, :data:`_COMPILE_WEIGHT` per byte
#: only compiled), forking workers costs more than it saves.
PARALLEL_AT = 200_000
#: Compiling costs about a tenth of formatting, byte for byte: the weight of
#: a piece black skips when work is shared out.
_COMPILE_WEIGHT = 0.1
_FUTURE = re.compile(r"^from __future__ import ([\w, ]+)$", re.MULTILINE)


def _future_flags(first_piece: str) -> int:
    """The compiler flags of the module's ``from __future__`` imports."""
    flags = 0
    for match in _FUTURE.finditer(first_piece):
        for name in match.group(1).split(","):
            feature = getattr(__future__, name.strip(), None)
            flag = getattr(feature, "compiler_flag", 0)
            flags |= flag if isinstance(flag, int) else 0
    return flags


def _finish(piece: str, need: bool, flags: int) -> tuple[str, bool]:
    """The piece, through black if ``need``, and whether it compiles.

    The pieces of a file are top-level statements (:func:`split_top_level`),
    every one but the first starting with a ``class``: the file compiles
    when each piece does, given the file's ``__future__`` flags (a
    module-level ``global`` is the one cross-statement rule, and
    :func:`_whole_file` leaves such files to a compile of the whole).
    """
    text = format_source(piece) if need else piece
    try:
        compile(text, "<piece>", "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError):
        return text, False
    return text, True


#: a piece, whether it needs black, and its file's __future__ flags
_Unit = tuple[str, bool, int]


def _finish_unit(unit: _Unit) -> tuple[str, bool]:
    return _finish(*unit)


def _whole_file(parts: list[str]) -> bool:
    return len(parts) > 1 and any(
        line.startswith("global ") for p in parts for line in p.splitlines()
    )


def _format_many(
    paths: list[str],
    plans: list[_Plan],
    jobs: int,
    on_progress: ProgressHook | None = None,
) -> list[str]:
    """Each file formatted, and proven to compile (:func:`check_compiles`).

    Pieces are formatted and compiled one by one, on ``jobs`` processes when
    there is enough work; a file with a piece that fails is compiled whole
    here, for the error to name its line in the file.
    """
    flags = [_future_flags(parts[0]) for parts, _, _ in plans]
    units = [(i, j) for i, (parts, _, _) in enumerate(plans) for j in range(len(parts))]
    formatted: list[list[str]] = [list(parts) for parts, _, _ in plans]
    failed = [_whole_file(parts) for parts, _, _ in plans]
    left = [len(parts) for parts, _, _ in plans]
    finished = 0

    def store(unit: tuple[int, int], result: tuple[str, bool]) -> None:
        nonlocal finished
        i, j = unit
        formatted[i][j] = result[0]
        failed[i] = failed[i] or not result[1]
        left[i] -= 1
        if left[i] == 0:
            finished += 1
            if on_progress is not None:
                on_progress(finished, len(plans))

    def args(unit: tuple[int, int]) -> _Unit:
        i, j = unit
        return plans[i][0][j], plans[i][1][j], flags[i]

    def cost(unit: tuple[int, int]) -> float:
        piece, need, _ = args(unit)
        return len(piece) * (1.0 if need else _COMPILE_WEIGHT)

    work: list[tuple[int, int]] = []
    for unit in units:
        piece, need, _ = args(unit)
        if need or not plans[unit[0]][2]:
            work.append(unit)
        else:
            store(unit, (piece, True))  # black-stable, and compiled by _split
    total = sum(cost(u) for u in work)
    if jobs <= 1 or total < PARALLEL_AT:
        for unit in work:
            store(unit, _finish(*args(unit)))
    else:
        _share(work, args, cost, store, jobs)
    joined = [join_formatted(parts) for parts in formatted]
    for path, text, bad in zip(paths, joined, failed, strict=True):
        if bad:
            check_compiles(path, text)
    return joined


def _share(
    units: list[tuple[int, int]],
    args: Callable[[tuple[int, int]], _Unit],
    cost: Callable[[tuple[int, int]], float],
    store: Callable[[tuple[int, int], tuple[str, bool]], None],
    jobs: int,
) -> None:
    """:func:`_finish` every unit, on this process and ``jobs - 1`` workers."""
    _black()  # imported once here, before the workers are forked
    work = [args(u) for u in units]
    costs = [cost(u) for u in units]
    results = spread(_finish_unit, work, costs, jobs)
    for unit, result in zip(units, results, strict=True):
        store(unit, result)


def _plan_file(item: tuple[str, str]) -> _Plan:
    return _plan(*item)


def _plans(paths: list[str], files: Mapping[str, str], jobs: int) -> list[_Plan]:
    """:func:`_plan` of each file (cut, compiled, checked for black), on
    ``jobs`` processes when there is enough of it."""
    items = [(p, files[p]) for p in paths]
    costs = [float(len(text)) * _COMPILE_WEIGHT for _, text in items]
    if jobs <= 1 or sum(costs) < PARALLEL_AT:
        return [_plan(*item) for item in items]
    return spread(_plan_file, items, costs, jobs)


def format_files(
    files: Mapping[str, str],
    *,
    reuse: Callable[[str, str], str | None] = lambda path, key: None,
    cache: FormatCache | None = None,
    jobs: int | None = None,
    on_progress: ProgressHook | None = None,
    stats: dict[str, int] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Format every ``.py`` file; returns (path → text, path → render key).

    ``reuse(path, key)`` may return an already formatted text for a render
    key (from the manifest of the existing tree). Files under
    :data:`VERBATIM_DIR` and the package root's :func:`front_names` are taken
    as they are.

    Every module returned compiles (:func:`check_compiles`): those formatted
    or copied now are compiled here, and a reused or cached text was
    compiled by the run that stored it (its key says so, :data:`FORMAT_KEY`).
    One that does not raises :class:`UncompilableModule`, as does a render
    that black cannot parse.
    """
    out: dict[str, str] = {}
    keys: dict[str, str] = {}
    todo: list[str] = []
    for path, text in files.items():
        if not path.endswith(".py"):
            out[path] = text
            continue
        key = digest(text)
        keys[path] = key
        done = reuse(path, key)
        if done is None and cache is not None:
            done = cache.get(key)
        if done is None and (
            VERBATIM_DIR in "/" + path
            or (path.count("/") == 1 and path.split("/")[1] in front_names())
        ):
            check_compiles(path, text)
            done = text
            if cache is not None:
                cache.put(key, text)  # compiled: not again next time
        if done is not None:
            out[path] = done
        else:
            todo.append(path)
    if todo:
        jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        if os.environ.get("CLIENTGEN_VERIFY_BLACK"):
            for p in todo:
                bad = unstable_skips(p, files[p])
                if bad:
                    raise AssertionError(f"{p}: black would change {bad[0]!r}")
        plans = _plans(todo, files, jobs)
        if stats is not None:
            for parts, needs, _ in plans:
                for part, need in zip(parts, needs, strict=True):
                    kind = "black" if need else "skipped"
                    stats[kind] = stats.get(kind, 0) + len(part)
        try:
            results = _format_many(todo, plans, jobs, on_progress)
        except UncompilableModule:
            raise
        except Exception:
            # black fails on a render that does not parse: name that render
            culprit = first_uncompilable({p: files[p] for p in todo})
            if culprit is not None:
                raise culprit from culprit.__cause__
            raise
        for path, result in zip(todo, results, strict=True):
            out[path] = result
            if cache is not None:
                cache.put(keys[path], result)
    return out, keys
