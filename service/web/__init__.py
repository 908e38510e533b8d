"""The clerk pages (Chinese, server-rendered): download the workbook, upload it, fix errors, download documents;
and, nested, the district's pages (service.web.district).

Config keys read from current_app.config:
- DATABASE_URL        through service.store: every upload is kept there as a submission
- MAX_CONTENT_LENGTH  upload size limit (the app sets 5 MB); beyond it the page says so (413)
- PDF_ENABLED         through service.pdf.runtime: PDF links answer with a Chinese page when off
"""
from __future__ import annotations

from . import browser, deliver, members, pages, result_fix, roster  # noqa: F401  (routes and page context on bp)
from .blueprint import bp
from .district import bp as district  # the district's pages: /district/…, endpoints web.district.*

__all__ = ["bp"]

bp.register_blueprint(district)
