"""The export formats by name, and running one over a course (or one module) at once, so that
every unsupported question is known before anything is written."""

from __future__ import annotations

from generator.export import (
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

BANKS = {"gift": gift.export_module, "qti": qti.export_module, "moodle": moodle.export_module}


def export_course(
    course: Course,
    fmt: str,
    modules: tuple[Module, ...],
    options: ExportOptions,
    build_offline: offline.OfflineBuilder,
) -> ExportResult:
    """Every file of one export format, with every problem met; nothing is written here."""
    if fmt == "offline":
        return offline.export_site(course, build_offline)
    if fmt == "scorm" and options.whole_course:
        return scorm.export_course(course, modules)
    if fmt in xapi.KINDS and options.whole_course:
        return xapi.export_course(course, modules, fmt)
    files: list[ExportFile] = []
    problems: list[Diagnostic] = []
    for module in modules:
        if fmt == "scorm":
            result = scorm.export_module(course, module)
        elif fmt in xapi.KINDS:
            result = xapi.export_module(course, module, fmt)
        else:
            result = BANKS[fmt](course, module, options)
        files += result.files
        problems += result.problems
    return ExportResult(tuple(files), tuple(problems))
