"""Translation files for translators' own tools (CAT tools): ``translate export`` writes a
course's segments as XLIFF 2.0 or PO, ``translate import`` turns what comes back into the
course's translation files (``X.de.md`` / ``X.de.yml``).

- ``segments.py`` cuts a content file into segments, with stable ids and where each sits;
- ``inline.py`` protects inline Markdown as placeholders;
- ``bundle.py`` gathers what goes out (with existing translations, or only what is stale);
- ``xliff.py``, ``xliff12.py`` and ``po.py`` write and read the formats;
- ``apply.py`` checks a returned file whole and makes the translation files' text.

The adapter (``generator.adapters.translation_cli``) reads and writes the files on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.model import Course
from generator.translation_files import po, xliff, xliff12
from generator.translation_files.bundle import Bundle, export_bundle
from generator.translation_files.returned import ReadError, ReturnedDocument


@dataclass(frozen=True)
class TranslationFormat:
    """A translation-file format: its name among formats ("XLIFF 2.0") and what tells it apart
    from the others of its family (the command's help: ``xliff12 (1.2, for older tools)``)."""

    label: str
    note: str = ""


# Every translation-file format by name, in the order `coursesmith translate export --format`
# lists them, the first its default: the command's choices and help come from here.
FORMATS: dict[str, TranslationFormat] = {
    "xliff": TranslationFormat("XLIFF 2.0", "2.0"),
    "xliff12": TranslationFormat("XLIFF 1.2", "1.2, for older tools"),
    "po": TranslationFormat("PO"),
}
__all__ = [
    "FORMATS",
    "Bundle",
    "ReadError",
    "ReturnedDocument",
    "TranslationFormat",
    "export_text",
    "read_returned",
]


def export_text(
    root: Path,
    course: Course,
    lang: str,
    fmt: str = "xliff",
    module: str | None = None,
    stale_only: bool = False,
) -> tuple[str, Bundle]:
    """The export's text in ``fmt`` and what it holds."""
    bundle = export_bundle(root, course, lang, module, stale_only)
    if fmt == "po":
        text = po.write(bundle, course.title)
    else:
        text = xliff12.write(bundle) if fmt == "xliff12" else xliff.write(bundle)
    return text, bundle


def read_returned(name: str, data: bytes) -> ReturnedDocument:
    """A returned file, XLIFF or PO by its content; :class:`ReadError` when unreadable."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadError(
            line, f"not UTF-8 (byte 0x{data[error.start]:02x}), expected UTF-8"
        ) from None
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        return xliff.read(data)
    if name.endswith((".xlf", ".xliff")):
        raise ReadError(1, "not XML, expected an XLIFF 2.0 document")
    return po.read(data)
