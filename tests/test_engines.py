"""One pipeline, several engines: `coursesmith build --engine NAME` stages the site input and runs
the engine on it. An unknown engine, one that is not installed or one that fails is said in one
sentence with what to do, and the previous site stays exactly as it was."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.adapters import engines
from generator.adapters.cli import main
from generator.adapters.engine_config import (
    Tagged,
    _CDumper,
    _Dumper,
    _libyaml_writes_the_same,
    read_config,
    write_config,
)
from generator.adapters.engines import EngineUnavailable, engine_named
from generator.adapters.mkdocs.build import MkDocsEngine
from generator.adapters.pipeline import Project, load_site, stage

from .conftest import FIXTURES, build_with_mkdocs, copy_course


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The minimal course, built once with the default engine (PDFs off)."""
    project = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    assert main(["--root", str(project), "build"]) == 0
    return project


def one_sentence(text: str) -> str:
    lines = [line for line in text.splitlines() if line and not line.endswith("…")]
    assert len(lines) == 1, lines
    return lines[0]


def test_an_unknown_engine_is_a_usage_error_that_names_the_choices(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(built / "site")
    capsys.readouterr()
    assert main(["--root", str(built), "build", "--engine", "hugo"]) == 2
    message = one_sentence(capsys.readouterr().err)
    assert "unknown engine 'hugo'" in message and "mkdocs, zensical" in message
    assert snapshot(built / "site") == before


def test_an_engine_that_is_not_installed_says_how_to_install_it(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        engines.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "zensical" else real(name, *a),
    )
    before = snapshot(built / "site")
    capsys.readouterr()
    assert main(["--root", str(built), "build", "--engine", "zensical"]) == 2
    message = one_sentence(capsys.readouterr().err)
    assert "the zensical engine is not installed" in message
    assert "pip install 'coursesmith[zensical]'" in message
    assert snapshot(built / "site") == before


def test_an_engine_that_fails_is_a_failed_build_and_the_old_site_stays(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = yaml.safe_load((built / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["name"] = "no-such-theme"
    (built / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    before = snapshot(built / "site")
    capsys.readouterr()
    assert main(["--root", str(built), "build"]) == 1
    err = capsys.readouterr().err
    assert "build failed:" in err and "no-such-theme" in err
    assert snapshot(built / "site") == before
    assert [p.name for p in built.iterdir() if p.name.startswith(".site-")] == []


def test_engine_named_refuses_an_unknown_name() -> None:
    with pytest.raises(EngineUnavailable, match="unknown engine 'Mkdocs'"):
        engine_named("Mkdocs")


def test_the_staged_input_is_complete_and_names_no_plugin_of_ours(tmp_path: Path) -> None:
    project_dir = copy_course(FIXTURES / "minimal", tmp_path / "course", pdf=False)
    site = load_site(project_dir)
    staged = stage(site, Project.read(project_dir / "mkdocs.yml"), MkDocsEngine(), tmp_path / "s")
    for page in site.pages:
        assert (staged.docs / page.path).read_text(encoding="utf-8") == page.text
    for download in site.downloads:
        assert (staged.docs / download.path).is_file()
    assert (staged.docs / "assets/quiz.js").is_file()
    assert (staged.overrides / "main.html").is_file()
    config = read_config(staged.config_file)
    assert config["docs_dir"] == str(staged.docs)
    assert config["theme"]["custom_dir"] == str(staged.overrides)
    assert "coursesmith" not in str(config["plugins"])
    assert config["nav"][0] == {"Home": "index.md"}


def test_engine_tags_in_the_project_configuration_are_carried_through(tmp_path: Path) -> None:
    text = (
        "site_name: T\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n"
        "  key: !ENV [SOME_KEY, fallback]\n"
    )
    source = tmp_path / "mkdocs.yml"
    source.write_text(text, encoding="utf-8")
    again = read_config(write_config(read_config(source), tmp_path / "again.yml"))
    assert again == read_config(source)
    assert "!!python/name:material.extensions.emoji.twemoji" in (tmp_path / "again.yml").read_text()
    assert "!ENV" in (tmp_path / "again.yml").read_text()


def test_serve_refuses_an_unknown_engine_before_serving(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--root", str(built), "serve", "--engine", "hugo"]) == 2
    assert "unknown engine 'hugo'" in one_sentence(capsys.readouterr().err)


def test_mkdocs_run_directly_gets_our_assets_and_overrides_from_the_plugin(
    tmp_path: Path,
) -> None:
    """A scaffolded project names neither our assets nor our overrides: the plugin adds both."""
    assert main(["new", "course", str(tmp_path / "c")]) == 0
    config_file = tmp_path / "c" / "mkdocs.yml"
    config_file.write_text(config_file.read_text().replace("pdf: true", "pdf: false"), "utf-8")
    site = build_with_mkdocs(config_file)
    assert site == tmp_path / "c" / "site"
    assert (site / "assets/quiz.js").is_file()
    quiz = (site / "first-module/quiz/index.html").read_text(encoding="utf-8")
    assert "assets/quiz.js" in quiz
    # Our search partial (Material's has no accessible name on the dialog).
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label=' in quiz
    assert (site / "first-module/handouts/quiz-sheet-a4.html").is_file()


def test_the_footer_credits_the_engine_that_built_the_site(engine_site: Path) -> None:
    """Zensical's sites said "Made with Material for MkDocs" (our footer override's words)."""
    home = (engine_site / "index.html").read_text("utf-8")
    generator = re.search(r'<meta name="generator" content="([^"]+)"', home)
    assert generator is not None
    footer = home[home.index('class="md-copyright"') :]
    footer = footer[: footer.index("</div>\n</div>") if "</div>\n</div>" in footer else None]
    if generator.group(1).startswith("zensical"):
        assert 'href="https://zensical.org/"' in footer and "Material for MkDocs" not in footer
    else:
        assert generator.group(1).startswith("mkdocs")
        assert "Material for MkDocs" in footer and "zensical.org" not in footer


@pytest.mark.parametrize(
    "extensions",
    [
        {"toc": {"permalink": True}, "admonition": {}},
        [{"toc": {"permalink": True}}, "admonition"],
        ["admonition", "generator.render.markup"],
    ],
    ids=["mapping", "list", "list-with-ours"],
)
def test_both_engines_build_their_configuration_the_same_way(
    tmp_path: Path, extensions: object
) -> None:
    """One builder serves both engines: the project's Markdown extensions keep their options
    in the form they were written, and ours is added once."""
    from generator.adapters.zensical import ZensicalEngine
    from generator.render.markup import SAFE_LINKS

    project = {"site_name": "X", "theme": "material", "markdown_extensions": extensions}
    staged = {"docs": tmp_path / "docs", "overrides": tmp_path / "overrides"}
    configs = [
        engine.configure(project, **staged, nav=[], offline=False, shim="")
        for engine in (MkDocsEngine(), ZensicalEngine())
    ]
    for config in configs:
        got = config["markdown_extensions"]
        assert type(got) is type(extensions)
        names = (
            list(got)
            if isinstance(got, dict)
            else [e if isinstance(e, str) else next(iter(e)) for e in got]
        )
        assert names.count(SAFE_LINKS) == 1
        if isinstance(extensions, dict):
            assert got["toc"] == {"permalink": True}
        assert config["theme"]["name"] == "material" and config["nav"] == []
        assert "INHERIT" not in config
    assert configs[0]["markdown_extensions"] == configs[1]["markdown_extensions"]


# Characters around the edges of what libyaml writes as PyYAML does (separators, byte order mark,
# the ends of the planes, combining, right-to-left and wide characters), and some it does not.
_EDGES = (
    "\xa0\u2027\u202a\ud7ff\ue000\ufefe\uff00\ufffd\xad\u0301\u05d0\u4e2d\uac00\u3000\u200b·—é…"
)
_OUTSIDE = "\n\t\r\x85\u2028\u2029\ufeff\U0001f600\x00\x7f"
_config_text = st.text(alphabet=st.sampled_from([*" ab:#-?'\"&*!|>%@`[]{},~=\\.09", *_EDGES]))
_config_values = st.recursive(
    st.one_of(
        _config_text,
        st.text(alphabet=st.sampled_from([*" a:#-'\"", *_EDGES, *_OUTSIDE]), max_size=12),
        st.sampled_from(["", "yes", "null", "1.5", "~", "- a", "a: b", "? b", "!c", "%d"]),
        st.integers(-5, 5),
        st.booleans(),
        st.none(),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_config_text, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(_config_text, _config_values, min_size=1, max_size=4))
@example({"k" * 99: "v", "long": "a " * 300})
@example({"é" * 49: "v"})
@example({"é" * 70: "v"})
def test_the_configuration_is_written_as_pyyaml_writes_it(config: dict[str, object]) -> None:
    """A configuration libyaml may write (printable text of the first plane, one line, short
    keys) is written byte for byte as PyYAML's emitter writes it; the others are left to it."""
    python = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    if _libyaml_writes_the_same(config):
        assert yaml.dump(config, Dumper=_CDumper, sort_keys=False, allow_unicode=True) == python


@pytest.mark.parametrize(
    "config",
    [
        {"é" * 50: 1},
        {"": 1},
        {"a": "line\nbreak"},
        {"a": ["tab\t"]},
        {"a": {"b": "\U0001f600"}},
        {"a": "\ufeff"},
        {"a": "\u2028"},
        {"a": 1.5},
        {"a": Tagged("!ENV", "HOME")},
    ],
)
def test_configurations_libyaml_writes_otherwise_are_left_to_pyyaml(
    config: dict[str, object], tmp_path: Path
) -> None:
    assert not _libyaml_writes_the_same(config)
    written = write_config(config, tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert written == yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
