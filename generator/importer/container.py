"""Looking at a Word or OpenDocument file before anything converts it: what it is (by its bytes,
not its name), and whether it is safe to open. A renamed picture, a truncated or damaged zip, a
password-protected document, a zip bomb and the old binary ``.doc`` are each refused with one line
that names the problem in words, never the file's bytes, before the converter sees the file.

The checks read the zip's central directory (declared sizes, the ratio of expanded to stored
bytes, the number of entries) and then expand every entry through a counter that stops at the
declared size, so a zip that lies about its sizes is stopped too, without holding more than one
chunk in memory.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

WordFormat = Literal["docx", "odt"]

# A Word document of a training module expands to a few megabytes, a hundred with many pictures.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_EXPANDED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200  # expanded bytes per stored byte, for entries over a megabyte
MAX_ENTRIES = 5000
_CHUNK = 1024 * 1024

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: .doc, or encrypted OOXML
_ODT_MIME = b"application/vnd.oasis.opendocument.text"
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF"),
    (b"{\\rtf", "an RTF document"),
    (b"<?xml", "an XML file"),
)
SUFFIXES = (".docx", ".odt", ".doc", ".docm", ".dotx", ".rtf")


class Refused(Exception):
    """The file cannot be imported; the message is one line, for the author."""


@dataclass(frozen=True)
class Container:
    """A checked document: its format and its zip entries' names."""

    format: WordFormat
    names: frozenset[str]


def is_word_file(path: Path) -> bool:
    """Whether ``path`` goes to the Word importer: by its name, or by its first bytes."""
    if path.suffix.lower() in SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    return head.startswith((b"PK\x03\x04", _CFB))


def inspect(path: Path) -> Container:
    """The document's format, or Refused with why it cannot be opened."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(
            f"the file is {size // 2**20} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
        )
    with path.open("rb") as handle:
        head = handle.read(64)
    if head.startswith(_CFB):
        raise Refused(_compound_file(path))
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise Refused(f"this is {what}, not a Word (.docx) or OpenDocument (.odt) document")
    if not head.startswith(b"PK"):
        raise Refused(
            "this is not a Word (.docx) or OpenDocument (.odt) document (it is not a zip file)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            return _checked(archive)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise Refused(
            "the file is damaged or truncated (its zip structure cannot be read: "
            f"{_words(str(exc))}); save it again from Word or LibreOffice"
        ) from exc


def _compound_file(path: Path) -> str:
    """The message for an OLE2 compound file: an encrypted OOXML package or a binary .doc."""
    # Directory entry names are UTF-16; an encrypted package holds EncryptionInfo and
    # EncryptedPackage streams. The directory sits anywhere in the file, so look through it.
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if marker in chunk:
                return (
                    "the document is password-protected; remove the password in Word "
                    "(File > Info > Protect Document) and save it again"
                )
    return (
        "this is an old binary Word document (.doc); open it in Word or LibreOffice and save "
        "it as .docx (Word Document), then import the .docx"
    )


def _checked(archive: zipfile.ZipFile) -> Container:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise Refused(f"the zip holds {len(entries)} entries, over the {MAX_ENTRIES} limit")
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_EXPANDED_BYTES:
        raise Refused(
            f"the file would expand to {declared // 2**20} MB, over the "
            f"{MAX_EXPANDED_BYTES // 2**20} MB limit (a zip bomb, or a document too large)"
        )
    for entry in entries:
        if entry.file_size > 2**20 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise Refused(
                f"the entry '{_words(entry.filename)}' expands {entry.file_size // 2**20} MB from "
                f"{entry.compress_size} bytes (a zip bomb); not opened"
            )
        if entry.flag_bits & 0x1:
            raise Refused("the document is encrypted; remove the password and save it again")
    for entry in entries:
        _expand(archive, entry)
    names = frozenset(archive.namelist())
    if "word/document.xml" in names:
        return Container("docx", names)
    mimetype = archive.read("mimetype")[:64] if "mimetype" in names else b""
    if "content.xml" in names and mimetype.startswith(_ODT_MIME):
        manifest = "META-INF/manifest.xml"
        if manifest in names and b"encryption-data" in archive.read(manifest):
            raise Refused("the document is password-protected; save it again without a password")
        return Container("odt", names)
    if mimetype.startswith(b"application/vnd.oasis"):
        raise Refused("this is an OpenDocument file but not a text document (.odt)")
    if "[Content_Types].xml" in names:
        raise Refused("this is an Office file but not a Word document (no word/document.xml)")
    raise Refused("this zip file is not a Word (.docx) or OpenDocument (.odt) document")


def _expand(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Read the entry through, stopping past its declared size; its CRC is checked at the end."""
    seen = 0
    with archive.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            if seen > entry.file_size:
                raise Refused(
                    f"the entry '{_words(entry.filename)}' expands past its declared size "
                    "(a zip bomb, or a damaged file); not opened"
                )


def _words(text: str) -> str:
    """Text safe to print: printable characters only, at most 80."""
    clean = "".join(c if c.isprintable() else "?" for c in text)
    return clean[:80]
