"""The one package renderer behind every LMS package kind (SCORM 1.2, cmi5, xAPI/Tin Can): the
same pages, navigation, quiz, fallback notes and launch page, with a per-standard runtime adapter.

The launch page (``index.html``) lists the package's pages beside a frame that shows them and runs
the runtime adapter of the package kind, which talks to the LMS (SCORM's API object, or an xAPI
learning record store). The pages (overview, lessons, quiz, glossary, sources) are the site's own
pages rendered from the same templates, converted with the site's Markdown extensions, so quiz.js
and quiz.css work unchanged; every file they use is inside the zip, and nothing is requested
from another host (but the record store the LMS names at launch).

A kind differs only in its ``Runtime``: the launch page's scripts, the name of the shared assets
in the zip, what else the launch page carries, and the manifest (``imsmanifest.xml``,
``cmi5.xml``, ``tincan.xml``). The shared shell's templates and scripts live in
site_templates/export/scorm/, where the first package kind put them.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.i18n.catalogues import script_strings, tr
from generator.model import Course, Module, addresses
from generator.output.package_files import TEMPLATES
from generator.render.environment import environment
from generator.render.fallback import fallback_meta, in_text
from generator.render.markup import SafeLinksExtension
from generator.render.pages import (
    GLOSSARY,
    SOURCES,
    Page,
    module_page,
    render_glossary,
    render_module,
    render_sources,
)
from generator.render.quiz import question_view
from generator.source.languages import SOURCE_LANGUAGE

SHELL = TEMPLATES / "export" / "scorm"
# (file in the zip, source file): the site's own styles and quiz script, in every package.
SITE_ASSETS = (
    ("assets/coursesmith.css", TEMPLATES / "static/assets/coursesmith.css"),
    ("assets/quiz.css", TEMPLATES / "static/assets/quiz.css"),
    ("assets/quiz.js", TEMPLATES / "static/assets/quiz.js"),
)


class _PackageLinks(Treeprocessor):
    """Links between pages point at the packaged .html file; a link to a page the package does
    not hold (a component page, a handout) keeps its text and loses its address."""

    def __init__(self, md: markdown.Markdown, page: str, pages: frozenset[str]) -> None:
        super().__init__(md)
        self.page = page
        self.pages = pages

    def run(self, root: ET.Element) -> None:
        for element in root.iter("a"):
            href = element.get("href", "")
            if not href or href.startswith("#") or ":" in href.split("#")[0].split("/")[0]:
                continue
            target, _, fragment = href.partition("#")
            path = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), target))
            if path in self.pages:
                html = posixpath.relpath(html_name(path), posixpath.dirname(self.page) or ".")
                element.set("href", f"{html}#{fragment}" if fragment else html)
            else:
                element.tag = "span"
                for attribute in ("href", "title"):
                    element.attrib.pop(attribute, None)


class _PackageLinksExtension(Extension):
    def __init__(self, page: str, pages: frozenset[str]) -> None:
        super().__init__()
        self.page = page
        self.pages = pages

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_PackageLinks(md, self.page, self.pages), "cs_package", 1)


def html_name(path: str) -> str:
    """A site page's file in a package (``m1/intro.md`` -> ``m1/intro.html``)."""
    return addresses.page(path).flat_dest


def page_html(page: Page, pages: frozenset[str]) -> Markup:
    """A site page's Markdown as HTML, with the site's extensions and links kept in the package."""
    converter = markdown.Markdown(
        extensions=[
            "attr_list",
            "md_in_html",
            "tables",
            "def_list",
            "admonition",
            "sane_lists",
            "toc",
            "pymdownx.details",
            "pymdownx.superfences",
            SafeLinksExtension(),
            _PackageLinksExtension(page.path, pages),
        ],
        output_format="html",
    )
    # Our templates and lesson_body have escaped the author's raw HTML already.
    return Markup(converter.convert(page.text))


