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


@dataclass(frozen=True)
class ExportFormat:
    """One export format: what the command calls it and what it writes, and which of the
    command's options apply to it. The command builds its choices, its help and its refusals
    ("--course does not apply") from these rows alone."""

    label: str  # in the command's one-line summary ("write LMS packages (GIFT, …)")
    writes: str  # what it writes, in the command's description
    module: bool = True  # --module: one module's files only
    course: bool = False  # --course: one package of the whole course instead of one per module
    engine: bool = False  # --engine: a site engine builds what it writes
    language: bool = True  # --language: the course in a further language
    strict: bool = False  # --strict: a question held only by conversion is an error
    converts: bool = False  # holds an ordering question only as a matching one (a warning)
    skip_unsupported: bool = False  # --skip-unsupported: leaves out a question it cannot hold


# Every export format by name, in the order the command lists them: the one list `coursesmith
# export` takes its choices, its help and its rules from.
FORMATS: dict[str, ExportFormat] = {
    "gift": ExportFormat(
        "GIFT",
        "one Moodle GIFT file per module quiz",
        converts=True,
        strict=True,
        skip_unsupported=True,
    ),
    "qti": ExportFormat(
        "QTI 1.2",
        "one IMS QTI 1.2 zip per module quiz",
        converts=True,
        strict=True,
        skip_unsupported=True,
    ),
    "moodle": ExportFormat(
        "Moodle XML",
        "one Moodle XML question bank per module quiz",
        strict=True,
        skip_unsupported=True,
    ),
    "scorm": ExportFormat(
        "SCORM 1.2",
        "one SCORM 1.2 zip per module (--course: one for the whole course)",
        course=True,
    ),
    "cmi5": ExportFormat(
        "cmi5",
        "one cmi5 course package per module (one AU; --course: one AU for the whole course)",
        course=True,
    ),
    "xapi": ExportFormat(
        "xAPI",
        "one xAPI (Tin Can) package per module (--course: one for the whole course)",
        course=True,
    ),
    "offline": ExportFormat(
        "the offline site zip",
        "the whole site as a zip that works from file://",
        module=False,
        engine=True,
    ),
}
