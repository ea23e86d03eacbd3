"""The export formats by name, and running one over a course (or one module) at once, so that
every unsupported question is known before anything is written."""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.export import ExportFile, ExportResult, gift, offline, qti, scorm
from generator.model import Course, Module


def export_course(
    course: Course,
    fmt: str,
    modules: tuple[Module, ...],
    skip_unsupported: bool,
    build_offline: offline.OfflineBuilder,
) -> ExportResult:
    """Every file of one export format, with every problem met; nothing is written here."""
    if fmt == "offline":
        return offline.export_site(course, build_offline)
    files: list[ExportFile] = []
    problems: list[Diagnostic] = []
    for module in modules:
        if fmt == "gift":
            result = gift.export_module(course, module, skip_unsupported)
        elif fmt == "qti":
            result = qti.export_module(course, module, skip_unsupported)
        else:
            result = scorm.export_module(course, module)
        files += result.files
        problems += result.problems
    return ExportResult(tuple(files), tuple(problems))
