"""`coursesmith import FILE.docx|FILE.odt`: real Word and OpenDocument files (made by python-docx
and LibreOffice, see tests/fixtures/word/make_fixtures.py) imported into empty courses, checked,
and built into real sites whose text is compared with the document's."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from pypdf import PdfReader

from generator.adapters.cli import main
from generator.load import load_course

from .conftest import FIXTURES, build, write_config
from .test_import import empty_course, page_text, run_import, snapshot

WORD = FIXTURES / "word"
SLUG = "handling-customer-data-safely"
MODULE = f"content/modules/{SLUG}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODF_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def imported(folder: Path, document: Path, *args: str) -> Path:
    project = empty_course(folder)
    assert main(["--root", str(project), "import", str(document), *args]) == 0
    return project


@pytest.fixture(scope="module")
def docx_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return imported(tmp_path_factory.mktemp("docx") / "course", WORD / "module.docx")


@pytest.fixture(scope="module")
def odt_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return imported(tmp_path_factory.mktemp("odt") / "course", WORD / "module.odt")


FIXTURE_MODULES = {
    "module.docx": SLUG,
    "module.odt": "handling-customer-data-safely-odt",
    "messy.docx": "team-onboarding-notes",
}


@pytest.fixture(scope="module")
def three_module_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One course with the three fixtures imported, built once."""
    project = empty_course(tmp_path_factory.mktemp("three") / "course")
    for name, slug in FIXTURE_MODULES.items():
        assert main(["--root", str(project), "import", str(WORD / name), "--module", slug]) == 0
    # With PDFs, for the picture's test. Not strict: the messy document's picture has no alt
    # text, a warning the import reports at its line for the author to fix.
    write_config(project, pdf=True)
    return build(project, strict=False)


def lesson(project: Path, number: int) -> str:
    path = next((project / MODULE / "lessons").glob(f"{number:02d}-*.md"))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_styles_lists_tables_pictures_notes_and_comments_are_kept(
    kind: str, request: pytest.FixtureRequest
) -> None:
    project: Path = request.getfixturevalue(f"{kind}_project")
    module = yaml.safe_load((project / MODULE / "module.yml").read_text(encoding="utf-8"))
    assert (module["code"], module["title"]) == ("LRN-INT-030", "Handling Customer Data Safely")
    assert module["level"] == "intermediate"
    assert module["lessons"] == ["why-data-handling-matters", "handling-a-request"]
    first, second = lesson(project, 1), lesson(project, 2)
    # Title style, Heading 1 as the lesson, Heading 2 and 3 as its sections.
    assert "title: Why data handling matters" in first
    assert "\n## What counts as personal data\n" in first
    assert "\n### Special categories\n" in first
    # Bold, italic, a link; smart quotes and a non-breaking space as typed.
    assert "**personal data**" in first and "*private*" in first
    assert re.search(r"\[\*?data policy\*?\]\(https://example\.org/policy\)", first)
    assert "“it’s only an email address”\u00a0—" in first and "10\u00a0000" in first
    # Nested lists from Word's numbering (levels, not typed markers).
    assert re.search(r"- Names and contact details\n\n?    (?:-|1\.) Work email addresses", first)
    assert re.search(r"1\. Confirm the caller’s identity\n\n?    1\. Ask two security", second)
    # The table: header row, the merged cell's text in both rows it spans.
    assert "| **Record** | **Kept for** | **Owner** |" in second
    assert "| Identity checks | 1 year | Security |" in second
    assert "| Complaints | 6 years | Security |" in second
    # The picture beside the module, its alt text and its caption.
    image = re.search(
        r"!\[Diagram: a customer request flows to an identity check\]\(\.\./images/(image1\.png)\)",
        first,
    )
    assert image is not None
    assert (project / MODULE / "images" / image.group(1)).read_bytes().startswith(b"\x89PNG")
    assert "Figure 1: How a request reaches the identity check" in first
    # A footnote naming a source: cited at its place, the source in sources.yml with its pages.
    assert "before you start. [@doe-2017]" in first
    sources = yaml.safe_load((project / "content/sources.yml").read_text(encoding="utf-8"))
    by_key = {s["key"]: s for s in sources["sources"]}
    assert by_key["doe-2017"]["pages"] == "3–18"
    assert by_key["doe-2017"]["venue"] == "IEEE Symposium on Security and Privacy"
    assert by_key["smith2020privacy"]["pages"] == "45–60"
    # Another footnote stays in the text; the comment is a trainer note after its paragraph.
    assert "(Note: Figures from the 2025 internal audit, rounded.)" in first
    assert re.search(
        r"their own work\.\n\n::: trainer\nComment \(Sam Trainer\): Trainers: allow five minutes",
        first,
    )
    # Components recognised as the text importer does.
    role = yaml.safe_load((project / MODULE / "components/role-template.yml").read_text())
    assert role["role"] == "Data Steward"
    assert [g["title"] for g in role["groups"]] == ["Daily work", "Incidents"]
    checklist = yaml.safe_load((project / MODULE / "components/checklist.yml").read_text())
    assert [s["title"] for s in checklist["sections"]] == ["Before the call", "After the call"]
    # As written, the module passes the strict check.
    result = load_course(project)
    assert result.course is not None
    assert not list(result.diagnostics), [str(d) for d in result.diagnostics]


