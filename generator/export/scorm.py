"""Modules as SCORM 1.2 packages: one ``<module>-scorm12.zip`` each, a single SCO; or, with
``--course``, one single-SCO ``<course id>-scorm12.zip`` holding every module, for LMSs that
take one SCO per course (its score is the mean of the module quizzes; it passes when every
module quiz is passed, so it has no mastery score).

The package is the shared one (generator/export/package.py) with the SCORM runtime adapter:
``assets/scorm.js`` in the launch page keeps the learner's progress in ``cmi.suspend_data``
(``assets/scorm-state.js``: a compact encoding over the quiz structure the launch page carries,
never the answers). One page holds the LMS session for the whole visit: SCORM 1.2 allows one
LMSInitialize and one LMSFinish per launch, so pages that each opened and closed a session would
end it at the first link. The manifest is ``imsmanifest.xml``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from generator.export import ExportFile, ExportResult
from generator.export.archive import archive_time, zip_bytes
from generator.export.package import (
    SHELL,
    Package,
    Runtime,
    course_package,
    launch_structure,
    module_package,
    package_nav,
)
from generator.export.package import package_entries as _package_entries
from generator.model import Course, Loc, Module
from generator.source.diagnostics import Diagnostic, Severity
from generator.source.layout import COURSE_FILE

__all__ = [
    "SUSPEND_DATA_LIMIT",
    "course_package",
    "export_course",
    "export_module",
    "launch_structure",
    "manifest_xml",
    "package_entries",
    "package_nav",
    "progress_length",
]

CP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
# What SCORM 1.2 allows in cmi.suspend_data (CMIString4096).
SUSPEND_DATA_LIMIT = 4096
# Version and fingerprint that open cmi.suspend_data: "1", six characters, "." (scorm-state.js).
PROGRESS_PREFIX = "1xxxxxx."


def _bits(count: int) -> int:
    return (count - 1).bit_length() if count > 1 else 0


def progress_length(structure: dict[str, Any]) -> int:
    """The length of cmi.suspend_data when every page is read and every question answered: the
    longest that assets/scorm-state.js writes for this package (a test holds the two equal)."""
    bits = len(structure["pages"])
    for quiz in structure["quizzes"]:
        bits += 8  # a result: present, then 7 bits of percent
        for question in quiz["questions"]:
            options, rows = len(question["options"]), len(question["rows"])
            bits += 2  # answered, right
            if question["type"] == "multiple":
                bits += options
            elif question["type"] in ("matching", "ordering"):
                bits += rows * _bits(options)
            else:
                bits += _bits(options)
    return len(PROGRESS_PREFIX) + -(-bits // 6)


def manifest_xml(package: Package, files: list[str]) -> bytes:
    """The SCORM 1.2 imsmanifest.xml: one organisation, one item, one SCO listing every file."""
    ET.register_namespace("", CP_NS)
    ET.register_namespace("adlcp", ADLCP_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{CP_NS}}}{tag}", attrs)
        element.text = text
        return element

    # Identifiers are XML IDs, which may not start with a digit as a slug may.
    root = ET.Element(
        f"{{{CP_NS}}}manifest",
        {"identifier": f"MANIFEST-{package.identifier}", "version": package.version},
    )
    metadata = sub(root, "metadata")
    sub(metadata, "schema", "ADL SCORM")
    sub(metadata, "schemaversion", "1.2")
    organizations = sub(root, "organizations", default="ORG-1")
    organization = sub(organizations, "organization", identifier="ORG-1")
    sub(organization, "title", package.title)
    item = sub(
        organization,
        "item",
        identifier=f"ITEM-{package.identifier}",
        identifierref=f"RES-{package.identifier}",
    )
    sub(item, "title", package.title)
    if package.mastery is not None:
        mastery = ET.SubElement(item, f"{{{ADLCP_NS}}}masteryscore")
        mastery.text = str(package.mastery)
    resources = sub(root, "resources")
    resource = sub(
        resources,
        "resource",
        identifier=f"RES-{package.identifier}",
        type="webcontent",
        href="index.html",
        **{f"{{{ADLCP_NS}}}scormtype": "sco"},
    )
    for name in files:
        sub(resource, "file", href=name)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def _manifest(_course: Course, package: Package, files: list[str]) -> tuple[str, bytes]:
    return "imsmanifest.xml", manifest_xml(package, files)


SCORM = Runtime("scorm", (("assets/scorm.js", SHELL / "scorm.js"),), (), _manifest)


def package_entries(course: Course, package: Package) -> dict[str, bytes]:
    """Every file of a SCORM package, by its name in the zip."""
    return _package_entries(course, package, SCORM)


def _archive(course: Course, package: Package, name: str) -> ExportResult:
    entries = package_entries(course, package)
    problems: list[Diagnostic] = []
    longest = progress_length(launch_structure(package, package_nav(package, course.language)))
    if longest > SUSPEND_DATA_LIMIT:
        problems.append(
            Diagnostic(
                Loc(COURSE_FILE, 1, 1),
                f"the progress of '{name}' can take {longest:,} characters of cmi.suspend_data, "
                f"more than the {SUSPEND_DATA_LIMIT:,} SCORM 1.2 allows; progress that does not "
                "fit is not kept between launches",
                Severity.WARNING,
                "export one package per module (without --course)",
            )
        )
    data = zip_bytes(entries, archive_time(course.meta.last_reviewed))
    return ExportResult((ExportFile(name, data),), tuple(problems))


def export_module(course: Course, module: Module) -> ExportResult:
    """A module as ``<slug>-scorm12.zip``; every question type is playable, so nothing is lost."""
    return _archive(course, module_package(course, module), f"{module.slug}-scorm12.zip")


def export_course(course: Course, modules: tuple[Module, ...]) -> ExportResult:
    """The whole course as one single-SCO ``<course id>-scorm12.zip``."""
    return _archive(course, course_package(course, modules), f"{course.meta.id}-scorm12.zip")
