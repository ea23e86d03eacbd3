"""``translate import``: a returned translation file checked whole, then turned into the text of
each translation file (``X.de.md`` / ``X.de.yml`` beside its source).

Nothing is written unless the whole document is right: the language is one the course
declares, every file is a source file of the course, every unit id is a segment of that file
now, every target keeps its source's placeholders (each once, none invented) and, once written,
the file has its source's structure (a target cannot add a paragraph, a heading or a list item).

A translation file is updated in place when it has its source's structure, so what a translator
did not send back stays byte for byte; otherwise (a new translation, or a source that gained or
lost a block since) it is made from the source, carrying over the translations of the segments
that did not change. It records the fingerprint of the source the export was made from, and a
copy of that source is kept for ``--stale-only`` (see ``bundle.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.authoring.translate import source_files, with_fingerprint
from generator.authoring.yaml_edit import yaml_scalar
from generator.model import SOURCE_FINGERPRINT, Course
from generator.source.dialect import heading_anchor
from generator.source.fingerprint import file_fingerprint
from generator.source.layout import COURSE_FILE, kept_source_rel, translation_rel
from generator.translation_files import inline
from generator.translation_files.bundle import changed_since, old_source, pair, read_text
from generator.translation_files.returned import ReturnedDocument, ReturnedFile, ReturnedUnit
from generator.translation_files.segments import ABSENT, Slot, fingerprint_line, slots

# Text that Markdown would read as the start of another block.
_BLOCK_START = re.compile(r"^(#{1,6}\s|>|[-*+]\s|\d+[.)]\s|\||!!!|\?\?\?|:::|```|~~~|---)")


@dataclass(frozen=True)
class Problem:
    """Something wrong in the returned document, at a line of it."""

    line: int
    message: str


@dataclass(frozen=True)
class ImportPlan:
    """What an import writes: translation files and kept sources (project-relative path and
    text), and the translation files it left as they were."""

    language: str
    files: tuple[tuple[str, str], ...]
    kept_sources: tuple[tuple[str, str], ...]
    unchanged: tuple[str, ...]


def plan_import(
    root: Path, course: Course, document: ReturnedDocument
) -> tuple[ImportPlan | None, list[Problem]]:
    """The files an import writes, or every problem that stops it."""
    problems: list[Problem] = []
    languages = course.languages[1:]
    lang = document.language or ""
    if lang not in languages:
        problems.append(
            Problem(
                document.line,
                f"target language '{lang}', expected one the course is translated into: "
                + (", ".join(languages) or f"none ({COURSE_FILE} declares no languages)"),
            )
        )
        return None, problems
    known = set(source_files(course))
    files: list[tuple[str, str]] = []
    kept: list[tuple[str, str]] = []
    unchanged: list[str] = []
    seen: set[str] = set()
    for returned in document.files:
        if returned.path not in known or returned.path in seen:
            what = "listed twice" if returned.path in seen else "not a source file of the course"
            problems.append(Problem(returned.line, f"file '{returned.path}' is {what}"))
            continue
        seen.add(returned.path)
        result = _plan_file(root, returned, lang, problems)
        if result is None:
            continue
        target, text, source_copy = result
        if text is None:
            unchanged.append(target)
        else:
            files.append((target, text))
        if source_copy is not None:
            kept.append(source_copy)
    if problems:
        return None, problems
    return ImportPlan(lang, tuple(files), tuple(kept), tuple(unchanged)), []


def _checked_targets(
    rel: str, source: Sequence[Slot], units: Sequence[ReturnedUnit], problems: list[Problem]
) -> dict[str, tuple[str, int]]:
    """Each translated unit's Markdown and line, with every problem of ids and placeholders."""
    by_id = {s.id: s for s in source}
    out: dict[str, tuple[str, int]] = {}
    seen: set[str] = set()
    for unit in units:
        slot = by_id.get(unit.id)
        if slot is None:
            problems.append(
                Problem(
                    unit.line,
                    f"segment id '{unit.id}' is not in {rel} now (its text changed or it was "
                    "removed since the export), expected an id of the current source: export again",
                )
            )
            continue
        if unit.id in seen:
            problems.append(Problem(unit.line, f"segment id '{unit.id}' is given twice"))
            continue
        seen.add(unit.id)
        if not unit.target or not inline.plain_returned(unit.target).strip():
            continue
        parts = inline.parse(slot.text)
        wrong = inline.check_codes(parts, unit.target)
        if "\n" in inline.plain_returned(unit.target) and "\n" not in slot.text:
            wrong.append("a line break where the source has none, expected the text on one line")
        if not wrong:
            text = inline.rebuild(parts, unit.target).strip()
            if _BLOCK_START.match(text) and not _BLOCK_START.match(slot.text):
                wrong.append(
                    f"the translation changes the file's structure ({slot.note}): it starts a "
                    "heading, list, quotation, table or fence, expected running text"
                )
            out[unit.id] = (text, unit.line)
        for message in wrong:
            problems.append(Problem(unit.line, f"segment '{unit.id}' of {rel}: {message}"))
    return out


