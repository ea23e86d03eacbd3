"""Lesson bodies for the site: raw HTML escaped, citations linked to the sources page and the
first use of each glossary term linked to the glossary, with its definition as a tooltip."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from generator.i18n.catalogues import tr
from generator.model import Course, GlossaryTerm, Image, Lesson, Source, addresses
from generator.render.markup import escape_raw_html, plain
from generator.source import dialect
from generator.source.dialect import LineKind

# Spans where a term must not be linked: code, links and images, autolinks, citations. None
# crosses a line break, so a run of lines is handled exactly as each line on its own would be.
# Each starts with one of five characters; the lookahead skips every other position at once.
_PROTECTED = re.compile(
    r"(?=[`!\[<&])(?:"
    + dialect.CODE_SPAN_PATTERN
    + r"|!?\[[^\]\n]*\]\([^)\n]*\)|!?\[[^\]\n]*\]\[[^\]\n]*\]"
    r"|<[^>\n]+>|\[@[^\]\n]*\]|&[a-z]+;)"
)
# The characters a protected span starts with, found at C speed before _PROTECTED is tried there.
_PROTECTED_START = re.compile(r"[`!\[<&]")


def cite_label(source: Source) -> str:
    """Author–year label: 'Doe, 2020', 'Doe & Roe, 2020', 'Doe et al., 2020'."""
    names = [a for a in source.authors if a not in ("...", "…")]
    surnames = [a.split(",")[0].strip() for a in names]
    if len(surnames) == 1:
        who = surnames[0]
    elif len(surnames) == 2:
        who = f"{surnames[0]} & {surnames[1]}"
    else:
        who = f"{surnames[0]} et al."
    return f"{who}, {source.year}"


def apa_authors(authors: tuple[str, ...]) -> str:
    """Authors as APA lists them: 'A, B, & C', keeping an elision: 'A, B, ... & Z'."""
    if len(authors) == 1:
        return authors[0]
    if len(authors) > 2 and authors[-2] in ("...", "…"):
        return ", ".join(authors[:-2]) + f", {authors[-2]} & {authors[-1]}"
    return ", ".join(authors[:-1]) + f", & {authors[-1]}"


def link_citations(text: str, course: Course, sources_href: str) -> str:
    """Turn [@key] into a linked author–year citation, and [@a; @b] into one pair of
    parentheses holding each source's, joined by '; '."""

    def replace(keys: tuple[str, ...]) -> str | None:
        sources = [course.source(key) for key in keys]
        links = [
            f"[{_md_escape(cite_label(source))}]({sources_href}#{source.key})"
            for source in sources
            if source is not None
        ]
        if len(links) < len(keys):  # reported by the checks; keep the text visible
            return None
        return f"({'; '.join(links)})"

    return dialect.replace_citations(text, replace)


class _Glossary:
    """What linking needs from a glossary, made once per course rather than once per lesson."""

    def __init__(self, terms: tuple[GlossaryTerm, ...]) -> None:
        self.by_text: dict[str, GlossaryTerm] = {}
        for term in terms:
            for spelling in (term.term, *term.aliases, *term.related):
                self.by_text.setdefault(spelling.casefold(), term)
        spellings = sorted(self.by_text, key=len, reverse=True)
        if all(spelling.isascii() and spelling for spelling in spellings):
            alternatives = _prefix_tree(spellings)
        else:
            alternatives = "|".join(re.escape(t) for t in spellings)
        # Most positions start no spelling: a class of first letters rejects them before the
        # alternatives are tried one by one (under the same case folding, so it rejects nothing
        # a spelling would match).
        first = "".join(sorted({spelling[0] for spelling in self.by_text if spelling}))
        starts = f"(?=[{re.escape(first)}])" if first and all(self.by_text) else ""
        pattern = rf"(?<![\w-]){starts}(?:{alternatives})(?![\w-])"
        self.pattern = re.compile(pattern, re.IGNORECASE)
        # For ASCII spellings in ASCII text, matching without case is matching the lowercased
        # text (no ASCII letter folds to another character, and lowercasing keeps every offset
        # and every word character), which runs without re.IGNORECASE's per-character folding.
        ascii_only = all(spelling.isascii() and spelling for spelling in spellings)
        self.lowered = re.compile(pattern) if ascii_only and spellings else None
        self.tips = {term.id: _tip(term.definition) for term in self.by_text.values()}
        # A spelling with a line break could match across lines: then lines go one at a time.
        self.line_by_line = any("\n" in spelling for spelling in self.by_text)


def _tip(definition: str) -> str:
    """A definition as its link's Markdown title. The title attribute is the tooltip, which
    Material's tooltips (content.tooltips) put into the page with innerHTML, so its value must
    be the definition's text HTML-escaped; Python-Markdown keeps entities in a title as they are
    written, so the text is escaped twice here: once for the attribute, once for innerHTML."""
    text = plain(definition).replace('"', "'")
    return html.escape(html.escape(text, quote=False), quote=False)