def test_import_report_lists_what_changed_with_its_place(docx_project: Path) -> None:
    report = (docx_project / MODULE / "import-report.md").read_text(encoding="utf-8")
    assert report.startswith("# Import report: module.docx\n")
    assert "module.docx (§1 'Why data handling matters'): section" in report
    assert re.search(r"lessons/02-handling-a-request\.md:\d+:1: warning: merged cells", report)
    assert "footnote 'Figures from the 2025 internal audit, rounded.' placed in the text" in report
    assert "footnote placed as source 'doe-2017'" in report


def _document_texts(path: Path) -> list[str]:
    """Every paragraph, list item, table cell and text box of the document, read without the
    importer: python-docx for .docx, the OpenDocument XML for .odt."""
    if path.suffix == ".odt":
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("content.xml"))
        body = root.find(f"{ODF_OFFICE}body")
        assert body is not None
        svg = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
        skipped = {*body.iter(f"{ODF_OFFICE}annotation"), *body.iter(f"{ODF_TEXT}note")}
        skipped |= {*body.iter(f"{svg}desc"), *body.iter(f"{svg}title")}  # alt text
        inside = {e for s in skipped for e in s.iter()}
        texts = [
            _odf_text(p, skipped)
            for p in body.iter()
            if p.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h") and p not in inside
        ]
    else:
        doc = Document(str(path))
        texts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            texts += [cell.text for row in table.rows for cell in row.cells]
        boxes = doc.element.body.iter(qn("w:txbxContent"))
        texts += ["".join(t.text or "" for t in box.iter(qn("w:t"))) for box in boxes]
    return [t for t in (_normal(t) for t in texts) if t]


def _odf_text(node: ElementTree.Element, skipped: set[ElementTree.Element]) -> str:
    """An OpenDocument paragraph's text without its footnotes and comments."""
    out = [node.text or ""]
    for child in node:
        if child not in skipped:
            out.append(_odf_text(child, skipped))
        out.append(child.tail or "")
    return "".join(out)


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("\u00a0", " ")
    text = text.replace("–", "-")
    text = re.sub(r"^\[[a-z0-9-]+\]\s*", "", text)  # a source line's key
    text = re.sub(r"^(?:\d+\)|[a-z]\.)\s+", "", text)  # numbering typed by hand
    text = re.sub(r"^[A-Z]+(?:-[A-Z0-9]+)+:\s*", "", text)  # the module code before the title
    return re.sub(r"\s+", " ", text.replace("[ ]", "")).strip().rstrip(":")


@pytest.mark.parametrize("name", list(FIXTURE_MODULES))
def test_every_paragraph_list_item_and_cell_reaches_the_site(
    name: str, three_module_site: Path
) -> None:
    """The site's text (lessons, component pages, handouts' HTML, sources) holds every text of
    the document, whitespace, quotes and dashes normalised; the share is printed."""
    pages = [p for p in three_module_site.rglob("*.html") if "search" not in p.parts]
    site = _normal(" ".join(page_text(p) for p in pages))
    site = site.replace("’", "'").replace("“", '"').replace("”", '"')
    texts = _document_texts(WORD / name)
    missing = [t for t in texts if t not in site]
    share = 1 - len(missing) / len(texts)
    print(f"{name}: {share:.1%} of {len(texts)} paragraphs, items and cells reached the site")
    # The heading of the section that holds the components names no page of its own.
    assert [t for t in missing if t != "Practical Components"] == []


