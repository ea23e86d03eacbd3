"""What a trainer meets on paper, read back from the real PDFs page by page: choices in a fixed
shuffled order the trainer key repeats, the trainer edition marked on every page, the edition
stamp (version, review date, content fingerprint) on every page and in the site footer, room to
write, no lonely table rows, and the same bytes from every build whichever font subsetter the
machine has. The HTML handouts as documents: Chromium prints them with header and footer, the
Nu HTML Checker and axe-core find nothing."""

from __future__ import annotations

import datetime
import io
import itertools
import os
import re
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.load import load_course
from generator.model import Course
from generator.render.handouts import TRAINER_MARK, Handout, choice_order
from generator.render.markup import plain
from generator.render.pdf import HandoutError, publish_handouts, render_pdf
from generator.source.fingerprint import content_fingerprint

from .conftest import FIXTURES, REPO, copy_course
from .node_clients import nu_html_errors

MODULE = "ai-engineers-risk-mitigation"
PAPERS = ("a4", "letter")
NAMES = [
    "module-handout",
    "role-template",
    "checklist",
    "lifecycle-guide",
    "sources",
    "quiz-sheet",
    "trainer-edition",
]


def page_texts(path: Path | bytes) -> list[str]:
    """The text of every page, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def handout(site: Path, name: str, paper: str = "a4", trainer: Path | None = None) -> Path:
    """A handout PDF of the shipped course: in the site, or (the trainer edition, which the site
    leaves out) in the folder `handouts --trainer` wrote."""
    if name == "trainer-edition":
        assert trainer is not None, "the trainer edition is in the trainer's folder"
        site = trainer
    return site / MODULE / "handouts" / f"{name}-{paper}.pdf"


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(REPO).course
    assert loaded is not None
    return loaded


def stamp(course: Course) -> str:
    reviewed = course.meta.last_reviewed.isoformat()
    return f"Version {course.meta.version} · reviewed {reviewed} · content "


# --- 1. choices ---------------------------------------------------------------------------------


def _question_texts(text: str, course: Course) -> list[str]:
    """The text of each question of the sheet, from its prompt to the next prompt."""
    quiz = course.modules[0].quiz
    assert quiz is not None
    starts = [text.index(plain(q.prompt)[:40]) for q in quiz.questions]
    assert starts == sorted(starts)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _order(part: str, texts: list[str]) -> list[str]:
    positions = {t: part.find(t) for t in texts}
    assert -1 not in positions.values(), (part, texts)
    return sorted(texts, key=positions.__getitem__)


@pytest.mark.parametrize("paper", PAPERS)
def test_learner_choices_are_shuffled_and_the_trainer_key_ticks_them_in_that_order(
    real_site: Path, trainer_handouts: Path, course: Course, paper: str
) -> None:
    learner = " ".join(page_texts(handout(real_site, "quiz-sheet", paper)))
    trainer = " ".join(page_texts(handout(real_site, "trainer-edition", paper, trainer_handouts)))
    trainer = trainer[trainer.index("Answer key") :]
    quiz = course.modules[0].quiz
    assert quiz is not None
    checked = 0
    for question, mine, key in zip(
        quiz.questions,
        _question_texts(learner, course),
        _question_texts(trainer, course),
        strict=True,
    ):
        if question.type not in ("single", "multiple"):
            continue
        authored = [plain(c.text) for c in question.choices]
        printed = _order(mine, authored)
        assert printed != authored, question.id
        correct = [plain(c.text) for c in question.choices if c.correct]
        assert set(printed[: len(correct)]) != set(correct), question.id
        assert _order(key, authored) == printed, question.id
        # The key ticks the box of each correct choice and of no other.
        for text in authored:
            ticked = re.search(r"✔\s*" + re.escape(text) + r"\s*✔ correct", key) is not None
            assert ticked == (text in correct), (question.id, text)
        assert "✔" not in mine
        checked += 1
    assert checked == 8


def test_choice_order_is_fixed_by_the_question_id(course: Course) -> None:
    quiz = course.modules[0].quiz
    assert quiz is not None
    for question in quiz.questions:
        if question.choices:
            assert choice_order(question) == choice_order(question)
            assert list(choice_order(question)) != list(question.choices)


# --- 2. trainer edition ---------------------------------------------------------------------------


@pytest.mark.parametrize("paper", PAPERS)
def test_every_trainer_page_is_marked_and_no_learner_page_is(
    real_site: Path, trainer_handouts: Path, paper: str
) -> None:
    trainer = page_texts(handout(real_site, "trainer-edition", paper, trainer_handouts))
    assert len(trainer) > 3
    for number, text in enumerate(trainer, start=1):
        assert TRAINER_MARK in text, number
    for name in NAMES[:-1]:
        for text in page_texts(handout(real_site, name, paper)):
            assert "Trainer edition" not in text


def test_the_trainer_edition_looks_different_at_a_glance(
    real_site: Path, trainer_handouts: Path, tmp_path: Path
) -> None:
    """A red band down the left edge of every trainer page, none on a learner page."""
    for name, red in (("trainer-edition", True), ("quiz-sheet", False)):
        pdf = handout(real_site, name, trainer=trainer_handouts)
        subprocess.run(["pdftoppm", "-png", "-r", "20", str(pdf), str(tmp_path / name)], check=True)
        from PIL import Image

        pages = sorted(tmp_path.glob(f"{name}-*.png"))
        assert pages
        for png in pages:
            image = Image.open(png).convert("RGB")
            middle = [image.getpixel((x, image.height // 2)) for x in range(image.width // 8)]
            assert any(r > 120 and g < 60 and b < 60 for r, g, b in middle) == red, png


# --- 6. edition stamp -----------------------------------------------------------------------------


def test_every_page_of_every_handout_carries_version_review_date_and_fingerprint(
    real_site: Path, trainer_handouts: Path, course: Course
) -> None:
    fingerprint = content_fingerprint(REPO)
    assert re.fullmatch(r"[0-9a-f]{12}", fingerprint)
    expected = stamp(course) + fingerprint
    for name in NAMES:
        for paper in PAPERS:
            pages = page_texts(handout(real_site, name, paper, trainer_handouts))
            for number, text in enumerate(pages, start=1):
                assert expected in text, (name, paper, number)
                assert f"page {number} of {len(pages)}" in text


def test_site_pages_carry_the_same_stamp_for_paper(real_site: Path, course: Course) -> None:
    class Footer(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.text = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if self.depth or "cs-edition" in (dict(attrs).get("class") or ""):
                self.depth += 1

        def handle_endtag(self, tag: str) -> None:
            self.depth = max(0, self.depth - 1)

        def handle_data(self, data: str) -> None:
            if self.depth:
                self.text += data

    expected = stamp(course) + content_fingerprint(REPO)
    for page in (real_site / "index.html", real_site / MODULE / "checklist" / "index.html"):
        parser = Footer()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.text.strip() == expected, page


def test_the_fingerprint_follows_the_content_and_nothing_else(tmp_path: Path) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "one", pdf=False)
    first = content_fingerprint(project)
    assert content_fingerprint(copy_course(FIXTURES / "minimal", tmp_path / "two")) == first
    (project / "content" / ".schemas").mkdir(exist_ok=True)
    (project / "content" / ".schemas" / "x.json").write_text("{}", encoding="utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("built", encoding="utf-8")
    assert content_fingerprint(project) == first
    course = project / "content" / "course.yml"
    text = course.read_text(encoding="utf-8")
    course.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert content_fingerprint(project) == first
    course.write_text(text.replace("title:", "title: New", 1), encoding="utf-8")
    assert content_fingerprint(project) != first


# --- 4. room to write, breaks ---------------------------------------------------------------------


def _layout_boxes(handout: Handout) -> list[object]:
    """WeasyPrint's laid-out boxes of every page of a handout, flattened."""
    import weasyprint

    from generator.render.pdf import _fetcher, base_url

    document = weasyprint.HTML(
        string=handout.html, base_url=base_url(handout), url_fetcher=_fetcher(handout)
    ).render()
    out: list[object] = []
    stack = [page._page_box for page in document.pages]
    while stack:
        box = stack.pop()
        out.append(box)
        stack.extend(getattr(box, "children", ()))
    return out


