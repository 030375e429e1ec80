"""The ``clientgen`` command line.

Exit codes:

- 0 success (warnings allowed);
- 1 ``check`` found a stale tree, or ``diff --fail-on`` matched;
- 2 invalid input or usage (the diagnostics say what and where);
- 3 a bug in clientgen itself, not in the input: one ``error[internal]`` at
  the spec element being generated, asking for a bug report; nothing is
  written, and ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__, progress
from generator.config import Config, Target, find_config, read_config
from generator.diagnostics import (
    Diagnostic,
    Diagnostics,
    InternalError,
    SpecError,
    bug,
    printable,
    to_json,
    with_location,
)

if TYPE_CHECKING:
    from generator.past import PreviousRun

EXIT_OK, EXIT_STALE, EXIT_INVALID, EXIT_BUG = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"clientgen: error: {message}\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="print timings and every file"
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="diagnostics format"
    )
    p.add_argument(
        "--fail-on-warning", action="store_true", help="exit 2 if there is any warning"
    )
    p.add_argument(
        "--debug",
        action="store_true",
        help="print the traceback of a clientgen bug (exit 3)",
    )


def _overlay_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="FILE",
        help="OpenAPI Overlay to apply before building (repeatable; after the config's)",
    )


def _ref_args(p: argparse.ArgumentParser) -> None:
    """How $refs are followed: the same for generate, check, validate and diff."""
    p.add_argument(
        "--allow-remote-refs", action="store_true", help="follow http(s) $refs"
    )
    p.add_argument(
        "--ref-root",
        help="folder that file $refs may not leave (default: the repository holding the spec)",
    )


def _target_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", nargs="?", help="spec path or http(s) URL (JSON or YAML)")
    p.add_argument("-o", "--output", help="output folder of the package")
    p.add_argument(
        "--config", help="configuration file (clientgen.yaml or pyproject.toml)"
    )
    p.add_argument(
        "--no-cache", action="store_true", help="do not use the formatting cache"
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="run the whole pipeline even when the inputs are unchanged",
    )
    _overlay_arg(p)
    _ref_args(p)
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="formatting processes (default: all cores)",
    )
    _common(p)


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="clientgen",
        description="Generate typed Python API clients from OpenAPI descriptions.",
    )
    p.add_argument("--version", action="version", version=f"clientgen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    g = sub.add_parser("generate", help="write the client package")
    _target_args(g)
    g.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder clientgen did not make",
    )
    c = sub.add_parser("check", help="exit 1 if the package is stale; writes nothing")
    _target_args(c)
    v = sub.add_parser("validate", help="print diagnostics only")
    v.add_argument("spec")
    _ref_args(v)
    _overlay_arg(v)
    _common(v)
    _diff_parser(sub)
    return p


def _diff_parser(sub: Any) -> None:
    """``clientgen diff``'s options (its work lives in generator.diff.command)."""
    d: argparse.ArgumentParser = sub.add_parser(
        "diff",
        help="compare two versions of a description; breaking changes first",
        description="Compare two versions of an API description as users of the "
        "generated client see them; each change is breaking or not.",
    )
    d.add_argument("old", help="the old description (path or http(s) URL)")
    d.add_argument("new", help="the new description (path or http(s) URL)")
    d.add_argument(
        "--config",
        help="configuration file: the first target's settings (names, filters) apply",
    )
    _ref_args(d)
    d.add_argument(
        "--fail-on",
        choices=("breaking", "any", "none"),
        default="none",
        help="exit 1 on a breaking change, or on any change (default: never)",
    )
    _common(d)


