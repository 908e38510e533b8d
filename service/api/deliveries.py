"""/api/v1/branches/<code>/deliverables: 报送, one deliverable at a time (issue 18 part 2).

Storing a dataset is 保存; a 报送 is a separate act per deliverable, of one valid version (the newest
when none is named). Each deliverable's status counts from its own current 报送.
"""
from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint

from schemas.requests import VERSION as VERSION_RULE, load_deliver
from service.access import guard
from service.domain import catalog, delivery
from service.http.body import json_body
from service.store import branches, campaign, database, deliveries, now

from .branch_params import BRANCH_CODE
from .branches import STORE
from .documents import NOT_JSON, TOO_LARGE
from .openapi import error_responses, json_content, refusals

blp = Blueprint("deliveries", __name__, url_prefix="/api/v1",
                description="报送：四项材料各自报送某一版数据（保存不等于报送）")

DELIVERABLE = {"in": "path", "name": "deliverable", "required": True, "example": "tables",
               "description": "报送材料：work_plan（工作方案）、tables（附件3—9）、stage_summary（阶段性小结）、"
                              "final_report（工作总结）",
               "schema": {"type": "string", "enum": list(catalog.DELIVERABLE_IDS)}}
ANY_DELIVERABLE = f"any({','.join(catalog.DELIVERABLE_IDS)})"
INCOMPLETE = "；".join(f"{catalog.DELIVERABLE_LABELS[d]}须先填写" + "、".join(f"{name}（{path}）" for path, name in fields)
                      for d, fields in delivery.REQUIRED.items())
NOT_SENDABLE = ("所选版本未通过校验，或该支部还没有通过校验的版本（code=no_valid_version）")
UNKNOWN = "没有该支部（code=unknown_branch）或该版本（code=unknown_version）"
DELIVER_BODY = {"required": False, "description": "报送哪一版；可省略请求体或 version，即报送最新的通过校验的版本",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeliverBody"}}}}


@blp.route(f"/branches/<code>/deliverables/<{ANY_DELIVERABLE}:deliverable>/submit", methods=["POST"],
           parameters=[BRANCH_CODE, DELIVERABLE])
@blp.doc(requestBody=DELIVER_BODY, description=refusals(
    f"{INCOMPLETE}：未填写时拒绝报送，errors 逐项列出缺少的字段（422，code=incomplete_deliverable）",
    f"{VERSION_RULE}（422，code=invalid_dataset）")
    + "\n\n再次报送同一项材料即替换上一次报送（记录保留，区委教育工委看到「已重新报送」）；退回修改使由该版本报送的材料重新待报送。",
    responses={"201": {"description": "已报送：报送时间、版本号和校验码", "content": json_content("Delivered")},
               **error_responses({400: NOT_JSON, 404: UNKNOWN, 409: NOT_SENDABLE, 413: TOO_LARGE,
                                  422: f"请求体无效（code=invalid_dataset），或材料尚缺必填内容"
                                       f"（code=incomplete_deliverable）：errors 逐项列出。{INCOMPLETE}",
                                  503: STORE})})
def submit(code: str, deliverable: str):
    """报送一项材料：把某一版（缺省为最新的通过校验的版本）作为该材料的报送，记下报送时间和校验码"""
    raw = request.get_data(cache=True)
    number = load_deliver(json_body_or_empty(raw))
    app = current_app._get_current_object()
    with database(app).writing() as session:
        branch = branches.get(session, code)
        sub = deliveries.pick(session, branch, number)
        guard.note(version=sub.version, detail=deliverable)
        row = deliveries.deliver(session, branch, deliverable, sub, guard.actor(), "api", now(app))
        return {"code": branch.code, **deliveries.as_dict(row)}, 201


@blp.route("/branches/<code>/deliverables", methods=["GET"], parameters=[BRANCH_CODE])
@blp.doc(responses={"200": {"description": "四项材料：期限、状态、当前的报送和全部报送记录",
                            "content": json_content("Deliverables")},
                    **error_responses({404: "没有该编号的支部（code=unknown_branch）", 503: STORE})})
def deliverables(code: str):
    """一个支部的四项材料：各自的报送期限、状态（按时报送、逾期报送、未到期、逾期未报）、当前的报送和报送记录"""
    app = current_app._get_current_object()
    db = database(app)
    due = campaign.deadlines(db)
    at = now(app)
    with db.reading() as session:
        branch = branches.get(session, code)
        return {"code": branch.code, "as_of": at.isoformat(), "deliverables": deliveries.board(session, branch, due, at)}


def json_body_or_empty(raw: bytes):
    """The body as JSON; an empty body is {} (the version is optional)."""
    return json_body() if raw.strip() else {}