def test_the_blank_checklist_gives_notes_a_third_of_the_table(course: Course) -> None:
    from weasyprint.formatting_structure import boxes

    from generator.render.handouts import render_handouts

    for item in render_handouts(course, course.modules[0], "0123456789ab"):
        if item.name != "checklist":
            continue
        laid_out = _layout_boxes(item)
        table = next(b for b in laid_out if isinstance(b, boxes.TableBox))
        notes = next(
            b
            for b in laid_out
            if isinstance(b, boxes.TableCellBox)
            and b.element.tag == "th"
            and "".join(b.element.itertext()) == "Notes"
        )
        assert notes.border_width() >= table.border_width() / 3, item.filename


def _bottom_of_text(pdf: Path) -> list[tuple[float, float]]:
    """Per page: (lowest body text line, page height), from poppler's word boxes."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    out = []
    for page in re.findall(r"<page [^>]*>.*?</page>", xhtml, re.S):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page) if float(y) < height - 60]
        out.append((max(bottoms), height))
    return out


def test_no_handout_wastes_the_bottom_of_its_first_page(
    real_site: Path, trainer_handouts: Path
) -> None:
    for name in NAMES:
        for paper in PAPERS:
            pages = _bottom_of_text(handout(real_site, name, paper, trainer_handouts))
            if len(pages) > 1:
                bottom, height = pages[0]
                assert bottom > 0.75 * height, (name, paper, bottom, height)


def test_the_letter_lifecycle_guide_leaves_no_phase_alone(real_site: Path) -> None:
    pages = page_texts(handout(real_site, "lifecycle-guide", "letter"))
    for text in pages:
        phases = re.findall(r"Phase \d:", text)
        assert len(phases) != 1 or len(pages) == 1, pages


def _table_handout(rows: int, row_height_mm: int) -> Handout:
    body = "".join(
        f'<tr><td style="height:{row_height_mm}mm">Row {n}</td></tr>' for n in range(1, rows + 1)
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
        '<link rel="stylesheet" href="handout.css"><style>@page { size: A4; }</style></head>'
        f"<body><main><h2>Table</h2><table><thead><tr><th>Head</th></tr></thead><tbody>{body}"
        "</tbody></table></main></body></html>"
    )
    return Handout("t", "T", "a4", html, "stamp", datetime.date(2025, 1, 1))


@pytest.mark.parametrize("rows", [5, 6, 7])
def test_a_table_never_leaves_its_last_row_alone_on_a_page(rows: int) -> None:
    """Rows of 45 mm: five fit an A4 page; the sixth would stand alone, so the fifth joins it."""
    pages = page_texts(render_pdf(_table_handout(rows, 45)))
    counts = [len(re.findall(r"Row \d", text)) for text in pages]
    assert sum(counts) == rows
    assert 1 not in counts[1:], counts


# --- 7. reproducible whichever subsetter ---------------------------------------------------------

RENDER = """
import sys
from pathlib import Path
if sys.argv[1] == "fonttools":
    import cffi
    real = cffi.FFI.dlopen
    def dlopen(self, name, *args, **kwargs):
        if name and "harfbuzz-subset" in str(name):
            raise OSError(f"{name}: hidden for this test")
        return real(self, name, *args, **kwargs)
    cffi.FFI.dlopen = dlopen
