"""The interface catalogues: every string Coursesmith writes for a reader, in the course's language.

The messages live in gettext form under ``site_templates/locale/``: ``coursesmith.pot`` holds the
message ids (today's English strings) and ``<lang>.po`` one language's translations. They are
read with Babel when first needed and kept for the process; no compiled ``.mo`` file is shipped.
English is the identity (the message id is the text). A language without a catalogue, or a
message missing or empty in one, falls back to English: a page never shows a raw message id.
"""

from __future__ import annotations

import datetime as _dt
import gettext
import re
from collections.abc import Iterator, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from generator.i18n.script_strings import SCRIPT_PLURALS, SCRIPT_STRINGS, THEME_STRINGS
from generator.model import Loc
from generator.output.package_files import TEMPLATES
from generator.source.diagnostics import Diagnostic
from generator.source.languages import SOURCE_LANGUAGE

LOCALE = TEMPLATES / "locale"
DOMAIN = "coursesmith"
TEMPLATE = LOCALE / f"{DOMAIN}.pot"


def catalogue_path(language: str) -> Path:
    """Where the shipped catalogue of ``language`` is (it may not exist)."""
    return LOCALE / f"{language}.po"


def _usable(message: Message) -> bool:
    """A translated, non-fuzzy message: every plural form filled in."""
    if not message.id or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def _compiled(catalog: Catalog) -> Translations:
    """The catalogue's usable messages as gettext translations (compiled in memory)."""
    for message in list(catalog):
        if message.id and not _usable(message):
            del catalog[message.id]
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The interface translations of ``language``: identity for English and for a language
    without a usable catalogue."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language.replace("-", "_"), abort_invalid=True)
    except (PoFileError, UnknownLocaleError, ValueError, OSError):
        # A broken catalogue is reported by check_catalogue (and the tests of shipped ones);
        # the site then speaks English rather than showing message ids.
        return gettext.NullTranslations()
    return _compiled(catalog)


def tr(language: str, msgid: str, /, **params: object) -> str:
    """``msgid`` in ``language``, with ``%(name)s`` placeholders filled from ``params``."""
    text = translations(language).gettext(msgid)
    return text % params if params else text


def ntr(language: str, singular: str, plural: str, n: int, /, **params: object) -> str:
    """The singular or plural message for ``n`` in ``language``; ``%(num)s`` is ``n``."""
    text = translations(language).ngettext(singular, plural, n)
    return text % {"num": n, **params}


def format_date(date: _dt.date, language: str) -> str:
    """A date as readers of ``language`` write it in running text (ISO for English, as before)."""
    if language == SOURCE_LANGUAGE:
        return date.isoformat()
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return date.isoformat()
    return _babel_format_date(date, format="long", locale=locale)


