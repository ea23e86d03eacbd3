"""Handouts as real PDFs in the built site, read back as text: content, paper sizes, page counts,
the answer key only in the trainer edition (which the site leaves out: `handouts --trainer` writes
it where the trainer says), and atomic failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.load import load_course
from generator.render.markup import plain
from generator.render.pdf import HandoutError, publish_handouts

from .conftest import REPO

MODULE = "ai-engineers-risk-mitigation"
# A fingerprint for handouts rendered outside a build.
FINGERPRINT = "0123456789ab"
SIZES = {"a4": (595, 842), "letter": (612, 792)}
NAMES = [
    "module-handout",
    "role-template",
    "checklist",
    "lifecycle-guide",
    "sources",
    "quiz-sheet",
    "trainer-edition",
]


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def course():  # type: ignore[no-untyped-def]
    loaded = load_course(REPO).course
    assert loaded is not None
    return loaded


def handout_pdf(site: Path, trainer: Path, name: str, paper: str = "a4") -> Path:
    """A handout of the shipped course: from the site, or the trainer's folder for the trainer
    edition."""
    folder = trainer if name == "trainer-edition" else site
    return folder / MODULE / "handouts" / f"{name}-{paper}.pdf"


@pytest.mark.parametrize("paper", list(SIZES))
@pytest.mark.parametrize("name", NAMES)
def test_every_handout_is_a_pdf_of_the_right_size(
    real_site: Path, trainer_handouts: Path, name: str, paper: str
) -> None:
    path = handout_pdf(real_site, trainer_handouts, name, paper)
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) <= 20
    for page in reader.pages:
        width, height = (round(float(v)) for v in page.mediabox.upper_right)
        assert (width, height) == SIZES[paper]
    text = pdf_text(path)
    assert "LRN-BEG-015" in text
    assert f"page 1 of {len(reader.pages)}" in text
    assert "Version 1.0.0" in text


def test_checklist_handout_has_every_item(real_site: Path, course) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(real_site / MODULE / "handouts" / "checklist-a4.pdf")
    checklist = course.modules[0].checklist
    for section in checklist.sections:
        for item in section.items:
            assert item.label in text
            assert " ".join(plain(item.description).split()[:4]) in text
    assert len([i for s in checklist.sections for i in s.items]) == 18
    assert text.count("N/A") >= 18


def test_lifecycle_and_sources_handouts(real_site: Path, trainer_handouts: Path, course) -> None:  # type: ignore[no-untyped-def]
    from generator.render.lesson_text import cite_label

    guide = pdf_text(real_site / MODULE / "handouts" / "lifecycle-guide-a4.pdf")
    for number, phase in enumerate(course.modules[0].lifecycle_guide.phases, start=1):
        assert f"Phase {number}: {phase.title}" in guide
    sources = pdf_text(real_site / MODULE / "handouts" / "sources-a4.pdf")
    # Each source under the author–year label lessons cite it by; no citation key anywhere.
    for source in course.sources.sources:
        assert cite_label(source) in sources
        assert source.key not in sources
    assert "Ferrández" in sources
    # How the sources were collected (a production note) is in the trainer's copy only.
    note = course.sources.collection.description
    assert "Agentic" in note and "Agentic" not in sources
    trainer = pdf_text(trainer_handouts / MODULE / "handouts" / "trainer-edition-a4.pdf")
    assert " ".join(note.split()[-4:]) in trainer


def test_module_handout_has_every_lesson_without_trainer_notes(real_site: Path, course) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(real_site / MODULE / "handouts" / "module-handout-a4.pdf")
    for lesson in course.modules[0].lessons:
        assert lesson.title in text
    assert "Timing:" not in text


def test_answers_only_in_the_trainer_edition(
    real_site: Path, trainer_handouts: Path, course
) -> None:  # type: ignore[no-untyped-def]
    learner = pdf_text(real_site / MODULE / "handouts" / "quiz-sheet-a4.pdf")
    trainer = pdf_text(trainer_handouts / MODULE / "handouts" / "trainer-edition-a4.pdf")
    quiz = course.modules[0].quiz
    for question in quiz.questions:
        start = plain(question.prompt)[:25]
        assert start in learner and start in trainer
        assert plain(question.explanation)[:30] in trainer
        assert plain(question.explanation) not in learner
    assert trainer.count("Explanation.") == len(quiz.questions)
    assert "Explanation." not in learner
    assert "correct" in trainer and "✔ correct" not in learner
    assert "Answer: False" in trainer and "Answer:" not in learner
    assert "Timing: 18 minutes" in trainer  # trainer notes and timings


def test_module_page_links_every_learner_handout(real_site: Path) -> None:
    html = (real_site / MODULE / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(handouts/[^"]+)"', html))
    for name in NAMES[:-1]:
        for paper in SIZES:
            assert f"handouts/{name}-{paper}.pdf" in links
            assert (real_site / MODULE / f"handouts/{name}-{paper}.pdf").is_file()
    assert not any("trainer" in link for link in links)


def test_a_failing_handout_is_named_and_leaves_no_file(
    tmp_path: Path,
    course,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import weasyprint

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("layout exploded")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    with pytest.raises(HandoutError, match="handout 'module-handout-a4' could not be rendered"):
        publish_handouts(course, tmp_path, FINGERPRINT)
    assert list(tmp_path.rglob("*.pdf")) == []
    assert [p.name for p in tmp_path.rglob(".*")] == []


def test_handouts_trainer_writes_every_pdf_into_the_trainers_folder(trainer_handouts: Path) -> None:
    pdfs = sorted(p.name for p in (trainer_handouts / MODULE / "handouts").glob("*.pdf"))
    assert pdfs == sorted(f"{n}-{p}.pdf" for n in NAMES for p in SIZES)


def test_the_site_holds_no_file_with_answers(real_site: Path) -> None:
    """The trainer edition (answer key, explanations, trainer notes) is not published by
    default, at no address: a learner could guess it beside the quiz sheet."""
    assert (real_site / MODULE / "handouts" / "quiz-sheet-a4.pdf").is_file()
    assert not [p for p in real_site.rglob("*") if "trainer" in p.name]


def test_the_trainer_edition_is_published_only_when_the_author_opts_in(
    minimal_course: Path,
) -> None:
    from .conftest import build

    site = build(minimal_course, strict=True)
    assert not list(site.rglob("trainer-edition*"))
    _configure(minimal_course, plugin={"pdf": False, "trainer_edition": True})
    site = build(minimal_course, strict=True)
    published = sorted(p.name for p in site.rglob("trainer-edition*"))
    assert published == ["trainer-edition-a4.html", "trainer-edition-letter.html"]
    # Still linked from no learner page.
    for page in site.rglob("index.html"):
        assert "trainer-edition" not in page.read_text(encoding="utf-8"), page


def _configure(project: Path, plugin: dict[str, object] | None = None, **settings: object) -> None:
    """Change the project's mkdocs.yml: the coursesmith plugin's options, top-level settings."""
    import yaml

    path = project / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    if plugin is not None:
        config["plugins"] = [
            {"coursesmith": plugin} if "coursesmith" in str(p) else p for p in config["plugins"]
        ]
    config.update(settings)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("out", [None, "site", "site/m1", "."])
def test_handouts_trainer_refuses_the_site_folder_or_no_folder(
    minimal_course: Path, out: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.adapters.cli import main

    args = ["--root", str(minimal_course), "handouts", "--trainer"]
    args += [] if out is None else ["--out", out]
    if out == ".":  # the project folder as the site: every folder in it is the site's
        _configure(minimal_course, site_dir=".")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("coursesmith handouts --trainer: ")
    assert "trainer" in err and not list(minimal_course.rglob("trainer-edition*"))


@pytest.mark.parametrize(
    ("error", "package"),
    [
        ("cannot load library 'libpango-1.0-0': error 0x7e", "libpango-1.0-0"),
        ("cannot load library 'libpangoft2-1.0-0.so.0'", "libpangoft2-1.0-0"),
        ("cannot load library 'libfontconfig.so.1'", "libfontconfig1"),
    ],
)
def test_a_missing_system_library_names_its_debian_package(error: str, package: str) -> None:
    from generator.render.pdf import missing_library_hint

    assert missing_library_hint(error) == (
        f"install the Debian package {package} (`make site` does this)"
    )


def test_two_renders_give_byte_identical_pdfs(tmp_path: Path, course) -> None:  # type: ignore[no-untyped-def]
    from generator.render.handouts import render_handouts
    from generator.render.pdf import write_pdf

    handout = render_handouts(course, course.modules[0], FINGERPRINT)[0]
    write_pdf(handout, tmp_path / "one.pdf")
    write_pdf(handout, tmp_path / "two.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    stamp = "D:" + course.meta.last_reviewed.strftime("%Y%m%d") + "000000Z"
    metadata = PdfReader(tmp_path / "one.pdf").metadata
    assert metadata is not None
    assert (metadata["/CreationDate"], metadata["/ModDate"]) == (stamp, stamp)


def test_handout_html_is_published_but_the_trainer_edition_is_hidden(
    real_site: Path, trainer_handouts: Path, course
) -> None:  # type: ignore[no-untyped-def]
    import json
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.hrefs += [v or "" for k, v in attrs if tag == "a" and k == "href"]

    folder = real_site / MODULE / "handouts"
    for name in NAMES[:-1]:
        for paper in SIZES:
            assert (folder / f"{name}-{paper}.html").is_file()
    explanation = plain(course.modules[0].quiz.questions[0].explanation)
    trainer = trainer_handouts / MODULE / "handouts" / "trainer-edition-a4.html"
    assert explanation in trainer.read_text(encoding="utf-8")
    index = (real_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "trainer-edition" not in index
    for doc in json.loads(index)["docs"]:
        assert explanation not in doc["text"]
    for page in real_site.rglob("index.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not [h for h in parser.hrefs if "trainer-edition" in h], page


def test_running_header_prints_author_text_as_written(tmp_path: Path, course) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from generator.render.handouts import render_handouts
    from generator.render.pdf import write_pdf

    title = 'R&D "Fast" \\ <b>track</b>'
    hostile = replace(course, meta=replace(course.meta, title=title))
    handout = next(
        h
        for h in render_handouts(hostile, hostile.modules[0], FINGERPRINT)
        if h.filename == "checklist-a4"
    )
    write_pdf(handout, tmp_path / "h.pdf")
    pages = PdfReader(tmp_path / "h.pdf").pages
    assert len(pages) > 1
    for page in pages:
        lines = page.extract_text().splitlines()
        assert [line for line in lines if line.startswith(title)], lines


def test_a_failing_handout_stops_the_build_and_keeps_the_previous_site(
    minimal_course_with_pdfs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    minimal_course = minimal_course_with_pdfs
    import multiprocessing

    from generator.adapters.pipeline import BuildFailed

    from .conftest import build

    site = build(minimal_course)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    pdfs = [p for p in before if p.suffix == ".pdf"]
    assert pdfs and all(p.parent.name == "handouts" for p in pdfs)
    assert (site / pdfs[0]).read_bytes().startswith(b"%PDF-")

    # The handouts are written by a spawned process, which a monkeypatch here would not reach;
    # it inherits sys.path, so it imports this WeasyPrint, whose layout fails like a real one.
    broken = tmp_path / "broken-weasyprint" / "weasyprint"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        "class HTML:\n"
        "    def __init__(self, **kwargs):\n"
        "        raise ValueError('layout exploded')\n",
        encoding="utf-8",
    )
    (broken / "urls.py").write_text(
        "class URLFetcher:\n"
        "    def __init__(self, **kwargs):\n"
        "        pass\n"
        "class URLFetcherResponse:\n"
        "    pass\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(broken.parent))
    with pytest.raises(BuildFailed, match=r"handout '[a-z-]+-a4' could not be rendered: layout"):
        build(minimal_course)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".site-")] == []
    assert multiprocessing.active_children() == []


def test_handouts_command_names_a_failing_handout_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import weasyprint

    from generator.adapters.cli import main

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("layout exploded")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    assert main(["--root", str(REPO), "handouts", "--out", str(tmp_path)]) != 0
    assert "handout 'module-handout-a4' could not be rendered: layout exploded" in (
        capsys.readouterr().err
    )
    assert list(tmp_path.rglob("*.pdf")) == []


def test_learner_sheet_does_not_list_ordering_items_in_the_answer_order(
    real_site: Path,
    course,  # type: ignore[no-untyped-def]
) -> None:
    learner = pdf_text(real_site / MODULE / "handouts" / "quiz-sheet-a4.pdf")
    ordering = [q for q in course.modules[0].quiz.questions if q.type == "ordering"]
    assert ordering
    for question in ordering:
        texts = [plain(item.text) for item in question.items]
        positions = [learner.find(text) for text in texts]
        assert -1 not in positions
        assert positions != sorted(positions)


def test_handouts_embed_only_the_dejavu_fonts_from_debian(
    real_site: Path, trainer_handouts: Path
) -> None:
    fonts: set[str] = set()
    for name in NAMES:
        for page in PdfReader(handout_pdf(real_site, trainer_handouts, name)).pages:
            for font in page["/Resources"]["/Font"].values():
                fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    # Regular and bold from fonts-dejavu-core, the obliques from fonts-dejavu-extra (SITE_DEBS).
    styles = {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique", "DejaVu-Sans-Bold-Oblique"}
    assert styles <= fonts <= styles | {s.replace("Sans", "Sans-Mono") for s in styles}


def test_lesson_tables_and_admonitions_print_as_such(tmp_path: Path) -> None:
    """The module handout converts lessons with the site's block syntax: a pipe table is a table
    on paper, not a row of pipes, and raw HTML in a lesson still prints as text."""
    from html.parser import HTMLParser

    from .conftest import FIXTURES, copy_course

    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    lesson = project / "content/modules/m1/lessons/02-details.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8")
        + "\n## A table\n\n| Risk | Stage |\n|---|---|\n| Drift | Monitoring |\n\n"
        + '!!! note "Remember"\n    Check <b onclick="x()">twice</b>.\n',
        encoding="utf-8",
    )
    result = load_course(project)
    assert result.course is not None and result.ok()
    written = publish_handouts(result.course, tmp_path / "out", FINGERPRINT, pdf=False)
    [handout] = [p for p in written if p.name == "module-handout-a4.html"]

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.cells: list[str] = []
            self._cell: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            if tag in ("td", "th"):
                self._cell = ""

        def handle_data(self, data: str) -> None:
            if self._cell is not None:
                self._cell += data

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self._cell is not None:
                self.cells.append(self._cell.strip())
                self._cell = None

    parser = Cells()
    text = handout.read_text(encoding="utf-8")
    parser.feed(text)
    assert [c for c in parser.cells if c in ("Risk", "Stage", "Drift", "Monitoring")] == [
        "Risk",
        "Stage",
        "Drift",
        "Monitoring",
    ]
    assert "| Drift |" not in text
    assert 'class="admonition note"' in text
    assert "onclick" not in parser.tags and "b" not in parser.tags
    assert "&lt;b onclick" in text


def _content_ids(module) -> set[str]:  # type: ignore[no-untyped-def]
    """The ids of a module that read as ids (several words joined by hyphens): lessons, sections,
    objectives, questions. A one-word id ('intro') reads as a word, so is not looked for."""
    ids = {lesson.id for lesson in module.lessons}
    ids |= {s.anchor for lesson in module.lessons for s in lesson.sections}
    ids |= {o.id for o in module.meta.objectives}
    ids |= {q.id for q in module.quiz.questions}
    return {i for i in ids if "-" in i}


def test_the_answer_key_names_lessons_and_objectives_by_their_text(
    trainer_handouts: Path, course
) -> None:  # type: ignore[no-untyped-def]
    module = course.modules[0]
    text = pdf_text(trainer_handouts / MODULE / "handouts" / "trainer-edition-a4.pdf")
    key = text[text.index("Answer key") :]
    found = sorted(i for i in _content_ids(module) if i in key)
    assert found == [], found
    for question in module.quiz.questions:
        lesson = module.lesson(question.lesson)
        assert lesson is not None and lesson.title in key
    objectives = {o.id: plain(o.text) for o in module.meta.objectives}
    for question in module.quiz.questions:
        assert " ".join(objectives[question.objective].split()[:4]) in key, question.id


def test_the_german_answer_key_shows_german_titles_never_slugs(tmp_path: Path) -> None:
    from generator.render.handouts import render_handouts

    from .conftest import FIXTURES, copy_course

    project = copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)
    result = load_course(project)
    german = result.in_language("de")
    assert german is not None
    module = german.modules[0]
    edition = next(
        h for h in render_handouts(german, module, FINGERPRINT) if h.name == "trainer-edition"
    )
    key = edition.html[edition.html.index("Lösungen") :]
    assert "Prüft: Einführung › Warum es wichtig ist" in key
    assert "Lernziel: Dinge erklären." in key
    for content_id in _content_ids(module) | {"explain-things", "why-it-matters"}:
        assert content_id not in key, content_id
