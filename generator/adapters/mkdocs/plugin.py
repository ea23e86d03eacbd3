"""The MkDocs plugin, for ``mkdocs build`` and ``mkdocs serve`` run directly: a thin adapter over
the build pipeline's site input. It hands the pages, downloads, assets and theme overrides to
MkDocs in memory; during ``serve``, it watches the content so every edit rebuilds from scratch.

A course in several languages is built here in its source language only: its further languages'
sections (``de/``) are built by ``coursesmith build``, which runs the engine once per language."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.adapters import preview_notice
from generator.adapters.engine_config import engine_text, nav_config
from generator.adapters.engines import BuildFailed
from generator.adapters.handout_job import HandoutJob, HandoutProcessLost, write_handouts_here
from generator.adapters.mkdocs import finish
from generator.adapters.mkdocs.config import CoursesmithConfig
from generator.adapters.pipeline import (
    OVERRIDES,
    STATIC,
    SiteInput,
    docs_collisions,
    load_site,
    static_files,
)
from generator.output.guard import OutputRefused, check_output, mark
from generator.output.package_files import TEMPLATES
from generator.output.reproducible import build_date
from generator.render.markup import SAFE_LINKS
from generator.render.pages import permalink_title, site_description
from generator.render.pdf import HandoutError, publish_handouts
from generator.source.languages import SOURCE_LANGUAGE
from generator.source.layout import CONTENT, QUIZZES

log = logging.getLogger("mkdocs.plugins.coursesmith")


class CoursesmithPlugin(BasePlugin[CoursesmithConfig]):
    """Adds the generated course, our assets and our theme overrides to the MkDocs build."""

    site: SiteInput | None = None
    # What keeps the content from building, while `serve` shows the last version that built.
    problems: str | None = None
    command: str = "build"
    handout_job: HandoutJob | None = None

    def __init__(self) -> None:
        super().__init__()
        self.build_date = contextlib.ExitStack()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def root(self, config: MkDocsConfig) -> Path:
        if self.config.root:
            return Path(self.config.root)
        return Path(config.config_file_path).resolve().parent

    def check_site_dir(self, config: MkDocsConfig) -> None:
        """Refuse a site folder the output rule forbids (generator/output/guard.py) before
        MkDocs empties it: the project, its content, /, a file, a folder no build of ours made.
        ``serve`` builds into a temporary folder of its own."""
        if self.command == "serve":
            return
        root = Path(config.config_file_path).resolve().parent
        theme_dir = config.theme.custom_dir
        try:
            check_output(
                Path(config.site_dir),
                root,
                what="site folder",
                roots=(self.root(config),),
                sources=(Path(config.docs_dir), Path(theme_dir) if theme_dir else None),
                force_hint="delete it, or run `coursesmith build --force` once",
            )
        except OutputRefused as exc:
            raise PluginError(str(exc)) from None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.check_site_dir(config)
        # Everything is loaded afresh on every build, so `serve` never shows stale content. A
        # save that breaks the content keeps the last good site in the preview, with the
        # problems on every page (a failed build would leave every reload hanging).
        try:
            self.site = load_site(self.root(config), self.config.strict, warn=log.warning)
            self.problems = None
        except BuildFailed as exc:
            if self.command != "serve" or self.site is None:
                raise PluginError(str(exc)) from None
            log.error(f"{exc}\nthe preview shows the last version that built until this is fixed")
            self.problems = str(exc)
        config.nav = nav_config(self.site.nav)
        # Escaped as the pipeline escapes it (engine_text). Where the theme escapes it again
        # (`| e`: the logo's title), the attribute holds it escaped, which is what Material's
        # tooltips need: they put a title attribute into the page with innerHTML.
        config.site_name = engine_text(config.site_name)
        # MkDocs stamps the build day into sitemap.xml (lastmod) and sitemap.xml.gz unless
        # SOURCE_DATE_EPOCH is set: the review date, until the build ends, makes the same
        # content give the same bytes on any day. A value the caller set wins.
        self.release_build_date()
        self.build_date.enter_context(build_date(self.site.course.meta.last_reviewed))
        # The site footer shows the stamp every handout page prints (partials/copyright.html);
        # a course in another language also gives our scripts their strings (main.html).
        for key, value in self.site.extra.items():
            config.extra[key] = value
        course = self.site.course
        english = course.language == SOURCE_LANGUAGE
        if not english:
            # The theme's own labels follow the course. The search plugin has read its options
            # by now: its `lang` is the project's to set (`coursesmith build` sets it itself).
            config.theme["language"] = course.language
        # The pages' meta description and the headings' link tooltip speak the course's language.
        if not english or not config.site_description:
            config.site_description = site_description(course)
        toc = config.mdx_configs.get("toc")
        if (
            toc is not None
            and toc.get("permalink")
            and (not english or "permalink_title" not in toc)
        ):
            toc["permalink_title"] = permalink_title(course)
        if SAFE_LINKS not in config.markdown_extensions:
            config.markdown_extensions.append(SAFE_LINKS)
        # Our overrides sit under the project's own (custom_dir) and above the theme's.
        dirs = config.theme.dirs
        if str(OVERRIDES) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        collisions = docs_collisions(
            Path(config.docs_dir), (self.site,), [], Path(config.config_file_path).parent
        )
        if collisions:
            raise PluginError("\n".join(collisions))
        for path, _source in static_files():
            # A project's file of the same name was refused above; a project whose docs_dir is
            # our assets folder itself (this repository's) has them already.
            if files.get_file_from_path(path) is None:
                files.append(File(path, str(STATIC), config.site_dir, config.use_directory_urls))
        for page in self.site.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, page.path, content=page.text))
        for download in self.site.downloads:
            file = File.generated(config, download.path, content=download.text)
            files.append(finish.place_download(file, download.dest))
        for image in self.site.course.images:  # a file of docs/ is there already
            if files.get_file_from_path(image.dest) is None:
                files.append(File.generated(config, image.dest, abs_src_path=image.file))
        # Started here, after MkDocs has cleaned the site folder, so nothing it writes is lost.
        if self.command != "serve":
            self.stop_handouts()
            # The child is handed the course loaded in on_config: it never loads it again.
            self.handout_job = HandoutJob.start(
                ((self.site.course, ""),),
                Path(config.site_dir),
                self.site.fingerprint,
                pdf=self.config.pdf,
                trainer=self.config.trainer_edition,
            )
        return files

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        if self.problems is not None and self.site is not None:
            block = preview_notice.notice(self.problems, self.site.course.language)
            output = preview_notice.in_html(output, block)
        return finish.compact_page(output)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        return finish.compact_template(output_content, template_name)

    def release_build_date(self) -> None:
        """The environment's SOURCE_DATE_EPOCH as it was before this build."""
        self.build_date.close()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.release_build_date()
        # The live preview writes the HTML handouts in place and skips the PDFs (seconds of
        # WeasyPrint per edit); builds wait here for the handout process started in on_files.
        if self.site is None:
            return
        course = self.site.course
        job, self.handout_job = self.handout_job, None
        site_dir = Path(config.site_dir)
        if self.command != "serve":
            mark(site_dir)  # a site of ours, which the next build may replace
        try:
            if job is None:
                publish_handouts(
                    course,
                    site_dir,
                    self.site.fingerprint,
                    pdf=False,
                    trainer=self.config.trainer_edition,
                )
                return
            try:
                job.wait()
            except HandoutProcessLost as lost:
                # A lost process says nothing about the handouts: write them here instead.
                log.warning(f"{lost}; writing the handouts in the build process instead")
                write_handouts_here(
                    course,
                    site_dir,
                    self.site.fingerprint,
                    pdf=self.config.pdf,
                    trainer=self.config.trainer_edition,
                )
        except HandoutError as exc:
            raise PluginError(str(exc)) from None

    def stop_handouts(self) -> None:
        """End a handout process still running, so none outlives a failed or interrupted build."""
        job, self.handout_job = self.handout_job, None
        if job is not None:
            job.stop()

    def on_build_error(self, *, error: Exception) -> None:
        self.release_build_date()
        self.stop_handouts()

    def on_shutdown(self) -> None:
        self.release_build_date()
        self.stop_handouts()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        root = self.root(config)
        for folder in (root / CONTENT, root / QUIZZES, TEMPLATES):
            if folder.is_dir():
                server.watch(str(folder))
        return server
