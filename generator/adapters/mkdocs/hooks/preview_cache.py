"""What a dirty `mkdocs serve` of a staged input (`coursesmith serve`) keeps from one rebuild to
the next. MkDocs loads the configuration, and so runs the hooks file, afresh for every rebuild:
this module is imported once, so what it holds lasts as long as the server."""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates by name and source checksum (Jinja checks the checksum, so a template
    edited since is compiled again): each rebuild would otherwise compile the theme's templates
    anew, about half of a one-page rebuild."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# Set by the first configuration's on_startup: whether this process is a dirty `serve`.
dirty_serve = False
templates = MemoryBytecodeCache()
# The theme's static files MkDocs lists, by theme folders, static templates and staging time.
theme_files: dict[tuple[tuple[str, ...], frozenset[str], int], list[str]] = {}
