"""The images of a lesson body: each address resolved to a file of the project, or reported.

An image is written ``![alt](path)``, the path relative to the lesson file as any Markdown
editor previews it (``diagram.png`` beside the lesson, ``../images/flow.png`` in the module's
``images/`` folder), or starting with ``/`` for a file of the project's ``docs/`` folder
(``/img/logo.png`` is ``docs/img/logo.png``). The file must be in a module's ``lessons/`` or
``images/`` folder or in ``docs/``; ``addresses.image`` says where the outputs hold it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from generator.model import Image, Loc, addresses
from generator.source.diagnostics import Diagnostics
from generator.source.dialect import ImageAt
from generator.source.layout import IMAGES, LESSONS
from generator.source.limits import MAX_IMAGE_BYTES, too_large

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
SUFFIXES = ", ".join(addresses.IMAGE_SUFFIXES[:-1]) + " or " + addresses.IMAGE_SUFFIXES[-1]
PLACES = f"a module's {LESSONS}/ or {IMAGES}/ folder or docs/"


class ImageResolver:
    """Resolves the images of the lessons of one course folder, reporting every problem."""

    def __init__(self, root: Path, diags: Diagnostics) -> None:
        self.root = root.resolve()
        self.diags = diags

    def __call__(self, found: ImageAt, rel: str, line: int) -> Image | None:
        """The image ``found`` in line ``line`` of the lesson ``rel``, or None (reported)."""
        at = Loc(rel, line, found.start + 1)
        url_at = Loc(rel, line, found.url_start + 1)
        if found.reference:
            self.diags.error(
                at, "reference-style image ![alt][label], expected an inline image ![alt](path)"
            )
            return None
        url = found.url
        if not self._is_path(url, url_at):
            return None
        path = unquote(url.split("#")[0].split("?")[0])
        base = self.root / addresses.DOCS if path.startswith("/") else (self.root / rel).parent
        source = self._inside(base / path.lstrip("/"))
        address = addresses.image(source) if source is not None else None
        if source is None or address is None:
            self.diags.error(
                url_at, f"image '{url}' is outside the project's image folders, expected {PLACES}"
            )
            return None
        file = self.root / source
        if not file.is_file():
            self.diags.error(url_at, f"image file '{url}' not found, expected {source}")
            return None
        if file.suffix.lower() not in addresses.IMAGE_SUFFIXES:
            self.diags.error(url_at, f"'{url}' is not an image file, expected {SUFFIXES}")
            return None
        if too_large(file, url_at, self.diags, MAX_IMAGE_BYTES, f"image '{url}'"):
            return None
        if not found.alt.strip():
            self.diags.warning(
                at,
                f"image '{url}' has no alt text, expected a short description of what it shows",
                f"![what it shows]({url})",
            )
        return Image(url, found.alt, source, address.dest, str(file), url_at)

    def _is_path(self, url: str, at: Loc) -> bool:
        """Whether ``url`` is a path (reported when it is empty, another host or a scheme)."""
        plain = _CONTROL.sub("", url)
        scheme = _SCHEME.match(plain)
        if not plain:
            self.diags.error(at, "image without an address, expected ![alt](path)")
        elif plain.startswith("//") or (scheme and scheme.group(1).lower() in ("http", "https")):
            self.diags.error(
                at,
                f"image '{url}' is on another host, expected a file of the project: the site "
                "makes no request to another host",
                "save the image in the module's images/ folder and give its path",
            )
        elif scheme:
            self.diags.error(
                at, f"image address '{url}' is not a file, expected a path to an image file"
            )
        else:
            return True
        return False

    def _inside(self, path: Path) -> str | None:
        """``path`` relative to the project, links followed, or None when it leads outside."""
        try:
            resolved = path.resolve()
            return resolved.relative_to(self.root).as_posix()
        except (OSError, RuntimeError, ValueError):
            return None
