"""Modules as SCORM 1.2 packages: one ``<module>-scorm12.zip`` each, a single SCO; or, with
``--course``, one single-SCO ``<course id>-scorm12.zip`` holding every module, for LMSs that
take one SCO per course (its score is the mean of the module quizzes; it passes when every
module quiz is passed, so it has no mastery score).

The launch page (``index.html``) lists the package's pages beside a frame that shows them, and
runs ``assets/scorm.js``, the runtime adapter, which keeps the learner's progress in
``cmi.suspend_data`` (``assets/scorm-state.js``: a compact encoding over the quiz structure the
launch page carries, never the answers). One page holds the LMS session for the whole
visit: SCORM 1.2 allows one LMSInitialize and one LMSFinish per launch, so pages that each opened
and closed a session would end it at the first link. The pages (overview, lessons, quiz,
glossary, sources) are the site's own pages rendered from the same templates, converted with the
site's Markdown extensions, so quiz.js and quiz.css work unchanged; every file they use is inside
the zip, and nothing is requested from another host.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator import addresses
from generator.diagnostics import Diagnostic, Severity
from generator.export import ExportFile, ExportResult
from generator.export.archive import archive_time, zip_bytes
from generator.i18n import SOURCE_LANGUAGE
from generator.i18n.catalogues import script_strings, tr
from generator.model import Course, Loc, Module
from generator.package_files import TEMPLATES
from generator.render.environment import environment
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

CP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
# (file in the zip, source file): our own scripts and styles, shipped inside the package.
SHIPPED = (
    ("assets/scorm.js", TEMPLATES / "export/scorm/scorm.js"),
    ("assets/scorm-state.js", TEMPLATES / "export/scorm/scorm-state.js"),
    ("assets/scorm-page.js", TEMPLATES / "export/scorm/scorm-page.js"),
    ("assets/scorm.css", TEMPLATES / "export/scorm/scorm.css"),
    ("assets/coursesmith.css", TEMPLATES / "static/assets/coursesmith.css"),
    ("assets/quiz.css", TEMPLATES / "static/assets/quiz.css"),
    ("assets/quiz.js", TEMPLATES / "static/assets/quiz.js"),
)
STYLESHEETS = ("assets/scorm.css", "assets/coursesmith.css", "assets/quiz.css")
# What SCORM 1.2 allows in cmi.suspend_data (CMIString4096).
SUSPEND_DATA_LIMIT = 4096
# Version and fingerprint that open cmi.suspend_data: "1", six characters, "." (scorm-state.js).
PROGRESS_PREFIX = "1xxxxxx."


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
                html = posixpath.relpath(_html_name(path), posixpath.dirname(self.page) or ".")
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


def _html_name(path: str) -> str:
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
        env.get_template("export/scorm/overview.md.j2").render(course=course, module=module),
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
    """What one SCO holds: a module, or every module of the course."""

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
    """The single-SCO package of the whole course (``--course``)."""
    return Package(course.meta.id, course.title, modules, True, course.meta.version)


def quiz_structure(module: Module) -> dict[str, object]:
    """What the launch page must know of a quiz to keep its answers in cmi.suspend_data: each
    question's form id, type, points and the values of its options and rows (no answers)."""
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


def _bits(count: int) -> int:
    return (count - 1).bit_length() if count > 1 else 0


def progress_length(structure: dict[str, Any]) -> int:
    """The length of cmi.suspend_data when every page is read and every question answered: the
    longest that assets/scorm-state.js writes for this package (a test holds the two equal)."""
    bits = len(structure["pages"])
    for quiz in structure["quizzes"]:
        bits += 8  # a result: present, then 7 bits of percent
        for question in quiz["questions"]:
            options, rows = len(question["options"]), len(question["rows"])
            bits += 2  # answered, right
            if question["type"] == "multiple":
                bits += options
            elif question["type"] in ("matching", "ordering"):
                bits += rows * _bits(options)
            else:
                bits += _bits(options)
    return len(PROGRESS_PREFIX) + -(-bits // 6)


def manifest_xml(package: Package, files: list[str]) -> bytes:
    """The SCORM 1.2 imsmanifest.xml: one organisation, one item, one SCO listing every file."""
    ET.register_namespace("", CP_NS)
    ET.register_namespace("adlcp", ADLCP_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{CP_NS}}}{tag}", attrs)
        element.text = text
        return element

    # Identifiers are XML IDs, which may not start with a digit as a slug may.
    root = ET.Element(
        f"{{{CP_NS}}}manifest",
        {"identifier": f"MANIFEST-{package.identifier}", "version": package.version},
    )
    metadata = sub(root, "metadata")
    sub(metadata, "schema", "ADL SCORM")
    sub(metadata, "schemaversion", "1.2")
    organizations = sub(root, "organizations", default="ORG-1")
    organization = sub(organizations, "organization", identifier="ORG-1")
    sub(organization, "title", package.title)
    item = sub(
        organization,
        "item",
        identifier=f"ITEM-{package.identifier}",
        identifierref=f"RES-{package.identifier}",
    )
    sub(item, "title", package.title)
    if package.mastery is not None:
        mastery = ET.SubElement(item, f"{{{ADLCP_NS}}}masteryscore")
        mastery.text = str(package.mastery)
    resources = sub(root, "resources")
    resource = sub(
        resources,
        "resource",
        identifier=f"RES-{package.identifier}",
        type="webcontent",
        href="index.html",
        **{f"{{{ADLCP_NS}}}scormtype": "sco"},
    )
    for name in files:
        sub(resource, "file", href=name)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def package_nav(package: Package, language: str = SOURCE_LANGUAGE) -> list[NavGroup]:
    """The launch page's page list, from the model alone (nothing is rendered for it)."""
    groups = []
    for module in package.modules:
        links = [(tr(language, "Overview"), module_page(module, "index"))]
        links += [(lesson.title, module_page(module, lesson.id)) for lesson in module.lessons]
        if module.quiz is not None:
            links.append((tr(language, "Quiz"), module_page(module, "quiz")))
        title = f"{module.code}: {module.title}" if package.whole_course else None
        groups.append(NavGroup(title, tuple((text, _html_name(path)) for text, path in links)))
    reference = (
        (tr(language, "Glossary"), _html_name(GLOSSARY)),
        (tr(language, "Sources"), _html_name(SOURCES)),
    )
    if package.whole_course:
        # TRANSLATORS: the SCORM package's heading over the glossary and sources links.
        groups.append(NavGroup(tr(language, "Reference"), reference))
    else:
        groups[0] = NavGroup(None, groups[0].links + reference)
    return groups


