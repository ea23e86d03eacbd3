"""MkDocs hooks that a staged configuration names by file path."""
