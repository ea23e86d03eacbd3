"""One build pipeline for every engine: the course becomes the complete input of a site in a
staging folder, an engine builds it, the handouts are written beside, and the result is swapped
into place, so a failed build never leaves a half-written site behind.

The staging folder holds ``docs/`` (every generated page, the downloads, our assets and the
project's own static files), ``overrides/`` (our theme overrides, then the project's) and the
engine's configuration with the navigation. The MkDocs plugin uses ``SiteInput`` the same way,
in memory, for people who run ``mkdocs build`` and ``mkdocs serve`` directly.

A course in several languages is loaded once and built section by section: each language is
staged and built on its own (its navigation, its search index, the theme's interface in that
language), the source language at the site root and every further one in its folder
(``addresses.section``), and a language switcher leads between the same page in each.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from generator.adapters.engine_config import (
    ConfigError,
    interface_config,
    language_config,
    nav_config,
    plugin_options,
    read_config,
    rooted_hooks,
    with_site_name,
)
from generator.adapters.engines import BuildFailed, Engine, EngineUnavailable, engine_named
from generator.adapters.forked import in_parallel
from generator.adapters.handout_job import HandoutJob, HandoutProcessLost, write_handouts_here
from generator.i18n.catalogues import script_strings, theme_strings
from generator.load import LoadResult, load_course
from generator.model import Course, Module, addresses
from generator.output.guard import (
    MARKER,
    check_output,
    finish,
    os_error_message,
    remove_tree,
    spare_name,
    sweep_leftovers,
    temporary_folder,
)
from generator.output.package_files import TEMPLATES
from generator.output.reproducible import build_date
from generator.render.disk import target, write_pages
from generator.render.downloads import Download, render_downloads
from generator.render.handouts import edition_stamp, version_line
from generator.render.pages import (
    NavEntry,
    Page,
    navigation,
    permalink_title,
    render_module,
    render_site,
    site_description,
)
from generator.render.pdf import HandoutError
from generator.source.diagnostics import format_report
from generator.source.fingerprint import content_fingerprint
from generator.source.languages import SOURCE_LANGUAGE, native_name

# Our assets (CSS, JavaScript) and theme overrides, wherever Coursesmith is installed.
STATIC = TEMPLATES / "static"
OVERRIDES = TEMPLATES / "overrides"
# What only a course in several languages needs (the switcher's and the fallback note's styles).
MULTILINGUAL = TEMPLATES / "multilingual"
# What one engine needs beyond these (engines/<name>/static), such as fixes to its own theme.
ENGINES = TEMPLATES / "engines"
OFFLINE_SHIM = TEMPLATES / "export/offline/iframe-worker-shim.js"
SHIM = "assets/iframe-worker-shim.js"
CONFIG_FILE = "mkdocs.yml"
# What the staged build needs beyond the engine's configuration: page order and download names.
MANIFEST = "coursesmith-site.json"


@dataclass(frozen=True)
class SiteInput:
    """Everything the course adds to a site: pages, downloads, navigation, and the content
    fingerprint the site footer and every handout page show."""

    course: Course
    pages: tuple[Page, ...]
    downloads: tuple[Download, ...]
    nav: tuple[NavEntry, ...]
    fingerprint: str

    @classmethod
    def of(
        cls,
        course: Course,
        fingerprint: str,
        module_pages: Callable[[Course, Module], Iterable[Page]] | None = None,
    ) -> SiteInput:
        pages = render_site(course, module_pages)
        return cls(course, pages, render_downloads(course), navigation(course), fingerprint)

    @classmethod
    def planned(cls, course: Course, fingerprint: str) -> SiteInput:
        """The site input without its pages, for an engine that is handed them as the handout
        process renders them (``HandoutJob.page``): everything else is here."""
        return cls(course, (), render_downloads(course), navigation(course), fingerprint)

    @property
    def page_paths(self) -> tuple[str, ...]:
        """Every page's path, in the site's order: the navigation lists each page once, in the
        order ``render_site`` renders them (tests/test_page_stream.py holds them equal)."""
        return tuple(_nav_paths(self.nav))

    @property
    def stamp(self) -> str:
        """The edition line: version, review date and content fingerprint."""
        return edition_stamp(self.course, self.fingerprint)

    @property
    def extra(self) -> dict[str, Any]:
        """What the theme overrides read from the configuration's ``extra``: the footer's version
        line, the edition stamp (page metadata and printouts) and, in a language other than
        English, the strings of our page scripts (``main.html`` puts them into every page as
        ``#cs-strings``)."""
        extra: dict[str, Any] = {
            "coursesmith_stamp": self.stamp,
            "coursesmith_version": version_line(self.course),
        }
        strings = script_strings(self.course.language)
        if strings:
            extra["coursesmith_strings"] = dict(strings)
            extra["coursesmith_interface"] = dict(theme_strings(self.course.language))
        return extra

    def engine_config(self, config: dict[str, Any]) -> dict[str, Any]:
        """``config`` with the theme's interface, the search, the pages' description and the
        heading links' tooltip in the course's language; an English course keeps what the
        project wrote and gets only what it left out."""
        english = self.course.language == SOURCE_LANGUAGE
        if not english:
            config = language_config(config, self.course.language)
        return interface_config(
            config, site_description(self.course), permalink_title(self.course), not english
        )


def _nav_paths(entries: Iterable[NavEntry]) -> Iterator[str]:
    for entry in entries:
        if entry.path is not None:
            yield entry.path
        yield from _nav_paths(entry.children)


def course_in(result: LoadResult, language: str) -> Course:
    """The loaded course in ``language`` (the source course, or its translation); BuildFailed
    if the course is not offered in that language."""
    course = result.in_language(language)
    if course is None:
        offered = ", ".join(result.course.languages) if result.course else ""
        raise BuildFailed(f"the course is not offered in '{language}', expected one of {offered}")
    return course


@dataclass(frozen=True)
class LoadedCourse:
    """The course at ``root`` as one build loads and checks it, once: the loader's result and
    the content fingerprint of the same files. The check, the pages of every language, the
    handout process and an export all read this one value; nothing loads the course again."""

    root: Path
    result: LoadResult
    fingerprint: str

    @classmethod
    def load(cls, root: Path) -> LoadedCourse:
        root = root.resolve()
        return cls(root, load_course(root), content_fingerprint(root))

    def checked(self, strict: bool, warn: Callable[[str], object] | None = None) -> Course:
        """The source course; BuildFailed if the content has errors (warnings too, with
        ``strict``). Warnings go to ``warn`` when given."""
        if warn is not None:
            for diagnostic in self.result.diagnostics.warnings:
                warn(str(diagnostic))
        if self.result.course is None or not self.result.ok(strict):
            raise BuildFailed(
                "course content has errors:\n" + format_report(self.result.diagnostics)
            )
        return self.result.course

    def sites(
        self,
        strict: bool = False,
        warn: Callable[[str], object] | None = None,
        languages: tuple[str, ...] | None = None,
        rendered: bool = True,
    ) -> tuple[SiteInput, ...]:
        """The site input of each language in ``languages`` (default: every language the course
        declares, the source first); BuildFailed on errors. Warnings go to ``warn``. Without
        ``rendered``, the pages are left to the handout process (``SiteInput.planned``)."""
        course = self.checked(strict, warn)
        chosen = course.languages if languages is None else languages
        make = SiteInput.of if rendered else SiteInput.planned
        return tuple(make(course_in(self.result, code), self.fingerprint) for code in chosen)


def render_on_both_cores(sites: tuple[SiteInput, ...]) -> tuple[SiteInput, ...]:
    """Each planned site input (``SiteInput.planned``) with its pages, for an engine that wants
    them all on disk before it starts: every other module is rendered by a forked child while
    this process renders the rest, then the pages around the modules (forked.in_parallel)."""

    def share(turn: int) -> dict[tuple[int, str], tuple[Page, ...]]:
        return {
            (index, module.slug): tuple(render_module(site.course, module))
            for index, site in enumerate(sites)
            for number, module in enumerate(site.course.modules)
            if number % 2 == turn
        }

    theirs, mine = in_parallel(lambda: share(1), lambda: share(0))
    done = {**theirs, **mine}
    return tuple(
        replace(site, pages=render_site(site.course, _rendered(done, index)))
        for index, site in enumerate(sites)
    )


def _rendered(
    done: dict[tuple[int, str], tuple[Page, ...]], index: int
) -> Callable[[Course, Module], Iterable[Page]]:
    """The pages of each module of site ``index``, from those rendered already."""

    def module_pages(_course: Course, module: Module) -> Iterable[Page]:
        return done[(index, module.slug)]

    return module_pages


def load_sites(
    root: Path,
    strict: bool = False,
    warn: Callable[[str], object] | None = None,
    languages: tuple[str, ...] | None = None,
) -> tuple[SiteInput, ...]:
    """Load and check the course at ``root`` once and render the site input of each language
    in ``languages`` (default: every language the course declares, the source first);
    BuildFailed on errors. Warnings go to ``warn`` when given."""
    return LoadedCourse.load(root).sites(strict, warn, languages)


def load_site(
    root: Path,
    strict: bool = False,
    warn: Callable[[str], object] | None = None,
    language: str | None = None,
) -> SiteInput:
    """Load and check the course at ``root`` and render the site input of one language
    (default: the source language) alone: the plugin does this on every rebuild of
    ``mkdocs serve``. BuildFailed on errors. Warnings go to ``warn`` when given."""
    loaded = LoadedCourse.load(root)
    course = loaded.checked(strict, warn)
    chosen = course_in(loaded.result, language or course.source_language)
    return SiteInput.of(chosen, loaded.fingerprint)


def language_links(course: Course) -> list[dict[str, object]]:
    """What the language switcher of ``course``'s section shows: each language of the course
    with its native name and the link from this section's root to that language's root."""
    here = addresses.section(course.language, course)
    return [
        {
            "code": code,
            "name": native_name(code),
            "root": addresses.section_root_link(here, addresses.section(code, course)),
            "current": code == course.language,
        }
        for code in course.languages
    ]


def static_files(folder: Path = STATIC) -> Iterator[tuple[str, Path]]:
    """(site path, file) of every asset in ``folder``, in a stable order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield path.relative_to(folder).as_posix(), path


def _ours(sites: tuple[SiteInput, ...], sections: list[str]) -> tuple[dict[str, str], ...]:
    """What a site of ``sites`` holds of Coursesmith's own: each file by its path, and each
    folder that holds ours alone (handouts, further languages' sections), with what it is."""
    files = {MARKER: "marker file", SHIM: "asset"}
    for folder in (STATIC, MULTILINGUAL, *sorted(ENGINES.glob("*/static"))):
        files.update((path, "asset") for path, _file in static_files(folder))
    folders = {f"{section}/": "language section" for section in sections if section}
    for site in sites:
        for path in site.page_paths:
            files[path] = files[addresses.page(path).dest] = "page"
        for download in site.downloads:
            files[download.path] = files[download.dest] = "download"
        for module in site.course.modules:
            folders[f"{addresses.handout_folder(module.slug)}/"] = "handout folder"
    return files, folders


def docs_collisions(
    docs_dir: Path | None, sites: tuple[SiteInput, ...], sections: list[str], root: Path
) -> list[str]:
    """One line per file of the project's docs folder that would replace one of Coursesmith's
    own in the site (an asset, a generated page or download, a handout): each silently won or
    lost; and per symbolic link there leading outside the project, which would publish what it
    points to. Nothing is said of a project whose docs folder is our assets folder itself."""
    if docs_dir is None or not docs_dir.is_dir() or docs_dir.resolve() == STATIC.resolve():
        return []
    files, folders = _ours(sites, sections)
    problems = []
    inside = (root.resolve(), docs_dir.resolve())
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        if not any(path.resolve().is_relative_to(folder) for folder in inside):
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            problems.append(
                f"{shown}: a symbolic link leading outside the project, expected a file inside "
                "it (copy what it points to into the project instead)"
            )
            continue
        folder = next((f for f in folders if rel.startswith(f)), None)
        if path.is_dir() or (rel not in files and folder is None):
            continue
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        what = f"{files[rel]} {rel}" if rel in files else f"{folders[folder or '']} {folder}"
        problems.append(
            f"{shown}: would replace Coursesmith's own {what} in the site, expected a name of "
            "its own (rename or move the file)"
        )
    return problems


@dataclass(frozen=True)
class Project:
    """A course project: its folder, its engine configuration and our plugin's options there."""

    root: Path
    config: dict[str, Any]

    @classmethod
    def read(cls, config_file: Path) -> Project:
        config_file = config_file.resolve()
        try:
            return cls(
                config_file.parent, rooted_hooks(read_config(config_file), config_file.parent)
            )
        except ConfigError as exc:
            raise BuildFailed(str(exc)) from None

    @property
    def options(self) -> dict[str, Any]:
        return plugin_options(self.config) or {}

    @property
    def course_root(self) -> Path:
        root = self.options.get("root")
        return (self.root / root).resolve() if root else self.root

    @property
    def pdf(self) -> bool:
        return bool(self.options.get("pdf", True))

    @property
    def trainer_edition(self) -> bool:
        """Whether the site publishes the trainer edition (it holds the answers): opt-in."""
        return self.options.get("trainer_edition", False) is True

    def folder(self, key: str, default: str | None) -> Path | None:
        """A folder setting of the configuration, relative to the project; None if unset."""
        value = self.config.get(key, default)
        if isinstance(value, str):
            return (self.root / value).resolve()
        return None

    @property
    def site_dir(self) -> Path:
        folder = self.folder("site_dir", "site")
        assert folder is not None
        return folder

    @property
    def docs_dir(self) -> Path | None:
        """The project's own static files (images, a favicon), copied as they are."""
        return self.folder("docs_dir", "docs")

    @property
    def custom_dir(self) -> Path | None:
        theme = self.config.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        return (self.root / custom).resolve() if isinstance(custom, str) else None

    def output_folder(self, site_dir: Path | None, force: bool = False) -> Path:
        """The site folder (``site_dir``, else the configuration's), checked by the output
        rule (generator.output.guard); OutputRefused if it cannot hold the site."""
        return check_output(
            site_dir if site_dir else self.site_dir,
            self.root,
            what="site folder",
            roots=(self.course_root,),
            sources=(self.docs_dir, self.custom_dir),
            force=force,
        )


@dataclass(frozen=True)
class Staged:
    """A staged site input: where its docs, overrides and configuration are."""

    folder: Path
    docs: Path
    overrides: Path
    config_file: Path


def _copy_tree(source: Path | None, target_dir: Path, skip: tuple[str, ...] = ()) -> None:
    if source is None or not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if path.is_file() and rel not in skip:
            (target_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target_dir / rel)


def stage(
    site: SiteInput,
    project: Project,
    engine: Engine,
    folder: Path,
    offline: bool = False,
    sections: bool = False,
) -> Staged:
    """Write the complete input of the site into ``folder`` for ``engine``, in the language of
    ``site.course``. With ``sections``, the site is that language's section of a site with a
    section per language, and its pages offer the others. A site input without its pages
    (``SiteInput.planned``) stages everything but them; the manifest names them all."""
    docs, overrides = folder / "docs", folder / "overrides"
    _stage_files(site, project, engine, docs, overrides, offline)
    manifest = {
        "pages": list(site.page_paths),
        "downloads": {d.path: d.dest for d in site.downloads},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    config = engine.configure(
        _site_config(site, project, sections),
        docs=docs,
        overrides=overrides,
        nav=nav_config(site.nav),
        offline=offline,
        shim=SHIM,
    )
    config_file = engine.write_config(config, folder)
    return Staged(folder, docs, overrides, config_file)


def _stage_files(
    site: SiteInput, project: Project, engine: Engine, docs: Path, overrides: Path, offline: bool
) -> None:
    """Our assets and overrides, then the project's own, then the course's pages, downloads and
    images (and for ``offline``, the search worker's shim) into ``docs`` and ``overrides``."""
    docs.mkdir(parents=True, exist_ok=True)
    _copy_tree(STATIC, docs)
    _copy_tree(ENGINES / engine.name / "static", docs)
    if len(site.course.languages) > 1:
        _copy_tree(MULTILINGUAL, docs)
    _copy_tree(OVERRIDES, overrides, skip=engine.skip_overrides)
    overrides.mkdir(parents=True, exist_ok=True)
    # A project may name our own folders (this repository's mkdocs.yml does): copied once.
    if project.docs_dir != STATIC.resolve():
        _copy_tree(project.docs_dir, docs)
    if project.custom_dir != OVERRIDES.resolve():
        _copy_tree(project.custom_dir, overrides)
    write_pages((*site.pages, *site.downloads), docs)
    copy_images(site.course, docs)
    if offline:
        shim = target(docs, SHIM)
        shim.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(OFFLINE_SHIM, shim)


def _site_config(site: SiteInput, project: Project, sections: bool) -> dict[str, Any]:
    """The project's configuration for the site of ``site.course``'s language, before the
    engine's own: the footer's edition line, the theme's language, the course title in the
    header and, for a section, the language switcher and the section's address."""
    # The footer's edition line (partials/copyright.html), as the plugin sets it for MkDocs.
    extra = project.config.get("extra")
    extra = {**(extra if isinstance(extra, dict) else {}), **site.extra}
    project_config = dict(site.engine_config(project.config))
    if len(site.course.languages) > 1:
        # The styles of the switcher and of the note on untranslated pages (overrides/main.html).
        extra["coursesmith_multilingual"] = True
    # The header names the course in the language of the site: a section, or a site of one
    # further language alone (`export offline --language de`, `serve --language de`). Escaped.
    translated = site.course.language != site.course.source_language
    project_config = with_site_name(project_config, site.course.title if translated else None)
    if sections:
        extra["coursesmith_languages"] = language_links(site.course)
        site_url = project_config.get("site_url")
        if isinstance(site_url, str) and site_url:
            folder_name = addresses.section(site.course.language, site.course)
            project_config["site_url"] = site_url.rstrip("/") + "/" + folder_name
    return {**project_config, "extra": extra}


def copy_images(course: Course, docs: Path) -> None:
    """Copy every image the lessons show from its file to its address (``addresses.image``)."""
    for image in course.images:
        path = target(docs, image.dest)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image.file, path)


def build_site(
    config_file: Path,
    site_dir: Path | None = None,
    strict: bool = False,
    *,
    engine: str = "mkdocs",
    offline: bool = False,
    pdf: bool | None = None,
    language: str | None = None,
    notify: Callable[[str], object] | None = None,
    force: bool = False,
    loaded: LoadedCourse | None = None,
) -> Path:
    """Build the project whose configuration is ``config_file`` with ``engine``, atomically,
    and return the site folder: every language of the course in its section, or only
    ``language`` at the site root. Raises EngineUnavailable (unknown or not installed) and
    OutputRefused (a site folder the output rule refuses; ``force`` allows a non-empty folder
    no build of ours made) before anything is written, BuildFailed when the content or the
    engine fails or the site cannot be written (a full disk, a read-only folder). What the
    engine will not do of the project's configuration goes to ``notify``. The course is
    ``loaded`` when the caller has loaded it already (the command's check), else loaded here:
    either way once for the whole build, handouts included."""
    chosen = engine_named(engine)
    project = Project.read(config_file)
    for note in chosen.notes(project.config):
        if notify is not None:
            notify(note)
    # --site-dir is taken from the current folder, as a shell user means it; mkdocs.yml's from
    # the project.
    final = project.output_folder(Path(site_dir).resolve() if site_dir else None, force)
    if loaded is None:
        loaded = LoadedCourse.load(project.course_root)
    sites = _site_inputs(loaded, chosen, strict or bool(project.options.get("strict")), language)
    folders = _folders(sites, sectioned=language is None and len(sites) > 1)
    collisions = docs_collisions(project.docs_dir, sites, folders, project.root)
    if collisions:
        raise BuildFailed("\n".join(collisions))
    with_pdf = project.pdf if pdf is None else pdf
    try:
        _build_into(project, chosen, sites, folders, final, strict, offline, with_pdf)
    except OSError as exc:
        kept = "the previous site is as it was"
        raise BuildFailed(f"{os_error_message(exc, final)}; {kept}") from None
    # Interrupted builds may have left their temporary folders beside the site: ours go now.
    sweep_leftovers(final.parent)
    return final


def _site_inputs(
    loaded: LoadedCourse, chosen: Engine, strict: bool, language: str | None
) -> tuple[SiteInput, ...]:
    """The site inputs of the build (every language, or ``language``): without their pages for
    an engine that takes them as the handout process renders them, else rendered on both cores."""
    sites = loaded.sites(
        strict, languages=None if language is None else (language,), rendered=False
    )
    return sites if chosen.takes_pages else render_on_both_cores(sites)


def _folders(sites: tuple[SiteInput, ...], sectioned: bool) -> list[str]:
    """Where each language's pages and handouts go inside the site: its section, or the root."""
    return [
        addresses.section(site.course.language, site.course) if sectioned else "" for site in sites
    ]


def _build_into(
    project: Project,
    chosen: Engine,
    sites: tuple[SiteInput, ...],
    folders: list[str],
    final: Path,
    strict: bool,
    offline: bool,
    with_pdf: bool,
) -> None:
    """Stage, build and write the handouts beside ``final``, then swap the new site in."""
    sectioned = any(folders)
    final.parent.mkdir(parents=True, exist_ok=True)
    output = temporary_folder(final.parent, ".site-new-")
    handouts = temporary_folder(final.parent, ".site-handouts-")
    temp = temporary_folder(final.parent, ".site-stage-")
    job: HandoutJob | None = None
    cleaner: threading.Thread | None = None
    try:
        # Started first: for an engine that takes its pages as they come, it renders them.
        job = HandoutJob.start(
            tuple((site.course, folder) for site, folder in zip(sites, folders, strict=True)),
            handouts,
            sites[0].fingerprint,
            pdf=with_pdf,
            trainer=project.trainer_edition,
            pages=chosen.takes_pages,
        )
        staged = [
            stage(site, project, chosen, temp / (folder or "root"), offline, sectioned)
            for site, folder in zip(sites, folders, strict=True)
        ]
        _run_engine(chosen, sites, staged, folders, output, strict, job)
        # The staged input is spent: it goes while the handouts are awaited and moved.
        cleaner = threading.Thread(target=remove_tree, args=(temp,), daemon=True)
        cleaner.start()
        _wait_for_handouts(job, sites, folders, handouts, with_pdf, project.trainer_edition)
        job = None
        for site, folder in zip(sites, folders, strict=True):
            _move_handouts(site.course, handouts / folder, output / folder)
        finish(output)
        _swap(output, final)
    finally:
        if job is not None:
            job.stop()
        if cleaner is not None:
            cleaner.join()
        for leftover in (output, handouts, temp):
            if leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


def _run_engine(
    chosen: Engine,
    sites: tuple[SiteInput, ...],
    staged: list[Staged],
    folders: list[str],
    output: Path,
    strict: bool,
    job: HandoutJob,
) -> None:
    """Build each staged section into its folder of ``output``; an engine that takes its pages
    as they come gets them from the handout process."""
    # The root section first: an engine empties the folder it builds into.
    for index, (site, one, folder) in enumerate(zip(sites, staged, folders, strict=True)):
        section_dir = output / folder
        section_dir.mkdir(parents=True, exist_ok=True)
        pages = partial(job.page, index) if chosen.takes_pages else None
        # The engine stamps dates (sitemap lastmod, gzip headers): the review date's.
        with build_date(site.course.meta.last_reviewed):
            chosen.build(one.config_file, section_dir, strict, pages)


def _wait_for_handouts(
    job: HandoutJob,
    sites: tuple[SiteInput, ...],
    folders: list[str],
    folder: Path,
    pdf: bool,
    trainer: bool,
) -> None:
    try:
        try:
            job.wait()
        except HandoutProcessLost:
            # A lost process says nothing about the handouts: write them here instead.
            for site, section in zip(sites, folders, strict=True):
                write_handouts_here(
                    site.course, folder / section, site.fingerprint, pdf=pdf, trainer=trainer
                )
    except HandoutError as exc:
        raise BuildFailed(str(exc)) from None


def _move_handouts(course: Course, handouts: Path, site: Path) -> None:
    for module in course.modules:
        written = handouts / addresses.handout_folder(module.slug)
        if written.is_dir():
            place = site / addresses.handout_folder(module.slug)
            place.parent.mkdir(parents=True, exist_ok=True)
            if place.exists():
                shutil.rmtree(place)
            written.rename(place)


def _swap(staging: Path, final: Path) -> None:
    """Put the new site in place: the old one is moved aside first and removed last; if the
    new one cannot take its place, the old one goes back."""
    old = None
    if final.exists():
        old = spare_name(final.parent, ".site-old-")
        final.rename(old)
    try:
        staging.rename(final)
    except OSError:
        if old is not None:
            old.rename(final)
        raise
    if old is not None:
        remove_tree(old)


__all__ = [
    "BuildFailed",
    "EngineUnavailable",
    "LoadedCourse",
    "SiteInput",
    "build_site",
    "load_site",
    "load_sites",
    "stage",
]
