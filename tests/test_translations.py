"""Translated content: the course in each further language, and the checks that keep its
translations honest (missing, stale, structurally different), with the two author commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.adapters.cli import main
from generator.adapters.engines import BuildFailed
from generator.authoring.schema import kind_for
from generator.load import load_course
from generator.source.fingerprint import file_fingerprint
from generator.source.layout import split_language, translation_path

from .conftest import FIXTURES, build
from .test_malformed_content import apply_case
from .test_schema import problems

M1 = "content/modules/m1"
M2_FILES = [
    "content/modules/m2/lessons/01-basics.md",
    "content/modules/m2/module.yml",
    "quizzes/m2.yml",
]
FALLS_BACK = "warning: no German (de) translation; the page falls back to English"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(project: Path) -> tuple[list[str], list[str]]:
    """Errors and warnings of the course at ``project``, as `check` prints them."""
    diags = load_course(project).diagnostics
    return [str(d) for d in diags.errors], [str(d) for d in diags.warnings]


# --- naming ----------------------------------------------------------------------------------


def test_translation_names_sit_beside_their_source() -> None:
    lesson = Path("content/modules/m1/lessons/01-intro.md")
    assert translation_path(lesson, "de") == Path("content/modules/m1/lessons/01-intro.de.md")
    assert split_language(translation_path(lesson, "de")) == (lesson, "de")
    assert split_language(Path("quizzes/m1.pt-BR.yml")) == (Path("quizzes/m1.yml"), "pt-BR")
    # A dot in a name is not a language unless the part is a language code.
    for name in ("01-intro.md", "notes.draft.md", "m1.v2.yml", "checklist.yml", "a.de.txt"):
        assert split_language(Path(name)) == (Path(name), None)


# --- loading ---------------------------------------------------------------------------------


def test_both_languages_load_with_the_untranslated_files_as_fallbacks(
    multilingual_course: Path,
) -> None:
    result = load_course(multilingual_course)
    assert result.ok()
    course = result.course
    assert course is not None
    assert (course.language, course.languages, course.title) == ("en", ("en", "de"), "Demo Course")
    assert course.fallbacks == frozenset()
    assert [lesson.title for lesson in course.modules[0].lessons] == ["Introduction", "Details"]
    assert set(result.translations) == {"de"}

    german = result.translations["de"]
    assert (german.language, german.languages, german.source_language) == ("de", ("en", "de"), "en")
    assert german.title == "Demokurs"
    m1, m2 = german.modules
    assert [lesson.title for lesson in m1.lessons] == ["Einführung", "Einzelheiten"]
    assert m1.lessons[0].path == f"{M1}/lessons/01-intro.de.md"
    assert "Risikominderung" in m1.lessons[0].body
    assert m1.lessons[0].trainer_notes == ("Bitten Sie die Gruppe um ein Beispiel.\n",)
    assert m1.checklist is not None and m1.checklist.statuses == ("Ja", "Nein", "k. A.")
    assert m1.lifecycle_guide is not None and m1.lifecycle_guide.phases[1].title == "Inbetriebnahme"
    assert m1.role_template is not None and m1.role_template.groups[0].title == "Datenphase"
    assert m1.quiz is not None and m1.quiz.questions[0].prompt == "Was ist ein Ding?"
    assert [t.term for t in german.glossary] == ["Modelldrift", "Fachexperte"]
    # Module 2 has no translation: the German course shows it in English and says which files.
    assert (m2.title, m2.lessons[0].title) == ("Second Module", "Basics")
    assert german.fallbacks == frozenset(M2_FILES)
    assert german.is_fallback(M2_FILES[0]) and not german.is_fallback(m1.lessons[0].path)

    # Missing translations are warnings at the source file; nothing else is reported.
    errors, warnings = messages(multilingual_course)
    assert errors == []
    assert warnings == [f"{rel}:1:1: {FALLS_BACK}" for rel in M2_FILES]


def test_the_source_reading_ignores_translation_files(minimal_course: Path) -> None:
    """A ``*.de.md`` among the lessons is no third lesson, a ``checklist.de.yml`` no unexpected
    component, a ``quizzes/m1.de.yml`` no quiz of an unknown module."""
    edit(minimal_course, "content/course.yml", "language: en", "language: en\nlanguages: [en, de]")
    lessons = minimal_course / M1 / "lessons"
    (lessons / "01-intro.de.md").write_text(
        "---\nid: intro\ntitle: Einführung\nminutes: 5\nobjectives: [explain-things]\n---\n"
        "Willkommen. Achten Sie auf Drift [@doe2020].\n\n## Warum {#why-it-matters}\n\nText.\n",
        encoding="utf-8",
    )
    result = load_course(minimal_course)
    assert result.course is not None
    assert [lesson.title for lesson in result.course.modules[0].lessons] == [
        "Introduction",
        "Details",
    ]
    assert result.diagnostics.errors == []
    german = result.translations["de"]
    assert [lesson.title for lesson in german.modules[0].lessons] == ["Einführung", "Details"]


def test_a_course_without_languages_loads_as_before(minimal_course: Path) -> None:
    result = load_course(minimal_course)
    assert result.translations == {}
    assert list(result.diagnostics) == []
    assert result.course is not None and result.course.languages == ("en",)


def test_languages_alone_names_the_source_language(multilingual_course: Path) -> None:
    edit(multilingual_course, "content/course.yml", "language: en\n", "")
    result = load_course(multilingual_course)
    assert result.course is not None and result.course.language == "en"
    assert result.ok() and set(result.translations) == {"de"}


# --- staleness -------------------------------------------------------------------------------


def test_a_changed_source_makes_its_translation_stale(multilingual_course: Path) -> None:
    lesson = f"{M1}/lessons/01-intro.md"
    old = file_fingerprint(multilingual_course / lesson)
    edit(multilingual_course, lesson, "An SME knows the domain.", "An SME knows the field.")
    new = file_fingerprint(multilingual_course / lesson)
    assert new != old
    errors, warnings = messages(multilingual_course)
    assert errors == []
    assert (
        f"{M1}/lessons/01-intro.de.md:2:1: warning: translation is out of date: {lesson} has "
        f"changed since it was translated (fingerprint {old}, now {new}), expected the "
        f"translation brought up to date and source_fingerprint set to {new}"
    ) in warnings
    # A warning: check passes, unless strict.
    root = str(multilingual_course)
    assert main(["--root", root, "check"]) == 0
    assert main(["--root", root, "check", "--strict"]) == 1


def test_a_source_file_may_not_carry_a_fingerprint(minimal_course: Path) -> None:
    lesson = f"{M1}/lessons/01-intro.md"
    edit(minimal_course, lesson, "id: intro", "id: intro\nsource_fingerprint: x")
    errors, _ = messages(minimal_course)
    assert errors == [
        f"{M1}/lessons/01-intro.md:3:1: unknown field 'source_fingerprint' in lesson front "
        "matter, expected one of: id, title, minutes, objectives"
    ]


# --- diagnostics as data --------------------------------------------------------------------

CASES = sorted((FIXTURES / "translation-cases").glob("*.yml"))


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_translation_problems_are_reported_exactly(
    case_file: Path, multilingual_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each case edits the two-language course and lists the exact diagnostics: errors, and the
    warnings besides the three every check of it gives (module m2 is not translated)."""
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    apply_case(case, multilingual_course)
    result = load_course(multilingual_course)
    errors = [str(d) for d in result.diagnostics.errors]
    warnings = [str(d) for d in result.diagnostics.warnings if FALLS_BACK not in str(d)]
    assert errors == case.get("errors", []), "\n".join(errors)
    assert warnings == case.get("warnings", []), "\n".join(warnings)
    if "translations" in case:
        assert sorted(result.translations) == case["translations"]
    status = main(["--root", str(multilingual_course), "check"])
    lines = capsys.readouterr().err.splitlines()
    assert status == (1 if errors else 0)
    for message in errors + warnings:
        assert message in lines


