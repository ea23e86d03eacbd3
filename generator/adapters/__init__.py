"""Adapters: the command line, the MkDocs plugin and build, the handout process. They may import
the core (model, load, checks, render, export); the core never imports them."""