def _prefix_tree(spellings: list[str]) -> str:
    """The spellings as one regex alternation sharing their common prefixes.

    It matches what the longest-first alternation of the spellings matches: under case folding
    no two casefolded ASCII characters match the same character, so at most one branch goes on
    at each step, and the greedy ``?`` tries the longer spellings before the shorter ones. Each
    character is then compared once instead of once per spelling.
    """
    tree: dict[str, dict[str, Any]] = {}
    for spelling in spellings:
        node = tree
        for character in spelling:
            node = node.setdefault(character, {})
        node[""] = {}

    def pattern(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        joined = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return joined
        return ("(?:" + joined + ")" if len(branches) == 1 else joined) + "?"

    return pattern(tree)


@functools.lru_cache(maxsize=8)
def _glossary(terms: tuple[GlossaryTerm, ...]) -> _Glossary:
    return _Glossary(terms)


def link_terms(text: str, terms: Iterable[GlossaryTerm], glossary_href: str) -> str:
    """Link the first use of each term (or alias) in running text, outside code and headings."""
    glossary = _glossary(tuple(terms))
    if not glossary.by_text:
        return text
    linked: set[str] = set()

    def replace(found: str) -> str:
        # The pattern ignores case as the regex engine folds it, which matches some text whose
        # casefold is no spelling (a dotted capital İ for an i): such text stays as it is.
        term = glossary.by_text.get(found.casefold())
        if term is None or term.id in linked:
            return found
        linked.add(term.id)
        tip = glossary.tips[term.id]
        return f'[{found}]({glossary_href}#{term.id} "{tip}"){{ .cs-term }}'

    def link(gap: str) -> str:
        if glossary.lowered is not None and gap.isascii():
            return _sub_lowered(glossary.lowered, gap, replace)
        return glossary.pattern.sub(lambda match: replace(match.group(0)), gap)

    out: list[str] = []
    prose: list[str] = []  # consecutive lines outside fences and headings, linked in one pass

    def flush() -> None:
        if prose:
            out.append(_outside_protected("\n".join(prose), link))
            prose.clear()

    for line, kind in dialect.line_kinds(text.split("\n")):
        if kind is not LineKind.PROSE or dialect.heading_level(line):
            flush()
            out.append(line)
            continue
        prose.append(line)
        if glossary.line_by_line:
            flush()
    flush()
    return "\n".join(out)


def _sub_lowered(pattern: re.Pattern[str], text: str, replace: Callable[[str], str]) -> str:
    """``text`` with each match of ``pattern`` in its lowercased copy replaced by ``replace``
    of the text found there (as written)."""
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text.lower()):
        start, end = match.span()
        pieces += [text[position:start], replace(text[start:end])]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _outside_protected(line: str, transform: Callable[[str], str]) -> str:
    pieces: list[str] = []
    position = 0
    for match in _protected_spans(line):
        pieces.append(transform(line[position : match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(transform(line[position:]))
    return "".join(pieces)


def _protected_spans(text: str) -> Iterator[re.Match[str]]:
    """What ``_PROTECTED.finditer(text)`` finds: a span starts only where one of its first
    characters is, so only there is the pattern tried, after the last span found."""
    position = 0
    for start in _PROTECTED_START.finditer(text):
        if start.start() >= position:
            match = _PROTECTED.match(text, start.start())
            if match is not None:
                yield match
                position = match.end()


def _md_escape(text: str) -> str:
    """Author text placed into lesson Markdown by us: no HTML, no Markdown syntax."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]{}])", r"\\\1", text)


def image_links(images: Iterable[Image], folder: str) -> dict[str, str]:
    """Each image's address as written, to its address in the outputs relative to ``folder``
    (the folder of the page or handout that shows it, as in ``addresses``)."""
    return {
        image.written: quote(addresses.relative_path(image.dest, folder or "."), safe="/")
        for image in images
    }


def relink_images(body: str, links: Mapping[str, str]) -> str:
    """A lesson body with each image's address replaced by its address in the outputs."""
    return dialect.replace_images(body, links.get) if links else body


def text_language(course: Course, lesson: Lesson) -> str:
    """The language a lesson's text is in: the course's, or its source language where the
    lesson is shown untranslated."""
    return course.source_language if course.is_fallback(lesson.path) else course.language


def titled_admonitions(text: str, language: str) -> str:
    """The text with each admonition the author left untitled (``!!! warning``) titled in
    ``language`` ("Warnung"); where that is the title Python-Markdown gives it anyway (the type
    capitalised, as in English) the line stays as written. An author's title stays."""

    def title(kind: str) -> str | None:
        default = dialect.ADMONITION_TITLES.get(kind)
        if default is None:
            return None
        translated = tr(language, default)
        return None if translated == kind.capitalize() else translated

    return dialect.title_admonitions(text, title)


def lesson_body(
    lesson: Lesson,
    course: Course,
    glossary_href: str,
    sources_href: str,
    images: Mapping[str, str] | None = None,
) -> str:
    """The Markdown of a lesson body as the site shows it; ``images`` (from ``image_links``)
    leads each image to its file in the site; untitled admonitions are titled in the language
    of the lesson's text."""
    safe = escape_raw_html(relink_images(lesson.body, images or {}))
    linked = link_citations(link_terms(safe, course.glossary, glossary_href), course, sources_href)
    return titled_admonitions(linked, text_language(course, lesson))
