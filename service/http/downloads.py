"""File responses with the exact Chinese name and a meaningful ASCII fallback (RFC 6266/5987)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

from service.documents.render import Output


def content_disposition(filename: str, ascii_filename: str) -> str:
    fallback = ascii_filename.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_output(output: Output) -> Response:
    response = Response(output.data, mimetype=output.mimetype)
    response.headers["Content-Disposition"] = content_disposition(output.filename, output.ascii_filename)
    response.headers["Content-Length"] = str(len(output.data))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
