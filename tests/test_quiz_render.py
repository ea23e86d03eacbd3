"""The quiz page as rendered and built: seeded shuffling, pure rendering, review links that resolve
to real lesson sections, a no-JavaScript note and live regions."""

from __future__ import annotations

import dataclasses
import posixpath
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.load import load_course
from generator.model import Course
from generator.render.pages import render_module
from generator.render.quiz import question_view

from .conftest import FIXTURES, REPO, copy_course

MODULE = "ai-engineers-risk-mitigation"


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(REPO).course
    assert loaded is not None and loaded.modules[0].quiz is not None
    return loaded


class _Elements(HTMLParser):
    """Every start tag with its attributes, the ids on the page and the text inside <noscript>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.noscript = ""
        self._in_noscript = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "noscript":
            self._in_noscript = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "noscript":
            self._in_noscript = False

    def handle_data(self, data: str) -> None:
        if self._in_noscript:
            self.noscript += data


def _parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_shuffling_is_seeded_by_the_question_and_never_leaves_an_ordering_solved(
    course: Course,
) -> None:
    module = course.modules[0]
    assert module.quiz is not None
    moved = 0
    for number, question in enumerate(module.quiz.questions, start=1):
        shuffled = question_view(module, question, number, shuffle=True)
        again = question_view(module, question, number, shuffle=True)
        assert shuffled == again  # same input, same order: never random per build
        authored = question_view(module, question, number, shuffle=False)
        if question.type in ("single", "multiple"):
            assert sorted(o.value for o in shuffled.options) == sorted(
                c.id for c in question.choices
            )
            moved += [o.value for o in shuffled.options] != [o.value for o in authored.options]
        if question.type == "ordering":
            assert [r.value for r in shuffled.rows] != [i.id for i in question.items]
            assert [r.value for r in authored.rows] != [i.id for i in question.items]
    assert moved  # shuffle: true changes the order of at least one question's choices


def test_render_module_gives_the_same_quiz_page_twice(course: Course) -> None:
    module = course.modules[0]

    def quiz_page() -> str:
        pages = [p for p in render_module(course, module) if p.path == f"{MODULE}/quiz.md"]
        assert len(pages) == 1
        return pages[0].text

    assert quiz_page() == quiz_page()
    assert module.quiz is not None
    unshuffled = dataclasses.replace(module, quiz=dataclasses.replace(module.quiz, shuffle=False))
    other = next(p for p in render_module(course, unshuffled) if p.path.endswith("quiz.md"))
    assert other.text != quiz_page()


def test_review_links_resolve_to_lesson_sections_in_the_built_site(
    real_site: Path, course: Course
) -> None:
    page = _parse(real_site / MODULE / "quiz" / "index.html")
    module = course.modules[0]
    assert module.quiz is not None
    hrefs = []
    in_review = False
    for tag, attrs in page.tags:
        if tag == "p":
            in_review = "cs-review" in attrs.get("class", "")
        elif tag == "a" and in_review:
            hrefs.append(attrs["href"])
            in_review = False
    assert len(hrefs) == len(module.quiz.questions)
    for href, question in zip(hrefs, module.quiz.questions, strict=True):
        target, _, anchor = href.partition("#")
        resolved = posixpath.normpath(posixpath.join(f"{MODULE}/quiz/", target))
        assert resolved == f"{MODULE}/{question.lesson}"
        lesson = _parse(real_site / resolved / "index.html")
        assert anchor == (question.section or "")
        if anchor:
            assert anchor in lesson.ids


def test_quiz_page_says_checking_needs_javascript_and_has_live_regions(real_site: Path) -> None:
    page = _parse(real_site / MODULE / "quiz" / "index.html")
    assert "needs JavaScript" in page.noscript
    forms = [a for tag, a in page.tags if tag == "form" and "cs-question" in a.get("class", "")]
    results = [a for tag, a in page.tags if "data-cs-result" in a]
    assert forms and len(results) == len(forms)
    assert all(a.get("role") == "status" and a.get("aria-live") == "polite" for a in results)
    score = [a for tag, a in page.tags if "data-cs-score" in a]
    assert len(score) == 1 and score[0].get("role") == "status"
    legends = [tag for tag, _ in page.tags if tag == "legend"]
    assert len(legends) == len(forms)
    module_page = _parse(real_site / MODULE / "index.html")
    placeholders = [a for _, a in module_page.tags if a.get("data-cs-quiz-result") == MODULE]
    assert len(placeholders) == 1 and placeholders[0].get("role") == "status"
    links = [a.get("href") for tag, a in module_page.tags if tag == "a"]
    assert "quiz/" in links


def test_relative_links_in_encoded_feedback_are_rejected_with_their_place(tmp_path: Path) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course")
    quiz = project / "quizzes" / "m1.yml"
    text = quiz.read_text(encoding="utf-8")
    text = text.replace(
        "explanation: Because.", "explanation: See [intro](intro.md#why-it-matters)."
    )
    text = text.replace("b: No.", "b: '[Read this](https://example.org/ok) first.'")
    quiz.write_text(text, encoding="utf-8")
    result = load_course(project)
    errors = [str(d) for d in result.diagnostics.errors]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "[intro]" in t)
    assert len(errors) == 1
    assert errors[0].startswith(f"quizzes/m1.yml:{line}:")
    assert "link 'intro.md#why-it-matters' in the explanation of question 'q1'" in errors[0]


@pytest.mark.parametrize(
    ("feedback", "shown"),
    [
        ("Richtig.", ""),
        ("Richtig, das ist die Definition.", "Das ist die Definition."),
        ("Falsch. Das betrifft nur die Daten.", "Das betrifft nur die Daten."),
        ("Leider nein.", ""),
        ("Nicht ganz: es fehlt ein Schritt.", "Es fehlt ein Schritt."),
        ("Faux : c'est l'inverse.", "C'est l'inverse."),
        ("Correct ! Bien vu.", "Bien vu."),
        ("¡Correcto! Así es.", "Así es."),
        ("Incorrecto, falta un paso.", "Falta un paso."),
        ("Correct: the pipeline logs it.", "The pipeline logs it."),
        ("Richtige Antwort ohne Satzzeichen", "Richtige Antwort ohne Satzzeichen"),
        ("Nothing to strip here.", "Nothing to strip here."),
    ],
)
def test_feedback_never_repeats_the_verdict_in_any_language(feedback: str, shown: str) -> None:
    """The page says "Richtig:" / "Falsch:" itself; the author's own verdict word goes."""
    from generator.render.quiz import without_verdict

    assert without_verdict(feedback) == shown


