"""The ``coursesmith`` command: arguments in, core calls, exit codes out (0 ok, 1 content
errors, 2 usage errors)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import shlex
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from generator.adapters import translation_cli
from generator.adapters.engines import DEFAULT as DEFAULT_ENGINE
from generator.adapters.engines import NAMES as ENGINES
from generator.authoring import scaffold
from generator.authoring.scaffold import Scaffold, ScaffoldRefused
from generator.authoring.schema import SCHEMA_FOLDER, schema_files
from generator.export import FORMATS, ExportFormat
from generator.load import CourseReader, LoadResult, load_course
from generator.model import Course, CourseFile, Loc, ModuleFile, is_id
from generator.output.guard import OutputRefused, check_output, os_error_message, prepare
from generator.source.diagnostics import Diagnostics, SourceLines, did_you_mean, format_report
from generator.source.languages import SHIPPED
from generator.source.layout import (
    COURSE_FILE,
    IMPORT_REPORT,
    MODULE_FILE,
    MODULES,
    SOURCES_FILE,
    is_translation,
    lessons_folder,
    module_file,
    module_folder,
    quiz_file,
)

if TYPE_CHECKING:
    from generator.adapters.pipeline import LoadedCourse
    from generator.export import ExportResult
    from generator.model import Module

OK, CONTENT_ERRORS, USAGE = 0, 1, 2


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler: TypeAlias = Callable[[Path, argparse.Namespace], int]
# A subcommand: the function that adds its parser to COMMAND's (or KIND's) choices, and the one
# that runs it on the parsed arguments. The tables (_COMMANDS, _NEW_KINDS) list them in help order.
Command: TypeAlias = tuple[Callable[[Commands], None], Handler]

_FORCE_HELP = (
    "write into an existing non-empty folder no Coursesmith build made (never the project, its "
    "content or /)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursesmith", description="Build training-course sites from Markdown and YAML."
    )
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="project folder (default: current folder)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add, _run in _COMMANDS.values():
        add(commands)
    # `coursesmith check --root DIR` reads as naturally as `coursesmith --root DIR check`:
    # every subcommand takes it too, and only overrides the top-level value when given.
    for sub in commands.choices.values():
        _add_root(sub)
    return parser


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", type=Path, default=argparse.SUPPRESS, help="project folder (default: .)"
    )


def _either(names: Iterable[str]) -> str:
    """``a, b or c``: a registry's names in a sentence."""
    *rest, final = names
    return f"{', '.join(rest)} or {final}" if rest else final


def _add_engine(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument(
        "--engine",
        default=DEFAULT_ENGINE,
        metavar="ENGINE",
        help=f"{purpose}: {_either(ENGINES)} (default: %(default)s)",
    )


def _add_check(commands: Commands) -> None:
    check = commands.add_parser(
        "check",
        help="validate the course content",
        description="Validate the course content and list every problem as path:line:col. "
        "Nothing is written.",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default): problems on stderr with their lines; json: a list on stdout",
    )
    check.add_argument(
        "--translations",
        action="store_true",
        help="list per language which translations are up to date, stale or missing "
        "(json: an object per language on stdout)",
    )


def _add_build(commands: Commands) -> None:
    build = commands.add_parser(
        "build",
        help="check the content and build the site",
        description="Check the content, then build the site with its handouts into the site "
        "folder of mkdocs.yml. On any error the previous site stays as it was.",
    )
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--site-dir", type=Path, help="output folder (default: from mkdocs.yml)")
    _add_engine(build, "the site builder")
    build.add_argument("--force", action="store_true", help=_FORCE_HELP)


def _add_handouts(commands: Commands) -> None:
    handouts = commands.add_parser(
        "handouts",
        help="write every handout as HTML and PDF",
        description="Write every module's handouts as HTML and PDF, in A4 and US Letter. With "
        "--trainer, the trainer edition (answer key, trainer notes, session plan) too, into a "
        "folder of your choice outside the published site.",
    )
    handouts.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder to write into (default: site; required with --trainer)",
    )
    handouts.add_argument(
        "--trainer",
        action="store_true",
        help="add the trainer edition, which holds the answers; never into the site folder",
    )
    handouts.add_argument(
        "--language",
        metavar="LANG",
        help="the handouts of the course in this language (default: the source language)",
    )
    handouts.add_argument("--force", action="store_true", help=_FORCE_HELP)


def _add_serve(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="preview the site with live reload",
        description="Preview the site in your browser and rebuild it on every save; a change "
        "that breaks the content is shown on the open page until it is fixed.",
    )
    serve.add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)"
    )
    _add_engine(serve, "the site builder")
    serve.add_argument(
        "--language",
        metavar="LANG",
        help="preview the course in this language only (default: the source language)",
    )