def _plan_file(
    root: Path, returned: ReturnedFile, lang: str, problems: list[Problem]
) -> tuple[str, str | None, tuple[str, str] | None] | None:
    rel = returned.path
    source_text = read_text(root / rel)
    current = file_fingerprint(root / rel)
    source = slots(source_text, rel)
    before = len(problems)
    targets = _checked_targets(rel, source, returned.units, problems)
    if len(problems) > before:
        return None
    target_rel = translation_rel(rel, lang)
    existing = root / target_rel
    if not targets and not existing.is_file():
        return None  # nothing translated: the file stays missing and falls back
    recorded = returned.fingerprint or current
    base, values = _base_and_values(root, rel, source, source_text, existing, current)
    values.update({key: text for key, (text, _) in targets.items()})
    text = _written(rel, source, base, values)
    lines = {key: line for key, (_, line) in targets.items()}
    if not _same_structure(rel, source, text, values, lines, problems):
        return None
    text = _with_recorded(text, rel, recorded)
    keep = (kept_source_rel(rel, current), source_text) if recorded == current else None
    if existing.is_file() and read_text(existing) == text:
        return target_rel, None, keep
    return target_rel, text, keep


def _base_and_values(
    root: Path, rel: str, source: Sequence[Slot], source_text: str, existing: Path, current: str
) -> tuple[str, dict[str, str]]:
    """The text to write into (the translation, or a copy of the source) and the translations
    carried over into a copy of the source."""
    if not existing.is_file():
        return with_fingerprint(source_text, rel, current), {}
    text = read_text(existing)
    translated = slots(text, rel)
    paired = pair(source, translated, rel)
    if len(paired) == len(source):
        return text, {}
    values = {key: slot.text for key, slot in paired.items()}
    old = old_source(root, rel, fingerprint_line(text))
    if old is not None:
        by_old = pair(old, translated, rel)
        changed = changed_since(old, source)
        values.update(
            {s.id: by_old[s.id].text for s in source if s.id in by_old and s.id not in changed}
        )
    return with_fingerprint(source_text, rel, current), values


def _written(rel: str, source: Sequence[Slot], base: str, values: dict[str, str]) -> str:
    """The base text with each segment that has a value replaced by it."""
    base_slots = pair(source, slots(base, rel), rel)
    edits: list[tuple[int, int, str]] = []
    added: dict[str, list[str]] = {}
    for slot in source:
        value, at = values.get(slot.id), base_slots.get(slot.id)
        if at is not None and at.style == ABSENT:
            added.setdefault(slot.id.split(".")[0], []).append(value or at.text)
            continue
        if value is None or at is None or value == at.text:
            continue
        edits.append((at.start, at.end, _rendered(rel, slot, at, value, base)))
    for start, end, new in sorted(edits, reverse=True):
        base = base[:start] + new + base[end:]
    extra = _added_fields(source, added, values)
    if extra and not base.endswith("\n"):
        base += "\n"
    return base + extra


