"""Hostile author text in every author field, in English and German, never becomes script in any
output: the site (both language sections), its HTML handouts, the SCORM packages (a module's and
the course's), the offline zip, GIFT, QTI and Moodle XML.

One course (tests/hostile.py) holds the corpus of tests/fixtures/hostile/payloads.yml in every
author field the model has, in both languages; it is built once, and exported once per format.
Every HTML file is parsed for markup that is not ours (event attributes, unsafe links, frames,
scripts); Chromium then opens the pages whose scripts handle author or learner text, answers
every quiz question, fills a checklist, reloads, searches, and listens for dialogs (every
payload that runs calls alert, confirm or prompt), page errors and console errors."""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.adapters.cli import main
from generator.render.markup import is_safe_url

from . import hostile
from .conftest import build, serve_folder
from .hostile import LANGUAGES, PAYLOADS

# What an executed payload calls; never in a script of ours.
CALLS = re.compile(r"\b(?:alert|confirm|prompt|msgbox)\s*\(|evil\.example")


class _Audit(HTMLParser):
    """Markup in a page that no page of ours has: event-handler attributes, links and sources
    with an unsafe scheme, frames and embedded objects, scripts that are not ours."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            url_attribute = name in ("href", "src", "action", "formaction", "xlink:href", "data")
            if url_attribute and value is not None and not is_safe_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if tag == "meta" and name == "http-equiv" and (value or "").lower() == "refresh":
                self.problems.append("<meta http-equiv=refresh>")
        # Our SCORM launch page frames the package's pages (its src is checked above).
        if tag in ("object", "embed", "frame", "base") or "srcdoc" in dict(attrs):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self._script = (dict(attrs).get("type") or "", dict(attrs).get("src") or "")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            kind, _src = self._script
            if "json" in kind:
                try:
                    json.loads(data)
                except ValueError:
                    self.problems.append("a JSON script block that is not JSON")
            elif CALLS.search(data):
                self.problems.append(f"<script>{data[:80]}</script>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            _kind, src = self._script
            if src and (CALLS.search(src) or re.match(r"^[a-z]+:|^//", src, re.IGNORECASE)):
                self.problems.append(f"<script src={src!r}>")
            self._script = None


def audit_html(text: str) -> list[str]:
    parser = _Audit()
    parser.feed(text)
    parser.close()
    return parser.problems


def audit_folder(folder: Path) -> dict[str, list[str]]:
    """The problems of every HTML file under ``folder``, by its path there (only those with)."""
    found = {}
    for path in sorted(folder.rglob("*.html")):
        problems = audit_html(path.read_text("utf-8"))
        if problems:
            found[path.relative_to(folder).as_posix()] = problems
    return found


# --- the course, its site and its exports, made once -----------------------------------------


@pytest.fixture(scope="session")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile.write_course(tmp_path_factory.mktemp("hostile") / "course")


@pytest.fixture(scope="session")
def hostile_site(hostile_project: Path) -> Path:
    """The site of both languages (German under de/), with its HTML handouts. Not strict:
    MkDocs warns of the links some payloads make (which point nowhere)."""
    return build(hostile_project, strict=False)


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    url, server = serve_folder(hostile_site)
    yield url
    server.shutdown()


def export(project: Path, out: Path, *args: str) -> Path:
    assert main(["--root", str(project), "export", *args, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def hostile_exports(hostile_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every export of the course, in a folder per format and language (files unzipped)."""
    root = tmp_path_factory.mktemp("hostile-exports")
    for language in LANGUAGES:
        for fmt, extra in (
            ("gift", ()),
            ("qti", ()),
            ("moodle", ()),
            ("scorm", ("--module", hostile.slug(0))),
            ("scorm-course", ("--course",)),
        ):
            out = root / language / fmt
            export(hostile_project, out, fmt.split("-")[0], "--language", language, *extra)
    export(hostile_project, root / "de" / "offline", "offline", "--language", "de")
    for archive in sorted(root.rglob("*.zip")):
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(archive.with_suffix(""))
    return root


