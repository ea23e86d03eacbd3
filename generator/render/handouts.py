"""Print handouts: dedicated print templates (not site pages) rendered from the model to HTML.

Each handout comes in A4 and US Letter; generator/render/pdf.py turns the HTML into PDF.
"""

from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.i18n.catalogues import format_date, tr
from generator.model import Choice, Course, Lesson, Module, Question, addresses
from generator.model.components import COMPONENTS
from generator.output.package_files import TEMPLATES
from generator.render.environment import environment
from generator.render.fallback import fallback_meta
from generator.render.lesson_text import (
    apa_authors,
    cite_label,
    image_links,
    relink_images,
    text_language,
    titled_admonitions,
)
from generator.render.markup import lesson_block
from generator.render.quiz import objective_text, question_view, seed_of, shown_prompt, tested_at
from generator.source import dialect
from generator.source.languages import N_, SOURCE_LANGUAGE

PAPERS = {"a4": "A4", "letter": "letter"}
# The stylesheet every HTML handout links (screen and print); the PDFs are rendered with it too.
STYLESHEET = "handout.css"
TRAINER_MARK = N_("Trainer edition \N{EM DASH} contains answers")
# The running footer of every printed page; handout.css prints the English one.
# TRANSLATORS: the running footer of every printed handout page, as in "page 1 of 2".
PAGE_OF = N_("page %(page)s of %(pages)s")
# Orders tried, each from its own seed, before settling for one that only differs from the
# authored order (two choices, the wrong one written first, leave no better order).
_ATTEMPTS = 32