class Reporter:
    def __init__(self, args: argparse.Namespace) -> None:
        self.quiet = bool(getattr(args, "quiet", False))
        self.verbose = bool(getattr(args, "verbose", False))
        self.json = getattr(args, "format", "text") == "json"
        self.fail_on_warning = bool(getattr(args, "fail_on_warning", False))
        self.collected: list[Diagnostic] = []

    def diagnostics(
        self, diags: Diagnostics, text: str | None, file: str | None
    ) -> None:
        located = diags.located(lambda d: _locate(d, text, file))
        self.collected.extend(located)
        if self.json:
            return
        for d in located:
            if d.level == "error" or not self.quiet:
                print(d.render(), file=sys.stderr)

    def info(self, message: str) -> None:
        if not self.quiet and not self.json:
            print(message, file=sys.stderr)

    def finish(self, code: int) -> int:
        if self.json:
            print(to_json(self.collected))
        if (
            code == EXIT_OK
            and self.fail_on_warning
            and any(d.level == "warning" for d in self.collected)
        ):
            return EXIT_INVALID
        return code


def _locate(diag: Diagnostic, text: str | None, file: str | None) -> Diagnostic:
    if diag.line is not None or diag.file is not None or text is None:
        return with_location(diag, file, diag.line)
    try:
        from generator.load.locate import locate
        from generator.load.read import looks_like_json

        line = locate(text, diag.pointer, is_json=looks_like_json(text))
    except Exception:  # noqa: BLE001 - a location is best effort
        line = None
    return with_location(diag, file, line)


def _targets(args: argparse.Namespace, diags: Diagnostics) -> list[Target]:
    config_path = args.config
    if config_path is None and args.spec is None:
        config_path = find_config(Path.cwd())
        if config_path is None:
            diags.error(
                "no-config",
                "no SPEC given and no clientgen.yaml or [tool.clientgen] in pyproject.toml here",
            )
            raise SpecError(diags)
    config = (
        read_config(config_path, diags) if config_path else Config(None, [Target()])
    )
    targets = config.targets
    if args.spec is not None:
        targets = targets[:1]
        targets[0].spec = args.spec
    if args.output is not None:
        targets = targets[:1]
        targets[0].output = args.output
    if args.ref_root:
        for t in targets:
            t.ref_root = args.ref_root
    if args.allow_remote_refs:
        for t in targets:
            t.allow_remote_refs = True
    for t in targets:
        t.overlays = [*t.overlays, *args.overlay]
    return targets


def _run_target(args: argparse.Namespace, target: Target, rep: Reporter) -> int:
    from generator.fingerprint import spec_label, unchanged
    from generator.package import output_folder
    from generator.past import PreviousRun

    started = time.perf_counter()
    label = spec_label(target.spec) if target.spec else None
    # the previous run, read once; None while the folder needs the spec's title
    out = output_folder(target)
    past = PreviousRun.read(out) if out is not None else None
    replay = unchanged(target, past) if past is not None and not args.full else None
    if past is not None and replay is not None:
        # same inputs, same generator, files as recorded: nothing to do
        rep.diagnostics(replay.diagnostics, replay.text, label)
        if args.command == "check":
            rep.info(
                f"{past.out} is up to date ({replay.files} files, inputs unchanged, "
                f"{time.perf_counter() - started:.2f}s)"
            )
        else:
            rep.info(
                f"wrote {past.out}: 0 of {replay.files} files changed (inputs unchanged), "
                f"{len(replay.diagnostics.warnings)} warnings, "
                f"{time.perf_counter() - started:.2f}s"
            )
        return EXIT_OK
    return _run_pipeline(args, target, rep, started, label, past)


