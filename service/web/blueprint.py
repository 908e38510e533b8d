"""The `web` blueprint the clerk pages and their hooks register on; the district's pages nest in it.

A module of its own so that the modules adding routes import it, not the package that imports them.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")
