"""The course model rendered into site pages: Markdown documents with a path, plus navigation.

Pure functions: the same course gives the same pages, and nothing here knows about MkDocs, so
another engine can take the pages from ``write_pages`` on disk.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import yaml
from markupsafe import Markup

from generator.i18n.catalogues import tr
from generator.i18n.markers import N_
from generator.model import Course, Lesson, Module, addresses
from generator.model.components import COMPONENTS
from generator.render.environment import environment
from generator.render.fallback import fallback_meta, in_text
from generator.render.handouts import handout_names
from generator.render.lesson_text import apa_authors, cite_label, image_links, lesson_body
from generator.render.markup import plain
from generator.render.quiz import quiz_context

# TRANSLATORS: the tooltip of the link symbol beside every heading of a page.
PERMALINK_TITLE = N_("Link to this section")

GLOSSARY = addresses.GLOSSARY
SOURCES = addresses.SOURCES
PROGRESS = addresses.PROGRESS
HOME = addresses.HOME


def site_description(course: Course) -> str:
    """What every page's meta description says: the first paragraph of the course's
    description as plain text, in the course's language."""
    first = course.meta.description.strip().split("\n\n", 1)[0]
    return " ".join(plain(first).split())


def permalink_title(course: Course) -> str:
    """The tooltip of the link beside each heading, in the course's language."""
    return tr(course.language, PERMALINK_TITLE)


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


def render_site(
    course: Course, module_pages: Callable[[Course, Module], Iterable[Page]] | None = None
) -> tuple[Page, ...]:
    """Every page of the site, in navigation order; ``module_pages`` renders one module's pages
    (``render_module``, or the preview's cache of it)."""
    return tuple(site_pages(course, module_pages))


def site_pages(
    course: Course, module_pages: Callable[[Course, Module], Iterable[Page]] | None = None
) -> Iterator[Page]:
    """The pages of ``render_site`` one module at a time, as they are rendered: a reader can
    use the first while the rest are still to come."""
    yield render_home(course)
    for module in course.modules:
        yield from (module_pages or render_module)(course, module)
    yield render_glossary(course)
    yield render_sources(course)
    yield render_progress(course)


def _render(name: str, language: str, /, **context: object) -> str:
    return environment(language).get_template(name).render(**context)


def _front_matter(meta: dict[str, object], text: str) -> str:
    """A page's text under its front matter."""
    key = _frozen(meta)
    header = _dumped(key) if key is not None else _dump(meta)
    return f"---\n{header}---\n\n{text}"


def _dump(meta: object) -> str:
    return yaml.safe_dump(meta, sort_keys=True, allow_unicode=True)


# The front matter of most pages is one of a few small mappings (the page's kind, the fallback
# mark of the language): each distinct one is dumped once. A key holds every value's type, so
# True and 1 (equal as keys) never share a dump.
_Frozen = tuple[type, object]


def _frozen(value: object) -> _Frozen | None:
    """``value`` as a hashable key it can be rebuilt from, or None for a type not handled."""
    kind = type(value)
    if kind is dict:
        assert isinstance(value, dict)
        items = tuple((_frozen(k), _frozen(v)) for k, v in value.items())
        return None if any(k is None or v is None for k, v in items) else (dict, items)
    if kind is list:
        assert isinstance(value, list)
        entries = tuple(_frozen(v) for v in value)
        return None if any(v is None for v in entries) else (list, entries)
    if kind in (str, bool, int) or value is None:
        return (kind, value)
    return None


def _thawed(key: _Frozen) -> object:
    kind, value = key
    if kind is dict:
        assert isinstance(value, tuple)
        return {_thawed(k): _thawed(v) for k, v in value}
    if kind is list:
        assert isinstance(value, tuple)
        return [_thawed(v) for v in value]
    return value


@functools.lru_cache(maxsize=256)
def _dumped(key: _Frozen) -> str:
    return _dump(_thawed(key))


def _site_page(kind: str, text: str, **meta: object) -> str:
    """A page's text with its front matter: ``cs_page`` names its kind, from which the theme
    override decides which scripts and styles the page loads."""
    return _front_matter({"cs_page": kind, **meta}, text)


def _kind(kind: str, text: str, in_lms: bool, **meta: object) -> str:
    """Module pages carry their kind on the site; an LMS package renders them without one (and
    an untranslated page's mark goes into its text there)."""
    return in_text(text, meta) if in_lms else _site_page(kind, text, **meta)


def _with_meta(text: str, meta: dict[str, object], in_lms: bool = False) -> str:
    """A page without a kind, with front matter only when it has some (in its text in an LMS
    package)."""
    if in_lms:
        return in_text(text, meta)
    return _front_matter(meta, text) if meta else text


def course_minutes(course: Course) -> int:
    """The course's time: its modules' durations added up."""
    return sum(module.meta.duration_minutes for module in course.modules)


@dataclass(frozen=True)
class TimeSplit:
    """A module's time as the module page explains it; the parts add up to the total."""

    reading: int
    quiz: int | None
    practical: int
    total: int


