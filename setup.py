"""Packaging beside pyproject.toml: the top-level site_templates/ folder (templates, theme
overrides, assets) ships inside the wheel as the package data ``generator/site_templates``, so an
installed Coursesmith finds it without this checkout. Every folder of it is listed as a package
of data so setuptools copies it whole."""

from pathlib import Path

from setuptools import find_packages, setup

TEMPLATES = "site_templates"
DATA = "generator.site_templates"
folders = sorted(
    path for path in Path(TEMPLATES).rglob("*") if path.is_dir() and "__pycache__" not in path.parts
)
data_packages = [DATA, *(".".join((DATA, *p.relative_to(TEMPLATES).parts)) for p in folders)]

setup(
    packages=[*find_packages(include=["generator", "generator.*"]), *data_packages],
    package_dir={DATA: TEMPLATES},
    package_data={name: ["*", ".*"] for name in data_packages},
)
