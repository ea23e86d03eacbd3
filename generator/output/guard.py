"""The one rule for every folder Coursesmith writes its output into: the site (``build
--site-dir``, ``site_dir:`` in mkdocs.yml, ``mkdocs build`` through the plugin), ``handouts
--out`` and ``export --out``.

A build replaces its output folder whole, so the folder must be one that holds nothing else.
``check_output`` refuses, before anything is written, a folder that

- is ``/`` or the home folder;
- is the project folder or lies above it;
- is, contains or lies inside one of the project's sources (``content/``, ``quizzes/``,
  ``docs/``, the configured docs and theme folders);
- is an existing file;
- is an existing non-empty folder without our marker file (``MARKER``), which every site and
  handout folder we write carries: a folder no Coursesmith build made. An export folder, whose
  files an export only adds or replaces one by one, carries no marker: it is ours while it
  holds nothing but files named as exports are (``EXPORT_FILE``) and language folders of them.
  ``force`` allows this last case only, for a folder the author means to hand over.

The temporary folders a build works in beside its output (``.site-new-*``, ``.site-stage-*``,
``.site-handouts-*``, ``.site-old-*``) are made by ``temporary_folder``, which marks each with
the process that owns it; ``sweep_leftovers`` removes those whose process has ended (an
interrupted build), and nothing else. Folders are made with the modes the caller's umask gives
(0755 under the usual 022), so a web server running as another user can read the site.

This lives in the core, beside ``addresses`` (which names the files inside an output folder),
because the CLI, the build pipeline, the MkDocs plugin and the exports all ask it; ``addresses``
itself stays free of I/O.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generator.source.layout import CONTENT, QUIZZES

# In every output folder a Coursesmith build writes; its presence is what allows replacing it.
MARKER = ".coursesmith-output"
MARKER_TEXT = (
    "This folder is written by Coursesmith: every build replaces it whole, and anything put\n"
    "here by hand is lost. Coursesmith replaces only folders that hold this file.\n"
)
# In every temporary folder of a running build: the host and process that own it.
PARTIAL = ".coursesmith-partial"
TEMPORARY_PREFIXES = (".site-new-", ".site-stage-", ".site-handouts-", ".site-old-")
_TEMPORARY = re.compile(r"\.site-(new|stage|handouts|old)-[a-z0-9_]{8}")
# The files an export writes (gift.py, qti.py, moodle.py, scorm.py, xapi.py and offline.py name
# them), and what an interrupted write of one leaves (archive.write_all's temporary files).
EXPORT_FILE = re.compile(
    r"\.?[a-z0-9][a-z0-9-]*(\.gift|-qti12\.zip|-moodle\.xml|-scorm12\.zip|-cmi5\.zip|-xapi\.zip"
    r"|-offline\.zip)"
    r"(\.[a-z0-9_]+\.part)?"
)
# The folder of a further language's exports (exports/de/).
_LANGUAGE_FOLDER = re.compile(r"[a-z]{2,3}")
# The project's own folders an output folder may never be, contain or lie in.
SOURCE_FOLDERS = (CONTENT, QUIZZES, "docs")
# Seconds after which an empty temporary folder without an owner mark is taken as abandoned.
_SETTLED = 60.0


class OutputRefused(Exception):
    """The output folder cannot be used; the message says why and what to do, in one line."""


def _shown(path: Path, project: Path) -> str:
    if not path.is_relative_to(project):
        return str(path)
    return str(path.relative_to(project)) + ("" if path.is_file() else "/")


def check_output(
    folder: Path,
    project: Path,
    *,
    what: str = "output folder",
    roots: Iterable[Path] = (),
    sources: Iterable[Path | None] = (),
    force: bool = False,
    force_hint: str = "pass --force to replace it all the same",
    exports: bool = False,
) -> Path:
    """``folder`` made absolute (relative to ``project``), or OutputRefused saying why it cannot
    hold the output of ``project``. ``roots`` are further project folders (the course's, when
    the configuration puts it elsewhere), ``sources`` further folders of the project's own
    (docs and theme folders from its configuration); ``force_hint`` says how to allow a folder
    no build of ours made; ``exports``: the folder is an export folder. Nothing is written."""
    project = project.resolve()
    path = (project / folder).resolve()
    shown = _shown(path, project)
    if path == Path(path.anchor):
        raise OutputRefused(f"the {what} cannot be the root folder /, expected a folder of its own")
    with contextlib.suppress(RuntimeError):  # no home folder known
        if path == Path.home().resolve():
            raise OutputRefused(
                f"the {what} cannot be the home folder {path}, expected a folder of its own"
            )
    folders = [project, *(root.resolve() for root in roots)]
    for root in folders:
        if root.is_relative_to(path):
            where = "the project folder" if path == root else "above the project folder"
            raise OutputRefused(
                f"the {what} {shown} is {where} and would be replaced with it, expected a "
                "folder of its own such as site/"
            )
    owned = [root / name for root in folders for name in SOURCE_FOLDERS]
    _check_sources(path, project, shown, what, [*owned, *sources])
    if path.exists() and not path.is_dir():
        raise OutputRefused(f"the {what} {shown} is an existing file, expected a folder")
    if not force and path.is_dir() and not (is_export_folder(path) if exports else is_ours(path)):
        missing = "files that are not exports" if exports else f"no {MARKER} in it"
        raise OutputRefused(
            f"the {what} {shown} holds files no Coursesmith build wrote ({missing}), "
            f"expected an empty or new folder; {force_hint}"
        )
    return path


def _check_sources(
    path: Path, project: Path, shown: str, what: str, sources: Iterable[Path | None]
) -> None:
    for source in [(project / s).resolve() for s in sources if s is not None]:
        if source.is_relative_to(path) or path.is_relative_to(source):
            relation = (
                "is"
                if source == path
                else ("contains" if source.is_relative_to(path) else "lies inside")
            )
            raise OutputRefused(
                f"the {what} {shown} {relation} the project's {_shown(source, project)}, "
                "expected a folder of its own such as site/"
            )


# A site built before sites carried the marker: its home page, with our stylesheet where every
# site of ours keeps it. Without this, upgrading Coursesmith would refuse the author's own site/.
_UNMARKED_SITE = ("index.html", "assets/coursesmith.css")


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` may be replaced: it is empty, carries our marker, or is a site an
    older Coursesmith built."""
    try:
        with os.scandir(folder) as entries:
            names = {entry.name for entry in entries}
    except OSError:
        return False
    if not names or MARKER in names:
        return True
    return all((folder / name).is_file() for name in _UNMARKED_SITE)


