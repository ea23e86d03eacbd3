"""A course in English and German builds one site: English at the root, German in de/, each with
its own navigation and search, a language switcher that leads to the same page, a note on pages
not yet translated, and handouts and exports per language. Built once per module from the German
fixture (m1 translated, m2 not)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.adapters.cli import main
from generator.adapters.pipeline import build_site
from generator.load import load_course
from generator.model import Question, addresses

from .conftest import FIXTURES, SEARCH_BOX, SEARCH_RESULT, copy_course, serve_folder

LESSON = addresses.module_page("m1", "intro")
QUIZ = addresses.module_page("m1", "quiz")
UNTRANSLATED = [
    addresses.module_index("m2"),
    addresses.module_page("m2", "basics"),
    addresses.module_page("m2", "quiz"),
]
NOTE = "Diese Seite ist noch nicht auf Deutsch verfügbar und wird auf Englisch angezeigt."


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_course(FIXTURES / "multilingual", tmp_path_factory.mktemp("multilingual"))


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    """The bilingual site with PDF handouts (warnings of the untranslated module allowed)."""
    return build_site(project / "mkdocs.yml", project / "site", strict=False)


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    url, server = serve_folder(site)
    yield url
    server.shutdown()


def de(address: addresses.Address) -> addresses.Address:
    """The address in the German section."""
    course = load_course(FIXTURES / "multilingual").course
    assert course is not None
    return addresses.in_section(addresses.section("de", course), address)


def test_sections_are_the_root_for_the_source_language_and_a_folder_for_others() -> None:
    course = load_course(FIXTURES / "multilingual").course
    assert course is not None
    assert [addresses.section(code, course) for code in course.languages] == ["", "de/"]
    assert addresses.section_root_link("", "de/") == "de/"
    assert addresses.section_root_link("de/", "") == "../"
    assert addresses.section_root_link("de/", "fr/") == "../fr/"
    assert addresses.in_section("de/", LESSON).dest == "de/m1/intro/index.html"
    assert addresses.in_section("", LESSON) == LESSON


class _Elements(HTMLParser):
    """Every element's tag, attributes and the text directly inside it, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[tuple[int, str]] = []
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in {"br", "img", "input", "link", "meta", "hr", "source"}:
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.texts.append((self._open[-1], data.strip()))

    def text_of(self, index: int) -> str:
        return " ".join(text for owner, text in self.texts if owner == index)


def parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def nav_titles(path: Path) -> list[str]:
    """The titles of the primary navigation's links and sections."""
    html = parse(path)
    return [
        html.text_of(i)
        for i, (tag, attrs) in enumerate(html.elements)
        if "md-nav__link" in attrs.get("class", "").split() or tag == "span"
        if html.text_of(i)
    ]


def switcher(path: Path) -> dict[str, dict[str, str]]:
    """The language switcher's links on a page, by hreflang, with their text as ``text``."""
    html = parse(path)
    links = {}
    for i, (tag, attrs) in enumerate(html.elements):
        if tag == "a" and "cs-languages__link" in attrs.get("class", ""):
            links[attrs["hreflang"]] = {**attrs, "text": html.text_of(i)}
    return links


def html_lang(path: Path) -> str:
    return next(attrs["lang"] for tag, attrs in parse(path).elements if tag == "html")


def test_the_german_section_has_its_own_german_navigation_and_language(site: Path) -> None:
    german = site / de(addresses.home()).dest
    english = site / addresses.home().dest
    assert html_lang(german) == "de"
    assert html_lang(english) == "en"
    assert "DEMO-001: Erstes Modul" in nav_titles(german)
    # A lesson's navigation lists its module's lessons (the home page's is pruned).
    assert {"Einführung", "Einzelheiten"} <= set(nav_titles(site / de(LESSON).dest))
    assert "Erstes Modul" not in " ".join(nav_titles(english))
    assert "Introduction" in nav_titles(site / LESSON.dest)


def test_each_language_has_its_own_search_index(site: Path) -> None:
    english = (site / "search/search_index.json").read_text(encoding="utf-8")
    german = (site / "de/search/search_index.json").read_text(encoding="utf-8")
    assert "Risikominderung" in german
    assert "Risikominderung" not in english
    assert '"lang":["de"]' in german.replace(" ", "")


