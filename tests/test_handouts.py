"""Handouts as real PDFs in the built site, read back as text: content, paper sizes, page counts,
the answer key only in the trainer edition, and atomic failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.load import load_course
from generator.pdf import HandoutError, publish_handouts
from generator.render.markup import plain

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


@pytest.mark.parametrize("paper", list(SIZES))
@pytest.mark.parametrize("name", NAMES)
def test_every_handout_is_a_pdf_of_the_right_size(real_site: Path, name: str, paper: str) -> None:
    path = real_site / MODULE / "handouts" / f"{name}-{paper}.pdf"
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


def test_lifecycle_and_sources_handouts(real_site: Path, course) -> None:  # type: ignore[no-untyped-def]
    guide = pdf_text(real_site / MODULE / "handouts" / "lifecycle-guide-a4.pdf")
    for number, phase in enumerate(course.modules[0].lifecycle_guide.phases, start=1):
        assert f"Phase {number}: {phase.title}" in guide
    sources = pdf_text(real_site / MODULE / "handouts" / "sources-a4.pdf")
    for source in course.sources.sources:
        assert source.key in sources
    assert "Ferrández" in sources


def test_module_handout_has_every_lesson_without_trainer_notes(real_site: Path, course) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(real_site / MODULE / "handouts" / "module-handout-a4.pdf")
    for lesson in course.modules[0].lessons:
        assert lesson.title in text
    assert "Timing:" not in text


def test_answers_only_in_the_trainer_edition(real_site: Path, course) -> None:  # type: ignore[no-untyped-def]
    learner = pdf_text(real_site / MODULE / "handouts" / "quiz-sheet-a4.pdf")
    trainer = pdf_text(real_site / MODULE / "handouts" / "trainer-edition-a4.pdf")
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


def test_handouts_command_writes_every_pdf(tmp_path: Path) -> None:
    from generator.adapters.cli import main

    assert main(["--root", str(REPO), "handouts", "--out", str(tmp_path)]) == 0
    pdfs = sorted(p.name for p in (tmp_path / MODULE / "handouts").glob("*.pdf"))
    assert pdfs == sorted(f"{n}-{p}.pdf" for n in NAMES for p in SIZES)


@pytest.mark.parametrize(
    ("error", "package"),
    [
        ("cannot load library 'libpango-1.0-0': error 0x7e", "libpango-1.0-0"),
        ("cannot load library 'libpangoft2-1.0-0.so.0'", "libpangoft2-1.0-0"),
        ("cannot load library 'libfontconfig.so.1'", "libfontconfig1"),
    ],
)
def test_a_missing_system_library_names_its_debian_package(error: str, package: str) -> None:
    from generator.pdf import missing_library_hint

    assert missing_library_hint(error) == (
        f"install the Debian package {package} (`make site` does this)"
    )


def test_two_renders_give_byte_identical_pdfs(tmp_path: Path, course) -> None:  # type: ignore[no-untyped-def]
    from generator.pdf import write_pdf
    from generator.render.handouts import render_handouts

    handout = render_handouts(course, course.modules[0], FINGERPRINT)[0]
    write_pdf(handout, tmp_path / "one.pdf")
    write_pdf(handout, tmp_path / "two.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    stamp = "D:" + course.meta.last_reviewed.strftime("%Y%m%d") + "000000Z"
    metadata = PdfReader(tmp_path / "one.pdf").metadata
    assert metadata is not None
    assert (metadata["/CreationDate"], metadata["/ModDate"]) == (stamp, stamp)


def test_handout_html_is_published_but_the_trainer_edition_is_hidden(
    real_site: Path, course
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
    for name in NAMES:
        for paper in SIZES:
            assert (folder / f"{name}-{paper}.html").is_file()
    explanation = plain(course.modules[0].quiz.questions[0].explanation)
    assert explanation in (folder / "trainer-edition-a4.html").read_text(encoding="utf-8")
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

    from generator.pdf import write_pdf
    from generator.render.handouts import render_handouts

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


def test_handouts_embed_only_the_dejavu_fonts_from_debian(real_site: Path) -> None:
    fonts: set[str] = set()
    for name in NAMES:
        for page in PdfReader(real_site / MODULE / "handouts" / f"{name}-a4.pdf").pages:
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