from weasyprint.text import ffi
from generator.source.fingerprint import content_fingerprint
from generator.load import load_course
from generator.render.pdf import publish_handouts
root = Path(sys.argv[2])
course = load_course(root).course
publish_handouts(course, Path(sys.argv[3]), content_fingerprint(root))
print("harfbuzz" if ffi.harfbuzz_subset is not None else "fonttools")
"""


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_two_builds_give_byte_identical_pdfs_with_either_font_subsetter(
    tmp_path: Path, subsetter: str
) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    outputs = []
    for run, seed in (("one", "1"), ("two", "2")):
        out = tmp_path / run
        result = subprocess.run(
            [sys.executable, "-c", RENDER, subsetter, str(project), str(out)],
            env={**env, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == subsetter  # the path under test really ran
        outputs.append({p.name: p.read_bytes() for p in sorted(out.rglob("*.pdf"))})
    assert outputs[0] and sorted(outputs[0]) == sorted(outputs[1])
    assert [n for n in outputs[0] if outputs[0][n] != outputs[1][n]] == []


# --- bad input ------------------------------------------------------------------------------------


def test_one_failing_handout_is_named_and_the_previous_handouts_stay(
    tmp_path: Path, course: Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    publish_handouts(course, tmp_path, "0123456789ab", trainer=True)
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    real = weasyprint.HTML

    def fails_on_the_trainer_edition(*args: object, **kwargs: object) -> object:
        if TRAINER_MARK in str(kwargs.get("string", "")):
            raise ValueError("table too wide")
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", fails_on_the_trainer_edition)
    with pytest.raises(
        HandoutError, match=r"^handout 'trainer-edition-a4' could not be rendered: table too wide"
    ):
        publish_handouts(course, tmp_path, "ba9876543210", trainer=True)
    after = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert after == before  # nothing half-written, no temporary file, no handout replaced


def test_a_missing_font_is_named_before_anything_is_written(tmp_path: Path) -> None:
    """Fontconfig with no fonts: WeasyPrint would crash; the handouts command says why."""
    empty = tmp_path / "fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{empty}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    project = copy_course(FIXTURES / "minimal", tmp_path / "course")
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.adapters.cli",
            "--root",
            str(project),
            "handouts",
            "--out",
            str(out),
        ],
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 1, result.stderr
    assert (
        "handouts failed: handout 'module-handout-a4' could not be rendered: fonts DejaVu Sans "
        "and DejaVu Sans Mono not installed; install the Debian packages fonts-dejavu-core"
    ) in result.stderr
    # No handout: at most the output folder's marker (generator/output/guard.py) is there.
    assert not out.exists() or [p.name for p in out.rglob("*")] in ([], [".coursesmith-output"])


# --- 5. HTML handouts -----------------------------------------------------------------------------


def html_handouts(site: Path, names: list[str]) -> list[Path]:
    files = sorted((site / MODULE / "handouts").glob("*.html"))
    assert len(files) == len(names) * len(PAPERS)
    return files


def test_the_nu_html_checker_finds_no_error_in_the_html_handouts(
    real_site: Path, trainer_handouts: Path
) -> None:
    handouts = real_site / MODULE / "handouts"
    files = [*html_handouts(real_site, NAMES[:-1]), handouts / "handout.css"]
    assert nu_html_errors(files, handouts, css=True) == []
    trainer = trainer_handouts / MODULE / "handouts"
    assert nu_html_errors(sorted(trainer.glob("trainer-edition-*.html")), trainer) == []


# Errors in Material for MkDocs' own markup, not ours: its drawer and search toggles are
# checkboxes marked autocomplete="off" (HTML allows it only on text-like inputs), and its table of
# contents title is a label for a toggle that pages without headings do not have.
MATERIAL_MARKUP = ('class="md-toggle"', 'class="md-nav__title" for="__toc"')


def test_the_nu_html_checker_finds_no_error_of_ours_in_the_site_pages(real_site: Path) -> None:
    pages = sorted(real_site.rglob("index.html"))
    assert len(pages) > 15
    assert nu_html_errors(pages, real_site, ignore=MATERIAL_MARKUP) == []


@pytest.mark.browser
def test_html_handouts_have_no_axe_violations(
    page: object, real_site_url: str, trainer_handouts_url: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    axe = Axe()
    failures = {}
    for name in NAMES:
        for paper in PAPERS:
            url = trainer_handouts_url if name == "trainer-edition" else real_site_url
            page.goto(f"{url}/{MODULE}/handouts/{name}-{paper}.html")
            assert page.locator("main h1").count() == 1
            violations = axe.run(page).response["violations"]
            if violations:
                failures[f"{name}-{paper}"] = [v["id"] for v in violations]
    assert failures == {}


@pytest.mark.browser
def test_html_handouts_read_as_a_column_on_screen(page: object, real_site_url: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{real_site_url}/{MODULE}/handouts/module-handout-a4.html")
    width = page.evaluate("document.querySelector('main').getBoundingClientRect().width")
    assert 500 < width < 800
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 15
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_no_html_handout_scrolls_sideways_on_a_phone(
    page: object, real_site_url: str, trainer_handouts_url: str
) -> None:
    """At 390 px every handout fits the screen: long addresses wrap, tables narrow (the wide
    checklist and lifecycle tables scroll inside their own region, not the page)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 390, "height": 844})
    wide = {}
    for name in NAMES:
        for paper in PAPERS:
            url = trainer_handouts_url if name == "trainer-edition" else real_site_url
            page.goto(f"{url}/{MODULE}/handouts/{name}-{paper}.html")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[f"{name}-{paper}"] = width
    assert wide == {}