def _add_schema(commands: Commands) -> None:
    schema = commands.add_parser(
        "schema",
        help="write the JSON Schemas editors validate with",
        description="Write the JSON Schemas that editors check the course's YAML files with.",
    )
    schema.add_argument(
        "--out", type=Path, default=Path(SCHEMA_FOLDER), help=f"folder (default: {SCHEMA_FOLDER})"
    )


def _add_export(commands: Commands) -> None:
    packages = [f.label for f in FORMATS.values() if not f.engine]
    sites = [f.label for f in FORMATS.values() if f.engine]
    converting = [f.label for f in FORMATS.values() if f.converts]
    export = commands.add_parser(
        "export",
        help=f"write LMS packages ({', '.join(packages)}) or {_either(sites)}",
        description="Write the course for a learning platform, or the whole site as a zip that "
        "works offline. "
        + "; ".join(f"{name}: {f.writes}" for name, f in FORMATS.items())
        + f". An ordering question becomes a matching question in {_both(converting)}, with a "
        "warning. Nothing is written if a question cannot be exported.",
    )
    export.add_argument("format", choices=tuple(FORMATS), help="format")
    export.add_argument("--out", type=Path, default=None, help="folder (default: exports)")
    export.add_argument(
        "--module", help=_scoped("--module", "export this module only (folder name)")
    )
    export.add_argument(
        "--language",
        metavar="LANG",
        help=_scoped(
            "--language",
            "export the course in this language (default: the source language); a further "
            "language's files go to exports/LANG unless --out is given",
        ),
    )
    _add_export_choices(export)
    _add_engine(export, f"for {', '.join(_taking('--engine'))}")
    export.add_argument("--force", action="store_true", help=_FORCE_HELP)


def _add_export_choices(export: argparse.ArgumentParser) -> None:
    """The flags that change what some formats hold."""
    export.add_argument(
        "--skip-unsupported",
        action="store_true",
        help=_scoped(
            "--skip-unsupported",
            "leave out questions the format cannot hold (with a warning) instead of failing",
        ),
    )
    export.add_argument(
        "--strict",
        action="store_true",
        help=_scoped(
            "--strict",
            "fail on a question the format holds only by conversion (an ordering question as a "
            "matching one) instead of warning",
        ),
    )
    export.add_argument(
        "--course",
        action="store_true",
        help=_scoped(
            "--course",
            "one package (one SCO, AU or activity) of the whole course instead of one per module",
        ),
    )


# The export options some formats do not take, each with the field of the format's row
# (generator.export.ExportFormat) that says whether it does, in the order they are refused.
_EXPORT_OPTIONS: dict[str, Callable[[ExportFormat], bool]] = {
    "--module": lambda f: f.module,
    "--course": lambda f: f.course,
    "--strict": lambda f: f.strict,
    "--engine": lambda f: f.engine,
    "--skip-unsupported": lambda f: f.skip_unsupported,
    "--language": lambda f: f.language,
}


def _taking(option: str) -> list[str]:
    """The export formats ``option`` applies to, in the registry's order."""
    return [name for name, f in FORMATS.items() if _EXPORT_OPTIONS[option](f)]


def _scoped(option: str, text: str) -> str:
    """An export option's help, opening with the formats it applies to unless it applies to all
    (``gift, qti: …``), or closing with those it does not, when they are fewer."""
    takes = _taking(option)
    others = [name for name in FORMATS if name not in takes]
    if not others:
        return text
    if len(takes) <= len(others):
        return f"{', '.join(takes)}: {text}"
    return f"{text}; not for {_either(others)}"


def _both(names: Iterable[str]) -> str:
    """``a, b and c``: a registry's names in a sentence."""
    *rest, final = names
    return f"{', '.join(rest)} and {final}" if rest else final


def _add_import(commands: Commands) -> None:
    imports = commands.add_parser(
        "import",
        help="turn a module document into a module folder, a quiz stub and sources",
        description="Read a module document ('# CODE: Title', '## ' sections, fenced component "
        "tables, a Sources list, a source-evaluation table), or a Word (.docx) or OpenDocument "
        "(.odt) file (Title and Heading styles, lists, tables, pictures, footnotes, comments), "
        f"into {module_folder('<slug>')}/, {quiz_file('<slug>')} and {SOURCES_FILE}, and report "
        f"what went where (also in {module_folder('<slug>')}/{IMPORT_REPORT}). Nothing is written "
        "if the document cannot be understood.",
    )
    imports.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="the module document: text, Word (.docx) or OpenDocument (.odt)",
    )
    imports.add_argument(
        "--slug",
        "--module",
        dest="slug",
        type=_id_argument,
        help="module folder name (default: from the title)",
    )
    _add_tracked_changes(imports)
    imports.add_argument(
        "--force", action="store_true", help="replace an existing module folder and quiz"
    )
    imports.add_argument(
        "--dry-run", action="store_true", help="report what would be written, write nothing"
    )