def test_there_are_translation_cases_of_each_kind() -> None:
    names = [c.stem for c in CASES]
    assert sum(name.startswith("structure-") for name in names) >= 9
    assert {"stale-lesson", "no-fingerprint", "undeclared-language", "language-codes"} <= set(names)


def test_a_quiz_translated_with_another_answer_never_builds(multilingual_course: Path) -> None:
    case = FIXTURES / "translation-cases" / "structure-different-correct-answer.yml"
    apply_case(yaml.safe_load(case.read_text(encoding="utf-8")), multilingual_course)
    with pytest.raises(BuildFailed, match="correct choices not as in the source"):
        build(multilingual_course, strict=False)
    assert not (multilingual_course / "site").exists()


def test_the_multilingual_course_builds(multilingual_course: Path) -> None:
    site = build(multilingual_course, strict=False)
    assert (site / "m1" / "intro" / "index.html").is_file()
    assert (site / "m2" / "basics" / "index.html").is_file()


# --- languages -------------------------------------------------------------------------------


def test_a_translation_in_a_one_language_course_is_an_error(minimal_course: Path) -> None:
    (minimal_course / "content/glossary.de.yml").write_text("terms: []\n", encoding="utf-8")
    errors, _ = messages(minimal_course)
    assert errors == [
        "content/glossary.de.yml:1:1: translation into German (de), which the course does not "
        "declare, expected 'de' in content/course.yml languages (declared: en)"
    ]