def time_split(module: Module) -> TimeSplit:
    """Reading (the lessons' minutes), the quiz (its own ``minutes``, if given) and the rest of the
    module's duration, spent on the practical components (never below zero)."""
    reading = sum(lesson.minutes for lesson in module.lessons)
    quiz = module.quiz.minutes if module.quiz and module.quiz.questions else None
    practical = max(module.meta.duration_minutes - reading - (quiz or 0), 0)
    return TimeSplit(reading, quiz, practical, reading + (quiz or 0) + practical)


# Past this many modules the home page lists them one line each instead of as cards, so it stays
# under the benchmark's 80 KB page limit at 1,000 lessons (100 modules).
COMPACT_HOME_MODULES = 24


def render_home(course: Course) -> Page:
    """The home page: course title, audience and module cards (a compact list, one line per
    module, past COMPACT_HOME_MODULES modules)."""
    text = _render(
        "pages/home.md.j2",
        course.language,
        course=course,
        compact=len(course.modules) > COMPACT_HOME_MODULES,
        minutes=course_minutes(course),
        module_link=lambda m: relative(HOME, module_page(m, "index")),
        page_link=lambda m, name: relative(HOME, module_page(m, name)),
        has_quiz=lambda m: bool(m.quiz and m.quiz.questions),
        progress_link=PROGRESS,
    )
    return Page(HOME, course.title, _site_page("home", text))


def render_module(course: Course, module: Module, *, in_lms: bool = False) -> list[Page]:
    """The module overview, its lessons and its component pages.

    ``in_lms`` renders them for a SCORM package, where the quiz result also goes to the LMS.
    """
    steps = _steps(course, module)
    pages = [_overview_page(course, module, in_lms)]
    pages += _lesson_pages(course, module, steps, in_lms)
    pages += _component_pages(course, module, steps, in_lms)
    if module.quiz and module.quiz.questions:  # an empty question bank is not published
        pages.append(_quiz_page(course, module, in_lms))
    return pages


def _overview_page(course: Course, module: Module, in_lms: bool) -> Page:
    """The module overview: objectives, lessons, components, handouts and the module's time."""
    overview = module_page(module, "index")
    text = _render(
        "pages/module.md.j2",
        course.language,
        course=course,
        module=module,
        components=[
            (tr(course.language, title), relative(overview, module_page(module, name)))
            for title, name in _components(module)
        ],
        handouts=handout_names(module, course.language),
        handout_link=lambda name, paper, fmt: addresses.handout(
            module.slug, name, paper, fmt
        ).link_from(addresses.page(overview)),
        lesson_link=lambda lesson: relative(overview, module_page(module, lesson.id)),
        quiz_link=relative(overview, module_page(module, "quiz")),
        sources=relative(overview, SOURCES),
        time=time_split(module),
        has_quiz=bool(module.quiz and module.quiz.questions),
    )
    meta = fallback_meta(course, module.meta.loc.path)
    return Page(overview, f"{module.code}: {module.title}", _kind("module", text, in_lms, **meta))


def _lesson_pages(course: Course, module: Module, steps: list[Step], in_lms: bool) -> list[Page]:
    """The module's lessons, each linked to the one before and after it; the last one's "Next"
    goes to the first step after the lessons."""
    lessons = module.lessons
    pages = []
    for index, lesson in enumerate(lessons):
        previous = lessons[index - 1] if index > 0 else None
        following = lessons[index + 1] if index + 1 < len(lessons) else None
        after = steps[0] if following is None and steps else None
        pages.append(
            render_lesson(course, module, lesson, index, previous, following, in_lms, after=after)
        )
    return pages


def _component_pages(course: Course, module: Module, steps: list[Step], in_lms: bool) -> list[Page]:
    """A page for each component the module has, in the order of COMPONENTS."""
    overview = module_page(module, "index")
    pages = []
    for kind in COMPONENTS:
        component = kind.of(module)
        if component is not None:
            path = module_page(module, kind.name)
            download = addresses.download(module.slug, kind.name)
            # One name per kind everywhere (navigation, page title, module page, handouts);
            # the author's own title is the page's lead line.
            name = tr(course.language, kind.nav_title)
            text = _render(
                kind.page_template,
                course.language,
                module=module,
                name=name,
                overview_link=relative(path, overview),
                # A kind with a download_template offers itself for download (as Markdown).
                download_link=download.link_from(addresses.page(path)),
                download_name=download.dest.rpartition("/")[2],
                **{kind.variable: component},
            ) + _step_pager(course, module, steps, kind.name)
            meta = fallback_meta(course, component.loc.path)
            pages.append(Page(path, name, _kind(kind.name, text, in_lms, **meta)))
    return pages


def _quiz_page(course: Course, module: Module, in_lms: bool) -> Page:
    """The module's quiz page (for a module whose question bank is not empty)."""
    assert module.quiz is not None
    text = _render(
        "pages/quiz.md.j2", course.language, in_lms=in_lms, **quiz_context(course, module)
    )
    meta = fallback_meta(course, module.quiz.loc.path)
    return Page(module_page(module, "quiz"), module.quiz.title, _kind("quiz", text, in_lms, **meta))


