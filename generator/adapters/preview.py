"""The live preview for engines that cannot run our plugin (Zensical): the site input is staged
once, the engine's own server watches the staged folder, and every save in content/, quizzes/
or our templates rewrites only the staged files whose text changed, so the engine rebuilds
what it must and the browser reloads."""

from __future__ import annotations

import dataclasses
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.adapters import preview_notice
from generator.adapters.engine_config import nav_config
from generator.adapters.engines import BuildFailed, engine_named
from generator.adapters.pipeline import Project, SiteInput, Staged, load_site, stage
from generator.layout import CONTENT, QUIZZES
from generator.package_files import TEMPLATES
from generator.pdf import publish_handouts
from generator.render.disk import Text, write_pages
from generator.render.pages import Page

# Seconds between two looks at the watched folders.
POLL = 0.05


def _stamps(folders: list[Path]) -> dict[Path, float]:
    def files() -> Iterator[Path]:
        for folder in folders:
            if folder.is_dir():
                yield from (p for p in folder.rglob("*") if p.is_file())

    return {path: path.stat().st_mtime_ns for path in files()}


def refresh(site: SiteInput, staged: Staged, nav: list[object], problems: str | None = None) -> int:
    """Bring the staged pages, downloads and handouts up to ``site``, every page headed by the
    notice of ``problems`` when the content on disk does not build; the number rewritten."""
    block = preview_notice.notice(problems, site.course.language) if problems else None

    def shown(page: Page) -> Page:
        if block is None:
            return page
        return dataclasses.replace(page, text=preview_notice.in_markdown(page.text, block))

    pages: list[Text] = [*map(shown, site.pages), *site.downloads]
    changed = len(write_pages(pages, staged.docs, only_changed=True))
    if nav != nav_config(site.nav):
        changed += 1  # a new title or lesson: the configuration holds the navigation
    # HTML handouts only, as in the MkDocs preview: PDFs take seconds each.
    publish_handouts(site.course, staged.docs, site.fingerprint, pdf=False)
    return changed


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


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
    site = load_site(root, warn=say, language=language)
    folder = Path(tempfile.mkdtemp(prefix="coursesmith-preview-"))
    try:
        staged = stage(site, project, engine, folder)
        publish_handouts(site.course, staged.docs, site.fingerprint, pdf=False)
        nav = nav_config(site.nav)
        command = engine.serve_command(staged.config_file, dev_addr)
        server = subprocess.Popen(command, cwd=folder)
        watched = [root / CONTENT, root / QUIZZES, TEMPLATES]
        stamps = _stamps(watched)
        try:
            while server.poll() is None:
                time.sleep(POLL)
                now = _stamps(watched)
                if now == stamps:
                    continue
                stamps = now
                try:
                    site = load_site(root, warn=say, language=language)
                except BuildFailed as exc:
                    # The last good preview stays up, with the problems on every page.
                    say(str(exc))
                    refresh(site, staged, nav, problems=str(exc))
                    continue
                if nav != nav_config(site.nav):
                    staged = stage(site, project, engine, folder)
                    nav = nav_config(site.nav)
                refresh(site, staged, nav)
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
