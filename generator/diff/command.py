"""``clientgen diff OLD NEW``: what changed for users of the generated client.

Exit codes: 0 (nothing matched ``--fail-on``), 1 (``--fail-on breaking`` and
a breaking change, or ``--fail-on any`` and any change), 2 (a description
or the configuration is invalid: diagnostics, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Diagnostics, SpecError

if TYPE_CHECKING:
    from generator.config import Target
    from generator.diff.compare import Change
    from generator.ir import ApiModel

EXIT_OK, EXIT_MATCHED, EXIT_INVALID = 0, 1, 2


def _target(args: argparse.Namespace, diags: Diagnostics) -> Target:
    from generator.config import Target, read_config

    target = Target()
    if args.config:
        config = read_config(args.config, diags)
        target = config.targets[0]
    if args.allow_remote_refs:
        target.allow_remote_refs = True
    if args.ref_root:
        target.ref_root = args.ref_root
    return target


def _build(
    source: str,
    target: Target,
    pins: tuple[tuple[str, str, str], ...],
    diags: Diagnostics,
    texts: dict[str, str],
) -> ApiModel:
    from generator.builder import build
    from generator.fingerprint import spec_label
    from generator.load import load
    from generator.pipeline import load_options

    spec = load(source, diags, load_options(target))
    texts[source] = spec.text
    settings = replace(target.settings, spec_name=spec_label(source), pins=pins)
    api = build(spec.doc, settings, diags)
    if diags.has_errors:
        raise SpecError(diags)
    return api


def changes_between(
    old: str, new: str, target: Target, diags_old: Diagnostics, diags_new: Diagnostics
) -> tuple[list[Change], dict[str, str]]:
    """The changes from description ``old`` to ``new`` (raises SpecError)."""
    from generator.diff import compare, surface_of

    texts: dict[str, str] = {}
    old_api = _build(old, target, (), diags_old, texts)
    # the new build keeps the old build's names, as a regenerated package does
    pins = tuple((s, o, n) for s, o, _w, n in old_api.names)
    new_api = _build(new, target, pins, diags_new, texts)
    return compare(surface_of(old_api), surface_of(new_api)), texts


def _text_report(changes: list[Change], out: Any) -> None:
    if not changes:
        print("no changes for users of the client", file=out)
        return
    breaking = [c for c in changes if c.breaking]
    rest = [c for c in changes if not c.breaking]
    if breaking:
        print(f"Breaking changes ({len(breaking)}):", file=out)
        for c in breaking:
            print(f"  ! {c.render()}", file=out)
    if rest:
        if breaking:
            print(file=out)
        print(f"Non-breaking changes ({len(rest)}):", file=out)
        for c in rest:
            mark = "+" if c.category == "addition" else "~"
            print(f"  {mark} {c.render()}", file=out)


def run(args: argparse.Namespace, rep: Any) -> int:
    """Run ``diff``; ``rep`` is the CLI's reporter (diagnostics output)."""
    diags_old, diags_new = Diagnostics(), Diagnostics()
    texts: dict[str, str] = {}
    changes: list[Change] = []
    valid = True
    try:
        target = _target(args, diags_old)
        changes, texts = changes_between(
            args.old, args.new, target, diags_old, diags_new
        )
    except SpecError:
        valid = False
    located: list[Diagnostic] = []
    for source, diags in ((args.config or args.old, diags_old), (args.new, diags_new)):
        before = len(rep.collected)
        rep.diagnostics(diags, texts.get(source), source)
        located.extend(rep.collected[before:])
    code = _exit_code(args, changes, located) if valid else EXIT_INVALID
    if args.format == "json":
        print(
            json.dumps(
                _json_report(args, code, changes, located), indent=1, ensure_ascii=False
            )
        )
    elif code != EXIT_INVALID:
        _text_report(changes, sys.stdout)
    return code


def _exit_code(
    args: argparse.Namespace, changes: list[Change], located: list[Diagnostic]
) -> int:
    """The exit code of a diff of two valid descriptions (see module docs)."""
    if args.fail_on == "breaking" and any(c.breaking for c in changes):
        return EXIT_MATCHED
    if args.fail_on == "any" and changes:
        return EXIT_MATCHED
    if args.fail_on_warning and any(d.level == "warning" for d in located):
        return EXIT_INVALID
    return EXIT_OK


def _json_report(
    args: argparse.Namespace,
    code: int,
    changes: list[Change],
    located: list[Diagnostic],
) -> dict[str, Any]:
    return {
        "old": args.old,
        "new": args.new,
        "valid": code != EXIT_INVALID,
        "breaking": sum(1 for c in changes if c.breaking),
        "changes": [c.as_json() for c in changes],
        "diagnostics": [d.as_json() for d in located],
    }
