"""One load per build: every command that builds or exports reads the course and fingerprints it
once, in the command's process, and the handout process it starts is handed the course instead
of loading it again.

The count runs in every process: a ``sitecustomize`` on PYTHONPATH wraps ``load_course`` and
``content_fingerprint`` in each Python process that starts during the test (the spawned handout
process included) and writes a line per call, with the process id, to one file."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import generator.load
import generator.source.fingerprint
from generator.adapters import forked as fork_rules
from generator.adapters import handout_job
from generator.adapters.cli import main

from .conftest import build_with_mkdocs

COUNTED = {
    "load_course": (generator.load, generator.load.load_course),
    "content_fingerprint": (
        generator.source.fingerprint,
        generator.source.fingerprint.content_fingerprint,
    ),
}

SITECUSTOMIZE = """
import os

_FILE = os.environ.get("COURSESMITH_LOAD_COUNT")


def _counted(name, real):
    def counted(*args, **kwargs):
        with open(_FILE, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {name}\\n")
        return real(*args, **kwargs)

    return counted


if _FILE:
    import importlib

    with open(_FILE, "a", encoding="utf-8") as out:
        out.write(f"{os.getpid()} started\\n")
    for _name, _module in %r.items():
        _module = importlib.import_module(_module)
        setattr(_module, _name, _counted(_name, getattr(_module, _name)))
"""


def _counting(name: str, real: Callable[..., object], file: Path) -> Callable[..., object]:
    def counted(*args: object, **kwargs: object) -> object:
        with file.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {name}\n")
        return real(*args, **kwargs)

    return counted


@pytest.fixture(params=["spawned", "forked"])
def calls(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], Counter[str]]]:
    """Count the loads and fingerprints of every process from here on; the fixture's value
    gives the count so far as 'name' (this process) and 'child name' (any other), with
    'child started' for each other Python process that started. The build's children are
    spawned (each a new interpreter, which the hook on PYTHONPATH counts in) or forked (each a
    copy of this process, with this process's counting in place, and a line when its job
    starts)."""
    file = tmp_path / "calls.txt"
    file.touch()
    forked = request.param == "forked"
    monkeypatch.setattr(fork_rules, "can_fork", lambda: forked)
    if forked:
        monkeypatch.setattr(handout_job, "run_job", _started(handout_job.run_job, file))
    hook = tmp_path / "count-hook"
    hook.mkdir()
    modules = {name: module.__name__ for name, (module, _real) in COUNTED.items()}
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE % modules, encoding="utf-8")
    monkeypatch.setenv("COURSESMITH_LOAD_COUNT", str(file))
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", str(hook) + (os.pathsep + path if path else ""))
    # In this process every name bound to one of the functions is replaced; a module imported
    # during the test binds the replacement from its own module, and is put back afterwards.
    wrappers = {}
    for name, (_module, real) in COUNTED.items():
        wrappers[name] = _counting(name, real, file)
        for module in list(sys.modules.values()):
            if _bound(module, name) is real:
                monkeypatch.setattr(module, name, wrappers[name])

    def count() -> Counter[str]:
        here = str(os.getpid())
        lines = (line.split(" ", 1) for line in file.read_text(encoding="utf-8").splitlines())
        return Counter(name if pid == here else f"child {name}" for pid, name in lines)

    yield count
    for name, (_module, real) in COUNTED.items():
        for module in list(sys.modules.values()):
            if _bound(module, name) is wrappers[name]:
                setattr(module, name, real)


def _started(job: Callable[..., None], file: Path) -> Callable[..., None]:
    def started(*args: object, **kwargs: object) -> None:
        with file.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} started\n")
        job(*args, **kwargs)

    return started


def _bound(module: object, name: str) -> object:
    """What ``name`` is bound to in ``module``'s namespace (never its ``__getattr__``)."""
    return getattr(module, "__dict__", {}).get(name)


def once_with_a_child(count: Counter[str]) -> None:
    """One load and one fingerprint, here; a handout process that really ran and did neither."""
    assert count["load_course"] == 1, count
    assert count["content_fingerprint"] == 1, count
    assert count["child started"] >= 1, count  # the counting hook ran in the handout process
    assert count["child load_course"] == 0, count
    assert count["child content_fingerprint"] == 0, count


def test_build_loads_the_course_once_handouts_included(
    minimal_course: Path, calls: Callable[[], Counter[str]]
) -> None:
    assert main(["--root", str(minimal_course), "build"]) == 0
    once_with_a_child(calls())
    assert (minimal_course / "site" / "m1" / "handouts" / "module-handout-a4.html").is_file()


def test_mkdocs_build_with_the_plugin_loads_the_course_once(
    minimal_course: Path, calls: Callable[[], Counter[str]]
) -> None:
    build_with_mkdocs(minimal_course / "mkdocs.yml")
    once_with_a_child(calls())
    assert (minimal_course / "site" / "m1" / "handouts" / "module-handout-a4.html").is_file()


def test_export_offline_builds_from_the_course_it_checked(
    minimal_course: Path, calls: Callable[[], Counter[str]]
) -> None:
    assert main(["--root", str(minimal_course), "export", "offline"]) == 0
    once_with_a_child(calls())
    assert [p.name for p in (minimal_course / "exports").iterdir()] == ["demo-offline.zip"]


@pytest.mark.parametrize("command", [["handouts"], ["export", "scorm"]])
def test_handouts_and_packages_load_the_course_once(
    command: list[str], minimal_course: Path, calls: Callable[[], Counter[str]]
) -> None:
    assert main(["--root", str(minimal_course), *command]) == 0
    count = calls()
    assert count["load_course"] == 1, count
    assert count["content_fingerprint"] <= 1, count
    assert not [name for name in count if name.startswith("child")], count