def _add_tracked_changes(imports: argparse.ArgumentParser) -> None:
    changes = imports.add_mutually_exclusive_group()
    changes.add_argument(
        "--accept-changes",
        dest="changes",
        action="store_const",
        const="accept",
        default="refuse",
        help="accept the Word document's tracked changes (without it they are refused)",
    )
    changes.add_argument(
        "--reject-changes",
        dest="changes",
        action="store_const",
        const="reject",
        help="reject the Word document's tracked changes",
    )


def _id_argument(text: str) -> str:
    if not is_id(text):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a valid id, expected lowercase letters, digits and hyphens, "
            "starting with a letter or digit"
        )
    return text


def _text_argument(text: str) -> str:
    if not text.strip() or "\n" in text:
        raise argparse.ArgumentTypeError("expected one line of text")
    return text


def _new_parser(commands: Commands) -> None:
    kinds = _either(_NEW_KINDS)
    new = commands.add_parser(
        "new",
        help=f"start a {kinds} that passes check at once",
        description=f"Start a {kinds} from files that pass `coursesmith check` at once. Nothing "
        "existing is overwritten.",
    )
    choices = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    for add, _run in _NEW_KINDS.values():
        add(choices)
    for kind in choices.choices.values():
        _add_root(kind)


def _add_title(parser: argparse.ArgumentParser, what: str, default: str) -> None:
    parser.add_argument(
        "--title",
        type=_text_argument,
        default=default,
        help=f"{what} title (default: %(default)s)",
    )


def _add_new_course(kinds: Commands) -> None:
    course = kinds.add_parser(
        "course",
        help="a whole project: course, one module, lesson, quiz",
        description="Start a whole project: a course with one module, its lesson and quiz, and "
        "the mkdocs.yml that builds it.",
    )
    course.add_argument("folder", nargs="?", type=Path, help="project folder, under --root")
    course.add_argument("--id", type=_id_argument, help="course id (default: from the folder)")
    _add_title(course, "course", "My course")
    course.add_argument(
        "--language",
        choices=SHIPPED,
        default="en",
        metavar="LANG",
        help=f"language of the content: {', '.join(SHIPPED)} (default: %(default)s)",
    )


def _add_new_module(kinds: Commands) -> None:
    module = kinds.add_parser(
        "module",
        help=f"a module folder with one lesson, listed in {COURSE_FILE}",
        description=f"Add a module folder with one lesson, and list it in {COURSE_FILE}.",
    )
    module.add_argument("slug", type=_id_argument, help="module folder name, e.g. data-privacy")
    module.add_argument(
        "--code",
        type=_text_argument,
        default=scaffold.DEFAULT_CODE,
        help="module code shown to learners (default: %(default)s)",
    )
    _add_title(module, "module", "New module")


def _add_new_lesson(kinds: Commands) -> None:
    lesson = kinds.add_parser(
        "lesson",
        help=f"a lesson file, listed in its {MODULE_FILE}",
        description=f"Add a lesson file to a module, and list it in the module's {MODULE_FILE}.",
    )
    lesson.add_argument("module", type=_id_argument, help="module folder name")
    lesson.add_argument("id", type=_id_argument, help="lesson id, e.g. key-concepts")
    _add_title(lesson, "lesson", "New lesson")


def _add_new_quiz(kinds: Commands) -> None:
    quiz = kinds.add_parser(
        "quiz",
        help="a question bank with one question of each type",
        description="Add a module's question bank, with one example question of each type.",
    )
    quiz.add_argument("module", type=_id_argument, help="module folder name")


def _add_new_translation(kinds: Commands) -> None:
    translation = kinds.add_parser(
        "translation",
        help="copy each file to its translation (X.<lang>.md beside X.md) to translate",
        description="Copy every content file of the course (or of one module) to its translation "
        "into LANG beside it, with the source's fingerprint recorded so `check` can tell when "
        "the source changes. Existing translations are never overwritten.",
    )
    translation.add_argument(
        "language", metavar="LANG", help="a language of the course's languages, e.g. de"
    )
    translation.add_argument("--module", type=_id_argument, help="this module's files only")


