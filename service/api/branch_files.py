"""/api/v1/branches/<code>/packages/<id> and /workbook: files from a branch's newest valid version."""
from __future__ import annotations

from typing import Optional

from flask import current_app, request
from flask_smorest import Blueprint
from sqlalchemy.orm import undefer

from service.access import guard
from service.documents import packages, stored
from service.documents.render import Output
from service.domain import catalog
from service.errors import NotValidVersion
from service.http.downloads import send_output
from service.http.query import format_of
from service.intake.workbook import filled_workbook
from service.pdf.runtime import converter_for
from service.store import artifacts_of, branches, database, deliveries, now
from service.store.models import Submission

from .branch_params import BRANCH_CODE, PACKAGE_ID
from .branches import STORE
from .documents import PACKAGE_FORMAT, PDF
from .openapi import PACKAGE_FORMATS, error_responses, file_response, package_extensions, refusals

blp = Blueprint("branch_files", __name__, url_prefix="/api/v1",
                description="由支部最新的通过校验的版本生成的文件：报送材料、已填好的数据采集表")

NO_VALID = "该支部还没有通过校验的版本（code=no_valid_version）"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def newest_valid(code: str, as_sent: Optional[str] = None):
    """(content hash, a loader of the canonical dataset) of the branch's newest valid version; with
    as_sent (a deliverable), the version its current 报送 sent, when there is one."""
    db = database(current_app)
    with db.reading() as session:
        branch = branches.get(session, code)
        sub = deliveries.sent_submission(session, branch, as_sent) if as_sent else None
        sub = sub or branches.latest_valid(session, branch)
        if sub is None:
            raise NotValidVersion(f"支部「{code}」还没有通过校验的版本，不能生成文件；请先报送正确的数据")
        sub_id, content_hash = sub.id, sub.content_hash
        guard.note(version=sub.version)

    def dataset() -> dict:
        with db.reading() as session:
            return session.get(Submission, sub_id, options=[undefer(Submission.dataset)]).dataset

    return content_hash, dataset


@blp.route("/branches/<code>/packages/<package_id>", methods=["GET"], parameters=[BRANCH_CODE, PACKAGE_ID])
@blp.doc(parameters=[PACKAGE_FORMAT], description=refusals(PACKAGE_FORMATS), responses={
    "200": file_response("材料文件（Content-Disposition 带中文文件名）；同一版本、同一套模板再次下载时直接取已保存的文件",
                         package_extensions()),
    **error_responses({400: "查询参数 format 为空（code=bad_query），或该材料包不提供所选格式（code=unsupported_format）",
                       404: "没有该支部（code=unknown_branch）或该材料包（code=unknown_document）",
                       409: NO_VALID, 503: f"{PDF}；或{STORE}"}),
})
def branch_package(code: str, package_id: str):
    """由支部最新的通过校验的版本生成一项报送材料（work_plan、tables、stage_summary、final_report、all、print）"""
    return package_of(code, package_id)


def package_of(code: str, package_id: str, as_sent: bool = False):
    """branch_package; as_sent (the district's pages): a deliverable as the branch sent it."""
    pkg = packages.package(package_id)  # 404 before anything else
    content_hash, dataset = newest_valid(code, package_id if as_sent and package_id in catalog.DELIVERABLE_IDS
                                         else None)
    fmt = format_of(request.args)
    app = current_app._get_current_object()
    converter = converter_for(app) if fmt == catalog.PDF or pkg.pdf_only else None
    return send_output(stored.package_output(database(app), artifacts_of(app), content_hash, stored.loader(dataset),
                                             package_id, fmt, converter, now(app)))


@blp.route("/branches/<code>/workbook", methods=["GET"], parameters=[BRANCH_CODE])
@blp.doc(responses={
    "200": file_response("已填好该支部最新的通过校验的数据的数据采集表（Content-Disposition 带中文文件名）", ["xlsx"]),
    **error_responses({404: "没有该支部（code=unknown_branch）", 409: NO_VALID, 503: STORE}),
})
def branch_workbook(code: str):
    """下载已填好该支部最新数据的数据采集表：修改后重新上传，或作为下一次排查的起点"""
    _, dataset = newest_valid(code)
    data = dataset()
    name = data["org"]["name"]
    return send_output(Output(filled_workbook(data), f"{code}-{name}-数据采集表.xlsx", f"{code}-workbook.xlsx", XLSX))
