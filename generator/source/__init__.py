"""The source: where a course's files live (``layout``), which languages it may be written in
(``languages``), the Markdown dialect authors write (``dialect``), the content fingerprint
(``fingerprint``), and reading source text below loading and authoring: decoding a file's bytes
(``text``), composing YAML into located nodes (``yaml_nodes``) and the size limits (``limits``).
The loader (``generator/load/``) and the authoring tools (``generator/authoring/``,
``generator/importer/``) both stand on it, so neither reaches into the other."""