def _report(result: LoadResult, strict: bool, fmt: str = "text", root: Path | None = None) -> int:
    items = list(result.diagnostics)
    if fmt == "json":
        print(json.dumps([d.as_dict() for d in items], indent=2))
    elif items:
        print(format_report(items, SourceLines(root) if root else None), file=sys.stderr)
    return OK if result.ok(strict) else CONTENT_ERRORS


def _check(root: Path, strict: bool, fmt: str, translations: bool = False) -> int:
    result = load_course(root)
    if translations:
        return _check_translations(root, result, strict, fmt)
    status = _report(result, strict, fmt, root)
    if status == OK and fmt == "text" and result.course is not None:
        # Silence after a check reads like nothing happened: say what was checked.
        modules = result.course.modules
        lessons = sum(len(m.lessons) for m in modules)
        questions = sum(len(m.quiz.questions) for m in modules if m.quiz)
        warnings = len(result.diagnostics.warnings)
        print(
            f"content OK: {len(modules)} module(s), {lessons} lesson(s), {questions} quiz "
            f"question(s), {len(result.course.glossary)} glossary term(s)"
            + (f", {warnings} warning(s)" if warnings else "")
        )
        if result.translations:
            from generator.authoring.translate import source_files
            from generator.source.languages import language_name

            total = len(source_files(result.course))
            for lang, translated in result.translations.items():
                done = total - len(translated.fallbacks)
                print(
                    f"{language_name(lang)} ({lang}): {done} of {total} file(s) translated"
                    + ("" if done == total else " (check --translations lists the rest)")
                )
    return status


def _in_language(result: LoadResult, language: str | None, command: str) -> Course | None:
    """The loaded course in ``language`` (default: the source language); None, with the reason
    on stderr, if the course is not offered in it."""
    course = result.course
    if course is None or language is None:
        return course
    chosen = result.in_language(language)
    if chosen is None:
        print(
            f"coursesmith {command}: the course is not offered in '{language}', expected one of "
            + ", ".join(course.languages),
            file=sys.stderr,
        )
    return chosen


def _check_translations(root: Path, result: LoadResult, strict: bool, fmt: str) -> int:
    """The translation table on stdout; content problems, if any, on stderr as `check` gives."""
    from generator.authoring.translate import status_json, status_table

    if fmt == "text" and result.diagnostics.has_errors(strict):
        print(format_report(result.diagnostics, SourceLines(root)), file=sys.stderr)
    if result.course is None:
        return CONTENT_ERRORS
    table = result.translation_states
    if fmt == "json":
        print(status_json(table, result.diagnostics))
    elif table:
        print(status_table(table))
    else:
        print(f"the course has one language: add further ones to languages in {COURSE_FILE}")
    return OK if result.ok(strict) else CONTENT_ERRORS


def _new_translation(root: Path, args: argparse.Namespace) -> int:
    """Scaffold the translation files of a declared language (never over an existing one)."""
    from generator.authoring.translate import new_translation

    result = load_course(root)
    course = result.course
    if course is None:
        return _refuse(result.diagnostics, root, "fix the course first")
    further = course.languages[1:]
    if args.language not in further:
        declared = ", ".join(course.languages)
        print(
            f"coursesmith new translation: '{args.language}' is not a further language of the "
            f"course (languages: {declared}), expected one of: {', '.join(further) or '(none)'}; "
            f"add it to languages in {COURSE_FILE} first",
            file=sys.stderr,
        )
        return CONTENT_ERRORS
    if args.module and course.modules and all(m.slug != args.module for m in course.modules):
        hint = did_you_mean(args.module, [m.slug for m in course.modules])
        hint = f"; {hint}" if hint else ""
        print(f"coursesmith new translation: no module '{args.module}'{hint}", file=sys.stderr)
        return CONTENT_ERRORS
    made = new_translation(root, course, args.language, args.module)
    try:
        for rel, text in made.files:
            (root / rel).write_text(text, encoding="utf-8", newline="\n")
            print(f"created {rel}")
        for rel, text in made.source_copies:  # what `translate export --stale-only` compares with
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"coursesmith new translation: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return CONTENT_ERRORS
    for rel in made.kept:
        print(f"kept {rel} (exists already)")
    print(
        f"{len(made.files)} translation file(s) written, {len(made.kept)} kept; translate the text "
        "(never ids, answers or structure), then run `coursesmith check --translations`"
    )
    return OK


