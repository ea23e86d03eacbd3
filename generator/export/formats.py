"""The export formats by name, and running one over a course (or one module) at once, so that
every unsupported question is known before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.export import (
    FORMATS,
    ExportFile,
    ExportOptions,
    ExportResult,
    gift,
    moodle,
    offline,
    qti,
    scorm,
    xapi,
)
from generator.model import Course, Module
from generator.source.diagnostics import Diagnostic

ModuleExport = Callable[[Course, Module, ExportOptions], ExportResult]
CourseExport = Callable[[Course, tuple[Module, ...]], ExportResult]


@dataclass(frozen=True)
class Runner:
    """How one format of ``generator.export.FORMATS`` is run: over each chosen module, and, for
    a format that takes --course, over the whole course at once. The offline site, which a
    site engine builds, is the format whose row says ``engine``."""

    module: ModuleExport
    course: CourseExport | None = None


def _package(kind: str) -> Runner:
    return Runner(
        lambda course, module, options: xapi.export_module(course, module, kind),
        lambda course, modules: xapi.export_course(course, modules, kind),
    )


# One runner per export format (tests/test_cli.py holds the two lists to the same names).
RUNNERS: dict[str, Runner] = {
    "gift": Runner(gift.export_module),
    "qti": Runner(qti.export_module),
    "moodle": Runner(moodle.export_module),
    "scorm": Runner(
        lambda course, module, options: scorm.export_module(course, module), scorm.export_course
    ),
    **{kind: _package(kind) for kind in xapi.KINDS},
}


def export_course(
    course: Course,
    fmt: str,
    modules: tuple[Module, ...],
    options: ExportOptions,
    build_offline: offline.OfflineBuilder,
) -> ExportResult:
    """Every file of one export format, with every problem met; nothing is written here."""
    if FORMATS[fmt].engine:
        return offline.export_site(course, build_offline)
    runner = RUNNERS[fmt]
    if options.whole_course and runner.course is not None:
        return runner.course(course, modules)
    files: list[ExportFile] = []
    problems: list[Diagnostic] = []
    for module in modules:
        result = runner.module(course, module, options)
        files += result.files
        problems += result.problems
    return ExportResult(tuple(files), tuple(problems))
