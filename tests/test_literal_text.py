"""Inline author texts (choices, pairs, items, feedback) that open like Markdown block syntax stay
the words the author typed: in the site's quiz, the SCORM package and the GIFT, QTI and Moodle XML
banks, each read back by its own client or parser. Before, "# 1 priority" became a heading,
"1990. A good year" a numbered list and "> 3 hours" a quotation, and the clients showed them
without their first characters."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from generator.adapters.cli import main

from .conftest import FIXTURES, build
from .test_export_gift import fixture_course, gift_pegjs

CHOICES = ["# 1 priority", "1990. A good year", "- none of these", "+ 5 points", "> 3 hours"]
LEFTS = ["# first", "2. second"]
RIGHTS = ["- dash", "> more"]
ITEMS = ["1. start", "+ add", "# end"]
FEEDBACK = ["# 1 is right", "1990. was not it"]
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
BLOCK_TAGS = re.compile(r"<(h[1-6]|ol|ul|li|blockquote)[\s>]")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("literal")
    course = fixture_course(root, "block-openers.yml")
    out = root / "out"
    for kind in ("gift", "qti", "moodle", "scorm"):
        assert main(["--root", str(course), "export", kind, "--out", str(out)]) == 0, kind
    return course


def _out(project: Path) -> Path:
    return project.parent / "out"


def _text(markup: str) -> str:
    """Markup as the words a reader sees: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_the_site_and_the_scorm_quiz_show_each_text_as_typed(project: Path) -> None:
    site = build(project)
    pages = {
        "site": (site / "m1" / "quiz" / "index.html").read_text("utf-8"),
        "scorm": zipfile.ZipFile(_out(project) / "m1-scorm12.zip").read("m1/quiz.html").decode(),
    }
    for where, page in pages.items():
        form = page[page.index('class="cs-quiz"') : page.rindex("</form>")]
        assert not BLOCK_TAGS.search(form), where
        words = _text(form)
        for text in [*CHOICES, *LEFTS, *RIGHTS, *ITEMS]:
            assert text in words, (where, text)


def test_gift_pegjs_reads_each_text_as_typed(project: Path) -> None:
    found = {q["title"]: q for q in gift_pegjs((_out(project) / "m1.gift").read_text("utf-8"))}

    def read(field: object) -> str:
        assert isinstance(field, dict)
        return _text(str(field["text"]).removeprefix("[html]"))

    choices = found["openers"]["choices"]
    assert isinstance(choices, list)
    assert [read(c["text"]) for c in choices] == CHOICES
    assert [read(c["feedback"]) for c in choices[:2]] == FEEDBACK
    pairs = found["pairs"]["matchPairs"]
    assert isinstance(pairs, list)
    assert [(read(p["subquestion"]), unescaped(p["subanswer"])) for p in pairs] == list(
        zip(LEFTS, RIGHTS, strict=True)
    )
    order = found["order"]["matchPairs"]
    assert isinstance(order, list)
    assert [unescaped(p["subanswer"]) for p in order] == ITEMS


def unescaped(text: object) -> str:
    """gift-pegjs leaves its placeholders for GIFT's escapes (``\\#`` is ``&&035;``) in a matching
    answer's text, where Moodle reads the character itself."""
    return re.sub(r"&&(\d{3});", lambda found: chr(int(found.group(1))), str(text))


def test_moodle_xml_holds_each_text_as_typed(project: Path) -> None:
    root = ET.parse(_out(project) / "m1-moodle.xml").getroot()
    questions = {q.findtext("name/text"): q for q in root.iter("question")}
    answers = questions["openers"].findall("answer")
    assert [_text(a.findtext("text") or "") for a in answers] == CHOICES
    assert [_text(a.findtext("feedback/text") or "") for a in answers[:2]] == FEEDBACK
    subs = questions["pairs"].findall("subquestion")
    assert [_text(s.findtext("text") or "") for s in subs] == LEFTS
    assert [s.findtext("answer/text") for s in subs] == RIGHTS
    assert [_text(a.findtext("text") or "") for a in questions["order"].findall("answer")] == ITEMS


def test_qti_holds_each_text_as_typed(project: Path) -> None:
    with zipfile.ZipFile(_out(project) / "m1-qti12.zip") as archive:
        name = next(n for n in archive.namelist() if n.endswith(".xml") and "manifest" not in n)
        root = ET.fromstring(archive.read(name))
    texts = [_text(m.text or "") for m in root.iter(f"{QTI}mattext")]
    for text in [*CHOICES, *LEFTS, *RIGHTS, *ITEMS, *FEEDBACK]:
        assert text in texts, text


def test_the_fixture_is_what_the_texts_name() -> None:
    quiz = (FIXTURES / "export" / "quizzes" / "block-openers.yml").read_text("utf-8")
    for text in [*CHOICES, *LEFTS, *RIGHTS, *ITEMS, *FEEDBACK]:
        assert f'"{text}"' in quiz
