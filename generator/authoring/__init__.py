"""Tools that write a course's sources for its author: a new course, module or lesson
(``scaffold``), the editor schemas (``schema``), a translation's starting files (``translate``)
and comment-keeping YAML edits (``yaml_edit``). The Word import (``generator/importer/``) and the
translator's files (``generator/translation_files/``) are authoring too, in folders of their own."""