def handout_stylesheet() -> str:
    """The CSS the HTML handouts link as ``handout.css``."""
    return (TEMPLATES / "handouts" / STYLESHEET).read_text(encoding="utf-8")


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string for a page-margin box: every character but ASCII letters and
    digits as a six-digit hex escape, so no quote, backslash or ``</style>`` can survive. Spaces
    too: CSS swallows one space after an escape."""
    out = []
    for char in text:
        out.append(char if char.isascii() and char.isalnum() else f"\\{ord(char):06x}")
    return Markup('"' + "".join(out) + '"')


def page_of(language: str) -> Markup | None:
    """The running footer ("page 1 of 2") as CSS ``content`` in ``language``, or None for
    English, which handout.css prints itself."""
    if language == SOURCE_LANGUAGE:
        return None
    text = tr(language, PAGE_OF, page="\0page\0", pages="\0pages\0")
    parts = []
    for index, piece in enumerate(text.split("\0")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


def _gives_away(order: list[Choice], authored: tuple[Choice, ...]) -> bool:
    """Whether an order repeats the authored one or lists every correct choice first."""
    correct = sum(c.correct for c in order)
    return order == list(authored) or (
        0 < correct < len(order) and all(c.correct for c in order[:correct])
    )


def choice_order(question: Question) -> tuple[Choice, ...]:
    """The choices of a single- or multiple-choice question in their printed order: shuffled,
    fixed by the question id, never as authored and, where possible, never with the correct
    choices first."""
    authored = question.choices
    fallback: list[Choice] | None = None
    for attempt in range(_ATTEMPTS):
        order = list(authored)
        random.Random(seed_of(f"{question.id}:{attempt}")).shuffle(order)
        if not _gives_away(order, authored):
            return tuple(order)
        if fallback is None and order != list(authored):
            fallback = order
    return tuple(fallback if fallback is not None else authored[1:] + authored[:1])


@dataclass(frozen=True)
class Handout:
    """One printable document: file stem, title, HTML, its stamp, and whether it is for trainers."""

    name: str
    title: str
    paper: str
    html: str
    # The stamp on every page (course version, last review, content fingerprint) and the review
    # date, which also dates the PDF.
    stamp: str
    reviewed: _dt.date
    trainer: bool = False
    # The site folder the handout is written to (``addresses.handout_folder``), which its links
    # are relative to, and the images it may show: (site path, file) of each.
    folder: str = ""
    images: tuple[tuple[str, str], ...] = ()

    @property
    def filename(self) -> str:
        return addresses.handout_stem(self.name, self.paper)


@dataclass(frozen=True)
class LessonHtml:
    lesson: Lesson
    html: Markup


def lesson_html(course: Course, lesson: Lesson, folder: str = "") -> Markup:
    """A lesson body for print: citations as text, headings one level down, images from their
    files in the outputs, relative to ``folder`` (the handout's folder)."""

    def cite(keys: tuple[str, ...]) -> str | None:
        labels = [cite_label(source) for key in keys if (source := course.source(key))]
        return f"({'; '.join(labels)})" if len(labels) == len(keys) else None

    body = relink_images(lesson.body, image_links(lesson.images, folder))
    text = titled_admonitions(dialect.replace_citations(body, cite), text_language(course, lesson))
    return lesson_block(dialect.deeper_headings(text), course.language)


def handout_names(module: Module, language: str = SOURCE_LANGUAGE) -> list[tuple[str, str, bool]]:
    """(name, title, trainer-only) of every handout a module has, titled in ``language``."""
    overview = tr(language, "%(title)s: module handout", title=module.title)
    names = [("module-handout", overview, False)]
    for kind in COMPONENTS:
        component = kind.of(module)
        if component is not None:
            names.append((kind.name, tr(language, kind.nav_title), False))
    names.append(("sources", tr(language, "Sources"), False))
    if module.quiz and module.quiz.questions:
        sheet = tr(language, "%(title)s: learner sheet", title=module.quiz.title)
        names.append(("quiz-sheet", sheet, False))
        edition = tr(language, "%(title)s: trainer edition", title=module.title)
        names.append(("trainer-edition", edition, True))
    return names


def edition_stamp(course: Course, fingerprint: str) -> str:
    """What every handout page says about the content it was printed from."""
    return tr(
        course.language,
        "Version %(version)s · reviewed %(date)s · content %(fingerprint)s",
        version=course.meta.version,
        date=format_date(course.meta.last_reviewed, course.language),
        fingerprint=fingerprint,
    )


def version_line(course: Course) -> str:
    """The site footer's edition line: version and review date (the fingerprint, which only
    trainers need, stays in the page's metadata and in printouts)."""
    return tr(
        course.language,
        "Version %(version)s · reviewed %(date)s",
        version=course.meta.version,
        date=format_date(course.meta.last_reviewed, course.language),
    )


def _templates() -> dict[str, str]:
    """The template of each handout, by its name."""
    return {
        "module-handout": "handouts/module.html.j2",
        **{kind.name: kind.handout_template for kind in COMPONENTS},
        "sources": "handouts/sources.html.j2",
        "quiz-sheet": "handouts/quiz.html.j2",
        "trainer-edition": "handouts/quiz.html.j2",
    }


def render_handouts(course: Course, module: Module, fingerprint: str) -> tuple[Handout, ...]:
    """Every handout of a module, on every paper size; ``fingerprint`` names the content."""
    language = course.language
    env = environment(language)
    context = _module_context(course, module, fingerprint)
    templates = _templates()
    subtitles = {kind.name: kind.handout_subtitle for kind in COMPONENTS}
    drawn_from = _files_of_handouts(course, module)
    folder = addresses.handout_folder(module.slug)
    images = tuple((image.dest, image.file) for image in module.images)
    out: list[Handout] = []
    for name, title, trainer in handout_names(module, language):
        for paper, size in PAPERS.items():
            html = env.get_template(templates[name]).render(
                **context,
                name=name,
                title=title,
                subtitle=tr(language, subtitles[name]) if subtitles.get(name) else "",
                paper=size,
                trainer=trainer,
                **handout_fallback(course, *drawn_from.get(name, ())),
            )
            shown = images if name == "module-handout" else ()
            reviewed = course.meta.last_reviewed
            out.append(
                Handout(
                    name, title, paper, html, context["stamp"], reviewed, trainer, folder, shown
                )
            )
    return tuple(out)


def _module_context(course: Course, module: Module, fingerprint: str) -> dict[str, Any]:
    """What every handout template of a module is given, whichever handout it prints."""
    language = course.language
    folder = addresses.handout_folder(module.slug)
    return {
        "course": course,
        "module": module,
        "lessons": [
            LessonHtml(lesson, lesson_html(course, lesson, folder)) for lesson in module.lessons
        ],
        "sources": course.sources,
        "ordered": sorted(course.sources.sources, key=lambda s: (s.authors[0].casefold(), s.year)),
        "criteria": course.evaluated_criteria(),
        "apa_authors": apa_authors,
        "cite_label": cite_label,
        "quiz": module.quiz,
        "total_points": sum(q.points for q in module.quiz.questions) if module.quiz else 0,
        "trainer_mark": tr(language, TRAINER_MARK),
        "page_of": page_of(language),
        **_printed_orders(module, language),
        "stamp": edition_stamp(course, fingerprint),
        "stylesheet": STYLESHEET,
        "css_string": css_string,
        "shown_prompt": shown_prompt,
        "tested_at": tested_at,
        "objective_text": objective_text,
    }


def _printed_orders(module: Module, language: str) -> dict[str, object]:
    """The printed order of each choice question's choices (``choices``), and of each ordering
    question's items (``scrambled``)."""
    questions = module.quiz.questions if module.quiz else ()
    choices = {q.id: choice_order(q) for q in questions if q.type in ("single", "multiple")}
    # Ordering items in the same scrambled order as the site's quiz: listed by id or as authored,
    # the learner sheet could give the answer away.
    scrambled = {
        q.id: question_view(module, q, n, shuffle=False, language=language).rows
        for n, q in enumerate(questions, start=1)
        if q.type == "ordering"
    }
    return {"choices": choices, "scrambled": scrambled}


def _files_of_handouts(course: Course, module: Module) -> dict[str, tuple[str, ...]]:
    """The content files (as in ``Loc.path``) each handout of ``module`` is written from."""
    quiz = (module.quiz.loc.path,) if module.quiz else ()
    files: dict[str, tuple[str, ...]] = {
        "module-handout": (module.meta.loc.path, *(lesson.path for lesson in module.lessons)),
        "sources": (course.sources.loc.path,),
        "quiz-sheet": quiz,
        "trainer-edition": quiz,
    }
    for kind in COMPONENTS:
        component = kind.of(module)
        if component is not None:
            files[kind.name] = (component.loc.path,)
    return files


def handout_fallback(course: Course, *paths: str) -> dict[str, object]:
    """What a handout of a translated course written from an untranslated file says about it: the
    note in the reader's language, and the source language for the text (as the site's pages)."""
    meta = fallback_meta(course, *paths).get("cs_fallback")
    return {"fallback": meta}