@pytest.mark.browser
@pytest.mark.parametrize("name", ["checklist", "quiz-sheet", "trainer-edition"])
def test_chromium_prints_the_running_header_and_footer_on_every_page(
    page: object, real_site_url: str, trainer_handouts_url: str, course: Course, name: str
) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    expected = stamp(course) + content_fingerprint(REPO)
    url = trainer_handouts_url if name == "trainer-edition" else real_site_url
    page.goto(f"{url}/{MODULE}/handouts/{name}-letter.html")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (round(float(v)) for v in reader.pages[0].mediabox.upper_right)
    assert (width, height) == (612, 792)
    # Chromium sets "ff" as a ligature; NFKC reads it back as two letters.
    pages = [unicodedata.normalize("NFKC", text) for text in page_texts(pdf)]
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert course.title in text and "LRN-BEG-015" in text, number
        assert expected in text, number
        assert f"page {number} of {len(pages)}" in text, number
        assert (TRAINER_MARK in text) == (name == "trainer-edition"), number


@pytest.mark.parametrize(
    ("authored", "printed"),
    [
        ((True, False), (False, True)),  # correct first as written: swapped
        ((False, True), (True, False)),  # only one other order exists: it differs at least
        ((True, True, False, False, False), None),
    ],
)
def test_choice_order_never_repeats_the_authored_order(
    authored: tuple[bool, ...], printed: tuple[bool, ...] | None
) -> None:
    from generator.model import Choice, Question

    question = Question(
        id="q",
        type="multiple",
        prompt="Which?",
        lesson="intro",
        objective="o",
        explanation="Because.",
        choices=tuple(
            Choice(id=f"c{n}", text=f"Choice {n}", correct=c) for n, c in enumerate(authored)
        ),
    )
    order = choice_order(question)
    assert order != question.choices and sorted(c.id for c in order) == [
        c.id for c in question.choices
    ]
    if printed is not None:
        assert tuple(c.correct for c in order) == printed
    else:
        assert not (order[0].correct and order[1].correct)


