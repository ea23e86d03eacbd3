"""Safe YAML parsing into nodes that keep their line and column.

Only the YAML core schema is accepted: no tags beyond the standard ones (so no ``!!python/...``)
and no anchors or aliases, which also makes alias bombs impossible: the composer refuses the
first alias before anything is expanded.
"""

from __future__ import annotations

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.diagnostics import Diagnostics
from generator.model import Loc

STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class _StrictComposer(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases at the event level."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in course files, expected plain values",
                event.start_mark,
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise ComposerError(
                None,
                None,
                "anchors (&name) are not allowed in course files, expected plain values",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def loc_of(node: Node, path: str, line_offset: int = 0) -> Loc:
    """The 1-based location of a node."""
    mark = node.start_mark
    return Loc(path, mark.line + 1 + line_offset, mark.column + 1)


def compose(text: str, path: str, diags: Diagnostics, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into nodes; report syntax errors and forbidden tags."""
    loader = _StrictComposer(text)
    try:
        node: Node | None = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else 1 + line_offset
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if "'\\t'" in problem:
            problem = "a tab character, expected spaces for indentation"
        if isinstance(exc, ComposerError) and exc.problem and "not allowed" in exc.problem:
            diags.error(Loc(path, line, col), problem)
        else:
            diags.error(Loc(path, line, col), f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:
        diags.error(Loc(path, 1 + line_offset, 1), f"YAML error: {exc}")
        return None
    finally:
        loader.dispose()
    if node is not None and not _tags_ok(node, path, diags, line_offset):
        return None
    return node


def _tags_ok(node: Node, path: str, diags: Diagnostics, line_offset: int) -> bool:
    ok = True
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag not in STANDARD_TAGS:
            diags.error(
                loc_of(current, path, line_offset),
                f"YAML tag '{current.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed, "
                "expected plain values",
            )
            ok = False
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return ok


def describe(node: Node) -> str:
    """How a node reads to an author, for 'found …' in messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    assert isinstance(node, ScalarNode)
    kind = node.tag.rsplit(":", 1)[-1]
    names = {
        "str": "text",
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "null": "nothing",
        "timestamp": "a date",
    }
    shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"{names.get(kind, kind)} '{shown}'" if kind != "null" else "nothing"
