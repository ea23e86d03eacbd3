"""Question banks as IMS QTI 1.2 packages, in the dialect Canvas and Moodle import: one
``<module>-qti12.zip`` per module quiz, holding ``imsmanifest.xml`` and the assessment XML.

Each item carries Canvas' ``question_type`` and ``points_possible`` metadata and a standard
``SCORE`` outcome (0–100) set by response conditions, so an LMS that ignores Canvas' fields still
scores it. Text is our own safe HTML in ``mattext texttype="text/html"``; ElementTree escapes it.
Multiple choice is all or nothing, as on the site, with ``rcardinality="Multiple"`` and the
limits (one to all choices) Canvas' importer needs to keep it multiple-answer. Matching is Canvas'
matching_question: one ``response_lid`` per left item, the right items as its labels, each right
match adding its share (shares that add up to exactly 100). QTI 1.2 has no ordering interaction
that Canvas and Moodle both import: an ordering question becomes a matching question, each
position matched to its item, with a warning (an error with --strict).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markupsafe import Markup

from generator.export import ExportFile, ExportOptions, ExportResult
from generator.export.archive import archive_time, zip_bytes
from generator.export.questions import bank_questions, shares
from generator.export.questions import sub_element as _sub
from generator.i18n.catalogues import tr
from generator.model import Course, Module, Question
from generator.render.markup import block, inline
from generator.source.languages import SOURCE_LANGUAGE

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
FORMAT = "QTI 1.2"
# "continue" is a Python keyword, so respcondition's attribute travels in a mapping.
YES, NO = {"continue": "Yes"}, {"continue": "No"}
CANVAS_TYPES = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "true-false": "true_false_question",
    "matching": "matching_question",
}


def _material(parent: ET.Element, html: Markup) -> ET.Element:
    material = _sub(parent, "material")
    _sub(material, "mattext", str(html).strip(), texttype="text/html")
    return material


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _feedback_ident(key: str) -> str:
    # Ids have no "_", so this never equals Canvas' own "general_fb" or "correct_fb", which a
    # choice or pair named "general" or "correct" would otherwise repeat.
    return f"{key}_answer_fb"


def _feedback_condition(processing: ET.Element, respident: str, key: str) -> None:
    condition = _sub(processing, "respcondition", **YES)
    _sub(_sub(condition, "conditionvar"), "varequal", key, respident=respident)
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=_feedback_ident(key))


def _choices(presentation: ET.Element, ident: str, cardinality: str, count: int) -> ET.Element:
    lid = _sub(presentation, "response_lid", ident=ident, rcardinality=cardinality)
    if cardinality == "Multiple":
        # Without limits a QTI 1.2 importer that converts to QTI 2 (Canvas') takes QTI 2's
        # default of one choice: say that one to all of them may be picked.
        return _sub(lid, "render_choice", minnumber="1", maxnumber=str(count))
    return _sub(lid, "render_choice")


def question_item(
    module: Module, question: Question, language: str = SOURCE_LANGUAGE
) -> ET.Element:
    """One question as a QTI 1.2 ``item`` (single, multiple, true-false or matching)."""
    item = ET.Element("item", ident=f"{module.slug}-{question.id}", title=question.id)
    _metadata(
        _sub(item, "itemmetadata"),
        [
            ("question_type", CANVAS_TYPES[question.type]),
            ("points_possible", str(question.points)),
        ],
    )
    presentation = _sub(item, "presentation")
    _material(presentation, block(question.prompt))
    processing = _sub(item, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    # The explanation is general feedback, shown whatever the answer.
    general = _sub(processing, "respcondition", **YES)
    _sub(_sub(general, "conditionvar"), "other")
    _sub(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    feedback: list[tuple[str, Markup]] = [("general_fb", block(question.explanation))]
    if question.type in ("single", "multiple", "true-false"):
        feedback += _choice_responses(question, presentation, processing, language)
    else:
        feedback += _matching_responses(question, presentation, processing)
    for ident, html in feedback:
        flow = _sub(_sub(item, "itemfeedback", ident=ident), "flow_mat")
        _material(flow, html)
    return item


def _choice_responses(
    question: Question, presentation: ET.Element, processing: ET.Element, language: str
) -> list[tuple[str, Markup]]:
    """A single, multiple or true-false question's choices and scoring; its feedback."""
    if question.type == "true-false":
        options = [
            ("true", tr(language, "True"), question.answer is True),
            ("false", tr(language, "False"), not question.answer),
        ]
        labels = [(key, Markup(text), right) for key, text, right in options]
    else:
        labels = [(c.id, inline(c.text), c.correct) for c in question.choices]
    cardinality = "Multiple" if question.type == "multiple" else "Single"
    render = _choices(presentation, "response1", cardinality, len(labels))
    for key, label, _right in labels:
        _material(_sub(render, "response_label", ident=key), label)
    feedback = []
    for key, _label, _right in labels:
        if key in question.feedback:
            _feedback_condition(processing, "response1", key)
            feedback.append((_feedback_ident(key), inline(question.feedback[key])))
    condition = _sub(processing, "respcondition", **NO)
    conditionvar = _sub(condition, "conditionvar")
    if question.type == "multiple":
        every = _sub(conditionvar, "and")
        for key, _label, right in labels:
            parent = every if right else _sub(every, "not")
            _sub(parent, "varequal", key, respident="response1")
    else:
        right_key = next(key for key, _label, right in labels if right)
        _sub(conditionvar, "varequal", right_key, respident="response1")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
    return feedback