# --- 7. pages used well ---------------------------------------------------------------------------


def _lines(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, str]]]]:
    """Per page: (width, height, lines), each line (top, left edge, right edge, text) from
    poppler's word boxes, top to bottom."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    out = []
    for page in re.findall(r"<page [^>]*>.*?</page>", xhtml, re.S):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        lines: dict[float, list[tuple[float, float, str]]] = {}
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            page,
        ):
            top = round(float(y0))
            lines.setdefault(top, []).append((float(x0), float(x1), html_unescape(word)))
        rows = [
            (
                top,
                min(x0 for x0, _, _ in words),
                max(x1 for _, x1, _ in words),
                " ".join(w for _, _, w in sorted(words)),
            )
            for top, words in sorted(lines.items())
        ]
        out.append((width, height, rows))
    return out


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


class _Headings(HTMLParser):
    """The text of every h2, h3 and h4 of a handout."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3", "h4"):
            self._in = True
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3", "h4"):
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.texts[-1] += data


def _pdfs(site: Path, trainer: Path) -> list[Path]:
    return [handout(site, name, paper, trainer) for name in NAMES for paper in PAPERS]


def test_every_page_of_every_handout_fits_its_paper(
    real_site: Path, trainer_handouts: Path
) -> None:
    """No word runs past the right margin (17 mm) or off the page: long addresses and table
    cells wrap inside the page box."""
    over = []
    for pdf in _pdfs(real_site, trainer_handouts):
        for number, (width, _height, lines) in enumerate(_lines(pdf), start=1):
            for _top, _left, right, text in lines:
                if right > width - 40:  # 17 mm is 48 pt; a few points for rounding
                    over.append(f"{pdf.name} p{number}: {text[:60]} ({right:.0f} of {width:.0f})")
    assert over == [], over


