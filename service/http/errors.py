"""The one error mapping: domain exceptions and HTTP errors → {code, status, message, errors}.

API paths get JSON; the clerk pages get the same message as a Chinese page (web/message.html)
with a way back. Internal causes are logged, never sent.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, jsonify, make_response, render_template, request, url_for
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import HTTPException

from service import errors as e
from service.http.access import logged_path, request_id
from service.store.db import NOT_STORED

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
    e.StoreUnavailable: 503,
    e.StorageFull: 507,
    e.UnknownBranch: 404,
    e.UnknownVersion: 404,
    e.UnknownVerificationCode: 404,
    e.NotValidVersion: 409,
    e.InvalidBatch: 422,
    e.UnknownBatch: 404,
    e.BatchNotReady: 409,
    e.QueueUnavailable: 503,
    e.NotSignedIn: 401,
    e.Forbidden: 403,
    e.CsrfFailed: 400,
    e.BadQuery: 400,
    e.BadRoster: 422,
    e.InvalidRegister: 422,
    e.BranchHasSubmissions: 409,
    e.DeliverableIncomplete: 422,
    e.InvalidSpotCheck: 422,
    e.UnknownSpotCheck: 404,
    e.NoArchive: 404,
    e.ArchiveNotReady: 409,
    e.UnknownInvitation: 404,
    e.InvitationExpired: 410,
    e.InvitationLocked: 423,
    e.MemberCheckFailed: 403,
    e.UnknownMember: 422,
    e.UnknownResponse: 404,
    e.ResponseDecided: 409,
}

HTTP_MESSAGES = {
    400: ("bad_request", "请求无效：请求体不是有效的 JSON 或缺少必要参数"),
    404: ("not_found", "找不到请求的地址"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "上传内容过大"),
    429: ("too_many_requests", "操作过于频繁，请稍后再试"),
    500: ("internal_error", "服务器内部错误，已记录，请稍后再试或联系管理员"),
}

# What a clerk's page says instead, where the API's wording is for programmers
PAGE_TITLES = {
    "pdf_unavailable": "暂时不能生成 PDF", "busy": "PDF 转换繁忙", "pdf_failed": "PDF 转换失败",
    "store_unavailable": "系统暂时繁忙", "queue_unavailable": "批量生成暂时不可用", "storage_full": "服务器存储空间已满", "forbidden": "无权访问", "too_many_requests": "操作过于频繁",
    "csrf_failed": "页面已过期",
    "not_found": "找不到该页面", "unknown_document": "找不到该文书", "internal_error": "系统出错了", "invalid_dataset": "数据有错误",
}
PAGE_MESSAGES = {
    "pdf_unavailable": "服务器暂时不能转换 PDF（LibreOffice 未安装，或已停止且未能重新启动；请联系管理员）",
    "not_found": "找不到该页面：地址可能有误，请检查地址，或重新上传数据采集表",
    "internal_error": "处理时发生了意外错误，已记录。请稍后重试；如多次出现，请联系区委教育工委",
    "store_unavailable": "系统暂时不能保存或读取数据，请稍后再试；您上传的文件如未显示结果，请重新上传",
}
NOT_STORED_PAGE = "系统暂时不能保存数据：您刚才提交的内容（上传的文件或填写的表单）没有保存，请稍后重新提交"
PDF_CODES = ("pdf_unavailable", "busy", "pdf_failed")


def payload(code: str, status: int, message: str, errors: list | None = None) -> dict:
    return {"code": code, "status": status, "message": message, "errors": errors or []}


FALLBACK_CODE = "error"  # an HTTP status HTTP_MESSAGES does not name
CODES = tuple(dict.fromkeys([cls.code for cls in STATUS] + [code for code, _ in HTTP_MESSAGES.values()]
                            + [FALLBACK_CODE]))


class ErrorItemSchema(Schema):
    """One item of `errors` (schemas.validate's shape)."""

    path = fields.String(required=True, metadata={
        "description": "JSON 路径，如 members[3].id_number；整个数据包有误时为空字符串"})
    message = fields.String(required=True, metadata={"description": "中文说明"})


class ErrorSchema(Schema):
    """What every API error sends (payload()): documentation only, for the OpenAPI document."""

    code = fields.String(required=True, validate=validate.OneOf(CODES), metadata={"description": "错误类别"})
    status = fields.Integer(required=True, metadata={"description": "HTTP 状态码"})
    message = fields.String(required=True, metadata={"description": "中文说明"})
    errors = fields.List(fields.Nested(ErrorItemSchema), required=True, metadata={
        "description": "逐项错误（数据包未通过校验时），其余为空数组"})


def _page(code: str, status: int, message: str, errors: list):
    message = NOT_STORED_PAGE if message == NOT_STORED else PAGE_MESSAGES.get(code, message)
    if code == "internal_error":  # the clerk can quote it; the administrator finds the trace by it
        message = with_request_id(message)
    message = message.rstrip("。")
    if code in PDF_CODES:
        message += "。Word/Excel 格式的文件仍可下载，用 WPS 或 Word 打开后也可自行另存为 PDF。"
    token = (request.view_args or {}).get("token")
    back = url_for("web.result", token=token) if token and code != "not_found" else request.referrer
    html = render_template("web/message.html", title=PAGE_TITLES.get(code, "无法处理"), message=message,
                           errors=errors, back=back)
    return make_response(html, status)


def respond(code: str, status: int, message: str, errors: list | None = None, headers=None):
    if request.path.startswith("/api/") or request.path in ("/healthz", "/readyz", "/metrics"):
        response = jsonify(payload(code, status, message, errors))
        response.status_code = status
    else:
        response = _page(code, status, message, errors or [])
    for key, value in headers.items() if isinstance(headers, dict) else headers or ():
        response.headers[key] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(e.PaichaError)
    def _domain(err: e.PaichaError):
        status = next((s for cls, s in STATUS.items() if isinstance(err, cls)), 400)
        if isinstance(err, e.ConversionUnavailable):
            log.warning("PDF unavailable: %s", err.message)
        retry_after = getattr(err, "retry_after", None)  # busy PDF engine, database not answering
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        headers.update(getattr(err, "headers", None) or {})  # WWW-Authenticate on a 401
        return respond(err.code, status, err.message, err.errors, headers)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        code, message = HTTP_MESSAGES.get(status, (FALLBACK_CODE, "请求无法完成"))
        if status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            message = f"上传内容过大：超过 {limit // (1024 * 1024)} MB 的限制"
        if status == 500:
            message = with_request_id(message)
        # the exception's own headers (Allow on a 405, WWW-Authenticate …), not its HTML body's type
        headers = [(k, v) for k, v in err.get_headers() if k.lower() != "content-type"]
        if status == 429:  # a rate limit (service.access.limits): how long until it lets the caller in
            wait = seconds_to_wait()
            message = f"操作过于频繁，请 {wait} 秒后再试"
            headers.append(("Retry-After", str(wait)))
        return respond(code, status, message, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        """Logged with its trace and the request id; the client gets the id and nothing of the trace."""
        log.exception("unhandled error on %s %s", request.method, logged_path())
        code, message = HTTP_MESSAGES[500]
        return respond(code, 500, with_request_id(message))


def seconds_to_wait() -> int:
    """Whole seconds until the limit a refused request broke lets it in again (at least 1): Flask-Limiter's
    own record of the limit it applied, whichever limiter service.access.limits set up."""
    for limiter in current_app.extensions.get("limiter", ()):
        breached = limiter.current_limit
        if breached is not None:
            return max(1, int(breached.reset_at - time.time()) + 1)
    return 60


def with_request_id(message: str) -> str:
    """A message the administrator can find in the log: it names the request's id."""
    rid = request_id()
    return f"{message.rstrip('。')}（请求编号 {rid}）" if rid else message
