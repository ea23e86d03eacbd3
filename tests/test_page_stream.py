"""A MkDocs build takes its pages as the handout process renders them, and has them compacted
and written by a page writer: the site is the same to the byte as one built from pages staged
on disk and compacted in place, and every way these processes can fail ends in one line."""

from __future__ import annotations

import multiprocessing
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from material.plugins.search.plugin import SearchIndex
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.adapters import forked as fork_rules
from generator.adapters import handout_job
from generator.adapters.mkdocs import page_writer, search_offload
from generator.adapters.mkdocs.build import MkDocsEngine
from generator.adapters.mkdocs.hooks import staged
from generator.adapters.pipeline import BuildFailed, LoadedCourse, build_site
from generator.load import load_course
from generator.model import Course
from generator.render.pages import Page, render_site

from .conftest import FIXTURES, REPO, copy_course, copy_rich_course


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("course", ["shipped", "rich", "multilingual"])
def test_the_navigation_lists_every_page_in_the_order_they_are_rendered(
    course: str, tmp_path: Path
) -> None:
    """The staged input names the pages it leaves out by the navigation's paths: in every
    language of every course, they are the rendered pages, in their order."""
    root = {
        "shipped": REPO,
        "rich": FIXTURES / "rich",
        "multilingual": FIXTURES / "multilingual",
    }[course]
    loaded = LoadedCourse.load(root)
    for planned in loaded.sites(rendered=False):
        assert planned.pages == ()
        rendered = tuple(page.path for page in render_site(planned.course))
        assert planned.page_paths == rendered, planned.course.language
        assert len(rendered) > 5


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The rich course (images, tables, code, admonitions, a German section) built by MkDocs
    twice: with its pages staged on disk and compacted in place, as before; and handed over by
    the handout process and written by the page writer."""
    project = copy_rich_course(tmp_path_factory.mktemp("stream"), pdf=False)
    patch = pytest.MonkeyPatch()
    real_writing = page_writer.writing
    try:
        patch.setattr(MkDocsEngine, "takes_pages", False)
        patch.setattr(page_writer, "writing", _no_writer)
        on_disk = build_site(project / "mkdocs.yml", project / "on-disk")
        # The streamed build as `coursesmith build` runs it: children forked, pages written by
        # the page writer (a pytest process may run threads, which would make it spawn).
        patch.setattr(MkDocsEngine, "takes_pages", True)
        patch.setattr(page_writer, "writing", real_writing)
        patch.setattr(fork_rules, "can_fork", lambda: True)
        handed, built = _counted(patch)
        streamed = build_site(project / "mkdocs.yml", project / "streamed")
    finally:
        patch.undo()
    # Every page MkDocs built went to the writer's search index, none to the plugin's own.
    assert len(handed) == len(built) > 20, (len(handed), len(built))
    return on_disk, streamed


def _counted(patch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The pages handed to the writer's search index, and those MkDocs built, as they come."""
    handed: list[str] = []
    built: list[str] = []
    hand = search_offload.OffloadedIndex.add_entry_from_context
    write = page_writer.PageWriter.write

    def handing(self: search_offload.OffloadedIndex, page: Any) -> None:
        handed.append(page.url)
        hand(self, page)

    def writing(self: page_writer.PageWriter, path: str, html: str) -> None:
        built.append(path)
        write(self, path, html)

    patch.setattr(search_offload.OffloadedIndex, "add_entry_from_context", handing)
    patch.setattr(page_writer.PageWriter, "write", writing)
    return handed, built


def _no_writer() -> object:
    from contextlib import nullcontext

    return nullcontext()


def test_a_site_from_streamed_pages_is_the_site_from_staged_pages(
    both_ways: tuple[Path, Path],
) -> None:
    on_disk, streamed = both_ways
    expected = files(on_disk)
    assert any(name.startswith("de/") for name in expected)  # the German section too
    assert any(name.endswith((".png", ".svg", ".jpg")) for name in expected)
    assert files(streamed) == expected
    assert multiprocessing.active_children() == []


