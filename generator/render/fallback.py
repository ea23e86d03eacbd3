"""Pages of a translated course that show a file still untranslated: the reader is told, in their
language, that the page is in the source language, and the page's text is marked as being in that
language so screen readers and browsers pronounce and hyphenate it right.

The theme override (``overrides/main.html``) reads the mark from the page's front matter
(``cs_fallback``): the note goes above the page, the page's text into an element with the source
language's ``lang``.
"""

from __future__ import annotations

from generator.model import Course

# The note until the interface catalogues hold it (generator/i18n), by reader's language.
_NOTES = {
    "de": "Diese Seite ist noch nicht auf Deutsch verfügbar und wird auf Englisch angezeigt.",
}
_DEFAULT = "This page is not yet available in this language and is shown in English."


def fallback_note(course: Course) -> str:
    """The note on an untranslated page, in the reader's language (``course.language``)."""
    return _NOTES.get(course.language, _DEFAULT)


def fallback_meta(course: Course, *paths: str) -> dict[str, object]:
    """Front matter marking a page built from any untranslated file among ``paths`` (as in
    ``Loc.path``); empty for a page fully in ``course.language``."""
    if not any(course.is_fallback(path) for path in paths):
        return {}
    return {"cs_fallback": {"lang": course.source_language, "note": fallback_note(course)}}
