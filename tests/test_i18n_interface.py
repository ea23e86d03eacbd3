"""The interface in the course's language: the minimal course built with ``language: de`` speaks
German on its pages, in its scripts (driven in Chromium), in its handout PDFs ("Seite 1 von 1")
and in its SCORM package, with ``lang="de"`` everywhere; an English course carries none of it.
The shipped catalogues are complete and keep every placeholder; a broken catalogue is reported
with ``path:line:col``, and the site falls back to English rather than show a message id."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from jinja2 import Environment

from generator.adapters.cli import main
from generator.i18n import SHIPPED
from generator.i18n.catalogues import (
    LOCALE,
    TEMPLATE,
    catalogue_path,
    check_catalogue,
    script_strings,
    tr,
    translations,
)
from generator.i18n.script_strings import SCRIPT_PLURALS, SCRIPT_STRINGS
from generator.render.environment import environment

from .conftest import FIXTURES, REPO, build, build_with_mkdocs, copy_course, serve_folder

SHIPPED_CATALOGUES = sorted(LOCALE.glob("*.po"))
# Interface texts an English page shows and a German one must not (each has a translation).
ENGLISH_ONLY = ("Check answer", "Question 1 of", "Mark this lesson as read", "Your progress")


def _in_german(project: Path) -> Path:
    course = project / "content" / "course.yml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text.replace("language: en", "language: de"), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal course in German, built with PDF handouts."""
    project = _in_german(copy_course(FIXTURES / "minimal", tmp_path_factory.mktemp("de")))
    return build(project)


@pytest.fixture(scope="module")
def german_url(german_site: Path) -> Iterator[str]:
    url, server = serve_folder(german_site)
    yield url
    server.shutdown()


class _Page(HTMLParser):
    """What a test reads of a page: the html lang, the visible text, and the scripts' strings."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang: str | None = None
        self.text: list[str] = []
        self.strings: str | None = None
        self._in: list[str] = []
        self._strings = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if tag in ("script", "style"):
            self._in.append(tag)
            self._strings = found.get("id") == "cs-strings"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._in:
            self._in.pop()
            self._strings = False

    def handle_data(self, data: str) -> None:
        if self._strings:
            self.strings = (self.strings or "") + data
        elif not self._in:
            self.text.append(data)

    @property
    def words(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def read_page(path: Path) -> _Page:
    return _Page(path.read_text(encoding="utf-8"))


# Shipped catalogues ----------------------------------------------------------------------------


def test_every_shipped_language_but_english_has_a_catalogue() -> None:
    assert {path.stem for path in SHIPPED_CATALOGUES} >= {"de"}
    assert {path.stem for path in SHIPPED_CATALOGUES} <= set(SHIPPED) - {"en"}


@pytest.mark.parametrize("path", SHIPPED_CATALOGUES, ids=lambda p: p.name)
def test_a_shipped_catalogue_is_complete_reviewed_and_keeps_placeholders(path: Path) -> None:
    assert [str(d) for d in check_catalogue(path)] == []


@pytest.mark.parametrize("path", SHIPPED_CATALOGUES, ids=lambda p: p.name)
def test_a_shipped_catalogue_has_the_plural_rule_of_its_language(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    rules = {"de": "(n != 1)", "es": "(n != 1)", "fr": "(n > 1)"}
    assert catalog.locale_identifier == path.stem
    assert catalog.plural_expr == rules[path.stem]


def test_the_template_holds_exactly_the_messages_the_code_marks(tmp_path: Path) -> None:
    """`make catalogues` extracts the same message ids as the committed .pot holds."""
    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            *("-c", "TRANSLATORS:"),
            "-F",
            str(LOCALE / "babel.cfg"),
            *("-k", "tr:2", "-k", "ntr:2,3", "-k", "N_", "-k", "N_plural:1,2"),
            "--ignore-dirs=.* ._ node_modules site",
            "-o",
            str(out),
            str(REPO),
        ]
    )
    with out.open("rb") as fresh, TEMPLATE.open("rb") as committed:
        extracted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fresh)}
        shipped = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(committed)}
    assert extracted - shipped == set(), "run `make catalogues`: the .pot misses messages"
    assert shipped - extracted == set(), "run `make catalogues`: the .pot has stale messages"


def test_every_script_string_is_in_the_template() -> None:
    with TEMPLATE.open("rb") as handle:
        ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle)}
    assert set(SCRIPT_STRINGS.values()) <= ids
    assert set(SCRIPT_PLURALS.values()) <= ids


def test_the_scripts_get_every_string_and_each_plural_category_in_german() -> None:
    strings = script_strings("de")
    assert strings["quiz.right"] == "Richtig"
    assert strings["quiz.points"] == {
        "one": "{got} von {num} Punkt.",
        "other": "{got} von {num} Punkten.",
    }
    assert set(strings) == set(SCRIPT_STRINGS) | set(SCRIPT_PLURALS)
    assert script_strings("en") == {}


# Broken catalogues -----------------------------------------------------------------------------

HEADER = """msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""


