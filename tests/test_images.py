"""Images in lessons, from the module's folders and from docs/, in every output: the site (both
languages, both engines), the HTML and PDF handouts, the SCORM packages and the offline zip. Each
<img> resolves to a file of the output; nothing names another host. The rich test course
(tests/fixtures/rich/) is the course with images; its problems are malformed fixtures."""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.adapters.pipeline import build_site
from generator.export import offline, scorm
from generator.load import load_course
from generator.model import Course, addresses

from .conftest import FIXTURES, copy_rich_course

RICH = FIXTURES / "rich"
# Every image the rich course shows, by where the outputs hold it (the same in each language's
# section), and the lesson pages showing each.
IMAGES = {
    "foundations/lessons/pipeline.png": RICH / "content/modules/foundations/lessons/pipeline.png",
    "foundations/images/flow.svg": RICH / "content/modules/foundations/images/flow.svg",
    "img/logo.svg": RICH / "docs/img/logo.svg",
    "img/badge.png": RICH / "docs/img/badge.png",
}
SHOWN = {
    "foundations/overview/index.html": {"foundations/lessons/pipeline.png", "img/logo.svg"},
    "foundations/schemas/index.html": {"foundations/images/flow.svg", "img/badge.png"},
    "wrap-up/summary/index.html": {"foundations/lessons/pipeline.png"},
}
# The PNG images of each module handout (PDF images are raster XObjects; SVG is drawn as
# vector paths), by their width in pixels.
HANDOUT_PNGS = {"foundations": {900, 80}, "wrap-up": {900}}


def rich_course() -> Course:
    result = load_course(RICH)
    assert result.course is not None
    return result.course


def test_rich_course_has_no_problem_but_its_untranslated_files() -> None:
    """The course checks clean: its only warnings are the German fallbacks it is built to have
    (a partly translated course cannot pass --strict, by design)."""
    result = load_course(RICH)
    assert result.diagnostics.errors == []
    warnings = [d.message for d in result.diagnostics.warnings]
    assert warnings and all(
        w == "no German (de) translation; the page falls back to English" for w in warnings
    )
    course = result.course
    assert course is not None
    assert {image.dest for image in course.images} == set(IMAGES)
    assert len(course.modules) == 3


def test_image_addresses_keep_their_place() -> None:
    assert addresses.image("content/modules/m1/lessons/a.png") == addresses.Address(
        "m1/lessons/a.png", "m1/lessons/a.png"
    )
    assert addresses.image("content/modules/m1/images/x/b.svg").dest == "m1/images/x/b.svg"  # type: ignore[union-attr]
    assert addresses.image("docs/img/logo.png").dest == "img/logo.png"  # type: ignore[union-attr]
    for outside in ("content/modules/m1/components/a.png", "content/a.png", "notes/a.png", "docs"):
        assert addresses.image(outside) is None


def _img_sources(html: str) -> list[str]:
    found: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "img":
                found.extend(v for k, v in attrs if k == "src" and v)

    Collect().feed(html)
    return found


def _resolved(page: str, src: str) -> str:
    """Where an <img src> of the page ``page`` (a path in the output) leads, in the output."""
    assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", src, re.I), f"{page}: {src}"
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), src.split("#")[0]))


def _images_of_pages(files: dict[str, bytes]) -> dict[str, set[str]]:
    """For each HTML file of an output, the output paths its images lead to, each checked to be a
    file of the output with the bytes of its source."""
    shown: dict[str, set[str]] = {}
    for name in sorted(n for n in files if n.endswith(".html")):
        for src in _img_sources(files[name].decode("utf-8")):
            target = _resolved(name, src)
            assert target in files, f"{name}: <img src={src!r}> leads to nothing"
            shown.setdefault(name, set()).add(target)
    return shown


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("section", ["", "de/"])
def test_site_holds_every_image_and_each_img_resolves(rich_site: Path, section: str) -> None:
    files = _site_files(rich_site)
    for dest, source in IMAGES.items():
        assert files[section + dest] == source.read_bytes(), section + dest
    shown = _images_of_pages(files)
    for page, images in SHOWN.items():
        assert shown[section + page] == {section + image for image in images}, page
    # The HTML handouts show the lessons' images from the same files.
    for slug, pages in (("foundations", 4), ("wrap-up", 1)):
        handout = f"{section}{slug}/handouts/module-handout-a4.html"
        assert len(shown[handout]) == pages, handout


