"""Swagger UI's own files, served by the service at OPENAPI_SWAGGER_UI_URL: /api/v1/docs needs no CDN.

The files come from the swagger-ui-bundle package (swagger-ui-dist as Python package data).
"""
from __future__ import annotations

from flask import Flask, send_from_directory
from swagger_ui_bundle import swagger_ui_path


def register(app: Flask) -> None:
    """GET <OPENAPI_SWAGGER_UI_URL><file>: the page flask-smorest renders loads its script and style there."""
    prefix = app.config["OPENAPI_SWAGGER_UI_URL"]
    if "://" in prefix or not prefix.startswith("/"):
        raise ValueError(f"OPENAPI_SWAGGER_UI_URL must be a local path, not {prefix!r}")
    directory = str(swagger_ui_path)

    def swagger_ui_file(filename: str):
        return send_from_directory(directory, filename)

    app.add_url_rule(prefix.rstrip("/") + "/<path:filename>", "swagger_ui_file", swagger_ui_file, methods=["GET"])
