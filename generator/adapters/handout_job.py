"""The handouts of a real build, written by a separate process while MkDocs builds the pages.

Writing the handouts (the module handout converts every lesson again, and PDFs take seconds of
WeasyPrint each) would otherwise follow the page build; in a child process they overlap with it.
The child is spawned, not forked: builds run inside processes with threads (``mkdocs serve``,
pytest with a browser), and forking a process with threads can deadlock the child.

The child is handed the course the build loaded and checked, with its fingerprint, and never
reads the content again: what the site shows and what the handouts print is the same load.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.model import Course, addresses
from generator.render.pdf import HandoutError, publish_handouts

# Seconds a terminated child gets to exit before it is killed.
_GRACE = 5.0


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
) -> None:
    """In the child: receive the editions from ``inbox`` (each a language's course and its folder
    in ``site_dir``) and write their handouts, stamped with ``fingerprint``; the trainer edition
    only with ``trainer``.

    Sends ``None`` on success, or the message that names what failed.
    """
    message: str | None
    # The pages are the build's critical path; the handouts have until MkDocs is done.
    os.nice(5)
    try:
        editions: tuple[tuple[Course, str], ...] = inbox.recv()
        inbox.close()
        for course, folder in editions:
            publish_handouts(course, Path(site_dir) / folder, fingerprint, pdf=pdf, trainer=trainer)
        message = None
    except EOFError:
        message = "the handout process was handed no course; no handout was published"
    except HandoutError as exc:
        message = str(exc)
    except OSError as exc:
        message = f"the handouts could not be written: {exc}"
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group; the parent reports it, the child stays quiet.
        return
    report.send(message)
    report.close()


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
    """One running handout process, the thread that hands it the courses, and the pipe it
    reports through."""

    def __init__(self, process: BaseProcess, report: Connection, hand_over: _HandOver) -> None:
        self._process = process
        self._report = report
        self._hand_over = hand_over

    @classmethod
    def start(
        cls,
        editions: tuple[tuple[Course, str], ...],
        site_dir: Path,
        fingerprint: str,
        pdf: bool,
        trainer: bool = False,
    ) -> HandoutJob:
        """Start writing the handouts of each loaded course of ``editions`` into its folder of
        ``site_dir`` (``""``: ``site_dir`` itself). The courses travel to the child by pickle,
        through a pipe of their own, while this process goes on."""
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        inbox, outbox = context.Pipe(duplex=False)
        process = context.Process(
            target=write_handouts,
            args=(inbox, str(site_dir), fingerprint, pdf, sender, trainer),
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
        return cls(process, receiver, hand_over)

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
            self._hand_over.join()
            if message is not None:
                raise HandoutError(self._hand_over.error or str(message))
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
        self._hand_over.join()
        self._report.close()


def write_handouts_here(
    course: Course, site_dir: Path, fingerprint: str, pdf: bool, trainer: bool = False
) -> list[Path]:
    """Write the handouts in this process, after a lost handout process: whatever it left in the
    handout folders (which hold nothing else) is removed first."""
    for module in course.modules:
        shutil.rmtree(site_dir / addresses.handout_folder(module.slug), ignore_errors=True)
    return publish_handouts(course, site_dir, fingerprint, pdf=pdf, trainer=trainer)
