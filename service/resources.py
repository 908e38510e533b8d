"""The one resource root: templates, pages and the font map travel inside the installed package.

Every file the service reads at run time is package data, found through importlib.resources, so
an installed wheel runs from any directory; nothing is read relative to a checkout.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def package_dir(package: str) -> Path:
    """The directory of an installed package of data files (templates_docx, templates_xlsx …)."""
    root = files(package)
    if not isinstance(root, Path):  # a zipped install: the templates are opened by path
        raise RuntimeError(f"package {package!r} must be installed unpacked (it is {root!r})")
    return root