def test_the_switcher_on_every_page_leads_to_the_same_page_in_the_other_language(
    site: Path,
) -> None:
    pages = [addresses.home(), LESSON, QUIZ, *UNTRANSLATED, addresses.glossary()]
    for address in pages:
        for here, there, lang in ((address, de(address), "de"), (de(address), address, "en")):
            links = switcher(site / here.dest)
            assert set(links) == {"en", "de"}, here.dest
            target = (site / here.dest).parent / links[lang]["href"] / "index.html"
            assert target.resolve() == (site / there.dest).resolve(), here.dest
            assert links[lang]["lang"] == lang
            current = "en" if lang == "de" else "de"
            assert links[current]["aria-current"] == "page"
            assert "aria-current" not in links[lang]
            assert {links["en"]["text"], links["de"]["text"]} == {"English", "Deutsch"}


def fallback_notes(path: Path) -> list[str]:
    html = parse(path)
    return [
        html.text_of(i)
        for i, (_tag, attrs) in enumerate(html.elements)
        if "cs-fallback-note" in attrs.get("class", "")
    ]


def test_the_fallback_note_is_in_german(site: Path) -> None:
    assert fallback_notes(site / de(UNTRANSLATED[1]).dest) == [NOTE]


@pytest.mark.parametrize("address", UNTRANSLATED, ids=lambda a: a.src)
def test_an_untranslated_page_says_so_and_marks_its_text_english(
    site: Path, address: addresses.Address
) -> None:
    html = parse(site / de(address).dest)
    [note] = fallback_notes(site / de(address).dest)
    assert note in (NOTE, "This page is not yet available in German and is shown in English.")
    marked = [i for i, (tag, attrs) in enumerate(html.elements) if attrs.get("lang") == "en"]
    h1 = next(i for i, (tag, _attrs) in enumerate(html.elements) if tag == "h1")
    # The page's text sits in an element marked English (the h1 follows the marked element).
    assert any(
        i < h1 and "cs-languages__link" not in html.elements[i][1].get("class", "") for i in marked
    )
    assert html_lang(site / de(address).dest) == "de"


@pytest.mark.parametrize("address", [LESSON, QUIZ, addresses.home()], ids=lambda a: a.src)
def test_translated_and_english_pages_carry_no_fallback_note(
    site: Path, address: addresses.Address
) -> None:
    for page in (address, de(address)):
        assert "cs-fallback-note" not in (site / page.dest).read_text(encoding="utf-8")


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_second_build_elsewhere_is_byte_identical(site: Path, tmp_path: Path) -> None:
    again = copy_course(FIXTURES / "multilingual", tmp_path / "elsewhere" / "deeper")
    second = build_site(again / "mkdocs.yml", again / "site", strict=False)
    first, other = snapshot(site), snapshot(second)
    assert sorted(first) == sorted(other)
    assert [name for name in first if first[name] != other[name]] == []
    assert "de/m1/handouts/module-handout-a4.pdf" in first


def test_a_failing_german_section_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.adapters.engines import BuildFailed
    from generator.adapters.mkdocs.build import MkDocsEngine

    project = copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)
    built = build_site(project / "mkdocs.yml", project / "site", strict=False)
    before = snapshot(built)
    real = MkDocsEngine.build

    def german_fails(
        self: MkDocsEngine, config_file: Path, site_dir: Path, strict: bool, pages: object = None
    ) -> None:
        if site_dir.name == "de":
            raise BuildFailed("injected")
        real(self, config_file, site_dir, strict, pages)  # type: ignore[arg-type]

    monkeypatch.setattr(MkDocsEngine, "build", german_fails)
    with pytest.raises(BuildFailed, match="injected"):
        build_site(project / "mkdocs.yml", project / "site", strict=False)
    assert snapshot(built) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_handouts_are_written_per_language(site: Path) -> None:
    for module in ("m1", "m2"):
        for section in ("", "de/"):
            pdf = site / section / addresses.handout(module, "module-handout", "a4", "pdf").dest
            assert pdf.is_file(), pdf
    german = site / de(addresses.handout("m1", "module-handout", "a4", "html")).dest
    assert "Risikominderung" in german.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "handout", "untranslated"),
    [
        ("m2", "module-handout", True),
        ("m2", "quiz-sheet", True),
        ("m1", "module-handout", False),
        ("m1", "checklist", False),
    ],
)
def test_a_german_handout_from_an_untranslated_file_says_so(
    site: Path, module: str, handout: str, untranslated: bool
) -> None:
    html = site / de(addresses.handout(module, handout, "a4", "html")).dest
    notes = [
        parse(html).text_of(i)
        for i, (_tag, attrs) in enumerate(parse(html).elements)
        if "handout__fallback" in attrs.get("class", "")
    ]
    marked = [attrs for _tag, attrs in parse(html).elements if attrs.get("lang") == "en"]
    assert (notes, len(marked)) == (([NOTE], 1) if untranslated else ([], 0))
    assert html_lang(html) == "de"