# --- the corpus covers every field --------------------------------------------------------------


def test_every_author_field_of_the_model_holds_every_payload_in_every_language(
    hostile_project: Path,
) -> None:
    """Derived from generator/model/__init__.py: a text field added later without a place in
    tests/hostile.py fails here."""
    fields = hostile.text_fields()
    assert set(hostile.NOT_FREE_TEXT) <= fields  # no stale exclusion
    wanted = fields - set(hostile.NOT_FREE_TEXT)
    assert {"Question.prompt", "Choice.text", "MatchPair.left", "OrderItem.text"} <= wanted
    assert {"GlossaryTerm.aliases", "Source.url", "Lesson.body", "Question.feedback"} <= wanted
    for language in LANGUAGES:
        coverage = hostile.project_coverage(hostile_project, language)
        missing = {p: sorted(wanted - found) for p, found in coverage.items() if wanted - found}
        assert missing == {}, language


def test_the_corpus_holds_every_kind_of_attack() -> None:
    kinds = {
        "script tag": r"<script",
        "event attribute": r"\bon[a-z]+\s*=",
        "javascript: URL": r"javascript:",
        "SVG": r"<svg",
        "quote break": r"^[\"']|[\"']>",
        "newline": r"\n",
        "GIFT metacharacters": r"[~=#{}]",
        "CSV formula": r"^[=+\-@\t]",
        "closing tag of a raw-text element": r"</(?:title|textarea|script|style)",
        "XML CDATA end": r"\]\]>",
        "entity": r"&#?\w+;",
    }
    for kind, pattern in kinds.items():
        assert any(re.search(pattern, p, re.IGNORECASE) for p in PAYLOADS), kind
    assert len(PAYLOADS) >= 40


@pytest.mark.parametrize("payload", hostile.REFUSED)
def test_a_payload_check_refuses_is_an_error_in_a_lesson(payload: str, tmp_path: Path) -> None:
    """An image payload (``![x](javascript:…)``) in a lesson body is refused by `check` (its
    address is not a file), so the corpus builds it into no site; in a YAML text field it is
    text like the others."""
    from generator.load import load_course

    from .conftest import FIXTURES, copy_course

    assert hostile.REFUSED
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    lesson = project / "content/modules/m1/lessons/01-intro.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n{payload}\n", encoding="utf-8")
    errors = [(d.loc.path, d.message) for d in load_course(project).diagnostics.errors]
    assert len(errors) == 1 and errors[0][0] == "content/modules/m1/lessons/01-intro.md", errors
    assert "is not a file" in errors[0][1]


# --- static: every HTML file of every output ---------------------------------------------------


def test_no_page_of_either_section_or_handout_holds_markup_from_author_text(
    hostile_site: Path,
) -> None:
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    for prefix in ("", "de/"):
        for module in range(hostile.module_count()):
            assert f"{prefix}{hostile.slug(module)}/quiz/index.html" in pages
        assert any(p.startswith(f"{prefix}{hostile.slug(0)}/handouts/") for p in pages)
    assert audit_folder(hostile_site) == {}


def test_titles_are_text_in_the_navigation_of_both_sections(hostile_site: Path) -> None:
    """Material's header and drawer (.md-ellipsis, label.md-nav__title) show the course title
    as the text typed, in English and German."""
    first = hostile.line(PAYLOADS[0])
    for prefix in ("", "de/"):
        html = (hostile_site / prefix / "index.html").read_text("utf-8")
        label = re.search(r'<label class="md-nav__title"[^>]*>(.*?)</label>', html, re.DOTALL)
        assert label is not None
        assert "&lt;script&gt;" in label.group(1) and "<script>" not in label.group(1)
        assert first.replace("<", "&lt;").replace(">", "&gt;") in html


