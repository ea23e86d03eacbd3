"""The handouts of a real build, written by a separate process while the engine builds the
pages; and, for an engine that takes its pages as they come (MkDocs), the pages themselves.

Writing the handouts (the module handout converts every lesson again, and PDFs take seconds of
WeasyPrint each) would otherwise follow the page build; in a child process they overlap with it.
Rendering the pages there too takes them off the build's critical path: the child renders each
page in the site's order and sends it through a queue, and the engine, which reads one page at a
time and spends far longer on each than rendering it took, asks for them as it goes
(``HandoutJob.page``). On a machine with two cores the engine then never waits for our pages.

The child is forked when this process has no other thread: it shares the loaded course as it is,
with nothing to copy. Otherwise (``mkdocs serve``, pytest with a browser) it is spawned, since
forking a process with threads can deadlock the child, and the course travels to it by pickle.

The child is handed the course the build loaded and checked, with its fingerprint, and never
reads the content again: what the site shows and what the handouts print is the same load.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.adapters import forked as fork_rules
from generator.adapters.engines import BuildFailed
from generator.model import Course, addresses
from generator.render.pages import render_site, site_pages
from generator.render.pdf import HandoutError, publish_handouts

# Seconds a terminated child gets to exit before it is killed.
_GRACE = 5.0
# Seconds between two looks at whether the child still lives, while a page is awaited.
_POLL = 0.5

Editions = tuple[tuple[Course, str], ...]


class PagesLost(BuildFailed):
    """The child ended, or failed, before it sent a page the engine asked for."""


class HandoutProcessLost(HandoutError):
    """The handout process ended without a report: it was killed, or could not even start (a
    script that builds at import time, without an ``if __name__ == "__main__":`` guard, makes
    every spawned child run the build again, which fails)."""


def _read_only(items: dict[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(items)


def _reduce_read_only(
    mapping: Mapping[str, Any],
) -> tuple[Callable[[dict[str, Any]], Mapping[str, Any]], tuple[dict[str, Any]]]:
    return _read_only, (dict(mapping),)


# The model keeps its mappings read-only (MappingProxyType), which pickle cannot take as they
# are: the course goes to the child as plain dicts and comes out read-only again.
ForkingPickler.register(MappingProxyType, _reduce_read_only)


def write_handouts(
    inbox: Connection,
    site_dir: str,
    fingerprint: str,
    pdf: bool,
    report: Connection,
    trainer: bool = False,
    pages: Any = None,
) -> None:
    """In a spawned child: receive the editions from ``inbox`` (each a language's course and its
    folder in ``site_dir``), then do the job (``run_job``)."""
    try:
        editions: Editions = inbox.recv()
        inbox.close()
    except EOFError:
        report.send("the handout process was handed no course; no handout was published")
        report.close()
        return
    except KeyboardInterrupt:
        return
    run_job(editions, site_dir, fingerprint, pdf, report, trainer, pages)


def run_job(
    editions: Editions,
    site_dir: str,
    fingerprint: str,
    pdf: bool,
    report: Connection,
    trainer: bool = False,
    pages: Any = None,
) -> None:
    """In the child: send every page of each edition into ``pages`` (a queue, when the engine
    takes them from there), then write the handouts of each edition into its folder of
    ``site_dir``, stamped with ``fingerprint``; the trainer edition only with ``trainer``.

    Sends ``None`` through ``report`` on success, or the message that names what failed.
    """
    message: str | None
    try:
        if pages is not None:
            _send_pages(editions, pages)
        # The pages are the build's critical path; the handouts have until the engine is done.
        os.nice(5)
        for course, folder in editions:
            publish_handouts(course, Path(site_dir) / folder, fingerprint, pdf=pdf, trainer=trainer)
        message = None
    except HandoutError as exc:
        message = str(exc)
    except OSError as exc:
        message = f"the handouts could not be written: {exc}"
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group; the parent reports it, the child stays quiet.
        return
    report.send(message)
    report.close()


def _send_pages(editions: Editions, pages: Any) -> None:
    """Every page of each edition, in the site's order and each as soon as it is rendered (the
    engine asks for the first while the rest are still to come), as (edition, path, text); a
    failure to render is sent as (edition, None, message), so the engine's wait ends with the
    reason."""
    for index, (course, _folder) in enumerate(editions):
        try:
            for page in site_pages(course):
                pages.put((index, page.path, page.text))
        except Exception as exc:  # a fault of ours: the build names it instead of hanging
            pages.put((index, None, f"the pages could not be rendered: {exc!r}"))
            raise HandoutError(f"the pages could not be rendered: {exc!r}") from None


class _HandOver(threading.Thread):
    """Sends the editions to the child. Pickling a course and waiting for the child to start and
    read it takes seconds at 1,000 lessons, which the pages' build would otherwise wait for."""

    def __init__(self, outbox: Connection, editions: tuple[tuple[Course, str], ...]) -> None:
        super().__init__(name="coursesmith-handouts-hand-over", daemon=True)
        self._outbox = outbox
        self._editions: tuple[tuple[Course, str], ...] | None = editions
        self.error: str | None = None

    def run(self) -> None:
        try:
            self._outbox.send(self._editions)
        except OSError:
            pass  # the child is gone: its missing report says so
        except Exception as exc:  # a model that will not pickle: a fault of ours, named by wait
            self.error = f"the course could not be handed to the handout process: {exc}"
        finally:
            self._editions = None
            self._outbox.close()


