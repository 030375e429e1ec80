"""black, in-process, in parallel, never twice for the same text.

Formatting dominates generation time (black formats ~0.3 MB of code per CPU
second). Three levers, in order:

1. a manifest in the output tree records, per file, the hash of its
   unformatted render and of the formatted result: when both still match,
   the file on disk is reused as is (``check`` and unchanged regeneration);
2. a content-hash cache outside the tree (``CLIENTGEN_CACHE_DIR``);
3. what remains is formatted on all cores.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
#: Part of every cache key: a new black or mode invalidates old entries.
#: (black itself is imported only when something needs formatting: ``check``
#: of an unchanged tree never pays for it.)
FORMAT_KEY = f"black-{_black_version()}-{LINE_LENGTH}" + ("-1" if SINGLE_PASS else "")


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
    lines = text.splitlines(keepends=True)
    cuts: list[int] = []
    above = ""  # the last non-blank line
    for number, line in enumerate(lines):
        if line.startswith("class ") and above and not above.startswith(("@", "#")):
            cuts.append(number)
        if line.strip():
            above = line.lstrip()
    if not cuts:
        return [text]
    pieces: list[str] = []
    start = 0
    for end in [*cuts, len(lines)]:
        piece = "".join(lines[start:end])
        try:
            compile(piece, "<piece>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError):
            if end == len(lines):
                return [text]  # black formats (or reports) the whole file
            continue  # not a real boundary: grow this piece to the next one
        pieces.append(piece)
        start = end
    return pieces


def join_formatted(pieces: list[str]) -> str:
    """The formatted pieces of :func:`split_top_level`, as one file."""
    if len(pieces) == 1:
        return pieces[0]
    return "\n\n\n".join(p.rstrip("\n") for p in pieces) + "\n"


def _format_many(
    texts: list[str], jobs: int, on_progress: ProgressHook | None = None
) -> list[str]:
    total = sum(len(t) for t in texts)
    if jobs <= 1 or total < 200_000:
        done: list[str] = []
        for t in texts:
            done.append(format_source(t))
            if on_progress is not None:
                on_progress(len(done), len(texts))
        return done
    _black()  # imported once here, before the workers are forked
    # Work units: whole small files, and the top-level pieces of big ones.
    pieces = [split_top_level(t) if len(t) >= SPLIT_AT else [t] for t in texts]
    units = [(i, j) for i, parts in enumerate(pieces) for j in range(len(parts))]
    units.sort(key=lambda u: -len(pieces[u[0]][u[1]]))
    left = [len(parts) for parts in pieces]
    formatted: list[list[str]] = [[""] * len(parts) for parts in pieces]
    finished = 0

    def store(unit: tuple[int, int], result: str) -> None:
        nonlocal finished
        i, j = unit
        formatted[i][j] = result
        left[i] -= 1
        if left[i] == 0:
            finished += 1
            if on_progress is not None:
                on_progress(finished, len(texts))

    # This process formats its share too (one fork fewer: less memory), the
    # rest goes to jobs - 1 workers; biggest first, each to the lighter side.
    mine: list[tuple[int, int]] = []
    theirs: list[tuple[int, int]] = []
    own = pooled = 0
    for unit in units:
        size = len(pieces[unit[0]][unit[1]])
        if own * (jobs - 1) <= pooled:
            mine.append(unit)
            own += size
        else:
            theirs.append(unit)
            pooled += size
    with ProcessPoolExecutor(max_workers=jobs - 1) as pool:
        results = pool.map(
            format_source, [pieces[i][j] for i, j in theirs], chunksize=1
        )
        for unit in mine:
            store(unit, format_source(pieces[unit[0]][unit[1]]))
        for unit, result in zip(theirs, results, strict=True):
            store(unit, result)
    return [join_formatted(parts) for parts in formatted]


def format_files(
    files: Mapping[str, str],
    *,
    reuse: Callable[[str, str], str | None] = lambda path, key: None,
    cache: FormatCache | None = None,
    jobs: int | None = None,
    on_progress: ProgressHook | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Format every ``.py`` file; returns (path → text, path → render key).

    ``reuse(path, key)`` may return an already formatted text for a render
    key (from the manifest of the existing tree). Files under
    :data:`VERBATIM_DIR` are taken as they are.
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
        if done is None and VERBATIM_DIR in "/" + path:
            done = text
        if done is None and cache is not None:
            done = cache.get(key)
        if done is not None:
            out[path] = done
        else:
            todo.append(path)
    if todo:
        jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        results = _format_many([files[p] for p in todo], jobs, on_progress)
        for path, result in zip(todo, results, strict=True):
            out[path] = result
            if cache is not None:
                cache.put(keys[path], result)
    return out, keys