def _matching_responses(
    question: Question, presentation: ET.Element, processing: ET.Element
) -> list[tuple[str, Markup]]:
    """A matching question's pairs, each scored with its share of 100; its feedback."""
    rights = sorted({p.right for p in question.pairs})
    idents = {text: f"m{index}" for index, text in enumerate(rights)}
    # Shares of 100 that add up to exactly 100 when every pair is right.
    share = dict(zip((p.id for p in question.pairs), shares(len(question.pairs)), strict=True))
    for pair in question.pairs:
        lid = _sub(presentation, "response_lid", ident=f"response_{pair.id}")
        _material(lid, inline(pair.left))
        render = _sub(lid, "render_choice")
        for text in rights:
            _material(_sub(render, "response_label", ident=idents[text]), inline(text))
    feedback = []
    for pair in question.pairs:
        if pair.id in question.feedback:
            shown = _sub(processing, "respcondition", **YES)
            _sub(_sub(shown, "conditionvar"), "other")
            ident = _feedback_ident(pair.id)
            _sub(shown, "displayfeedback", feedbacktype="Response", linkrefid=ident)
            feedback.append((ident, inline(question.feedback[pair.id])))
        condition = _sub(processing, "respcondition", **YES)
        _sub(
            _sub(condition, "conditionvar"),
            "varequal",
            idents[pair.right],
            respident=f"response_{pair.id}",
        )
        _sub(condition, "setvar", share[pair.id], action="Add", varname="SCORE")
    return feedback


def _xml(root: ET.Element, namespace: str) -> bytes:
    root.set("xmlns", namespace)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def assessment_xml(course: Course, module: Module, questions: list[Question]) -> bytes:
    """The assessment of a module's quiz, as QTI 1.2 XML."""
    assert module.quiz is not None
    root = ET.Element("questestinterop")
    assessment = _sub(root, "assessment", ident=f"{module.slug}-quiz", title=module.quiz.title)
    total = sum(q.points for q in questions)
    _metadata(
        assessment,
        [("cc_maxattempts", "unlimited"), ("qmd_passingscore", str(module.quiz.pass_mark))],
    )
    section = _sub(
        assessment, "section", ident="root_section", title=f"{module.code}: {total} points"
    )
    for question in questions:
        section.append(question_item(module, question, course.language))
    return _xml(root, QTI_NS)


def manifest_xml(course: Course, module: Module, assessment_path: str) -> bytes:
    """The content-package manifest naming the assessment file."""
    root = ET.Element("manifest", identifier=f"MANIFEST-{course.meta.id}-{module.slug}")
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    resource = _sub(
        resources, "resource", identifier=f"RES-{module.slug}-quiz", type="imsqti_xmlv1p2"
    )
    _sub(resource, "file", href=assessment_path)
    return _xml(root, CP_NS)


def export_module(course: Course, module: Module, options: ExportOptions) -> ExportResult:
    """A module's question bank as ``<slug>-qti12.zip``, with what QTI 1.2 could not hold."""
    if module.quiz is None:
        return ExportResult()
    kept, problems = bank_questions(module.quiz.questions, FORMAT, options.strict, course.language)
    assessment_path = f"{module.slug}-quiz/{module.slug}-quiz.xml"
    entries = {
        "imsmanifest.xml": manifest_xml(course, module, assessment_path),
        assessment_path: assessment_xml(course, module, kept),
    }
    data = zip_bytes(entries, archive_time(course.meta.last_reviewed))
    return ExportResult((ExportFile(f"{module.slug}-qti12.zip", data),), tuple(problems))
