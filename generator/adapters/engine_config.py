"""The project's engine configuration (``mkdocs.yml``) read and written as data, whatever engine
reads it in the end.

Configurations may hold tags only an engine understands (``!ENV``, ``!relative``,
``!!python/name:...``): they are carried through unchanged, never constructed here, so reading
stays as safe as ``yaml.safe_load``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape

from generator.render.markup import SAFE_LINKS
from generator.render.pages import NavEntry

PLUGIN = "coursesmith"


@dataclass(frozen=True)
class Tagged:
    """A value under a tag the engine resolves: the tag and the plain value beneath it."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


class ConfigError(ValueError):
    """The configuration file cannot be read; the message says which and why."""


def read_config(path: Path) -> dict[str, Any]:
    """The configuration as a mapping (tags carried as ``Tagged``)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of settings")
    return data


class _CDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


# libyaml's emitter writes what PyYAML's writes for a configuration whose strings hold printable
# characters of the Basic Multilingual Plane on one line and whose keys are short; it differs
# elsewhere (a key near 128 characters, a line break, tab or control character, a line or
# paragraph separator, a byte order mark, a character beyond U+FFFF, a tagged value; libyaml
# measures a key in UTF-8 bytes, PyYAML in characters), so only such configurations take it.
_PLAIN_TEXT = re.compile("[ -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_SHORT_KEY = 100


def rooted_hooks(config: dict[str, Any], root: Path) -> dict[str, Any]:
    """``config`` whose hook files (MkDocs' ``hooks``, paths relative to the configuration's
    folder ``root``) still name the project's files from a staged configuration elsewhere."""
    hooks = config.get("hooks")
    if not isinstance(hooks, list):
        return config
    return {**config, "hooks": [str(root / h) if isinstance(h, str) else h for h in hooks]}


