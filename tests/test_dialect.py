"""Our Markdown dialect, as the loader, the site and the print handouts meet it: fenced code,
headings, code spans, citations and trainer notes recognised the same way everywhere."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.load import load_course
from generator.source import dialect
from generator.source.dialect import LineKind

from .conftest import FIXTURES, build, copy_course

LESSON = "content/modules/m1/lessons/01-intro.md"
# A four-backtick fence showing a three-backtick example: the inner ``` line opens and closes
# nothing, so everything up to the four-backtick line is code.
FENCED_BODY = """\
Before the example.

````markdown
```
Watch for model drift here [@doe2020].
## Not a section
```
````

After the example, model drift is a glossary term again [@doe2020].

## Why it matters

An SME knows the domain.
"""


class _CodeAndLinks(HTMLParser):
    """The text inside <pre> blocks, the links found there, and every glossary link."""

    def __init__(self) -> None:
        super().__init__()
        self.code: list[str] = []
        self.links_in_code: list[str] = []
        self.term_links: list[str] = []
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "pre":
            self._pre += 1
            self.code.append("")
        if tag == "a" and self._pre:
            self.links_in_code.append(found.get("href") or "")
        if tag == "a" and "cs-term" in (found.get("class") or ""):
            self.term_links.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._pre:
            self.code[-1] += data


def parse(path: Path) -> _CodeAndLinks:
    parser = _CodeAndLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def fenced_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal course with the fenced example as the first lesson's body, built."""
    project = copy_course(FIXTURES / "minimal", tmp_path_factory.mktemp("fenced"), pdf=False)
    lesson = project / LESSON
    front = lesson.read_text(encoding="utf-8").split("---\n")[1]
    lesson.write_text(f"---\n{front}---\n{FENCED_BODY}", encoding="utf-8")
    return project, build(project)


def test_a_longer_fence_holding_a_shorter_one_gets_no_glossary_links_inside(
    fenced_site: tuple[Path, Path],
) -> None:
    _project, site = fenced_site
    page = parse(site / "m1" / "intro" / "index.html")
    [code] = page.code
    assert "Watch for model drift here [@doe2020]." in code
    assert "## Not a section" in code
    assert page.links_in_code == []
    # The first use outside the code is the one linked, then the next term.
    assert page.term_links == ["../../glossary/#model-drift", "../../glossary/#sme"]


def test_the_loader_and_the_print_handout_see_the_same_code_block(
    fenced_site: tuple[Path, Path],
) -> None:
    project, site = fenced_site
    course = load_course(project).course
    assert course is not None
    lesson = course.modules[0].lessons[0]
    assert [s.anchor for s in lesson.sections] == ["why-it-matters"]
    # Only the citation outside the code counts: line 16 of the file, front matter included.
    assert [(c.key, c.loc.line) for c in lesson.citations] == [("doe2020", 16)]
    handout = parse(site / "m1" / "handouts" / "module-handout-a4.html")
    [code] = handout.code
    assert "## Not a section" in code  # not moved one level down with the lesson's headings
    assert "[@doe2020]" in code  # not turned into an author-year citation


@pytest.mark.parametrize(
    ("lines", "kinds"),
    [
        (["````", "```", "x", "````"], ["FENCE_OPEN", "CODE", "CODE", "FENCE_CLOSE"]),
        (["```", "````", "x"], ["FENCE_OPEN", "FENCE_CLOSE", "PROSE"]),
        (["~~~", "```", "~~~~", "x"], ["FENCE_OPEN", "CODE", "FENCE_CLOSE", "PROSE"]),
        (["    ```", "x"], ["PROSE", "PROSE"]),
        (["   ```py", "# x", "   ```"], ["FENCE_OPEN", "CODE", "FENCE_CLOSE"]),
    ],
)
def test_fences_close_on_the_same_character_at_least_as_long(
    lines: list[str], kinds: list[str]
) -> None:
    assert [kind.name for _line, kind in dialect.line_kinds(lines)] == kinds
    assert all(isinstance(kind, LineKind) for _line, kind in dialect.line_kinds(lines))


def test_headings_code_spans_and_citations() -> None:
    assert dialect.heading("## Why it matters ##") == dialect.Heading(2, "Why it matters")
    assert dialect.heading("#No space") is None
    assert dialect.heading_anchor("Title {#own}") == ("Title", "own")
    assert dialect.heading_anchor("*Why* it matters") == ("*Why* it matters", "why-it-matters")
    line = "See [@a] and `[@b]` and [@c; @d] and `[@e; @f]`."
    assert [c.keys for c in dialect.citations(line)] == [("a",), ("c", "d")]
    text = "x [@a]\n```\n[@a]\n```\n`[@a]` [@zz] [@a;@a]"
    replaced = dialect.replace_citations(text, lambda keys: "A" if keys[0] == "a" else None)
    assert replaced == "x A\n```\n[@a]\n```\n`[@a]` [@zz] A"
    deeper = dialect.deeper_headings("# a\n```\n# b\n```\n###### c")
    assert deeper == "## a\n```\n# b\n```\n###### c"


@pytest.mark.parametrize(
    ("line", "keys", "at"),
    [
        ("[@a]", ("a",), (0,)),
        ("x [@a; @b]", ("a", "b"), (2, 7)),
        ("[@a;@b ;  @c]", ("a", "b", "c"), (0, 4, 10)),
    ],
)
def test_several_keys_in_one_bracket_cite_each_where_it_stands(
    line: str, keys: tuple[str, ...], at: tuple[int, ...]
) -> None:
    """The first key is cited from the bracket, as a single key is; each further key from its
    '@', where an unknown key's error points."""
    [found] = dialect.citations(line)
    assert (found.keys, found.at, found.end) == (keys, at, len(line))
    assert not list(dialect.broken_citations(line))


@pytest.mark.parametrize(
    ("line", "message", "right"),
    [
        ("[@a, @b]", "keys separated by ','", "[@a; @b]"),
        ("[@a; b]", "a key without '@'", "[@a; @b]"),
        ("[@a; @b for more", "citation '[@a;' is not closed", "[@a; @b]"),
        ("[@a, p. 4]", "text after a key in a citation", "[@a]"),
        ("[@a; @b, p. 4]", "text after a key in a citation", "[@a; @b]"),
    ],
)
def test_a_bracket_of_keys_that_is_no_citation_gets_its_right_form(
    line: str, message: str, right: str
) -> None:
    assert not list(dialect.citations(line))
    [broken] = dialect.broken_citations(line)
    assert broken.message.startswith(message), broken.message
    assert broken.hint == f"write it as {right}"


def test_trainer_notes_keep_line_numbers_and_name_an_unclosed_block() -> None:
    taken = dialect.take_trainer_notes(["a", "::: trainer", "note", ":::", "b"])
    assert taken.body == ("a", "", "", "", "b")
    assert taken.notes == ("note\n",)
    assert taken.unclosed is None
    assert dialect.take_trainer_notes(["a", "::: trainer", "note"]).unclosed == 1


def test_list_items_with_any_marker_and_indentation() -> None:
    assert dialect.list_item("  * wrapped") == dialect.ListItem(2, "*", "wrapped")
    assert dialect.list_item("12) twelfth") == dialect.ListItem(0, "12)", "twelfth")
    assert dialect.list_item("-no space") is None
    assert dialect.list_item("**Role:** x") is None