def test_no_export_holds_markup_from_author_text(hostile_exports: Path) -> None:
    """The SCORM packages and the offline site, unzipped; the HTML inside the QTI, Moodle XML
    and GIFT files."""
    assert audit_folder(hostile_exports) == {}
    for language in LANGUAGES:
        for fragment_file, fragments in export_fragments(hostile_exports / language).items():
            assert fragments, fragment_file
            problems = [p for f in fragments for p in audit_html(f)]
            assert problems == [], fragment_file


@functools.cache
def export_fragments(folder: Path) -> dict[str, list[str]]:
    """The HTML that the question banks carry, by file: what an LMS renders as HTML (Moodle's
    format="html" texts, QTI's text/html mattext, GIFT's [html] fields as gift-pegjs reads
    them); plain-text fields (names, Moodle's matching answers) are shown as text."""
    from .test_export_gift import gift_pegjs

    found: dict[str, list[str]] = {}
    for path in sorted((folder / "moodle").rglob("*.xml")):
        root = ET.parse(path).getroot()
        found[path.name] = [
            text.text or ""
            for element in root.iter()
            if element.get("format") == "html"
            for text in element.findall("text")
        ]
    for path in sorted((folder / "qti").rglob("*.xml")):
        root = ET.parse(path).getroot()
        texts = [m.text or "" for m in root.iter() if m.get("texttype") == "text/html"]
        if texts:
            found[path.name] = texts
    # One gift-pegjs run for every bank of the language (GIFT files may be joined).
    banks = [p.read_text("utf-8") for p in sorted((folder / "gift").rglob("*.gift"))]
    if banks:
        found["gift"] = list(_html_fields(gift_pegjs("\n\n".join(banks))))
    return found


def _html_fields(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if value.get("format") == "html" and isinstance(value.get("text"), str):
            yield value["text"]
        for item in value.values():
            yield from _html_fields(item)
    elif isinstance(value, list):
        for item in value:
            yield from _html_fields(item)


# --- in Chromium: the scripts that handle author and learner text -------------------------------

ANSWER_EVERY_QUESTION = """() => {
  const forms = [...document.querySelectorAll('form.cs-question')];
  forms.forEach(f => {
    const box = f.querySelector('input'); if (box) box.checked = true;
    // A different option per select: an ordering question with two items at one position
    // is a form error, not checked.
    f.querySelectorAll('select').forEach((s, i) => {
      s.value = s.options[1 + (i % (s.options.length - 1))].value;
    });
    f.requestSubmit();
  });
  return forms.length;
}"""
RESULTS_SHOWN = """() => [...document.querySelectorAll('form.cs-question [data-cs-result]')]
  .every(r => r.textContent.trim().length > 0)"""


def watch(page: Any) -> list[str]:
    """What the page does that it must not: dialogs (dismissed), page errors, console errors."""
    events: list[str] = []

    def dialog(d: Any) -> None:
        events.append(f"{page.url}: {d.type} {d.message!r}")
        d.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda e: events.append(f"{page.url}: pageerror {e}"))
    page.on(
        "console",
        lambda m: events.append(f"{page.url}: console {m.text}") if m.type == "error" else None,
    )
    return events


def take_quiz(page: Any, url: str, reload: bool = True) -> None:
    """Answer every question and check each; then reload (the answers are checked and shown
    again) and retry."""
    page.goto(url)
    assert page.evaluate(ANSWER_EVERY_QUESTION) == 5
    page.wait_for_function(RESULTS_SHOWN)
    if reload:
        page.reload()
        page.wait_for_function(RESULTS_SHOWN)
        page.locator("[data-cs-retry]").click()


def fill_checklist(page: Any, url: str, text: str) -> None:
    """A status and a note (the learner's own hostile text) on each item, both downloads,
    reload."""
    page.goto(url)
    for item in page.locator("[data-cs-item]").all():
        item.locator("input").first.check()
        item.locator("textarea").fill(text)
    for action in ("csv", "markdown"):
        with page.expect_download():
            page.locator(f"[data-cs-action={action}]").first.click()
    page.reload()
    assert page.locator("[data-cs-item] textarea").first.input_value() == text


