"""Walking a course folder: every file is read once into the model, every problem collected."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode

from generator.load.decode import Decoder
from generator.load.images import ImageResolver
from generator.load.lesson import load_lesson
from generator.model import (
    SOURCE_FINGERPRINT,
    Course,
    CourseFile,
    GlossaryFile,
    Lesson,
    Loc,
    Located,
    Module,
    ModuleFile,
    Quiz,
    SourcesFile,
    addresses,
)
from generator.model.components import COMPONENTS, Decode, decoded
from generator.source.diagnostics import Diagnostics, did_you_mean
from generator.source.layout import COMPONENTS as COMPONENTS_FOLDER
from generator.source.layout import (
    CONTENT,
    COURSE_FILE,
    GLOSSARY_FILE,
    IMPORT_REPORT,
    LESSONS,
    MODULE_FILE,
    MODULES,
    QUIZZES,
    SOURCES_FILE,
    is_translation,
    module_folder,
    quiz_file,
    translation_path,
)
from generator.source.limits import MAX_GLOSSARY_TERMS
from generator.source.text import read_text
from generator.source.yaml_nodes import compose, loc_of

T = TypeVar("T", bound=Located)


@dataclass(frozen=True)
class FingerprintMark:
    """A translation's ``source_fingerprint``: its text (None if not text) and where it is."""

    value: str | None
    loc: Loc


