"""Modules as cmi5 and xAPI (Tin Can) packages: the shared package (generator/export/package.py)
with the xAPI runtime adapter (``assets/xapi.js``) and the standard's launch script
(``assets/cmi5.js`` or ``assets/tincan.js``); ``cmi5.xml`` or ``tincan.xml`` at the zip's root.

One assignable unit (cmi5 AU, Tin Can activity) per module, ``<module>-cmi5.zip`` and
``<module>-xapi.zip``; or, with ``--course``, one for the whole course. The launch page carries
what the runtime needs to describe its statements: the lesson pages (their titles) and each
question's xAPI interaction definition (type, choices, ``correctResponsesPattern``), XOR-encoded
as the quiz pages carry their answers, so the package says no more about the answers than the
site does. No endpoint and no credential is in a package: the LMS hands them to each launch.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from generator.export import ExportFile, ExportResult
from generator.export.archive import archive_time, zip_bytes
from generator.export.package import (
    Launch,
    Package,
    Runtime,
    course_package,
    html_name,
    module_package,
    package_entries,
)
from generator.i18n.catalogues import tr
from generator.model import Course, Module, Question
from generator.output.package_files import TEMPLATES
from generator.render.markup import plain
from generator.render.pages import module_page
from generator.render.quiz import decode_answer, encode_answer, question_view, shown_prompt
from generator.source.diagnostics import Diagnostic, Severity

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
TINCAN_NS = "http://projecttincan.com/tincan.xsd"
XAPI = TEMPLATES / "export" / "xapi"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
# Our question types as xAPI interaction types.
INTERACTION_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "true-false": "true-false",
    "matching": "matching",
    "ordering": "sequencing",
}
# What separates the parts of an xAPI response pattern; no component id may contain them.
DELIMITERS = ("[,]", "[.]", "[:]")


def activity_id(course: Course, package: Package) -> str:
    """The package's activity IRI (cmi5 AU id, Tin Can activity id): stable across versions."""
    if package.whole_course:
        return f"urn:coursesmith:{course.meta.id}"
    return f"urn:coursesmith:{course.meta.id}:{package.modules[0].slug}"


def _text(course: Course, text: str) -> dict[str, str]:
    return {course.language: text}


def _components(course: Course, items: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"id": key, "description": _text(course, text)} for key, text in items]


def _numbered(course: Course, number: int, count: int) -> str:
    return tr(course.language, "Question %(number)s of %(count)s", number=number, count=count)


def interaction(course: Course, module: Module, question: Question, number: int) -> dict[str, Any]:
    """A question as an xAPI interaction activity definition (with its correct response)."""
    quiz = module.quiz
    assert quiz is not None
    view = question_view(module, question, number, quiz.shuffle, course.language)
    kind = INTERACTION_TYPES[question.type]
    definition: dict[str, Any] = {
        "type": INTERACTION,
        "name": _text(course, f"{module.code} · {_numbered(course, number, len(quiz.questions))}"),
        "description": _text(course, plain(shown_prompt(question))),
        "interactionType": kind,
    }
    options = [(o.value, plain(str(o.label))) for o in view.options]
    rows = [(r.value, plain(str(r.label))) for r in view.rows]
    # The answer key as the quiz page has it: one source of truth for what is right.
    correct: Any = decode_answer(f"{module.slug}:{question.id}", view.encoded)["correct"]
    if kind == "choice":
        definition["correctResponsesPattern"] = ["[,]".join(sorted(correct))]
        definition["choices"] = _components(course, options)
    elif kind == "true-false":
        definition["correctResponsesPattern"] = list(correct)
    elif kind == "matching":
        pairs = "[,]".join(f"{row}[.]{correct[row]}" for row in sorted(correct))
        definition["correctResponsesPattern"] = [pairs]
        definition["source"] = _components(course, sorted(rows))
        definition["target"] = _components(course, sorted(options))
    else:
        order = sorted(correct, key=lambda item: int(correct[item]))
        definition["correctResponsesPattern"] = ["[,]".join(order)]
        definition["choices"] = _components(course, sorted(rows))
    return {"id": f"questions/{module.slug}/{question.id}", "definition": definition}


def _component_ids(question: Question) -> list[str]:
    return (
        [c.id for c in question.choices]
        + [p.id for p in question.pairs]
        + [i.id for i in question.items]
    )


def problems(package: Package) -> list[Diagnostic]:
    """Questions that cannot be an xAPI interaction: a type xAPI has no interaction for, or an
    id holding a delimiter of xAPI's response patterns (the learner's answer would be misread)."""
    found = []
    for module in package.modules:
        for question in module.quiz.questions if module.quiz else ():
            if question.type not in INTERACTION_TYPES:
                why = f"of type '{question.type}', which has no xAPI interaction type"
            else:
                bad = [i for i in _component_ids(question) if any(d in i for d in DELIMITERS)]
                if not bad:
                    continue
                why = f"answered by the id '{bad[0]}', which holds a response-pattern delimiter"
            found.append(
                Diagnostic(
                    question.loc,
                    f"question '{question.id}' is {why}; an xAPI package cannot hold it, "
                    "nothing written",
                    Severity.ERROR,
                    "expected a single, multiple, true-false, matching or ordering question "
                    "whose ids hold no '[,]', '[.]' or '[:]'",
                )
            )
    return found


