"""Languages: which ones Coursesmith speaks, their codes and names, and the marker of interface
messages written in Python.

The one owner of language codes, below loading and the model: ``generator.load`` checks a
course's ``languages`` here and ``generator.model.components`` marks its titles for translation with
``N_``. The interface catalogues (gettext ``.po`` files under ``site_templates/locale/``) and the
functions that translate a message for a course's ``language`` are rendering's, in
``generator.i18n``; content translations (``*.de.md`` beside a lesson) are read by
``generator.load``.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

# Languages whose interface catalogues ship with Coursesmith, English first (the msgids).
SHIPPED: tuple[str, ...] = ("en", "de", "fr", "es")
SOURCE_LANGUAGE = "en"

# Each language's name in itself, as a language switcher shows it.
NATIVE_NAMES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}


def is_language_code(code: str) -> bool:
    """Whether ``code`` is a language code Babel knows (``de``, ``pt_BR``, ``pt-BR``)."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def language_problem(code: str) -> str | None:
    """Why ``code`` cannot be a course language, as a diagnostic's message, or None if it can."""
    if not is_language_code(code):
        return f"unknown language code '{code}', expected an ISO 639-1 code such as " + ", ".join(
            SHIPPED
        )
    if code not in SHIPPED:
        return f"no interface catalogue for language '{code}', expected one of " + ", ".join(
            SHIPPED
        )
    return None


def language_name(code: str, in_language: str = SOURCE_LANGUAGE) -> str:
    """The name of language ``code`` in language ``in_language``: ``German`` for messages to
    authors (English), ``Englisch`` for a German reader; the code itself if Babel has none."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError, LookupError):
        return code
    return name or code


def native_name(code: str) -> str:
    """The language's name in itself (``Deutsch``), for switchers and notes."""
    return NATIVE_NAMES.get(code) or language_name(code, code)


# Markers for interface messages written in Python and translated later, where the language is
# known: ``make catalogues`` extracts the texts they wrap into ``coursesmith.pot``.


def N_(msgid: str) -> str:
    """Marks a message for extraction; returns the text itself."""
    return msgid


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message that depends on a count for extraction; returns both forms."""
    return singular, plural