def test_the_nu_html_checker_finds_no_error_of_ours_in_the_german_section(site: Path) -> None:
    """The German pages (switcher and fallback note included) and the German HTML handouts."""
    from .node_clients import nu_html_errors
    from .test_print import MATERIAL_MARKUP

    section = site / "de"
    files = sorted(section.rglob("index.html")) + sorted(section.glob("*/handouts/*.html"))
    assert len(files) > 20
    assert nu_html_errors(files, site, ignore=MATERIAL_MARKUP) == []


def test_the_german_handout_pdf_is_numbered_in_german(site: Path) -> None:
    pdf = site / de(addresses.handout("m1", "module-handout", "a4", "pdf")).dest
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Seite 1 von" in text
    assert "Risikominderung" in text


def test_a_gift_export_in_german_holds_the_german_questions(project: Path) -> None:
    assert (
        main(["--root", str(project), "export", "gift", "--module", "m1", "--language", "de"]) == 0
    )
    german = (project / "exports/de").glob("*.gift")
    text = "".join(path.read_text(encoding="utf-8") for path in german)
    assert "Was ist ein Ding?" in text
    assert main(["--root", str(project), "export", "gift", "--module", "m1"]) == 0
    english = "".join(p.read_text(encoding="utf-8") for p in (project / "exports").glob("*.gift"))
    assert "Was ist ein Ding?" not in english and english


def _german_quiz(project: Path) -> list[Question]:
    course = load_course(project).in_language("de")
    assert course is not None and course.modules[0].quiz is not None
    return list(course.modules[0].quiz.questions)


def test_the_german_gift_bank_is_read_by_gift_pegjs_as_written(
    project: Path, tmp_path: Path
) -> None:
    from .test_export_gift import assert_read_by_gift_pegjs

    out = tmp_path / "gift"
    args = ["--root", str(project), "export", "gift", "--module", "m1", "--language", "de"]
    assert main([*args, "--out", str(out)]) == 0
    [bank] = out.glob("*.gift")
    assert_read_by_gift_pegjs(bank.read_text(encoding="utf-8"), _german_quiz(project))


def test_the_german_qti_bank_is_valid_against_the_dtd(project: Path, tmp_path: Path) -> None:
    from .test_export_qti import assert_valid_against_the_dtd

    out = tmp_path / "qti"
    args = ["--root", str(project), "export", "qti", "--module", "m1", "--language", "de"]
    assert main([*args, "--out", str(out)]) == 0
    [package] = out.glob("*.zip")
    with zipfile.ZipFile(package) as archive:
        [assessment] = [n for n in archive.namelist() if n.endswith("-quiz.xml")]
        data = archive.read(assessment)
    assert "Was ist ein Ding?" in data.decode("utf-8")
    assert_valid_against_the_dtd(data)


def test_the_german_scorm_manifest_is_valid_against_the_scorm_12_schemas(
    project: Path, tmp_path: Path
) -> None:
    from .test_export_scorm import assert_valid_manifest

    out = tmp_path / "scorm"
    args = ["--root", str(project), "export", "scorm", "--language", "de", "--course"]
    assert main([*args, "--out", str(out)]) == 0
    [package] = out.glob("*.zip")
    with zipfile.ZipFile(package) as archive:
        assert_valid_manifest(archive.read("imsmanifest.xml"))


