"""The ``coursesmith`` command: arguments in, core calls, exit codes out (0 ok, 1 content
errors, 2 usage errors)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generator.diagnostics import format_report
from generator.load import LoadResult, load_course

OK, CONTENT_ERRORS, USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursesmith", description="Build training-course sites from Markdown and YAML."
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: current folder)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate the course content")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    build = commands.add_parser("build", help="check the content and build the site")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--site-dir", type=Path, help="output folder (default: from mkdocs.yml)")
    handouts = commands.add_parser("handouts", help="write every handout as HTML and PDF")
    handouts.add_argument(
        "--out", type=Path, default=Path("site"), help="folder to write into (default: site)"
    )
    serve = commands.add_parser("serve", help="preview the site with live reload")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    return parser


def _report(result: LoadResult, strict: bool, fmt: str = "text") -> int:
    items = list(result.diagnostics)
    if fmt == "json":
        print(json.dumps([d.as_dict() for d in items], indent=2))
    elif items:
        print(format_report(items), file=sys.stderr)
    return OK if result.ok(strict) else CONTENT_ERRORS


def _handouts(root: Path, out: Path) -> int:
    result = load_course(root)
    status = _report(result, strict=False)
    if status != OK or result.course is None:
        return CONTENT_ERRORS
    from generator.pdf import HandoutError, publish_handouts

    folder = out if out.is_absolute() else root / out
    try:
        written = publish_handouts(result.course, folder)
    except HandoutError as exc:
        print(f"handouts failed: {exc}", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"{sum(p.suffix == '.pdf' for p in written)} PDF handouts written in {folder}")
    return OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return USAGE if exc.code not in (0, None) else OK
    root: Path = args.root.resolve()
    if args.command == "check":
        return _report(load_course(root), args.strict, args.format)
    if args.command == "build":
        status = _report(load_course(root), args.strict)
        if status != OK:
            return status
        from generator.mkdocs_build import BuildFailed, build_site

        try:
            site = build_site(root / "mkdocs.yml", args.site_dir, strict=args.strict)
        except BuildFailed as exc:
            print(f"build failed: {exc}", file=sys.stderr)
            return CONTENT_ERRORS
        print(f"site built in {site}")
        return OK
    if args.command == "handouts":
        return _handouts(root, args.out)
    if args.command == "serve":
        from mkdocs.commands.serve import serve

        serve(config_file=str(root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True)
        return OK
    return USAGE


if __name__ == "__main__":
    sys.exit(main())
