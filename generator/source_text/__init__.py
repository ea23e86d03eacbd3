"""Reading source text, below loading and authoring: decoding a file's bytes (UTF-8, mojibake)
and composing YAML into located nodes. The loader (``generator/load/``) and the authoring tools
(``generator/importer/``, ``generator/yaml_edit.py``) both stand on it, so neither reaches into
the other."""
