"""Print handouts: dedicated print templates (not site pages) rendered from the model to HTML.

Each handout comes in A4 and US Letter; generator/pdf.py turns the HTML into PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator import addresses, dialect
from generator.components import COMPONENTS
from generator.model import Course, Lesson, Module
from generator.render.environment import environment
from generator.render.lesson_text import apa_authors, cite_label
from generator.render.markup import lesson_block
from generator.render.quiz import question_view

PAPERS = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class Handout:
    """One printable document: file stem, title, HTML, and whether it is for trainers only."""

    name: str
    title: str
    paper: str
    html: str
    trainer: bool = False

    @property
    def filename(self) -> str:
        return addresses.handout_stem(self.name, self.paper)


@dataclass(frozen=True)
class LessonHtml:
    lesson: Lesson
    html: Markup


def lesson_html(course: Course, lesson: Lesson) -> Markup:
    """A lesson body for print: citations as text, headings one level down."""

    def cite(key: str) -> str | None:
        source = course.source(key)
        return f"({cite_label(source)})" if source else None

    text = dialect.replace_citations(lesson.body, cite)
    return lesson_block(dialect.deeper_headings(text))


def handout_names(module: Module) -> list[tuple[str, str, bool]]:
    """(name, title, trainer-only) of every handout a module has."""
    names = [("module-handout", f"{module.title}: module handout", False)]
    for kind in COMPONENTS:
        component = kind.of(module)
        if component is not None:
            names.append((kind.name, component.title, False))
    names.append(("sources", "Sources", False))
    if module.quiz and module.quiz.questions:
        names.append(("quiz-sheet", f"{module.quiz.title}: learner sheet", False))
        names.append(("trainer-edition", f"{module.title}: trainer edition", True))
    return names


def render_handouts(course: Course, module: Module) -> tuple[Handout, ...]:
    """Every handout of a module, on every paper size."""
    env = environment()
    criteria = course.evaluated_criteria()
    lessons = [LessonHtml(lesson, lesson_html(course, lesson)) for lesson in module.lessons]
    # Ordering items in the same scrambled order as the site's quiz: listed by id or as authored,
    # the learner sheet could give the answer away.
    scrambled = {
        q.id: question_view(module, q, n, shuffle=False).rows
        for n, q in enumerate(module.quiz.questions if module.quiz else (), start=1)
        if q.type == "ordering"
    }
    templates = {
        "module-handout": "handouts/module.html.j2",
        **{kind.name: kind.handout_template for kind in COMPONENTS},
        "sources": "handouts/sources.html.j2",
        "quiz-sheet": "handouts/quiz.html.j2",
        "trainer-edition": "handouts/quiz.html.j2",
    }
    subtitles = {kind.name: kind.handout_subtitle for kind in COMPONENTS}
    out: list[Handout] = []
    for name, title, trainer in handout_names(module):
        for paper, size in PAPERS.items():
            html = env.get_template(templates[name]).render(
                course=course,
                module=module,
                name=name,
                title=title,
                subtitle=subtitles.get(name, ""),
                paper=size,
                lessons=lessons,
                sources=course.sources,
                ordered=sorted(
                    course.sources.sources, key=lambda s: (s.authors[0].casefold(), s.year)
                ),
                criteria=criteria,
                apa_authors=apa_authors,
                cite_label=cite_label,
                quiz=module.quiz,
                total_points=sum(q.points for q in module.quiz.questions) if module.quiz else 0,
                trainer=trainer,
                scrambled=scrambled,
            )
            out.append(Handout(name, title, paper, html, trainer))
    return tuple(out)
