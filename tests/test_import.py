"""`coursesmith import`: the seed module document and variations of it, imported into empty
courses, loaded back through the loader and built into real sites."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.adapters.cli import main
from generator.load import load_course

from .conftest import FIXTURES, REPO, SOURCE_DOCUMENT, build, copy_course, write_config

# The source document of the shipped module, mojibake and all.
SEED = SOURCE_DOCUMENT
IMPORTS = FIXTURES / "import"
SEED_SLUG = "the-role-of-ai-engineers-in-mitigating-risks"
SPECIAL = ("Practical Components", "Sources", "Source Collection Metadata", "Source Evaluation")

EMPTY_COURSE = """\
# An empty course: the importer adds the module below.
id: imported
title: Imported Course
description: A course that starts empty.
audience: Testers
version: "0.1"
owner: QA
last_reviewed: 2025-04-23
modules: []
"""


BLOCK_TAGS = {"p", "li", "ul", "ol", "td", "th", "tr", "div", "br", "h1", "h2", "h3", "h4", "nav"}


class _Text(HTMLParser):
    """A page's visible text (no scripts or styles): blocks apart, inline runs joined."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    # Inline Markdown in YAML fields is rendered with typographic quotes.
    text = "".join(parser.parts).replace("¶", " ").replace("’", "'").replace("“", '"')
    return squash(text.replace("”", '"'))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def markdown_text(line: str) -> str:
    """A source line as a reader sees it: no list marker, emphasis or code marks."""
    line = re.sub(r"^\s*(?:[*+-]|\d+[.)])\s+", "", line)
    line = re.sub(r"^#+\s+(?:\d+\.\s+)?", "", line)
    return squash(re.sub(r"[*`]", "", line))


def empty_course(folder: Path) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "content/course.yml").write_text(EMPTY_COURSE, encoding="utf-8")
    (folder / "content/glossary.yml").write_text("terms: []\n", encoding="utf-8")
    (folder / "content/sources.yml").write_text("sources: []\n", encoding="utf-8")
    write_config(folder, pdf=False)
    return folder


