"""QTI 1.2 export read back with an XML parser: the manifest names files that are in the zip,
every question has its points, the response conditions that score it (exactly 100 when fully
right) and its feedback, multiple-answer items keep their cardinality and limits, an ordering
question arrives as a matching one, and every item is valid against IMS's QTI 1.2.1 ASI DTD."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from generator.adapters.cli import main
from generator.load import load_course
from generator.model import MatchPair, Question
from generator.render.markup import block, inline

from .test_export_gift import fixture_course

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
DTD = Path(__file__).parent / "standards" / "qti" / "ims_qtiasiv1p2p1.dtd"


def assert_valid_against_the_dtd(assessment: bytes) -> None:
    """The assessment is valid against IMS's QTI 1.2.1 ASI DTD. A DTD knows no namespaces, so
    the elements are checked by their local names, as the DTD names them."""
    from lxml import etree

    root = etree.fromstring(assessment)
    for element in root.iter():
        element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)
    plain = etree.fromstring(etree.tostring(root))
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(plain), dtd.error_log.filter_from_errors()


def _as_matching(question: Question) -> Question:
    """What an ordering question is in QTI: a matching question, position n to the n-th item."""
    if question.type != "ordering":
        return question
    pairs = tuple(
        MatchPair(id=i.id, left=f"Position {n}", right=i.text)
        for n, i in enumerate(question.items, start=1)
    )
    return Question(
        id=question.id,
        type="matching",
        prompt=question.prompt,
        lesson=question.lesson,
        objective=question.objective,
        points=question.points,
        explanation=question.explanation,
        pairs=pairs,
        feedback=question.feedback,
    )


def _export(project: Path, out: Path, *extra: str) -> int:
    return main(["--root", str(project), "export", "qti", "--out", str(out), *extra])


def _feedback(item: ET.Element) -> dict[str, str]:
    found = [
        (fb.get("ident", ""), "".join(fb.itertext()).strip())
        for fb in item.iter(f"{QTI}itemfeedback")
    ]
    idents = [ident for ident, _text in found]
    assert len(idents) == len(set(idents)), f"feedback idents repeat in {item.get('title')}"
    return dict(found)


def _shown_for(item: ET.Element, key: str) -> list[str]:
    """The feedback idents displayed when the learner picks ``key``."""
    return [
        shown.get("linkrefid", "")
        for condition in item.iter(f"{QTI}respcondition")
        if any(v.text == key for v in condition.findall(f"{QTI}conditionvar/{QTI}varequal"))
        for shown in condition.iter(f"{QTI}displayfeedback")
    ]


def _scoring(item: ET.Element) -> list[ET.Element]:
    return [c for c in item.iter(f"{QTI}respcondition") if c.find(f"{QTI}setvar") is not None]


def _assert_item(item: ET.Element, question: Question) -> None:
    question = _as_matching(question)
    fields = {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry")
        for f in item.iter(f"{QTI}qtimetadatafield")
    }
    assert fields["points_possible"] == str(question.points)
    prompt = item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext")
    assert prompt is not None and prompt.get("texttype") == "text/html"
    assert prompt.text == str(block(question.prompt)).strip()
    feedback = _feedback(item)
    assert feedback["general_fb"] == str(block(question.explanation)).strip()
    if question.type == "matching":
        # Pair feedback is shown whatever the answer, as on the site.
        shown = [
            feedback[d.get("linkrefid", "")]
            for d in item.iter(f"{QTI}displayfeedback")
            if d.get("linkrefid") != "general_fb"
        ]
        assert sorted(shown) == sorted(str(inline(t)).strip() for t in question.feedback.values())
    for key, text in question.feedback.items():
        if question.type != "matching":
            (ident,) = _shown_for(item, key)
            assert feedback[ident] == str(inline(text)).strip()
    scoring = _scoring(item)
    if question.type in ("single", "true-false"):
        right = (
            next(c.id for c in question.choices if c.correct)
            if question.type == "single"
            else ("true" if question.answer else "false")
        )
        labels = [label.get("ident") for label in item.iter(f"{QTI}response_label")]
        expected = [c.id for c in question.choices] if question.choices else ["true", "false"]
        assert labels == expected
        assert [
            (c.findtext(f"{QTI}conditionvar/{QTI}varequal"), c.findtext(f"{QTI}setvar"))
            for c in scoring
        ] == [(right, "100")]
    elif question.type == "multiple":
        (condition,) = scoring
        every = condition.find(f"{QTI}conditionvar/{QTI}and")
        assert every is not None
        required = {v.text for v in every.findall(f"{QTI}varequal")}
        refused = {v.text for v in every.findall(f"{QTI}not/{QTI}varequal")}
        assert required == {c.id for c in question.choices if c.correct}
        assert refused == {c.id for c in question.choices if not c.correct}
        assert condition.findtext(f"{QTI}setvar") == "100"
        # Canvas keeps an item multiple-answer only with the cardinality and its limits.
        (lid,) = item.iter(f"{QTI}response_lid")
        assert lid.get("rcardinality") == "Multiple"
        render = lid.find(f"{QTI}render_choice")
        assert render is not None
        assert (render.get("minnumber"), render.get("maxnumber")) == (
            "1",
            str(len(question.choices)),
        )
    else:  # matching: one response_lid per left item, each right match adds its share
        lids = item.findall(f"{QTI}presentation/{QTI}response_lid")
        assert [lid.get("ident") for lid in lids] == [f"response_{p.id}" for p in question.pairs]
        labels = {
            lab.get("ident"): "".join(lab.itertext()).strip()
            for lab in lids[0].iter(f"{QTI}response_label")
        }
        assert sorted(labels.values()) == sorted({p.right for p in question.pairs})
        got = {}
        total = Decimal(0)
        for condition in scoring:
            equal = condition.find(f"{QTI}conditionvar/{QTI}varequal")
            assert equal is not None
            got[equal.get("respident")] = labels[equal.text or ""]
            setvar = condition.find(f"{QTI}setvar")
            assert setvar is not None and setvar.get("action") == "Add"
            assert float(setvar.text or 0) == pytest.approx(100 / len(question.pairs), abs=1e-3)
            total += Decimal(setvar.text or "0")
        assert got == {f"response_{p.id}": p.right for p in question.pairs}
        # Every pair right is exactly 100: no 33.3333 x 3 = 99.9999.
        assert total == 100


def test_package_reads_back_with_points_conditions_and_feedback(tmp_path: Path) -> None:
    project = fixture_course(tmp_path)
    out = tmp_path / "out"
    assert _export(project, out) == 0
    course = load_course(project).course
    assert course is not None and course.modules[0].quiz is not None
    archive = zipfile.ZipFile(out / "m1-qti12.zip")
    names = archive.namelist()
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    hrefs = [f.get("href", "") for f in manifest.iter(f"{CP}file")]
    resources = list(manifest.iter(f"{CP}resource"))
    assert [r.get("type") for r in resources] == ["imsqti_xmlv1p2"]
    assert hrefs and all(href in names for href in hrefs)
    assert sorted(names) == sorted(["imsmanifest.xml", *hrefs])
    root = ET.fromstring(archive.read(hrefs[0]))
    assert root.tag == f"{QTI}questestinterop"
    items = {i.get("title"): i for i in root.iter(f"{QTI}item")}
    questions = course.modules[0].quiz.questions
    assert sorted(items) == sorted(q.id for q in questions)
    for question in questions:
        _assert_item(items[question.id], question)
    assert_valid_against_the_dtd(archive.read(hrefs[0]))
    assert "{braces}" in (items["specials"].findtext(f".//{QTI}mattext") or "")


def test_choice_and_pair_ids_never_clash_with_the_general_feedback(tmp_path: Path) -> None:
    """A choice or pair whose id is "general" or "correct" keeps its own feedback; the item's
    general feedback (Canvas' "general_fb") stays the explanation."""
    project = fixture_course(tmp_path, "edge.yml")
    out = tmp_path / "out"
    assert _export(project, out) == 0
    course = load_course(project).course
    assert course is not None and course.modules[0].quiz is not None
    archive = zipfile.ZipFile(out / "m1-qti12.zip")
    root = ET.fromstring(archive.read("m1-quiz/m1-quiz.xml"))
    items = {i.get("title"): i for i in root.iter(f"{QTI}item")}
    for question in course.modules[0].quiz.questions:
        _assert_item(items[question.id], question)
    assert_valid_against_the_dtd(archive.read("m1-quiz/m1-quiz.xml"))


def test_the_dtd_check_fails_on_an_item_the_dtd_does_not_allow() -> None:
    """The DTD check can fail: an item without ident, and an unknown cardinality."""
    item = b'<questestinterop><item title="x"><presentation><response_lid ident="r" '
    item += b'rcardinality="Many"><render_choice/></response_lid></presentation></item>'
    item += b"</questestinterop>"
    with pytest.raises(AssertionError, match=r"ident|rcardinality"):
        assert_valid_against_the_dtd(item)


def test_ordering_is_exported_as_matching_and_refused_with_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = fixture_course(tmp_path)
    out = tmp_path / "out"
    assert _export(project, out) == 0
    err = capsys.readouterr().err
    assert "quizzes/m1.yml:" in err and "warning: question 'order' is an ordering question" in err
    assert "QTI 1.2 cannot hold; exported as a matching question" in err
    assert _export(project, tmp_path / "strict", "--strict") == 1
    err = capsys.readouterr().err
    assert "QTI 1.2 cannot hold; not converted (--strict)" in err
    assert not (tmp_path / "strict").exists()


def test_shipped_course_package_parses(tmp_path: Path) -> None:
    from .conftest import REPO, copy_course

    project = copy_course(REPO, tmp_path / "course", pdf=False)
    assert _export(project, tmp_path / "out") == 0
    course = load_course(project).course
    assert course is not None
    (zipped,) = (tmp_path / "out").iterdir()
    archive = zipfile.ZipFile(io.BytesIO(zipped.read_bytes()))
    xml_name = next(n for n in archive.namelist() if n != "imsmanifest.xml")
    root = ET.fromstring(archive.read(xml_name))
    module = course.modules[0]
    assert module.quiz is not None
    items = {i.get("title"): i for i in root.iter(f"{QTI}item")}
    assert sorted(items) == sorted(q.id for q in module.quiz.questions)
    for question in module.quiz.questions:
        _assert_item(items[question.id], question)
    assert_valid_against_the_dtd(archive.read(xml_name))
