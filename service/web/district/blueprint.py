"""The `district` blueprint (/district/…) the district's pages and template filters register on.

A module of its own so that the modules adding routes import it, not the package that imports them.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("district", __name__, url_prefix="/district")
