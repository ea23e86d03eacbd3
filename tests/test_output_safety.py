"""Nothing outside the output is ever deleted (issue 20, items 1 and 7): every command that writes
a folder (`build --site-dir`, `site_dir:` under `mkdocs build`, `handouts --out`, `export
--out`, `export offline`) refuses a folder that is the project or above it, one of its sources,
`/`, the home folder, a file, or a non-empty folder no build of ours made, with exit 2 and one
line, touching nothing; machine faults (a full disk, a read-only folder) are one line too, and
the previous output stays as it was. Built sites are readable by other users and carry the
marker; the temporary folders of interrupted builds go with the next build."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.adapters.cli import main
from generator.output.guard import MARKER, OutputRefused, check_output, is_export_folder

from .conftest import FIXTURES, build_with_mkdocs, copy_course

# Every command that writes a folder, as argv after `--root PROJECT`, the target last (every
# export format but offline takes the same path as gift).
COMMANDS = {
    "build": ["build", "--site-dir"],
    "handouts": ["handouts", "--out"],
    "export gift": ["export", "gift", "--out"],
    "export offline": ["export", "offline", "--out"],
}
# Every target the rule refuses, relative to the project (HOME is a folder of the test's own).
BAD_TARGETS = {
    "the project": ".",
    "above the project": "..",
    "the root folder": "/",
    "the home folder": "HOME",
    "content": "content",
    "quizzes": "quizzes",
    "docs": "docs",
    "inside content": "content/modules",
    "a new folder inside content": "content/site",
    "an existing file": "notes.txt",
    "a folder we did not make": "photos",
}


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under ``folder``: its mode and, for a file, its bytes."""
    state: dict[str, tuple[int, bytes]] = {}
    for path in sorted(folder.rglob("*")):
        data = path.read_bytes() if path.is_file() else b""
        state[path.relative_to(folder).as_posix()] = (path.lstat().st_mode, data)
    return state


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder holding a project (``project/``: the minimal course, a docs/ folder, a file
    and a folder of the author's own) and a home folder (``home/``, which $HOME names)."""
    project = copy_course(FIXTURES / "minimal", tmp_path / "world" / "project", pdf=False)
    (project / "docs").mkdir()
    (project / "docs" / "logo.txt").write_text("our logo\n", encoding="utf-8")
    (project / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (project / "photos").mkdir()
    (project / "photos" / "holiday.txt").write_text("a photo\n", encoding="utf-8")
    home = tmp_path / "world" / "home"
    home.mkdir()
    (home / "thesis.txt").write_text("years of work\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    yield tmp_path / "world"


def target_of(world: Path, name: str) -> str:
    return str(world / "home") if name == "HOME" else name


@pytest.mark.parametrize("target", list(BAD_TARGETS), ids=list(BAD_TARGETS))
@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_a_bad_output_folder_is_refused_in_one_line_touching_nothing(
    world: Path, command: str, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(world)
    project = world / "project"
    argv = ["--root", str(project), *COMMANDS[command], target_of(world, BAD_TARGETS[target])]
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "folder" in err
    assert out == ""
    assert snapshot(world) == before


@pytest.mark.parametrize(
    "target",
    [".", "content", "quizzes", "docs", "content/modules", "photos"],
)
def test_mkdocs_build_through_the_plugin_refuses_before_cleaning(
    world: Path, target: str, caplog: pytest.LogCaptureFixture
) -> None:
    """`mkdocs build` empties site_dir before building: the plugin refuses first."""
    import yaml
    from mkdocs.exceptions import Abort

    project = world / "project"
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["site_dir"] = target
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    before = snapshot(world)
    with pytest.raises(Abort):
        build_with_mkdocs(config_file)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "site folder" in errors[0], errors
    assert len(errors[0].splitlines()) == 1
    assert snapshot(world) == before


def test_the_rule_names_each_reason() -> None:
    project = Path("/srv/course")
    reasons = {
        "/": "root folder",
        "/srv": "above the project",
        "/srv/course": "is the project folder",
        "/srv/course/content": "is the project's content/",
        "/srv/course/content/x": "lies inside the project's content/",
        "/srv/course/theme": "is the project's theme/",
    }
    for folder, reason in reasons.items():
        with pytest.raises(OutputRefused, match=reason):
            check_output(Path(folder), project, sources=[project / "theme"])
    assert check_output(Path("site"), project) == project / "site"


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_built_site_is_marked_readable_and_rebuilt_leaving_no_leftovers(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--force hands over a folder of the author's (never the project or its sources); the
    site then carries the marker, and the next build replaces it without --force."""
    project = world / "project"
    site = project / "photos"
    old_umask = os.umask(0o022)
    try:
        assert main(["--root", str(project), "build", "--site-dir", "photos", "--force"]) == 0
        assert not (site / "holiday.txt").exists()
        assert (site / MARKER).is_file()
        # A web server running as another user reads every folder and file (mkdtemp made 0700).
        for path in [site, *site.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o755 if path.is_dir() else 0o644), path
        # What interrupted builds leave behind (their process gone), and what is not theirs.
        host = socket.gethostname()
        abandoned = {
            ".site-new-0a1b2c3d": f"{host} {dead_pid()}\n",
            ".site-stage-0a1b2c3d": f"{host} {dead_pid()}\n",
            ".site-handouts-0a1b2c3d": f"{host} {dead_pid()}\n",
        }
        for name, owner in abandoned.items():
            (project / name / "docs").mkdir(parents=True)
            (project / name / ".coursesmith-partial").write_text(owner, encoding="utf-8")
        (project / ".site-old-0a1b2c3d").mkdir()
        (project / ".site-old-0a1b2c3d" / MARKER).write_text("", encoding="utf-8")
        kept = {
            ".site-stage-11111111": f"{host} {os.getpid()}\n",  # a build still running
            ".site-new-22222222": f"elsewhere {dead_pid()}\n",  # another machine's
        }
        for name, owner in kept.items():
            (project / name).mkdir()
            (project / name / ".coursesmith-partial").write_text(owner, encoding="utf-8")
        (project / ".site-old-33333333").mkdir()  # not marked: an author's folder forced over
        (project / ".site-old-33333333" / "mine.txt").write_text("mine\n", encoding="utf-8")
        (project / ".site-new-notours").mkdir()
        # The second build replaces the site it made, without --force.
        assert main(["--root", str(project), "build", "--site-dir", "photos"]) == 0
    finally:
        os.umask(old_umask)
    capsys.readouterr()
    left = sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))
    assert left == sorted([*kept, ".site-old-33333333", ".site-new-notours"])
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    for target in (".", "content", str(world / "home"), "notes.txt"):
        assert main(["--root", str(project), "build", "--site-dir", target, "--force"]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert (project / "content" / "course.yml").is_file()
    assert (world / "home" / "thesis.txt").is_file()


@pytest.fixture
def old_site(world: Path) -> Path:
    """A previous site of ours, to be kept byte for byte when a build fails."""
    site = world / "project" / "site"
    site.mkdir()
    (site / MARKER).write_text("", encoding="utf-8")
    (site / "index.html").write_text("<p>the old site</p>\n", encoding="utf-8")
    return site


FAULTS = {
    "full disk": errno.ENOSPC,
    "read-only": errno.EROFS,
    "file name too long": errno.ENAMETOOLONG,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_machine_fault_during_a_build_is_one_line_and_keeps_the_old_site(
    world: Path,
    old_site: Path,
    fault: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from generator.adapters import pipeline

    real = pipeline.stage

    def failing(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError(FAULTS[fault], os.strerror(FAULTS[fault]), "somewhere/in/the/site")

    monkeypatch.setattr(pipeline, "stage", failing)
    before = snapshot(world)
    assert main(["--root", str(world / "project"), "build"]) == 1
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert "Traceback" not in err
    assert os.strerror(FAULTS[fault]) in last and "previous site is as it was" in last
    assert snapshot(world) == before


def test_a_site_that_cannot_take_the_old_ones_place_puts_it_back(
    world: Path, old_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.adapters import pipeline

    staged = world / "project" / ".site-new-12345678"
    staged.mkdir()
    real = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self == staged:
            raise OSError(errno.EBUSY, "Device or resource busy", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    before = snapshot(old_site)
    with pytest.raises(OSError):
        pipeline._swap(staged, old_site)
    assert snapshot(old_site) == before


@pytest.mark.parametrize("command", ["handouts", "export gift"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_machine_fault_while_writing_handouts_or_exports_is_one_line(
    world: Path,
    command: str,
    fault: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import generator.export.archive
    import generator.render.pdf

    def failing(*args: object, **kwargs: object) -> object:
        raise OSError(FAULTS[fault], os.strerror(FAULTS[fault]), "out/file")

    monkeypatch.setattr(generator.render.pdf, "publish_handouts", failing)
    monkeypatch.setattr(generator.export.archive, "write_all", failing)
    argv = ["--root", str(world / "project"), *COMMANDS[command], "out"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert os.strerror(FAULTS[fault]) in err.strip().splitlines()[-1]


def test_handouts_mark_their_folder_and_exports_recognise_theirs(
    world: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.render.pdf

    def handouts(course: object, folder: Path, fingerprint: str, **options: object) -> list[Path]:
        (folder / "m1.pdf").write_bytes(b"%PDF")  # WeasyPrint takes seconds: not the point here
        return [folder / "m1.pdf"]

    monkeypatch.setattr(generator.render.pdf, "publish_handouts", handouts)
    project = world / "project"
    for command in ("handouts", "export gift"):
        out = project / command.replace(" ", "-")
        assert main(["--root", str(project), *COMMANDS[command], str(out)]) == 0
        assert (out / MARKER).is_file() == (command == "handouts")
        # A second run writes into the folder it made.
        assert main(["--root", str(project), *COMMANDS[command], str(out)]) == 0
    capsys.readouterr()


def test_every_export_writes_again_into_its_folder_and_nowhere_foreign(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export folder carries no marker: it is recognised by holding only exports."""
    project = world / "project"
    for run in (
        ["gift"],
        ["qti"],
        ["moodle"],
        ["scorm", "--course"],
        ["xapi", "--course"],
        ["gift"],
    ):
        assert main(["--root", str(project), "export", *run, "--out", "exports"]) == 0
    assert is_export_folder(project / "exports")
    (project / "exports" / "de").mkdir()
    (project / "exports" / "de" / "demo-offline.zip").write_bytes(b"PK")
    assert main(["--root", str(project), "export", "gift", "--out", "exports"]) == 0
    (project / "exports" / "de" / "letter.docx").write_bytes(b"mine")
    capsys.readouterr()
    assert main(["--root", str(project), "export", "gift", "--out", "exports"]) == 2
    assert "not exports" in capsys.readouterr().err


# --- Every failure is a message (item 7) and the project's boundary holds (item 8) -----------


def one_line_check(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run `check` and `build`: both fail with exit 1, no traceback and no site; the problem
    line of `check`'s report is returned."""
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert main(["--root", str(project), "build"]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert not (project / "site").exists()
    return err.splitlines()[0]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_over_long_id_is_a_content_error(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 300-character lesson id made `build` fail with 'File name too long'."""
    project = world / "project"
    long_id = "a" * 300
    module = project / "content/modules/m1"
    replace_in(module / "module.yml", "  - intro\n", f"  - {long_id}\n")
    replace_in(module / "lessons/01-intro.md", "id: intro\n", f"id: {long_id}\n")
    replace_in(project / "quizzes/m1.yml", "lesson: intro", f"lesson: {long_id}")
    problem = one_line_check(project, capsys)
    assert "300 characters long, expected an id of at most 100" in problem
    assert problem.startswith(("content/modules/m1/module.yml:", "content/modules/m1/lessons/"))


@pytest.mark.parametrize("nesting", ["[" * 1000 + "]" * 1000, "{a: " * 1000 + "}" * 1000])
@pytest.mark.parametrize("file", ["content/glossary.yml", "content/modules/m1/lessons/01-intro.md"])
def test_yaml_nested_a_thousand_deep_is_a_content_error(
    world: Path, file: str, nesting: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """PyYAML reads by recursion: it raised RecursionError, shown as a traceback."""
    project = world / "project"
    path = project / file
    if file.endswith(".md"):
        replace_in(path, "---\nid: intro\n", f"---\nextra: {nesting}\nid: intro\n")
    else:
        path.write_text(f"terms: {nesting}\n", encoding="utf-8")
    problem = one_line_check(project, capsys)
    assert problem.startswith(f"{file}:") and "nested too deeply" in problem


SECRET = "root:x:0:0:a-secret-line-outside-the-project"


@pytest.mark.parametrize(
    "link",
    [
        "content/glossary.yml",
        "content/modules/m1/module.yml",
        "content/modules/m1/lessons/02-details.md",
        "content/modules/m1/components/checklist.yml",
        "quizzes/m1.yml",
        "content/modules/m1",
        "content/modules/m1/lessons",
    ],
)
def test_a_link_leading_outside_the_project_is_refused_without_showing_its_target(
    world: Path, link: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = world / "project"
    inside = project / link
    elsewhere = world / "elsewhere" / inside.name
    elsewhere.parent.mkdir()
    if inside.is_dir():
        shutil.copytree(inside, elsewhere)
        for path in elsewhere.rglob("*"):
            if path.is_file():
                path.write_text(SECRET + "\n", encoding="utf-8")
        shutil.rmtree(inside)
    else:
        elsewhere.write_text(SECRET + "\n", encoding="utf-8")
        inside.unlink()
    inside.symlink_to(elsewhere)
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert "symbolic link leading outside the project" in err
    assert "secret" not in err and "Traceback" not in err
    assert main(["--root", str(project), "build"]) == 1
    assert "secret" not in capsys.readouterr().err


def test_a_link_inside_the_project_is_followed(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = world / "project"
    shared = project / "shared"
    shared.mkdir()
    glossary = project / "content/glossary.yml"
    glossary.rename(shared / "glossary.yml")
    glossary.symlink_to(shared / "glossary.yml")
    assert main(["--root", str(project), "check"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    ("mine", "ours"),
    [
        ("assets/quiz.js", "asset assets/quiz.js"),
        ("assets/checklist.css", "asset assets/checklist.css"),
        ("m1/intro.md", "page m1/intro.md"),
        ("m1/intro/index.html", "page m1/intro/index.html"),
        ("index.md", "page index.md"),
        ("m1/handouts/notes.pdf", "handout folder m1/handouts/"),
        (MARKER, f"marker file {MARKER}"),
    ],
)
def test_a_docs_file_that_would_replace_one_of_ours_is_an_error_naming_both(
    world: Path, mine: str, ours: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It silently won (an asset) or silently lost (a page, a handout) before."""
    import yaml

    project = world / "project"
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["docs_dir"] = "docs"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    (project / "docs" / mine).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / mine).write_text("mine\n", encoding="utf-8")
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert f"docs/{mine}: would replace Coursesmith's own {ours} in the site" in err
    assert "logo.txt" not in err and "Traceback" not in err
    assert not (project / "site").exists()
    if mine == "assets/quiz.js":  # `mkdocs build` through the plugin says the same
        from mkdocs.exceptions import Abort

        with pytest.raises(Abort):
            build_with_mkdocs(config_file)
        assert not (project / "site").exists()


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_handouts_and_exports_are_written_with_the_umasks_modes(world: Path, umask: int) -> None:
    """mkstemp makes files 0600; they were set to 0644 whatever the umask said."""
    from generator.export.archive import write_all
    from generator.load import load_course
    from generator.render.pdf import publish_handouts

    course = load_course(world / "project").course
    assert course is not None
    old = os.umask(umask)
    try:
        written = publish_handouts(course, world / "handouts", "0" * 12, pdf=False)
        written += write_all(world / "exports", [("m1.gift", b"::q:: x {}")])
    finally:
        os.umask(old)
    assert {stat.S_IMODE(path.stat().st_mode) for path in written} == {0o666 & ~umask}


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_docs_link_leading_outside_the_project_is_refused(
    world: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its target was copied into the published site."""
    import yaml

    project = world / "project"
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["docs_dir"] = "docs"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    secret = world / "secrets"
    secret.mkdir()
    (secret / "key.txt").write_text(SECRET, encoding="utf-8")
    link = project / "docs" / ("key.txt" if kind == "file" else "private")
    link.symlink_to(secret / "key.txt" if kind == "file" else secret)
    (project / "docs" / "inside.txt").symlink_to(project / "notes.txt")  # inside: followed
    assert main(["--root", str(project), "build"]) == 1
    err = capsys.readouterr().err
    assert f"docs/{link.name}: a symbolic link leading outside the project" in err
    assert "inside.txt" not in err and "secret" not in err
    assert not (project / "site").exists()


def test_a_site_an_older_coursesmith_built_is_replaced_without_force(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sites built before the marker existed hold our stylesheet beside their home page: an
    upgrade rebuilds them as before. A folder with a home page alone is still the author's."""
    project = world / "project"
    mine = project / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("<p>my page</p>\n", encoding="utf-8")
    assert main(["--root", str(project), "build", "--site-dir", "mine"]) == 2
    capsys.readouterr()
    assert (mine / "index.html").read_text(encoding="utf-8") == "<p>my page</p>\n"
    (mine / "assets").mkdir()
    (mine / "assets" / "coursesmith.css").write_text("/* ours */\n", encoding="utf-8")
    assert main(["--root", str(project), "build", "--site-dir", "mine"]) == 0
    assert (mine / MARKER).is_file() and "my page" not in (mine / "index.html").read_text("utf-8")


def test_a_replaced_site_is_removed_whole_entry_by_entry(tmp_path: Path) -> None:
    """remove_tree takes a folder's entries side by side: folders, files and a symbolic link
    (removed itself; what it points to stays), then the folder."""
    from generator.output.guard import remove_tree

    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "file.txt").write_text("mine", encoding="utf-8")
    old = tmp_path / ".site-old-x"
    for index in range(12):
        (old / f"m{index}" / "page").mkdir(parents=True)
        (old / f"m{index}" / "page" / "index.html").write_text("x", encoding="utf-8")
    (old / "index.html").write_text("x", encoding="utf-8")
    (old / "link").symlink_to(kept, target_is_directory=True)
    remove_tree(old)
    assert not old.exists()
    assert (kept / "file.txt").read_text(encoding="utf-8") == "mine"
    remove_tree(old)  # a folder already gone is no error