def module_pages(course: Course, module: Module) -> list[Page]:
    """A module's pages in a package, as site pages (Markdown): overview, lessons, quiz."""
    env = environment(course.language)
    overview = Page(
        module_page(module, "index"),
        f"{module.code}: {module.title}",
        in_text(
            env.get_template("export/scorm/overview.md.j2").render(course=course, module=module),
            fallback_meta(course, module.meta.loc.path),
        ),
    )
    lessons = {module_page(module, lesson.id) for lesson in module.lessons}
    quiz = module_page(module, "quiz")
    site = render_module(course, module, in_lms=True)
    return [overview, *[p for p in site if p.path in lessons or p.path == quiz]]


@dataclass(frozen=True)
class NavGroup:
    """Links of the launch page's page list: one module's pages (titled in a course package),
    or the reference pages."""

    title: str | None
    links: tuple[tuple[str, str], ...]  # (link text, page in the package)


@dataclass(frozen=True)
class Package:
    """What one package holds: a module, or every module of the course."""

    identifier: str  # unique in the manifest and the LMS: course id, plus the module slug
    title: str
    modules: tuple[Module, ...]
    whole_course: bool
    version: str  # the course version

    @property
    def mastery(self) -> int | None:
        """The pass mark an LMS compares the score with; none for a course, which passes when
        every module quiz is passed (not when a mean reaches a mark)."""
        if self.whole_course or self.modules[0].quiz is None:
            return None
        return self.modules[0].quiz.pass_mark


def module_package(course: Course, module: Module) -> Package:
    """The package of one module (the default)."""
    return Package(
        f"{course.meta.id}-{module.slug}",
        f"{module.code}: {module.title}",
        (module,),
        False,
        course.meta.version,
    )


def course_package(course: Course, modules: tuple[Module, ...]) -> Package:
    """The single-unit package of the whole course (``--course``)."""
    return Package(course.meta.id, course.title, modules, True, course.meta.version)


def quiz_structure(module: Module) -> dict[str, object]:
    """What the launch page must know of a quiz to keep its answers: each question's form id,
    type, points and the values of its options and rows (no answers)."""
    quiz = module.quiz
    assert quiz is not None
    views = [
        question_view(module, q, n, quiz.shuffle) for n, q in enumerate(quiz.questions, start=1)
    ]
    return {
        "slug": module.slug,
        "pass": quiz.pass_mark,
        "total": sum(q.points for q in quiz.questions),
        "questions": [
            {
                "id": v.dom_id,
                "type": v.question.type,
                "points": v.question.points,
                "options": [o.value for o in v.options],
                "rows": [r.value for r in v.rows],
            }
            for v in views
        ],
    }


def package_nav(package: Package, language: str = SOURCE_LANGUAGE) -> list[NavGroup]:
    """The launch page's page list, from the model alone (nothing is rendered for it)."""
    groups = []
    for module in package.modules:
        links = [(tr(language, "Overview"), module_page(module, "index"))]
        links += [(lesson.title, module_page(module, lesson.id)) for lesson in module.lessons]
        if module.quiz is not None:
            links.append((tr(language, "Quiz"), module_page(module, "quiz")))
        title = f"{module.code}: {module.title}" if package.whole_course else None
        groups.append(NavGroup(title, tuple((text, html_name(path)) for text, path in links)))
    reference = (
        (tr(language, "Glossary"), html_name(GLOSSARY)),
        (tr(language, "Sources"), html_name(SOURCES)),
    )
    if package.whole_course:
        # TRANSLATORS: the SCORM package's heading over the glossary and sources links.
        groups.append(NavGroup(tr(language, "Reference"), reference))
    else:
        groups[0] = NavGroup(None, groups[0].links + reference)
    return groups


def launch_structure(package: Package, nav: list[NavGroup]) -> dict[str, Any]:
    """The launch page's description of its package, as JSON: pages in order, and quizzes."""
    return {
        "pages": [path for group in nav for _title, path in group.links],
        "quizzes": [quiz_structure(m) for m in package.modules if m.quiz is not None],
    }


@dataclass(frozen=True)
class Launch:
    """What a launch page carries besides its pages: data for the runtime adapter (JSON), the
    messages shown when it was not launched as its standard says, and the exit button's text."""

    data: dict[str, Any] | None = None
    problems: dict[str, str] = field(default_factory=dict)  # {kind: message}, shown by the script
    exit: str | None = None


