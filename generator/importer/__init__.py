"""Importing a module document (headings, lists, fenced tables, a Sources list) as course content.

The flow mirrors the rest of the generator: ``document`` reads the text into a small model that
remembers every line, ``components`` and ``sources`` turn its parts into the course model's
fields, ``plan`` decides the files, and ``write`` puts them in place all at once or not at all.
"""
