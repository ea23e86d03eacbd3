"""The course model: frozen dataclasses named after the domain, with no I/O.

The dataclasses that mirror a file kind (``CourseFile``, ``ModuleFile``, ``Checklist`` …) are also
the schema of that file: the loader decodes YAML into them field by field using their type hints,
and the JSON Schemas for editors are generated from the same hints. Field metadata carries the
one-line description shown to authors.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated, Any, Literal

from generator.source.diagnostics import NO_LOC as NO_LOC
from generator.source.diagnostics import Loc as Loc
from generator.source.layout import MODULE_FILE, MODULES

ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
_ID = re.compile(ID_PATTERN)
# Ids name folders, files and addresses (m1/<lesson id>/index.html, <module>-scorm12.zip): far
# below the file systems' 255 bytes a name, and far above any id a person types.
ID_MAX_LENGTH = 100


def is_id(text: str) -> bool:
    """Whether ``text`` is an id: ASCII lowercase letters, digits and hyphens, not starting
    with a hyphen (look-alike letters from other scripts are not ids), at most
    ``ID_MAX_LENGTH`` characters."""
    return text.isascii() and len(text) <= ID_MAX_LENGTH and _ID.fullmatch(text) is not None


class IdMarker:
    """Marks a string field that must be an id of the form ``[a-z0-9][a-z0-9-]*``."""


class MarkdownMarker:
    """Marks a string field holding block Markdown (paragraphs, lists)."""


class InlineMarker:
    """Marks a string field holding inline Markdown, which may be wrapped over several lines.

    A string field with neither this nor ``MarkdownMarker`` is one line of text (a title, a
    label, a name): a line break in it is an error, as it would break the exports that write it
    on one line (GIFT names and categories, CSV cells, page titles)."""


# Every character that ends a line for Python's str.splitlines, YAML or a browser.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def is_single_line(hint_markers: tuple[Any, ...]) -> bool:
    """Whether a string field with these Annotated markers must hold one line of text."""
    return not any(isinstance(m, MarkdownMarker | InlineMarker) for m in hint_markers)


@dataclass(frozen=True)
class Range:
    """Marks a number field with inclusive bounds."""

    low: int
    high: int


Id = Annotated[str, IdMarker()]
InlineText = Annotated[str, InlineMarker()]  # inline Markdown: emphasis, code, links; no raw HTML
BlockText = Annotated[str, MarkdownMarker()]
Score = Annotated[int, Range(1, 5)]
Percent = Annotated[int, Range(0, 100)]
PositiveMinutes = Annotated[int, Range(1, 10_000)]


# The field in which a translation (``01-intro.de.md`` beside ``01-intro.md``) records the
# fingerprint of the source file it was translated from: front matter or top-level YAML key. The
# loader takes it out of translations before decoding; in a source file it is an unknown field.
SOURCE_FINGERPRINT = "source_fingerprint"
_EMPTY: Mapping[str, Loc] = MappingProxyType({})
_EMPTY_TEXT: Mapping[str, str] = MappingProxyType({})


def doc(text: str, **extra: Any) -> Any:
    """Field metadata: the author-facing description (and any extra marks: ``untranslated``
    marks a text field that translations keep as written, such as a DOI or a module code, and
    that ``translate export`` leaves out)."""
    return {"doc": text, **extra}


@dataclass(frozen=True, kw_only=True)
class Located:
    """Base of every decoded object: where it starts and where each of its fields' values are.

    ``locs`` is keyed by field name, ``field[i]`` for list items and ``field.key`` for mapping keys.
    """

    loc: Loc = field(default=NO_LOC, compare=False, repr=False, metadata={"internal": True})
    locs: Mapping[str, Loc] = field(
        default_factory=lambda: _EMPTY, compare=False, repr=False, metadata={"internal": True}
    )

    def at(self, key: str) -> Loc:
        """The location of a field's value, falling back to the object's own location."""
        return self.locs.get(key, self.loc)


# --- course.yml -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CourseFile(Located):
    """content/course.yml: the course and its ordered modules."""

    id: Id = field(metadata=doc("Course id, e.g. ai-risk-foundations."))
    title: str = field(metadata=doc("Course title."))
    description: BlockText = field(metadata=doc("What the course is about (Markdown)."))
    language: str = field(
        default="en", metadata=doc("Language code of the content, e.g. en.", untranslated=True)
    )
    languages: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Languages the course is offered in, the source language first, e.g. [en, de].",
            untranslated=True,
        ),
    )
    audience: str = field(metadata=doc("Who the course is for."))
    version: str = field(
        metadata=doc('Version of the course content, e.g. "1.0.0".', untranslated=True)
    )
    owner: str = field(metadata=doc("Team or person responsible for the content."))
    last_reviewed: _dt.date = field(metadata=doc("Date of the last content review (YYYY-MM-DD)."))
    modules: tuple[Id, ...] = field(
        metadata=doc(f"Module folder names under {MODULES}/, in course order.")
    )


# --- glossary.yml -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GlossaryTerm(Located):
    """One glossary entry; lessons link its term, aliases and related words to it."""

    id: Id = field(metadata=doc("Term id, used as the glossary anchor."))
    term: str = field(metadata=doc("The term as it appears in running text."))
    aliases: tuple[str, ...] = field(
        default=(), metadata=doc("Other spellings of the term, linked; listed as 'Also written'.")
    )
    related: tuple[str, ...] = field(
        default=(),
        metadata=doc("Related words that link to this entry too; listed under 'See also'."),
    )
    definition: InlineText = field(metadata=doc("One or two sentences (inline Markdown)."))


@dataclass(frozen=True, kw_only=True)
class GlossaryFile(Located):
    """content/glossary.yml: terms shared by all modules."""

    terms: tuple[GlossaryTerm, ...] = field(metadata=doc("Glossary entries."))


# --- sources.yml ------------------------------------------------------------------------------

SourceKind = Literal["article", "preprint", "report", "book", "web"]


# The CRAAP criteria, in the framework's order: the scored fields of SourceEvaluation.
CRAAP_CRITERIA = ("currency", "relevance", "authority", "accuracy", "purpose")


@dataclass(frozen=True, kw_only=True)
class SourceEvaluation(Located):
    """A CRAAP evaluation: scores 1–5 where assessed, and an overall rating."""

    currency: Score | None = field(default=None, metadata=doc("Currency score, 1–5."))
    relevance: Score | None = field(default=None, metadata=doc("Relevance score, 1–5."))
    authority: Score | None = field(default=None, metadata=doc("Authority score, 1–5."))
    accuracy: Score | None = field(default=None, metadata=doc("Accuracy score, 1–5."))
    purpose: Score | None = field(default=None, metadata=doc("Purpose score, 1–5."))
    rating: str = field(metadata=doc("Overall quality rating, e.g. Good."))


@dataclass(frozen=True, kw_only=True)
class Source(Located):
    """A bibliography entry that lessons cite as [@key]."""

    key: Id = field(metadata=doc("Citation key, e.g. nist2023airmf."))
    kind: SourceKind = field(default="article", metadata=doc("Kind of publication."))
    authors: tuple[str, ...] = field(
        metadata=doc(
            'Authors as "Surname, I."; an element "..." marks elided authors.', untranslated=True
        )
    )
    year: int = field(metadata=doc("Year of publication."))
    title: str = field(metadata=doc("Title of the work."))
    venue: str | None = field(
        default=None, metadata=doc("Journal, series or preprint server.", untranslated=True)
    )
    volume: str | None = field(default=None, metadata=doc("Volume.", untranslated=True))
    issue: str | None = field(default=None, metadata=doc("Issue.", untranslated=True))
    pages: str | None = field(default=None, metadata=doc("Page range.", untranslated=True))
    publisher: str | None = field(default=None, metadata=doc("Publisher.", untranslated=True))
    report_number: str | None = field(
        default=None, metadata=doc("Report number.", untranslated=True)
    )
    doi: str | None = field(
        default=None, metadata=doc("DOI, without https://doi.org/.", untranslated=True)
    )
    arxiv: str | None = field(default=None, metadata=doc("arXiv identifier.", untranslated=True))
    url: str | None = field(default=None, metadata=doc("Web address (https).", untranslated=True))
    evaluation: SourceEvaluation | None = field(
        default=None, metadata=doc("CRAAP evaluation of the source.")
    )


@dataclass(frozen=True, kw_only=True)
class SourceCollection(Located):
    """How the sources were collected."""

    date: _dt.date = field(metadata=doc("Collection date (YYYY-MM-DD)."))
    description: InlineText = field(default="", metadata=doc("How the sources were collected."))
    source_types: tuple[str, ...] = field(default=(), metadata=doc("Kinds of sources used."))
    criteria: tuple[str, ...] = field(default=(), metadata=doc("Source evaluation criteria."))


@dataclass(frozen=True, kw_only=True)
class EvaluationMethod(Located):
    """The framework the sources were evaluated with."""

    framework: str = field(
        default="CRAAP", metadata=doc("Name of the framework.", untranslated=True)
    )
    description: InlineText = field(default="", metadata=doc("How the evaluation was done."))


@dataclass(frozen=True, kw_only=True)
class SourcesFile(Located):
    """content/sources.yml: the bibliography, with its collection and evaluation notes."""

    collection: SourceCollection | None = field(default=None, metadata=doc("Collection notes."))
    evaluation: EvaluationMethod | None = field(default=None, metadata=doc("Evaluation method."))
    sources: tuple[Source, ...] = field(metadata=doc("Bibliography entries."))


# --- module.yml and lessons -------------------------------------------------------------------

Level = Literal["beginner", "intermediate", "advanced"]


@dataclass(frozen=True, kw_only=True)
class Objective(Located):
    """A learning objective that lessons cover and quiz questions assess."""

    id: Id = field(metadata=doc("Objective id."))
    text: InlineText = field(metadata=doc("What the learner will be able to do."))


@dataclass(frozen=True, kw_only=True)
class ModuleFile(Located):
    """content/modules/<slug>/module.yml: a module and its ordered lessons."""

    code: str = field(
        metadata=doc("Module code shown to learners, e.g. LRN-BEG-015.", untranslated=True)
    )
    title: str = field(metadata=doc("Module title."))
    level: Level = field(default="beginner", metadata=doc("Level of the module."))
    duration_minutes: PositiveMinutes = field(metadata=doc("Total time for the module."))
    summary: BlockText = field(metadata=doc("What the module covers (Markdown)."))
    objectives: tuple[Objective, ...] = field(metadata=doc("Learning objectives."))
    lessons: tuple[Id, ...] = field(metadata=doc("Lesson ids, in order."))
    components_intro: BlockText = field(
        default="", metadata=doc("Text introducing the practical components (Markdown).")
    )


@dataclass(frozen=True, kw_only=True)
class LessonFrontMatter(Located):
    """The YAML front matter of a lesson file."""

    id: Id = field(
        metadata=doc(f"Lesson id, listed in {MODULE_FILE} and used in the page address.")
    )
    title: str = field(metadata=doc("Lesson title."))
    minutes: PositiveMinutes = field(metadata=doc("Time to work through the lesson."))
    objectives: tuple[Id, ...] = field(
        default=(), metadata=doc("Ids of the module objectives this lesson covers.")
    )


@dataclass(frozen=True)
class Section:
    """A level-2 heading of a lesson, which quiz questions can point at."""

    anchor: str
    title: str
    loc: Loc


@dataclass(frozen=True)
class Citation:
    """A [@key] citation in a lesson body."""

    key: str
    loc: Loc


@dataclass(frozen=True)
class Image:
    """An image of a lesson body, ``![alt](path)``: the address as written, its alt text, the
    file it names (``source``, project-relative, in a module's ``lessons/`` or ``images/`` folder
    or in ``docs/``; ``file``, the same file as an absolute path, read when an output is
    written) and where every output holds it (``dest``, from ``addresses.image``)."""

    written: str
    alt: str
    source: str
    dest: str
    file: str = field(compare=False)
    loc: Loc = field(compare=False)


@dataclass(frozen=True)
class Lesson:
    """A lesson: front matter plus its Markdown body, with trainer notes taken out."""

    meta: LessonFrontMatter
    path: str
    body: str
    body_line: int
    sections: tuple[Section, ...]
    citations: tuple[Citation, ...]
    trainer_notes: tuple[str, ...]
    images: tuple[Image, ...] = ()

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def minutes(self) -> int:
        return self.meta.minutes


# --- components -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ResponsibilityGroup(Located):
    """A group of responsibilities in the role template, e.g. the data stage."""

    id: Id = field(metadata=doc("Group id."))
    title: str = field(metadata=doc("Group title, e.g. Data Stage."))
    responsibilities: tuple[InlineText, ...] = field(metadata=doc("Responsibilities."))


@dataclass(frozen=True, kw_only=True)
class RoleTemplate(Located):
    """components/role-template.yml: a role definition a team can adapt."""

    title: str = field(metadata=doc("Template title."))
    intro: InlineText = field(default="", metadata=doc("How to use the template."))
    role: str = field(metadata=doc("Name of the role."))
    overall_responsibility: InlineText = field(metadata=doc("The role's purpose."))
    groups: tuple[ResponsibilityGroup, ...] = field(metadata=doc("Groups of responsibilities."))


@dataclass(frozen=True, kw_only=True)
class ChecklistItem(Located):
    """One check: a short label and the question it asks."""

    id: Id = field(metadata=doc("Item id."))
    label: str = field(metadata=doc("Short name of the check."))
    description: InlineText = field(metadata=doc("The question the check asks."))


@dataclass(frozen=True, kw_only=True)
class ChecklistSection(Located):
    """A group of checklist items."""

    id: Id = field(metadata=doc("Section id."))
    title: str = field(metadata=doc("Section title."))
    items: tuple[ChecklistItem, ...] = field(metadata=doc("Items of the section."))


@dataclass(frozen=True, kw_only=True)
class Checklist(Located):
    """components/checklist.yml: sections of items, each answered with a status and notes."""

    title: str = field(metadata=doc("Checklist title."))
    intro: InlineText = field(default="", metadata=doc("How to use the checklist."))
    statuses: tuple[str, ...] = field(
        default=("Yes", "No", "N/A"), metadata=doc("Statuses an item can take.")
    )
    sections: tuple[ChecklistSection, ...] = field(metadata=doc("Sections of the checklist."))


@dataclass(frozen=True, kw_only=True)
class LifecyclePhase(Located):
    """A lifecycle phase with the engineer's activities and the SME's collaboration points."""

    id: Id = field(metadata=doc("Phase id."))
    title: str = field(metadata=doc("Phase title."))
    activities: tuple[InlineText, ...] = field(
        metadata=doc("Key risk mitigation activities (AI engineer role).")
    )
    sme_collaboration: tuple[InlineText, ...] = field(metadata=doc("SME collaboration points."))


@dataclass(frozen=True, kw_only=True)
class LifecycleGuide(Located):
    """components/lifecycle-guide.yml: where risk mitigation fits in the lifecycle."""

    title: str = field(metadata=doc("Guide title."))
    intro: InlineText = field(default="", metadata=doc("How to use the guide."))
    phases: tuple[LifecyclePhase, ...] = field(metadata=doc("Phases, in order."))


# --- quizzes ----------------------------------------------------------------------------------

QuestionType = Literal["single", "multiple", "true-false", "matching", "ordering"]


@dataclass(frozen=True, kw_only=True)
class Choice(Located):
    """A choice of a single- or multiple-choice question."""

    id: Id = field(metadata=doc("Choice id, e.g. a."))
    text: InlineText = field(metadata=doc("Choice text."))
    correct: bool = field(default=False, metadata=doc("Whether this choice is correct."))


@dataclass(frozen=True, kw_only=True)
class MatchPair(Located):
    """A left item and the right item it matches."""

    id: Id = field(metadata=doc("Pair id."))
    left: InlineText = field(metadata=doc("Item to match."))
    right: InlineText = field(metadata=doc("Its correct match."))


@dataclass(frozen=True, kw_only=True)
class OrderItem(Located):
    """An item of an ordering question; items are listed in the correct order."""

    id: Id = field(metadata=doc("Item id."))
    text: InlineText = field(metadata=doc("Item text."))


@dataclass(frozen=True, kw_only=True)
class Question(Located):
    """A quiz question; which answer fields apply depends on its type."""

    id: Id = field(metadata=doc("Question id, unique in the quiz."))
    type: QuestionType = field(metadata=doc("Question type."))
    prompt: BlockText = field(metadata=doc("The question (Markdown)."))
    lesson: Id = field(metadata=doc("Id of the lesson the question tests."))
    section: Id | None = field(default=None, metadata=doc("Section anchor in that lesson."))
    objective: Id = field(metadata=doc("Id of the objective the question assesses."))
    points: Annotated[int, Range(1, 100)] = field(default=1, metadata=doc("Points."))
    explanation: BlockText = field(metadata=doc("Why the answer is right (Markdown)."))
    choices: tuple[Choice, ...] = field(default=(), metadata=doc("single/multiple: choices."))
    answer: bool | None = field(default=None, metadata=doc("true-false: the right answer."))
    pairs: tuple[MatchPair, ...] = field(default=(), metadata=doc("matching: the pairs."))
    items: tuple[OrderItem, ...] = field(
        default=(), metadata=doc("ordering: the items in the correct order.")
    )
    feedback: Mapping[str, InlineText] = field(
        default_factory=lambda: _EMPTY_TEXT,
        metadata=doc('Feedback per choice id (true-false: "true" and "false").'),
    )


@dataclass(frozen=True, kw_only=True)
class Quiz(Located):
    """quizzes/<module>.yml: the module's question bank and settings."""

    title: str = field(default="Check your understanding", metadata=doc("Quiz title."))
    pass_mark: Percent = field(default=70, metadata=doc("Percentage needed to pass, 0–100."))
    shuffle: bool = field(default=False, metadata=doc("Shuffle choices (fixed per build)."))
    minutes: PositiveMinutes | None = field(
        default=None, metadata=doc("Time to take the quiz, shown in the module's time split.")
    )
    questions: tuple[Question, ...] = field(metadata=doc("Questions, in order."))