def test_no_page_of_any_handout_ends_with_a_heading(
    real_site: Path, trainer_handouts: Path
) -> None:
    """The last line of text on a page (above the running footer) is never a heading, nor a
    lesson's time under its heading: a heading goes overleaf with what it introduces."""
    alone = []
    for pdf in _pdfs(real_site, trainer_handouts):
        parser = _Headings()
        parser.feed(pdf.with_suffix(".html").read_text(encoding="utf-8"))
        headings = [" ".join(t.split()) for t in parser.texts if t.strip()]
        pages = _lines(pdf)
        for number, (_width, height, lines) in enumerate(pages[:-1], start=1):
            body = [text for top, _left, _right, text in lines if 60 < top < height - 60]
            while body and re.fullmatch(r"\d+ minutes?", body[-1]):
                body.pop()  # a lesson's time sits under its heading
            last = body[-1] if body else ""
            if any(last and h.endswith(last) for h in headings):
                alone.append(f"{pdf.name} page {number} ends with {last!r}")
    assert alone == [], alone


def test_no_quiz_page_leaves_room_for_the_question_it_sends_overleaf(
    real_site: Path, trainer_handouts: Path
) -> None:
    """A question goes to the next page only when it would not fit: the room left at the foot of
    a page is less than the question that opens the next page."""
    wasted = []
    for name in ("quiz-sheet", "trainer-edition"):
        for paper in PAPERS:
            pdf = handout(real_site, name, paper, trainer_handouts)
            pages = _lines(pdf)
            for number, ((_w, height, lines), (_w2, _h2, following)) in enumerate(
                itertools.pairwise(pages), start=1
            ):
                body = [(top, text) for top, _l, _r, text in lines if 60 < top < height - 60]
                after = [(top, left, text) for top, left, _r, text in following if top > 60]
                after = [line for line in after if line[0] < height - 60]

                def prompt(line: tuple[float, float, str]) -> bool:
                    # A prompt's first line carries its points: "3. Which ... (1 point)".
                    found = re.match(r"\d+\. \S.*\(\d+ points?\)$", line[2])
                    return line[1] < 60 and found is not None

                if not body or not after or not prompt(after[0]):
                    continue  # the next page goes on with a question begun here
                prompts = [line[0] for line in after[1:] if prompt(line)]
                end = prompts[0] if prompts else after[-1][0] + 12
                needed = end - after[0][0]
                room = (height - 51) - (body[-1][0] + 12)  # 18 mm bottom margin, one line
                if room > needed:
                    wasted.append(
                        f"{pdf.name} page {number}: {room:.0f} pt free, {needed:.0f} needed"
                    )
    assert wasted == [], wasted


def test_the_blank_checklist_never_splits_a_status_or_a_word(
    real_site: Path, course: Course
) -> None:
    """ "N/A" stays whole (in the heading too), and every word of an item's label sits whole on
    one line: the narrow columns break lines between words, never inside one."""
    checklist = course.modules[0].checklist
    assert checklist is not None
    words = {w for s in checklist.sections for i in s.items for w in i.label.split() if len(w) > 3}
    for paper in PAPERS:
        lines = [
            text
            for _w, _h, page in _lines(handout(real_site, "checklist", paper))
            for _t, _l, _r, text in page
        ]
        printed = {word for text in lines for word in text.split()}
        assert not [w for w in printed if w.endswith("N/") or w in ("A", "A)")], paper
        assert words - printed == set(), paper