def is_export_folder(folder: Path) -> bool:
    """Whether ``folder`` holds nothing but exports and further languages' export folders."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    for path in entries:
        if path.is_symlink():
            return False
        if path.is_dir() and _LANGUAGE_FOLDER.fullmatch(path.name):
            if not is_export_folder(path):
                return False
        elif not path.is_file() or EXPORT_FILE.fullmatch(path.name) is None:
            return False
    return True


def mark(folder: Path) -> None:
    """Mark ``folder`` as an output folder of ours."""
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def prepare(folder: Path) -> Path:
    """Create ``folder`` (checked with ``check_output``) if needed and mark it as ours."""
    folder.mkdir(parents=True, exist_ok=True)
    mark(folder)
    return folder


def _owner() -> str:
    return f"{socket.gethostname()} {os.getpid()}\n"


def temporary_folder(parent: Path, prefix: str) -> Path:
    """A new folder ``parent/<prefix><8 random characters>`` made with the umask's mode (not
    mkdtemp's 0700), marked with the process that owns it."""
    while True:
        path = spare_name(parent, prefix)
        try:
            path.mkdir()
        except FileExistsError:
            continue
        (path / PARTIAL).write_text(_owner(), encoding="utf-8")
        return path


def spare_name(parent: Path, prefix: str) -> Path:
    """A name for a temporary folder in ``parent`` that nothing has yet."""
    assert prefix in TEMPORARY_PREFIXES
    while True:
        path = parent / (prefix + secrets.token_hex(4))
        if not path.exists() and not path.is_symlink():
            return path


def finish(folder: Path) -> None:
    """A temporary folder becomes an output folder: its owner mark goes, our marker comes."""
    (folder / PARTIAL).unlink(missing_ok=True)
    mark(folder)


def _abandoned(folder: Path) -> bool:
    """Whether ``folder`` is a temporary folder of ours whose build has ended."""
    if not _TEMPORARY.fullmatch(folder.name) or folder.is_symlink() or not folder.is_dir():
        return False
    try:
        owner = (folder / PARTIAL).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        # An old site moved aside carries our marker. An empty one may have been made a moment
        # ago by a build still running, before its owner mark: only an old one is abandoned.
        if (folder / MARKER).is_file():
            return True
        return not any(folder.iterdir()) and time.time() - folder.stat().st_mtime > _SETTLED
    except (OSError, UnicodeDecodeError):
        return False
    if len(owner) != 2 or not owner[1].isdigit() or owner[0] != socket.gethostname():
        return False
    try:
        os.kill(int(owner[1]), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False


# Threads that remove a folder's entries side by side: the system calls of removing files leave
# Python's interpreter free, and the file system takes several at once (a 1,000-lesson site:
# 1.18 s with one thread, 0.68 s with four).
_REMOVERS = 4


def remove_tree(folder: Path) -> None:
    """Remove ``folder`` (one of ours: a spent staging folder or a replaced site) and all it
    holds, its top-level entries side by side; what cannot be removed is left, as
    ``shutil.rmtree(..., ignore_errors=True)`` leaves it (sweep_leftovers tries again later)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    with ThreadPoolExecutor(_REMOVERS, thread_name_prefix="coursesmith-remove") as pool:
        list(pool.map(_remove_entry, entries))
    shutil.rmtree(folder, ignore_errors=True)


def _remove_entry(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def sweep_leftovers(parent: Path) -> list[Path]:
    """Remove the temporary folders interrupted builds left in ``parent``; return them."""
    removed: list[Path] = []
    try:
        candidates = sorted(parent.iterdir())
    except OSError:
        return removed
    for folder in candidates:
        if folder.name.startswith(TEMPORARY_PREFIXES) and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def file_mode() -> int:
    """The mode a new file gets under the caller's umask (0644 under the usual 022), for files
    written through mkstemp, which makes them 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def os_error_message(exc: OSError, target: Path) -> str:
    """A machine fault while writing ``target`` as one line: what failed, and where."""
    reason = exc.strerror or str(exc)
    return f"cannot write {target}: {reason}"
