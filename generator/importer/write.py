"""Writing an imported module: every file's text built in memory first, then moved into place
together, so a document that cannot be understood, or a failure half-way, leaves nothing behind.

``content/course.yml`` and ``content/sources.yml`` belong to the author: they are edited as text
(an entry appended, a module added to the list), so comments and layout survive.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.authoring.scaffold import empty_quiz_file
from generator.authoring.schema import kind_for, modeline
from generator.authoring.yaml_edit import (
    append_to_list,
    indented,
    insert_after,
    mapping_value,
    top_mapping,
)
from generator.importer.container import is_word_file
from generator.importer.document import Document, read_document
from generator.importer.from_word import (
    WordImport,
    add_footnote_sources,
    place_warnings,
    read_word,
)
from generator.importer.ids import make_id
from generator.importer.plan import ModulePlan, plan_module
from generator.importer.report import ImportReport
from generator.importer.sources import Bibliography
from generator.importer.word import Changes
from generator.model import Loc, Located, is_id
from generator.model.fields import field_specs, is_required
from generator.source.diagnostics import Diagnostics
from generator.source.layout import (
    COURSE_FILE,
    IMAGES,
    IMPORT_REPORT,
    QUIZZES,
    SOURCES_FILE,
    component_file,
    lesson_file,
    module_file,
    module_folder,
    quiz_file,
)
from generator.source.text import read_text
from generator.source.yaml_nodes import compose

ALWAYS_WRITTEN = frozenset({"kind"})


class UsageError(Exception):
    """A bad argument (unreadable FILE, invalid --slug): the command exits 2."""


class _Dumper(yaml.SafeDumper):
    """Plain block YAML: no anchors or aliases (the loader refuses them), text with line breaks as
    literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    """Deterministic YAML text: keys in the given order, Unicode as is, no line folding."""
    text = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, indent=2
    )
    return str(text)