def launch_extras(course: Course, package: Package) -> Launch:
    """What the launch page carries for the xAPI runtime, its messages and its exit button."""
    language = course.language
    interactions: dict[str, object] = {
        m.slug: {
            f"q-{q.id}": interaction(course, m, q, n)
            for n, q in enumerate(m.quiz.questions, start=1)
        }
        for m in package.modules
        if m.quiz is not None
    }
    lessons = {
        html_name(module_page(m, lesson.id)): lesson.title
        for m in package.modules
        for lesson in m.lessons
    }
    data = {
        "activity": activity_id(course, package),
        "mastery": None if package.mastery is None else package.mastery / 100,
        "lessons": lessons,
        "key": package.identifier,
        "interactions": encode_answer(package.identifier, interactions),
    }
    problems = {
        # TRANSLATORS: shown in a cmi5 or xAPI package opened without the launch parameters.
        "launch": tr(
            language,
            "This course was not opened from your learning platform, so nothing you do here is "
            "recorded. You can still read every page and take the quiz.",
        ),
        # TRANSLATORS: shown in a cmi5 package whose learning platform did not answer at launch.
        "connect": tr(
            language,
            "Your learning platform could not be reached, so your progress is not recorded "
            "now. You can still read every page and take the quiz.",
        ),
    }
    # TRANSLATORS: the button that leaves a cmi5 package and returns to the learning platform.
    return Launch(data, problems, tr(language, "Exit"))


def _langstrings(parent: ET.Element, tag: str, text: str, language: str, ns: str) -> None:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    string = ET.SubElement(element, f"{{{ns}}}langstring", lang=language)
    string.text = text


def _description(course: Course, package: Package) -> str:
    if package.whole_course:
        return plain(course.meta.description.replace("\n", " ").strip())
    return plain(package.modules[0].meta.summary.replace("\n", " ").strip())


def cmi5_xml(course: Course, package: Package) -> bytes:
    """cmi5.xml: the course, and its one AU (a module, or the whole course with --course)."""
    ET.register_namespace("", CMI5_NS)
    ns, language = CMI5_NS, course.language
    root = ET.Element(f"{{{ns}}}courseStructure")
    top = ET.SubElement(root, f"{{{ns}}}course", id=f"urn:coursesmith:course:{course.meta.id}")
    _langstrings(top, "title", course.title, language, ns)
    _langstrings(top, "description", plain(course.meta.description.strip()), language, ns)
    has_quiz = any(m.quiz is not None for m in package.modules)
    attributes = {
        "id": activity_id(course, package),
        "moveOn": "CompletedAndPassed" if has_quiz else "Completed",
        "launchMethod": "AnyWindow",
    }
    if package.mastery is not None:
        attributes["masteryScore"] = f"{package.mastery / 100:g}"
    unit = ET.SubElement(root, f"{{{ns}}}au", attributes)
    _langstrings(unit, "title", package.title, language, ns)
    _langstrings(unit, "description", _description(course, package), language, ns)
    ET.SubElement(unit, f"{{{ns}}}url").text = "index.html"
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def tincan_xml(course: Course, package: Package) -> bytes:
    """tincan.xml: the package's activity, launched at index.html."""
    ET.register_namespace("", TINCAN_NS)
    ns = TINCAN_NS
    root = ET.Element(f"{{{ns}}}tincan")
    activities = ET.SubElement(root, f"{{{ns}}}activities")
    kind = "http://adlnet.gov/expapi/activities/" + ("course" if package.whole_course else "module")
    activity = ET.SubElement(
        activities, f"{{{ns}}}activity", id=activity_id(course, package), type=kind
    )
    ET.SubElement(activity, f"{{{ns}}}name", lang=course.language).text = package.title
    description = ET.SubElement(activity, f"{{{ns}}}description", lang=course.language)
    description.text = _description(course, package)
    ET.SubElement(activity, f"{{{ns}}}launch", lang=course.language).text = "index.html"
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


CMI5 = Runtime(
    "package",
    (("assets/cmi5.js", XAPI / "cmi5.js"), ("assets/xapi.js", XAPI / "xapi.js")),
    (("assets/xapi.css", XAPI / "xapi.css"),),
    lambda course, package, _files: ("cmi5.xml", cmi5_xml(course, package)),
    launch_extras,
)
TINCAN = Runtime(
    "package",
    (("assets/tincan.js", XAPI / "tincan.js"), ("assets/xapi.js", XAPI / "xapi.js")),
    (("assets/xapi.css", XAPI / "xapi.css"),),
    lambda course, package, _files: ("tincan.xml", tincan_xml(course, package)),
    launch_extras,
)
# Format name: (runtime, file name ending).
KINDS = {"cmi5": (CMI5, "cmi5"), "xapi": (TINCAN, "xapi")}


def _archive(course: Course, package: Package, name: str, runtime: Runtime) -> ExportResult:
    found = problems(package)
    if found:
        return ExportResult((), tuple(found))
    entries = package_entries(course, package, runtime)
    data = zip_bytes(entries, archive_time(course.meta.last_reviewed))
    return ExportResult((ExportFile(name, data),))


def export_module(course: Course, module: Module, fmt: str) -> ExportResult:
    """A module as ``<slug>-cmi5.zip`` or ``<slug>-xapi.zip`` (one AU, one activity)."""
    runtime, ending = KINDS[fmt]
    return _archive(course, module_package(course, module), f"{module.slug}-{ending}.zip", runtime)


def export_course(course: Course, modules: tuple[Module, ...], fmt: str) -> ExportResult:
    """The whole course as one AU or activity: ``<course id>-cmi5.zip``/``-xapi.zip``."""
    runtime, ending = KINDS[fmt]
    package = course_package(course, modules)
    return _archive(course, package, f"{course.meta.id}-{ending}.zip", runtime)
