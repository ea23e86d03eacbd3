"""What goes out to a translator: per source file, its segments with their existing translations.

``export_bundle`` reads the course's source files and their translations into a
:class:`Bundle`, which ``xliff.py`` and ``po.py`` write. A translation's text for each segment
is found by pairing its segments with its source's (``pair``): by path in YAML, by position in
a lesson whose structure is the source's.

*The old source* of a stale translation (what ``--stale-only`` compares with, and shows the
translator) is the source file as it was when the translation was last imported: ``translate
import`` keeps a copy of each source it wrote a translation from in
``content/.translated-sources/<fingerprint>.<md|yml>``, named by the fingerprint the translation
records. It is content-addressed and git-free (a course need not be in a repository, and a
fingerprint names a file's bytes, not a commit); hidden, so neither the loader nor the course
fingerprint sees it. A translation made by hand has no copy: all its segments count as changed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.authoring.translate import source_files
from generator.model import Course
from generator.source.fingerprint import file_fingerprint
from generator.source.layout import kept_source_rel, translation_rel
from generator.translation_files.segments import Slot, fingerprint_line, slots


@dataclass(frozen=True)
class Unit:
    """One segment as a translator gets it."""

    id: str
    source: str  # inline Markdown
    target: str | None  # the existing translation, if any
    note: str  # where it is: file › heading path or field
    previous_source: str | None = None  # --stale-only: the source as it was translated


@dataclass(frozen=True)
class FileUnits:
    """A source file's segments, with the fingerprint of the source they were read from."""

    path: str
    fingerprint: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Bundle:
    """An export: source and target language, and the files."""

    source_language: str
    target_language: str
    files: tuple[FileUnits, ...]

    def count(self) -> int:
        return sum(len(f.units) for f in self.files)


def read_text(path: Path) -> str:
    """A content file's text as the loader reads it (BOM dropped, line endings normalised)."""
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")


def pair(source: Sequence[Slot], translation: Sequence[Slot], rel: str) -> dict[str, Slot]:
    """The translation's segment for each source segment id, where the two can be paired."""
    if rel.endswith(".md"):
        if [s.shape for s in source] != [t.shape for t in translation]:
            return {}
        return {s.id: t for s, t in zip(source, translation, strict=True)}
    by_shape = {t.shape: t for t in translation}
    return {s.id: by_shape[s.shape] for s in source if s.shape in by_shape}


def old_source(root: Path, rel: str, recorded: str | None) -> tuple[Slot, ...] | None:
    """The segments of the source a translation was made from, if a copy of it was kept."""
    if recorded is None:
        return None
    kept = root / kept_source_rel(rel, recorded)
    return slots(read_text(kept), rel) if kept.is_file() else None


def changed_since(old: Sequence[Slot], new: Sequence[Slot]) -> dict[str, Slot | None]:
    """The new segments whose source text is not the old one's, each with the old segment it
    replaces (None for a segment with no counterpart, such as an added paragraph)."""
    before = {s.id: s for s in old}
    out: dict[str, Slot | None] = {}
    matcher = difflib.SequenceMatcher(None, [s.id for s in old], [s.id for s in new], False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for offset, slot in enumerate(new[j1:j2]):
            counterpart = old[i1 + offset] if i1 + offset < i2 else None
            if counterpart is not None and counterpart.shape != slot.shape:
                counterpart = None
            out[slot.id] = before.get(slot.id, counterpart)
    for slot in new:
        was = before.get(slot.id)
        if was is not None and was.text != slot.text:
            out[slot.id] = was
    return out


def _file_units(root: Path, rel: str, lang: str, stale_only: bool) -> FileUnits | None:
    text = read_text(root / rel)
    current = file_fingerprint(root / rel)
    source = slots(text, rel)
    translation_path = root / translation_rel(rel, lang)
    translated: tuple[Slot, ...] = ()
    recorded = None
    if translation_path.is_file():
        translation_text = read_text(translation_path)
        translated = slots(translation_text, rel)
        recorded = fingerprint_line(translation_text)
    if stale_only and (not translation_path.is_file() or recorded == current):
        return None
    targets = pair(source, translated, rel)
    changes: dict[str, Slot | None] | None = None
    if stale_only:
        old = old_source(root, rel, recorded)
        if old is not None:
            changes = changed_since(old, source)
            targets = {**targets, **_previous_targets(old, translated, rel, changes)}
    units = []
    for slot in source:
        if changes is not None and slot.id not in changes:
            continue
        before = changes.get(slot.id) if changes is not None else None
        target = targets.get(slot.id)
        units.append(
            Unit(
                slot.id,
                slot.text,
                target.text if target is not None else None,
                slot.note,
                before.text if before is not None else None,
            )
        )
    return FileUnits(rel, current, tuple(units)) if units else None


def _previous_targets(
    old: Sequence[Slot],
    translated: Sequence[Slot],
    rel: str,
    changes: dict[str, Slot | None],
) -> dict[str, Slot]:
    """For each changed segment, the translation of the old segment it replaces."""
    by_old = pair(old, translated, rel)
    out: dict[str, Slot] = {}
    for new_id, before in changes.items():
        if before is not None and before.id in by_old:
            out[new_id] = by_old[before.id]
    return out


def export_bundle(
    root: Path, course: Course, lang: str, module: str | None = None, stale_only: bool = False
) -> Bundle:
    """Every segment of the course's source files (or one module's) with its translation into
    ``lang``; with ``stale_only``, only those whose source changed since it was translated."""
    files = []
    for rel in source_files(course, module):
        found = _file_units(root, rel, lang, stale_only)
        if found is not None:
            files.append(found)
    return Bundle(course.source_language, lang, tuple(files))