# --- aggregates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """A module with its lessons, components and quiz, as loaded from its folder."""

    slug: str
    meta: ModuleFile
    lessons: tuple[Lesson, ...]
    role_template: RoleTemplate | None = None
    checklist: Checklist | None = None
    lifecycle_guide: LifecycleGuide | None = None
    quiz: Quiz | None = None

    @property
    def code(self) -> str:
        return self.meta.code

    @property
    def title(self) -> str:
        return self.meta.title

    def lesson(self, lesson_id: str) -> Lesson | None:
        """The lesson with this id, if any."""
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    @property
    def images(self) -> tuple[Image, ...]:
        """Every image the module's lessons show, each file once, in order of first use."""
        seen: dict[str, Image] = {}
        for lesson in self.lessons:
            for image in lesson.images:
                seen.setdefault(image.dest, image)
        return tuple(seen.values())


@dataclass(frozen=True)
class Course:
    """The whole course: what the renderers take as input."""

    meta: CourseFile
    glossary: tuple[GlossaryTerm, ...]
    sources: SourcesFile
    modules: tuple[Module, ...]
    # Source files (as in Loc.path, e.g. content/modules/m1/lessons/02-x.md) that this
    # language's course shows in the source language because they have no translation.
    fallbacks: frozenset[str] = frozenset()

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def language(self) -> str:
        """The language this course's text is in (a translation's language, or the source's)."""
        return self.meta.language

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language the course is offered in, the source language first."""
        return self.meta.languages or (self.meta.language,)

    @property
    def source_language(self) -> str:
        return self.languages[0]

    def is_fallback(self, path: str) -> bool:
        """Whether the file at ``path`` is shown untranslated in this language."""
        return path in self.fallbacks

    def evaluated_criteria(self) -> tuple[str, ...]:
        """The CRAAP criteria scored for at least one source, in the framework's order."""
        sources = self.sources.sources
        return tuple(
            c
            for c in CRAAP_CRITERIA
            if any(s.evaluation and getattr(s.evaluation, c) is not None for s in sources)
        )

    @property
    def images(self) -> tuple[Image, ...]:
        """Every image the course's lessons show, each file once."""
        seen: dict[str, Image] = {}
        for module in self.modules:
            for image in module.images:
                seen.setdefault(image.dest, image)
        return tuple(seen.values())

    def source(self, key: str) -> Source | None:
        """The source with this citation key, if any."""
        return next((s for s in self.sources.sources if s.key == key), None)
