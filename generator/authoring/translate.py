"""The translator's side: scaffolding translation files with their source's fingerprint, and the
per-language table of what is missing, stale or up to date.

Pure functions from the loaded course to files and text; ``generator.adapters.cli`` writes and
prints them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.load import FileStatus
from generator.model import SOURCE_FINGERPRINT, Course
from generator.model.components import COMPONENTS
from generator.source.diagnostics import Diagnostic
from generator.source.fingerprint import file_fingerprint
from generator.source.languages import language_name
from generator.source.layout import (
    COURSE_FILE,
    GLOSSARY_FILE,
    SOURCES_FILE,
    component_file,
    kept_source_rel,
    module_file,
    quiz_file,
    translation_rel,
)

# In the order the table lists them: what needs the translator's attention first.
STATES = ("stale", "unrecorded", "missing", "ok")
_STATE_WORDS = {
    "ok": "up to date",
    "stale": "stale",
    "unrecorded": "no fingerprint",
    "missing": "missing",
}


def source_files(course: Course, module: str | None = None) -> list[str]:
    """The course's translatable files (project-relative), or one module's, in course order."""
    files: list[str] = []
    if module is None:
        files += [COURSE_FILE, GLOSSARY_FILE, SOURCES_FILE]
    for m in course.modules:
        if module is not None and m.slug != module:
            continue
        files.append(module_file(m.slug))
        files += [lesson.path for lesson in m.lessons]
        files += [component_file(m.slug, k.filename) for k in COMPONENTS if k.of(m) is not None]
        if m.quiz is not None:
            files.append(quiz_file(m.slug))
    return files


def with_fingerprint(text: str, rel: str, fingerprint: str) -> str:
    """A source file's text as the start of its translation: the source's fingerprint recorded
    in the front matter (Markdown) or as the first field (YAML, after any leading comments such
    as the schema line)."""
    line = f"{SOURCE_FINGERPRINT}: {fingerprint}"
    lines = text.split("\n")
    if rel.endswith(".md"):
        if lines and lines[0].strip() == "---":
            return "\n".join([lines[0], line, *lines[1:]])
        return text  # no front matter to record it in: `check` says so
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    if start < len(lines) and lines[start].strip() == "---":
        start += 1
    return "\n".join([*lines[:start], line, *lines[start:]])


@dataclass(frozen=True)
class TranslationScaffold:
    """What ``new translation`` writes (path, text), the translations it leaves alone, and the
    copies of the sources it kept (for ``translate export --stale-only``)."""

    files: tuple[tuple[str, str], ...]
    kept: tuple[str, ...]
    source_copies: tuple[tuple[str, str], ...] = ()


def new_translation(
    root: Path, course: Course, lang: str, module: str | None = None
) -> TranslationScaffold:
    """Each source file without a translation into ``lang``, copied with its fingerprint."""
    files: list[tuple[str, str]] = []
    kept: list[str] = []
    copies: list[tuple[str, str]] = []
    for rel in source_files(course, module):
        target = translation_rel(rel, lang)
        if (root / target).exists():
            kept.append(target)
            continue
        source = root / rel
        text = source.read_bytes().decode("utf-8").removeprefix("\ufeff")
        text = text.replace("\r\n", "\n")
        fingerprint = file_fingerprint(source)
        files.append((target, with_fingerprint(text, rel, fingerprint)))
        copies.append((kept_source_rel(rel, fingerprint), text))
    return TranslationScaffold(tuple(files), tuple(kept), tuple(copies))


def _counts(statuses: Sequence[FileStatus]) -> dict[str, int]:
    counted: Counter[str] = Counter(s.state for s in statuses)
    return {state: counted.get(state, 0) for state in STATES}


def status_table(survey: Mapping[str, Sequence[FileStatus]]) -> str:
    """Per language, a summary line and one row per file: state, translation, source."""
    out: list[str] = []
    for lang, statuses in survey.items():
        counts = _counts(statuses)
        out.append(
            f"{language_name(lang)} ({lang}): "
            + ", ".join(f"{counts[state]} {_STATE_WORDS[state]}" for state in STATES)
        )
        width = max((len(_STATE_WORDS[s.state]) for s in statuses), default=0)
        path_width = max((len(s.translation) for s in statuses), default=0)
        for s in sorted(statuses, key=lambda s: (STATES.index(s.state), s.source)):
            note = f"  (source {s.source} is now {s.current})" if s.state == "stale" else ""
            out.append(
                f"  {_STATE_WORDS[s.state]:<{width}}  {s.translation:<{path_width}}"
                + (f"  of {s.source}" if s.state != "stale" else "")
                + note
            )
    return "\n".join(out)


def status_json(
    survey: Mapping[str, Sequence[FileStatus]], problems: Iterable[Diagnostic] = ()
) -> str:
    """The same as JSON: per language, counts and every file with its state and fingerprints;
    then the content's problems as ``check --format json`` gives them."""
    data = {
        lang: {
            "name": language_name(lang),
            "counts": _counts(statuses),
            "files": [
                {
                    "source": s.source,
                    "translation": s.translation,
                    "state": s.state,
                    "recorded_fingerprint": s.recorded,
                    "source_fingerprint": s.current,
                }
                for s in statuses
            ],
        }
        for lang, statuses in survey.items()
    }
    listed = [d.as_dict() for d in problems]
    return json.dumps({"languages": data, "problems": listed}, indent=2, ensure_ascii=False)
