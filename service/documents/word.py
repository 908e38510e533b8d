"""Word rendering: a docxtpl template from templates_docx/ filled with a context."""
from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate

from . import template_cache
from .determinism import fix_office_zip, office_zip

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_docx"


def template_path(name: str) -> Path:
    return TEMPLATES / name


def render_docx(template_name: str, context: dict) -> bytes:
    """The template compiled once per file version, autoescaped: user text never becomes code."""
    path = template_path(template_name)
    try:
        prep = template_cache.prepared(path)
    except NotImplementedError:  # a template part the cache does not handle: plain docxtpl
        return _render_plain(path, context)
    return office_zip(template_cache.render_entries(prep, context))


def _render_plain(path: Path, context: dict) -> bytes:
    """A fresh DocxTemplate, autoescaped, saved and made deterministic."""
    tpl = DocxTemplate(str(path))
    tpl.render(context, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return fix_office_zip(buf.getvalue())


def placeholders(template_name: str) -> set[str]:
    """Top-level names a template uses (for the test that every context provides them)."""
    tpl = DocxTemplate(str(template_path(template_name)))
    return set(tpl.get_undeclared_template_variables())