def _added_fields(
    source: Sequence[Slot], added: dict[str, list[str]], values: dict[str, str]
) -> str:
    """Top-level fields the file left at their default, written when a translation came."""
    out: list[str] = []
    for name, texts in added.items():
        if not any(s.id.split(".")[0] == name and s.id in values for s in source):
            continue
        if any(s.id == name for s in source):
            out.append(f"{name}: {yaml_scalar(texts[0])}\n")
        else:
            items = ", ".join(json.dumps(t, ensure_ascii=False) for t in texts)
            out.append(f"{name}: [{items}]\n")
    return "".join(out)


def _rendered(rel: str, source: Slot, at: Slot, value: str, base: str) -> str:
    if rel.endswith(".md") and at.shape != "title":
        if source.shape.startswith(("h", "note-h")):
            return _heading(source, at, value, base)
        if source.shape.endswith("td"):
            return re.sub(r"(?<!\\)\|", r"\\|", value)
        return value
    return _yaml_value(at, value, base)


def _heading(source: Slot, at: Slot, value: str, base: str) -> str:
    """A heading keeps its source's anchor: written explicitly when the text no longer gives it."""
    anchor = heading_anchor(source.text)[1]
    rest = base[at.end : base.find("\n", at.end) if "\n" in base[at.end :] else len(base)]
    if "{" in rest or heading_anchor(value)[1] == anchor:
        return value
    return f"{value} {{#{anchor}}}"


def _yaml_value(at: Slot, value: str, base: str) -> str:
    if at.style in ("|", ">"):
        line_start = base.rfind("\n", 0, at.start) + 1
        line = base[line_start : at.start]
        indent = " " * (len(line) - len(line.lstrip(" -")) + 2 + line.count("-"))
        span = base[at.start : at.end]
        trailing = span[len(span.rstrip("\n")) :] or "\n"
        body = "\n".join(indent + row if row else "" for row in value.split("\n"))
        return f"|-\n{body}{trailing}"
    if at.style == "flow":
        plain = re.fullmatch(r"[\w][\w .'-]*", value) and "," not in value
        if plain and yaml.safe_load(value) == value:
            return value
        return json.dumps(value, ensure_ascii=False)
    return yaml_scalar(value)


def _same_structure(
    rel: str,
    source: Sequence[Slot],
    text: str,
    values: dict[str, str],
    lines: dict[str, int],
    problems: list[Problem],
) -> bool:
    """Whether the written file reads back with its source's segments and the values given:
    a target that adds a block or breaks a line where it may not is refused."""
    try:
        written = list(slots(text, rel))
    except yaml.YAMLError:
        written = []
    culprit = _first_difference(rel, source, written, values)
    if culprit is None:
        return True
    line = lines.get(culprit.id, min(lines.values(), default=1))
    problems.append(
        Problem(
            line,
            f"segment '{culprit.id}' of {rel}: the translation changes the file's structure "
            f"({culprit.note}), expected text within one "
            + ("heading, paragraph, list item or cell" if rel.endswith(".md") else "field"),
        )
    )
    return False


def _first_difference(
    rel: str, source: Sequence[Slot], written: Sequence[Slot], values: dict[str, str]
) -> Slot | None:
    """The source segment whose translation broke the structure, if one did."""
    paired = pair(source, written, rel)
    if len(paired) == len(source) and all(
        values.get(s.id) in (None, paired[s.id].text) for s in source
    ):
        return None
    for index, slot in enumerate(source):
        got = paired.get(slot.id) or (written[index] if index < len(written) else None)
        want = values.get(slot.id)
        if got is None or got.shape != slot.shape:
            before = source[index - 1] if index else slot
            return before if before.id in values else slot
        if want is not None and got.text != want:
            return slot
    return source[-1]


def _with_recorded(text: str, rel: str, fingerprint: str) -> str:
    if fingerprint_line(text) is None:
        return with_fingerprint(text, rel, fingerprint)
    return re.sub(
        rf"^({SOURCE_FINGERPRINT}:[ \t]*)[0-9a-fA-F]+",
        lambda m: m.group(1) + fingerprint,
        text,
        count=1,
        flags=re.MULTILINE,
    )
