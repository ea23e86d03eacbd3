"""Deterministic, safe zip archives: sorted entries, one fixed timestamp, fixed permissions,
relative normalised entry names only, written beside the target and renamed into place, so no
partial archive ever exists."""

from __future__ import annotations

import datetime as _dt
import io
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.output.guard import file_mode

# Zip timestamps are DOS dates: nothing before 1980 can be stored.
_DOS_EPOCH = _dt.datetime(1980, 1, 1)
_UNSAFE = re.compile(r"[\\:\x00-\x1f\x7f]")


class ArchiveError(ValueError):
    """An entry name or output name that could escape the output folder, or a write that failed."""


def archive_time(last_reviewed: _dt.date) -> tuple[int, int, int, int, int, int]:
    """The timestamp of every entry: SOURCE_DATE_EPOCH when set, else the course's review date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        # UTC on purpose: the local time zone must not change the bytes.
        moment = _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).replace(tzinfo=None)
    else:
        moment = _dt.datetime.combine(last_reviewed, _dt.time())
    moment = max(moment, _DOS_EPOCH)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def check_entry_name(name: str) -> str:
    """The name unchanged if it is a relative, normalised POSIX path; ArchiveError otherwise."""
    if (
        not name
        or name.startswith("/")
        or _UNSAFE.search(name)
        or posixpath.normpath(name) != name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise ArchiveError(f"unsafe archive entry name {name!r}: expected a relative POSIX path")
    return name


def zip_bytes(entries: Mapping[str, bytes], when: tuple[int, int, int, int, int, int]) -> bytes:
    """The archive of ``entries`` as bytes: same entries and time, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(check_entry_name(name), date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below mean the same everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def output_path(folder: Path, name: str) -> Path:
    """The file ``name`` directly inside ``folder``, refusing any name that would leave it."""
    if "/" in name or name in ("", ".", "..") or _UNSAFE.search(name):
        raise ArchiveError(f"unsafe output file name {name!r}")
    return folder / name


def write_all(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Write every file or none: each goes to a temporary file first, and only when all are
    written are they renamed into place, so a failure leaves earlier exports as they were."""
    paths = [output_path(folder, name) for name, _data in files]
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[str] = []
    try:
        for (name, data), _path in zip(files, paths, strict=True):
            handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
            temps.append(temp)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temp, file_mode())  # mkstemp makes 0600; exports are handed to others
        for temp, path in zip(temps, paths, strict=True):
            os.replace(temp, path)
    finally:
        for temp in temps:
            if os.path.exists(temp):
                os.unlink(temp)
    return paths


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``folder/name`` through a temporary file renamed into place."""
    return write_all(folder, [(name, data)])[0]