def search(page: Any, url: str, words: str) -> None:
    page.goto(url)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(words)
    page.locator(".md-search-result__item").first.wait_for()


@pytest.mark.browser
def test_no_author_text_runs_in_the_site_of_either_language(page: Any, hostile_url: str) -> None:
    events = watch(page)
    for prefix in ("", "de/"):
        base = f"{hostile_url}/{prefix}"
        # Lessons first: the home page's "Continue" button then names what they remembered.
        for module in range(2):
            page.goto(f"{base}{hostile.slug(module)}/intro/")
            page.locator("[data-cs-mark-read] button").click()
            # The pointer away from the text: left where the button was, it may hover a term
            # once the page scrolls back, and that term's tooltip would stay open beside another.
            page.mouse.move(0, 0)
            # Each glossary link's tooltip (Material's, from its title) shows the definition.
            terms = page.locator("a.cs-term").all()
            assert len(terms) >= hostile.GROUP
            for term in terms:
                term.focus()
                page.locator(".md-tooltip2--active").wait_for()
        modules = range(hostile.module_count()) if not prefix else range(2)
        for module in modules:
            take_quiz(page, f"{base}{hostile.slug(module)}/quiz/", reload=module < 2)
        fill_checklist(page, f"{base}{hostile.slug(0)}/checklist/", PAYLOADS[0])
        for path in ("", "glossary/", "sources/", f"{hostile.slug(0)}/"):
            page.goto(base + path)
        page.goto(f"{base}progress/")
        with page.expect_download():
            page.locator("[data-cs-record-download]").click()
        search(page, base, "citing")
    assert events == []


@pytest.mark.browser
def test_no_author_text_runs_in_the_scorm_packages(page: Any, hostile_exports: Path) -> None:
    """The launch page with an LMS's API (it records, which renders nothing of the author's),
    then each quiz page of the package in its frame: answered, reloaded, retried."""
    page.add_init_script(SCORM_API)
    events = watch(page)
    packages = sorted(hostile_exports.glob("*/scorm*/*/index.html"))
    assert len(packages) == 2 * len(LANGUAGES)
    for launch in packages:
        page.goto(launch.as_uri())
        quizzes = [
            str(a.get_attribute("href"))
            for a in page.locator("a[data-cs-page]").all()
            if "quiz" in str(a.get_attribute("data-cs-page"))
        ]
        assert quizzes, launch
        for href in quizzes[:2]:
            take_quiz(page, (launch.parent / href).as_uri())
    assert events == []


SCORM_API = """window.API = (() => {
  const data = {};
  return {
    LMSInitialize: () => "true", LMSFinish: () => "true", LMSCommit: () => "true",
    LMSGetValue: name => data[name] || "",
    LMSSetValue: (name, value) => { data[name] = value; return "true"; },
    LMSGetLastError: () => "0", LMSGetErrorString: () => "", LMSGetDiagnostic: () => ""
  };
})();"""


@pytest.mark.browser
def test_no_author_text_runs_in_the_offline_site(page: Any, hostile_exports: Path) -> None:
    events = watch(page)
    (home,) = sorted(hostile_exports.glob("de/offline/*/index.html"))
    page.goto(home.as_uri())
    take_quiz(page, (home.parent / hostile.slug(0) / "quiz.html").as_uri())
    search(page, home.as_uri(), "citing")
    assert events == []


@pytest.mark.browser
def test_no_author_text_runs_in_the_html_of_the_question_banks(
    page: Any, hostile_exports: Path
) -> None:
    """The HTML that GIFT, QTI and Moodle XML carry, rendered as an LMS shows it."""
    events = watch(page)
    for language in LANGUAGES:
        for name, fragments in export_fragments(hostile_exports / language).items():
            page.set_content("<!doctype html><body>" + "<hr>".join(fragments) + "</body>")
            page.wait_for_timeout(50)
            # A link or image that points nowhere ("#") is a failed load in about:blank.
            assert [e for e in events if "Failed to load resource" not in e] == [], name