@pytest.mark.parametrize(
    ("language", "opening", "closing"),
    [
        ("en", "\u201c", "\u201d"),
        ("de", "\u201e", "\u201c"),
        ("fr", "\u00ab\u202f", "\u202f\u00bb"),
        ("es", "\u00ab", "\u00bb"),
    ],
)
def test_quotation_marks_follow_the_language_everywhere_text_is_rendered(
    language: str, opening: str, closing: str
) -> None:
    """Author text with "straight" quotes gets the language's marks: on pages (the template
    filters), in the quiz's encoded feedback and in printed lessons; apostrophes stay."""
    import html

    from generator.model import Question
    from generator.render.environment import environment
    from generator.render.markup import lesson_block
    from generator.render.quiz import decode_answer

    said = f"{opening}Drift{closing}"
    env = environment(language)
    for rendered in (
        env.from_string("{{ t|inline }}").render(t='Watch for "Drift" today.'),
        env.from_string("{{ t|block }}").render(t='Watch for "Drift" today, isn\'t it?'),
        lesson_block('Watch for "Drift".', language),
    ):
        assert said in html.unescape(str(rendered)), rendered
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    module = course.modules[0]
    assert module.quiz is not None
    question: Question = dataclasses.replace(
        module.quiz.questions[0], explanation='Because "Drift" happens.'
    )
    view = question_view(module, question, 1, False, language)
    payload = decode_answer(f"{module.slug}:{question.id}", view.encoded)

    def text_of(node: object) -> str:  # the text of render.markup.nodes' tree
        if isinstance(node, str):
            return node
        children = node[2:] if node and isinstance(node[0], str) else node  # type: ignore[index]
        return "".join(text_of(child) for child in children)  # type: ignore[union-attr]

    assert said in text_of(payload["explanation"])
