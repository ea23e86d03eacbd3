"""The live preview, for every engine: the site input is staged once, the engine's own server
watches the staged folder (MkDocs with ``--dirty``, Zensical incrementally), and every save in
content/, quizzes/ or our templates re-renders only the modules whose model changed and rewrites
only the staged files whose text changed, so the engine rebuilds only the pages an edit changed
and the browser reloads only when a file did. The HTML handouts of the modules a save changed
follow a second later, so the engine rebuilds the pages first. A new title or lesson (the
navigation) or a template restages the whole input, and the engine rebuilds every page.

Content that does not build shows a notice with its ``path:line:col`` problems: on every page of
the last version that built, or, when the content is broken from the start, on a page of its own
at every address, until a save fixes it.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.adapters import preview_notice
from generator.adapters.engine_config import nav_config
from generator.adapters.engines import BuildFailed, Engine, engine_named
from generator.adapters.pipeline import (
    MANIFEST,
    SHIM,
    LoadedCourse,
    Project,
    SiteInput,
    Staged,
    course_in,
    stage,
)
from generator.model import Course, Module, addresses
from generator.output.package_files import TEMPLATES
from generator.render.disk import Text, target, write_pages
from generator.render.handouts import STYLESHEET, handout_stylesheet, render_handouts
from generator.render.pages import (
    Page,
    render_module,
)
from generator.source.languages import SOURCE_LANGUAGE
from generator.source.layout import CONTENT, QUIZZES

# Seconds between two looks at the watched folders.
POLL = 0.05
# Seconds the engine has the pages of a save before that save's handouts are written.
HANDOUTS_AFTER = 1.0
# The page a preview shows at every address while the content has never built.
NOTICE_404 = "404.html"


def _stamps(folders: list[Path]) -> dict[Path, float]:
    def files() -> Iterator[Path]:
        for folder in folders:
            if folder.is_dir():
                yield from (p for p in folder.rglob("*") if p.is_file())

    return {path: path.stat().st_mtime_ns for path in files()}


def load(root: Path, language: str | None, warn: Callable[[str], object]) -> tuple[Course, str]:
    """The course at ``root`` in ``language`` (default: its source language), checked, and its
    fingerprint; BuildFailed with every problem when it does not build."""
    loaded = LoadedCourse.load(root)
    course = loaded.checked(False, warn)
    return course_in(loaded.result, language or course.source_language), loaded.fingerprint


def _shared(course: Course) -> tuple[object, ...]:
    """What every page of a module depends on beside the module itself."""
    return (
        course.meta,
        course.glossary,
        course.sources,
        course.fallbacks,
        tuple(m.slug for m in course.modules),
    )


@dataclass
class Rendered:
    """What the preview rendered last: each module's model and pages, to render again only the
    modules that changed."""

    shared: tuple[object, ...] = ()
    modules: dict[str, tuple[Module, tuple[Page, ...]]] = field(default_factory=dict)

    def site(self, course: Course, fingerprint: str) -> tuple[SiteInput, list[Module]]:
        """The site input of ``course`` (the same pages as ``render_site``), and the modules
        whose pages were rendered again."""
        if _shared(course) != self.shared:
            self.shared, self.modules = _shared(course), {}
        changed: list[Module] = []

        def module_pages(course: Course, module: Module) -> tuple[Page, ...]:
            kept = self.modules.get(module.slug)
            if kept is None or kept[0] != module:
                kept = self.modules[module.slug] = (module, tuple(render_module(course, module)))
                changed.append(module)
            return kept[1]

        return SiteInput.of(course, fingerprint, module_pages), changed


@dataclass(frozen=True)
class _File:
    path: str
    text: str


@dataclass
class Folder:
    """The staged folder, written through the one page writer, which leaves a file that holds
    the same text alone (the engine rebuilds a file whose time changed). What the preview wrote
    last is remembered, so a save hands the writer only the files whose text changed."""

    staged: Staged
    written: dict[str, str] = field(default_factory=dict)

    def write(self, files: Iterable[Text]) -> int:
        changed = [f for f in files if self.written.get(f.path) != f.text]
        count = len(write_pages(changed, self.staged.docs, only_changed=True))
        self.written.update((f.path, f.text) for f in changed)
        return count

    def remove_pages_not_in(self, site: SiteInput, before: SiteInput | None) -> None:
        """Delete the staged pages ``before`` had and ``site`` has not (a lesson removed)."""
        if before is None:
            return
        kept = {p.path for p in site.pages}
        for page in before.pages:
            if page.path not in kept:
                target(self.staged.docs, page.path).unlink(missing_ok=True)
                self.written.pop(page.path, None)


def refresh(site: SiteInput, folder: Folder, problems: str | None = None) -> int:
    """Bring the staged pages, downloads and images up to ``site``, every page headed by the
    notice of ``problems`` when the content on disk does not build; the number of files
    rewritten. The handouts follow later (``Preview.flush``), once the engine has the pages."""
    docs = folder.staged.docs
    block = preview_notice.notice(problems, site.course.language) if problems else None

    def shown(page: Page) -> Text:
        if block is None:
            return page
        return _File(page.path, preview_notice.in_markdown(page.text, block))

    changed = folder.write([*map(shown, site.pages), *site.downloads])
    for image in site.course.images:
        path = target(docs, image.dest)
        if not path.is_file() or path.stat().st_mtime_ns < Path(image.file).stat().st_mtime_ns:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image.file, path)
            changed += 1
    return changed


def write_handouts(site: SiteInput, module: Module, folder: Folder) -> int:
    """The HTML handouts of ``module`` (PDFs take seconds each), those whose text changed."""
    css = addresses.handout_stylesheet(module.slug, STYLESHEET).dest
    files = [_File(css, handout_stylesheet())]
    for handout in render_handouts(site.course, module, site.fingerprint):
        if not handout.trainer:
            dest = addresses.handout(module.slug, handout.name, handout.paper, "html").dest
            files.append(_File(dest, handout.html))
    return folder.write(files)


def stage_notice(project: Project, engine: Engine, folder: Path, notice: str) -> Staged:
    """A staged input of one page, the notice, shown at every address too (the engine's
    not-found page), for content that has not built yet."""
    docs, overrides = folder / "docs", folder / "overrides"
    for part in (docs, overrides):
        shutil.rmtree(part, ignore_errors=True)
        part.mkdir(parents=True)
    (docs / "index.md").write_text(notice + "\n", encoding="utf-8")
    # The block goes into a template: braces as character references, so Jinja reads none.
    html = notice.replace("{", "&#123;").replace("}", "&#125;")
    page = f'{{% extends "main.html" %}}\n{{% block content %}}{html}{{% endblock %}}\n'
    (overrides / NOTICE_404).write_text(page, encoding="utf-8")
    (folder / MANIFEST).write_text('{"pages": [], "downloads": {}}\n', encoding="utf-8")
    config = engine.configure(
        project.config, docs=docs, overrides=overrides, nav=[], offline=False, shim=SHIM
    )
    return Staged(folder, docs, overrides, engine.write_config(config, folder))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@dataclass
class Preview:
    """One preview: the project, its engine, the staged folder, and the last site that built."""

    project: Project
    engine: Engine
    path: Path
    say: Callable[[str], object]
    language: str | None
    rendered: Rendered = field(default_factory=Rendered)
    site: SiteInput | None = None
    folder: Folder | None = None
    # Modules whose handouts are still to be written (by slug), after their pages.
    pending: dict[str, Module] = field(default_factory=dict)

    def start(self) -> Staged:
        """Stage the site, or the notice of why it does not build."""
        try:
            course, fingerprint = load(self.project.course_root, self.language, self.say)
        except BuildFailed as exc:
            self.say(str(exc))
            return self._notice(str(exc))
        site, _changed = self.rendered.site(course, fingerprint)
        staged = self._stage(site)
        self.flush()
        return staged

    def flush(self) -> int:
        """Write the handouts still pending; the number of files rewritten."""
        pending, self.pending = self.pending, {}
        if self.site is None or self.folder is None:
            return 0
        return sum(write_handouts(self.site, m, self.folder) for m in pending.values())

    def _notice(self, problems: str) -> Staged:
        block = preview_notice.notice(problems, self.language or SOURCE_LANGUAGE)
        staged = stage_notice(self.project, self.engine, self.path, block)
        self.folder = Folder(staged)
        return staged

    def _stage(self, site: SiteInput) -> Staged:
        (self.path / "overrides" / NOTICE_404).unlink(missing_ok=True)
        if self.site is None:
            (self.path / "docs" / "index.md").unlink(missing_ok=True)
        staged = stage(site, self.project, self.engine, self.path)
        before, self.site = self.site, site
        self.folder = Folder(staged)
        self.folder.remove_pages_not_in(site, before)
        refresh(site, self.folder)
        self.pending = {m.slug: m for m in site.course.modules}
        return staged

    def update(self, templates: bool) -> None:
        """Bring the staged input up to the content on disk after a save."""
        try:
            course, fingerprint = load(self.project.course_root, self.language, self.say)
        except BuildFailed as exc:
            # The last good preview stays up, with the problems on every page.
            self.say(str(exc))
            if self.site is None or self.folder is None:
                self._notice(str(exc))
            else:
                refresh(self.site, self.folder, problems=str(exc))
            return
        if templates:  # the pages' own templates may have changed: render every module again
            self.rendered = Rendered()
        site, changed = self.rendered.site(course, fingerprint)
        if templates or self.site is None or nav_config(site.nav) != nav_config(self.site.nav):
            self._stage(site)
            return
        assert self.folder is not None
        # Out of the notice: every page and handout as it was before the content broke.
        self.site = site
        refresh(site, self.folder)
        self.pending.update((m.slug, m) for m in changed)


def serve(
    config_file: Path,
    dev_addr: str,
    engine_name: str,
    say: Callable[[str], object],
    language: str | None = None,
) -> int:
    """Serve the project with ``engine_name`` until interrupted, in ``language`` (default: the
    source language) alone; the engine's exit code."""
    # Stopped like Ctrl-C when terminated, so the engine's server and the staging go too.
    signal.signal(signal.SIGTERM, _interrupt)
    engine = engine_named(engine_name)
    project = Project.read(config_file)
    root = project.course_root
    folder = Path(tempfile.mkdtemp(prefix="coursesmith-preview-"))
    try:
        preview = Preview(project, engine, folder, say, language)
        staged = preview.start()
        server = subprocess.Popen(engine.serve_command(staged.config_file, dev_addr), cwd=folder)
        try:
            _watch(preview, server, [root / CONTENT, root / QUIZZES, TEMPLATES])
        except KeyboardInterrupt:
            pass
        finally:
            if server.poll() is None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
        return server.returncode or 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _watch(preview: Preview, server: subprocess.Popen[bytes], watched: list[Path]) -> None:
    """Update the preview after every save in ``watched`` until the server stops; the handouts
    of what changed are written once the engine has had the pages for HANDOUTS_AFTER seconds
    (an engine that sees them with the pages would rebuild them first)."""
    stamps = _stamps(watched)
    updated = time.monotonic()
    while server.poll() is None:
        time.sleep(POLL)
        now = _stamps(watched)
        if now == stamps:
            if preview.pending and time.monotonic() - updated >= HANDOUTS_AFTER:
                preview.flush()
            continue
        touched = {path for path in now.keys() | stamps.keys() if now.get(path) != stamps.get(path)}
        stamps = now
        preview.update(templates=any(path.is_relative_to(TEMPLATES) for path in touched))
        updated = time.monotonic()
