"""/api/v1/batches: start a batch, follow it, download its zip — thin handlers over service.jobs."""
from __future__ import annotations

from flask import Response, current_app, request, url_for
from flask_smorest import Blueprint
from marshmallow import fields, validate
from werkzeug.wsgi import wrap_file

from schemas.requests import load_batch
from service.clock import utcnow
from service.domain import catalog
from service.http.body import json_body
from service.http.downloads import content_disposition
from service.jobs import archive, batches
from service.jobs import progress as following
from service.jobs.queue import runner_for
from service.pdf.runtime import converter_for
from service.store import artifacts_of, database
from service.store.batches import BATCH_STATES, ITEM_STATES

from .openapi import Strict, error_responses, file_response, json_content, refusals

blp = Blueprint("batches", __name__, url_prefix="/api/v1", description="批量重新生成各支部的文书，打包下载")

BATCH_ID = {"in": "path", "name": "batch_id", "required": True, "description": "批量生成任务编号（创建时返回）",
            "schema": {"type": "string", "pattern": following.ID.pattern}}
QUEUE_DOWN = "设置了 REDIS_URL 而 Redis 无法连接（code=queue_unavailable，带 Retry-After）"
UNKNOWN = "没有该编号的批量生成任务（code=unknown_batch）"


class BatchBranchSchema(Strict):
    code = fields.String(required=True, metadata={"description": "支部编号"})
    name = fields.String(required=True, allow_none=True, metadata={"description": "支部名称"})
    state = fields.String(required=True, validate=validate.OneOf(ITEM_STATES), metadata={
        "description": "queued 排队中，running 生成中，done 已生成，failed 失败，skipped 数据和模板未变、沿用已生成的文件"})
    attempts = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": "已尝试次数"})
    version = fields.Integer(required=True, allow_none=True, metadata={"description": "所用的数据版本号"})
    error = fields.String(required=True, allow_none=True, metadata={"description": "失败（或上次重试）的原因"})
    finished_at = fields.DateTime(required=True, allow_none=True, metadata={"description": "完成时间（UTC）"})


def _count(text: str) -> fields.Integer:
    return fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": text})


class BatchProgressSchema(Strict):
    id = fields.String(required=True, metadata={"description": "任务编号"})
    state = fields.String(required=True, validate=validate.OneOf(BATCH_STATES), metadata={
        "description": "running 进行中；finished 每个支部都已完成（生成、失败或跳过）"})
    created_at = fields.DateTime(required=True, metadata={"description": "创建时间（UTC）"})
    finished_at = fields.DateTime(required=True, allow_none=True, metadata={"description": "完成时间（UTC）"})
    actor = fields.String(required=True, allow_none=True, metadata={"description": "发起人"})
    requested = fields.List(fields.String(), required=True, allow_none=True, metadata={
        "description": "请求的支部编号；null 为全部支部"})
    packages = fields.List(fields.String(validate=validate.OneOf(catalog.PACKAGE_IDS)), required=True)
    format = fields.String(required=True, validate=validate.OneOf(catalog.BATCH_FORMATS))
    total = _count("支部总数")
    done = _count("已生成")
    failed = _count("失败")
    skipped = _count("跳过（数据和模板均未变化）")
    queued = _count("排队中")
    running = _count("生成中")
    percent = fields.Integer(required=True, validate=validate.Range(min=0, max=100), metadata={"description": "完成百分比"})
    message = fields.String(required=True, metadata={"description": "进度的中文说明"})
    download = fields.String(required=True, allow_none=True, metadata={"description": "完成后的下载地址"})
    branches = fields.List(fields.Nested(BatchBranchSchema), required=True, metadata={"description": "每个支部的状态"})


PROGRESS = {"description": "批量生成的进度", "content": json_content("BatchProgress")}
RETRY_AFTER = {"description": "秒数：多久后可重试（任务队列无法连接时）", "schema": {"type": "integer", "minimum": 0}}


def errors(described: dict[int, str]) -> dict:
    """The error responses, with this API's meaning of Retry-After on 503."""
    out = error_responses(described)
    if "503" in out:
        out["503"]["headers"] = {"Retry-After": RETRY_AFTER}
    return out


@blp.route("/batches", methods=["POST"])
@blp.doc(requestBody={"required": True, "description": "要生成的支部、材料包和格式",
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchRequest"}}}},
         description=refusals("branches 中的每个编号须是已报送过数据的支部（422，code=invalid_batch；errors 的 path 为 branches[i]）",
                              "省略 branches（全部支部）时须已有支部报送过数据（422，code=invalid_batch）"),
         responses={"202": {**PROGRESS, "description": "已创建，开始生成；Location 为进度地址",
                            "headers": {"Location": {"description": "进度地址", "required": True,
                                                     "schema": {"type": "string"}}}},
                    **errors({400: "请求体为空或不是 JSON（code=bad_json）", 413: "请求体超过大小限制（code=too_large）",
                                       422: "支部编号不存在、材料包或格式有误，或还没有任何支部报送过数据（code=invalid_batch）",
                                       503: QUEUE_DOWN})})
def start():
    """开始批量生成：为每个支部的最新有效版本生成所选材料；数据和模板都未变化的支部跳过"""
    body = load_batch(json_body())
    runner = runner_for(current_app)
    batch_id = batches.create(database(current_app), runner, body, utcnow())
    answer = following.progress(database(current_app), runner, batch_id)
    return answer, 202, {"Location": url_for("batches.progress", batch_id=batch_id)}


@blp.route("/batches/<batch_id>", methods=["GET"], parameters=[BATCH_ID])
@blp.doc(responses={"200": PROGRESS, **errors({404: UNKNOWN, 503: QUEUE_DOWN})})
def progress(batch_id: str):
    """批量生成的进度：已生成、失败、跳过的支部数，和每个支部的状态与失败原因"""
    return following.progress(database(current_app), runner_for(current_app), batch_id)


@blp.route("/batches/<batch_id>/download", methods=["GET"], parameters=[BATCH_ID])
@blp.doc(responses={"200": file_response("全部支部的材料，每个支部一个文件夹「编号-名称/」", ["zip"]),
                    **errors({404: UNKNOWN, 409: "尚未完成，或没有任何支部生成了文件（code=not_ready）",
                              507: "服务器临时目录空间已满，无法打包；清理空间后再下载（code=storage_full）"})})
def download(batch_id: str):
    """下载批量生成的结果：武进区教育系统-党员组织关系排查-日期.zip"""
    app = current_app._get_current_object()
    made = archive.archive(database(app), artifacts_of(app), batch_id, lambda: converter_for(app))
    response = Response(wrap_file(request.environ, made.file), mimetype="application/zip", direct_passthrough=True)
    response.headers["Content-Disposition"] = content_disposition(made.filename, made.ascii_filename)
    response.headers["Content-Length"] = str(made.size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