def test_messy_document_imports_with_warnings_at_the_written_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    status, out, _err = run_import(project, WORD / "messy.docx", capsys=capsys)
    assert status == 0
    base = "content/modules/team-onboarding-notes/lessons"
    first = (project / base / "01-getting-started.md").read_text(encoding="utf-8").split("\n")
    second = (project / base / "02-tools-we-use.md").read_text(encoding="utf-8").split("\n")

    def at(path: str, lines: list[str], needle: str, message: str) -> None:
        number = next(n for n, line in enumerate(lines, start=1) if needle in line)
        assert f"{base}/{path}:{number}:1: warning: {message}" in out, (path, number, message)

    at("01-getting-started.md", first, "title: Getting started", "this bold line looked like")
    at("01-getting-started.md", first, "1. Collect your badge", "this looked like a numbered")
    at("01-getting-started.md", first, "    1. Bring photo ID", "this looked like a lettered")
    at("02-tools-we-use.md", second, "Chat is for quick questions.", "a table used for layout")
    at(
        "02-tools-we-use.md",
        second,
        "Tip: bookmark the ticket queue",
        "this text was in a text box",
    )
    at("02-tools-we-use.md", second, "![](../images/image1.png)", "this image has no alt text")
    assert "3 empty paragraph(s) dropped" in out
    assert "a page header or footer: 'Confidential – internal use only' not carried over" in out
    assert "its first line, in bold, 'Team Onboarding Notes' is the module title" in out
    result = load_course(project)
    assert result.course is not None and not result.diagnostics.has_errors()


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_tracked_changes_are_refused_naming_each_change(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pandoc applies an OpenDocument file's changes silently: the importer names them too."""
    project = empty_course(tmp_path / "course")
    before = snapshot(project)
    status, _out, err = run_import(project, WORD / f"tracked.{kind}", capsys=capsys)
    assert status == 1
    assert "§1 'Choosing a password', paragraph 1: deleted 'eight' by Dana Reviewer" in err
    assert "§1 'Choosing a password', paragraph 1: inserted 'four random' by Dana Reviewer" in err
    assert "--accept-changes" in err
    assert snapshot(project) == before


@pytest.mark.parametrize("kind", ["docx", "odt"])
@pytest.mark.parametrize(
    ("flag", "kept", "gone"),
    [("--accept-changes", "four random", "eight"), ("--reject-changes", "eight", "four random")],
)
def test_tracked_changes_are_accepted_or_rejected_on_request(
    kind: str,
    flag: str,
    kept: str,
    gone: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = empty_course(tmp_path / "course")
    status, out, _err = run_import(project, WORD / f"tracked.{kind}", flag, capsys=capsys)
    assert status == 0
    text = next(project.glob("content/modules/*/lessons/01-*.md")).read_text(encoding="utf-8")
    assert f"Use a passphrase of {kept} words." in text
    assert gone not in text
    verb = "accepted" if flag == "--accept-changes" else "rejected"
    assert f"tracked change {verb}: inserted 'four random' by Dana Reviewer" in out


def _bad_files(folder: Path) -> dict[str, Path]:
    good = (WORD / "module.docx").read_bytes()
    png = folder / "picture.docx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    truncated = folder / "truncated.docx"
    truncated.write_bytes(good[: len(good) // 2])
    return {
        "renamed PNG": png,
        "truncated zip": truncated,
        "password-protected": WORD / "password.docx",
        "zip bomb": WORD / "bomb.docx",
        ".doc": WORD / "old-format.doc",
    }


EXPECTED = {
    "renamed PNG": "this is a PNG image, not a Word (.docx) or OpenDocument (.odt) document",
    "truncated zip": "the file is damaged or truncated",
    "password-protected": "the document is password-protected",
    "zip bomb": "zip bomb",
    ".doc": "save it as .docx",
}


def test_bad_files_get_one_clear_line_fast_small_and_write_nothing(tmp_path: Path) -> None:
    """Each in a real process: exit 1 within seconds, under 200 MB, printable text only."""
    project = empty_course(tmp_path / "course")
    before = snapshot(project)
    script = Path(sys.executable).parent / "coursesmith"
    for what, path in _bad_files(tmp_path).items():
        started = time.monotonic()
        status, out, err, peak_mb = _run_measured(
            [str(script), "--root", str(project), "import", str(path)], timeout=60
        )
        took = time.monotonic() - started
        assert status == 1, (what, err)
        assert took < 10, (what, took)
        assert EXPECTED[what] in err, (what, err)
        assert all(c.isprintable() or c == "\n" for c in err), (what, err)
        assert err.count("\n") == 1 and err.endswith("; nothing written\n"), (what, err)
        assert out == b""
        assert snapshot(project) == before, what
        # This import's own peak (with pandoc's, which it waits for): the session's other
        # processes are not counted, as RUSAGE_CHILDREN would count them.
        assert peak_mb < 200, (what, peak_mb)


# Runs a command and writes the peak memory (KB) of it and what it waited for into a file. The
# command is started from this small process, not from pytest's: Linux counts a child's memory
# from before its exec, so anything forked from a long test session reports the session's size.
_MEASURE = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[2:]);"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss));"
    "sys.exit(done.returncode)"
)


def _run_measured(args: list[str], timeout: float) -> tuple[int, bytes, str, float]:
    """Run ``args``: exit status, stdout, stderr and the peak memory (MB) of that process
    and the processes it waited for (pandoc)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(report), *args],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        peak_kb = int(report.read_text(encoding="utf-8"))
    return done.returncode, done.stdout, done.stderr.decode("utf-8"), peak_kb / 1024


def test_zip_bomb_is_refused_from_its_declared_sizes() -> None:
    with zipfile.ZipFile(WORD / "bomb.docx") as archive:
        assert sum(i.file_size for i in archive.infolist()) > 2**30
        assert (WORD / "bomb.docx").stat().st_size < 2 * 2**20


def test_an_existing_module_is_never_replaced(
    docx_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = imported(tmp_path / "course", WORD / "module.docx")
    before = snapshot(project)
    status, _out, err = run_import(project, WORD / "module.odt", capsys=capsys)
    assert status == 1 and "already exists; nothing written" in err
    assert snapshot(project) == before
    assert not list(project.glob(".coursesmith-import-*"))


def test_a_document_without_headings_is_one_lesson(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neither Heading 1 nor a bold line standing in for one: one lesson, said so (the text
    importer refuses a document without sections)."""
    doc = Document()
    doc.add_paragraph("Security Basics", style="Title")
    doc.add_paragraph("Lock your screen when you leave your desk.")
    doc.add_paragraph("Report lost badges the same day.")
    path = tmp_path / "plain.docx"
    doc.save(str(path))
    project = empty_course(tmp_path / "course")
    status, out, _err = run_import(project, path, capsys=capsys)
    assert status == 0
    lessons = list((project / "content/modules/security-basics/lessons").glob("*.md"))
    assert [p.name for p in lessons] == ["01-security-basics.md"]
    assert "Report lost badges the same day." in lessons[0].read_text(encoding="utf-8")
    assert "the document is one lesson named after the title" in out


def test_author_text_that_looks_like_markup_stays_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tags, Markdown marks and unsafe links typed in Word stay the characters typed: escaped
    in the lesson, never a tag, emphasis or a javascript: link."""
    doc = Document()
    doc.add_paragraph("Markup Test", style="Title")
    doc.add_heading("Typed characters", level=1)
    doc.add_paragraph("Type <script>alert(1)</script> and *stars* or _underscores_ [x](y).")
    doc.add_paragraph("# not a heading")
    para = doc.add_paragraph("Click ")
    r_id = para.part.relate_to("javascript:alert(1)", RT.HYPERLINK, is_external=True)
    para._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:t>here</w:t></w:r>'
            "</w:hyperlink>"
        )
    )
    path = tmp_path / "markup.docx"
    doc.save(str(path))
    project = empty_course(tmp_path / "course")
    status, out, _err = run_import(project, path, capsys=capsys)
    assert status == 0
    text = next(project.glob("content/modules/*/lessons/01-*.md")).read_text(encoding="utf-8")
    assert "Type &lt;script>alert(1)&lt;/script> and \\*stars\\* or \\_underscores\\_" in text
    assert "[x]\\(y)" in text
    assert "\\# not a heading" in text
    assert "javascript:" not in text and "Click here" in text
    assert "the link to 'javascript:alert(1)' (only web and mail links are kept)" in out


def test_an_endnote_naming_a_source_becomes_a_citation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(WORD))
    try:
        from make_fixtures import Footnotes  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(WORD))
    doc = Document()
    doc.add_paragraph("Endnote Test", style="Title")
    doc.add_heading("Reading", level=1)
    endnotes = Footnotes(doc, "endnote")
    endnotes.add(
        doc.add_paragraph("Phishing is the most common attack."),
        "Lee, K. (2022). Phishing in practice. *Journal of Security*, 8(1), 10-22.",
    )
    endnotes.attach()
    path = tmp_path / "endnote.docx"
    doc.save(str(path))
    project = empty_course(tmp_path / "course")
    status, _out, _err = run_import(project, path, capsys=capsys)
    assert status == 0
    text = next(project.glob("content/modules/*/lessons/01-*.md")).read_text(encoding="utf-8")
    assert "Phishing is the most common attack. [@lee-2022]" in text
    sources = yaml.safe_load((project / "content/sources.yml").read_text(encoding="utf-8"))
    (lee,) = sources["sources"]
    assert (lee["key"], lee["venue"], lee["volume"], lee["issue"], lee["pages"]) == (
        "lee-2022",
        "Journal of Security",
        "8",
        "1",
        "10–22",
    )


def test_a_lesson_table_with_paragraphs_in_a_cell_stays_a_lesson_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Outside the components' heading a cell's paragraphs are joined on one line (raw '<br>'
    shows as text in a lesson), so the lesson is not mistaken for a lifecycle guide; a line
    break in a paragraph is a space."""
    doc = Document()
    doc.add_paragraph("Room Setup", style="Title")
    doc.add_heading("Before the session", level=1)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Step", "What to do"
    table.cell(1, 0).text = "Prepare"
    table.cell(1, 1).text = "Check the room"
    table.cell(1, 1).add_paragraph("Print the handouts")
    para = doc.add_paragraph("Line one")
    para.add_run().add_break()
    para.add_run("line two")
    path = tmp_path / "cells.docx"
    doc.save(str(path))
    project = empty_course(tmp_path / "course")
    status, out, _err = run_import(project, path, capsys=capsys)
    assert status == 0
    text = (project / "content/modules/room-setup/lessons/01-before-the-session.md").read_text()
    assert "| Prepare | Check the room Print the handouts |" in text
    assert "Line one line two" in text and "<br>" not in text
    assert not (project / "content/modules/room-setup/components").exists()
    assert "the paragraphs of the table cell 'Check the room Print the handouts' joined" in out


def test_the_imported_picture_reaches_every_output(three_module_site: Path, tmp_path: Path) -> None:
    """The picture shows in the site, the HTML and PDF handouts, the SCORM packages and the
    offline zip, the same bytes as in the document."""
    project = three_module_site.parent
    original = (project / MODULE / "images/image1.png").read_bytes()
    page = three_module_site / SLUG / "why-data-handling-matters/index.html"
    html = page.read_text(encoding="utf-8")
    found = re.search(r'<img[^>]*src="([^"]+image1\.png)"', html)
    assert found is not None
    assert 'alt="Diagram: a customer request flows to an identity check"' in html
    assert (page.parent / found.group(1)).resolve().read_bytes() == original
    handout = three_module_site / SLUG / "handouts/module-handout-a4.html"
    assert "image1.png" in handout.read_text(encoding="utf-8")
    pdf = PdfReader(three_module_site / SLUG / "handouts/module-handout-a4.pdf")
    assert any(sheet.images for sheet in pdf.pages)
    for kind in ("scorm", "offline"):
        out = tmp_path / kind
        assert main(["--root", str(project), "export", kind, "--out", str(out)]) == 0
        packages = [p for p in out.rglob("*.zip") if kind == "offline" or SLUG in p.name]
        assert packages, kind
        for archive in packages:
            with zipfile.ZipFile(archive) as package:
                names = [n for n in package.namelist() if n.endswith("images/image1.png")]
                assert names, (kind, archive.name)
                assert original in [package.read(n) for n in names]
