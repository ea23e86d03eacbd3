"""Author text to safe markup: inline and block Markdown for YAML fields, and the escaping of
raw HTML in lesson bodies. Author text never becomes HTML tags or script."""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.source import dialect
from generator.source.dialect import LineKind

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>")


def is_safe_url(url: str) -> bool:
    """Relative addresses and http, https and mailto links are safe; every other scheme is not."""
    plain = _CONTROL.sub("", html.unescape(url))
    match = _SCHEME.match(plain)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


def is_local_url(url: str) -> bool:
    """Whether ``url`` is a relative address, which a browser fetches from the same site."""
    plain = _CONTROL.sub("", html.unescape(url))
    return _SCHEME.match(plain) is None and not plain.startswith(("//", "\\"))


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "cite")


class _SafeLinks(Treeprocessor):
    """Runs last: neutralises what author Markdown can still produce after raw HTML is escaped,
    namely links with unsafe schemes and, through attr_list, event-handler or style attributes."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "img" and not is_local_url(element.get("src", "")):
                # `check` reports such an image; whatever slips by never loads from elsewhere.
                element.attrib.pop("src", None)
                element.set("data-unsafe-link", "removed")
            for attribute in list(element.keys()):
                name = attribute.lower()
                if name.startswith("on") or name in ("style", "srcdoc"):
                    del element.attrib[attribute]
                elif name in URL_ATTRIBUTES and not is_safe_url(element.get(attribute, "")):
                    element.set(attribute, "#")
                    element.set("data-unsafe-link", "removed")


class SafeLinksExtension(Extension):
    """Python-Markdown extension: links and images with unsafe schemes point nowhere."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SafeLinks(md), "coursesmith_safe_links", 0)


def makeExtension(**kwargs: object) -> SafeLinksExtension:
    return SafeLinksExtension(**kwargs)


# The name under which an engine loads SafeLinksExtension into its own Markdown converter
# (``markdown_extensions`` in the engine's configuration): this module, by its import path.
SAFE_LINKS = __name__


def escape_raw_html(text: str) -> str:
    """Escape '<' outside code so raw HTML in author Markdown shows as text, never as tags.

    Autolinks such as <https://example.org> are kept.
    """
    if "<" not in text:  # the only character this changes; most lesson bodies have none
        return text
    return "\n".join(
        _escape_outside(line) if kind is LineKind.PROSE else line
        for line, kind in dialect.line_kinds(text.split("\n"))
    )


def _escape_outside(line: str) -> str:
    if "<" not in line:
        return line
    keep = dialect.code_spans(line)
    keep += [m.span() for m in _AUTOLINK.finditer(line)]
    keep.sort()
    pieces: list[str] = []
    position = 0
    for start, end in keep:
        if start < position:
            continue
        pieces.append(line[position:start].replace("<", "&lt;"))
        pieces.append(line[start:end])
        position = end
    pieces.append(line[position:].replace("<", "&lt;"))
    return "".join(pieces)


def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["sane_lists", "smarty", SafeLinksExtension()], output_format="html"
    )


_MD = _converter()

# Most author strings are one plain sentence. Text made only of these characters, starting with a
# letter and ending without a space, is one paragraph that the converter leaves as it is: none of
# them opens Markdown syntax where it can stand here, HTML escaping changes none of them, and
# smarty's only change is an apostrophe between letters, which becomes a right single quote.
# tests/test_markup_fast_path.py holds this against the real converter over a wide alphabet.
_PLAIN_SENTENCE = re.compile(
    r"[A-Za-z](?:[A-Za-z0-9 ,;:?!()/]|\.(?!\.)|-(?!-)|(?<=[A-Za-z])'(?=[A-Za-z]))*(?<! )"
)


# smarty turns "..." into English double quotes; a language with marks of its own gets them.
# (Single quotes stay: smarty writes an apostrophe as the same right single quote.)
_DOUBLE_QUOTES = {
    "de": ("&bdquo;", "&ldquo;"),
    "fr": ("&laquo;&#8239;", "&#8239;&raquo;"),
    "es": ("&laquo;", "&raquo;"),
}


def localised_quotes(html_text: Markup, language: str) -> Markup:
    """HTML from our converter with its typographic double quotes as ``language`` writes them
    (German „…“, French « … », Spanish «…»); the author's own quote characters are kept."""
    marks = _DOUBLE_QUOTES.get(language.split("-")[0])
    if marks is None or "&ldquo;" not in html_text:
        return html_text
    opening, closing = marks
    text = str(html_text).replace("&ldquo;", "\0").replace("&rdquo;", closing)
    return Markup(text.replace("\0", opening))


