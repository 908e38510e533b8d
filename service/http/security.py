"""What every response says to the browser about safety, and the body limit every route keeps.

- Content-Security-Policy: scripts and styles only from the service's own files (no inline script,
  no inline style, no eval), nothing framed, no plugin, no <base>, forms post only here. Swagger UI
  at /api/v1/docs works under it (service.api.swagger_ui serves its initializer as a file).
- X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer (a result URL never leaves in a
  Referer header), X-Frame-Options: DENY (frame-ancestors for browsers without CSP 2).
- Cache-Control: no-store on everything but the static files: the API's documents and packages,
  the clerk's result pages and downloads all carry members' personal data, and so may any error
  page that repeats an input; a shared or browser cache must keep none of it.
- A declared body over MAX_CONTENT_LENGTH is 413 before any view runs, on every route (a route
  that never reads its body would otherwise accept it); views that read a body are limited by
  Flask as they read. The clerk's upload answers its own 413 with the form and the reason.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Swagger UI's stylesheet draws its icons as data: SVG
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Files that are the same for everyone: the clerk pages' style and scripts, Swagger UI's bundle
STATIC_ENDPOINTS = frozenset({"static", "web.static", "swagger_ui_file"})
OWN_LIMIT_ENDPOINTS = frozenset({"web.upload_file"})  # shows its own 413: the form again, with the reason


def register(app: Flask) -> None:
    app.before_request(_limit_body)
    app.after_request(_headers)


def _limit_body() -> None:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    length = request.content_length
    if limit and length is not None and length > limit and request.endpoint not in OWN_LIMIT_ENDPOINTS:
        raise RequestEntityTooLarge()


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in STATIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response
