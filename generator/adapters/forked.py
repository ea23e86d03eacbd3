"""Work done on both cores: one part in a forked copy of this process, the other here.

A build's steps before and after an engine that reads its input from disk (rendering the pages,
compacting the built ones) would otherwise use one core of two. ``in_parallel`` forks a child for
one part, does the other here and takes the child's result back by pickle. A process with other
threads forks nothing (see handout_job), and a child that fails or is lost says nothing about
its part: both are then done here, one after the other, with the same result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

from generator.adapters import handout_job

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
    if not handout_job.can_fork():
        return there(), here()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(there, sender), name="coursesmith-part", daemon=True)
    try:
        child.start()
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
