"""The built pages of a full staged build, compacted and written by a process of their own.

MkDocs renders each page's template and writes the result; compacting it first (generator.render
.compact) costs about a millisecond a page on this build's critical path. In a build the pipeline
runs, the staged-build hooks hand each page to this writer instead and give MkDocs nothing to
write: the writer compacts and writes it on the other core while MkDocs renders the next page, and
every page is on disk before any plugin's ``on_post_build`` runs (``finish``). The bytes are
MkDocs' own: the same encoding, with the same fallback for characters UTF-8 cannot take. The
writer also builds the search plugin's index of the pages (search_offload), which Material would
otherwise build on MkDocs' thread.

The writer is forked, so it shares everything it needs and starts at once; a process that runs
other threads forks no child (forked.can_fork), and then compacts its pages itself, as
``mkdocs serve`` and the plugin do.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection

from generator.adapters import forked
from generator.adapters.mkdocs import search_offload
from generator.render.compact import compact_html

# What went wrong in the writer: (errno, reason, file), or None.
_Failure = tuple[int, str, str] | None

# Seconds a terminated writer gets to exit before it is killed.
_GRACE = 5.0
# The pipe's room, in bytes (Linux's own is 64 KiB, one page of a large course): some pages of
# slack, so a moment's delay of the writer does not hold MkDocs up.
_PIPE_ROOM = 1 << 20


def write_pages(inbox: Connection, report: Connection) -> None:
    """In the writer: compact and write each (file, page) ``inbox`` brings, and index each
    IndexedPage for search, until ``None``; then send through ``report`` the (failure, search
    entries), the failure being None or the (errno, reason, file) of what went wrong."""
    failure: _Failure = None
    indexer: search_offload.Indexer | None = None
    for item in iter(inbox.recv, None):
        if failure is not None:
            continue  # drain, so the build's sending never blocks
        if isinstance(item, search_offload.IndexedPage):
            indexer = indexer or search_offload.Indexer()
            failure = _index(indexer, item)
        else:
            failure = _write(*item)
    report.send((failure, indexer.entries if indexer is not None else []))
    report.close()


def _write(path: str, html: str) -> _Failure:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(compact_html(html).encode("utf-8", errors="xmlcharrefreplace"))
    except OSError as exc:
        return (exc.errno or 0, exc.strerror or str(exc), path)
    return None


def _index(indexer: search_offload.Indexer, page: search_offload.IndexedPage) -> _Failure:
    try:
        indexer.add(page)
    except Exception as exc:  # a fault of the indexing, named by the build instead of hanging
        return (0, f"the search index could not be built: {exc!r}", page.url)
    return None


def _widen(connection: Connection) -> None:
    """Give the pipe behind ``connection`` more room where the system allows it."""
    # A smaller pipe only means the build waits for the writer sooner.
    with contextlib.suppress(OSError):
        fcntl.fcntl(connection.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_ROOM)


class PageWriter:
    """A running writer process, the pipe the pages go through (sent by the build's own thread:
    a queue's sending thread would contend with MkDocs for the interpreter) and the pipe the
    writer reports through."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        inbox, self._pages = context.Pipe(duplex=False)
        _widen(self._pages)
        self._report, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=write_pages,
            args=(inbox, sender),
            name="coursesmith-page-writer",
            daemon=True,  # never outlives the build
        )
        forked.start_forked(self._process)
        inbox.close()
        sender.close()

    def write(self, path: str, html: str) -> None:
        """Have the page ``html`` compacted and written to ``path``. Returns as soon as the pipe
        holds it; OSError if the writer is gone."""
        self._pages.send((path, html))

    def index(self, page: search_offload.IndexedPage) -> None:
        """Have ``page`` indexed for search, after the pages handed over before it."""
        self._pages.send(page)

    def finish(self) -> search_offload.Entries:
        """Wait until every page handed over is written and indexed, and return the search
        entries of those indexed, in their order; OSError if a page could not be written or
        indexed."""
        entries: search_offload.Entries = []
        try:
            self._pages.send(None)
            failure, entries = self._report.recv()
        except (EOFError, OSError):
            failure = (0, f"the page writer ended (exit code {self._process.exitcode})", "")
        finally:
            self.stop()
        if failure is not None:
            errno, reason, path = failure
            raise OSError(errno, reason, path)
        return entries

    def stop(self) -> None:
        """End the writer if it still runs (a build that failed: what it wrote goes with the
        build's temporary folder); safe to call more than once."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._pages.close()
        self._report.close()


# The writer of the running full build, or None (``mkdocs serve``, the plugin).
active: PageWriter | None = None


@contextmanager
def writing() -> Iterator[None]:
    """While the block runs, the staged build's hooks hand their pages to a writer process (when
    this process may fork one)."""
    global active
    if not forked.can_fork():
        yield
        return
    writer = PageWriter()
    before, active = active, writer
    try:
        yield
    finally:
        active = before
        writer.stop()
