"""Hooks of a staged MkDocs build (named in the staged ``mkdocs.yml``): pages in the course's
order, downloads under their real names, and every built page compacted, exactly as the
coursesmith plugin does for ``mkdocs build`` run directly."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from generator.adapters.mkdocs import finish, page_source, page_writer, search_offload
from generator.adapters.mkdocs.hooks import preview_cache
from generator.adapters.pipeline import MANIFEST


class QuietDirty(logging.Filter):
    """Drops MkDocs' warning on every dirty build: the preview (`coursesmith serve`) serves
    with --dirty and restages every page itself when the navigation changes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _quiet_dirty_builds() -> None:
    logger = logging.getLogger("mkdocs.commands.build")
    # MkDocs runs this file again on every configuration it loads: one filter is enough.
    if not any(type(f).__name__ == QuietDirty.__name__ for f in logger.filters):
        logger.addFilter(QuietDirty())


_quiet_dirty_builds()


def on_startup(*, command: str, dirty: bool) -> None:
    preview_cache.dirty_serve = command == "serve" and dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """In a dirty `serve`, the theme's own pages (404.html, sitemap.xml) are built again only
    when the staged configuration (and with it the navigation) is newer than they are: each
    carries the whole navigation, and a save that leaves it alone changes neither."""
    if preview_cache.dirty_serve:
        changed = Path(config.config_file_path).stat().st_mtime_ns
        for name in sorted(config.theme.static_templates):
            built = Path(config.site_dir) / name
            if built.is_file() and built.stat().st_mtime_ns > changed:
                config.theme.static_templates.discard(name)
        _list_theme_files_once(config, changed)
    return config


def _list_theme_files_once(config: MkDocsConfig, staged: int) -> None:
    """MkDocs lists every file of the theme's folders (Material's ten thousand icons included)
    on each rebuild to find its static files: in a dirty `serve`, the list is kept until the
    staged configuration (restaged with the templates) changes."""
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> Environment:
        env = make_env()
        key = (tuple(theme.dirs), frozenset(theme.static_templates), staged)

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None:  # not what MkDocs asks: Jinja's own answer
                return Environment.list_templates(env, extensions, filter_func)
            names = preview_cache.theme_files.get(key)
            if names is None:
                names = Environment.list_templates(env, None, filter_func)
                preview_cache.theme_files[key] = names
            return list(names)

        env.list_templates = list_templates  # type: ignore[method-assign]
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    if preview_cache.dirty_serve:
        env.bytecode_cache = preview_cache.templates
    return env


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """The course's pages in its order and the downloads under their names; pages the staged
    input left out (the handout process renders them) join as files read when MkDocs needs
    them (page_source)."""
    manifest = json.loads(
        (Path(config.config_file_path).parent / MANIFEST).read_text(encoding="utf-8")
    )
    for file in page_source.streamed(
        manifest["pages"],
        files.get_file_from_path,
        config.docs_dir,
        config.site_dir,
        config.use_directory_urls,
    ):
        files.append(file)
    return finish.ordered(files, manifest["pages"], manifest["downloads"])


@event_priority(-100)  # after every plugin's: the writer takes the page as they leave it
def on_post_page(output: str, *, page: Any, config: MkDocsConfig) -> str:
    """The page compacted; in a full build the page writer does that and writes it, and MkDocs
    is given nothing to write."""
    writer = page_writer.active
    if writer is None:
        return finish.compact_page(output)
    writer.write(page.file.abs_dest_path, output)
    return ""


def on_pre_build(*, config: MkDocsConfig) -> None:
    """In a full build, the search plugin's pages are indexed by the page writer too."""
    if page_writer.active is not None:
        search_offload.offload(config, page_writer.active.index)


@event_priority(100)  # before any plugin's: they may read the pages MkDocs wrote
def on_post_build(*, config: MkDocsConfig) -> None:
    """Every page on disk, and the search plugin given back its index, before it writes it."""
    if page_writer.active is not None:
        search_offload.restore(config, page_writer.active.finish())


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return finish.compact_template(output_content, template_name)


__all__ = [
    "on_config",
    "on_env",
    "on_files",
    "on_post_build",
    "on_post_page",
    "on_post_template",
    "on_pre_build",
    "on_startup",
]
