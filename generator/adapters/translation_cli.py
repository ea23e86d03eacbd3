"""``coursesmith translate export|import``: translation files for CAT tools, on disk.

The core (``generator.translation_files``) makes the texts and checks what comes back; this
adapter reads the returned file, writes the results and prints what it did.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from generator.load import load_course
from generator.model import Course
from generator.source.diagnostics import format_report
from generator.source.layout import COURSE_FILE

OK, CONTENT_ERRORS, USAGE = 0, 1, 2


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``translate`` command and its two subcommands."""
    from generator.translation_files import FORMATS

    labels = _either(f.label for f in FORMATS.values())
    translate = commands.add_parser(
        "translate",
        help=f"exchange translations with a translator's tool as {labels}",
        description=f"Export the course's text for a translator ({labels}) and import what "
        "comes back into the translation files beside the sources.",
    )
    actions = translate.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="every translatable segment, with existing translations as targets",
        description="Write every translatable segment of the course (or of one module) into "
        f"one {labels} file: lesson headings, paragraphs, list items, table cells and "
        "trainer notes, and every text field of the YAML files, each with its existing "
        "translation, where it is and its source's fingerprint.",
    )
    export.add_argument("language", metavar="LANG", help="a further language of the course")
    export.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default=next(iter(FORMATS)),
        help=_either(f"{name} ({f.note})" if f.note else name for name, f in FORMATS.items())
        + " (default: %(default)s)",
    )
    export.add_argument(
        "--stale-only",
        action="store_true",
        help="only the segments whose source changed since they were translated",
    )
    export.add_argument("--module", help="this module's files only")
    export.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="file to write (no default)"
    )
    imported = actions.add_parser(
        "import",
        help="write a translator's XLIFF or PO file into the translation files",
        description="Check the returned file whole (language, file and segment ids, "
        "placeholders, structure), then write or update X.LANG.md / X.LANG.yml beside each "
        "source. Nothing is written when anything is wrong.",
    )
    imported.add_argument("file", type=Path, metavar="FILE", help="the returned XLIFF or PO file")
    for sub in (export, imported):
        sub.add_argument(
            "--root", type=Path, default=argparse.SUPPRESS, help="project folder (default: .)"
        )


def _either(names: Iterable[str]) -> str:
    """``a, b or c``."""
    *rest, final = names
    return f"{', '.join(rest)} or {final}" if rest else final


def run(root: Path, args: argparse.Namespace) -> int:
    result = load_course(root)
    course = result.course
    if course is None or result.diagnostics.has_errors():
        print(format_report(list(result.diagnostics)), file=sys.stderr)
        print("nothing done: fix the content first (coursesmith check)", file=sys.stderr)
        return CONTENT_ERRORS
    if args.action == "export":
        return _export(root, course, args)
    return _import(root, course, args.file)


def _export(root: Path, course: Course, args: argparse.Namespace) -> int:
    from generator.translation_files import export_text

    further = course.languages[1:]
    if args.language not in further:
        expected = ", ".join(further) or f"(none: add languages to {COURSE_FILE})"
        print(
            f"coursesmith translate export: '{args.language}' is not a further language of the "
            f"course, expected one of: {expected}",
            file=sys.stderr,
        )
        return USAGE
    if args.module is not None and all(m.slug != args.module for m in course.modules):
        print(f"coursesmith translate export: no module '{args.module}'", file=sys.stderr)
        return USAGE
    text, bundle = export_text(
        root, course, args.language, args.format, args.module, args.stale_only
    )
    try:
        args.out.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"coursesmith translate export: {exc.strerror}: {args.out}", file=sys.stderr)
        return CONTENT_ERRORS
    print(
        f"wrote {args.out}: {bundle.count()} segment(s) from {len(bundle.files)} file(s) "
        f"({args.format}, {course.source_language} -> {args.language})"
    )
    return OK


def _import(root: Path, course: Course, file: Path) -> int:
    from generator.translation_files import ReadError, read_returned
    from generator.translation_files.apply import plan_import

    try:
        data = file.read_bytes()
    except OSError as exc:
        print(f"coursesmith translate import: {exc.strerror}: {file}", file=sys.stderr)
        return USAGE
    try:
        document = read_returned(file.name, data)
    except ReadError as error:
        print(f"{file}:{error.line}: {error.message}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return CONTENT_ERRORS
    plan, problems = plan_import(root, course, document)
    if plan is None:
        for problem in problems:
            print(f"{file}:{problem.line}: {problem.message}", file=sys.stderr)
        print(f"nothing written: {len(problems)} problem(s)", file=sys.stderr)
        return CONTENT_ERRORS
    try:
        for rel, text in (*plan.kept_sources, *plan.files):
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"coursesmith translate import: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return CONTENT_ERRORS
    for rel, _ in plan.files:
        print(f"wrote {rel}")
    print(
        f"{len(plan.files)} translation file(s) written, {len(plan.unchanged)} unchanged; "
        "run `coursesmith check --translations`"
    )
    return OK