def _run_pipeline(
    args: argparse.Namespace,
    target: Target,
    rep: Reporter,
    started: float,
    label: str | None,
    past: PreviousRun | None,
) -> int:
    from generator.pipeline import generate
    from generator.write import WriteError, diff, write_tree

    diags = Diagnostics()
    try:
        gen = generate(target, diags, past, use_cache=not args.no_cache, jobs=args.jobs)
    except SpecError as exc:
        rep.diagnostics(exc.diagnostics, _spec_text(target, exc.diagnostics), label)
        return EXIT_INVALID
    except InternalError as exc:
        return _report_bug(args, rep, exc, label)
    rep.diagnostics(diags, gen.spec.text, label)
    out = gen.out
    if args.command == "check":
        problems = diff(out, gen.files)
        if problems:
            print(
                f"{out} is stale ({len(problems)} files differ); run 'clientgen generate':",
                file=sys.stderr,
            )
            for line in problems:
                print("  " + printable(line), file=sys.stderr)
            return EXIT_STALE
        rep.info(
            f"{out} is up to date ({len(gen.files)} files, {time.perf_counter() - started:.2f}s)"
        )
        return EXIT_OK
    try:
        changed = write_tree(out, gen.files, force=args.force)
    except (WriteError, OSError) as exc:
        print(f"clientgen: error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_INVALID
    removed = sum(1 for line in changed if line.startswith("extra:"))
    rep.info(
        f"wrote {out}: {len(changed) - removed} of {len(gen.files)} files changed"
        + (f", {removed} removed" if removed else "")
        + f", {len(diags.warnings)} warnings, {time.perf_counter() - started:.2f}s"
    )
    if rep.verbose:
        for line in changed:
            rep.info("  " + line)
    if gen.previous_version is not None and gen.previous_version != gen.api.version:
        rep.info(
            f"version {gen.previous_version} -> {gen.api.version}: "
            f"{len(gen.changes)} API changes (see CHANGELOG.md)"
        )
    return EXIT_OK


def _spec_text(target: Target, diags: Diagnostics) -> str | None:
    """The spec's text, to give its errors a line; None when reading it is
    what failed (or it is remote)."""
    unreadable = {"too-large", "not-a-file", "read-failed", "not-utf8"}
    if target.spec is None or any(d.code in unreadable for d in diags):
        return None
    from generator.load.read import is_url, read_text

    if is_url(target.spec):
        return None
    try:
        return read_text(target.spec, Diagnostics())
    except SpecError:
        return None


def _report_bug(
    args: argparse.Namespace, rep: Reporter, exc: InternalError, label: str | None
) -> int:
    """A clientgen bug: its diagnostics, and with ``--debug`` the traceback."""
    rep.diagnostics(exc.diagnostics, exc.text, label)
    if getattr(args, "debug", False):
        import traceback  # only here: an unchanged check pays for every import

        traceback.print_exception(exc.__cause__ or exc, file=sys.stderr)
    return EXIT_BUG


def _validate(args: argparse.Namespace, rep: Reporter) -> int:
    from generator.builder import BuildSettings, build
    from generator.load import LoadOptions, load

    diags = Diagnostics()
    text = None
    try:
        spec = load(
            args.spec,
            diags,
            LoadOptions(
                allow_remote_refs=args.allow_remote_refs,
                ref_root=args.ref_root,
                overlays=tuple(args.overlay),
                validate=True,
            ),
        )
        text = spec.text
        build(spec.doc, BuildSettings(), diags)
    except SpecError as exc:
        rep.diagnostics(exc.diagnostics, text, args.spec)
        return EXIT_INVALID
    rep.diagnostics(diags, text, args.spec)
    if diags.has_errors:
        return EXIT_INVALID
    rep.info(f"{args.spec}: {len(diags.warnings)} warnings, no errors")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    rep = Reporter(args)
    status = progress.Progress.for_terminal(
        sys.stderr, enabled=not (rep.quiet or rep.json)
    )
    with progress.showing(status):
        return _main(args, rep)


def _main(args: argparse.Namespace, rep: Reporter) -> int:
    try:
        if args.command == "validate":
            return rep.finish(_validate(args, rep))
        if args.command == "diff":
            from generator.diff.command import run as run_diff

            return run_diff(args, rep)
        diags = Diagnostics()
        try:
            targets = _targets(args, diags)
        except SpecError as exc:
            rep.diagnostics(exc.diagnostics, None, args.config)
            return rep.finish(EXIT_INVALID)
        code = EXIT_OK
        for target in targets:
            code = max(code, _run_target(args, target, rep))
        return rep.finish(code)
    except KeyboardInterrupt:
        return 130
    except RecursionError:
        print(
            "clientgen: error: the spec is nested too deeply to process",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except InternalError as exc:
        return rep.finish(_report_bug(args, rep, exc, None))
    except Exception as exc:  # noqa: BLE001 - a bug ends in a report, not a traceback
        return rep.finish(_report_bug(args, rep, bug(Diagnostics(), exc), None))


if __name__ == "__main__":
    sys.exit(main())
