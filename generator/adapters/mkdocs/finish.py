"""What every MkDocs build of a course does to MkDocs' own output, whether the plugin runs it
(``mkdocs build`` directly) or the staged-build hooks do (``coursesmith build``): pages in the
course's order, downloads under their real names, compact pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mkdocs.structure.files import File, Files

from generator.render import compact


def compact_page(output: str) -> str:
    return compact.compact_html(output)


def compact_template(output: str, template_name: str) -> str:
    # 404.html carries the whole navigation too; sitemap.xml is left as MkDocs writes it.
    return compact.compact_html(output) if template_name.endswith(".html") else output


def place_download(file: File, dest: str) -> File:
    """A download linked under its ``src`` lands under ``dest``."""
    file.dest_uri = dest
    file.url = dest
    return file


def ordered(files: Files, pages: Iterable[str], downloads: Mapping[str, str]) -> Files:
    """``files`` with the other files first, as MkDocs found them, then the course's pages in
    its order (which is the order of the search index), then the downloads in place."""
    pages = list(pages)
    ours = set(pages) | set(downloads)
    out = [file for file in files if file.src_uri not in ours]
    out += [file for path in pages if (file := files.get_file_from_path(path)) is not None]
    for src, dest in downloads.items():
        file = files.get_file_from_path(src)
        if file is not None:
            out.append(place_download(file, dest))
    return Files(out)
