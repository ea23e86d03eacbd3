"""Pages a staged MkDocs build reads as they come rather than from disk.

The build pipeline leaves the pages out of the staged input when the handout process renders them
(``HandoutJob.page``); the staged-build hooks then list each of them as a ``StreamedFile``, whose
text MkDocs asks for when it reads that page, in the site's order. Such a file is an ordinary
source file in every other way (its address, its edit link), so the site is the same to the byte
as one built from pages on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mkdocs.structure.files import File

# The running build's source of page texts (by path under the docs folder), or None.
current: Callable[[str], str] | None = None


@contextmanager
def reading_from(pages: Callable[[str], str] | None) -> Iterator[None]:
    """While the block runs, the staged build's hooks take missing pages from ``pages``."""
    global current
    before, current = current, pages
    try:
        yield
    finally:
        current = before


class StreamedFile(File):
    """A page whose text comes from ``pages`` when MkDocs reads it."""

    def __init__(
        self,
        path: str,
        src_dir: str,
        dest_dir: str,
        use_directory_urls: bool,
        pages: Callable[[str], str],
    ) -> None:
        super().__init__(path, src_dir, dest_dir, use_directory_urls)
        self._pages = pages

    @property
    def content_string(self) -> str:
        if self._content is not None:
            return super().content_string
        return self._pages(self.src_uri)

    @content_string.setter
    def content_string(self, value: str) -> None:
        File.content_string.fset(self, value)  # type: ignore[attr-defined]

    @property
    def content_bytes(self) -> bytes:
        if self._content is not None:
            return super().content_bytes
        return self._pages(self.src_uri).encode("utf-8")

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        File.content_bytes.fset(self, value)  # type: ignore[attr-defined]


def streamed(
    paths: list[str], found: Callable[[str], object], src_dir: str, dest_dir: str, urls: bool
) -> list[File]:
    """A StreamedFile for each of ``paths`` that ``found`` does not know, when a build is
    reading from a source (``reading_from``); none otherwise."""
    pages = current
    if pages is None:
        return []
    return [
        StreamedFile(path, src_dir, dest_dir, urls, pages) for path in paths if found(path) is None
    ]
