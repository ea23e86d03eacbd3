"""Handouts to PDF with WeasyPrint, written atomically into a built site."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from generator import addresses
from generator.model import Course
from generator.render.disk import target
from generator.render.handouts import Handout, render_handouts

# Shared libraries WeasyPrint loads at import, and the Debian package that ships each.
DEBIAN_PACKAGES = (
    ("pangoft2", "libpangoft2-1.0-0"),
    ("pango", "libpango-1.0-0"),
    ("harfbuzz", "libharfbuzz0b"),
    ("fontconfig", "libfontconfig1"),
    ("gobject", "libglib2.0-0"),
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


def _weasyprint() -> object:
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
        os.chmod(temp, 0o644)  # mkstemp makes 0600; a published site is world-readable
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def write_pdf(handout: Handout, path: Path) -> None:
    """Render one handout to ``path``."""
    weasyprint = _weasyprint()
    try:
        document = weasyprint.HTML(string=handout.html).render()  # type: ignore[attr-defined]
        _atomic_write(path, lambda temp: document.write_pdf(str(temp)))
    except HandoutError:
        raise
    except Exception as exc:  # WeasyPrint raises many kinds; each becomes a named failure
        raise HandoutError(f"handout '{handout.filename}' could not be rendered: {exc}") from exc


def _text_writer(text: str) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    return write


def publish_handouts(course: Course, site_dir: Path, pdf: bool = True) -> list[Path]:
    """Write every module's handouts as HTML (for browser printing) and, if asked, as PDF."""
    written: list[Path] = []
    for module in course.modules:
        for handout in render_handouts(course, module):
            address = partial(addresses.handout, module.slug, handout.name, handout.paper)
            html_path = target(site_dir, address("html").dest)
            _atomic_write(html_path, _text_writer(handout.html))
            written.append(html_path)
            if pdf:
                pdf_path = target(site_dir, address("pdf").dest)
                write_pdf(handout, pdf_path)
                written.append(pdf_path)
    return written