def run_import(
    project: Path, document: Path, *args: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    status = main(["--root", str(project), "import", str(document), *args])
    out, err = capsys.readouterr()
    return status, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def seed_sections() -> list[tuple[str, list[str]]]:
    """The seed's '##' sections with their text lines, outside fenced blocks."""
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    text = SEED.read_text(encoding="utf-8")
    for line in text.replace("â€“", "–").split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections and not fenced and line.strip():
            sections[-1][1].append(line)
    return sections


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The seed document imported into an empty course, and the site built from it."""
    project = empty_course(tmp_path_factory.mktemp("seed") / "course")
    status = main(["--root", str(project), "import", str(SEED)])
    assert status == 0
    return project, build(project, strict=True), SEED_SLUG


def test_seed_import_loads_without_problems(seed_site: tuple[Path, Path, str]) -> None:
    project, _site, slug = seed_site
    result = load_course(project)
    assert result.ok(strict=False), [str(d) for d in result.diagnostics]
    assert result.course is not None
    (module,) = result.course.modules
    assert module.slug == slug and module.code == "LRN-BEG-015"
    assert module.title == "The Role of AI Engineers in Mitigating Risks"
    lesson_sections = [t for t, _ in seed_sections() if not t.startswith(SPECIAL)]
    assert [lesson.title for lesson in module.lessons] == lesson_sections
    assert module.quiz is not None and module.quiz.questions == ()


def test_seed_components_and_sources_match_the_hand_authored_module(
    seed_site: tuple[Path, Path, str],
) -> None:
    project, site, slug = seed_site
    shipped = load_course(REPO).course
    assert shipped is not None
    hand = shipped.modules[0]
    assert hand.checklist and hand.lifecycle_guide and hand.role_template
    checklist = page_text(site / slug / "checklist/index.html")
    for section in hand.checklist.sections:
        assert section.title in checklist
        for item in section.items:
            assert item.label in checklist and markdown_text(item.description) in checklist
    guide = page_text(site / slug / "lifecycle-guide/index.html")
    for phase in hand.lifecycle_guide.phases:
        assert phase.title in guide
        for text in (*phase.activities, *phase.sme_collaboration):
            assert markdown_text(text) in guide
    role = page_text(site / slug / "role-template/index.html")
    template = hand.role_template
    for text in (template.role, template.overall_responsibility):
        assert text in role
    for group in template.groups:
        assert group.title in role
        for text in group.responsibilities:
            assert markdown_text(text) in role
    imported = load_course(project).course
    assert imported is not None
    sources = page_text(site / "sources/index.html")
    by_key = {s.key: s for s in imported.sources.sources}
    for source in shipped.sources.sources:
        assert source.title in sources
        copy = by_key[source.key]
        assert copy.evaluation == source.evaluation
        assert (copy.authors, copy.year, copy.title, copy.kind) == (
            source.authors,
            source.year,
            source.title,
            source.kind,
        )
        assert (copy.venue, copy.volume, copy.issue, copy.pages) == (
            source.venue,
            source.volume,
            source.issue,
            source.pages,
        )
        assert (copy.arxiv, copy.url, copy.report_number, copy.publisher) == (
            source.arxiv,
            source.url,
            source.report_number,
            source.publisher,
        )
    assert imported.sources.collection == shipped.sources.collection
    assert imported.sources.evaluation == shipped.sources.evaluation


def test_every_line_of_the_seed_lands_in_the_imported_site(
    seed_site: tuple[Path, Path, str],
) -> None:
    project, site, slug = seed_site
    course = load_course(project).course
    assert course is not None
    lessons = iter(course.modules[0].lessons)
    for title, lines in seed_sections():
        if title.startswith(SPECIAL):
            continue
        lesson = next(lessons)
        text = page_text(site / slug / lesson.id / "index.html")
        assert title in text
        for line in lines:
            assert markdown_text(line) in text, (title, line)
    components = " ".join(
        page_text(site / slug / page / "index.html")
        for page in (".", "role-template", "checklist", "lifecycle-guide")
    )
    for title, lines in seed_sections():
        if title == "Practical Components":
            for line in lines:
                assert markdown_text(line) in components, line


def test_no_mojibake_is_left_in_the_site(seed_site: tuple[Path, Path, str]) -> None:
    _project, site, _slug = seed_site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "â€" not in html and "Ã" not in html, path
    sources = page_text(site / "sources/index.html")
    assert "Díaz-Rodríguez" in sources and "Ferrández" in sources


def test_seed_report_names_repairs_guesses_and_the_quirky_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    status, out, _err = run_import(project, SEED, "--dry-run", capsys=capsys)
    assert status == 0
    name = str(SEED)
    assert f"{name}:7:162: warning: repaired mojibake 'â€“' as '–'" in out
    assert f"{name}:216:35: warning: repaired lone 'Ã' as 'í' (a guess" in out
    assert f"{name}:216:117: warning: repaired mojibake 'Ã¡' as 'á'" in out
    assert f"{name}:187:1: warning: table delimiter row has 4 cells, the header has 3" in out
    assert f"{name}:3: section 'Introduction: Building Trustworthy AI' placed as lesson" in out
    assert "18 checklist items" in out and "5 lifecycle phases" in out
    assert "5 sources, 5 evaluations" in out
    assert "write the learning objectives" in out
    assert "Dry run: nothing was written." in out
    assert not (project / "content/modules").exists()
    assert not (project / "quizzes").exists()


# --- variations ----------------------------------------------------------------------------------

VARIATIONS = {
    "other-names.txt": {
        "slug": "securing-machine-learning-pipelines",
        "lessons": ["overview", "core-ideas", "wrap-up"],
        "components": {"role-template.yml", "checklist.yml"},
        "report": [
            ":22: 'Pipeline Owner Role' placed as components/role-template.yml",
            ":36: 'Pipeline Review Checklist' placed as components/checklist.yml",
            "level 'intermediate' read from the module code SEC-INT-201",
            "no lifecycle guide found in the document",
        ],
    },
    "missing-component.txt": {
        "slug": "privacy-basics-for-analysts",
        "lessons": ["introduction", "minimising-data"],
        "components": {"role-template.yml", "lifecycle-guide.yml"},
        "report": ["no checklist found in the document; none written", "0 sources"],
    },
    "extra-section.txt": {
        "slug": "incident-response-for-ai-systems",
        "lessons": ["introduction", "case-study", "conclusion"],
        "components": {"checklist.yml"},
        "report": [
            ":7: section 'Case Study: The Runaway Recommender' placed as lesson 02-case-study",
            ":36:1: warning: sub-section '2. Further Reading' of 'Practical Components' not placed",
        ],
    },
    "column-counts.txt": {
        "slug": "model-cards-in-practice",
        "lessons": ["introduction"],
        "components": {"checklist.yml", "lifecycle-guide.yml"},
        "report": [
            ":15:1: warning: table row has 3 cells, expected 2; extra cell(s) dropped: "
            "'extra note the author left'",
            ":22:1: warning: lifecycle guide table has 2 columns and no SME collaboration column",
            "1 evaluations",
        ],
    },
    "lists-crlf.txt": {
        "slug": "writing-good-prompts",
        "lessons": ["introduction", "habits"],
        "components": set(),
        "report": [":1: CRLF (or CR) line ends read as LF", ":1: byte-order mark dropped"],
    },
}


@pytest.mark.parametrize("name", sorted(VARIATIONS))
def test_variation_imports_loads_and_builds(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = VARIATIONS[name]
    project = empty_course(tmp_path / "course")
    status, out, err = run_import(project, IMPORTS / name, capsys=capsys)
    assert status == 0, err
    for line in expected["report"]:
        assert line in out, line
    result = load_course(project)
    assert result.ok(strict=False), [str(d) for d in result.diagnostics]
    assert result.course is not None
    (module,) = result.course.modules
    assert module.slug == expected["slug"]
    assert [lesson.id for lesson in module.lessons] == expected["lessons"]
    folder = project / "content/modules" / module.slug / "components"
    present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    assert present == expected["components"]
    site = build(project, strict=True)
    assert (site / module.slug / expected["lessons"][0] / "index.html").is_file()


def test_other_names_reads_unfenced_tables_and_all_five_craap_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    assert run_import(project, IMPORTS / "other-names.txt", capsys=capsys)[0] == 0
    course = load_course(project).course
    assert course is not None
    module = course.modules[0]
    assert module.checklist is not None
    assert module.checklist.statuses == ("Done", "Open")
    assert [s.title for s in module.checklist.sections] == ["Ingestion", "Release"]
    assert module.meta.summary.startswith("This module shows how data engineers")
    smith = course.source("smith2022poison")
    assert smith is not None and smith.evaluation is not None
    assert smith.doi == "10.1234/jmls.2022.3" and smith.pages == "10–25"
    ev = smith.evaluation
    assert (ev.currency, ev.relevance, ev.authority, ev.accuracy, ev.purpose) == (4, 5, 3, 4, 4)
    assert ev.rating == "Very good"
    owasp = course.source("owasp2023ml")
    assert owasp is not None and owasp.kind == "web" and owasp.authors == ("OWASP Foundation",)


def test_lists_are_normalised_for_python_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (IMPORTS / "lists-crlf.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # the fixture stays CRLF + BOM
    project = empty_course(tmp_path / "course")
    assert run_import(project, IMPORTS / "lists-crlf.txt", capsys=capsys)[0] == 0
    site = build(project, strict=True)
    html = (site / "writing-good-prompts/habits/index.html").read_text(encoding="utf-8")
    parser = _Nesting()
    parser.feed(html)
    assert ("Name the audience.", 2) in parser.items
    assert ("Check the facts.", 2) in parser.items
    assert ("Start with the goal.", 1) in parser.items
    intro = (site / "writing-good-prompts/introduction/index.html").read_text(encoding="utf-8")
    numbered = _Nesting()
    numbered.feed(intro)
    assert ("They state the task.", 1) in numbered.items


class _Nesting(HTMLParser):
    """List items with their nesting depth."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.items: list[tuple[str, int]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self.depth += 1
        elif tag == "li":
            self._open.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.depth -= 1
        elif tag == "li" and self._open:
            self.items.append((squash("".join(self._open.pop())), self.depth))

    def handle_data(self, data: str) -> None:
        if self._open and not data.startswith("\n"):
            self._open[-1].append(data)


def test_unreadable_document_reports_lines_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    before = snapshot(project)
    document = IMPORTS / "unreadable.txt"
    status, out, err = run_import(project, document, capsys=capsys)
    assert status == 1 and out == ""
    assert f"{document}:1:1: no module heading, expected a first heading '# CODE: Title'" in err
    assert f"{document}:5:1: lines 5–9 (section 'Actions') could not be placed" in err
    assert "nothing written" in err
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"# LRN-BEG-001: Title\n\nOnly an intro.\n", ":1:1: no sections found"),
        (b"# LRN-BEG-001: T\n\n## A\n\nCaf\xe9\n", ":5:4: invalid UTF-8 byte 0xe9"),
        (b"  \n\n", ":1:1: the document is empty"),
    ],
)
def test_documents_it_cannot_understand_write_nothing(
    data: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    document = tmp_path / "doc.txt"
    document.write_bytes(data)
    before = snapshot(project)
    status, _out, err = run_import(project, document, capsys=capsys)
    assert status == 1
    assert f"{document}{message}" in err
    assert snapshot(project) == before


def test_existing_module_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = empty_course(tmp_path / "course")
    document = IMPORTS / "extra-section.txt"
    assert run_import(project, document, capsys=capsys)[0] == 0
    module = project / "content/modules/incident-response-for-ai-systems"
    lesson = module / "lessons/01-introduction.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nEdited by the author.\n", "utf-8")
    before = snapshot(project)
    status, _out, err = run_import(project, document, capsys=capsys)
    assert status == 1
    assert "content/modules/incident-response-for-ai-systems:1:1: already exists" in err
    assert "use --force" in err
    assert snapshot(project) == before
    status, out, _err = run_import(project, document, "--force", capsys=capsys)
    assert status == 0
    assert "Edited by the author." not in lesson.read_text(encoding="utf-8")
    assert "source 'nist2023airmf' is already in content/sources.yml" in out
    course = yaml.safe_load((project / "content/course.yml").read_text(encoding="utf-8"))
    assert course["modules"] == ["incident-response-for-ai-systems"]
    sources = yaml.safe_load((project / "content/sources.yml").read_text(encoding="utf-8"))
    assert [s["key"] for s in sources["sources"]] == ["nist2023airmf"]
    assert load_course(project).ok()


