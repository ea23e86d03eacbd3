"""A course made of hostile text: every author field the model has, in English and in German.

``write_course`` writes one project: module ``p<n>`` holds a few payloads of
tests/fixtures/hostile/payloads.yml (``group``) in every one of its fields (module.yml, the lesson,
every component, a quiz with every question type) and in every field of its German translation;
the glossary has a term and the bibliography a source per payload; the course's own fields, which
hold one text each, hold all the payloads together. ``text_fields`` lists, from
generator/model/, every field that holds author text, and ``covered`` the ones a written course
fills with a payload: a field added to the model later without a place here makes
tests/test_hostile_content.py fail.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from generator import model
from generator.model.fields import field_specs, unwrap
from generator.source.fingerprint import file_fingerprint

from .conftest import FIXTURES, write_config

CORPUS: list[str] = yaml.safe_load((FIXTURES / "hostile" / "payloads.yml").read_text("utf-8"))
# `check` refuses an image in a lesson whose address is not a file of the project: such a
# payload never reaches a site (test_hostile_content checks its refusal).
REFUSED = [payload for payload in CORPUS if payload.startswith("![")]
PAYLOADS = [payload for payload in CORPUS if payload not in REFUSED]
LANGUAGES = ("en", "de")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Payloads per module.
GROUP = 3
# Fields of the model that hold text an author types but no free text: each is checked against a
# fixed list, so a payload there is an error before anything is built.
NOT_FREE_TEXT = {
    "CourseFile.language": "a language code, one of the known ones",
    "CourseFile.languages": "language codes, each one of the known ones",
}
# Author text that is not a field of a model dataclass: a lesson's Markdown body (with its
# section headings and citations) and the trainer notes taken out of it.
BODY_FIELDS = ("Lesson.body", "Lesson.trainer_notes")


def slug(index: int) -> str:
    return f"p{index:02d}"


def _is_text(hint: Any) -> bool:
    base, markers, _optional = unwrap(hint)
    if any(isinstance(marker, model.IdMarker) for marker in markers):
        return False
    if base is str:
        return True
    origin, args = typing.get_origin(base), typing.get_args(base)
    if origin is tuple:
        return _is_text(args[0])
    if origin is Mapping:
        return _is_text(args[1])
    return False


def _model_classes() -> list[type[model.Located]]:
    return [
        cls
        for cls in vars(model).values()
        if isinstance(cls, type)
        and dataclasses.is_dataclass(cls)
        and issubclass(cls, model.Located)
        and cls is not model.Located
    ]


def text_fields() -> set[str]:
    """Every field of the model's file dataclasses that holds author text, as Class.field."""
    return {
        f"{cls.__name__}.{f.name}"
        for cls in _model_classes()
        for f, hint in field_specs(cls)
        if _is_text(hint)
    } | set(BODY_FIELDS)


def _class_of(hint: Any) -> type[model.Located] | None:
    base, _markers, _optional = unwrap(hint)
    if typing.get_origin(base) is tuple:
        base, _markers, _optional = unwrap(typing.get_args(base)[0])
    return base if isinstance(base, type) and issubclass(base, model.Located) else None


def covered(data: Any, cls: type[model.Located], payload: str) -> set[str]:
    """The text fields of ``cls`` that ``data`` (one file's YAML, decoded) fills with
    ``payload`` (or with text holding it), down through nested objects."""
    found: set[str] = set()
    for f, hint in field_specs(cls):
        value = data.get(f.name)
        if value is None:
            continue
        nested = _class_of(hint)
        if nested is not None:
            for item in value if isinstance(value, list) else [value]:
                found |= covered(item, nested, payload)
        elif _is_text(hint):
            texts = value.values() if isinstance(value, dict) else value
            texts = [texts] if isinstance(texts, str) else list(texts)
            if any(_single(payload) in _single(text) for text in texts):
                found.add(f"{cls.__name__}.{f.name}")
    return found


@functools.cache
def _single(text: str) -> str:
    return " ".join(text.split())


