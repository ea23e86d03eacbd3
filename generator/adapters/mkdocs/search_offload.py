"""Material's search index, built on the page writer's core in a full staged build.

Material's search plugin parses every page's HTML into index entries on MkDocs' own thread:
about a tenth of a MkDocs build at 1,000 lessons. While a page writer runs (page_writer), the
plugin's index is stood in for (``offload``): each page's indexed parts go to the writer with
the page, the writer runs Material's own indexing on them in the same order, and before the
plugin writes its index (``on_post_build``) the entries come back to its real index
(``restore``). The index's bytes are those the plugin writes itself (tests/test_page_stream.py
compares whole sites). Anything else, a dirty ``serve``, a disabled or different search
plugin, or no writer, leaves the plugin to index as it always does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.config.defaults import MkDocsConfig

Entries = list[dict[str, Any]]

# The keys of a page's front matter Material's SearchIndex reads (material 9.x).
_INDEXED_META = ("search", "tags", "title")


@dataclass(frozen=True)
class IndexedPage:
    """What Material's ``SearchIndex.add_entry_from_context`` reads of a page, taken as the
    plugin asks (before it strips the page's ``data-search-*`` attributes)."""

    content: str
    toc: Any
    url: str
    title: str | None
    meta: dict[str, Any]

    @classmethod
    def of(cls, page: Any) -> IndexedPage:
        # Of the front matter, only what the index reads: other plugins may put anything there,
        # and all of it would have to be pickled.
        meta = {key: page.meta[key] for key in _INDEXED_META if key in page.meta}
        return cls(page.content, page.toc, page.url, page.title, meta)


class Indexer:
    """In the writer: Material's index of the pages it is given, in their order."""

    def __init__(self) -> None:
        self._index = SearchIndex()

    def add(self, page: IndexedPage) -> None:
        self._index.add_entry_from_context(page)

    @property
    def entries(self) -> Entries:
        return list(self._index.entries)


class OffloadedIndex:
    """Stands in for the search plugin's index while the writer indexes: hands each page to
    ``send``, and keeps the real index to give back."""

    def __init__(self, real: SearchIndex, send: Callable[[IndexedPage], None]) -> None:
        self.real = real
        self._send = send

    def add_entry_from_context(self, page: Any) -> None:
        self._send(IndexedPage.of(page))


def _plugin(config: MkDocsConfig) -> SearchPlugin | None:
    """The build's one enabled Material search plugin with a fresh index, else None."""
    found = [
        plugin
        for plugin in config.plugins.values()
        if isinstance(plugin, SearchPlugin)
        and plugin.config.enabled
        and not plugin.is_dirty
        and isinstance(getattr(plugin, "search_index", None), SearchIndex)
        and not plugin.search_index.entries
    ]
    return found[0] if len(found) == 1 else None


def offload(config: MkDocsConfig, send: Callable[[IndexedPage], None]) -> bool:
    """Have the build's search plugin hand its pages to ``send``; False if it is not one this
    module knows how to stand in for (it then indexes them itself)."""
    plugin = _plugin(config)
    if plugin is None:
        return False
    plugin.search_index = OffloadedIndex(plugin.search_index, send)
    return True


def restore(config: MkDocsConfig, entries: Entries) -> None:
    """Give the search plugin its real index back, holding the writer's ``entries``."""
    for plugin in config.plugins.values():
        standing_in = getattr(plugin, "search_index", None)
        if isinstance(standing_in, OffloadedIndex):
            standing_in.real.entries.extend(entries)
            plugin.search_index = standing_in.real


__all__ = ["IndexedPage", "Indexer", "OffloadedIndex", "offload", "restore"]