def test_the_pages_are_compacted_by_the_writer(both_ways: tuple[Path, Path]) -> None:
    _on_disk, streamed = both_ways
    home = (streamed / "index.html").read_text(encoding="utf-8")
    assert "\n  " not in home.split("<pre", 1)[0]  # no indented line before any preformatted text


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "spawned"])
def test_a_page_process_that_is_lost_leaves_the_pages_to_the_build(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    """A child killed before it sent a page (or a spawned one that could not start) says
    nothing about the pages: the build renders them itself, and the site is complete."""
    monkeypatch.setattr(fork_rules, "can_fork", lambda: fork)
    real_start = handout_job.HandoutJob.start

    def start_and_kill(*args: object, **kwargs: object) -> handout_job.HandoutJob:
        job = real_start(*args, **kwargs)  # type: ignore[arg-type]
        job._process.kill()
        job._process.join()
        return job

    monkeypatch.setattr(handout_job.HandoutJob, "start", start_and_kill)
    site = build_site(minimal_course / "mkdocs.yml", minimal_course / "site")
    course = load_course(minimal_course).course
    assert course is not None
    assert (site / "m1" / "index.html").is_file()
    assert (site / "m1" / "handouts" / "module-handout-a4.html").is_file()
    assert multiprocessing.active_children() == []


def test_pages_that_cannot_be_rendered_fail_the_build_in_one_line(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault of ours while the child renders the pages ends the build with its reason (no
    traceback, no hang) and leaves the previous site as it was."""
    site = build_site(minimal_course / "mkdocs.yml", minimal_course / "site")
    before = files(site)
    monkeypatch.setattr(fork_rules, "can_fork", lambda: True)

    rendered = handout_job.site_pages

    def broken(course: Course) -> Iterator[Page]:
        # The first page reaches the engine before the fault: the build still fails whole.
        yield next(iter(rendered(course)))
        raise ValueError("a template went wrong")

    monkeypatch.setattr(handout_job, "site_pages", broken)
    with pytest.raises(BuildFailed, match="the pages could not be rendered: ValueError") as info:
        build_site(minimal_course / "mkdocs.yml", minimal_course / "site")
    assert "\n" not in str(info.value)
    assert files(site) == before
    assert not [p for p in minimal_course.iterdir() if p.name.startswith(".site-")]
    assert multiprocessing.active_children() == []


def test_a_page_the_writer_cannot_write_fails_the_build_in_one_line(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer's failure (a full disk, a folder it may not write) is the build's, in one
    line with its reason, and the previous site stays."""
    site = build_site(minimal_course / "mkdocs.yml", minimal_course / "site")
    before = files(site)
    monkeypatch.setattr(fork_rules, "can_fork", lambda: True)
    real_write = page_writer.PageWriter.write

    def into_a_file(self: page_writer.PageWriter, path: str, html: str) -> None:
        # A file where the page's folder should be: the writer cannot create the folder.
        blocker = Path(path).parent
        if blocker.name == "m1" and not blocker.exists():
            blocker.parent.mkdir(parents=True, exist_ok=True)
            blocker.write_text("not a folder", encoding="utf-8")
        real_write(self, path, html)

    monkeypatch.setattr(page_writer.PageWriter, "write", into_a_file)
    with pytest.raises(BuildFailed) as info:
        build_site(minimal_course / "mkdocs.yml", minimal_course / "site")
    message = str(info.value)
    assert "\n" not in message, message
    assert message.startswith("cannot write ") and "File exists" in message, message
    assert message.endswith("the previous site is as it was"), message
    assert files(site) == before
    assert multiprocessing.active_children() == []


def test_a_build_with_threads_running_compacts_its_pages_itself(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No writer is forked from a process with other threads: the hook compacts in place, and
    the site is the one a writer makes."""
    monkeypatch.setattr(fork_rules, "can_fork", lambda: True)
    with_writer = files(build_site(minimal_course / "mkdocs.yml", minimal_course / "one"))
    monkeypatch.setattr(fork_rules, "can_fork", lambda: False)
    started = []
    monkeypatch.setattr(page_writer, "PageWriter", lambda: started.append(1))
    assert files(build_site(minimal_course / "mkdocs.yml", minimal_course / "two")) == with_writer
    assert started == []


def test_the_hooks_compact_in_place_outside_a_full_build() -> None:
    """`mkdocs serve` on the staged input (the preview) has no page writer: the hook compacts
    the page and gives it back to MkDocs to write."""
    assert page_writer.active is None
    out = staged.on_post_page("<p>\n      a</p>", page=None, config=None)  # type: ignore[arg-type]
    assert out == "<p>\na</p>"


def test_the_multilingual_course_streams_each_section(tmp_path: Path) -> None:
    project = copy_course(FIXTURES / "multilingual", tmp_path / "multi", pdf=False)
    site = build_site(project / "mkdocs.yml", project / "site")
    german = (site / "de" / "index.html").read_text(encoding="utf-8")
    english = (site / "index.html").read_text(encoding="utf-8")
    assert 'lang="de"' in german and 'lang="en"' in english
    assert multiprocessing.active_children() == []


def test_every_section_of_a_multilingual_build_has_its_page_writer(tmp_path: Path) -> None:
    """The first section's writer leaves no thread behind that would keep the next section's
    writer from being forked. Built in a process of its own, which runs one thread as
    `coursesmith build` does (this test process may run others)."""
    project = copy_course(FIXTURES / "multilingual", tmp_path / "multi", pdf=False)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator.adapters.mkdocs import page_writer\n"
        "from generator.adapters.pipeline import build_site\n"
        "real, started = page_writer.PageWriter, []\n"
        "def counted():\n"
        "    started.append(1)\n"
        "    return real()\n"
        "page_writer.PageWriter = counted\n"
        "if __name__ == '__main__':\n"
        "    build_site(Path(sys.argv[1]) / 'mkdocs.yml', Path(sys.argv[1]) / 'site')\n"
        "    print(len(started))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2"]
    assert (project / "site" / "de" / "index.html").is_file()


def test_a_page_the_search_index_cannot_take_fails_the_build_in_one_line(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault while the writer indexes a page for search ends the build with its reason, in
    one line, and the previous site stays."""
    site = build_site(minimal_course / "mkdocs.yml", minimal_course / "site")
    before = files(site)
    monkeypatch.setattr(fork_rules, "can_fork", lambda: True)

    def broken(self: search_offload.Indexer, page: search_offload.IndexedPage) -> None:
        raise ValueError("a parser went wrong")

    monkeypatch.setattr(search_offload.Indexer, "add", broken)  # the forked writer's too
    with pytest.raises(BuildFailed) as info:
        build_site(minimal_course / "mkdocs.yml", minimal_course / "site")
    message = str(info.value)
    assert "\n" not in message, message
    assert "the search index could not be built: ValueError('a parser went wrong')" in message
    assert message.endswith("the previous site is as it was"), message
    assert files(site) == before
    assert multiprocessing.active_children() == []


def _search_config(tmp_path: Path, search: dict[str, object]) -> MkDocsConfig:
    (tmp_path / "docs").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n## Part\n\nText.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(
            {"site_name": "S", "theme": {"name": "material"}, "plugins": [{"search": search}]}
        ),
        encoding="utf-8",
    )
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    return config.plugins.on_config(config)


def test_search_is_offloaded_only_from_an_enabled_material_search_plugin(tmp_path: Path) -> None:
    """A disabled search plugin is left alone; an enabled one hands its pages over, and gets
    its real index back holding the entries it is given."""
    disabled = _search_config(tmp_path / "off", {"enabled": False})
    assert not search_offload.offload(disabled, lambda page: None)
    config = _search_config(tmp_path / "on", {})
    handed: list[search_offload.IndexedPage] = []
    assert search_offload.offload(config, handed.append)
    plugin = config.plugins["material/search"]
    # Every front-matter key the index reads, and one another plugin set that will not pickle.
    meta = {"title": "T", "tags": ["a", 1], "search": {"boost": 2}, "other": lambda: None}
    page = SimpleNamespace(content="<h2>A</h2><p>x</p>", toc=[], url="a/", title="A", meta=meta)
    plugin.search_index.add_entry_from_context(page)
    assert handed == [search_offload.IndexedPage.of(page)]
    indexer = search_offload.Indexer()
    indexer.add(pickle.loads(pickle.dumps(handed[0])))  # as the writer gets it
    search_offload.restore(config, indexer.entries)
    assert isinstance(plugin.search_index, SearchIndex)
    own = SearchIndex()  # what the plugin makes of the page itself
    own.add_entry_from_context(page)
    assert plugin.search_index.entries == own.entries
    assert own.entries[0]["tags"] == ["a", "1"] and own.entries[0]["boost"] == 2


PROJECT_HOOKS = """
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(-50)  # late: after most plugins, before the page writer takes the page
def on_post_page(output, *, page, config):
    return output + "<!-- seen by the project -->"

def on_post_build(*, config):
    home = Path(config.site_dir, "index.html").read_text(encoding="utf-8")
    Path(config.site_dir, "home.txt").write_text(home[-40:], encoding="utf-8")
"""


def test_a_project_hook_changes_and_reads_the_pages_the_writer_writes(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's own hooks (named relative to its mkdocs.yml, as MkDocs takes them) run in
    the staged build: a late ``on_post_page`` has its change written by the page writer, and an
    ``on_post_build`` finds every page on disk; the site is the one built without a writer."""
    (minimal_course / "project_hooks.py").write_text(PROJECT_HOOKS, encoding="utf-8")
    config_file = minimal_course / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config_file.write_text(yaml.safe_dump({**config, "hooks": ["project_hooks.py"]}), "utf-8")
    monkeypatch.setattr(fork_rules, "can_fork", lambda: True)
    written = build_site(config_file, minimal_course / "written")
    pages = sorted(written.rglob("index.html"))
    assert len(pages) > 5
    for page in pages:
        assert page.read_text(encoding="utf-8").endswith("<!-- seen by the project -->"), page
    home = (written / "index.html").read_text(encoding="utf-8")
    assert (written / "home.txt").read_text(encoding="utf-8") == home[-40:]
    monkeypatch.setattr(fork_rules, "can_fork", lambda: False)
    assert files(build_site(config_file, minimal_course / "in-place")) == files(written)