def test_a_malformed_catalogue_is_reported_with_its_line_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "de.po"
    broken.write_text(HEADER + 'msgid "Check answer"\nmsgstr "Antwort prüfen\n', encoding="utf-8")
    problems = [str(d) for d in check_catalogue(broken)]
    assert len(problems) == 1
    assert problems[0].startswith(f"{broken.as_posix()}:8:1: cannot read 'msgstr \"Antwort prüfen'")
    assert "expected a gettext catalogue entry" in problems[0]


def test_missing_empty_fuzzy_and_placeholder_mismatches_are_each_reported(tmp_path: Path) -> None:
    template = tmp_path / "coursesmith.pot"
    template.write_text(
        HEADER
        + 'msgid "Check answer"\nmsgstr ""\n\n'
        + 'msgid "Question %(number)s of %(count)s"\nmsgstr ""\n\n'
        + 'msgid "<strong>For:</strong> %(audience)s"\nmsgstr ""\n\n'
        + 'msgid "Retry the quiz"\nmsgstr ""\n\n'
        + 'msgid "%(num)s point"\nmsgid_plural "%(num)s points"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    po = tmp_path / "de.po"
    po.write_text(
        HEADER
        + 'msgid "Check answer"\nmsgstr ""\n\n'
        + 'msgid "Question %(number)s of %(count)s"\nmsgstr "Frage %(nummer)s von %(count)s"\n\n'
        + 'msgid "<strong>For:</strong> %(audience)s"\nmsgstr "Für: %(audience)s"\n\n'
        + '#, fuzzy\nmsgid "%(num)s point"\nmsgid_plural "%(num)s points"\n'
        + 'msgstr[0] "Ein Punkt"\nmsgstr[1] "%(num)s Punkte"\n',
        encoding="utf-8",
    )
    problems = [str(d) for d in check_catalogue(po, template)]
    where = po.as_posix()
    assert f"{where}:7:1: empty translation of 'Check answer', expected the text in de" in problems
    assert any(
        p.startswith(f"{where}:10:1: translation of 'Question %(number)s of %(count)s' has ")
        and "expected ['%(count)s', '%(number)s']" in p
        for p in problems
    )
    assert any(p.startswith(f"{where}:13:1: ") and "'<strong>'" in p for p in problems)
    assert any(
        p.startswith(f"{where}:1:1: no entry for message 'Retry the quiz'") for p in problems
    )
    assert any(
        p.startswith(f"{where}:17:1: fuzzy translation of '%(num)s point'") for p in problems
    )
    assert len(problems) == 5


def test_a_language_without_a_catalogue_and_a_missing_message_fall_back_to_english() -> None:
    assert tr("pt", "Check answer") == "Check answer"
    assert tr("de", "A message no catalogue holds") == "A message no catalogue holds"
    assert translations("pt").ngettext("%(num)s point", "%(num)s points", 2) == "%(num)s points"
    assert tr("de", "Check answer") == "Antwort prüfen"
    assert tr("de", "page %(page)s of %(pages)s", page=1, pages=2) == "Seite 1 von 2"


def test_an_unusable_catalogue_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.i18n import catalogues

    (tmp_path / "de.po").write_text(HEADER + 'msgid "Check answer"\nmsgstr "x\n', encoding="utf-8")
    monkeypatch.setattr(catalogues, "LOCALE", tmp_path)
    catalogues.translations.cache_clear()
    try:
        assert catalogues.tr("de", "Check answer") == "Check answer"
    finally:
        monkeypatch.undo()
        catalogues.translations.cache_clear()
    assert catalogue_path("de") == LOCALE / "de.po"


# The German site -------------------------------------------------------------------------------


def test_every_german_page_says_lang_de_and_shows_no_english_interface(german_site: Path) -> None:
    pages = sorted(german_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page = read_page(path)
        assert page.lang == "de", path
        for english in ENGLISH_ONLY:
            assert english not in page.words, (path, english)
        assert "%(" not in page.words and "{num}" not in page.words, path


def test_the_german_quiz_checklist_and_progress_pages_speak_german(german_site: Path) -> None:
    quiz = read_page(german_site / "m1" / "quiz" / "index.html").words
    assert "Frage 1 von 2" in quiz
    assert "Antwort prüfen" in quiz
    assert "Eine Selbstkontrolle, keine Prüfung" in quiz
    assert "Bestehensgrenze 50 %" in quiz
    checklist = read_page(german_site / "m1" / "checklist" / "index.html").words
    assert "Für Tabellenkalkulation herunterladen" in checklist
    assert "Ja" in checklist.split() and "k. A." in checklist
    progress = read_page(german_site / "progress" / "index.html")
    assert "Ihr Fortschritt" in progress.words
    assert "Teilnahmenachweis" in progress.words
    home = read_page(german_site / "index.html").words
    assert "Kurs beginnen" in home
    assert "Erstellt mit Material for MkDocs" in home  # our footer override
    assert "404 - Nicht gefunden" in read_page(german_site / "404.html").words
    assert "geprüft am 31. Januar 2025" in home


def test_the_german_pages_carry_the_script_strings_and_material_speaks_german(
    german_site: Path,
) -> None:
    page = read_page(german_site / "m1" / "quiz" / "index.html")
    assert page.strings is not None
    assert json.loads(page.strings) == json.loads(json.dumps(script_strings("de")))
    html = (german_site / "m1" / "quiz" / "index.html").read_text(encoding="utf-8")
    assert 'placeholder="Suche"' in html  # Material's own label, in theme.language
    index = json.loads((german_site / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["de"]


def test_german_handout_pdfs_print_seite_1_von(german_site: Path) -> None:
    pdf = german_site / "m1" / "handouts" / "quiz-sheet-a4.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"Seite 1 von \d", text)
    assert "page 1 of" not in text
    assert "Bestehensgrenze 50 %" in text and "Arbeitsblatt" in text
    html = read_page(german_site / "m1" / "handouts" / "quiz-sheet-a4.html")
    assert html.lang == "de"


@pytest.mark.browser
def test_the_german_quiz_and_lesson_scripts_answer_in_german(page: object, german_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{german_url}/m1/quiz/")
    score = page.locator("[data-cs-score]")
    expect(score).to_have_text("Punktzahl: 0 von 2 Punkten · 0 von 2 Fragen beantwortet")
    form = page.locator("form.cs-question").first
    form.get_by_role("button", name="Antwort prüfen").click()
    expect(form.locator("[data-cs-result]")).to_have_text("Bitte beantworten Sie zuerst die Frage.")
    form.get_by_label("A thing", exact=True).check()
    form.get_by_role("button", name="Antwort prüfen").click()
    result = form.locator("[data-cs-result]")
    expect(result).to_contain_text("Richtig – 1 von 1 Punkt.")
    expect(score).to_have_text("Punktzahl: 1 von 2 Punkten · 1 von 2 Fragen beantwortet")
    second = page.locator("form.cs-question").nth(1)
    second.get_by_label("Falsch", exact=True).check()
    second.get_by_role("button", name="Antwort prüfen").click()
    expect(second.locator("[data-cs-result]")).to_contain_text("Nicht ganz – 0 von 1 Punkt.")
    expect(page.locator("[data-cs-verdict]")).to_have_text(
        "Sie haben 1 von 2 Punkten erreicht (50 %). Bestanden: Die Bestehensgrenze liegt bei 50 %."
    )
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations] == []
    page.goto(f"{german_url}/m1/intro/")
    button = page.get_by_role("button", name="Lektion als gelesen markieren")
    button.click()
    expect(page.get_by_role("button", name="Lektion als ungelesen markieren")).to_be_visible()
    page.goto(f"{german_url}/m1/")
    expect(page.locator("[data-cs-quiz-result]")).to_have_text(
        "Ihr letztes Ergebnis in diesem Browser: 1 von 2 (50 %), bestanden."
    )
    expect(page.locator("[data-cs-progress-text]").first).to_have_text(
        "1 von 2 Lektionen gelesen · Quiz 1 von 2 (50 %), bestanden"
    )


@pytest.mark.browser
def test_the_german_checklist_counts_and_downloads_in_german(
    page: object, german_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{german_url}/m1/checklist/")
    first = page.locator("[data-cs-item]").first
    first.get_by_label("Ja").check()
    expect(page.locator("[data-cs-progress]").first).to_contain_text("1 von ")
    expect(page.locator("[data-cs-progress]").first).to_contain_text(" beantwortet")
    with page.expect_download() as info:
        page.get_by_role("button", name="Für Tabellenkalkulation herunterladen").first.click()
    path = tmp_path / "checklist.csv"
    info.value.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Prüfpunkt,Beschreibung,Status (Ja/Nein/k. A.),Notizen"
    assert any(",Ja," in line for line in lines[1:])


def test_the_german_scorm_package_speaks_german(tmp_path: Path) -> None:
    project = _in_german(copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False))
    assert main(["--root", str(project), "export", "scorm", "--out", str(tmp_path / "out")]) == 0
    with zipfile.ZipFile(tmp_path / "out" / "m1-scorm12.zip") as archive:
        names = [n for n in archive.namelist() if n.endswith(".html")]
        pages = {n: _Page(archive.read(n).decode("utf-8")) for n in names}
    assert all(page.lang == "de" for page in pages.values())
    assert "Übersicht" in pages["index.html"].words
    quiz = pages["m1/quiz.html"]
    assert "Antwort prüfen" in quiz.words and "Check answer" not in quiz.words
    assert quiz.strings is not None and json.loads(quiz.strings)["quiz.right"] == "Richtig"
    overview = pages["m1/index.html"].words
    assert "Lernziele" in overview and "Learning objectives" not in overview


# English stays as it was ------------------------------------------------------------------------


def test_an_english_site_carries_no_strings_and_keeps_the_project_theme(tmp_path: Path) -> None:
    from generator.adapters.engines import engine_named
    from generator.adapters.pipeline import Project, load_site, stage

    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    site = load_site(project)
    read = Project.read(project / "mkdocs.yml")
    staged = stage(site, read, engine_named("mkdocs"), tmp_path / "stage")
    config = staged.config_file.read_text(encoding="utf-8")
    assert "coursesmith_strings" not in config
    # The theme's language is the project's own (this project's mkdocs.yml names none: en).
    theme = yaml.safe_load(config)["theme"]
    assert theme.get("language", "en") == read.config["theme"].get("language", "en") == "en"
    assert site.extra["coursesmith_stamp"] == site.stamp
    built = build(project)
    quiz = read_page(built / "m1" / "quiz" / "index.html")
    assert quiz.lang == "en" and quiz.strings is None
    assert "Check answer" in quiz.words and "Question 1 of 2" in quiz.words


def test_mkdocs_run_directly_builds_the_german_interface_through_the_plugin(tmp_path: Path) -> None:
    """`mkdocs build` without Coursesmith's pipeline: the plugin sets the theme's language and
    the scripts' strings itself."""
    project = _in_german(copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False))
    site = build_with_mkdocs(project / "mkdocs.yml")
    quiz = read_page(site / "m1" / "quiz" / "index.html")
    assert quiz.lang == "de"
    assert "Antwort prüfen" in quiz.words
    assert quiz.strings is not None and json.loads(quiz.strings)["quiz.right"] == "Richtig"


def test_the_german_qti_bank_labels_true_and_false_in_german(tmp_path: Path) -> None:
    project = _in_german(copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False))
    assert main(["--root", str(project), "export", "qti", "--out", str(tmp_path / "out")]) == 0
    (archive,) = (tmp_path / "out").iterdir()
    with zipfile.ZipFile(archive) as bank:
        xml = bank.read("m1-quiz/m1-quiz.xml").decode("utf-8")
    assert "Wahr" in xml and "Falsch" in xml
    assert ">True<" not in xml and ">False<" not in xml


def test_a_partly_translated_catalogue_shows_english_for_the_rest_never_a_message_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from generator.i18n import catalogues
    from generator.load import load_course
    from generator.render.environment import environment
    from generator.render.pages import render_site

    (tmp_path / "de.po").write_text(
        HEADER
        + 'msgid "Check answer"\nmsgstr "Antwort prüfen"\n\n'
        + 'msgid "Question %(number)s of %(count)s"\nmsgstr ""\n\n'
        + 'msgid "%(num)s point"\nmsgid_plural "%(num)s points"\nmsgstr[0] "%(num)s Punkt"\n'
        + 'msgstr[1] ""\n',
        encoding="utf-8",
    )
    course = load_course(FIXTURES / "minimal").course
    assert course is not None
    german = dataclasses.replace(course, meta=dataclasses.replace(course.meta, language="de"))
    monkeypatch.setattr(catalogues, "LOCALE", tmp_path)
    for cached in (catalogues.translations, catalogues.script_strings, environment):
        cached.cache_clear()
    try:
        quiz = next(p for p in render_site(german) if p.path == "m1/quiz.md").text
    finally:
        monkeypatch.undo()
        for cached in (catalogues.translations, catalogues.script_strings, environment):
            cached.cache_clear()
    assert "Antwort prüfen" in quiz
    assert "Question 1 of 2" in quiz  # empty translation: English
    assert "(1 point)" in quiz  # a plural with an empty form: English, both forms
    assert "%(" not in quiz and "Punkt" not in quiz


# Counts in every language: one question, one point, one lesson -----------------------------------

# What a learner reads, in each interface language, on a quiz of one question worth one point in a
# module of one lesson: the score before and after answering, the verdict and the module's
# progress line. "0 von 1 Fragen" was the German before the score took plural forms.
SINGULAR = {
    "en": (
        "Score: 0 of 1 point · 0 of 1 question answered",
        "Score: 1 of 1 point · 1 of 1 question answered",
        "You scored 1 of 1 (100%). Passed: the pass mark is 50%.",
        "0 of 1 lesson read",
    ),
    "de": (
        "Punktzahl: 0 von 1 Punkt · 0 von 1 Frage beantwortet",
        "Punktzahl: 1 von 1 Punkt · 1 von 1 Frage beantwortet",
        "Sie haben 1 von 1 Punkt erreicht (100 %). Bestanden: Die Bestehensgrenze liegt bei 50 %.",
        "0 von 1 Lektion gelesen",
    ),
    "fr": (
        "Score : 0 sur 1 point · question traitée : 0 sur 1",
        "Score : 1 sur 1 point · question traitée : 1 sur 1",
        "Vous avez obtenu 1 sur 1 (100 %). Réussi : le seuil de réussite est de 50 %.",
        "Leçon lue : 0 sur 1",
    ),
    "es": (
        "Puntuación: 0 de 1 punto · 0 de 1 pregunta respondida",
        "Puntuación: 1 de 1 punto · 1 de 1 pregunta respondida",
        "Ha obtenido 1 de 1 (100 %). Aprobado: para aprobar se necesita el 50 %.",
        "0 de 1 lección leída",
    ),
}


@pytest.fixture(scope="module")
def singular_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The minimal course cut to one lesson and a quiz of one question (one point), built in
    every shipped interface language (the pages fall back to the English text)."""
    project = copy_course(FIXTURES / "minimal", tmp_path_factory.mktemp("singular"), pdf=False)
    module = project / "content" / "modules" / "m1"
    (module / "lessons" / "02-details.md").unlink()
    text = (module / "module.yml").read_text(encoding="utf-8")
    (module / "module.yml").write_text(text.replace("  - details\n", ""), encoding="utf-8")
    quiz = yaml.safe_load((project / "quizzes" / "m1.yml").read_text(encoding="utf-8"))
    quiz["questions"] = quiz["questions"][:1]
    (project / "quizzes" / "m1.yml").write_text(yaml.safe_dump(quiz), encoding="utf-8")
    course = project / "content" / "course.yml"
    assert set(SINGULAR) == set(SHIPPED) and SHIPPED[0] == "en"
    languages = f"languages: [{', '.join(SHIPPED)}]\n"
    course.write_text(course.read_text(encoding="utf-8") + languages, encoding="utf-8")
    url, server = serve_folder(build(project, strict=False))
    yield url
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("language", sorted(SINGULAR))
def test_the_quiz_score_and_progress_say_one_in_the_singular_in_every_language(
    page: object, singular_url: str, language: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    before, after, verdict, lessons = SINGULAR[language]
    section = "" if language == "en" else f"/{language}"
    page.goto(f"{singular_url}{section}/m1/quiz/")
    score = page.locator("[data-cs-score]")
    expect(score).to_have_text(before)
    form = page.locator("form.cs-question").first
    form.locator("input[value=a]").check()
    form.locator("button[type=submit]").click()
    expect(score).to_have_text(after)
    expect(page.locator("[data-cs-verdict]")).to_have_text(verdict)
    page.goto(f"{singular_url}{section}/m1/")
    expect(page.locator("[data-cs-progress-text]").first).to_contain_text(lessons)


# Default titles of admonitions ---------------------------------------------------------------

# The rich course's overview lesson, in English and in German: a titled note, then an untitled
# warning, collapsible tip and note; its schemas lesson (untranslated, shown in English on the
# German site) has an untitled danger box.
BOX_TITLES = {
    "foundations/overview": {
        "en": ["Keep stages small", "Warning", "Tip", "Note"],
        "de": ["Stufen klein halten", "Warnung", "Tipp", "Hinweis"],
    },
    "foundations/schemas": {"en": ["Danger"], "de": ["Danger"]},
}
_BOX_TITLE = re.compile(r'<p class="admonition-title">(.*?)</p>|<summary>(.*?)</summary>')


def _box_titles(html: str) -> list[str]:
    return [a or b for a, b in _BOX_TITLE.findall(html)]


def test_an_untitled_box_is_titled_in_the_language_of_its_text(rich_site: Path) -> None:
    """``!!! warning`` without a title shows "Warnung" on a German page and in the German
    handout (HTML and PDF), "Warning" on the English ones; an author's title stays as written,
    and a lesson shown untranslated keeps the English title of its English text. (The German
    pages showed "Warning", "Tip" and "Note": Python-Markdown titles a box with its type.)"""
    for path, titles in BOX_TITLES.items():
        for language, expected in titles.items():
            prefix = "" if language == "en" else f"{language}/"
            page = (rich_site / f"{prefix}{path}/index.html").read_text(encoding="utf-8")
            assert _box_titles(page) == expected, (language, path)
    for language, prefix in (("en", ""), ("de", "de/")):
        handouts = rich_site / f"{prefix}foundations/handouts"
        html = (handouts / "module-handout-a4.html").read_text(encoding="utf-8")
        expected = [t for titles in BOX_TITLES.values() for t in titles[language]]
        assert _box_titles(html) == expected, language
        with (handouts / "module-handout-a4.pdf").open("rb") as pdf:
            from pypdf import PdfReader

            text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert all(title in text for title in expected), language
        others = {"en": ["Warnung", "Tipp", "Hinweis"], "de": ["Warning"]}
        assert not any(word in text for word in others[language]), language


def test_every_admonition_type_has_a_title_in_every_language() -> None:
    """Every type of box the dialect allows is titled in each shipped language; the English
    title is Python-Markdown's own (the type capitalised), so English pages stay as they were;
    an author's title, even an empty one, stays; a box in code stays code; a package page (SCORM,
    offline) is titled like the site's."""
    from generator.load import load_course
    from generator.render.lesson_text import titled_admonitions
    from generator.render.pages import render_module
    from generator.source.dialect import ADMONITION_TITLES

    for kind, default in ADMONITION_TITLES.items():
        assert default == kind.capitalize()
        text = f"!!! {kind}\n    x\n\n???+ {kind} inline\n    y\n"
        assert titled_admonitions(text, "en") == text
        for language in ("de", "fr", "es"):
            title = tr(language, default)
            assert title, (language, kind)
            if title != default:
                assert titled_admonitions(text, language) == (
                    f'!!! {kind} "{title}"\n    x\n\n???+ {kind} inline "{title}"\n    y\n'
                )
    kept = '!!! warning "Mine"\n    x\n\n!!! note ""\n    y\n\n```\n!!! tip\n```\n!!! custom\n'
    assert titled_admonitions(kept, "de") == kept
    result = load_course(FIXTURES / "rich")
    german = result.in_language("de")
    assert german is not None
    packaged = {p.path: p.text for p in render_module(german, german.modules[0], in_lms=True)}
    assert '!!! warning "Warnung"' in packaged["foundations/overview.md"]
    assert '!!! danger "' not in packaged["foundations/schemas.md"]


_GETTEXT_PROBE = (
    "{{ _('Home') }}|{{ _('Home') }}|{{ gettext('Glossary') }}|{{ _('100%% <sure>') }}|"
    "{{ _('pass mark %(mark)s%%', mark='<b>&') }}|{{ _('%(minutes)s min', minutes=5) }}|"
    "{{ ngettext('%(num)s lesson', '%(num)s lessons', 1) }}|"
    "{{ ngettext('%(num)s lesson', '%(num)s lessons', 3) }}|"
    "{{ ngettext('Reading the lesson', 'Reading the %(num)s lessons', 2, num='<x>') }}|"
    "{% trans n=2 %}{{ n }} of <them>{% endtrans %}|"
    "{% autoescape false %}{{ _('Home') }}{{ _('pass mark %(mark)s%%', mark='<b>') }}"
    "{{ ngettext('%(num)s item', '%(num)s items', 2) }}{% endautoescape %}|{{ _('Home') }}"
)


@pytest.mark.parametrize("language", SHIPPED)
def test_template_gettext_says_what_jinjas_own_says(language: str) -> None:
    """The environment's ``_``/``gettext``/``ngettext`` (one call each, messages without
    variables translated once) give what Jinja2's new-style i18n gives: translated, escaped
    where autoescape is on and raw where it is off, always formatted; twice in a row too."""
    reference = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    reference.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    ours = environment(language)
    expected = reference.from_string(_GETTEXT_PROBE).render()
    for _ in range(2):
        assert ours.from_string(_GETTEXT_PROBE).render() == expected


def test_templates_compile_once_and_speak_each_language() -> None:
    """The environments of every language share a template's compiled code, and each renders it
    with its own catalogue (the pager of a page in English, German, French and Spanish)."""
    name = "pages/step_pager.md.j2"
    context = {"previous": ("A <b>", "a"), "following": None, "link": lambda page: f"{page}.md"}
    rendered = {}
    for language in SHIPPED:
        template = environment(language).get_template(name)
        rendered[language] = template.render(**context)
        assert template.root_render_func.__code__ is (
            environment(SHIPPED[0]).get_template(name).root_render_func.__code__
        )
    for language, text in rendered.items():
        expected = tr(language, "Previous: %(title)s", title="A &lt;b&gt;")
        assert expected in text, language
    assert len(set(rendered.values())) == len(SHIPPED)
