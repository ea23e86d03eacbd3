"""The npm packages the tests use as real clients, installed by `make test` into tests/node.

A missing package is a failure, not a skip: `make test` installs them, so their absence means
the install step is broken, which CI must see.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
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


def nu_html_errors(
    files: Iterable[Path], base: Path, *, css: bool = False, ignore: Iterable[str] = ()
) -> list[str]:
    """The Nu HTML Checker's errors in ``files`` (``css``: stylesheets among them are checked
    too), each as ``path:line: message`` with the path under ``base``; errors whose source
    extract contains one of ``ignore`` are left out."""
    jar = node_package("vnu-jar") / "build" / "dist" / "vnu.jar"
    options = ["--also-check-css"] if css else ["--errors-only"]
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", *options, "--exit-zero-always"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        check=True,
    )
    skipped = tuple(ignore)
    return [
        f"{m['url'].split(str(base))[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stderr)["messages"]
        if m["type"] == "error" and not any(part in m.get("extract", "") for part in skipped)
    ]
