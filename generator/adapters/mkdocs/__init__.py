"""The MkDocs adapter: the plugin MkDocs loads and running MkDocs as a library."""
