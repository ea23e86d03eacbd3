"""Where every output of a course lives: one owner of paths and URLs, like MkDocs' ``File``.

Every page, handout, download and export entry gets its ``Address`` here, and everything else
(page rendering, the templates, the PDF writer, the handout process, the offline export, the
engines) asks for it instead of building a path by hand. ``src`` is the file an engine reads from
its docs folder (pages are Markdown there), ``dest`` the file in the built site, ``url`` the
address a browser asks for, relative to the site root. Pure functions of names: no I/O, no engine.

A course in several languages has one section per language: the source language at the site
root, every further language in its own folder (``de/``) holding the same addresses again.
``section`` names that folder; ``in_section`` places an address inside it and
``section_root_link`` leads from one section's root to another's.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from typing import Protocol

from generator.source.layout import IMAGES, LESSONS, MODULES

HOME = "index.md"
GLOSSARY = "glossary.md"
SOURCES = "sources.md"
PROGRESS = "progress.md"
HANDOUTS = "handouts"
DOWNLOADS = "downloads"
# A download is linked as .txt so an engine copies it as a file instead of building a page from
# it, and lands as .md (``Address.dest``), the name a team edits it under.
DOWNLOAD_SRC_SUFFIX = ".txt"
DOWNLOAD_SUFFIX = ".md"


@dataclass(frozen=True)
class Address:
    """One output: the file an engine reads (``src``) and the file the site holds (``dest``)."""

    src: str
    dest: str

    @property
    def url(self) -> str:
        """The URL relative to the site root, with directory URLs (``m1/intro/``)."""
        return self.dest.removesuffix("index.html")

    @property
    def flat_dest(self) -> str:
        """The file without directory URLs (``m1/intro.html``), as the offline site and SCORM
        packages name pages."""
        return self.src.removesuffix(".md") + ".html" if self.src.endswith(".md") else self.dest

    def link_from(self, page: Address) -> str:
        """A relative link from ``page`` to this output, between source files as Markdown links
        are written (an engine turns it into the URL)."""
        return relative_path(self.src, posixpath.dirname(page.src) or ".")


@functools.lru_cache(maxsize=8192)
def relative_path(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` for two relative paths, without asking the working
    directory: both normalised, their common leading folders dropped, one ``..`` for each folder
    of ``start`` left. A path that climbs (``..``) or is absolute or empty is left to relpath."""
    parts = _parts(path)
    base = _parts(start)
    if parts is None or base is None:
        return posixpath.relpath(path, start)
    common = 0
    for mine, theirs in zip(parts, base, strict=False):
        if mine != theirs:
            break
        common += 1
    steps = [".."] * (len(base) - common) + parts[common:]
    return "/".join(steps) if steps else "."


def _parts(path: str) -> list[str] | None:
    """The folders and name of a relative path without ``..``, or None for any other path."""
    if not path or path.startswith("/"):
        return None
    normal = posixpath.normpath(path)
    if normal == ".":
        return []
    parts = normal.split("/")
    return None if ".." in parts else parts


def page(src: str) -> Address:
    """A generated page at ``src`` (``m1/intro.md``), built as ``m1/intro/index.html``."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return Address(src, stem + ".html")
    return Address(src, stem + "/index.html")


def home() -> Address:
    return page(HOME)


def glossary() -> Address:
    return page(GLOSSARY)


def sources() -> Address:
    return page(SOURCES)


def progress() -> Address:
    return page(PROGRESS)


def module_page(slug: str, name: str) -> Address:
    """A page of module ``slug``: its overview (``index``), a lesson id or a component page."""
    return page(f"{slug}/{name}.md")


def module_index(slug: str) -> Address:
    return module_page(slug, "index")


def handout_stem(name: str, paper: str) -> str:
    """The file name of a handout without its suffix (``checklist-a4``)."""
    return f"{name}-{paper}"


def handout_folder(slug: str) -> str:
    """The site folder that holds a module's handouts and nothing else."""
    return f"{slug}/{HANDOUTS}"


def handout(slug: str, name: str, paper: str, fmt: str) -> Address:
    """A handout of module ``slug`` as ``html`` (to print from the browser) or ``pdf``."""
    path = f"{handout_folder(slug)}/{handout_stem(name, paper)}.{fmt}"
    return Address(path, path)


def handout_stylesheet(slug: str, name: str = "handout.css") -> Address:
    """The stylesheet every HTML handout of module ``slug`` links, beside the handouts."""
    path = f"{handout_folder(slug)}/{name}"
    return Address(path, path)


def download(slug: str, name: str) -> Address:
    """A Markdown file of module ``slug`` offered for download, such as the role template."""
    stem = f"{slug}/{DOWNLOADS}/{name}"
    return Address(stem + DOWNLOAD_SRC_SUFFIX, stem + DOWNLOAD_SUFFIX)


def download_dest(src: str) -> str | None:
    """Where the download linked as ``src`` lands, or None if ``src`` is not a download."""
    folder, _, name = src.rpartition("/")
    if not folder.endswith(f"/{DOWNLOADS}") or not name.endswith(DOWNLOAD_SRC_SUFFIX):
        return None
    return src.removesuffix(DOWNLOAD_SRC_SUFFIX) + DOWNLOAD_SUFFIX


# Images a lesson may show, by file name suffix; where their files may be: a module's lessons/
# folder (beside the lessons) or images/ folder, or the project's docs/ folder.
IMAGE_SUFFIXES = (".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp")
MODULE_IMAGE_FOLDERS = (LESSONS, IMAGES)
DOCS = "docs"


def image(source: str) -> Address | None:
    """Where the image file ``source`` (project-relative) is in every output, or None when it is
    not in a folder images may come from.

    A module's image keeps its place in the module folder under the module's address
    (``content/modules/m1/images/flow.png`` is ``m1/images/flow.png``, one beside the lessons
    ``m1/lessons/flow.png``); a file of ``docs/`` keeps its place in ``docs/`` at the site root
    (``docs/img/logo.png`` is ``img/logo.png``), where the site's other files from ``docs/`` are.
    Lesson pages (``m1/<id>/``) and the module's own folders (``handouts/``, ``downloads/``)
    never hold a file of these names."""
    parts = source.split("/")
    if len(parts) >= 2 and parts[0] == DOCS:
        rest = "/".join(parts[1:])
        return Address(rest, rest)
    if len(parts) >= 5 and parts[:2] == MODULES.split("/") and parts[3] in MODULE_IMAGE_FOLDERS:
        rest = "/".join(parts[2:])
        return Address(rest, rest)
    return None


class Languages(Protocol):
    """What the sections need of a course: its languages, the source language first."""

    @property
    def languages(self) -> tuple[str, ...]: ...


def section(language: str, course: Languages) -> str:
    """The folder of ``language``'s section of the site: '' for the source language (the site
    root), ``de/`` for a further language."""
    return "" if language == course.languages[0] else f"{language}/"


def in_section(folder: str, address: Address) -> Address:
    """``address`` inside the section ``folder`` (from ``section``)."""
    return Address(folder + address.src, folder + address.dest)


def section_root_link(source: str, target: str) -> str:
    """A relative link from the root of section ``source`` to the root of section ``target``
    (both from ``section``): '' within one section, ``de/`` down, ``../`` up."""
    up = "../" * source.count("/")
    return up + target