# The same text is converted for the site page and again for each paper size of each handout;
# the conversion is a pure function of the text, so it is remembered (bounded, for `serve`).
@functools.lru_cache(maxsize=65_536)
def block(text: str, language: str = "en") -> Markup:
    """Block Markdown (paragraphs, lists) from author text, as safe HTML, its quotation marks
    those of ``language``."""
    if _PLAIN_SENTENCE.fullmatch(text):
        return Markup("<p>" + text.replace("'", "&rsquo;") + "</p>")
    return localised_quotes(converted_block(text), language)


def converted_block(text: str) -> Markup:
    """``block`` through the Markdown converter alone, without the plain-sentence shortcut."""
    _MD.reset()
    return Markup(_MD.convert(escape_raw_html(text)))


class _OpenDetails(Treeprocessor):
    """Every collapsible block (``??? tip``) open: on paper there is nothing to click."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("details"):
            element.set("open", "open")


class _OpenDetailsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_OpenDetails(md), "coursesmith_open_details", 0)


# Lesson bodies in print use the site's block syntax (tables, definition lists, admonitions,
# fenced code, attribute lists), so a table in a lesson prints as a table, not as pipes.
_LESSON_MD = markdown.Markdown(
    extensions=[
        "attr_list",
        "tables",
        "def_list",
        "admonition",
        "sane_lists",
        "smarty",
        "pymdownx.details",
        "pymdownx.superfences",
        SafeLinksExtension(),
        _OpenDetailsExtension(),
    ],
    output_format="html",
)


@functools.lru_cache(maxsize=4_096)
def lesson_block(text: str, language: str = "en") -> Markup:
    """A lesson body (Markdown with the site's block syntax) as safe HTML, for print."""
    _LESSON_MD.reset()
    return localised_quotes(Markup(_LESSON_MD.convert(escape_raw_html(text))), language)


# Inline text (a choice, a title, a feedback line) is one paragraph whatever it starts with: its
# converter knows no block syntax, so "# 1 priority", "1990. A year", "- none", "+ 5" or "> 3"
# stay the words the author typed, in the site and in every export, instead of becoming a
# heading, a list or a quotation that a client shows without its first characters.
_BLOCK_SYNTAX = ("indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote")
_INLINE_MD = _converter()
for _name in (*_BLOCK_SYNTAX, "reference"):
    _INLINE_MD.parser.blockprocessors.deregister(_name)


@functools.lru_cache(maxsize=65_536)
def inline(text: str, language: str = "en") -> Markup:
    """Inline Markdown (emphasis, code, links) from author text, as safe HTML without <p>, its
    quotation marks those of ``language``."""
    line = text.replace("\n", " ")
    if _PLAIN_SENTENCE.fullmatch(line):
        return Markup(line.replace("'", "&rsquo;"))
    return localised_quotes(converted_inline(line), language)


def converted_inline(text: str) -> Markup:
    """``inline`` through its converter alone, without the plain-sentence shortcut."""
    _INLINE_MD.reset()
    rendered = _INLINE_MD.convert(escape_raw_html(text.replace("\n", " ")))
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return Markup(rendered)


def plain(text: str) -> str:
    """Author inline Markdown as plain text, for titles and tooltips."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(inline(text))))


# Elements that never have content or an end tag.
_VOID = frozenset({"area", "br", "col", "hr", "img", "wbr"})
# A node of ``nodes``: a text, or [tag, {attribute: value}, child nodes...].
Node = str | list[object]


class _Nodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list[Node] = []
        self._open: list[list[Node] | list[object]] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element: list[object] = [tag, {name: value or "" for name, value in attrs}]
        self._open[-1].append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].append([tag, {name: value or "" for name, value in attrs}])

    def handle_endtag(self, tag: str) -> None:
        if len(self._open) > 1 and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self._open[-1].append(data)


def nodes(markup: Markup) -> list[Node]:
    """Safe HTML (from ``block`` or ``inline``) as a tree of nodes, for scripts that build it
    with DOM calls (createElement, text nodes), never by parsing HTML: a text stays text."""
    parser = _Nodes()
    parser.feed(str(markup))
    parser.close()
    return parser.root