@dataclass(frozen=True)
class Runtime:
    """What one package kind adds to the shared package: its runtime adapter and manifest.

    ``prefix`` names the shared shell's files in the zip (``assets/<prefix>.css``,
    ``assets/<prefix>-page.js``, ``assets/<prefix>-state.js``); ``scripts`` are the launch
    page's adapter scripts after the state script, ``styles`` its further stylesheets;
    ``manifest`` names and writes the manifest from the course, the package and its file
    names; ``launch`` is what else the launch page carries (``Launch``)."""

    prefix: str
    scripts: tuple[tuple[str, Path], ...]
    styles: tuple[tuple[str, Path], ...]
    manifest: Callable[[Course, Package, list[str]], tuple[str, bytes]]
    launch: Callable[[Course, Package], Launch] = field(default=lambda _c, _p: Launch())


def package_entries(course: Course, package: Package, runtime: Runtime) -> dict[str, bytes]:
    """Every file of a package of the runtime's kind, by its name in the zip."""
    entries = _page_entries(course, package, runtime.prefix)
    entries["index.html"] = _launch_page(course, package, runtime)
    for name, source in (*_shell(runtime.prefix), *SITE_ASSETS, *runtime.scripts, *runtime.styles):
        entries[name] = source.read_bytes()
    for module in package.modules:
        for image in module.images:  # at the address the pages link, as in the site
            entries[image.dest] = Path(image.file).read_bytes()
    manifest, data = runtime.manifest(course, package, sorted(entries))
    entries[manifest] = data
    return entries


def _stylesheets(prefix: str) -> tuple[str, str, str]:
    """The stylesheets of every page in a package: the shell's, the site's and the quiz's."""
    return (f"assets/{prefix}.css", "assets/coursesmith.css", "assets/quiz.css")


def _shell(prefix: str) -> tuple[tuple[str, Path], ...]:
    """The shared shell's files, by their names in the zip of a package kind."""
    return (
        (f"assets/{prefix}.css", SHELL / "scorm.css"),
        (f"assets/{prefix}-page.js", SHELL / "scorm-page.js"),
        (f"assets/{prefix}-state.js", SHELL / "scorm-state.js"),
    )


def _page_entries(course: Course, package: Package, prefix: str) -> dict[str, bytes]:
    """The package's pages as HTML files: its modules' pages, the glossary and the sources."""
    env = environment(course.language)
    strings = script_strings(course.language)
    pages = [p for m in package.modules for p in module_pages(course, m)]
    pages += [render_glossary(course, in_lms=True), render_sources(course, in_lms=True)]
    names = frozenset(p.path for p in pages)
    quizzes = {module_page(m, "quiz") for m in package.modules if m.quiz}
    entries: dict[str, bytes] = {}
    for page in pages:
        path = html_name(page.path)
        scripts = [f"assets/{prefix}-page.js"]
        if page.path in quizzes:
            scripts.insert(0, "assets/quiz.js")
        html = env.get_template("export/scorm/page.html.j2").render(
            course=course,
            title=page.title,
            suffix=package.title if package.whole_course else package.modules[0].code,
            path=path,
            root="../" * path.count("/"),
            stylesheets=_stylesheets(prefix),
            scripts=scripts,
            content=page_html(page, names),
            strings=strings if page.path in quizzes else None,
        )
        entries[path] = html.encode("utf-8")
    return entries


def _launch_page(course: Course, package: Package, runtime: Runtime) -> bytes:
    """The launch page: the page list beside the frame, and the runtime adapter's scripts."""
    nav = package_nav(package, course.language)
    html = (
        environment(course.language)
        .get_template("export/scorm/index.html.j2")
        .render(
            course=course,
            package=package,
            nav=nav,
            start=nav[0].links[0][1],
            structure=launch_structure(package, nav),
            stylesheets=[_stylesheets(runtime.prefix)[0], *(name for name, _ in runtime.styles)],
            scripts=[f"assets/{runtime.prefix}-state.js", *(name for name, _ in runtime.scripts)],
            launch=runtime.launch(course, package),
        )
    )
    return html.encode("utf-8")
