"""Golden files: outputs compared byte for byte with files under tests/goldens/, which are
written only on purpose, by `make goldens` (UPDATE_GOLDENS=1), never computed by the code under
test. Review a rewritten golden with `git diff` before committing it."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

GOLDENS = Path(__file__).parent / "goldens"


def assert_golden(name: str, data: bytes) -> None:
    """``data`` equals the golden file ``name``; with UPDATE_GOLDENS=1 it becomes the golden."""
    path = GOLDENS / name
    if os.environ.get("UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.is_file():
        pytest.fail(f"no golden file {path}; write it on purpose with `make goldens`")
    expected = path.read_bytes()
    if data != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(),
            data.decode("utf-8", "replace").splitlines(),
            f"golden/{name}",
            "output",
            lineterm="",
        )
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"{name} differs from its golden file (`make goldens` rewrites it):\n{shown}")