def test_an_unknown_course_language_is_an_error(minimal_course: Path) -> None:
    edit(minimal_course, "content/course.yml", "language: en", "language: klingon")
    errors, _ = messages(minimal_course)
    assert errors == [
        "content/course.yml:4:11: unknown language code 'klingon', expected an ISO 639-1 code "
        "such as en, de, fr, es"
    ]


# --- the author's commands -------------------------------------------------------------------


def test_new_translation_scaffolds_every_file_with_its_fingerprint(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(minimal_course, "content/course.yml", "language: en", "language: en\nlanguages: [en, de]")
    mine = minimal_course / "content/glossary.de.yml"
    mine.write_text(
        "terms:\n  - id: model-drift\n    term: Modelldrift\n    definition: Nachlassen.\n"
        "  - id: sme\n    term: Fachexperte\n    definition: Kennt das Gebiet.\n",
        encoding="utf-8",
    )
    assert main(["--root", str(minimal_course), "new", "translation", "de"]) == 0
    out = capsys.readouterr().out
    sources = [
        "content/course.yml",
        "content/sources.yml",
        f"{M1}/module.yml",
        f"{M1}/lessons/01-intro.md",
        f"{M1}/lessons/02-details.md",
        f"{M1}/components/checklist.yml",
        "quizzes/m1.yml",
    ]
    for rel in sources:
        target = translation_path(minimal_course / rel, "de")
        assert f"created {target.relative_to(minimal_course).as_posix()}" in out
        text = target.read_text(encoding="utf-8")
        assert f"source_fingerprint: {file_fingerprint(minimal_course / rel)}" in text
    # An existing translation is never overwritten.
    assert "kept content/glossary.de.yml (exists already)" in out
    assert mine.read_text(encoding="utf-8").startswith("terms:\n  - id: model-drift\n")

    # The glossary kept has no fingerprint; the rest is current and complete.
    result = load_course(minimal_course)
    assert [str(d) for d in result.diagnostics] == [
        "content/glossary.de.yml:1:1: warning: translation records no source fingerprint, "
        f"expected 'source_fingerprint: {file_fingerprint(minimal_course / 'content/glossary.yml')}"
        "' (of content/glossary.yml) so a later change to it is noticed",
    ]
    mine.unlink()
    assert main(["--root", str(minimal_course), "new", "translation", "de"]) == 0
    result = load_course(minimal_course)
    assert list(result.diagnostics) == []
    assert result.translations["de"].fallbacks == frozenset()


def test_new_translation_of_one_module(
    multilingual_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(multilingual_course)
    assert main(["--root", root, "new", "translation", "de", "--module", "m2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("created")] == [
        "created content/modules/m2/module.de.yml",
        "created content/modules/m2/lessons/01-basics.de.md",
        "created quizzes/m2.de.yml",
    ]
    result = load_course(multilingual_course)
    assert list(result.diagnostics) == []


def test_new_translation_refuses_an_undeclared_language(
    multilingual_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(multilingual_course), "new", "translation", "fr"]) == 1
    err = capsys.readouterr().err
    assert "'fr' is not a further language of the course (languages: en, de)" in err
    assert not list(multilingual_course.rglob("*.fr.*"))
    root = str(multilingual_course)
    assert main(["--root", root, "new", "translation", "de", "--module", "m3"]) == 1
    assert "no module 'm3'" in capsys.readouterr().err


def test_check_translations_lists_missing_and_stale_files(
    multilingual_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(multilingual_course)
    edit(multilingual_course, "quizzes/m1.yml", "prompt: Things exist.", "prompt: Things exist!")
    assert main(["--root", root, "check", "--translations"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "German (de): 1 stale, 0 no fingerprint, 3 missing, 9 up to date"
    rows = [line.split() for line in lines[1:]]
    assert rows[0][:2] == ["stale", "quizzes/m1.de.yml"]
    assert [row[1] for row in rows if row[0] == "missing"] == [
        "content/modules/m2/lessons/01-basics.de.md",
        "content/modules/m2/module.de.yml",
        "quizzes/m2.de.yml",
    ]
    assert len(rows) == 13

    assert main(["--root", root, "check", "--translations", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["languages"]["de"]
    assert data["counts"] == {"stale": 1, "unrecorded": 0, "missing": 3, "ok": 9}
    stale = next(f for f in data["files"] if f["state"] == "stale")
    assert stale["translation"] == "quizzes/m1.de.yml"
    assert stale["source_fingerprint"] == file_fingerprint(multilingual_course / "quizzes/m1.yml")
    assert stale["recorded_fingerprint"] != stale["source_fingerprint"]
    assert main(["--root", root, "check", "--translations", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["problems"]
    assert {(p["path"], p["line"], p["severity"]) for p in listed} == {
        ("quizzes/m1.de.yml", 1, "warning"),
        *((rel, 1, "warning") for rel in M2_FILES),
    }


def test_check_says_how_much_is_translated(
    multilingual_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(multilingual_course), "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[-1] == "German (de): 10 of 13 file(s) translated (check --translations lists the rest)"
    )
    assert main(["--root", str(multilingual_course), "new", "translation", "de"]) == 0
    capsys.readouterr()
    assert main(["--root", str(multilingual_course), "check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "German (de): 13 of 13 file(s) translated"


def test_check_translations_of_a_one_language_course(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(minimal_course), "check", "--translations"]) == 0
    assert "the course has one language" in capsys.readouterr().out
    assert main(["--root", str(minimal_course), "check", "--translations", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"languages": {}, "problems": []}


def test_translations_validate_against_their_source_schema() -> None:
    """Editors check a translation with its source's schema (the schema line is copied over),
    which accepts the recorded fingerprint."""
    folder = FIXTURES / "multilingual"
    checked = 0
    for path in sorted(folder.rglob("*.yml")):
        source, lang = split_language(path.relative_to(folder))
        kind = kind_for(source.as_posix())
        assert kind is not None, path
        text = path.read_text(encoding="utf-8")
        assert problems(kind.name, text) == [], path
        checked += lang is not None and "source_fingerprint: " in text
    assert checked == 8


def test_a_problem_of_the_source_is_reported_once(multilingual_course: Path) -> None:
    """An objective no question assesses is the source's problem, mirrored by the translation."""
    for rel in ("quizzes/m1.yml", "quizzes/m1.de.yml"):
        edit(multilingual_course, rel, "objective: list-things", "objective: explain-things")
    edit(
        multilingual_course,
        "quizzes/m1.de.yml",
        "source_fingerprint: ce48b32eda29",
        f"source_fingerprint: {file_fingerprint(multilingual_course / 'quizzes/m1.yml')}",
    )
    errors, warnings = messages(multilingual_course)
    assert errors == []
    assert [w for w in warnings if "falls back" not in w] == [
        f"{M1}/module.yml:9:9: warning: objective 'list-things' is not assessed by any question "
        "of quizzes/m1.yml"
    ]


def test_the_fingerprint_goes_where_the_loader_reads_it() -> None:
    from generator.authoring.translate import with_fingerprint

    lesson = "---\nid: intro\n---\nBody.\n"
    assert (
        with_fingerprint(lesson, "a.md", "abc")
        == "---\nsource_fingerprint: abc\nid: intro\n---\nBody.\n"
    )
    modeline = "# yaml-language-server: $schema=../.schemas/quiz.schema.json\n"
    assert (
        with_fingerprint(modeline + "title: Q\n", "quizzes/m1.yml", "abc")
        == modeline + "source_fingerprint: abc\ntitle: Q\n"
    )
    assert with_fingerprint("---\ntitle: Q\n", "quizzes/m1.yml", "abc") == (
        "---\nsource_fingerprint: abc\ntitle: Q\n"
    )
