"""A translation file as a translator sent it back, whatever its format (XLIFF or PO): its
language and, per source file, each unit's target with the line it is on."""

from __future__ import annotations

from dataclasses import dataclass

from generator.translation_files.inline import ReturnedPart


class ReadError(Exception):
    """A file that cannot be read as the format it claims: the line and what is wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ReturnedUnit:
    """A unit as a translator sent it back; ``target`` None or empty: untranslated."""

    id: str
    line: int  # of its target (of the unit when there is none)
    target: tuple[ReturnedPart, ...] | None


@dataclass(frozen=True)
class ReturnedFile:
    """The units of one source file, with the fingerprint of the source they were made from."""

    path: str
    line: int
    fingerprint: str | None
    units: tuple[ReturnedUnit, ...]


@dataclass(frozen=True)
class ReturnedDocument:
    """A returned document: its target language (and where it says so) and its files."""

    language: str | None
    line: int
    files: tuple[ReturnedFile, ...]
