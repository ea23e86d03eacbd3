"""Running pandoc on a checked Word or OpenDocument file: its JSON syntax tree, or one line saying
why not. pandoc comes with the ``pypandoc-binary`` wheel (a dependency), or from the system.

pandoc runs sandboxed (it reads the one file it is given and nothing else, writes nothing), with
its heap capped and a time limit, and with ``--track-changes=all`` so that insertions, deletions
and comments reach us as marked spans: the importer, not pandoc, decides what to do with them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from generator.importer.container import Refused, WordFormat

TIMEOUT_SECONDS = 60
HEAP = "-M400m"


def pandoc_path() -> str | None:
    """The pandoc binary: the wheel's own, else one on PATH."""
    try:
        import pypandoc  # type: ignore[import-untyped]

        found = pypandoc.get_pandoc_path()
        return str(found) if found else None
    except (ImportError, OSError):
        return shutil.which("pandoc")


def read_tree(path: Path, kind: WordFormat) -> dict[str, Any]:
    """pandoc's JSON AST of the document."""
    binary = pandoc_path()
    if binary is None:
        raise Refused(
            "pandoc is not installed; run 'make .venv/.installed' (it comes with pypandoc-binary)"
        )
    command = [
        binary,
        "--sandbox",
        "--from",
        kind,
        "--to",
        "json",
        "--track-changes=all",
        str(path),
        "+RTS",
        HEAP,
        "-RTS",
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False, stdin=None
        )
    except subprocess.TimeoutExpired as exc:
        raise Refused(f"reading the document took over {TIMEOUT_SECONDS} s; not imported") from exc
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = "".join(c for c in (first[0] if first else "") if c.isprintable())[:120]
        raise Refused(f"the document could not be read ({reason or 'pandoc failed'})")
    tree: dict[str, Any] = json.loads(done.stdout)
    return tree
