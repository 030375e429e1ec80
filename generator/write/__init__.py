"""Stage 5: the formatted files → a package on disk, or a diff in check mode.

Writing is safe: nothing outside OUT is touched; a folder that clientgen did
not make is only replaced with ``force``; the new tree is written aside and
swapped in, so a crash never leaves a half-written package; files the new
generation no longer produces disappear with the old tree.

The swap is two renames (OUT → ``.OUT.old-*``, ``.OUT.new-*`` → OUT). A
process killed between them leaves no OUT: :func:`recover`, which the next
run calls before it reads the folder, puts the old tree back (with its
``.clientgen-api.json`` and hand-edited ``CHANGELOG.md``) and removes the
temporary folders. An OUT that is a symlink is written through, never
replaced by a folder; files in OUT are read only when they are regular files
(a symlink to ``/dev/zero`` is a difference, not an endless read).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.read import NotAFile, read_regular
from generator.load.validate import Validation
from generator.package import is_build_output

MANIFEST = ".clientgen-manifest.json"
#: No file of a package is larger: a bigger one is not read (it differs).
MAX_FILE = 256 * 1024 * 1024
#: Tests set it to N to kill the writer (``os._exit``) at its N-th step.
FAULT_VAR = "CLIENTGEN_WRITE_FAULT"


class WriteError(Exception):
    pass


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Manifest:
    entries: Mapping[str, tuple[str, str]]  # path -> (render key, sha256 of content)
    validation: Validation | None = None  # the spec validator's recorded result
    inputs: str | None = None  # fingerprint of the inputs (generator.fingerprint)
    diagnostics: tuple[Diagnostic, ...] = ()  # of the run that wrote it

    @classmethod
    def read(cls, out: Path) -> Manifest | None:
        try:
            raw_bytes = read_regular(out / MANIFEST, MAX_FILE)
            data = json.loads(raw_bytes or b"")
            if data.get("generator") != "clientgen":
                return None
            files = data["files"]
            entries = {p: (e["render"], e["sha256"]) for p, e in files.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        validation = None
        raw = data.get("validation")
        if isinstance(raw, dict):
            try:
                findings = tuple(
                    (str(c), str(m), str(p)) for c, m, p in raw["findings"]
                )
                validation = Validation(str(raw["key"]), findings)
            except (KeyError, TypeError, ValueError):
                validation = None
        inputs = data.get("inputs")
        diagnostics: list[Diagnostic] = []
        for raw_diag in data.get("diagnostics") or ():
            try:
                level, code, message, pointer = (str(x) for x in raw_diag)
            except (TypeError, ValueError):
                return cls(entries, validation)
            if level in ("error", "warning", "info"):
                diagnostics.append(Diagnostic(level, code, message, pointer))  # type: ignore[arg-type]
        return cls(
            entries,
            validation,
            inputs if isinstance(inputs, str) else None,
            tuple(diagnostics),
        )

    def reuse(self, out: Path, path: str, key: str) -> str | None:
        entry = self.entries.get(path)
        if entry is None or entry[0] != key:
            return None
        try:
            data = read_regular(out / path, MAX_FILE)
        except OSError:
            return None
        if data is None or sha256(data) != entry[1]:
            return None
        return data.decode("utf-8")


def manifest_text(
    files: Mapping[str, str],
    keys: Mapping[str, str],
    spec: str,
    validation: Validation | None = None,
    inputs: str | None = None,
    diagnostics: Sequence[Diagnostic] = (),
) -> str:
    entries = {
        path: {
            "render": keys.get(path, ""),
            "sha256": sha256(files[path].encode("utf-8")),
        }
        for path in sorted(files)
    }
    doc: dict[str, object] = {"generator": "clientgen", "spec": spec, "files": entries}
    if validation is not None:
        doc["validation"] = {
            "key": validation.key,
            "findings": [list(f) for f in validation.findings],
        }
    if inputs is not None:
        doc["inputs"] = inputs
        doc["diagnostics"] = [
            [d.level, d.code, d.message, d.pointer] for d in diagnostics
        ]
    return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def existing_files(out: Path) -> dict[str, bytes]:
    """Every file of the package at ``out`` by relative path; build outputs
    and tool caches (:func:`generator.package.is_build_output`) left out."""
    found: dict[str, bytes] = {}
    top = os.fspath(out)
    if not os.path.isdir(top):
        return found
    # plain strings, not Path objects: an unchanged check walks every file
    for root, dirs, names in os.walk(top):
        at = os.path.relpath(root, top).replace(os.sep, "/")
        prefix = "" if at == "." else at + "/"
        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        dirs[:] = sorted(
            d for d in dirs if d not in links and not is_build_output(prefix + d)
        )
        for name in [*names, *links]:
            if name.endswith((".pyc", ".pyo")):
                continue
            found[prefix + name] = _contents(os.path.join(root, name))
    return found


def _contents(path: str) -> bytes:
    """The bytes of a regular file; for anything else (a symlink, a FIFO, a
    device) a marker that never equals a generated file: it is not read."""
    if stat.S_ISLNK(os.lstat(path).st_mode):
        return b"\0symlink -> " + os.fsencode(os.readlink(path))
    try:
        data = read_regular(path, MAX_FILE)
    except NotAFile:
        return b"\0not a regular file"
    return b"\0too large" if data is None else data


def diff(out: Path, files: Mapping[str, str]) -> list[str]:
    """Lines describing how the tree at ``out`` differs from ``files``."""
    return _differences(existing_files(out), files)


def _differences(existing: Mapping[str, bytes], files: Mapping[str, str]) -> list[str]:
    problems: list[str] = []
    for path in sorted(set(files) | set(existing)):
        if path not in existing:
            problems.append(f"missing: {path}")
        elif path not in files:
            problems.append(f"extra:   {path}")
        elif existing[path] != files[path].encode("utf-8"):
            problems.append(f"differs: {path}")
    return problems


def write_tree(
    out: Path, files: Mapping[str, str], *, force: bool = False
) -> list[str]:
    """Replace ``out`` by exactly ``files``; returns the paths that changed."""
    out = real_folder(out)
    recover(out)
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out} exists and is not a folder")
    for path in files:
        p = Path(path)
        if p.is_absolute() or ".." in p.parts:
            raise WriteError(f"refusing to write outside the output folder: {path}")
    existing = existing_files(out)
    if existing and not force and not made_by_clientgen(existing):
        raise WriteError(
            f"{out} was not made by clientgen (no {MANIFEST} naming its files); "
            "pass --force to replace it"
        )
    changed = _differences(existing, files)
    if not changed:
        return []
    out.parent.mkdir(parents=True, exist_ok=True)
    _swap(out, files)
    return changed


def _swap(out: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` aside, then put them in place of ``out`` (two renames)."""
    import tempfile  # only a writer needs it: kept off a check's path

    step = _Steps()
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    step("staging folder made")
    try:
        for path, text in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
            step.once("first file staged")
        step("every file staged")
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.replace(out, old)
            step("old tree set aside")
        os.replace(staging, out)
        step("new tree in place")
        if old is not None:
            _keep_build_outputs(old, out)
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _keep_build_outputs(old: Path, out: Path) -> None:
    """Move the build outputs of the tree set aside (``build/``,
    ``*.egg-info``, caches) into the new one: clientgen never wrote them, so
    it never deletes them."""
    for root, dirs, _names in os.walk(old):
        at = Path(root).relative_to(old)
        for d in list(dirs):
            relative = (at / d).as_posix()
            if not is_build_output(relative):
                continue
            dirs.remove(d)
            target = out / relative
            if target.parent.is_dir() and not os.path.lexists(target):
                os.replace(Path(root) / d, target)


