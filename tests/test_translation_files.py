"""`coursesmith translate export|import`: XLIFF 2.0 and PO out to a translator's tool and back.

translate-toolkit plays the CAT tool: its storage classes read our XLIFF 2.0 and PO and write
pseudo-translations (every vowel accented, placeholders kept), pocount counts the segments and
pofilter checks the placeholders. The OASIS XLIFF 2.0 core schema (tests/standards/xliff/)
validates every XLIFF we write. The multilingual fixture is used with a lesson of every kind of
block and inline markup added to its untranslated module.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
import xmlschema
import yaml
from translate.storage.placeables.strelem import StringElem
from translate.storage.po import pofile
from translate.storage.xliff import xlifffile
from translate.storage.xliff2 import Xliff2File

from generator.adapters.cli import main
from generator.load import load_course

from .conftest import FIXTURES, REPO, build, copy_course

SCHEMA = REPO / "tests" / "standards" / "xliff" / "xliff_core_2.0.xsd"
BIN = Path(sys.executable).parent
ACCENTS = str.maketrans("aeiouAEIOU", "äëïöüÄËÏÖÜ")
RICH_LESSON = """---
id: basics
title: Basics
minutes: 10
objectives: [name-things]
---
Things have names. Watch for model drift, see the [names guide](https://example.org/names) and run
`coursesmith check` before **every** build [@doe2020; @doe2020].<two spaces: a hard line break>
A *second* line after a hard break.

## Naming things

A name is a promise.

| Term | Meaning |
| --- | --- |
| name | what a thing is *called* |

!!! tip "Remember this"
    Names matter.

- first item
    - nested item with `code`
- second item

> A quoted
> thought.

***

```python
print("code is never translated")
```

::: trainer
Ask for a *name*.
:::
""".replace("<two spaces: a hard line break>", "  ")


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def _project(tmp_path: Path) -> Path:
    project = copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)
    (project / "content/modules/m2/lessons/01-basics.md").write_text(RICH_LESSON, "utf-8")
    return project


def _run(project: Path, *args: str) -> int:
    return main(["--root", str(project), *args])


def _files(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for folder in ("content", "quizzes")
        for p in sorted((project / folder).rglob("*"))
        if p.is_file()
    }


def _pseudo_elem(elem: Any) -> Any:
    if isinstance(elem, str):
        return elem.translate(ACCENTS)
    new = elem.copy()
    new.sub = [_pseudo_elem(s) for s in elem.sub]
    return new


def pseudo_translate(path: Path, out: Path) -> int:
    """Every unit's target the pseudo-translation of its source, through translate-toolkit's
    own storage classes (XLIFF 2.0 or PO), as a CAT tool would write it; the number of units."""
    data = path.read_bytes()
    if path.suffix == ".po":
        store: Any = pofile.parsestring(data)
    else:
        store = Xliff2File.parsestring(data)
    count = 0
    for unit in store.units:
        if unit.isheader():
            continue
        count += 1
        if path.suffix == ".po":
            pieces = re.split(r"(<[^>]+>)", unit.source)
            unit.target = "".join(p if p.startswith("<") else p.translate(ACCENTS) for p in pieces)
        else:
            unit.rich_target = [_pseudo_elem(e) for e in unit.rich_source]
            assert all(isinstance(e, StringElem) for e in unit.rich_target)
    out.write_bytes(bytes(store))
    return count


def _states(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert _run(project, "check", "--translations") == 0
    return capsys.readouterr().out.splitlines()[0]


# --- an independent count of what a translator gets --------------------------------------------

_KEPT_KEYS = {
    "id", "key", "type", "lesson", "section", "objective", "correct", "answer", "code", "level",
    "duration_minutes", "minutes", "lessons", "modules", "objectives", "language", "languages",
    "version", "last_reviewed", "pass_mark", "shuffle", "points", "authors", "year", "doi",
    "url", "arxiv", "kind", "venue", "volume", "issue", "pages", "publisher", "report_number",
    "framework", "date", "currency", "relevance", "authority", "accuracy", "purpose",
}  # fmt: skip


def _yaml_strings(data: Any, key: str = "") -> int:
    if key == "feedback":  # keyed by choice id, which may be any word
        return sum(1 for v in data.values() if isinstance(v, str) and v.strip())
    if isinstance(data, dict):
        return sum(_yaml_strings(v, k) for k, v in data.items() if k not in _KEPT_KEYS)
    if isinstance(data, list):
        return sum(_yaml_strings(v, key) for v in data)
    return 1 if isinstance(data, str) and data.strip() else 0


def _blocks(text: str) -> int:
    """Headings, paragraphs, list items, table cells and admonition titles of Markdown text, as
    Python-Markdown renders them."""
    html = markdown.markdown(text, extensions=["tables", "admonition", "fenced_code"])
    html = re.sub(r"<pre>.*?</pre>", "", html, flags=re.S)
    count = len(re.findall(r"<(h[1-6]|li|td|th)\b", html))
    count += len(re.findall(r"<p\b", html)) - len(re.findall(r"<li>\s*<p\b", html))
    return count


def independent_count(project: Path) -> int:
    total = 0
    for path in sorted([*(project / "content").rglob("*.yml"), *(project / "quizzes").glob("*")]):
        hidden = any(part.startswith(".") for part in path.relative_to(project).parts)
        if re.search(r"\.[a-z]{2}\.yml$", path.name) or hidden:
            continue
        data = yaml.safe_load(path.read_text("utf-8"))
        if path.name == "module.yml":
            total += sum(1 for o in data["objectives"] if o["text"].strip())
        if path.parent.name == "quizzes" and "title" not in data:
            total += 1  # the default title, which the translated quiz shows translated
        if path.name == "checklist.yml" and "statuses" not in data:
            total += 3  # Yes, No, N/A
        total += _yaml_strings(data)
    for path in sorted((project / "content").rglob("lessons/*.md")):
        if re.search(r"\.[a-z]{2}\.md$", path.name):
            continue
        _, _front, body = path.read_text("utf-8").split("---\n", 2)
        total += 1  # the title
        notes = re.findall(r"^::: trainer\n(.*?)^:::$", body, flags=re.S | re.M)
        body = re.sub(r"^::: trainer\n.*?^:::$", "", body, flags=re.S | re.M)
        total += _blocks(body) + sum(_blocks(note) for note in notes)
    return total


def _targets(store: Any) -> dict[tuple[str, str], str]:
    """Each unit's target by its file and id."""
    return {
        (u.xmlelement.getparent().getparent().get("original"), u.getid()): str(u.rich_target[0])
        for u in store.units
        if u.getid()
    }


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The fixture exported as XLIFF, pseudo-translated by translate-toolkit, imported."""
    tmp = tmp_path_factory.mktemp("xliff")
    project = _project(tmp)
    sources = {k: v for k, v in _files(project).items() if not re.search(r"\.de\.(md|yml)$", k)}
    exported = tmp / "de.xlf"
    assert _run(project, "translate", "export", "de", "--out", str(exported)) == 0
    returned = tmp / "de-returned.xlf"
    units = pseudo_translate(exported, returned)
    assert _run(project, "translate", "import", str(returned)) == 0
    after = _files(project)
    assert {k: after[k] for k in sources} == sources  # no source file touched
    yield {"project": project, "exported": exported, "returned": returned, "units": units}


def test_the_hand_written_german_exports_with_its_targets_and_reimports_unchanged(
    tmp_path: Path, schema: xmlschema.XMLSchema, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)
    before = _files(project)
    out = tmp_path / "de.xlf"
    assert _run(project, "translate", "export", "de", "--out", str(out)) == 0
    schema.validate(str(out))
    text = out.read_text("utf-8")
    assert '<target>Willkommen. Achten Sie auf Modelldrift <ph id="1" dataRef="d1"/>.' in text
    assert '<unit id="questions.q1.choices.b.text"' in text
    assert "quizzes/m1.yml › question q1 › choice b › text" in text
    # Every segment of a translated file has its German target: m1's files and the shared ones.
    store = Xliff2File.parsestring(out.read_bytes())
    for unit in store.units:
        path = unit.xmlelement.getparent().getparent().get("original")
        if "/m2" not in path and "m2.yml" not in path:
            assert unit.target, (path, unit.getid())
    assert _run(project, "translate", "import", str(out)) == 0
    assert "0 translation file(s) written, 10 unchanged" in capsys.readouterr().out
    after = _files(project)
    assert {k: v for k, v in after.items() if ".translated-sources" not in k} == before


def test_round_trip_through_translate_toolkit_loses_nothing(
    round_trip: dict[str, Any], schema: xmlschema.XMLSchema, capsys: pytest.CaptureFixture[str]
) -> None:
    project: Path = round_trip["project"]
    schema.validate(str(round_trip["exported"]))
    assert "0 stale, 0 no fingerprint, 0 missing, 13 up to date" in _states(project, capsys)
    lesson = (project / "content/modules/m2/lessons/01-basics.de.md").read_text("utf-8")
    for kept in (
        "[nämës güïdë](https://example.org/names)",
        "`coursesmith check`",
        "**ëvëry**",
        "[@doe2020; @doe2020].  \nÄ *sëcönd* lïnë",
        "## Nämïng thïngs",
        "| nämë | whät ä thïng ïs *cällëd* |",
        '!!! tip "Rëmëmbër thïs"\n    Nämës mättër.',
        "    - nëstëd ïtëm wïth `code`",
        "> Ä qüötëd thöüght.\n\n***\n",
        'print("code is never translated")',
        "::: trainer\nÄsk för ä *nämë*.\n:::",
    ):
        assert kept in lesson
    # Exporting again gives the same targets, now all filled.
    again = round_trip["exported"].parent / "again.xlf"
    assert _run(project, "translate", "export", "de", "--out", str(again)) == 0
    first = Xliff2File.parsestring(round_trip["returned"].read_bytes())
    second = Xliff2File.parsestring(again.read_bytes())
    targets = _targets(first)
    assert _targets(second) == targets
    assert len(targets) == round_trip["units"] == independent_count(project)


def test_the_translated_build_shows_every_segment_translated(round_trip: dict[str, Any]) -> None:
    project: Path = round_trip["project"]
    site = build(project)
    page = (site / "de/m2/basics/index.html").read_text("utf-8")
    assert "noch nicht auf Deutsch" not in page
    assert 'href="../../sources/#doe2020"' in page or "doe2020" in page
    assert "<code>coursesmith check</code>" in page
    assert "<strong>ëvëry</strong>" in page
    assert "<br />\nÄ <em>sëcönd</em>" in page or "<br>\nÄ <em>sëcönd</em>" in page
    assert 'href="https://example.org/names">nämës güïdë</a>' in page
    assert 'class="cs-term"' in page  # "mödël drïft": the German glossary's term, linked
    assert "Names matter" not in page and "A name is a promise" not in page
    quiz = (site / "de/m1/quiz/index.html").read_text("utf-8")
    assert "Whïch ïs ä thïng?" in quiz and "Nöt ä thïng" in quiz
    # m2's quiz file has no title: its default is sent out and comes back translated.
    assert "Chëck yöür ündërständïng" in (site / "de/m2/quiz/index.html").read_text("utf-8")


def test_po_round_trip_counted_and_checked_by_translate_toolkit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    out = tmp_path / "de.po"
    assert _run(project, "translate", "export", "de", "--format", "po", "--out", str(out)) == 0
    counted = subprocess.run(
        [BIN / "pocount", "--csv", str(out)], capture_output=True, text=True, check=True
    ).stdout
    row = next(csv.DictReader(io.StringIO(counted.split("\n", 0)[0])))
    total = int(row["Translated Messages"]) + int(row["Untranslated Messages"])
    total += int(row["Fuzzy Messages"])
    assert total == independent_count(project)
    assert "<x1/>" in out.read_text("utf-8") and "<g" in out.read_text("utf-8")
    returned = tmp_path / "de-returned.po"
    pseudo_translate(out, returned)
    # Our export (m1's German filled in) and the tool's return: no placeholder error.
    for checked_file in (out, returned):
        checked = subprocess.run(
            [BIN / "pofilter", "-t", "variables", "-t", "xmltags", "-t", "printf", checked_file],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "msgid" not in checked, checked
    assert _run(project, "translate", "import", str(returned)) == 0
    assert "0 stale, 0 no fingerprint, 0 missing, 13 up to date" in _states(project, capsys)
    lesson = (project / "content/modules/m2/lessons/01-basics.de.md").read_text("utf-8")
    assert "[nämës güïdë](https://example.org/names)" in lesson and "**ëvëry**" in lesson


def test_stale_only_exports_exactly_the_edited_paragraph_with_its_previous_translation(
    round_trip: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "course"
    shutil.copytree(round_trip["project"], project)
    source = project / "content/modules/m2/lessons/01-basics.md"
    text = source.read_text("utf-8")
    source.write_text(text.replace("A name is a promise.", "A good name is a promise."), "utf-8")
    # A paragraph inserted elsewhere is new, and changes no other segment's id.
    source.write_text(
        source.read_text("utf-8").replace("## Naming", "Another paragraph.\n\n## Naming"), "utf-8"
    )
    out = tmp_path / "stale.xlf"
    assert _run(project, "translate", "export", "de", "--stale-only", "--out", str(out)) == 0
    store = Xliff2File.parsestring(out.read_bytes())
    units = [u for u in store.units if u.getid()]
    assert sorted(u.source for u in units) == ["A good name is a promise.", "Another paragraph."]
    edited = next(u for u in units if u.source.startswith("A good"))
    assert edited.target == "Ä nämë ïs ä prömïsë."
    assert "A name is a promise." in out.read_text("utf-8")  # the old source, as a note
    returned = tmp_path / "stale-returned.xlf"
    pseudo_translate(out, returned)
    assert _run(project, "translate", "import", str(returned)) == 0
    assert "0 stale, 0 no fingerprint, 0 missing, 13 up to date" in _states(project, capsys)
    lesson = (project / "content/modules/m2/lessons/01-basics.de.md").read_text("utf-8")
    assert "Ä gööd nämë ïs ä prömïsë." in lesson and "Änöthër pärägräph." in lesson
    assert "**ëvëry**" in lesson  # the segments not sent out kept their translation


def _broken(returned: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = returned.read_text("utf-8")
    assert old in text, old
    out = tmp_path / f"broken{len(list(tmp_path.iterdir()))}.xlf"
    out.write_text(text.replace(old, new, 1), "utf-8")
    return out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('<target>Wëlcömë. Wätch för mödël drïft <ph id="1" dataRef="d1"/>', "<target>Wëlcömë",
         "placeholder ph id=1 of the source is missing"),
        ('drïft <ph id="1" dataRef="d1"/>.', 'drïft <ph id="1"/><ph id="1"/>.',
         "placeholder id=1 appears 2 times"),
        ('drïft <ph id="1" dataRef="d1"/>.', 'drïft <ph id="1"/><ph id="9"/>.',
         "placeholder ph id=9 is not in the source"),
        ('<unit id="p-bf0faaec"', '<unit id="p-00000000"', "segment id 'p-00000000' is not in"),
        ('trgLang="de"', 'trgLang="fr"', "target language 'fr', expected one the course"),
        ("<target>Nämës mättër.</target>", "<target>## Nämës mättër.</target>",
         "changes the file's structure"),
        ('<ph id="5" dataRef="d5"/>Ä <pc id="6"', '<ph id="5" dataRef="d5"/>## Ä <pc id="6"',
         "changes the file's structure (content/modules/m2/lessons/01-basics.md › paragraph 1)"),
        ('<unit id="p-bf0faaec"', '<unit id="h-b8bda68d"', "segment id 'h-b8bda68d' is given"),
        ("<target>Ä nämë ïs ä prömïsë.</target>", "<target>Ä nämë <b>ïs</target>",
         "not well-formed XML"),
        ('original="quizzes/m1.yml"', 'original="../outside.yml"', "not a source file"),
        ('<?xml version="1.0" encoding="UTF-8"?>',
         '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY a "aaaa">]>',
         "a DTD or entity declaration, expected none"),
        ('xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"',
         'xmlns="urn:example:not-xliff" version="2.0"', "expected XLIFF 2.0"),
        ("<target>Nöt ä thïng</target>", "<target>Nöt ä\nthïng</target>",
         "a line break where the source has none"),
    ],
)  # fmt: skip
def test_a_broken_returned_file_is_refused_whole_at_its_line(
    round_trip: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    message: str,
) -> None:
    project: Path = round_trip["project"]
    before = _files(project)
    broken = _broken(round_trip["returned"], tmp_path, old, new)
    line = broken.read_text("utf-8").split(new.split("\n")[0])[0].count("\n") + 1
    capsys.readouterr()
    assert _run(project, "translate", "import", str(broken)) == 1
    err = capsys.readouterr().err
    assert message in err, err
    assert f"{broken}:" in err and "nothing written" in err
    if "trgLang" not in old and "original" not in old and "unit id" not in old:
        assert f"{broken}:{line}:" in err, err
    assert _files(project) == before


def test_not_utf8_and_not_po_are_one_line_each(
    round_trip: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project: Path = round_trip["project"]
    latin = tmp_path / "latin.po"
    latin.write_bytes(b'msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "caf\xe9"\nmsgstr ""\n')
    damaged = tmp_path / "damaged.po"
    damaged.write_text('msgid ""\nmsgstr "Language: de\\n"\n\nmsgctxt "x#y"\nmsgid "a\n', "utf-8")
    for path, message in ((latin, ":4: not UTF-8"), (damaged, ":5: '\"a' is not a quoted string")):
        capsys.readouterr()
        assert _run(project, "translate", "import", str(path)) == 1
        err = capsys.readouterr().err
        assert f"{path}{message}" in err, err
        assert "Traceback" not in err


def test_the_shipped_course_round_trips_into_german(
    tmp_path: Path, schema: xmlschema.XMLSchema, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_course(REPO, tmp_path / "course", pdf=False)
    course_file = project / "content/course.yml"
    text = course_file.read_text("utf-8").replace(
        "language: en\n", "language: en\nlanguages: [en, de]\n"
    )
    course_file.write_text(text, "utf-8")
    out = tmp_path / "de.xlf"
    assert _run(project, "translate", "export", "de", "--out", str(out)) == 0
    schema.validate(str(out))
    returned = tmp_path / "de-returned.xlf"
    assert pseudo_translate(out, returned) == independent_count(project)
    assert _run(project, "translate", "import", str(returned)) == 0
    status = _states(project, capsys)
    assert " 0 stale, 0 no fingerprint, 0 missing," in status
    result = load_course(project)
    assert not result.diagnostics.has_errors()
    german = result.in_language("de")
    assert german is not None and not german.fallbacks


def test_po_problems_are_refused_at_their_line(
    round_trip: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project: Path = round_trip["project"]
    out = tmp_path / "m1.po"
    assert _run(project, "translate", "export", "de", "--format", "po", "--module", "m1",
                "--out", str(out)) == 0  # fmt: skip
    text = out.read_text("utf-8")
    assert "content/course.yml" not in text and "m2" not in text  # one module's files only
    lines = text.split("\n")
    cases = [
        ('msgstr "Wëlcömë. Wätch för mödël drïft <x1/>. Rïsk', 'msgstr "Wëlcömë <x1/><x1/>',
         "placeholder id=1 appears 2 times"),
        ('msgstr "Wëlcömë. Wätch för mödël drïft <x1/>. Rïsk', 'msgstr "Wëlcömë <g1>x',
         "<g1> is not closed"),
        ("Language: de", "Language: es", "target language 'es'"),
    ]  # fmt: skip
    before = _files(project)
    for old, new, message in cases:
        number = next(i for i, line in enumerate(lines, 1) if old in line)
        broken = tmp_path / f"broken-{number}.po"
        broken.write_text(text.replace(old, new, 1), "utf-8")
        capsys.readouterr()
        assert _run(project, "translate", "import", str(broken)) == 1
        err = capsys.readouterr().err
        assert message in err and "nothing written" in err, err
        if "Language" not in old:
            assert f"{broken}:{number}:" in err, err
    assert _files(project) == before


def test_stale_only_after_new_translation_and_translating_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_course(FIXTURES / "multilingual", tmp_path / "course", pdf=False)
    assert _run(project, "new", "translation", "de", "--module", "m2") == 0
    german = project / "content/modules/m2/lessons/01-basics.de.md"
    german.write_text(
        german.read_text("utf-8").replace("A name is a promise.", "Ein Name ist ein Versprechen."),
        "utf-8",
    )
    source = project / "content/modules/m2/lessons/01-basics.md"
    source.write_text(source.read_text("utf-8").replace("a promise", "a pledge"), "utf-8")
    out = tmp_path / "stale.po"
    assert _run(project, "translate", "export", "de", "--stale-only", "--format", "po",
                "--out", str(out)) == 0  # fmt: skip
    entries = [u for u in pofile.parsestring(out.read_bytes()).units if not u.isheader()]
    assert [(u.source, u.target) for u in entries] == [
        ("A name is a pledge.", "Ein Name ist ein Versprechen.")
    ]
    assert '#| msgid "A name is a promise."' in out.read_text("utf-8")


def test_xliff_12_for_older_tools_round_trips_through_translate_toolkit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    out = tmp_path / "de.xlf"
    assert _run(project, "translate", "export", "de", "--format", "xliff12",
                "--out", str(out)) == 0  # fmt: skip
    # xmlschema resolves the schema's xml.xsd import from its own copy, not the network.
    xmlschema.XMLSchema(str(SCHEMA.parent / "1.2" / "xliff-core-1.2-strict.xsd")).validate(str(out))
    # pocount and pofilter read XLIFF 1.2 themselves.
    counted = subprocess.run(
        [BIN / "pocount", "--csv", str(out)], capture_output=True, text=True, check=True
    ).stdout
    row = next(csv.DictReader(io.StringIO(counted)))
    assert int(row["Total Message"]) == independent_count(project)
    checked = subprocess.run(
        [BIN / "pofilter", "-t", "variables", "-t", "xmltags", "-t", "printf", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "<trans-unit" not in checked, checked
    store = xlifffile.parsestring(out.read_bytes())
    for unit in store.units:
        if not unit.isheader():
            unit.rich_target = [_pseudo_elem(e) for e in unit.rich_source]
    returned = tmp_path / "de-returned.xlf"
    returned.write_bytes(bytes(store))
    assert _run(project, "translate", "import", str(returned)) == 0
    assert "0 stale, 0 no fingerprint, 0 missing, 13 up to date" in _states(project, capsys)
    lesson = (project / "content/modules/m2/lessons/01-basics.de.md").read_text("utf-8")
    assert "[nämës güïdë](https://example.org/names)" in lesson and "**ëvëry**" in lesson
