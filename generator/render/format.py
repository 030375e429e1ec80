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

import hashlib
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black
from black.mode import Mode, TargetVersion

MODE = Mode(target_versions={TargetVersion.PY311}, line_length=88)
#: Part of every cache key: a new black or mode invalidates old entries.
FORMAT_KEY = f"black-{getattr(black, '__version__', '?')}-{MODE.line_length}"


def digest(text: str) -> str:
    return hashlib.sha256(
        (FORMAT_KEY + "\0" + text).encode("utf-8", "surrogatepass")
    ).hexdigest()


def format_source(text: str) -> str:
    return black.format_str(text, mode=MODE)


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


def _format_many(texts: list[str], jobs: int) -> list[str]:
    total = sum(len(t) for t in texts)
    if jobs <= 1 or len(texts) < 2 or total < 200_000:
        return [format_source(t) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(format_source, [texts[i] for i in order], chunksize=1))
    out = [""] * len(texts)
    for i, result in zip(order, results, strict=True):
        out[i] = result
    return out


def format_files(
    files: Mapping[str, str],
    *,
    reuse: Callable[[str, str], str | None] = lambda path, key: None,
    cache: FormatCache | None = None,
    jobs: int | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Format every ``.py`` file; returns (path → text, path → render key).

    ``reuse(path, key)`` may return an already formatted text for a render
    key (from the manifest of the existing tree).
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
        if done is not None:
            out[path] = done
        else:
            todo.append(path)
    if todo:
        jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        results = _format_many([files[p] for p in todo], jobs)
        for path, result in zip(todo, results, strict=True):
            out[path] = result
            if cache is not None:
                cache.put(keys[path], result)
    return out, keys
