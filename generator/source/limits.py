"""Limits on what a course may hold, far above any real course, so that a mistaken or hostile
file gets a message from ``check`` within seconds instead of exhausting the machine.

Each is checked while loading, before the expensive step it guards (parsing the YAML, converting
the Markdown, building the glossary's patterns). The benchmark's 1,000-lesson course stays far
inside every one (tests/test_limits.py holds it to that); README.md lists them for authors.
"""

from __future__ import annotations

from pathlib import Path

from generator.source.diagnostics import Diagnostics, Loc

# A content file (YAML or Markdown). The shipped course's largest is 16 KB; a 2 MB lesson is
# some 300,000 words, a book.
MAX_FILE_BYTES = 2_000_000
# An image a lesson shows: a photo from a camera is some 5 MB.
MAX_IMAGE_BYTES = 10_000_000
# How deep lists and blockquotes nest in Markdown (lessons and Markdown fields), and mappings and
# lists in YAML. Real courses nest 3 or 4 deep.
MAX_MARKDOWN_DEPTH = 20
MAX_YAML_DEPTH = 40
# Glossary entries of a course (the shipped course has 20; a whole field's vocabulary, 1,000).
MAX_GLOSSARY_TERMS = 5_000


def megabytes(size: int) -> str:
    """A size in megabytes as authors read it: '52.4 MB'."""
    return f"{size / 1_000_000:.1f} MB"


def too_large(
    path: Path, at: Loc, diags: Diagnostics, limit: int, what: str, hint: str = ""
) -> bool:
    """Whether the file at ``path`` is larger than ``limit`` bytes (an error at ``at`` then); its
    size is asked of the file system, nothing is read."""
    try:
        size = path.stat().st_size
    except OSError:
        return False  # reading it reports the reason
    if size <= limit:
        return False
    diags.error(
        at,
        f"{what} is {megabytes(size)}, more than the {megabytes(limit)} allowed, "
        "expected a smaller file",
        hint,
    )
    return True
