"""/api/v1/district/spot-checks: draw a 随机抽查 sample, list the draws, read one, its checklist (DOCX) —
thin handlers over service.documents.spot_draws. Each draw is kept with who drew it, and the audit
trail records it (action spot_check) with its seed and sizes."""
from __future__ import annotations

import secrets

from flask import current_app, url_for
from flask_smorest import Blueprint
from marshmallow import fields, validate

from schemas.requests import MAX_SEED, load_spot_check
from service.access import guard
from service.documents import spot_draws
from service.domain import check_items
from service.http.body import json_body
from service.http.downloads import send_output
from service.store import database, now, spot_checks

from .openapi import STORE, Strict, error_responses, file_response, json_content, refusals

blp = Blueprint("spot_checks", __name__, url_prefix="/api/v1/district",
                description="随机抽查（通知：「采取随机抽查」）：按随机种子抽取党组织和党员，生成核查清单")

SPOT_ID = {"in": "path", "name": "spot_id", "required": True, "description": "抽查记录编号（抽取时返回）",
           "schema": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}
UNKNOWN = "没有该编号的抽查记录（code=unknown_spot_check）"


class DrawnMemberSchema(Strict):
    name = fields.String(required=True)
    id_number = fields.String(required=True, metadata={"description": "公民身份号码（已遮盖，只留前4位和后4位）"})
    person_category = fields.String(required=True)
    member_type = fields.String(required=True)
    facts = fields.Dict(keys=fields.String(validate=validate.OneOf(check_items.ITEMS)), values=fields.String(),
                        required=True, metadata={"description": "三查各项：支部报送的情况（含提示）"})


class DrawnBranchSchema(Strict):
    code = fields.String(required=True)
    name = fields.String(required=True)
    findings = fields.Integer(required=True, metadata={"description": "该支部的三查三核提示条数"})
    in_scope = fields.Integer(required=True, metadata={"description": "可抽取的排查对象人数"})
    members = fields.List(fields.Nested(DrawnMemberSchema), required=True, metadata={"description": "按身份证号排序"})


class SampleSchema(Strict):
    seed = fields.Integer(required=True)
    weighted = fields.Boolean(required=True)
    branches_asked = fields.Integer(required=True)
    members_asked = fields.Integer(required=True)
    candidates = fields.Integer(required=True, metadata={"description": "参与抽取的党组织数（有有效数据的）"})
    branches = fields.List(fields.Nested(DrawnBranchSchema), required=True, metadata={"description": "按编号排序"})


class SpotCheckLineSchema(Strict):
    id = fields.String(required=True, metadata={"description": "抽查记录编号"})
    seed = fields.Integer(required=True, validate=validate.Range(min=0, max=MAX_SEED), metadata={"description": "随机种子"})
    branches = fields.Integer(required=True, metadata={"description": "要求抽取的党组织数"})
    members = fields.Integer(required=True, metadata={"description": "要求每个党组织抽取的党员数"})
    weighted = fields.Boolean(required=True)
    drawn_by = fields.String(required=True, metadata={"description": "抽取人"})
    drawn_at = fields.String(required=True, metadata={"description": "抽取时间（ISO 8601，UTC）"})
    drawn_branches = fields.Integer(required=True, metadata={"description": "实际抽到的党组织数"})
    drawn_members = fields.Integer(required=True, metadata={"description": "实际抽到的党员数"})
    checklist = fields.String(required=True, metadata={"description": "核查清单（DOCX）的下载地址"})


class SpotCheckSchema(SpotCheckLineSchema):
    sample = fields.Nested(SampleSchema, required=True, metadata={"description": "抽取的样本"})


class SpotCheckListSchema(Strict):
    total = fields.Integer(required=True, metadata={"description": "抽查记录总数"})
    spot_checks = fields.List(fields.Nested(SpotCheckLineSchema), required=True,
                              metadata={"description": "最近的 50 次，新的在前"})


def _linked(line: dict) -> dict:
    return {**line, "checklist": url_for("spot_checks.checklist", spot_id=line["id"])}


def draw_now(app, body) -> dict:
    """Draw as the API does (the page's form calls this too): the request checked by its schema."""
    request = load_spot_check(body)
    seed = request.seed if request.seed is not None else secrets.randbelow(10 ** 9)
    who = guard.actor() or "—"
    drawn = spot_draws.draw(database(app), request.branches, request.members, seed, request.weighted, who, now(app))
    guard.note(detail=f"随机抽查：种子 {seed}，{request.branches} 个党组织 × {request.members} 名"
                      f"{'（加权）' if request.weighted else ''}，记录 {drawn['id']}")
    return _linked(drawn)


@blp.route("/spot-checks", methods=["POST"])
@blp.doc(requestBody={"required": True, "description": "抽取多少个党组织、每个多少名党员，随机种子，是否加权",
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SpotCheckRequest"}}}},
         description=refusals("须已有党组织报送有效数据（409，code=no_valid_version）"),
         responses={"201": {"description": "抽取的样本（已保存，并记入访问记录）；checklist 为核查清单的下载地址",
                            "content": json_content("SpotCheck"),
                            "headers": {"Location": {"description": "该抽查记录的地址", "required": True,
                                                     "schema": {"type": "string"}}}},
                    **error_responses({400: "请求体为空或不是 JSON（code=bad_json）",
                                       409: "尚无党组织报送有效数据（code=no_valid_version）",
                                       413: "请求体超过大小限制（code=too_large）",
                                       422: "数字缺少或超出范围（code=invalid_spot_check）", 503: STORE})})
def draw():
    """随机抽查：按随机种子抽取党组织和党员（同一种子、同样的数据抽出同样的样本）"""
    answer = draw_now(current_app._get_current_object(), json_body())
    return answer, 201, {"Location": url_for("spot_checks.one", spot_id=answer["id"])}


@blp.route("/spot-checks", methods=["GET"])
@blp.doc(responses={"200": {"description": "最近的抽查记录", "content": json_content("SpotCheckList")},
                    **error_responses({503: STORE})})
def listing():
    """随机抽查记录：谁在何时以哪个种子抽取了多少"""
    with database(current_app).reading() as session:
        rows, total = spot_checks.listed(session)
        return {"total": total, "spot_checks": [_linked(spot_checks.as_dict(r, with_sample=False)) for r in rows]}


@blp.route("/spot-checks/<spot_id>", methods=["GET"], parameters=[SPOT_ID])
@blp.doc(responses={"200": {"description": "一次抽查及其样本", "content": json_content("SpotCheck")},
                    **error_responses({404: UNKNOWN, 503: STORE})})
def one(spot_id: str):
    """一次随机抽查的样本"""
    with database(current_app).reading() as session:
        return _linked(spot_checks.as_dict(spot_checks.get(session, spot_id)))


@blp.route("/spot-checks/<spot_id>/checklist", methods=["GET"], parameters=[SPOT_ID])
@blp.doc(responses={"200": file_response("随机抽查清单（Word）：每个党组织一节，党员身份证号已遮盖，逐人列出三查各项", ["docx"]),
                    **error_responses({404: UNKNOWN, 503: STORE})})
def checklist(spot_id: str):
    """随机抽查清单（DOCX）"""
    return send_output(spot_draws.checklist(database(current_app), spot_id))
