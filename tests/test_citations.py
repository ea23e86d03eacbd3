"""Several sources cited in one bracket, ``[@a; @b]`` (Pandoc's form), in every output of the
rich course, whose schemas lesson cites two: one pair of parentheses holding each author–year
label, joined by '; ' as a single citation renders, on the site (both engines), in the HTML and
PDF handouts, in the SCORM pages, with each source listed once in the sources handout and the
citation kept whole for translators."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from generator.export import scorm
from generator.load import load_course
from generator.translation_files import inline

from .conftest import FIXTURES
from .test_handouts import pdf_text

RICH = FIXTURES / "rich"
SHOWN = "(Sculley & Holt, 2015; Kleppmann, 2017)"
KEYS = ["sculley2015", "kleppmann2017"]


class _Paragraph(HTMLParser):
    """The text and link addresses of the paragraph that holds ``start``."""

    def __init__(self, start: str) -> None:
        super().__init__()
        self.start, self.depth = start, 0
        self.parts: list[str] = []
        self.links: list[str] = []
        self.found = ""
        self.found_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.depth, self.parts, self.links = 1, [], []
        elif tag == "a" and self.depth:
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self.parts)
        if tag == "p" and self.depth and text.startswith(self.start) and not self.found:
            self.found, self.depth = " ".join(text.split()), 0
            self.found_links = list(self.links)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def paragraph(html: str) -> tuple[str, list[str]]:
    parser = _Paragraph("Every record")
    parser.feed(html)
    assert parser.found, "no paragraph of the schemas lesson"
    return parser.found, parser.found_links


def _cited(text: str, links: list[str], sources: str) -> None:
    assert text.endswith(f"the next stage {SHOWN}."), text
    assert [link for link in links if "#" in link and "glossary" not in link] == [
        f"{sources}#{key}" for key in KEYS
    ]
    assert "[@" not in text


def test_the_lesson_cites_each_key_of_the_bracket_where_it_stands() -> None:
    course = load_course(RICH).course
    assert course is not None
    lesson = next(x for m in course.modules for x in m.lessons if x.id == "schemas")
    assert [(c.key, c.loc.line, c.loc.col) for c in lesson.citations] == [
        ("sculley2015", 7, 69),
        ("kleppmann2017", 7, 84),
    ]


def test_the_site_links_each_source_in_one_pair_of_parentheses(rich_site: Path) -> None:
    text, links = paragraph((rich_site / "foundations/schemas/index.html").read_text("utf-8"))
    _cited(text, links, "../../sources/")


def test_the_handouts_print_one_pair_of_parentheses_and_list_each_source_once(
    rich_site: Path,
) -> None:
    handouts = rich_site / "foundations" / "handouts"
    text, _ = paragraph((handouts / "module-handout-a4.html").read_text("utf-8"))
    assert text.endswith(f"the next stage {SHOWN}."), text
    assert f"the next stage {SHOWN}." in pdf_text(handouts / "module-handout-a4.pdf")
    listed = (handouts / "sources-a4.html").read_text("utf-8")
    labels = re.findall(r'<strong class="ref__label">([^<]*)</strong>', listed)
    assert labels == ["Kleppmann, 2017", "Sculley &amp; Holt, 2015"]
    printed = pdf_text(handouts / "sources-a4.pdf")
    assert printed.count("Kleppmann, 2017") == 1 and printed.count("Sculley & Holt, 2015") == 1


def test_the_scorm_page_links_each_source() -> None:
    course = load_course(RICH).course
    assert course is not None
    module = next(m for m in course.modules if m.slug == "foundations")
    (package,) = scorm.export_module(course, module).files
    archive = zipfile.ZipFile(io.BytesIO(package.data))
    [page] = [n for n in archive.namelist() if n.endswith("schemas.html")]
    text, links = paragraph(archive.read(page).decode("utf-8"))
    _cited(text, links, "../sources.html")


def test_a_citation_of_several_keys_is_one_placeholder_for_translators() -> None:
    parts = inline.parse("Changing it [@sculley2015; @kleppmann2017] breaks [@a;@b ;@c].")
    assert [p.data for p in parts if isinstance(p, inline.Ph)] == [
        "[@sculley2015; @kleppmann2017]",
        "[@a;@b ;@c]",
    ]
    assert [p for p in parts if isinstance(p, str)] == ["Changing it ", " breaks ", "."]
