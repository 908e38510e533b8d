"""The one error mapping: domain exceptions and HTTP errors → {code, status, message, errors}.

API paths get JSON; the clerk pages get the same message as a small Chinese HTML page.
Internal causes are logged, never sent.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template_string, request
from werkzeug.exceptions import HTTPException

from service import errors as e

log = logging.getLogger(__name__)

STATUS = {
    e.InvalidDataset: 422,
    e.UnknownDocument: 404,
    e.UnsupportedFormat: 400,
    e.NotJson: 400,
    e.BadUpload: 400,
    e.TooLarge: 413,
    e.ConversionUnavailable: 503,
    e.ConversionBusy: 503,
    e.ConversionFailed: 503,
}

HTTP_MESSAGES = {
    400: ("bad_request", "请求无效：请求体不是有效的 JSON 或缺少必要参数"),
    404: ("not_found", "找不到请求的地址"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "上传内容过大"),
    500: ("internal_error", "服务器内部错误，已记录，请稍后再试或联系管理员"),
}

_PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>出错了</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>{{ message }}</h1>
{% if errors %}<ul>{% for x in errors %}<li>{{ x.path }}：{{ x.message }}</li>{% endfor %}</ul>{% endif %}
<p><a href="/">返回首页</a></p></body></html>"""


def payload(code: str, status: int, message: str, errors: list | None = None) -> dict:
    return {"code": code, "status": status, "message": message, "errors": errors or []}


def respond(code: str, status: int, message: str, errors: list | None = None, headers: dict | None = None):
    if request.path.startswith("/api/"):
        response = jsonify(payload(code, status, message, errors))
    else:
        response = render_template_string(_PAGE, message=message, errors=errors or [])
        from flask import make_response

        response = make_response(response)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(e.PaichaError)
    def _domain(err: e.PaichaError):
        status = next((s for cls, s in STATUS.items() if isinstance(err, cls)), 400)
        headers = {"Retry-After": str(err.retry_after)} if isinstance(err, e.ConversionBusy) else None
        return respond(err.code, status, err.message, err.errors, headers)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        code, message = HTTP_MESSAGES.get(status, ("error", err.description or "请求失败"))
        if status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            message = f"上传内容过大：超过 {limit // (1024 * 1024)} MB 的限制"
        return respond(code, status, message)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        code, message = HTTP_MESSAGES[500]
        return respond(code, 500, message)