def _no_config(root: Path, command: str) -> bool:
    """Whether the project lacks the mkdocs.yml that builds it; if so, say how to get one."""
    if (root / "mkdocs.yml").is_file():
        return False
    print(
        f"coursesmith {command}: no mkdocs.yml in {root}, which says how to build the site. "
        "`coursesmith new course` starts a project with one; or write a mkdocs.yml with these "
        "two lines:\n  site_name: My course\n  plugins: [search, coursesmith]",
        file=sys.stderr,
    )
    return True


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build(root: Path, args: argparse.Namespace) -> int:
    """Check, then build through the pipeline with the chosen engine; the old site stays on any
    failure."""
    from generator.adapters.engines import BuildFailed, EngineUnavailable, engine_named
    from generator.adapters.pipeline import LoadedCourse, Project, build_site

    if _no_config(root, "build"):
        return CONTENT_ERRORS
    try:
        engine_named(args.engine)  # an unknown or missing engine is said before any work
        project = Project.read(root / "mkdocs.yml")
        # So is a site folder the output rule refuses (generator/output/guard.py).
        project.output_folder(args.site_dir.resolve() if args.site_dir else None, args.force)
    except (EngineUnavailable, OutputRefused) as exc:
        print(f"coursesmith build: {exc}", file=sys.stderr)
        return USAGE
    except BuildFailed as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return CONTENT_ERRORS
    _progress("checking content…")
    # Loaded and checked once: the build and its handout process take this very course.
    loaded = LoadedCourse.load(project.course_root)
    status = _report(loaded.result, args.strict, root=loaded.root)
    if status != OK:
        return status
    engine = "" if args.engine == DEFAULT_ENGINE else f" with {args.engine}"
    _progress(f"building site and handouts{engine}…")
    try:
        site = build_site(
            root / "mkdocs.yml",
            args.site_dir,
            strict=args.strict,
            engine=args.engine,
            notify=lambda note: _progress(f"note: {note}"),
            force=args.force,
            loaded=loaded,
        )
    except (EngineUnavailable, OutputRefused) as exc:
        print(f"coursesmith build: {exc}", file=sys.stderr)
        return USAGE
    except BuildFailed as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"site built in {site}")
    return OK


def _serve(root: Path, args: argparse.Namespace) -> int:
    """Every engine serves a staged input that each save keeps up to date (adapters/preview)."""
    from generator.adapters.engines import BuildFailed, EngineUnavailable, engine_named

    try:
        engine_named(args.engine)
    except EngineUnavailable as exc:
        print(f"coursesmith serve: {exc}", file=sys.stderr)
        return USAGE
    if _no_config(root, "serve"):
        return CONTENT_ERRORS
    offered, language = _offered(root, args.language, "serve")
    if not offered:
        return USAGE
    # Every engine previews a staged input, which each save updates file by file.
    from generator.adapters import preview

    try:
        status = preview.serve(
            root / "mkdocs.yml", args.dev_addr, args.engine, _progress, language=language
        )
    except BuildFailed as exc:
        print(f"serve failed: {exc}", file=sys.stderr)
        return CONTENT_ERRORS
    return OK if status == 0 else CONTENT_ERRORS


def _offered(root: Path, language: str | None, command: str) -> tuple[bool, str | None]:
    """Whether the course is offered in ``language`` (if not, the reason is on stderr), and the
    language to preview: None for the source language. Only course.yml is read, for the preview
    loads the course itself, once; a course.yml that does not read is left to the preview, which
    shows its problems."""
    if language is None:
        return True, None
    meta = CourseReader(root, Diagnostics()).yaml_file(root / COURSE_FILE, CourseFile, "course")
    if meta is None:
        return True, language
    offered = meta.languages or (meta.language,)
    if language not in offered:
        print(
            f"coursesmith {command}: the course is not offered in '{language}', expected one of "
            + ", ".join(offered),
            file=sys.stderr,
        )
        return False, None
    return True, None if language == offered[0] else language


def _output(root: Path, out: Path, command: str, what: str, force: bool) -> Path | None:
    """``out`` (relative to the project) if the output rule lets ``command`` write there; None,
    with the reason on stderr, if not."""
    try:
        return check_output(out, root, what=what, force=force, exports=command != "handouts")
    except OutputRefused as exc:
        print(f"coursesmith {command}: {exc}", file=sys.stderr)
        return None


def _trainer_folder_refused(root: Path, out: Path | None) -> str | None:
    """Why ``handouts --trainer`` may not write into ``out``, or None: the answers go to a
    folder the trainer names, never into the site that learners are given."""
    if out is None:
        return "give --out DIR, a folder of your own for the trainer materials (not the site)"
    folder = (out if out.is_absolute() else root / out).resolve()
    site = (root / "site").resolve()
    if (root / "mkdocs.yml").is_file():
        from generator.adapters.engines import BuildFailed
        from generator.adapters.pipeline import Project

        with contextlib.suppress(BuildFailed):  # `build` reports a broken mkdocs.yml
            site = Project.read(root / "mkdocs.yml").site_dir
    if folder == site or folder.is_relative_to(site):
        return (
            f"{out} is inside the site folder ({site.name}), which learners are given; "
            "expected a folder outside it, such as trainer-handouts"
        )
    return None


