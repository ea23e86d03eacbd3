"""Exports for learning-management systems and offline delivery: pure functions from the course
model to files, each with the problems it met (content a format cannot hold).

Like text2qti, the model goes in and the format comes out: the two never meet, so every format
reads the same ``Question`` and reports what it cannot express instead of dropping it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model import Question
from generator.source.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class ExportFile:
    """One file an export writes: its name in the output folder and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ExportOptions:
    """What the author chose on the command line: skip what a format cannot hold at all, refuse
    conversions (an ordering question as a matching one) instead of warning, and package the
    whole course as one SCO."""

    skip_unsupported: bool = False
    strict: bool = False
    whole_course: bool = False  # SCORM: one single-SCO package of the whole course


@dataclass(frozen=True)
class ExportResult:
    """The files of an export and every problem met on the way (unsupported content first)."""

    files: tuple[ExportFile, ...] = ()
    problems: tuple[Diagnostic, ...] = field(default=())

    @property
    def unsupported(self) -> list[Diagnostic]:
        """Problems that stop the export: content a format cannot hold (unless skipped on
        purpose) and, with --strict, conversions."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


def unsupported(question: Question, fmt: str, why: str, skip: bool) -> Diagnostic:
    """A question a format cannot hold: an error, or a warning when it is skipped on purpose."""
    verb = "skipped" if skip else "not exported"
    hint = "" if skip else "use --skip-unsupported to export the other questions without it"
    return Diagnostic(
        question.loc,
        f"question '{question.id}' is {why}, which {fmt} cannot hold; {verb}",
        Severity.WARNING if skip else Severity.ERROR,
        hint,
    )


# Every export format by name, in the order the command lists them, with what it writes: the one
# list `coursesmith export` takes its choices and its help from.
FORMATS: dict[str, str] = {
    "gift": "one Moodle GIFT file per module quiz",
    "qti": "one IMS QTI 1.2 zip per module quiz",
    "moodle": "one Moodle XML question bank per module quiz",
    "scorm": "one SCORM 1.2 zip per module (--course: one for the whole course)",
    "cmi5": "one cmi5 course package per module (one AU; --course: one AU for the whole course)",
    "xapi": "one xAPI (Tin Can) package per module (--course: one for the whole course)",
    "offline": "the whole site as a zip that works from file://",
}

# What each format is called in the command's one-line summary ("write LMS packages (GIFT, …)").
LABELS: dict[str, str] = {
    "gift": "GIFT",
    "qti": "QTI 1.2",
    "moodle": "Moodle XML",
    "scorm": "SCORM 1.2",
    "cmi5": "cmi5",
    "xapi": "xAPI",
    "offline": "the offline site zip",
}
