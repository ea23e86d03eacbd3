"""Content fingerprints: a short hash of the content files a site and its handouts come from, and
of one file (recorded by its translations).

Printed on every handout page and in the site footer, so a trainer can tell whether a paper copy
matches what is online. It is computed here and nowhere else.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from generator.source.layout import CONTENT, QUIZZES

# Hex digits shown: 48 bits, ample to tell two revisions of one course apart.
LENGTH = 12


def content_fingerprint(root: Path) -> str:
    """The fingerprint of the course at ``root``: every file under content/ and quizzes/.

    Each file counts with its path relative to ``root``, so a renamed lesson changes the
    fingerprint. Hidden files and folders (editor schemas, swap files) are left out, and line
    endings are normalised: the same content checked out on Windows gives the same fingerprint.
    """
    digest = hashlib.sha256()
    for name, path in sorted(content_files(root.resolve())):
        with open(path, "rb") as file:
            data = file.read().replace(b"\r\n", b"\n")
        encoded = name.encode("utf-8")
        # Lengths first: no two different file sets can give the same byte stream.
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:LENGTH]


def content_files(root: Path) -> list[tuple[str, str]]:
    """Every file under content/ and quizzes/ of the project at ``root``, as (its POSIX path
    relative to ``root``, its path), content/ first, each folder in the order it lists them.

    Hidden files and folders are left out; a symbolic link to a file counts, a link to a folder
    is not walked into (as ``Path.rglob`` and ``Path.is_file`` find them)."""
    found: list[tuple[str, str]] = []
    for folder in (CONTENT, QUIZZES):
        base = root / folder
        if base.is_dir():
            _walk(str(base), folder, found)
    return found


def _walk(folder: str, rel: str, found: list[tuple[str, str]]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return  # as Path.rglob
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = f"{rel}/{entry.name}"
        if _entry_is(entry.is_dir) and not entry.is_symlink():
            _walk(entry.path, child, found)
        elif _entry_is(entry.is_file):
            found.append((child, entry.path))


# The errors Path.is_file and Path.is_dir take for "no" (a dangling or looping link).
_NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _entry_is(test: Callable[[], bool]) -> bool:
    try:
        return test()
    except OSError as exc:
        if exc.errno in _NOT_THERE:
            return False
        raise


def file_fingerprint(path: Path) -> str:
    """The fingerprint of one content file, which its translations record as
    ``source_fingerprint`` to tell when the source has changed since: a short hash of its bytes,
    line endings normalised as above."""
    data = path.read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()[:LENGTH]