def _handouts(
    root: Path, out: Path | None, language: str | None, force: bool = False, trainer: bool = False
) -> int:
    if trainer:
        refused = _trainer_folder_refused(root, out)
        if refused:
            print(f"coursesmith handouts --trainer: {refused}", file=sys.stderr)
            return USAGE
    folder = _output(root, out or Path("site"), "handouts", "handout folder", force)
    if folder is None:
        return USAGE
    from generator.adapters.pipeline import LoadedCourse
    from generator.render.pdf import HandoutError, publish_handouts

    _progress("checking content…")
    loaded = LoadedCourse.load(root)
    status = _report(loaded.result, strict=False, root=root)
    if status != OK or loaded.result.course is None:
        return CONTENT_ERRORS
    course = _in_language(loaded.result, language, "handouts")
    if course is None:
        return USAGE
    _progress(f"writing handouts for {len(course.modules)} module(s)…")
    try:
        written = publish_handouts(course, prepare(folder), loaded.fingerprint, trainer=trainer)
    except HandoutError as exc:
        print(f"handouts failed: {exc}", file=sys.stderr)
        return CONTENT_ERRORS
    except OSError as exc:
        print(f"handouts failed: {os_error_message(exc, folder)}", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"{sum(p.suffix == '.pdf' for p in written)} PDF handouts written in {folder}")
    return OK


def _schema(root: Path, out: Path) -> int:
    folder = out if out.is_absolute() else root / out
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in schema_files():
            (folder / name).write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"coursesmith schema: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"{len(schema_files())} JSON Schemas written in {folder}")
    return OK


def _new(root: Path, args: argparse.Namespace) -> int:
    """Build the scaffold from what is on disk, then write it (never over an existing file)."""
    _add, run = _NEW_KINDS[args.kind]
    try:
        return run(root, args)
    except ScaffoldRefused as exc:
        print(f"coursesmith new {args.kind}: {exc}", file=sys.stderr)
        return CONTENT_ERRORS


def _new_course(root: Path, args: argparse.Namespace) -> int:
    project = (root / args.folder).resolve() if args.folder else root
    course_id = args.id or scaffold.slug_of(project.name)
    made = scaffold.new_course(course_id, args.title, dt.date.today(), args.language)
    if project != Path.cwd():
        # The next steps name files in the new folder, and `check` runs from there.
        here = Path.cwd()
        shown = project.relative_to(here) if project.is_relative_to(here) else project
        made = dataclasses.replace(
            made, next_steps=(f"cd {shlex.quote(str(shown))}", *made.next_steps)
        )
    return _write_scaffold(project, made)


def _new_module(root: Path, args: argparse.Namespace) -> int:
    diags = Diagnostics()
    course = CourseReader(root, diags).yaml_file(root / COURSE_FILE, CourseFile, "course")
    if course is None or diags.has_errors():
        return _refuse(diags, root, f"fix {COURSE_FILE} first, or `new course`")
    if (root / module_folder(args.slug)).exists():
        raise ScaffoldRefused(f"{module_folder(args.slug)}/ exists already")
    course_yml = (root / COURSE_FILE).read_text(encoding="utf-8")
    made = scaffold.new_module(course_yml, args.slug, args.code, args.title)
    return _write_scaffold(root, made)


def _new_lesson(root: Path, args: argparse.Namespace) -> int:
    diags = Diagnostics()
    meta = _module_meta(CourseReader(root, diags), args.module)
    if meta is None or diags.has_errors():
        return _refuse(diags, root, f"fix {module_file(args.module)} first")
    lesson_paths = (root / lessons_folder(args.module)).glob("*.md")
    names = sorted(p.name for p in lesson_paths if not is_translation(p))
    module_yml = (root / module_file(args.module)).read_text(encoding="utf-8")
    made = scaffold.new_lesson(args.module, meta, module_yml, names, args.id, args.title)
    return _write_scaffold(root, made)


def _new_quiz(root: Path, args: argparse.Namespace) -> int:
    diags = Diagnostics()
    reader = CourseReader(root, diags)
    meta = _module_meta(reader, args.module)
    if meta is None or diags.has_errors():
        return _refuse(diags, root, f"fix {module_file(args.module)} first")
    lessons = reader.lessons(root / lessons_folder(args.module), meta) or ()
    sections = lessons[0].sections if lessons else ()
    made = scaffold.new_quiz(args.module, meta, sections[0].anchor if sections else None)
    return _write_scaffold(root, made)