def line(text: str) -> str:
    """``text`` for a single-line field: its line breaks (an error there) become spaces."""
    return " ".join(re.split(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]", text))


def course_file(language: str) -> dict[str, Any]:
    together = " ".join(line(p) for p in PAYLOADS)
    return {
        "id": "hostile",
        "title": together,
        "description": "\n\n".join(PAYLOADS),
        "language": language,
        "languages": list(LANGUAGES),
        "audience": together,
        "version": together,
        "owner": together,
        "last_reviewed": datetime.date(2025, 1, 31),
        "modules": [slug(i) for i in range(module_count())],
    }


def word(index: int) -> str:
    """A plain word for glossary term ``index``, which lessons use."""
    return f"glossaryword{index}"


def glossary_file() -> dict[str, Any]:
    terms, seen = [], set()
    for index, payload in enumerate(PAYLOADS):
        # Terms must differ under case folding: a payload met twice gets its number.
        term = line(payload).strip()
        term = term if term.casefold() not in seen else f"{term} {index}"
        seen.add(term.casefold())
        # The lessons use the plain alias: its link's tooltip is the definition.
        aliases = [f"{line(payload).strip()} alias {index}", word(index)]
        related = [f"{line(payload).strip()} related {index}"]
        terms.append(
            {
                "id": f"t{index}",
                "term": term,
                "aliases": aliases,
                "related": related,
                "definition": payload,
            }
        )
    return {"terms": terms}


def sources_file() -> dict[str, Any]:
    together = " ".join(line(p) for p in PAYLOADS)
    sources = []
    for index, payload in enumerate(PAYLOADS):
        text = line(payload)
        sources.append(
            {
                "key": f"s{index}",
                "kind": "report",
                "authors": [text],
                "year": 2020,
                "title": text,
                **{
                    name: text
                    for name in (
                        *("venue", "volume", "issue", "pages", "publisher"),
                        *("report_number", "doi", "arxiv", "url"),
                    )
                },
                "evaluation": {"currency": 4, "relevance": 3, "rating": text},
            }
        )
    return {
        "collection": {
            "date": datetime.date(2025, 1, 31),
            "description": together,
            "source_types": [line(p) for p in PAYLOADS],
            "criteria": [line(p) for p in PAYLOADS],
        },
        "evaluation": {"framework": together, "description": together},
        "sources": sources,
    }


def group(number: int) -> list[str]:
    """The payloads of module p<number>: a few of them, so the course stays small to build."""
    return PAYLOADS[number * GROUP : (number + 1) * GROUP]


def module_count() -> int:
    return -(-len(PAYLOADS) // GROUP)


def module_files(number: int) -> dict[str, Any]:
    """The YAML files of module p<number> (by path in the project), its payloads in every
    field: one after another, in paragraphs of their own where the field takes Markdown."""
    payload, text = "\n\n".join(group(number)), " ".join(line(p) for p in group(number))
    slug_ = slug(number)
    module = {
        "code": text,
        "title": text,
        "level": "beginner",
        "duration_minutes": 20,
        "summary": payload,
        "objectives": [{"id": "o1", "text": text}],
        "lessons": ["intro"],
        "components_intro": payload,
    }
    checklist = {
        "title": text,
        "intro": text,
        "statuses": [f"{text} 1", f"{text} 2"],
        "sections": [
            {
                "id": "s1",
                "title": text,
                "items": [{"id": "i1", "label": text, "description": text}],
            }
        ],
    }
    role = {
        "title": text,
        "intro": text,
        "role": text,
        "overall_responsibility": text,
        "groups": [{"id": "g1", "title": text, "responsibilities": [text, f"{text} 2"]}],
    }
    guide = {
        "title": text,
        "intro": text,
        "phases": [
            {"id": "ph1", "title": text, "activities": [text], "sme_collaboration": [text]},
            {"id": "ph2", "title": text, "activities": [text], "sme_collaboration": [text]},
        ],
    }
    common = {"lesson": "intro", "objective": "o1", "explanation": payload}
    quiz = {
        "title": text,
        "pass_mark": 50,
        "questions": [
            {
                "id": "q1",
                "type": "single",
                "prompt": payload,
                "section": "why",
                **common,
                "choices": [
                    {"id": "a", "text": text, "correct": True},
                    {"id": "b", "text": f"{text} b"},
                ],
                "feedback": {"a": text, "b": text},
            },
            {
                "id": "q2",
                "type": "multiple",
                "prompt": payload,
                **common,
                "choices": [
                    {"id": "a", "text": text, "correct": True},
                    {"id": "b", "text": f"{text} b", "correct": True},
                    {"id": "c", "text": f"{text} c"},
                ],
                "feedback": {"a": text, "b": text, "c": text},
            },
            {
                "id": "q3",
                "type": "true-false",
                "prompt": payload,
                **common,
                "answer": True,
                "feedback": {"true": text, "false": text},
            },
            {
                "id": "q4",
                "type": "matching",
                "prompt": payload,
                **common,
                "pairs": [
                    {"id": "l1", "left": text, "right": f"{text} 1"},
                    {"id": "l2", "left": f"{text} 2", "right": f"{text} 2"},
                ],
                "feedback": {"l1": text, "l2": text},
            },
            {
                "id": "q5",
                "type": "ordering",
                "prompt": payload,
                **common,
                "items": [{"id": "o1", "text": text}, {"id": "o2", "text": f"{text} 2"}],
                "feedback": {"o1": text, "o2": text},
            },
        ],
    }
    folder = f"content/modules/{slug_}"
    return {
        f"{folder}/module.yml": module,
        f"{folder}/components/checklist.yml": checklist,
        f"{folder}/components/role-template.yml": role,
        f"{folder}/components/lifecycle-guide.yml": guide,
        f"quizzes/{slug_}.yml": quiz,
    }


def lesson(number: int) -> tuple[dict[str, Any], str]:
    """Front matter and body of module p<number>'s lesson: its payloads in the title, and each
    in running text, a list, a quote, a heading and the trainer notes; the lesson cites the
    sources of its payloads (glossary terms are linked where the text holds them)."""
    first = number * GROUP
    # The first source cited alone, then all of them in one bracket: [@a] and [@a; @b; @c].
    keys = [f"s{first + k}" for k in range(len(group(number)))]
    cites = f"[@{keys[0]}] and [@{'; @'.join(keys)}]"
    meta = {
        "id": "intro",
        "title": " ".join(line(p) for p in group(number)),
        "minutes": 5,
        "objectives": ["o1"],
    }
    words = " ".join(word(first + k) for k in range(len(group(number))))
    body = f"Text citing {cites}, with the glossary's {words}.\n\n## Why {{#why}}\n\n"
    for payload in group(number):
        body += f"{payload}\n\n- {line(payload)}\n\n> {line(payload)}\n\n## {line(payload)}\n\n"
    notes = "\n\n".join(group(number))
    return meta, f"{body}::: trainer\n{notes}\n:::\n"


# Each YAML file kind and the model class it decodes into.
KINDS: dict[str, type[model.Located]] = {
    "course.yml": model.CourseFile,
    "glossary.yml": model.GlossaryFile,
    "sources.yml": model.SourcesFile,
    "module.yml": model.ModuleFile,
    "checklist.yml": model.Checklist,
    "role-template.yml": model.RoleTemplate,
    "lifecycle-guide.yml": model.LifecycleGuide,
}


def kind_of(path: str) -> type[model.Located]:
    return model.Quiz if path.startswith("quizzes/") else KINDS[path.rsplit("/", 1)[-1]]


def source_files() -> dict[str, Any]:
    """Every YAML file of the course in its source language, by path."""
    files: dict[str, Any] = {
        "content/course.yml": course_file("en"),
        "content/glossary.yml": glossary_file(),
        "content/sources.yml": sources_file(),
    }
    for number in range(module_count()):
        files.update(module_files(number))
    return files


def translated(path: str) -> str:
    stem, dot, extension = path.rpartition(".")
    return f"{stem}.de{dot}{extension}"


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_course(project: Path) -> Path:
    """The hostile course, source and German translation of every file, with a mkdocs.yml
    (PDF handouts off); returns ``project``."""
    for path, data in source_files().items():
        _write(project / path, _dump(data))
        german = course_file("de") if path == "content/course.yml" else data
        mark = file_fingerprint(project / path)
        _write(project / translated(path), _dump({"source_fingerprint": mark, **german}))
    for number in range(module_count()):
        path = f"content/modules/{slug(number)}/lessons/01-intro.md"
        meta, body = lesson(number)
        _write(project / path, f"---\n{_dump(meta)}---\n{body}")
        mark = file_fingerprint(project / path)
        _write(
            project / translated(path),
            f"---\n{_dump({'source_fingerprint': mark, **meta})}---\n{body}",
        )
    # The site name is the course title, as `coursesmith new` writes it.
    config = write_config(project, pdf=False)
    settings = yaml.safe_load(config.read_text("utf-8"))
    config.write_text(_dump({**settings, "site_name": course_file("en")["title"]}), "utf-8")
    return project


def project_coverage(project: Path, language: str) -> dict[str, set[str]]:
    """For each payload, the text fields that the files of ``language`` in ``project`` (as
    written) fill with it: every YAML file and every lesson's front matter and body."""
    suffix = "" if language == LANGUAGES[0] else f".{language}"
    found: dict[str, set[str]] = {payload: set() for payload in PAYLOADS}
    for path in sorted(project.glob("content/**/*.*")) + sorted(project.glob("quizzes/*.*")):
        rel = path.relative_to(project).as_posix()
        name, _dot, extension = rel.rpartition(".")
        if (suffix and not name.endswith(suffix)) or (not suffix and name.endswith(".de")):
            continue
        text = path.read_text("utf-8")
        cls: type[model.Located] = model.LessonFrontMatter
        if extension == "md":
            _, front, body = text.split("---\n", 2)
            data = yaml.load(front, Loader=_LOADER)
        else:
            data, cls, body = yaml.load(text, _LOADER), kind_of(rel.replace(suffix, "")), ""
        for payload, fields in found.items():
            fields |= covered(data, cls, payload)
            if _single(payload) in _single(body):
                fields |= set(BODY_FIELDS)
    return found
