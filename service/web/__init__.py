"""The clerk pages (Chinese, server-rendered): download the workbook, upload it, fix errors, download documents;
and, nested, the district's pages (service.web.district).

Config keys read from current_app.config:
- DATABASE_URL        through service.store: every upload is kept there as a submission
- MAX_CONTENT_LENGTH  upload size limit (the app sets 5 MB); beyond it the page says so (413)
- PDF_ENABLED         through service.pdf_runtime: PDF links answer with a Chinese page when off
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")

from . import browser, pages, roster  # noqa: E402,F401  (routes and page context register on bp)
from .district import bp as district  # noqa: E402  (the district's pages: /district/…, endpoints web.district.*)

bp.register_blueprint(district)
