"""Work done on both cores: one part in a forked copy of this process, the other here.

A build's steps before and after an engine that reads its input from disk (rendering the pages,
compacting the built ones) would otherwise use one core of two. ``in_parallel`` forks a child for
one part, does the other here and takes the child's result back by pickle. A process with other
threads forks nothing (``can_fork``: a forked copy of it could deadlock), and a child that fails
or is lost says nothing about its part: both are then done here, one after the other, with the
same result. The fork rules of the handout process and the page writer are the ones here.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TypeVar


def can_fork() -> bool:
    """Whether a child may be forked: only while this process runs no other thread."""
    return threading.active_count() == 1


def start_forked(process: BaseProcess) -> None:
    """Start a forked child with this process's objects frozen out of the garbage collector's
    reach (gc.freeze): the child's collections then leave the pages of memory it shares with this
    process alone, rather than copying the whole loaded course into it."""
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()


T = TypeVar("T")
U = TypeVar("U")


def _run(part: Callable[[], T], out: Connection) -> None:
    try:
        result = part()
    except BaseException:
        out.send((False, None))
    else:
        out.send((True, result))
    out.close()


def in_parallel(there: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """``there()`` in a forked child and ``here()`` in this process, at the same time; both
    results. Without a child (threads, a failed fork), or when the child fails or is lost,
    ``there()`` runs here after ``here()``."""
    if not can_fork():
        return there(), here()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(there, sender), name="coursesmith-part", daemon=True)
    try:
        start_forked(child)
    except OSError:
        receiver.close()
        sender.close()
        return there(), here()
    sender.close()
    try:
        mine = here()
        try:
            done, theirs = receiver.recv()
        except (EOFError, OSError):
            done, theirs = False, None
    finally:
        if child.is_alive():  # here() failed, or the child is closing after its report
            child.terminate()
        child.join()
        receiver.close()
    return (theirs if done else there()), mine