def _module_meta(reader: CourseReader, slug: str) -> ModuleFile | None:
    """The module.yml of module ``slug``, read through ``reader`` (None if it has errors);
    ScaffoldRefused, with the nearest name, if there is no such module."""
    root = reader.root
    if not (root / module_file(slug)).is_file():
        modules = root / MODULES
        present = sorted(p.name for p in modules.iterdir()) if modules.is_dir() else []
        hint = did_you_mean(slug, present)
        raise ScaffoldRefused(
            f"no module '{slug}' ({module_file(slug)})" + (f"; {hint}" if hint else "")
        )
    return reader.yaml_file(root / module_file(slug), ModuleFile, "module")


_NEW_KINDS: dict[str, Command] = {
    "course": (_add_new_course, _new_course),
    "module": (_add_new_module, _new_module),
    "lesson": (_add_new_lesson, _new_lesson),
    "quiz": (_add_new_quiz, _new_quiz),
    "translation": (_add_new_translation, _new_translation),
}


def _refuse(diags: Diagnostics, root: Path, what: str) -> int:
    print(format_report(diags, SourceLines(root)), file=sys.stderr)
    print(f"nothing written: {what}", file=sys.stderr)
    return CONTENT_ERRORS


def _write_scaffold(project: Path, made: Scaffold) -> int:
    existing = [rel for rel, _text in made.files if (project / rel).exists()]
    if existing:
        raise ScaffoldRefused(f"nothing written, these files exist already: {', '.join(existing)}")
    created: list[Path] = []  # files and folders made here, removed again if a write fails
    try:
        for rel, _text in made.files:
            for folder in reversed((project / rel).parents):
                if not folder.exists():
                    folder.mkdir()
                    created.append(folder)
        for rel, text in made.files:
            (project / rel).write_text(text, encoding="utf-8", newline="\n")
            created.append(project / rel)
        # The author's files are edited last: a failure before leaves them untouched.
        for rel, text in made.edits:
            (project / rel).write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        for path in reversed(created):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
        raise ScaffoldRefused(f"nothing written: {exc.strerror}: {exc.filename}") from None
    for rel, _text in made.files:
        print(f"created {rel}")
    for rel, _text in made.edits:
        print(f"updated {rel}")
    print("next:")
    for step in made.next_steps:
        print(f"  - {step}")
    return OK


def _export(root: Path, args: argparse.Namespace) -> int:
    """Check the content, export everything in memory, then write it only if all went well."""
    from generator.adapters.engines import EngineUnavailable, engine_named
    from generator.adapters.pipeline import LoadedCourse

    command = f"export {args.format}"
    misfit = _export_misfit(args)
    if misfit:
        print(f"coursesmith {command}: {misfit} does not apply", file=sys.stderr)
        return USAGE
    try:
        engine_named(args.engine)  # an unknown or missing engine is said before any work
    except EngineUnavailable as exc:
        print(f"coursesmith {command}: {exc}", file=sys.stderr)
        return USAGE
    # Refused before any work; a further language's files have the same names as the source's,
    # so they go beside them, apart (the source language's own code is known after loading).
    out = args.out or (Path("exports") / args.language if args.language else Path("exports"))
    if _output(root, out, command, "export folder", args.force) is None:
        return USAGE
    _progress("checking content…")
    loaded = LoadedCourse.load(root)
    if _report(loaded.result, strict=False, root=root) != OK or loaded.result.course is None:
        return CONTENT_ERRORS
    course = _in_language(loaded.result, args.language, command)
    if course is None:
        return USAGE
    if args.out is None and course.language == course.source_language:
        out = Path("exports")
    folder = _output(root, out, command, "export folder", args.force)
    if folder is None:
        return USAGE
    modules = _export_modules(course, args.module)
    if modules is None:
        return USAGE
    _progress(f"exporting {args.format}…")
    exported = _exported(root, args, loaded, course, modules)
    if isinstance(exported, int):
        return exported
    return _write_exports(root, args, folder, exported)


def _export_misfit(args: argparse.Namespace) -> str | None:
    """The first option given that does not apply to the export format (by the format's row in
    the registry), or None."""
    given = {
        "--module": bool(args.module),
        "--course": args.course,
        "--strict": args.strict,
        "--engine": args.engine != DEFAULT_ENGINE,
        "--skip-unsupported": args.skip_unsupported,
        "--language": bool(args.language),
    }
    row = FORMATS[args.format]
    misfits = [flag for flag, takes in _EXPORT_OPTIONS.items() if given[flag] and not takes(row)]
    if args.module and args.course:
        misfits.append("--module with --course")
    return misfits[0] if misfits else None