class HandoutJob:
    """One running handout process, the thread that hands it the courses (when spawned), the
    queue its pages come through (when asked for) and the pipe it reports through."""

    def __init__(
        self,
        process: BaseProcess,
        report: Connection,
        hand_over: _HandOver | None,
        editions: Editions,
        pages: Any = None,
    ) -> None:
        self._process = process
        self._editions = editions
        self._report = report
        self._hand_over = hand_over
        self._pages = pages
        self._received: dict[tuple[int, str], str] = {}

    @classmethod
    def start(
        cls,
        editions: Editions,
        site_dir: Path,
        fingerprint: str,
        pdf: bool,
        trainer: bool = False,
        *,
        pages: bool = False,
        fork: bool | None = None,
    ) -> HandoutJob:
        """Start writing the handouts of each loaded course of ``editions`` into its folder of
        ``site_dir`` (``""``: ``site_dir`` itself), after rendering every page of each for
        ``page`` when ``pages`` is set. The child is forked when ``fork`` says so (default:
        when this process runs no other thread), else spawned, and the courses then travel to it
        by pickle, through a pipe of their own, while this process goes on."""
        forked = fork_rules.can_fork() if fork is None else fork
        context = (
            multiprocessing.get_context("fork") if forked else multiprocessing.get_context("spawn")
        )
        receiver, sender = context.Pipe(duplex=False)
        page_queue = context.Queue() if pages else None
        common = (str(site_dir), fingerprint, pdf, sender, trainer, page_queue)
        if forked:
            process = context.Process(
                target=run_job, args=(editions, *common), name="coursesmith-handouts", daemon=True
            )
            fork_rules.start_forked(process)
            sender.close()
            return cls(process, receiver, None, editions, page_queue)
        inbox, outbox = context.Pipe(duplex=False)
        process = context.Process(
            target=write_handouts,
            args=(inbox, *common),
            name="coursesmith-handouts",
            daemon=True,  # never outlives the build, even if the parent dies unexpectedly
        )
        process.start()
        # Only the child holds the sending end now, so its death without a word reads as EOF;
        # and the receiving end of the courses, so a child gone makes their sending fail.
        sender.close()
        inbox.close()
        hand_over = _HandOver(outbox, editions)
        hand_over.start()
        return cls(process, receiver, hand_over, editions, page_queue)

    def page(self, edition: int, path: str) -> str:
        """The text of the page at ``path`` of edition ``edition``, as the child rendered it:
        waits for it if it has not come yet; PagesLost if it never will."""
        key = (edition, path)
        while key not in self._received:
            if self._pages is None:
                raise PagesLost("the build asked for a page its handout process does not render")
            try:
                index, got, text = self._pages.get(timeout=_POLL)
            except queue.Empty:
                if not self._process.is_alive():
                    # A lost process says nothing about the pages: render them here instead.
                    self._render_here(edition)
                continue
            if got is None:
                raise PagesLost(text)
            self._received[(index, got)] = text
        return self._received[key]

    def _render_here(self, edition: int) -> None:
        """Render the pages of ``edition`` in this process, after the child ended without
        sending them (killed, or a spawned child that could not start)."""
        course = self._editions[edition][0]
        self._received.update(((edition, page.path), page.text) for page in render_site(course))

    def wait(self) -> None:
        """Block until the handouts are written; raise HandoutError if they were not."""
        try:
            try:
                message = self._report.recv()
            except EOFError:
                self._process.join()
                raise HandoutProcessLost(
                    "the handout process ended without a report "
                    f"(exit code {self._process.exitcode}); no handout was published"
                ) from None
            self._process.join(_GRACE)
            error = None
            if self._hand_over is not None:
                self._hand_over.join()
                error = self._hand_over.error
            if message is not None:
                raise HandoutError(error or str(message))
        finally:
            self.stop()

    def stop(self) -> None:
        """End the child if it still runs and release the pipes; safe to call more than once."""
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(_GRACE)
            if self._process.is_alive():
                self._process.kill()
        self._process.join()
        # With the child gone, a send still under way fails at once.
        if self._hand_over is not None:
            self._hand_over.join()
        self._report.close()
        if self._pages is not None:
            self._pages.close()
            self._pages.cancel_join_thread()


def write_handouts_here(
    course: Course, site_dir: Path, fingerprint: str, pdf: bool, trainer: bool = False
) -> list[Path]:
    """Write the handouts in this process, after a lost handout process: whatever it left in the
    handout folders (which hold nothing else) is removed first."""
    for module in course.modules:
        shutil.rmtree(site_dir / addresses.handout_folder(module.slug), ignore_errors=True)
    return publish_handouts(course, site_dir, fingerprint, pdf=pdf, trainer=trainer)
