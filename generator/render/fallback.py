"""Pages of a translated course that show a file still untranslated: the reader is told, in their
language, that the page is in the source language, and the page's text is marked as being in that
language so screen readers and browsers pronounce and hyphenate it right.

The theme override (``overrides/main.html``) reads the mark from the page's front matter
(``cs_fallback``): the note goes above the page, the page's text into an element with the source
language's ``lang``.
"""

from __future__ import annotations

from markupsafe import Markup

from generator.i18n.catalogues import tr
from generator.model import Course
from generator.render.environment import environment
from generator.source.languages import N_, language_name

NOTE = N_("This page is not yet available in %(language)s and is shown in %(source)s.")


def fallback_note(course: Course) -> str:
    """The note on an untranslated page, in the reader's language (``course.language``)."""
    reader = course.language
    template = tr(reader, NOTE)
    # A catalogue without the note gives the English sentence: the names in English then too.
    names_in = reader if template != NOTE else "en"
    return template % {
        "language": language_name(reader, names_in),
        "source": language_name(course.source_language, names_in),
    }


def fallback_meta(course: Course, *paths: str) -> dict[str, object]:
    """Front matter marking a page built from any untranslated file among ``paths`` (as in
    ``Loc.path``); empty for a page fully in ``course.language``."""
    if not any(course.is_fallback(path) for path in paths):
        return {}
    return {"cs_fallback": {"lang": course.source_language, "note": fallback_note(course)}}


def in_text(text: str, meta: dict[str, object]) -> str:
    """A page for an LMS package, which reads no front matter: an untranslated page's note and
    language mark (``fallback_meta``) as part of its text; the text unchanged otherwise."""
    mark = meta.get("cs_fallback")
    if not isinstance(mark, dict):
        return text
    return environment().get_template("pages/fallback.md.j2").render(text=Markup(text), **mark)