class _Steps:
    """Step boundaries of the writer; :data:`FAULT_VAR` kills it at one of them."""

    def __init__(self) -> None:
        self.count = 0
        self.seen: set[str] = set()
        try:
            self.kill_at = int(os.environ.get(FAULT_VAR, "0"))
        except ValueError:
            self.kill_at = 0

    def __call__(self, name: str) -> None:
        self.count += 1
        if self.count == self.kill_at:
            os._exit(86)  # as abrupt as SIGKILL: no cleanup, no finally

    def once(self, name: str) -> None:
        if name not in self.seen:
            self.seen.add(name)
            self(name)


def real_folder(out: Path) -> Path:
    """``out``, or the folder it links to: a symlink is written through."""
    return Path(os.path.realpath(out)) if out.is_symlink() else out


def made_by_clientgen(existing: Mapping[str, bytes]) -> bool:
    """Whether a folder whose files are ``existing`` holds a clientgen manifest
    naming at least one of them with the contents it recorded (a file merely
    called ``.clientgen-manifest.json`` does not make a folder clientgen's)."""
    try:
        data = json.loads(existing.get(MANIFEST, b""))
        files = data["files"] if data.get("generator") == "clientgen" else {}
        return any(
            path in existing and sha256(existing[path]) == entry["sha256"]
            for path, entry in files.items()
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def _leftovers(out: Path, kind: str) -> list[Path]:
    try:
        found = out.parent.glob(f".{glob.escape(out.name)}.{kind}-*")
        return sorted(p for p in found if p.is_dir() and not p.is_symlink())
    except OSError:
        return []


def recover(out: Path) -> list[str]:
    """Finish what a killed writer left at ``out``; returns what it did.

    If ``out`` is missing and a tree was set aside (``.OUT.old-*``), that tree
    goes back in place: the last complete package, history included. Every
    other ``.OUT.old-*`` and ``.OUT.new-*`` folder is removed.
    """
    out = real_folder(out)
    olds, news = _leftovers(out, "old"), _leftovers(out, "new")
    done: list[str] = []
    if olds and not out.exists() and not out.is_symlink():
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        os.replace(newest, out)
        olds.remove(newest)
        done.append(f"restored {out} from {newest.name}")
    for leftover in [*olds, *news]:
        shutil.rmtree(leftover, ignore_errors=True)
        done.append(f"removed {leftover.name}")
    return done