@dataclass(frozen=True)
class Step:
    """A page of a module after its lessons, in the navigation's order (its components, then
    its quiz): its page name and what its "Next" button says."""

    name: str
    title: str
    label: str


def _steps(course: Course, module: Module) -> list[Step]:
    language = course.language
    steps = [
        Step(name, tr(language, title), tr(language, "Next: %(title)s", title=tr(language, title)))
        for title, name in _components(module)
    ]
    if module.quiz and module.quiz.questions:
        steps.append(Step("quiz", tr(language, "Quiz"), tr(language, "Next: the module quiz")))
    return steps


def _step_pager(course: Course, module: Module, steps: list[Step], name: str) -> str:
    """A component page's previous/next links: the last lesson or the component before it, and
    the component after it, the quiz or the module overview."""
    path = module_page(module, name)
    at = next(i for i, step in enumerate(steps) if step.name == name)
    before = steps[at - 1] if at > 0 else None
    last = module.lessons[-1] if module.lessons else None
    return "\n\n" + _render(
        "pages/step_pager.md.j2",
        course.language,
        previous=(before.title, before.name) if before else (last.title, last.id) if last else None,
        following=steps[at + 1] if at + 1 < len(steps) else None,
        link=lambda other: relative(path, module_page(module, other)),
    )


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
    in_lms: bool = False,
    *,
    after: Step | None = None,
) -> Page:
    """One lesson page with its position, time and previous/next links; ``after`` is where the
    last lesson's "Next" goes (the module's first component, or its quiz)."""
    path = module_page(module, lesson.id)
    # lesson_body escapes the author's raw HTML itself and adds only our own link syntax.
    images = image_links(lesson.images, posixpath.dirname(path))
    body = Markup(
        lesson_body(lesson, course, relative(path, GLOSSARY), relative(path, SOURCES), images)
    )
    text = _render(
        "pages/lesson.md.j2",
        course.language,
        module=module,
        lesson=lesson,
        number=index + 1,
        body=body,
        previous=previous,
        following=following,
        lesson_link=lambda other: relative(path, module_page(module, other.id)),
        overview_link=relative(path, module_page(module, "index")),
        after=after,
        after_link=relative(path, module_page(module, after.name)) if after else None,
    )
    meta = fallback_meta(course, lesson.path)
    return Page(path, lesson.title, _kind("lesson", text, in_lms, **meta))


def render_glossary(course: Course, *, in_lms: bool = False) -> Page:
    """Every glossary term with its definition, in alphabetical order."""
    terms = sorted(course.glossary, key=lambda t: t.term.casefold())
    text = _render("pages/glossary.md.j2", course.language, terms=terms)
    meta = fallback_meta(course, *(term.loc.path for term in course.glossary[:1]))
    return Page(GLOSSARY, tr(course.language, "Glossary"), _with_meta(text, meta, in_lms))


def render_sources(course: Course, *, in_lms: bool = False) -> Page:
    """The bibliography, the evaluation table and how the sources were collected."""
    text = _render(
        "pages/sources.md.j2",
        course.language,
        sources=course.sources,
        ordered=sorted(course.sources.sources, key=lambda s: (s.authors[0].casefold(), s.year)),
        criteria=course.evaluated_criteria(),
        cite_label=cite_label,
        apa_authors=apa_authors,
    )
    meta = fallback_meta(course, course.sources.loc.path)
    return Page(SOURCES, tr(course.language, "Sources"), _with_meta(text, meta, in_lms))


def render_progress(course: Course) -> Page:
    """The learner's progress, kept in the browser: lessons read and quiz results per module."""
    text = _render(
        "pages/progress.md.j2",
        course.language,
        course=course,
        has_quiz=lambda m: bool(m.quiz and m.quiz.questions),
    )
    title = tr(course.language, "Your progress")
    return Page(PROGRESS, title, _site_page("progress", text, search={"exclude": True}))


def navigation(course: Course) -> tuple[NavEntry, ...]:
    """The site navigation: home, one section per module, glossary and sources."""
    language = course.language
    entries = [NavEntry(tr(language, "Home"), HOME)]
    for module in course.modules:
        children = [NavEntry(tr(language, "Overview"), module_page(module, "index"))]
        children += [
            NavEntry(lesson.title, module_page(module, lesson.id)) for lesson in module.lessons
        ]
        for title, name in _components(module):
            children.append(NavEntry(tr(language, title), module_page(module, name)))
        if module.quiz and module.quiz.questions:
            children.append(NavEntry(tr(language, "Quiz"), module_page(module, "quiz")))
        entries.append(NavEntry(f"{module.code}: {module.title}", None, tuple(children)))
    entries.append(NavEntry(tr(language, "Glossary"), GLOSSARY))
    entries.append(NavEntry(tr(language, "Sources"), SOURCES))
    entries.append(NavEntry(tr(language, "Your progress"), PROGRESS))
    return tuple(entries)