def write_config(config: dict[str, Any], path: Path) -> Path:
    """Write ``config`` as YAML an engine reads back to the same values."""
    dumper = _CDumper if _libyaml_writes_the_same(config) else _Dumper
    text = yaml.dump(config, Dumper=dumper, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def _libyaml_writes_the_same(value: Any) -> bool:
    """Whether libyaml writes ``value`` byte for byte as PyYAML does (see _PLAIN_TEXT)."""
    kind = type(value)
    if kind is str:
        return _PLAIN_TEXT.fullmatch(value) is not None
    if kind is dict:
        return all(
            type(key) is str
            and _libyaml_writes_the_same(key)
            and 0 < len(key.encode("utf-8")) < _SHORT_KEY
            and _libyaml_writes_the_same(item)
            for key, item in value.items()
        )
    if kind is list:
        return all(_libyaml_writes_the_same(item) for item in value)
    return kind in (bool, int) or value is None


def plugin_name(entry: Any) -> str:
    """The name of one entry of ``plugins`` (a name, or a one-key mapping to its options)."""
    if isinstance(entry, dict):
        return str(next(iter(entry), ""))
    return str(entry)


def plugin_options(config: dict[str, Any], name: str = PLUGIN) -> dict[str, Any] | None:
    """The options of plugin ``name`` ({} when listed bare), or None when it is not listed."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        options = plugins.get(name, None) if name in plugins else None
        return None if name not in plugins else dict(options or {})
    for entry in plugins:
        if plugin_name(entry) == name:
            return dict(entry[name] or {}) if isinstance(entry, dict) else {}
    return None


def without_plugin(plugins: Any, name: str = PLUGIN) -> list[Any]:
    """``plugins`` without ``name``, as a list."""
    if isinstance(plugins, dict):
        return [{k: v} if v else k for k, v in plugins.items() if k != name]
    return [entry for entry in plugins or [] if plugin_name(entry) != name]


def with_extension(extensions: Any, name: str) -> Any:
    """``markdown_extensions`` with ``name`` added once, in the form the project wrote it: a
    list of names and one-key mappings, or a mapping of names to options (kept as they are)."""
    if isinstance(extensions, dict):
        return extensions if name in extensions else {**extensions, name: {}}
    names = [plugin_name(entry) for entry in extensions or []]
    return list(extensions or []) if name in names else [*(extensions or []), name]


def staged_config(
    project: dict[str, Any], *, docs: str, overrides: str, nav: list[Any], offline: bool
) -> dict[str, Any]:
    """What every engine's configuration of a staged input has: the project's configuration
    with our theme overrides, the staged pages and their navigation, our plugin left out (the
    core has done its work), the engine's offline plugin when asked, and the safe-links Markdown
    extension; each engine adds its own on top."""
    config = dict(project)
    theme = config.get("theme") or {"name": "material"}
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme}
    theme["custom_dir"] = overrides
    config["theme"] = theme
    config["docs_dir"] = docs
    config["nav"] = nav
    plugins = without_plugin(config.get("plugins", ["search"]))
    if offline and "offline" not in [plugin_name(p) for p in plugins]:
        plugins.append("offline")
    config["plugins"] = plugins
    config["markdown_extensions"] = with_extension(config.get("markdown_extensions"), SAFE_LINKS)
    config.pop("INHERIT", None)
    return config


def engine_text(text: str) -> str:
    """A title as the engines' themes take it. Material's and Zensical's templates insert the
    site name and the nav titles into every page as markup, unescaped (``{{ config.site_name
    }}`` in the header and the drawer; MkDocs' theme environment does not autoescape), so every
    title handed to an engine is HTML-escaped here, and only here: a course, module or lesson
    title is author text and must never become a tag. Where a theme escapes it once more
    (``title="{{ config.site_name | e }}"``), the attribute holds escaped text, as Material's
    tooltips (content.tooltips) need: they copy title attributes into the page with innerHTML."""
    return str(escape(text))


def with_site_name(config: dict[str, Any], title: str | None = None) -> dict[str, Any]:
    """``config`` whose ``site_name`` is ``title`` (default: its own), escaped for the engine."""
    name = title if title is not None else config.get("site_name")
    return {**config, "site_name": engine_text(str(name))} if name is not None else config


def nav_config(entries: tuple[NavEntry, ...]) -> list[Any]:
    """Our navigation in the shape of mkdocs.yml's ``nav``, its titles escaped (engine_text)."""
    out: list[Any] = []
    for entry in entries:
        title = engine_text(entry.title)
        if entry.children:
            out.append({title: nav_config(entry.children)})
        else:
            out.append({title: entry.path})
    return out


def language_config(config: dict[str, Any], language: str) -> dict[str, Any]:
    """``config`` with the theme's own interface (Material's labels, dates, search messages) and
    the search index's stemming in ``language``. The search plugin keeps any languages the
    project lists itself, with the course's first."""
    theme = config.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme}
    theme["language"] = language
    plugins: list[Any] = []
    listed_plugins = config.get("plugins") or []
    if isinstance(listed_plugins, dict):
        listed_plugins = [{k: v} if v else k for k, v in listed_plugins.items()]
    for entry in listed_plugins:
        if plugin_name(entry) == "search" and language != "en":
            options = dict(entry["search"] or {}) if isinstance(entry, dict) else {}
            listed = options.get("lang") or []
            listed = [listed] if isinstance(listed, str) else list(listed)
            options["lang"] = [language, *(code for code in listed if code != language)]
            entry = {"search": options}
        plugins.append(entry)
    return {**config, "theme": theme, "plugins": plugins}


def interface_config(
    config: dict[str, Any], description: str, permalink_title: str, replace: bool
) -> dict[str, Any]:
    """``config`` with the pages' meta description and the heading links' tooltip in the
    course's language: given by the project (kept unless ``replace``) or ours."""
    config = dict(config)
    if replace or not config.get("site_description"):
        config["site_description"] = description
    extensions: list[Any] = []
    for entry in config.get("markdown_extensions") or []:
        if plugin_name(entry) == "toc" and isinstance(entry, dict):
            options = dict(entry["toc"] or {})
            if options.get("permalink") and (replace or "permalink_title" not in options):
                options["permalink_title"] = permalink_title
            entry = {"toc": options}
        extensions.append(entry)
    if "markdown_extensions" in config:
        config["markdown_extensions"] = extensions
    return config
