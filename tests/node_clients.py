"""The npm packages the tests use as real clients, installed by `make test` into tests/node.

A missing package is a failure, not a skip: `make test` installs them, so their absence means
the install step is broken, which CI must see.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).parent / "node" / "node_modules"


def node_package(name: str) -> Path:
    """The folder of an installed npm test client, e.g. ``node_package("scorm-again")``."""
    folder = NODE_MODULES / name
    if not (folder / "package.json").is_file():
        pytest.fail(f"npm package {name!r} is missing from {NODE_MODULES}; run `make test`")
    return folder


def node_executable() -> str:
    """The Node.js interpreter (Debian's, installed by `make test`)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; run `make test`")
    return node
