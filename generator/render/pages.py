"""The course model rendered into site pages: Markdown documents with a path, plus navigation.

Pure functions: the same course gives the same pages, and nothing here knows about MkDocs, so
another engine can take the pages from ``write_pages`` on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from generator import addresses
from generator.components import COMPONENTS
from generator.model import Course, Lesson, Module
from generator.render.environment import environment
from generator.render.handouts import handout_names
from generator.render.lesson_text import apa_authors, cite_label, lesson_body
from generator.render.quiz import quiz_context

GLOSSARY = addresses.GLOSSARY
SOURCES = addresses.SOURCES
PROGRESS = addresses.PROGRESS
HOME = addresses.HOME


@dataclass(frozen=True)
class Page:
    """A generated page: its path under the docs root, title and Markdown text."""

    path: str
    title: str
    text: str
    searchable: bool = True


@dataclass(frozen=True)
class NavEntry:
    """A navigation entry: a page, or a section with children (and an optional index page)."""

    title: str
    path: str | None = None
    children: tuple[NavEntry, ...] = field(default=())


def module_page(module: Module, name: str) -> str:
    return addresses.module_page(module.slug, name).src


def relative(from_page: str, to_page: str) -> str:
    """A relative link between two page paths, as Markdown links between source files."""
    return addresses.page(to_page).link_from(addresses.page(from_page))


def render_site(course: Course) -> tuple[Page, ...]:
    """Every page of the site, in navigation order."""
    pages = [render_home(course)]
    for module in course.modules:
        pages.extend(render_module(course, module))
    pages.append(render_glossary(course))
    pages.append(render_sources(course))
    pages.append(render_progress(course))
    return tuple(pages)


def _render(name: str, /, **context: object) -> str:
    return environment().get_template(name).render(**context)


def render_home(course: Course) -> Page:
    """The home page: course title, audience and module cards."""
    text = _render(
        "pages/home.md.j2",
        course=course,
        module_link=lambda m: relative(HOME, module_page(m, "index")),
        progress_link=PROGRESS,
    )
    return Page(HOME, course.title, text)


def render_module(course: Course, module: Module, *, in_lms: bool = False) -> list[Page]:
    """The module overview, its lessons and its component pages.

    ``in_lms`` renders them for a SCORM package, where the quiz result also goes to the LMS.
    """
    overview = module_page(module, "index")
    components = _components(module)
    pages = [
        Page(
            overview,
            f"{module.code}: {module.title}",
            _render(
                "pages/module.md.j2",
                course=course,
                module=module,
                components=[
                    (title, relative(overview, module_page(module, name)))
                    for title, name in components
                ],
                handouts=handout_names(module),
                handout_link=lambda name, paper, fmt: addresses.handout(
                    module.slug, name, paper, fmt
                ).link_from(addresses.page(overview)),
                lesson_link=lambda lesson: relative(overview, module_page(module, lesson.id)),
                quiz_link=relative(overview, module_page(module, "quiz")),
                sources=relative(overview, SOURCES),
            ),
        )
    ]
    lessons = module.lessons
    for index, lesson in enumerate(lessons):
        previous = lessons[index - 1] if index > 0 else None
        following = lessons[index + 1] if index + 1 < len(lessons) else None
        pages.append(render_lesson(course, module, lesson, index, previous, following))
    for kind in COMPONENTS:
        component = kind.of(module)
        if component is not None:
            path = module_page(module, kind.name)
            download = addresses.download(module.slug, kind.name)
            text = _render(
                kind.page_template,
                module=module,
                overview_link=relative(path, overview),
                # Only the role template offers itself for download (as Markdown) today.
                download_link=download.link_from(addresses.page(path)),
                download_name=download.dest.rpartition("/")[2],
                **{kind.variable: component},
            )
            pages.append(Page(path, component.title, text))
    if module.quiz and module.quiz.questions:  # an empty question bank is not published
        pages.append(
            Page(
                module_page(module, "quiz"),
                module.quiz.title,
                _render("pages/quiz.md.j2", in_lms=in_lms, **quiz_context(course, module)),
            )
        )
    return pages


def _components(module: Module) -> list[tuple[str, str]]:
    """(title, page name) of each component page the module has."""
    return [(kind.nav_title, kind.name) for kind in COMPONENTS if kind.of(module)]


def render_lesson(
    course: Course,
    module: Module,
    lesson: Lesson,
    index: int,
    previous: Lesson | None,
    following: Lesson | None,
) -> Page:
    """One lesson page with its position, time and previous/next links."""
    path = module_page(module, lesson.id)
    # lesson_body escapes the author's raw HTML itself and adds only our own link syntax.
    body = Markup(
        lesson_body(lesson.body, course, relative(path, GLOSSARY), relative(path, SOURCES))
    )
    text = _render(
        "pages/lesson.md.j2",
        module=module,
        lesson=lesson,
        number=index + 1,
        body=body,
        previous=previous,
        following=following,
        lesson_link=lambda other: relative(path, module_page(module, other.id)),
        overview_link=relative(path, module_page(module, "index")),
    )
    return Page(path, lesson.title, text)


def render_glossary(course: Course) -> Page:
    """Every glossary term with its definition, in alphabetical order."""
    terms = sorted(course.glossary, key=lambda t: t.term.casefold())
    return Page(GLOSSARY, "Glossary", _render("pages/glossary.md.j2", terms=terms))


def render_sources(course: Course) -> Page:
    """The bibliography, the evaluation table and how the sources were collected."""
    text = _render(
        "pages/sources.md.j2",
        sources=course.sources,
        ordered=sorted(course.sources.sources, key=lambda s: (s.authors[0].casefold(), s.year)),
        criteria=course.evaluated_criteria(),
        cite_label=cite_label,
        apa_authors=apa_authors,
    )
    return Page(SOURCES, "Sources", text)


def render_progress(course: Course) -> Page:
    """The learner's progress, kept in the browser: lessons read and quiz results per module."""
    return Page(PROGRESS, "Your progress", _render("pages/progress.md.j2", course=course))


def navigation(course: Course) -> tuple[NavEntry, ...]:
    """The site navigation: home, one section per module, glossary and sources."""
    entries = [NavEntry("Home", HOME)]
    for module in course.modules:
        children = [NavEntry("Overview", module_page(module, "index"))]
        children += [
            NavEntry(lesson.title, module_page(module, lesson.id)) for lesson in module.lessons
        ]
        for title, name in _components(module):
            children.append(NavEntry(title, module_page(module, name)))
        if module.quiz and module.quiz.questions:
            children.append(NavEntry("Quiz", module_page(module, "quiz")))
        entries.append(NavEntry(f"{module.code}: {module.title}", None, tuple(children)))
    entries.append(NavEntry("Glossary", GLOSSARY))
    entries.append(NavEntry("Sources", SOURCES))
    entries.append(NavEntry("Your progress", PROGRESS))
    return tuple(entries)
