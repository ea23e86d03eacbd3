"""Handouts to PDF with WeasyPrint, written atomically into a built site.

Every handout is rendered before any file is written: a handout that fails leaves the handouts
of the previous run as they were, and no file is ever half-written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from generator.model import Course, addresses
from generator.output.guard import file_mode
from generator.output.reproducible import build_date
from generator.render.disk import target
from generator.render.handouts import STYLESHEET, Handout, handout_stylesheet, render_handouts

# Shared libraries WeasyPrint loads at import, and the Debian package that ships each.
DEBIAN_PACKAGES = (
    ("pangoft2", "libpangoft2-1.0-0"),
    ("pango", "libpango-1.0-0"),
    ("harfbuzz", "libharfbuzz0b"),
    ("fontconfig", "libfontconfig1"),
    ("gobject", "libglib2.0-0"),
)
# WeasyPrint resolves a handout's links against its own address under this one (the site's
# paths): the fetcher below answers the stylesheet from the template and the course's images
# from their files, and refuses every other address, so rendering reads nothing else and
# never asks the network.
BASE_URL = "https://handouts.invalid/"
IMAGE_TYPES = {
    ".gif": "image/gif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
# Layout passes that may each move one break to keep a table's last row company.
_BREAK_PASSES = 4
# The font families handout.css asks for, and the Debian packages that ship them. Fontconfig
# quietly substitutes another font for a missing one (and WeasyPrint crashes when none is left).
FONT_FAMILIES = ("DejaVu Sans", "DejaVu Sans Mono")
FONT_HINT = (
    "install the Debian packages fonts-dejavu-core and fonts-dejavu-extra (`make site` does this)"
)


def missing_library_hint(message: str) -> str:
    """Name the Debian package that provides the library an import error complains about."""
    lowered = message.lower()
    for library, package in DEBIAN_PACKAGES:
        if library in lowered:
            return f"install the Debian package {package} (`make site` does this)"
    return (
        "WeasyPrint needs Pango: install the Debian packages libpango-1.0-0 and "
        "libpangoft2-1.0-0 (`make site` does this)"
    )


class HandoutError(Exception):
    """A handout could not be rendered; the message names it and says why."""


def _weasyprint() -> Any:
    try:
        import weasyprint  # type: ignore[import-untyped]
    except OSError as exc:  # a missing shared library surfaces as OSError at import
        raise HandoutError(
            f"cannot load WeasyPrint ({exc}); {missing_library_hint(str(exc))}"
        ) from None
    return weasyprint


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file beside ``path`` so no truncated file is ever left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temp))
        os.chmod(temp, file_mode())  # mkstemp makes 0600; a published site is world-readable
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def missing_fonts() -> list[str]:
    """The handout font families fontconfig cannot find (it would substitute another)."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig  # type: ignore[import-untyped]
    except ImportError:  # another WeasyPrint layout: the check after rendering still runs
        return []
    config = fontconfig.FcInitLoadConfigAndFonts()
    missing = []
    try:
        for family in FONT_FAMILIES:
            pattern = fontconfig.FcPatternCreate()
            fontconfig.FcPatternAddString(pattern, b"family", family.encode())
            fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
            fontconfig.FcDefaultSubstitute(pattern)
            match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
            found = None
            if match != ffi.NULL:
                value = ffi.new("FcChar8 **")
                if fontconfig.FcPatternGetString(match, b"family", 0, value) == 0:
                    found = ffi.string(value[0]).decode("utf-8")
                fontconfig.FcPatternDestroy(match)
            fontconfig.FcPatternDestroy(pattern)
            if found != family:
                missing.append(family)
    finally:
        fontconfig.FcConfigDestroy(config)
    return missing


def base_url(handout: Handout) -> str:
    """The address WeasyPrint resolves the handout's links against: its place in the site."""
    folder = f"{handout.folder}/" if handout.folder else ""
    return f"{BASE_URL}{folder}{handout.filename}.html"


