"""Content fingerprints: a short hash of the content files a site and its handouts come from, and
of one file (recorded by its translations).

Printed on every handout page and in the site footer, so a trainer can tell whether a paper copy
matches what is online. It is computed here and nowhere else.
"""

from __future__ import annotations

import hashlib
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
    root = root.resolve()
    files: list[tuple[str, Path]] = []
    for folder in (CONTENT, QUIZZES):
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                files.append((relative.as_posix(), path))
    for name, path in sorted(files):
        data = path.read_bytes().replace(b"\r\n", b"\n")
        encoded = name.encode("utf-8")
        # Lengths first: no two different file sets can give the same byte stream.
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:LENGTH]


def file_fingerprint(path: Path) -> str:
    """The fingerprint of one content file, which its translations record as
    ``source_fingerprint`` to tell when the source has changed since: a short hash of its bytes,
    line endings normalised as above."""
    data = path.read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()[:LENGTH]
