"""The templates' hash: with a version's content hash it keys a rendered artifact, so a file is made
once per dataset and set of templates, and made again when a template (or this program) changes."""
from __future__ import annotations

import functools
import hashlib
from importlib import metadata

from service.resources import package_dir

TEMPLATE_PACKAGES = ("templates_docx", "templates_xlsx")
RENDERING = b"paicha-rendering-1"  # raised when the renderers change what the same templates give


@functools.cache
def templates_hash() -> str:
    """SHA-256 over every template's name and bytes, the renderers' scheme and the program's version."""
    digest = hashlib.sha256(RENDERING)
    try:
        digest.update(metadata.version("paicha").encode())
    except metadata.PackageNotFoundError:  # a checkout that was never installed
        pass
    for package in TEMPLATE_PACKAGES:
        for path in sorted(p for p in package_dir(package).iterdir() if p.suffix in (".docx", ".xlsx")):
            digest.update(f"\0{package}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