# --- learner state: whatever the browser's storage holds, the pages work ------------------------

_RESULT_WITH_NUMBER_DATE = {"score": 1, "total": 1, "percent": 100, "passed": True, "date": 1}
_BAD_ANSWERS = {
    "q-q1": {"answer": "a", "points": "1", "right": "yes"},
    "q-q2": None,
    "q-q3": {"answer": {"x": 5}, "points": 1, "right": True},
    "q-q4": {"answer": ["a"], "points": -1e308, "right": True},
}
# Stored texts, each put under every key our scripts read; the keys' own shapes with wrong types.
CORRUPT = [
    "not json {",
    "null",
    "42",
    "true",
    '"text"',
    "[]",
    '[[1], {"a": 2}]',
    json.dumps("x" * 300_000),
    json.dumps({"answers": [], "result": [], "retried": "yes"}),
    json.dumps(
        {
            "answers": _BAD_ANSWERS,
            "result": {"score": "1", "total": None, "percent": {}, "passed": "true", "date": 5},
        }
    ),
    json.dumps({"p00/intro": "yes", "__proto__": {"x": 1}, "constructor": True, "i1": 5}),
    json.dumps({"i1": {"status": 5, "notes": ["a"]}, "constructor": {"status": "x", "notes": 1}}),
]


def _keys(slug: str) -> list[str]:
    return [
        "coursesmith:read",
        "coursesmith:titles",
        "coursesmith:learner-name",
        f"coursesmith:quiz:{slug}",
        f"coursesmith:checklist:{slug}",
    ]


def _store(page: Any, values: dict[str, str]) -> None:
    page.evaluate(
        "v => { localStorage.clear(); for (const k in v) localStorage.setItem(k, v[k]); }", values
    )


def _rounds() -> list[dict[str, str]]:
    """Each corrupt text under each key, a different one under each key in a round."""
    keys = _keys(hostile.slug(0))
    return [
        {key: CORRUPT[(start + k) % len(CORRUPT)] for k, key in enumerate(keys)}
        for start in range(len(CORRUPT))
    ]


def _visit_every_page_that_reads_state(page: Any, base: str, values: dict[str, str]) -> None:
    slug = hostile.slug(0)
    for path in ("", f"{slug}/intro/", f"{slug}/quiz/", f"{slug}/checklist/", "progress/"):
        _store(page, values)
        page.goto(base + path)


@pytest.mark.browser
def test_corrupt_learner_state_breaks_no_page(page: Any, hostile_url: str) -> None:
    """Every stored key holding text of every wrong shape (not JSON, null, numbers, arrays, a
    huge string, objects with wrong types); and every lesson read with every quiz passed on a
    date that is a number, which stopped the progress page and its download button."""
    events = watch(page)
    base = f"{hostile_url}/"
    page.goto(base)
    slug = hostile.slug(0)
    for values in _rounds():
        _visit_every_page_that_reads_state(page, base, values)
    # Then used, with the first round's values stored: marked read, answered, filled in.
    _store(page, _rounds()[0])
    page.goto(f"{base}{slug}/intro/")
    page.locator("[data-cs-mark-read] button").click()
    take_quiz(page, f"{base}{slug}/quiz/")
    _store(page, _rounds()[1])
    fill_checklist(page, f"{base}{slug}/checklist/", "a note")
    modules = [hostile.slug(m) for m in range(hostile.module_count())]
    finished = {"coursesmith:read": json.dumps({f"{m}/intro": True for m in modules})}
    result = json.dumps({"answers": {}, "result": _RESULT_WITH_NUMBER_DATE})
    finished.update({f"coursesmith:quiz:{m}": result for m in modules})
    _store(page, finished)
    page.goto(f"{base}progress/")
    assert page.locator("[data-cs-cert-modules] li").count() == len(modules)
    with page.expect_download():
        page.locator("[data-cs-record-download]").click()
    assert events == []