def test_a_scorm_package_in_german_holds_the_german_lesson(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "scorm"
    args = ["--root", str(project), "export", "scorm", "--module", "m1", "--language", "de"]
    assert main([*args, "--out", str(out)]) == 0
    [package] = out.glob("*.zip")
    with zipfile.ZipFile(package) as archive:
        text = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".html")
        )
    assert "Risikominderung" in text


def test_an_untranslated_module_in_a_german_scorm_package_says_so(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "scorm"
    args = ["--root", str(project), "export", "scorm", "--module", "m2", "--language", "de"]
    assert main([*args, "--out", str(out)]) == 0
    [package] = out.glob("*.zip")
    # Every page of the module, its overview included (it has a template of its own in a
    # package), says so as the site's pages do.
    with zipfile.ZipFile(package) as archive:
        pages = {
            name: archive.read(addresses.module_page("m2", name).flat_dest).decode("utf-8")
            for name in ("index", "basics", "quiz")
        }
    for name, page in pages.items():
        html = _Elements()
        html.feed(page)
        notes = [
            html.text_of(i)
            for i, (_tag, attrs) in enumerate(html.elements)
            if "cs-fallback-note" in attrs.get("class", "")
        ]
        assert notes == [NOTE], name
        marked = next(i for i, (_t, attrs) in enumerate(html.elements) if attrs.get("lang") == "en")
        h1 = next(i for i, (tag, _attrs) in enumerate(html.elements) if tag == "h1")
        assert marked < h1, name
        assert "cs_fallback" not in page


def test_the_german_offline_zip_is_the_german_site_alone(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "offline"
    args = ["--root", str(project), "export", "offline", "--language", "de", "--out", str(out)]
    assert main(args) == 0
    [package] = out.glob("*.zip")
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        lesson = archive.read(LESSON.flat_dest).decode("utf-8")
        styles = archive.read("assets/languages.css").decode("utf-8")
    assert not any(name.startswith("de/") for name in names)
    assert '<html lang="de"' in lesson and "Risikominderung" in lesson
    assert "cs-languages" not in lesson  # no other language in the zip to switch to
    assert ".cs-fallback-note" in styles
    # The German course's title names it: in the tab's title and the header, not the English
    # one or mkdocs.yml's site_name.
    title = re.search(r"<title>([^<]*)</title>", lesson)
    assert title is not None and title.group(1).endswith("Demokurs"), title
    topic = re.search(r'md-header__topic">\s*<span class="md-ellipsis">\s*([^<]*?)\s*<', lesson)
    assert topic is not None and topic.group(1) == "Demokurs"


@pytest.mark.parametrize("command", [["handouts"], ["export", "gift"], ["serve"]])
def test_a_language_the_course_does_not_offer_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(["--root", str(project), *command, "--language", "fr"]) == 2
    assert "not offered in 'fr', expected one of en, de" in capsys.readouterr().err


def test_serve_language_leaves_loading_the_course_to_the_preview(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve --language` reads only course.yml to choose the language, or to refuse one the
    course does not offer: the preview loads the course, once (the command loaded it first)."""
    from generator.adapters import preview
    from generator.load.course import CourseReader

    loads: list[str | None] = []
    read = CourseReader.course

    def counted(reader: CourseReader) -> object:
        loads.append(reader.language)
        return read(reader)

    served: list[str | None] = []
    monkeypatch.setattr(CourseReader, "course", counted)
    monkeypatch.setattr(preview, "serve", lambda *a, language, **k: served.append(language) or 0)
    for language, previewed in (("de", "de"), ("en", None)):
        assert main(["--root", str(project), "serve", "--language", language]) == 0
        assert served.pop() == previewed
    assert main(["--root", str(project), "serve", "--language", "fr"]) == 2
    assert "not offered in 'fr', expected one of en, de" in capsys.readouterr().err
    assert not served and loads == []


def test_handouts_language_writes_the_german_handouts(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    assert main(["--root", str(project), "handouts", "--language", "de", "--out", str(out)]) == 0
    html = out / addresses.handout("m1", "module-handout", "a4", "html").dest
    assert "Risikominderung" in html.read_text(encoding="utf-8")


def test_a_monolingual_site_has_no_switcher(real_site: Path) -> None:
    lesson = real_site / addresses.module_page("ai-engineers-risk-mitigation", "key-concepts").dest
    text = lesson.read_text(encoding="utf-8")
    assert "cs-languages" not in text and 'rel="alternate"' not in text
    assert not (real_site / "assets/languages.css").exists()
    assert not (real_site / "de").exists()


def test_serve_language_previews_the_german_course_and_reloads_an_edit(tmp_path: Path) -> None:
    import sys

    from .conftest import free_port
    from .test_serve import wait_for

    project = copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)
    port = free_port()
    command = [sys.executable, "-m", "generator.adapters.cli", "--root", str(project), "serve"]
    server = subprocess.Popen(
        [*command, "--language", "de", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/{LESSON.url}"
        assert wait_for(url, "Risikominderung", 90), "serve --language de did not start"
        lesson = project / "content/modules/m1/lessons/01-intro.de.md"
        lesson.write_text(lesson.read_text().replace("Willkommen.", "Willkommen zurück."), "utf-8")
        assert wait_for(url, "Willkommen zurück.", 60)
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- in the browser -----------------------------------------------------------------------------


@pytest.mark.browser
def test_a_german_lesson_loads_without_a_failed_request(page: object, site_url: str) -> None:
    """Head links rel=alternate made Material fetch sitemap.xml under every page (404s)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    for address in (de(LESSON), LESSON):
        page.goto(f"{site_url}/{address.url}")
        page.wait_for_load_state("networkidle")
    assert failed == []


def _tab_to_language(page: Any, language: str) -> None:
    """Press Tab until the switcher's link to ``language`` has the focus."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == language:
            return
    pytest.fail(f"the switcher's link to '{language}' is never reached with Tab")


@pytest.mark.browser
def test_the_switcher_is_reached_by_tab_and_leads_to_the_same_lesson(
    page: object, site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{site_url}/{LESSON.url}")
    _tab_to_language(page, "de")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site_url}/{de(LESSON).url}")
    expect(page.locator("h1")).to_contain_text("Einführung")
    _tab_to_language(page, "en")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site_url}/{LESSON.url}")
    expect(page.locator("h1")).to_contain_text("Introduction")


@pytest.mark.browser
def test_german_search_finds_german_words_and_english_search_lists_no_german_page(
    page: object, site_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{site_url}/{de(addresses.home()).url}")
    page.keyboard.press("/")
    page.locator(SEARCH_BOX).press_sequentially("Risikominderung", delay=20)
    result = page.locator(SEARCH_RESULT).filter(has_text="Einführung").first
    expect(result).to_be_visible(timeout=10_000)
    page.goto(f"{site_url}/")
    page.keyboard.press("/")
    page.locator(SEARCH_BOX).press_sequentially("Risikominderung", delay=20)
    expect(page.locator(".md-search-result__meta")).to_have_text(
        "No matching documents", timeout=10_000
    )
    expect(page.locator(SEARCH_RESULT)).to_have_count(0)


@pytest.mark.browser
def test_the_german_quiz_speaks_german(page: object, site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{site_url}/{de(QUIZ).url}")
    question = page.locator("form#q-q1")
    check = question.get_by_role("button", name="Antwort prüfen")
    check.click()  # nothing chosen yet
    result = question.locator("[data-cs-result]")
    expect(result).to_have_text("Bitte beantworten Sie zuerst die Frage.")
    question.get_by_label("Ein Ding", exact=True).check()
    check.click()
    expect(result).to_contain_text("Richtig")
    expect(page.locator("[data-cs-score]")).to_contain_text("Punktzahl: 1 von 2 Punkten")


@pytest.mark.browser
def test_the_german_checklist_speaks_german(page: object, site_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{site_url}/{de(addresses.module_page('m1', 'checklist')).url}")
    expect(
        page.get_by_role("button", name="Für Tabellenkalkulation herunterladen").first
    ).to_be_visible()
    page.get_by_role("radiogroup", name="Status für Datenprüfung").get_by_label("Ja").check()
    expect(page.locator("[data-cs-progress]").first).to_have_text("1 von 1 beantwortet")


WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.mark.browser
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(
    "address", [LESSON, QUIZ, UNTRANSLATED[1]], ids=["lesson", "quiz", "untranslated"]
)
def test_german_pages_have_no_axe_violations(
    page: object, site_url: str, address: addresses.Address, width: str
) -> None:
    from playwright.sync_api import Page

    from .test_accessibility import _violations

    assert isinstance(page, Page)
    w, h = WIDTHS[width]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(f"{site_url}/{de(address).url}")
    page.wait_for_load_state("networkidle")
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= w


# --- Zensical -----------------------------------------------------------------------------------


def test_zensical_builds_the_german_section_with_its_switcher(tmp_path: Path) -> None:
    pytest.importorskip("zensical")
    project = copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)
    site = build_site(project / "mkdocs.yml", project / "site", engine="zensical")
    german = site / de(LESSON).dest
    assert html_lang(german) == "de"
    assert "Risikominderung" in german.read_text(encoding="utf-8")
    links = switcher(german)
    target = german.parent / links["en"]["href"] / "index.html"
    assert target.resolve() == (site / LESSON.dest).resolve()
    assert (site / "de/search.json").is_file()


def test_german_pages_carry_no_english_in_heading_links_or_description(site: Path) -> None:
    """The link beside each heading and the page description speak German in the German
    section (English in the English one), on every page of it."""
    german = sorted((site / "de").rglob("index.html"))
    assert len(german) > 10
    for page in german:
        text = page.read_text(encoding="utf-8")
        assert "Link to this section" not in text, page
        assert "Course site built by Coursesmith" not in text, page
        description = re.search(r'<meta name="description" content="([^"]*)"', text)
        assert description is not None, page
        assert description.group(1) == "Ein kleiner Kurs in zwei Sprachen für die Tests.", page
    lesson = (site / de(LESSON).dest).read_text(encoding="utf-8")
    assert 'title="Link zu diesem Abschnitt"' in lesson
    english = (site / LESSON.dest).read_text(encoding="utf-8")
    assert 'title="Link to this section"' in english
    assert 'content="A tiny course in two languages used by the tests."' in english


def test_the_german_gift_bank_comments_in_german(project: Path) -> None:
    assert (
        main(["--root", str(project), "export", "gift", "--module", "m1", "--language", "de"]) == 0
    )
    comments = [
        line
        for line in (project / "exports/de/m1.gift").read_text(encoding="utf-8").splitlines()
        if line.startswith("//")
    ]
    assert comments and "// Frage: q1, Punkte: 1" in comments
    assert not [c for c in comments if re.search(r"\b(question|points|pass mark)\b", c)], comments


@pytest.mark.browser
def test_the_german_completion_record_dates_the_quiz_as_german_dates_read(
    page: Any, site_url: str
) -> None:
    """ "bestanden am 30. November 2026", as the page's other dates, not "am 2026-11-30"."""
    import json

    from playwright.sync_api import expect

    course = load_course(FIXTURES / "multilingual").course
    assert course is not None
    read = {f"{m.slug}/{lesson.id}": True for m in course.modules for lesson in m.lessons}
    passed = {
        "answers": {},
        "result": {"score": 2, "total": 2, "percent": 100, "passed": True, "date": "2026-11-30"},
    }
    page.goto(f"{site_url}/de/progress/")
    values = {"coursesmith:read": json.dumps(read)}
    values |= {f"coursesmith:quiz:{m.slug}": json.dumps(passed) for m in course.modules}
    page.evaluate(
        "(values) => { for (const [k, v] of Object.entries(values)) localStorage.setItem(k, v); }",
        values,
    )
    page.reload()
    record = page.locator("[data-cs-cert-modules]")
    expect(record).to_contain_text("30. November 2026")
    assert "2026-11-30" not in record.inner_text()
    assert "2026\u201111\u201130" not in record.inner_text()