def test_translated_lesson_shows_the_images_in_german(rich_site: Path) -> None:
    html = (rich_site / "de/foundations/overview/index.html").read_text(encoding="utf-8")
    assert 'alt="Eine Datenpipeline in drei Stufen: Einlesen, Umwandeln, Bereitstellen"' in html
    assert 'src="../lessons/pipeline.png"' in html


def _pdf_image_widths(data: bytes) -> set[int]:
    widths: set[int] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for ref in (xobjects.get_object() if xobjects else {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                widths.add(int(xobject["/Width"]))
    return widths


@pytest.mark.parametrize("section", ["", "de/"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_module_handouts_hold_the_images(rich_site: Path, section: str, paper: str) -> None:
    for slug, widths in HANDOUT_PNGS.items():
        path = rich_site / f"{section}{slug}/handouts/module-handout-{paper}.pdf"
        assert _pdf_image_widths(path.read_bytes()) == widths, path


def test_pdf_renderer_refuses_every_other_address() -> None:
    """WeasyPrint's fetcher serves the stylesheet and the course's images only: a file outside
    them or another host is a named failure, never a request or a traceback."""
    from generator.render.handouts import render_handouts
    from generator.render.pdf import HandoutError, render_pdf

    course = rich_course()
    module = course.modules[0]
    handout = render_handouts(course, module, "000000000000")[0]
    for url in ("https://example.org/x.png", "file:///etc/hostname", "../../../../etc/x.png"):
        hostile = dataclasses.replace(handout, html=handout.html.replace("pipeline.png", url, 1))
        with pytest.raises(HandoutError, match="could not be rendered"):
            render_pdf(hostile)


def test_scorm_packages_hold_the_images() -> None:
    course = rich_course()
    for result in [scorm.export_module(course, m) for m in course.modules] + [
        scorm.export_course(course, course.modules)
    ]:
        (package,) = result.files
        archive = zipfile.ZipFile(io.BytesIO(package.data))
        files = {name: archive.read(name) for name in archive.namelist()}
        shown = _images_of_pages(files)
        for page, images in SHOWN.items():
            flat = addresses.page(page.removesuffix("/index.html") + ".md").flat_dest
            if flat in files:
                assert shown[flat] == images, (package.name, flat)
        manifest = files["imsmanifest.xml"].decode("utf-8")
        for image in {i for images in shown.values() for i in images}:
            assert files[image] == IMAGES[image].read_bytes()
            assert f'href="{image}"' in manifest, image


def test_offline_zip_holds_the_images(tmp_path: Path) -> None:
    project = copy_rich_course(tmp_path / "course", pdf=False)
    course = rich_course()
    result = offline.export_site(
        course,
        lambda folder: build_site(
            project / "mkdocs.yml", folder, offline=True, language="en", pdf=False
        ),
    )
    archive = zipfile.ZipFile(io.BytesIO(result.files[0].data))
    files = {name: archive.read(name) for name in archive.namelist()}
    shown = _images_of_pages(files)
    for page, images in SHOWN.items():
        flat = page.removesuffix("/index.html") + ".html"
        assert shown[flat] == images, flat
    for dest, source in IMAGES.items():
        assert files[dest] == source.read_bytes()


def test_an_image_from_elsewhere_never_loads_even_past_check() -> None:
    """The renderers' last step drops the address of an image on another host or with a scheme
    (check reports each; this holds whatever slips by)."""
    from generator.render.markup import lesson_block

    html = str(
        lesson_block("![a](https://x.org/a.png) ![b](//x.org/b.png) ![c](data:,x) ![d](d.png)")
    )
    assert _img_sources(html) == ["d.png"]