def _sample_numbers(language: str) -> dict[str, int]:
    """One number per CLDR plural category of ``language`` (``one``: 1, ``other``: 0, ...)."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(SOURCE_LANGUAGE)
    samples: dict[str, int] = {}
    for n in (*range(0, 200), 1000, 1000000):
        samples.setdefault(locale.plural_form(n), n)
    return samples


@cache
def script_strings(language: str) -> Mapping[str, object]:
    """What the page scripts say, in ``language``: ``{key: text}``, and for a message that
    depends on a count ``{key: {CLDR category: text}}`` (the scripts pick with
    ``Intl.PluralRules``). Empty for English: the scripts carry the English themselves."""
    if language == SOURCE_LANGUAGE:
        return {}
    found = translations(language)
    out: dict[str, object] = {key: found.gettext(msgid) for key, msgid in SCRIPT_STRINGS.items()}
    samples = _sample_numbers(language)
    for key, (singular, plural) in SCRIPT_PLURALS.items():
        out[key] = {
            category: found.ngettext(singular, plural, n) for category, n in samples.items()
        }
    return out


def theme_strings(language: str) -> Mapping[str, str]:
    """What our theme overrides say, in ``language``; empty for English (the overrides' own)."""
    if language == SOURCE_LANGUAGE:
        return {}
    found = translations(language)
    return {key: found.gettext(msgid) for key, msgid in THEME_STRINGS.items()}


# Catalogue checks -------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w+\}")
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|\*\*|&\w+;")
# The count of a plural message, in templates and Python, and in the scripts.
COUNTS = ("%(num)s", "{num}")


def placeholders(text: str) -> list[str]:
    """The placeholders and markup of a message, sorted, as the translation must keep them."""
    return sorted(_PLACEHOLDER.findall(text) + _MARKUP.findall(text))


def _texts(value: object) -> tuple[str, ...]:
    """A message id or string as its forms (one, or one per plural form)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (tuple, list)):
        return tuple(str(form or "") for form in value)
    return ("",)


def _forms(message: Message) -> tuple[str, ...]:
    return _texts(message.string)


def _mismatch(message: Message) -> Iterator[str]:
    ids = _texts(message.id)
    expected = placeholders(ids[-1])
    for index, form in enumerate(_forms(message)):
        found = placeholders(form)
        # A singular form may say "one" instead of the count ("Eine Frage").
        for count in COUNTS:
            if len(ids) > 1 and count not in found and count in expected:
                found = sorted([*found, count])
        if found != expected:
            which = f" (plural form {index})" if len(ids) > 1 else ""
            yield (
                f"translation{which} of '{ids[0]}' has placeholders and markup "
                f"{found or 'none'}, expected {expected or 'none'} as in the message id"
            )


# One line of a catalogue: blank, a comment, a keyword with its string, or a string continued.
_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(
    rf"^\s*(?:$|#.*|(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+{_STRING}\s*$|{_STRING}\s*$)"
)


def _syntax(path: Path, text: str) -> list[Diagnostic]:
    """Lines that are no part of a gettext entry (Babel's reader lets some pass silently)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not _LINE.match(line):
            col = len(line) - len(line.lstrip()) + 1
            problems.append(
                Diagnostic(
                    Loc(path.as_posix(), number, col),
                    f"cannot read '{line.strip()[:40]}', expected a gettext catalogue entry "
                    "(a keyword such as msgid or msgstr and a string in double quotes, or a "
                    "comment)",
                )
            )
    return problems


def check_catalogue(path: Path, template: Path = TEMPLATE) -> list[Diagnostic]:
    """Problems of the catalogue at ``path`` against ``template``'s message ids: syntax errors,
    missing, empty or fuzzy entries, placeholders or markup that differ from the message id."""
    catalog = _read_catalogue(path)
    if not isinstance(catalog, Catalog):
        return catalog
    with template.open("rb") as handle:
        expected = read_po(handle)
    problems: list[Diagnostic] = []
    for wanted in expected:
        if not wanted.id:
            continue
        message = catalog.get(wanted.id)
        if message is None:
            problems.append(
                Diagnostic(
                    Loc(path.as_posix(), 1, 1),
                    f"no entry for message '{_first(wanted.id)}', expected a translation of "
                    f"every message of {template.name}",
                )
            )
        else:
            problems += _entry_problems(path, catalog, message, plural=isinstance(wanted.id, tuple))
    return problems


def _read_catalogue(path: Path) -> Catalog | list[Diagnostic]:
    """The catalogue at ``path``, or why it cannot be read (one problem, or its syntax errors)."""
    where = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Diagnostic(Loc(where, 1, 1), f"cannot read catalogue ({exc}), expected UTF-8 text")]
    broken = _syntax(path, text)
    if broken:
        return broken
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except PoFileError as exc:
        line = exc.lineno + 1
        reason = str(exc.args[0]).rsplit(" on ", 1)[0] if exc.args else "syntax error"
        return [
            Diagnostic(
                Loc(where, line, 1),
                f'{reason}, expected a gettext catalogue entry (msgid "..." / msgstr "...")',
            )
        ]
    except OSError as exc:
        return [Diagnostic(Loc(where, 1, 1), f"cannot read catalogue: {exc.strerror}")]
    except (ValueError, UnknownLocaleError) as exc:
        return [Diagnostic(Loc(where, 1, 1), f"{exc}, expected a valid gettext header")]


def _entry_problems(
    path: Path, catalog: Catalog, message: Message, plural: bool
) -> list[Diagnostic]:
    """What is wrong with one translated entry: empty (nothing else is said then), fuzzy, the
    wrong number of plural forms, placeholders or markup unlike the message id's."""
    loc = Loc(path.as_posix(), message.lineno or 1, 1)
    forms = _forms(message)
    if not all(forms):
        language = catalog.locale_identifier or path.stem
        return [
            Diagnostic(
                loc,
                f"empty translation of '{_first(message.id)}', expected the text in {language}",
            )
        ]
    problems = []
    if message.fuzzy:
        problems.append(
            Diagnostic(
                loc,
                f"fuzzy translation of '{_first(message.id)}', expected a reviewed one "
                "(remove the fuzzy flag)",
            )
        )
    if plural and len(forms) != catalog.num_plurals:
        problems.append(
            Diagnostic(
                loc,
                f"{len(forms)} plural forms for '{_first(message.id)}', expected "
                f"{catalog.num_plurals} as the Plural-Forms header says",
            )
        )
    return problems + [Diagnostic(loc, why) for why in _mismatch(message)]


def _first(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


__all__ = [
    "DOMAIN",
    "LOCALE",
    "TEMPLATE",
    "catalogue_path",
    "check_catalogue",
    "format_date",
    "ntr",
    "script_strings",
    "tr",
    "translations",
]
