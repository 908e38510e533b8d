"""/api/v1/district/archive: start the campaign archive (a job on the batch queue), follow it, download
the newest finished one — thin handlers over service.jobs.district_archive."""
from __future__ import annotations

from flask import current_app, url_for
from flask_smorest import Blueprint
from marshmallow import fields, validate

from service.access import guard
from service.errors import UnknownBatch
from service.http.downloads import send_output
from service.jobs import district_archive
from service.jobs.queue import runner_for
from service.store import artifacts_of, database, now
from service.store.district_tables import ARCHIVE_STATES

from .openapi import STORE, Strict, error_responses, file_response, json_content, refusals

blp = Blueprint("district_archive", __name__, url_prefix="/api/v1/district",
                description="归档：各党组织报送的材料（PDF/A-2b，表格另附 XLSX）和 manifest.csv，一个压缩包")

ARCHIVE_ID = {"in": "path", "name": "archive_id", "required": True, "description": "归档任务编号（开始时返回）",
              "schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}
QUEUE_DOWN = "设置了 REDIS_URL 而 Redis 无法连接（code=queue_unavailable，带 Retry-After）"
UNKNOWN = "没有该编号的归档任务（code=unknown_batch）"


class ArchiveProgressSchema(Strict):
    id = fields.String(required=True, metadata={"description": "归档任务编号"})
    state = fields.String(required=True, validate=validate.OneOf(ARCHIVE_STATES),
                          metadata={"description": "building 生成中，finished 已完成，failed 失败"})
    actor = fields.String(required=True, allow_none=True, metadata={"description": "发起人"})
    created_at = fields.String(required=True, metadata={"description": "开始时间（ISO 8601，UTC）"})
    finished_at = fields.String(required=True, allow_none=True, metadata={"description": "完成时间"})
    total = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": "党组织数"})
    done = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": "已完成的党组织数"})
    converted = fields.Integer(required=True, validate=validate.Range(min=0),
                               metadata={"description": "新转换的 PDF/A 文件数（其余沿用已保存的）"})
    percent = fields.Integer(required=True, validate=validate.Range(min=0, max=100))
    message = fields.String(required=True, metadata={"description": "进度的中文说明"})
    download = fields.String(required=True, allow_none=True, metadata={"description": "完成后的下载地址"})


def _answer(state: dict) -> dict:
    return {**state, "download": url_for("district_archive.download") if state["state"] == "finished" else None}


@blp.route("/archive", methods=["POST"])
@blp.doc(description=refusals("须已有党组织报送有效数据（409，code=no_valid_version）"),
         responses={"202": {"description": "已开始生成；Location 为进度地址", "content": json_content("ArchiveProgress"),
                            "headers": {"Location": {"description": "进度地址", "required": True,
                                                     "schema": {"type": "string"}}}},
                    **error_responses({409: "尚无党组织报送有效数据（code=no_valid_version）",
                                       503: QUEUE_DOWN + "；" + STORE})})
def start():
    """开始归档：各党组织报送的材料转为 PDF/A-2b，打包并附 manifest.csv（在任务队列中生成）"""
    app = current_app._get_current_object()
    token = district_archive.start(database(app), runner_for(app), guard.actor(), now(app))
    guard.note(detail=f"开始归档 {token}")
    state = district_archive.one(database(app), token)
    return _answer(state), 202, {"Location": url_for("district_archive.progress", archive_id=token)}


@blp.route("/archive", methods=["GET"])
@blp.doc(responses={"200": file_response("最新一份已完成的归档（zip）：每个党组织一个文件夹「编号-名称/」，"
                                         "各项材料为 PDF/A-2b，表格另附 XLSX；manifest.csv 列出支部、材料、版本、校验码、文件、SHA-256、报送时间",
                                         ["zip"]),
                    **error_responses({404: "还没有归档（code=no_archive）",
                                       409: "第一份归档正在生成（code=not_ready）", 503: STORE})})
def download():
    """下载最新一份归档"""
    app = current_app._get_current_object()
    kept = district_archive.newest_zip(database(app), artifacts_of(app))
    return send_output(kept)


@blp.route("/archive/<archive_id>", methods=["GET"], parameters=[ARCHIVE_ID])
@blp.doc(responses={"200": {"description": "归档的进度", "content": json_content("ArchiveProgress")},
                    **error_responses({404: UNKNOWN, 503: STORE})})
def progress(archive_id: str):
    """归档的进度：已完成的党组织数、新转换的 PDF/A 文件数"""
    state = district_archive.one(database(current_app), archive_id)
    if state is None:
        raise UnknownBatch(f"没有编号为「{archive_id[:32]}」的归档任务")
    return _answer(state)
