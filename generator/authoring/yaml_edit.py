"""Editing an author's YAML file as text: an item added to a list by inserting it after the
list's last item (or inside ``[...]``), so the author's comments, quoting and layout stay.

``coursesmith new`` and ``coursesmith import`` both extend lists this way.
"""

from __future__ import annotations

import json
import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.model import Loc
from generator.source.diagnostics import Diagnostics
from generator.source.yaml_nodes import compose

# Text that YAML reads back unchanged without quotes; anything else is written JSON-quoted,
# which is also valid YAML.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.()/'-]*")


def yaml_scalar(value: object) -> str:
    """A YAML scalar that reads back as exactly this text."""
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def top_mapping(text: str, rel: str, diags: Diagnostics) -> MappingNode | None:
    """The file's top-level mapping, or None (with a diagnostic) when it has none."""
    node = compose(text, rel, diags)
    if not isinstance(node, MappingNode):
        if not diags.has_errors():
            diags.error(Loc(rel), f"{rel} is not a mapping of fields; cannot add to it")
        return None
    return node


def mapping_value(mapping: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
    """The key and value nodes of ``key`` in a mapping, if it is there."""
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _last_node(node: Node) -> Node:
    """The node that ends last inside ``node`` (the end of a block sequence is its last item's)."""
    if isinstance(node, MappingNode) and node.value and not node.flow_style:
        return _last_node(node.value[-1][1])
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        return _last_node(node.value[-1])
    return node


def insert_after(text: str, node: Node, block: str) -> str:
    """Insert whole lines after the line where ``node`` ends."""
    lines = text.split("\n")
    end = _last_node(node).end_mark
    at = end.line if end.column == 0 else end.line + 1
    new = block.rstrip("\n").split("\n")
    return "\n".join(lines[:at] + new + lines[at:])


def indented(block: str, spaces: int) -> str:
    """Every non-empty line of ``block`` indented by ``spaces``."""
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in block.rstrip("\n").split("\n"))


def append_to_list(
    text: str, rel: str, key: str, item: str, diags: Diagnostics, what: str = "the item"
) -> str | None:
    """``text`` with ``item`` added at the end of the top-level list ``key`` (the text as it is
    when the item is listed already); None, with a diagnostic, when there is no such list."""
    mapping = top_mapping(text, rel, diags)
    if mapping is None:
        return None
    found = mapping_value(mapping, key)
    if found is None:
        diags.error(Loc(rel), f"{rel} has no '{key}' list to add {what} to")
        return None
    key_node, value = found
    # Quoted when YAML would read it as something else: `yes`, `null`, `2024-01-01`, `123`.
    entry = yaml_scalar(item)
    if isinstance(value, SequenceNode):
        listed = [node.value for node in value.value if isinstance(node, ScalarNode)]
        if item in listed:
            return text
        if value.flow_style:
            # After the last item (or inside `[]`), so the other items keep their own quoting.
            at = value.value[-1].end_mark.index if value.value else value.end_mark.index - 1
            return text[:at] + (", " if value.value else "") + entry + text[at:]
        dash = max(value.value[0].start_mark.column - 2, 0)
        return insert_after(text, value, " " * dash + f"- {entry}")
    if isinstance(value, ScalarNode) and value.tag.endswith(":null"):
        return insert_after(text, key_node, f"  - {entry}")
    diags.error(Loc(rel, value.start_mark.line + 1), f"'{key}' is not a list; cannot add to it")
    return None