class CourseReader:
    """Reads one course tree (``content/`` and ``quizzes/`` under ``root``).

    With ``language``, each file is read from its translation into that language where one is
    beside it (``01-intro.de.md`` for ``01-intro.md``); the source files read instead are the
    ``fallbacks``, the translations read are ``translated`` (translation to source path) and
    their recorded source fingerprints ``fingerprints``. Translation files are never read as
    files of their own.
    """

    def __init__(self, root: Path, diags: Diagnostics, language: str | None = None) -> None:
        self.root = root
        self.diags = diags
        self.language = language
        self.fallbacks: set[str] = set()
        self.translated: dict[str, str] = {}
        self.fingerprints: dict[str, FingerprintMark] = {}
        self.images = ImageResolver(root, diags)
        self.real_root = root.resolve()
        self.real_text = str(self.real_root)
        # What the path of anything inside the project starts with.
        self.real_inside = self.real_text.rstrip("/") + "/"
        self.real_folders: dict[str, str] = {}  # a folder's path to its resolved path
        self.prefix = str(root / "_")[:-1]  # the root and a separator

    def rel(self, path: Path) -> str:
        text = str(path)
        if text.startswith(self.prefix) and os.sep == "/":
            return text[len(self.prefix) :]
        return path.relative_to(self.root).as_posix()

    def outside(self, path: Path) -> bool:
        """Whether ``path`` leads outside the project (a symbolic link to a file or folder
        elsewhere), reported as an error. Such a file is never read, so no message can show
        a line of it."""
        if self.inside(path):
            return False
        self.diags.error(
            Loc(self.rel(path)),
            "a symbolic link leading outside the project, expected a file or folder inside it",
            "copy what it points to into the project instead",
        )
        return True

    def inside(self, path: Path) -> bool:
        """Whether ``path``, every symbolic link followed, is in the project: what
        ``path.resolve().is_relative_to(root.resolve())`` says, with the file's folder resolved
        once for all its files (only a file that is itself a link is resolved on its own)."""
        text = str(path)
        folder, _, name = text.rpartition("/")
        if os.sep != "/" or not folder or name in ("", "..") or path.is_symlink():
            return path.resolve().is_relative_to(self.real_root)
        real = self.real_folders.get(folder)
        if real is None:
            real = self.real_folders[folder] = str(Path(folder).resolve())
        resolved = f"{real.rstrip('/')}/{name}"
        return resolved == self.real_text or resolved.startswith(self.real_inside)

    def pick(self, path: Path) -> Path:
        """The file to read for the source file ``path``: in a translation's reading, its
        translation when there is one (else the source, noted as a fallback)."""
        if self.language is None:
            return path
        translated = translation_path(path, self.language)
        if translated.is_file():
            self.translated[self.rel(translated)] = self.rel(path)
            return translated
        if path.is_file():
            self.fallbacks.add(self.rel(path))
        return path

    def take_fingerprint(self, node: Node, rel: str, line_offset: int = 0) -> Node:
        """Take a translation's ``source_fingerprint`` out of its top mapping (it is not part of
        the content) and record it; source files keep it, to be reported as an unknown field."""
        if rel not in self.translated or not isinstance(node, MappingNode):
            return node
        for pair in list(node.value):
            key, value = pair
            if isinstance(key, ScalarNode) and key.value == SOURCE_FINGERPRINT:
                node.value.remove(pair)
                text = value.value if isinstance(value, ScalarNode) else None
                self.fingerprints[rel] = FingerprintMark(
                    text if isinstance(text, str) and text else None,
                    loc_of(key, rel, line_offset),
                )
        return node

    def yaml_file(self, path: Path, cls: type[T], what: str) -> T | None:
        """Read and decode one YAML file of a known kind (its translation, when reading one)."""
        return self.read_yaml(path, what, decoded(cls, what))

    def read_yaml(
        self, path: Path, what: str, load: Callable[[Decode, Node], T | None]
    ) -> T | None:
        """Read one YAML file (its translation, when reading one) and ``load`` its node."""
        path = self.pick(path)
        rel = self.rel(path)
        if not path.is_file():
            self.diags.error(Loc(rel), f"missing file, expected the {what} here")
            return None
        if self.outside(path):
            return None
        text = read_text(path, rel, self.diags)
        if text is None:
            return None
        node = compose(text, rel, self.diags)
        if node is not None:
            node = self.take_fingerprint(node, rel)
        if node is None:
            if not text.strip():
                self.diags.error(Loc(rel), f"file is empty, expected the {what}")
            return None
        return load(Decoder(rel, self.diags), node)

    def course(self) -> Course | None:
        content = self.root / CONTENT
        if not content.is_dir():
            self.diags.error(Loc(CONTENT), f"no content folder, expected {COURSE_FILE} and modules")
            return None
        meta = self.yaml_file(self.root / COURSE_FILE, CourseFile, "course")
        glossary = self.glossary(self.root / GLOSSARY_FILE)
        sources = self.yaml_file(self.root / SOURCES_FILE, SourcesFile, "sources")
        modules = self.modules(meta)
        self.unexpected_quizzes(meta)
        if meta is None or glossary is None or sources is None or modules is None:
            return None
        return Course(meta=meta, glossary=glossary.terms, sources=sources, modules=modules)

    def glossary(self, path: Path) -> GlossaryFile | None:
        """The glossary, refused (None) when it has more terms than a course may have."""
        glossary = self.yaml_file(path, GlossaryFile, "glossary")
        if glossary is not None and len(glossary.terms) > MAX_GLOSSARY_TERMS:
            self.diags.error(
                glossary.at("terms"),
                f"the glossary has {len(glossary.terms):,} terms, more than the "
                f"{MAX_GLOSSARY_TERMS:,} allowed, expected a shorter glossary",
            )
            return None
        return glossary

    def modules(self, meta: CourseFile | None) -> tuple[Module, ...] | None:
        folder = self.root / MODULES
        present = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        listed = meta.modules if meta else ()
        modules: list[Module] = []
        broken = False
        for index, slug in enumerate(listed):
            if slug not in present:
                self.diags.error(
                    meta.at(f"modules[{index}]") if meta else Loc(CONTENT),
                    f"module '{slug}' has no folder {module_folder(slug)}/",
                    did_you_mean(slug, present),
                )
                broken = True
                continue
            module = None if self.outside(folder / slug) else self.module(folder / slug)
            broken = broken or module is None
            if module is not None:
                modules.append(module)
        if meta is not None:
            for slug in present:
                if slug not in listed:
                    self.diags.error(
                        Loc(module_folder(slug)),
                        f"module folder '{slug}' is not listed in {COURSE_FILE} modules",
                    )
        return None if broken else tuple(modules)

    def module(self, folder: Path) -> Module | None:
        slug = folder.name
        meta = self.yaml_file(folder / MODULE_FILE, ModuleFile, "module")
        # import-report.md: written by `coursesmith import`, for the author, never published.
        self.unexpected_files(
            folder, {MODULE_FILE, *addresses.MODULE_IMAGE_FOLDERS, COMPONENTS_FOLDER, IMPORT_REPORT}
        )
        lessons = self.lessons(folder / LESSONS, meta)
        components: dict[str, Any] = {}  # Module field name to the component read, or None
        comp_folder = folder / COMPONENTS_FOLDER
        if comp_folder.is_dir():
            self.unexpected_files(comp_folder, {kind.filename for kind in COMPONENTS})
            for kind in COMPONENTS:
                if (comp_folder / kind.filename).exists():
                    path = comp_folder / kind.filename
                    components[kind.attribute] = self.read_yaml(path, kind.what, kind.load)
        quiz_path = self.root / quiz_file(slug)
        quiz = self.yaml_file(quiz_path, Quiz, "quiz") if quiz_path.exists() else None
        if meta is None or lessons is None or None in components.values():
            return None
        if quiz_path.exists() and quiz is None:
            return None
        return Module(slug=slug, meta=meta, lessons=lessons, quiz=quiz, **components)

    def lessons(self, folder: Path, meta: ModuleFile | None) -> tuple[Lesson, ...] | None:
        files = sorted(folder.glob("*.md")) if folder.is_dir() else []
        files = [p for p in files if not is_translation(p)]
        if folder.is_dir():
            pictures = {p.name for p in folder.iterdir() if _is_image(p)}
            self.unexpected_files(
                folder,
                {p.name for p in files} | pictures,
                "lesson files named NN-<id>.md and the images they show",
            )
        by_id, broken = self.read_lessons(files)
        if meta is None:
            return None
        return self.listed_lessons(folder, meta, by_id, broken)

    def read_lessons(self, files: list[Path]) -> tuple[dict[str, Lesson], bool]:
        """The lessons read from their files, by id, and whether any could not be read."""
        by_id: dict[str, Lesson] = {}
        broken = False
        for source in files:
            path = self.pick(source)
            rel = self.rel(path)
            text = None if self.outside(path) else read_text(path, rel, self.diags)
            taken = functools.partial(self.take_fingerprint, rel=rel, line_offset=1)
            lesson = (
                load_lesson(text, rel, self.diags, taken, self.images) if text is not None else None
            )
            if lesson is None:
                broken = True
                continue
            if lesson.id in by_id:
                self.diags.error(
                    lesson.meta.at("id"),
                    f"duplicate lesson id '{lesson.id}', already used by {by_id[lesson.id].path}",
                )
                continue
            by_id[lesson.id] = lesson
        return by_id, broken

    def listed_lessons(
        self, folder: Path, meta: ModuleFile, by_id: dict[str, Lesson], broken: bool
    ) -> tuple[Lesson, ...] | None:
        """The lessons in the order module.yml lists them; None when one is missing or any
        could not be read. Listed twice, listed without a file, a file not listed: reported."""
        ordered: list[Lesson] = []
        for index, lesson_id in enumerate(meta.lessons):
            found = by_id.get(lesson_id)
            if found is None:
                if not broken:
                    self.diags.error(
                        meta.at(f"lessons[{index}]"),
                        f"lesson '{lesson_id}' is listed but no file in "
                        f"{self.rel(folder)}/ has that id",
                        did_you_mean(lesson_id, by_id),
                    )
                broken = True
            elif found in ordered:
                self.diags.error(
                    meta.at(f"lessons[{index}]"), f"lesson '{lesson_id}' is listed twice"
                )
            else:
                ordered.append(found)
        for lesson in by_id.values():
            if lesson.id not in meta.lessons:
                self.diags.error(
                    lesson.meta.at("id"),
                    f"lesson '{lesson.id}' is not listed in {self.rel(folder.parent)}/"
                    f"{MODULE_FILE} lessons, expected every lesson file to be listed",
                )
        return None if broken else tuple(ordered)

    def unexpected_files(self, folder: Path, allowed: set[str], expected: str = "") -> None:
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.name in allowed or is_translation(path):
                continue
            self.diags.error(
                Loc(self.rel(path)),
                f"unexpected file '{path.name}', expected "
                + (expected or f"one of: {', '.join(sorted(allowed))}"),
                "" if expected else did_you_mean(path.name, allowed),
            )

    def unexpected_quizzes(self, meta: CourseFile | None) -> None:
        folder = self.root / QUIZZES
        if meta is None or not folder.is_dir():
            return
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or is_translation(path):
                continue
            if path.suffix != ".yml" or path.stem not in meta.modules:
                self.diags.error(
                    Loc(self.rel(path)),
                    f"quiz file '{path.name}' does not belong to a module, expected "
                    f"{quiz_file('<module-folder>')}",
                    did_you_mean(path.stem + ".yml", [m + ".yml" for m in meta.modules]),
                )


def _is_image(path: Path) -> bool:
    return path.suffix.lower() in addresses.IMAGE_SUFFIXES and path.is_file()