def test_import_into_an_existing_course_keeps_the_authors_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    sources_path = project / "content/sources.yml"
    sources_path.write_text(
        "# The bibliography, kept by hand.\n" + sources_path.read_text(encoding="utf-8"), "utf-8"
    )
    course_before = (project / "content/course.yml").read_text(encoding="utf-8")
    status, out, _err = run_import(project, SEED, "--slug", "risk", capsys=capsys)
    assert status == 0
    sources_text = sources_path.read_text(encoding="utf-8")
    assert sources_text.startswith("# The bibliography, kept by hand.\n")
    keys = [s["key"] for s in yaml.safe_load(sources_text)["sources"]]
    assert keys[0] == "doe2020" and "nist2023airmf" in keys and len(keys) == 6
    course_after = (project / "content/course.yml").read_text(encoding="utf-8")
    assert course_after.startswith(course_before.rstrip("\n"))
    assert yaml.safe_load(course_after)["modules"] == ["m1", "risk"]
    assert "content/modules/risk/module.yml" in out
    result = load_course(project)
    assert result.ok(), [str(d) for d in result.diagnostics]


@pytest.mark.parametrize("slug", ["../escape", "Risk", "a/b"])
def test_bad_slug_is_a_usage_error(
    slug: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    before = snapshot(project)
    assert run_import(project, SEED, "--slug", slug, capsys=capsys)[0] == 2
    assert snapshot(project) == before


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = empty_course(tmp_path / "course")
    status, _out, err = run_import(project, tmp_path / "nope.txt", capsys=capsys)
    assert status == 2 and "cannot read" in err


def test_two_imports_give_identical_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = empty_course(tmp_path / "a")
    second = empty_course(tmp_path / "b")
    for project in (first, second):
        assert run_import(project, SEED, capsys=capsys)[0] == 0
    assert snapshot(first / "content") == snapshot(second / "content")
    assert snapshot(first / "quizzes") == snapshot(second / "quizzes")


def test_console_script_imports_in_a_real_process(tmp_path: Path) -> None:
    project = empty_course(tmp_path / "course")
    done = subprocess.run(
        [str(REPO / ".venv/bin/coursesmith"), "import", str(SEED), "--slug", "seed"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "content/modules/seed/lessons/01-introduction.md" in done.stdout
    assert (project / "content/modules/seed/components/checklist.yml").is_file()
    help_text = subprocess.run(
        [str(REPO / ".venv/bin/coursesmith"), "import", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_text.returncode == 0 and "--dry-run" in help_text.stdout


def test_a_failure_half_way_leaves_the_course_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.importer.write as write

    project = empty_course(tmp_path / "course")
    before = snapshot(project)
    calls: list[str] = []
    real_replace = write.os.replace

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        calls.append(str(dst))
        if len(calls) == 4:  # module and quiz in place, course.yml moved aside: then the disk fails
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    status, _out, err = run_import(project, SEED, capsys=capsys)
    assert status == 1 and "nothing written" in err and "No space left" in err
    assert len(calls) > 4  # the undo ran
    assert snapshot(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["content", "mkdocs.yml"]
    assert sorted(p.name for p in (project / "content").iterdir()) == [
        "course.yml",
        "glossary.yml",
        "sources.yml",
    ]


def test_author_markup_in_the_document_never_becomes_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "hostile.txt"
    document.write_text(
        "# LRN-BEG-099: <script>alert(1)</script> Title\n\n"
        "## Intro <img src=x onerror=alert(2)>\n\n"
        "Text with <script>alert(3)</script> and [a link](javascript:alert(4)).\n\n"
        "## Practical Components\n\n### Checklist\n\n"
        "Item | Description\n---|---\n**<b onclick=alert(5)>S</b>** |\n"
        "[ ] <script>alert(6)</script> | <iframe src=javascript:alert(7)>\n",
        encoding="utf-8",
    )
    project = empty_course(tmp_path / "course")
    status, _out, err = run_import(project, document, "--slug", "hostile", capsys=capsys)
    assert status == 0, err
    site = build(project, strict=True)
    for path in sorted((site / "hostile").rglob("*.html")):
        scripts = _Scripts()
        scripts.feed(path.read_text(encoding="utf-8"))
        assert not [s for s in scripts.found if "alert(" in s], (path, scripts.found)


class _Scripts(HTMLParser):
    """Inline script, event handlers and javascript: links in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.found.append(data)


@pytest.mark.parametrize(
    ("modules", "slug"),
    [
        ("modules: []", "yes"),
        ("modules:\n  - first", "no"),
        ("modules:\n  - first", "2024-01-01"),
        ('modules: ["on", first]  # in order', "null"),
        ("modules:\n  - first", "123"),
    ],
)
def test_slug_yaml_would_misread_is_quoted_in_course_yml(
    modules: str, slug: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    course = project / "content/course.yml"
    course.write_text(EMPTY_COURSE.replace("modules: []", modules), encoding="utf-8")
    before = yaml.safe_load(course.read_text(encoding="utf-8"))["modules"]
    status, _out, err = run_import(project, SEED, "--slug", slug, capsys=capsys)
    assert status == 0, err
    text = course.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["modules"] == [*before, slug]
    assert "# in order" in text or "# in order" not in modules


def test_import_errors_show_the_line_and_a_caret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    document = tmp_path / "cp1252.txt"
    # Windows-1252 instead of UTF-8: the en dash is the single byte 0x96.
    document.write_bytes(b"# LRN-BEG-001: T\n\n## A\n\nThe builders \x96 the ones\n")
    status, _out, err = run_import(project, document, capsys=capsys)
    assert status == 1
    lines = err.split("\n")
    at = next(i for i, line in enumerate(lines) if ":5:14: invalid UTF-8 byte 0x96" in line)
    assert lines[at + 1] == "  5 | The builders \N{REPLACEMENT CHARACTER} the ones"
    assert lines[at + 2] == "    |              ^"


def test_skipped_heading_levels_are_closed_in_lessons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    document = tmp_path / "skip.md"
    document.write_text(
        "# LRN-INT-003: Skips\n\n## Two\n\nText.\n\n#### Four\n\nx\n\n##### Five\n\ny\n\n"
        "```\n#### a comment in code\n```\n\n### Three\n\n##### Five again\n\nz\n",
        encoding="utf-8",
    )
    assert run_import(project, document, capsys=capsys)[0] == 0
    body = (project / "content/modules/skips/lessons/01-two.md").read_text(encoding="utf-8")
    headings = [line for line in body.split("\n") if line.startswith("#")]
    # The page title is the h1: headings go down one level at a time from there.
    assert headings == [
        "## Four",
        "### Five",
        "#### a comment in code",
        "## Three",
        "### Five again",
    ]


def test_sections_named_like_the_modules_own_pages_get_other_lesson_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = empty_course(tmp_path / "course")
    document = tmp_path / "reserved.md"
    document.write_text(
        "# LRN-BEG-004: Names\n\n## Quiz\n\nAbout quizzes.\n\n## Index\n\nAbout indexes.\n",
        encoding="utf-8",
    )
    assert run_import(project, document, capsys=capsys)[0] == 0
    lessons = sorted(p.name for p in (project / "content/modules/names/lessons").iterdir())
    assert lessons == ["01-quiz-2.md", "02-index-2.md"]
    result = load_course(project)
    assert result.ok(), [str(d) for d in result.diagnostics]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            "Doe, J. (2017). Towards robust models. *IEEE Symposium on Security and Privacy*, "
            "3-18.",
            {"venue": "IEEE Symposium on Security and Privacy", "pages": "3–18"},
        ),
        (
            "Doe, J. (2017). Towards robust models. In Proceedings of the IEEE Symposium on "
            "Security and Privacy, 3-18.",
            {"venue": "In Proceedings of the IEEE Symposium on Security and Privacy"},
        ),
        (
            "Doe, J. (2017). Towards robust models. *Security and Privacy*, pp. 3 – 18.",
            {"venue": "Security and Privacy", "pages": "3–18"},
        ),
        (
            "Doe, J. (2021). Fairness. *ACM Computing Surveys*, *54*(3), 1-41.",
            {"venue": "ACM Computing Surveys", "volume": "54", "issue": "3", "pages": "1–41"},
        ),
        (
            "Doe, J. (2021). Fairness. *Journal of Testing*, 12, e101-e112.",
            {"venue": "Journal of Testing", "volume": "12", "pages": "e101–e112"},
        ),
        (
            "Doe, J. (2019). *A Handbook of Care* (pp. 3-18). Springer.",
            {"publisher": "Springer", "pages": "3–18"},
        ),
    ],
)
def test_page_ranges_are_pages_not_volume_and_publisher(
    reference: str, expected: dict[str, str]
) -> None:
    """Item 8 of issue 23: '…, 3-18.' is a page range (before, volume '3' and publisher '-18')."""
    from generator.importer.report import ImportReport
    from generator.importer.sources import read_reference

    source = read_reference("doe", reference, 1, ImportReport("doc"))
    assert source is not None
    found = {k: getattr(source, k) for k in ("venue", "volume", "issue", "pages", "publisher")}
    wanted = {"venue": None, "volume": None, "issue": None, "pages": "3–18", "publisher": None}
    wanted.update(expected)
    assert found == wanted