def package_entries(course: Course, package: Package) -> dict[str, bytes]:
    """Every file of a SCORM package, by its name in the zip."""
    env = environment(course.language)
    strings = script_strings(course.language)
    pages = [p for m in package.modules for p in module_pages(course, m)]
    pages += [render_glossary(course, in_lms=True), render_sources(course, in_lms=True)]
    names = frozenset(p.path for p in pages)
    quizzes = {module_page(m, "quiz") for m in package.modules if m.quiz}
    entries: dict[str, bytes] = {}
    for page in pages:
        path = _html_name(page.path)
        depth = path.count("/")
        scripts = ["assets/scorm-page.js"]
        if page.path in quizzes:
            scripts.insert(0, "assets/quiz.js")
        html = env.get_template("export/scorm/page.html.j2").render(
            course=course,
            title=page.title,
            suffix=package.title if package.whole_course else package.modules[0].code,
            path=path,
            root="../" * depth,
            stylesheets=STYLESHEETS,
            scripts=scripts,
            content=page_html(page, names),
            strings=strings if page.path in quizzes else None,
        )
        entries[path] = html.encode("utf-8")
    nav = package_nav(package, course.language)
    entries["index.html"] = (
        env.get_template("export/scorm/index.html.j2")
        .render(
            course=course,
            package=package,
            nav=nav,
            start=nav[0].links[0][1],
            structure=launch_structure(package, nav),
        )
        .encode("utf-8")
    )
    for name, source in SHIPPED:
        entries[name] = source.read_bytes()
    for module in package.modules:
        for image in module.images:  # at the address the pages link, as in the site
            entries[image.dest] = Path(image.file).read_bytes()
    entries["imsmanifest.xml"] = manifest_xml(package, sorted(entries))
    return entries


def launch_structure(package: Package, nav: list[NavGroup]) -> dict[str, Any]:
    """The launch page's description of its package, as JSON: pages in order, and quizzes."""
    return {
        "pages": [path for group in nav for _title, path in group.links],
        "quizzes": [quiz_structure(m) for m in package.modules if m.quiz is not None],
    }


def _archive(course: Course, package: Package, name: str) -> ExportResult:
    entries = package_entries(course, package)
    problems: list[Diagnostic] = []
    longest = progress_length(launch_structure(package, package_nav(package, course.language)))
    if longest > SUSPEND_DATA_LIMIT:
        problems.append(
            Diagnostic(
                Loc("content/course.yml", 1, 1),
                f"the progress of '{name}' can take {longest:,} characters of cmi.suspend_data, "
                f"more than the {SUSPEND_DATA_LIMIT:,} SCORM 1.2 allows; progress that does not "
                "fit is not kept between launches",
                Severity.WARNING,
                "export one package per module (without --course)",
            )
        )
    data = zip_bytes(entries, archive_time(course.meta.last_reviewed))
    return ExportResult((ExportFile(name, data),), tuple(problems))


def export_module(course: Course, module: Module) -> ExportResult:
    """A module as ``<slug>-scorm12.zip``; every question type is playable, so nothing is lost."""
    return _archive(course, module_package(course, module), f"{module.slug}-scorm12.zip")


def export_course(course: Course, modules: tuple[Module, ...]) -> ExportResult:
    """The whole course as one single-SCO ``<course id>-scorm12.zip``."""
    return _archive(course, course_package(course, modules), f"{course.meta.id}-scorm12.zip")