def as_data(obj: Located) -> dict[str, Any]:
    """A model object as the mapping an author would write: defaults and empty values left out."""
    out: dict[str, Any] = {}
    for spec, _hint in field_specs(type(obj)):
        value = getattr(obj, spec.name)
        optional = not is_required(spec) and spec.name not in ALWAYS_WRITTEN
        if optional and (value is None or value in ((), "") or value == spec.default):
            continue
        out[spec.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Located):
        return as_data(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


# --- the module's own files -------------------------------------------------------------------


def module_files(plan: ModulePlan, source_name: str) -> dict[str, str]:
    """Path (relative to the project) to text for the module folder and its quiz stub."""
    files: dict[str, str] = {}
    module: dict[str, Any] = {
        "code": plan.code,
        "title": plan.title,
        "level": plan.level,
        "duration_minutes": plan.duration,
        "summary": plan.summary.strip() + "\n" if "\n" in plan.summary else plan.summary,
        "objectives": [],
        "lessons": [lesson.id for lesson in plan.lessons],
    }
    if plan.components_intro:
        module["components_intro"] = plan.components_intro
    header = (
        f"# Imported from {source_name} by `coursesmith import`. The document states no learning\n"
        "# objectives: write them here (- id: ..., text: ...), list them in each lesson's front\n"
        "# matter, and check the estimated duration and the summary.\n"
    )
    files[module_file(plan.slug)] = header + dump_yaml(module)
    for number, lesson in enumerate(plan.lessons, start=1):
        front = dump_yaml({"id": lesson.id, "title": lesson.title, "minutes": lesson.minutes})
        files[lesson_file(plan.slug, number, lesson.id)] = f"---\n{front}---\n\n{lesson.body}"
    for component in plan.components.values():
        rel = component_file(plan.slug, component.kind.filename)
        files[rel] = dump_yaml(as_data(component.value))
    files = {rel: _with_modeline(rel, text) for rel, text in files.items()}
    quiz, text = empty_quiz_file(plan.slug, plan.code, plan.lessons[0].id if plan.lessons else None)
    files[quiz] = text
    return dict(sorted(files.items()))


def _with_modeline(rel: str, text: str) -> str:
    """YAML files name their schema on the first line, as ``coursesmith new`` writes them."""
    kind = kind_for(rel)
    return f"{modeline(rel, kind)}\n{text}" if kind is not None else text


# --- text edits of the author's files ----------------------------------------------------------


def add_module_to_course(text: str, slug: str, diags: Diagnostics) -> str | None:
    """course.yml with ``slug`` added to ``modules`` (unchanged text when it is already there)."""
    return append_to_list(text, COURSE_FILE, "modules", slug, diags, "the module")


_SOURCES = SOURCES_FILE


def add_sources(
    text: str, bib: Bibliography, report: ImportReport, diags: Diagnostics
) -> str | None:
    """sources.yml with the document's new sources appended after the last entry, and its
    collection and evaluation notes added where the file has none."""
    mapping = top_mapping(text, _SOURCES, diags)
    if mapping is None:
        return None
    found = mapping_value(mapping, "sources")
    if found is None:
        diags.error(Loc(_SOURCES), f"{_SOURCES} has no 'sources' list to add to")
        return None
    key, value = found
    new = _new_sources(value, bib, report)
    edited = _append_sources(text, key, value, new, diags) if new else text
    if edited is None:
        return None
    return _add_notes(edited, key, mapping, bib, report)


def _new_sources(value: Node, bib: Bibliography, report: ImportReport) -> list[dict[str, Any]]:
    """The document's sources whose keys the file does not have yet, as YAML data."""
    existing: set[str] = set()
    if isinstance(value, SequenceNode):
        for item in value.value:
            entry_key = mapping_value(item, "key") if isinstance(item, MappingNode) else None
            if entry_key is not None and isinstance(entry_key[1], ScalarNode):
                existing.add(entry_key[1].value)
    new = []
    for source in bib.sources:
        if source.key in existing:
            report.warn(
                bib.lines[source.key],
                f"source '{source.key}' is already in {_SOURCES}; the existing entry is kept",
            )
        else:
            new.append(as_data(source))
    return new


def _append_sources(
    text: str, key: ScalarNode, value: Node, new: list[dict[str, Any]], diags: Diagnostics
) -> str | None:
    """The entries appended to the block list (or written as the list, when it is empty)."""
    if isinstance(value, SequenceNode) and value.value and not value.flow_style:
        dash = max(value.value[0].start_mark.column - 2, 0)
        return insert_after(text, value, indented(dump_yaml(new), dash))
    if (isinstance(value, SequenceNode) and not value.value) or (
        isinstance(value, ScalarNode) and value.tag.endswith(":null")
    ):
        start = key.end_mark.index
        end = value.end_mark.index if isinstance(value, SequenceNode) else key.end_mark.index
        block = indented(dump_yaml(new), 2)
        return text[:start] + ":\n" + block + text[end:].lstrip(":")
    diags.error(
        Loc(_SOURCES, value.start_mark.line + 1, value.start_mark.column + 1),
        "'sources' is not a block list ('- key: ...'); cannot append to it",
    )
    return None


def _add_notes(
    text: str, key: ScalarNode, mapping: MappingNode, bib: Bibliography, report: ImportReport
) -> str:
    """The collection and evaluation notes placed before 'sources', where the file has none."""
    notes: list[str] = []
    for name, note, line in (
        ("collection", bib.collection, bib.collection_line),
        ("evaluation", bib.evaluation, bib.evaluation_line),
    ):
        if note is None:
            continue
        if mapping_value(mapping, name) is not None:
            report.warn(
                line, f"{_SOURCES} already has '{name}' notes; they are kept, these not placed"
            )
        else:
            notes.append(dump_yaml({name: as_data(note)}))
    if not notes:
        return text
    lines = text.split("\n")
    at = key.start_mark.line
    return "\n".join(lines[:at] + "".join(notes).rstrip("\n").split("\n") + lines[at:])


# --- putting it all in place -------------------------------------------------------------------


def validate_slug(slug: str | None, title: str) -> str:
    """The module folder name: ``--slug`` as given (an id), or made from the title."""
    if slug is None:
        return make_id(title, "imported-module")
    if not is_id(slug):
        raise UsageError(
            f"--slug '{slug}' is not a valid id, expected lowercase letters, digits and hyphens "
            "(e.g. ai-risk-basics)"
        )
    return slug


def import_module(
    root: Path,
    document: Path,
    slug: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    changes: Changes = "refuse",
) -> ImportReport:
    """Import ``document`` into the course at ``root``; the report says what happened."""
    source = str(document)
    report = ImportReport(source)
    if not document.is_file():
        raise UsageError(f"cannot read {document}: no such file")
    if not (root / COURSE_FILE).is_file():
        report.diagnostics.error(
            Loc(COURSE_FILE),
            f"no course in {root}: expected {COURSE_FILE} (use --root to point at one)",
        )
        return report
    if slug is not None:
        validate_slug(slug, "")
    read = _module_document(document, changes, report)
    if read is None:
        return report
    doc, word = read
    slug = validate_slug(slug, doc.title)
    plan = plan_module(doc, slug, report)
    files = _planned_files(plan, word, document.name, report)
    if not force:
        _refuse_existing(root, slug, report)
    edits = _edits(root, plan, report)
    if report.failed or edits is None:
        return report
    report_path = _account(root, plan, files, edits, report)
    files[report_path] = report.markdown(document.name, module_folder(slug))
    if not dry_run:
        write_all(root, slug, files, edits)
    return report


def _module_document(
    document: Path, changes: Changes, report: ImportReport
) -> tuple[Document, WordImport | None] | None:
    """The module document read from a text, Word or OpenDocument file (with what only Word
    has); None when it cannot be understood (the report says why)."""
    word = read_word(document, changes, report) if is_word_file(document) else None
    if word is None and not report.text_source:
        return None
    data = word.text.text.encode("utf-8") if word is not None else _read(document)
    doc = read_document(data, report)
    return None if doc is None else (doc, word)


def _refuse_existing(root: Path, slug: str, report: ImportReport) -> None:
    """An error for the module folder and quiz file when they are there already."""
    for path in (root / module_folder(slug), root / quiz_file(slug)):
        if path.exists():
            report.diagnostics.error(
                Loc(path.relative_to(root).as_posix()),
                "already exists; nothing written (use --force to replace it, or --slug to "
                "import under another name)",
            )


def _account(
    root: Path,
    plan: ModulePlan,
    files: Mapping[str, str | bytes],
    edits: Mapping[str, str],
    report: ImportReport,
) -> str:
    """The report's files created and changed (its own file among them) and what is left to
    do; the import report's own path."""
    report_path = f"{module_folder(plan.slug)}/{IMPORT_REPORT}"
    report.created += [p for p in [*files, report_path] if not (root / p).exists()]
    report.changed += [p for p in [*files, report_path] if (root / p).exists()]
    report.changed += sorted(edits)
    if (root / module_folder(plan.slug)).exists():
        report.placed(1, f"--force: {module_folder(plan.slug)}/ replaced")
    _todo(plan, report)
    return report_path


def _read(document: Path) -> bytes:
    try:
        return document.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {document}: {exc.strerror}") from exc


def _planned_files(
    plan: ModulePlan, word: WordImport | None, source_name: str, report: ImportReport
) -> dict[str, str | bytes]:
    """The module's files; for a Word document with its footnote sources, its pictures, and
    each warning placed at the line of the file it concerns."""
    if word is None:
        return dict(module_files(plan, source_name))
    add_footnote_sources(plan, word.text, report)
    files: dict[str, str | bytes] = dict(
        place_warnings(module_files(plan, source_name), word.text, report)
    )
    for name, content in sorted(word.images.items()):
        files[f"{module_folder(plan.slug)}/{IMAGES}/{name}"] = content
    return files


def _edits(root: Path, plan: ModulePlan, report: ImportReport) -> dict[str, str] | None:
    """The new text of course.yml and sources.yml, for those that change."""
    diags = Diagnostics()
    edits: dict[str, str] = {}
    course_rel, sources_rel = COURSE_FILE, SOURCES_FILE
    course_text = read_text(root / course_rel, course_rel, diags)
    if course_text is not None:
        new = add_module_to_course(course_text, plan.slug, diags)
        if new is not None and new != course_text:
            edits[course_rel] = new
    sources_path = root / sources_rel
    if sources_path.exists():
        sources_text = read_text(sources_path, sources_rel, diags)
    else:
        sources_text = "sources: []\n"
    if sources_text is not None:
        new = add_sources(sources_text, plan.bibliography, report, diags)
        if new is not None and (new != sources_text or not sources_path.exists()):
            edits[sources_rel] = new
    for rel, text in edits.items():
        if not _still_readable(text, rel, diags):
            return None
    errors = diags.errors
    report.diagnostics.extend(errors)
    return None if errors else edits


def _still_readable(text: str, rel: str, diags: Diagnostics) -> bool:
    """A guard on the text edits: the result must still be plain YAML."""
    check = Diagnostics()
    compose(text, rel, check)
    if check.has_errors():
        diags.error(Loc(rel), f"could not add to {rel} without breaking it; nothing written")
        return False
    return True


def _todo(plan: ModulePlan, report: ImportReport) -> None:
    report.todo[:0] = [
        f"write the learning objectives in {module_file(plan.slug)} and list them in each lesson's "
        "front matter (the document states none, so none were invented)",
        f"write quiz questions in {quiz_file(plan.slug)} (created empty)",
        f"check each lesson's estimated minutes ({200} words a minute) and duration_minutes "
        f"({plan.duration}, the lessons' sum)",
        "add citations [@key] and glossary terms where the lessons use them",
    ]


def write_all(
    root: Path, slug: str, files: Mapping[str, str | bytes], edits: Mapping[str, str]
) -> None:
    """Write into a staging folder, then move everything into place; undo on any failure."""
    staging = Path(tempfile.mkdtemp(prefix=".coursesmith-import-", dir=root))
    moves: list[tuple[Path, Path]] = []  # (from, to), undone in reverse order on failure
    created: list[Path] = []  # folders made here, removed again on failure
    try:
        module_stage = staging / "module"
        for rel, text in files.items():
            target = (
                staging / "quiz.yml"
                if rel.startswith(f"{QUIZZES}/")
                else module_stage / Path(rel).relative_to(module_folder(slug))
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8", newline="\n")
        for rel, text in edits.items():
            (staging / Path(rel).name).write_text(text, encoding="utf-8", newline="\n")
        module_dir = root / module_folder(slug)
        quizzes = root / QUIZZES
        for folder in (module_dir.parent, quizzes):
            if not folder.is_dir():
                folder.mkdir()
                created.append(folder)
        placements = [(module_stage, module_dir), (staging / "quiz.yml", quizzes / f"{slug}.yml")]
        placements += [(staging / Path(rel).name, root / rel) for rel in edits]
        for index, (new, target) in enumerate(placements):
            if target.exists():
                backup = staging / f"old-{index}"
                os.replace(target, backup)
                moves.append((target, backup))
            os.replace(new, target)
            moves.append((new, target))
    except OSError:
        for origin, moved in reversed(moves):
            os.replace(moved, origin)
        for folder in reversed(created):
            folder.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