def _export_modules(course: Course, slug: str | None) -> tuple[Module, ...] | None:
    """The modules to export: all, or the one named ``slug``; None, with the reason on stderr,
    if the course has no such module."""
    if not slug:
        return course.modules
    modules = tuple(m for m in course.modules if m.slug == slug)
    if not modules:
        hint = did_you_mean(slug, [m.slug for m in course.modules])
        print(f"no module '{slug}'" + (f"; {hint}" if hint else ""), file=sys.stderr)
        return None
    return modules


def _exported(
    root: Path,
    args: argparse.Namespace,
    loaded: LoadedCourse,
    course: Course,
    modules: tuple[Module, ...],
) -> ExportResult | int:
    """The export in memory, with its problems; the exit code if it failed. The offline site is
    built from the course loaded for the export, never loaded again."""
    from generator.adapters.engines import BuildFailed, EngineUnavailable
    from generator.adapters.pipeline import build_site
    from generator.export import ExportOptions
    from generator.export.formats import export_course

    def build_offline(site_folder: Path) -> Path:
        return build_site(
            root / "mkdocs.yml",
            site_folder,
            offline=True,
            language=course.language,
            engine=args.engine,
            loaded=loaded,
        )

    try:
        options = ExportOptions(args.skip_unsupported, args.strict, args.course)
        return export_course(course, args.format, modules, options, build_offline)
    except (EngineUnavailable, OutputRefused) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return USAGE
    except BuildFailed as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return CONTENT_ERRORS


def _write_exports(
    root: Path, args: argparse.Namespace, folder: Path, exported: ExportResult
) -> int:
    """Report the export's problems, then write its files into ``folder`` if none stops it."""
    from generator.export.archive import ArchiveError, write_all

    if exported.problems:
        print(format_report(exported.problems, SourceLines(root)), file=sys.stderr)
    if exported.unsupported:
        what = "content the format cannot hold"
        if args.strict:
            what += " or holds only by conversion (--strict)"
        print(f"nothing written: {what}", file=sys.stderr)
        return CONTENT_ERRORS
    try:
        paths = write_all(folder, [(file.name, file.data) for file in exported.files])
    except ArchiveError as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return CONTENT_ERRORS
    except OSError as exc:
        print(f"export failed: {os_error_message(exc, folder)}", file=sys.stderr)
        return CONTENT_ERRORS
    for path, file in zip(paths, exported.files, strict=True):
        print(f"wrote {path} ({len(file.data):,} bytes)")
    if not exported.files:
        print("nothing to export: no module has a quiz", file=sys.stderr)
    return OK


def _import(root: Path, args: argparse.Namespace) -> int:
    """Import a module document; the report goes to stdout (stderr when nothing was written)."""
    from generator.importer.write import UsageError, import_module

    try:
        report = import_module(root, args.file, args.slug, args.force, args.dry_run, args.changes)
    except UsageError as exc:
        print(f"coursesmith import: {exc}", file=sys.stderr)
        return USAGE
    except OSError as exc:
        print(f"coursesmith import: nothing written: {exc}", file=sys.stderr)
        return CONTENT_ERRORS
    if not report.failed:
        print(report.format(args.dry_run))
        return OK
    # The document usually lives outside the project: its lines are read from its own folder.
    document, project = SourceLines(args.file.parent), SourceLines(root)

    def source(loc: Loc) -> str | None:
        if loc.path == report.source:
            return document(Loc(args.file.name, loc.line, loc.col))
        return project(loc)

    print(report.format(args.dry_run, source), file=sys.stderr)
    return CONTENT_ERRORS


_COMMANDS: dict[str, Command] = {
    "check": (_add_check, lambda root, a: _check(root, a.strict, a.format, a.translations)),
    "build": (_add_build, _build),
    "handouts": (
        _add_handouts,
        lambda root, a: _handouts(root, a.out, a.language, a.force, a.trainer),
    ),
    "serve": (_add_serve, _serve),
    "new": (_new_parser, _new),
    "schema": (_add_schema, lambda root, a: _schema(root, a.out)),
    "export": (_add_export, _export),
    "import": (_add_import, _import),
    "translate": (translation_cli.add_parser, translation_cli.run),
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return USAGE if exc.code not in (0, None) else OK
    _add, run = _COMMANDS[args.command]
    return run(args.root.resolve(), args)


if __name__ == "__main__":
    sys.exit(main())