def test_the_session_plan_never_leaves_its_last_row_alone_with_the_total(
    trainer_handouts: Path,
) -> None:
    """The page that ends the session plan (its Total row) carries two lessons at least."""
    for paper in PAPERS:
        for _w, height, lines in _lines(
            handout(trainer_handouts, "trainer-edition", paper, trainer_handouts)
        ):
            texts = [text for top, _l, _r, text in lines if 60 < top < height - 60]
            total = next((i for i, text in enumerate(texts) if text.startswith("Total ")), None)
            if total is not None:
                rows = [text for text in texts[:total] if re.match(r"\d+ [A-Z]", text)]
                assert len(rows) >= 2, (paper, texts[: total + 1])
                break
        else:
            pytest.fail(f"no session plan total in the {paper} trainer edition")


def test_a_long_address_wraps_inside_the_page(tmp_path: Path) -> None:
    """A source whose address has no place to break (a long URL) still prints inside the page
    margins, on the sources handout."""
    import dataclasses

    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    loaded = load_course(project).course
    assert loaded is not None
    source = dataclasses.replace(
        loaded.sources.sources[0], url="https://example.org/" + "averyveryverylongpathsegment" * 6
    )
    course = dataclasses.replace(
        loaded, sources=dataclasses.replace(loaded.sources, sources=(source,))
    )
    from generator.render.handouts import render_handouts

    sheet = next(
        h
        for h in render_handouts(course, course.modules[0], "0123456789ab")
        if h.name == "sources" and h.paper == "a4"
    )
    pdf = tmp_path / "sources-a4.pdf"
    pdf.write_bytes(render_pdf(sheet))
    for width, _height, lines in _lines(pdf):
        assert all(right <= width - 40 for _t, _l, right, _text in lines), lines


# --- admonitions ----------------------------------------------------------------------------------

# The rich course's admonitions, each with the colour of its box's left edge in handout.css: a
# note, an untitled warning (the title is the kind) and a collapsible tip (``???``).
ADMONITIONS = (
    ("foundations", "note", "Keep stages small", (0x1A, 0x4D, 0xCC)),
    ("practice", "warning", "Warning", (0x9A, 0x5B, 0x00)),
    ("practice", "tip", "Ask for the run book", (0x1B, 0x6E, 0x3A)),
)


def _bar_rows(png: Path, colour: tuple[int, int, int]) -> int:
    """How many pixel rows of a page image hold ``colour`` (give or take anti-aliasing)."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    rows = 0
    for y in range(image.height):
        line = [image.getpixel((x, y)) for x in range(image.width // 6)]
        rows += any(all(abs(a - b) <= 12 for a, b in zip(p, colour, strict=True)) for p in line)
    return rows


def test_admonitions_print_as_boxes_with_their_title(rich_site: Path, tmp_path: Path) -> None:
    """A lesson's ``!!! note``, ``!!! warning`` and ``??? tip`` are boxes on paper: the HTML
    handout keeps each title and opens the collapsible one, and the printed page shows the
    title and, beside the text, the box's coloured edge (they printed as plain paragraphs)."""
    for slug, kind, title, colour in ADMONITIONS:
        html = (rich_site / slug / "handouts" / "module-handout-a4.html").read_text("utf-8")
        if kind == "tip":
            assert re.search(rf'<details class="{kind}" open>\s*<summary>{title}</summary>', html)
        else:
            assert re.search(
                rf'<div class="admonition {kind}">\s*<p class="admonition-title">'
                rf"{title}</p>",
                html,
            )
        pdf = rich_site / slug / "handouts" / "module-handout-a4.pdf"
        pages = page_texts(pdf)
        number = next(i for i, text in enumerate(pages, start=1) if title in text)
        out = tmp_path / f"{slug}-{kind}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), str(pdf), out],
            check=True,
        )
        (png,) = tmp_path.glob(f"{slug}-{kind}-*.png")
        # The edge runs the height of the box: a title line and a line of text at least.
        assert _bar_rows(png, colour) >= 20, (slug, kind)
