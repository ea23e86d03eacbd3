"""The MkDocs adapter: load and check the course, render its pages and hand them to MkDocs in
memory; during ``serve``, watch the content so every edit rebuilds from scratch."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.diagnostics import format_report
from generator.fingerprint import content_fingerprint
from generator.handout_job import HandoutJob, HandoutProcessLost, write_handouts_here
from generator.load import load_course
from generator.load.course import CONTENT, QUIZZES
from generator.model import Course
from generator.pdf import HandoutError, publish_handouts
from generator.render.compact import compact_html
from generator.render.downloads import Download, render_downloads
from generator.render.environment import TEMPLATES
from generator.render.handouts import edition_stamp
from generator.render.pages import NavEntry, Page, navigation, render_site

log = logging.getLogger("mkdocs.plugins.coursesmith")
SAFE_LINKS = "generator.render.markup"


class CoursesmithConfig(Config):
    root = config_options.Optional(config_options.Dir(exists=True))
    strict = config_options.Type(bool, default=False)
    pdf = config_options.Type(bool, default=True)


def nav_config(entries: tuple[NavEntry, ...]) -> list[Any]:
    """Our navigation in the shape of mkdocs.yml's ``nav``.

    Titles are HTML-escaped here because MkDocs and Material insert nav titles into pages as
    markup; a lesson title is author text and must never become a tag.
    """
    out: list[Any] = []
    for entry in entries:
        title = str(escape(entry.title))
        if entry.children:
            out.append({title: nav_config(entry.children)})
        else:
            out.append({title: entry.path})
    return out


class CoursesmithPlugin(BasePlugin[CoursesmithConfig]):
    """Adds the generated course pages to the MkDocs build."""

    pages: tuple[Page, ...] = ()
    course: Course | None = None
    downloads: tuple[Download, ...] = ()
    command: str = "build"
    fingerprint: str = ""
    handout_job: HandoutJob | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def root(self, config: MkDocsConfig) -> Path:
        if self.config.root:
            return Path(self.config.root)
        return Path(config.config_file_path).resolve().parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Everything is loaded afresh on every build, so `serve` never shows stale content.
        result = load_course(self.root(config))
        for diagnostic in result.diagnostics.warnings:
            log.warning(str(diagnostic))
        if result.course is None or not result.ok(self.config.strict):
            raise PluginError("course content has errors:\n" + format_report(result.diagnostics))
        self.course = result.course
        # The site footer shows the stamp every handout page prints (partials/copyright.html).
        self.fingerprint = content_fingerprint(self.root(config))
        config.extra["coursesmith_stamp"] = edition_stamp(result.course, self.fingerprint)
        self.pages = render_site(result.course)
        self.downloads = render_downloads(result.course)
        config.nav = nav_config(navigation(result.course))
        if SAFE_LINKS not in config.markdown_extensions:
            config.markdown_extensions.append(SAFE_LINKS)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for page in self.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, page.path, content=page.text))
        for download in self.downloads:
            file = File.generated(config, download.path, content=download.text)
            file.dest_uri = download.dest
            file.url = download.dest
            files.append(file)
        # Started here, after MkDocs has cleaned the site folder, so nothing it writes is lost.
        if self.command != "serve":
            self.stop_handouts()
            self.handout_job = HandoutJob.start(
                self.root(config), Path(config.site_dir), pdf=self.config.pdf
            )
        return files

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        return compact_html(output)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        # 404.html carries the whole navigation too; sitemap.xml is left as MkDocs writes it.
        return compact_html(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # The live preview writes the HTML handouts in place and skips the PDFs (seconds of
        # WeasyPrint per edit); builds wait here for the handout process started in on_files.
        if self.course is None:
            return
        job, self.handout_job = self.handout_job, None
        site_dir = Path(config.site_dir)
        try:
            if job is None:
                publish_handouts(self.course, site_dir, self.fingerprint, pdf=False)
                return
            try:
                job.wait()
            except HandoutProcessLost as lost:
                # A lost process says nothing about the handouts: write them here instead.
                log.warning(f"{lost}; writing the handouts in the build process instead")
                write_handouts_here(self.course, site_dir, self.fingerprint, pdf=self.config.pdf)
        except HandoutError as exc:
            raise PluginError(str(exc)) from None

    def stop_handouts(self) -> None:
        """End a handout process still running, so none outlives a failed or interrupted build."""
        job, self.handout_job = self.handout_job, None
        if job is not None:
            job.stop()

    def on_build_error(self, *, error: Exception) -> None:
        self.stop_handouts()

    def on_shutdown(self) -> None:
        self.stop_handouts()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        root = self.root(config)
        for folder in (root / CONTENT, root / QUIZZES, TEMPLATES):
            if folder.is_dir():
                server.watch(str(folder))
        return server
