"""Swagger UI at /api/v1/docs, served whole by the service: no CDN, and no inline script.

Its files come from the swagger-ui-bundle package (swagger-ui-dist as Python package data) at
OPENAPI_SWAGGER_UI_URL. flask-smorest's own page starts Swagger UI with an inline script, which the
Content-Security-Policy (service.http.security) forbids; this module answers the page instead, with
the same assets and the initializer as a file (swagger_init.js, package data) that reads the spec's
URL and the OPENAPI_SWAGGER_UI_CONFIG from the page's container.
"""
from __future__ import annotations

from importlib.resources import files

from flask import Flask, Response, current_app, render_template_string, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path

INIT = "paicha-swagger-init.js"  # among the bundle's files, under the same URL prefix
PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link href="{{ base }}swagger-ui.css" rel="stylesheet" type="text/css">
</head>
<body>
<div id="swagger-ui-container" data-spec-url="{{ spec_url }}" data-config='{{ config | tojson }}'></div>
<script src="{{ base }}swagger-ui-standalone-preset.js"></script>
<script src="{{ base }}swagger-ui-bundle.js"></script>
<script src="{{ base }}{{ init }}"></script>
</body>
</html>
"""


def register(app: Flask, page_endpoint: str = "api-docs.openapi_swagger_ui") -> None:
    """GET <OPENAPI_SWAGGER_UI_URL><file> for the page's script and style; the page itself replaced."""
    prefix = app.config["OPENAPI_SWAGGER_UI_URL"]
    if "://" in prefix or not prefix.startswith("/"):
        raise ValueError(f"OPENAPI_SWAGGER_UI_URL must be a local path, not {prefix!r}")
    directory = str(swagger_ui_path)

    def swagger_ui_file(filename: str):
        if filename == INIT:
            return Response(files("service.api").joinpath("swagger_init.js").read_bytes(), mimetype="text/javascript")
        return send_from_directory(directory, filename)

    app.add_url_rule(prefix.rstrip("/") + "/<path:filename>", "swagger_ui_file", swagger_ui_file, methods=["GET"])
    app.view_functions[page_endpoint] = page


def page():
    """flask-smorest's Swagger UI page without its inline script."""
    config = current_app.config
    return render_template_string(PAGE, title=config["API_TITLE"], base=config["OPENAPI_SWAGGER_UI_URL"],
                                  spec_url=url_for("api-docs.openapi_json"), init=INIT,
                                  config=config.get("OPENAPI_SWAGGER_UI_CONFIG", {}))
