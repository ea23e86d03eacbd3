"""Modules as SCORM 1.2 packages: one ``<module>-scorm12.zip`` each, a single SCO.

The launch page (``index.html``) lists the module's pages beside a frame that shows them, and
runs ``assets/scorm.js``, the runtime adapter. One page holds the LMS session for the whole
visit: SCORM 1.2 allows one LMSInitialize and one LMSFinish per launch, so pages that each opened
and closed a session would end it at the first link. The pages (overview, lessons, quiz,
glossary, sources) are the site's own pages rendered from the same templates, converted with the
site's Markdown extensions, so quiz.js and quiz.css work unchanged; every file they use is inside
the zip, and nothing is requested from another host.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator import addresses
from generator.export import ExportFile, ExportResult
from generator.export.archive import archive_time, zip_bytes
from generator.model import Course, Module
from generator.render.environment import TEMPLATES, environment
from generator.render.markup import SafeLinksExtension
from generator.render.pages import Page, module_page, render_glossary, render_module, render_sources

CP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
# (file in the zip, source file): our own scripts and styles, shipped inside the package.
SHIPPED = (
    ("assets/scorm.js", TEMPLATES / "export/scorm/scorm.js"),
    ("assets/scorm-page.js", TEMPLATES / "export/scorm/scorm-page.js"),
    ("assets/scorm.css", TEMPLATES / "export/scorm/scorm.css"),
    ("assets/coursesmith.css", TEMPLATES / "static/assets/coursesmith.css"),
    ("assets/quiz.css", TEMPLATES / "static/assets/quiz.css"),
    ("assets/quiz.js", TEMPLATES / "static/assets/quiz.js"),
)
STYLESHEETS = ("assets/scorm.css", "assets/coursesmith.css", "assets/quiz.css")


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


def package_pages(course: Course, module: Module) -> list[Page]:
    """The pages a module's package holds, as site pages (Markdown), overview first."""
    env = environment()
    overview = Page(
        module_page(module, "index"),
        f"{module.code}: {module.title}",
        env.get_template("export/scorm/overview.md.j2").render(course=course, module=module),
    )
    lessons = {module_page(module, lesson.id) for lesson in module.lessons}
    quiz = module_page(module, "quiz")
    site = render_module(course, module, in_lms=True)
    kept = [p for p in site if p.path in lessons or p.path == quiz]
    return [overview, *kept, render_glossary(course), render_sources(course)]


def _nav_title(module: Module, page: Page) -> str:
    if page.path == module_page(module, "index"):
        return "Overview"
    if page.path == module_page(module, "quiz"):
        return "Quiz"
    return page.title


def manifest_xml(course: Course, module: Module, files: list[str]) -> bytes:
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
        {"identifier": f"MANIFEST-{course.meta.id}-{module.slug}", "version": course.meta.version},
    )
    metadata = sub(root, "metadata")
    sub(metadata, "schema", "ADL SCORM")
    sub(metadata, "schemaversion", "1.2")
    organizations = sub(root, "organizations", default="ORG-1")
    organization = sub(organizations, "organization", identifier="ORG-1")
    title = f"{module.code}: {module.title}"
    sub(organization, "title", title)
    item = sub(
        organization, "item", identifier=f"ITEM-{module.slug}", identifierref=f"RES-{module.slug}"
    )
    sub(item, "title", title)
    if module.quiz is not None:
        mastery = ET.SubElement(item, f"{{{ADLCP_NS}}}masteryscore")
        mastery.text = str(module.quiz.pass_mark)
    resources = sub(root, "resources")
    resource = sub(
        resources,
        "resource",
        identifier=f"RES-{module.slug}",
        type="webcontent",
        href="index.html",
        **{f"{{{ADLCP_NS}}}scormtype": "sco"},
    )
    for name in files:
        sub(resource, "file", href=name)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def package_entries(course: Course, module: Module) -> dict[str, bytes]:
    """Every file of a module's SCORM package, by its name in the zip."""
    env = environment()
    pages = package_pages(course, module)
    names = frozenset(p.path for p in pages)
    entries: dict[str, bytes] = {}
    for page in pages:
        path = _html_name(page.path)
        depth = path.count("/")
        scripts = ["assets/scorm-page.js"]
        if page.path == module_page(module, "quiz"):
            scripts.insert(0, "assets/quiz.js")
        html = env.get_template("export/scorm/page.html.j2").render(
            course=course,
            module=module,
            title=page.title,
            path=path,
            root="../" * depth,
            stylesheets=STYLESHEETS,
            scripts=scripts,
            content=page_html(page, names),
        )
        entries[path] = html.encode("utf-8")
    nav = [(_nav_title(module, p), _html_name(p.path)) for p in pages]
    entries["index.html"] = (
        env.get_template("export/scorm/index.html.j2")
        .render(
            course=course,
            module=module,
            nav=nav,
            start=nav[0][1],
            pass_mark=module.quiz.pass_mark if module.quiz else None,
        )
        .encode("utf-8")
    )
    for name, source in SHIPPED:
        entries[name] = source.read_bytes()
    entries["imsmanifest.xml"] = manifest_xml(course, module, sorted(entries))
    return entries


def export_module(course: Course, module: Module) -> ExportResult:
    """A module as ``<slug>-scorm12.zip``; every question type is playable, so nothing is lost."""
    data = zip_bytes(package_entries(course, module), archive_time(course.meta.last_reviewed))
    return ExportResult((ExportFile(f"{module.slug}-scorm12.zip", data),))