def _fetcher(handout: Handout) -> Any:
    """A URL fetcher that serves the handout's stylesheet and images, from our template and the
    project's files, and nothing else: no file outside them, no other host."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    stylesheet = urljoin(base_url(handout), STYLESHEET)
    css = handout_stylesheet()
    images = {BASE_URL + dest: Path(file) for dest, file in handout.images}

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            if url == stylesheet:
                return URLFetcherResponse(url, css, {"Content-Type": "text/css"})
            file = images.get(unquote(url))
            if file is None:
                raise ValueError(f"a handout may load only its stylesheet and images, not {url}")
            kind = IMAGE_TYPES.get(file.suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": kind})

    return LocalOnly(fail_on_errors=True)


def _walk(box: Any, table: Any = None) -> Iterator[tuple[Any, Any]]:
    """(table element, row element) of every body row in a laid-out box tree."""
    from weasyprint.formatting_structure import boxes  # type: ignore[import-untyped]

    if isinstance(box, boxes.TableBox):
        table = box.element
    if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
        return
    if isinstance(box, boxes.TableRowBox):
        yield table, box.element
        return
    for child in getattr(box, "children", ()):
        yield from _walk(child, table)


_PAGE_BREAK = "break-before: page"


def _lonely_rows_moved(document: Any, root: Any) -> bool:
    """Move a page break wherever a table leaves one row alone on a page.

    CSS ``orphans`` and ``widows`` do not apply to table rows, so the laid-out pages are read:
    a table's last row alone on its last page (or with only its total row, ``table__total``)
    takes its predecessor along; a table that would then (or already does) start a page with one
    row starts on the next page instead, with the heading or prompt just before it. Returns
    whether a break was moved (lay out again).
    """
    pages: dict[Any, list[tuple[Any, int]]] = {}
    for number, page in enumerate(document.pages):
        for table, row in _walk(page._page_box):
            rows = pages.setdefault(table, [])
            if not rows or rows[-1][0] is not row:
                rows.append((row, number))
    parents = {child: parent for parent in root.iter() for child in parent}
    moved = False
    for table, rows in pages.items():
        numbers = [number for _, number in rows]
        if len(rows) < 3 or numbers[0] == numbers[-1]:
            continue
        # A total row does not count as company: the row it sums up needs another with it.
        alone = 2 if "table__total" in (rows[-1][0].get("class") or "") else 1
        widow = numbers.count(numbers[-1]) <= alone
        orphan = numbers.count(numbers[0]) == 1
        if widow and len(rows) > alone + 1 and numbers.count(numbers[-alone - 1]) > 2:
            rows[-alone - 1][0].set("style", _PAGE_BREAK)
            moved = True
        elif widow or orphan:
            for row, _ in rows:  # a break moved in an earlier pass gives way to this one
                if row.get("style") == _PAGE_BREAK:
                    del row.attrib["style"]
            _lead_in(table, parents).set("style", _PAGE_BREAK)
            moved = True
    return moved


def _lead_in(table: Any, parents: dict[Any, Any]) -> Any:
    """The element a table should move with: the heading or question prompt just before it."""
    parent = parents.get(table)
    if parent is None:
        return table
    siblings = list(parent)
    index = siblings.index(table)
    before = siblings[index - 1] if index else None
    if before is not None and (
        before.tag in ("h2", "h3", "h4") or "question__prompt" in (before.get("class") or "")
    ):
        return before
    return table


def fetch_error() -> type[BaseException]:
    """What WeasyPrint raises when the fetcher refuses an address: a BaseException, which an
    ``except Exception`` lets through as a traceback."""
    try:
        from weasyprint.urls import FatalURLFetchingError
    except ImportError:  # an older WeasyPrint raises ordinary exceptions
        return Exception
    error: type[BaseException] = FatalURLFetchingError
    return error


def render_pdf(handout: Handout) -> bytes:
    """One handout as PDF bytes; HandoutError names the handout and the reason it failed."""
    weasyprint = _weasyprint()
    try:
        # fontTools stamps the fonts it subsets with the current time unless SOURCE_DATE_EPOCH is
        # set; the review date is the date the PDF's own metadata carries too.
        with build_date(handout.reviewed, keep_callers=False):
            html = weasyprint.HTML(
                string=handout.html, base_url=base_url(handout), url_fetcher=_fetcher(handout)
            )
            document = html.render()
            for _ in range(_BREAK_PASSES):
                if not _lonely_rows_moved(document, html.etree_element):
                    break
                document = html.render()
            data: bytes = document.write_pdf()
        # What fontconfig matched per style: a substitute here means a font file is missing.
        used = {font.family for font in document.fonts.values()} - set(FONT_FAMILIES)
        if used:
            raise HandoutError(
                f"handout '{handout.filename}' could not be rendered: it would print in "
                f"{', '.join(sorted(used))} instead of DejaVu Sans; {FONT_HINT}"
            )
    except HandoutError:
        raise
    except (Exception, fetch_error()) as exc:  # WeasyPrint raises many kinds; each is named
        reason = f"{exc} ({exc.__cause__})" if exc.__cause__ else str(exc)
        raise HandoutError(f"handout '{handout.filename}' could not be rendered: {reason}") from exc
    return data


def write_pdf(handout: Handout, path: Path) -> None:
    """Render one handout to ``path``."""
    data = render_pdf(handout)
    _atomic_write(path, _bytes_writer(data))


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        temp.write_bytes(data)

    return write


def _text_writer(text: str) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    return write


def publish_handouts(
    course: Course, site_dir: Path, fingerprint: str, pdf: bool = True, trainer: bool = False
) -> list[Path]:
    """Write every module's handouts as HTML (for browser printing) and, if asked, as PDF.

    ``fingerprint`` (generator.source.fingerprint) is printed on every page. The trainer
    edition, which holds the answers, only with ``trainer``: a site publishes it only when its
    author opts in.
    Nothing is written until every handout has rendered.
    """
    rendered: list[tuple[addresses.Address, addresses.Address, Handout, bytes | None]] = []
    if pdf and course.modules:
        _weasyprint()
        missing = missing_fonts()
        if missing:
            first = render_handouts(course, course.modules[0], fingerprint)[0].filename
            fonts = " and ".join(missing)
            raise HandoutError(
                f"handout '{first}' could not be rendered: font{'s' if len(missing) > 1 else ''} "
                f"{fonts} not installed; {FONT_HINT}"
            )
    for module in course.modules:
        for handout in render_handouts(course, module, fingerprint):
            if handout.trainer and not trainer:
                continue
            address = partial(addresses.handout, module.slug, handout.name, handout.paper)
            data = render_pdf(handout) if pdf else None
            rendered.append((address("html"), address("pdf"), handout, data))
    written: list[Path] = []
    stylesheet = handout_stylesheet()
    for module in course.modules:
        css_path = target(site_dir, addresses.handout_stylesheet(module.slug, STYLESHEET).dest)
        _atomic_write(css_path, _text_writer(stylesheet))
        written.append(css_path)
    for html, pdf_address, handout, data in rendered:
        html_path = target(site_dir, html.dest)
        _atomic_write(html_path, _text_writer(handout.html))
        written.append(html_path)
        if data is not None:
            pdf_path = target(site_dir, pdf_address.dest)
            _atomic_write(pdf_path, _bytes_writer(data))
            written.append(pdf_path)
    return written
