"""/api/v1/campaign and /api/v1/register: the district's campaign and its register of branches (issue 18
part 1) — thin handlers over schemas.register (the bodies) and service.store.campaign / .register."""
from __future__ import annotations

import re

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import fields, validate

from schemas.register import CampaignBodySchema, RegisterBodySchema, load_campaign, load_register
from service.access import guard
from service.domain import register as reg
from service.errors import UnknownBranch
from service.http.body import json_body
from service.store import campaign as campaigns
from service.store import database, now
from service.store import register as registry

from .branch_params import BRANCH_CODE, CODE_PATTERN
from .openapi import STORE, Strict, error_responses, json_content, refusals

blp = Blueprint("register", __name__, url_prefix="/api/v1",
                description="区委教育工委设定的排查工作（名称、统计截止日期、四项报送期限）和党组织名单")

BODY_ERRORS = {400: "请求体为空或不是 JSON（code=bad_json）", 413: "请求体超过大小限制（code=too_large）"}
REGISTER_RULES = (
    "branches 中同一编号只能出现一次（422，code=invalid_register；errors 的 path 为 branches[i].code）",
    "state 为 merged（合并）时须填 merged_into，其他状态不填，且不能是自己的编号（422，code=invalid_register；"
    "path 为 branches[i].merged_into）",
    "phone 须是能拨通的中国大陆手机号或带区号的座机号（422，code=invalid_register；path 为 branches[i].phone）",
    "emails 的每一项须是常见写法的电子邮箱（422，code=invalid_register；path 为 branches[i].emails[j]）",
)
CAMPAIGN_RULES = ("四项期限须依次不早于前一项：工作方案 ≤ 附件3–9 ≤ 阶段性小结 ≤ 工作总结"
                  "（422，code=invalid_register；path 为 deadlines.final_report）",)


class DeadlinesAnswerSchema(Strict):
    work_plan = fields.Date(required=True, metadata={"description": "工作方案"})
    tables = fields.Date(required=True, metadata={"description": "附件3–9"})
    stage_summary = fields.Date(required=True, metadata={"description": "阶段性小结"})
    final_report = fields.Date(required=True, metadata={"description": "工作总结"})


class CampaignSchema(Strict):
    name = fields.String(required=True, metadata={"description": "名称"})
    stats_date = fields.Date(required=True, metadata={"description": "统计截止日期"})
    deadlines = fields.Nested(DeadlinesAnswerSchema, required=True, metadata={"description": "四项材料的报送期限"})
    defined = fields.Boolean(required=True, metadata={
        "description": "区里已设定；false 时为通知的缺省（2023年：6月20日、7月15日、7月25日、10月15日）"})


class RegisteredSchema(Strict):
    code = fields.String(required=True, metadata={"description": "编号"})
    name = fields.String(required=True, metadata={"description": "简称"})
    full_name = fields.String(required=True, allow_none=True, metadata={"description": "全称"})
    unit_name = fields.String(required=True, allow_none=True, metadata={"description": "单位名称"})
    org_type = fields.String(required=True, allow_none=True, metadata={"description": "党组织类型"})
    contact = fields.String(required=True, allow_none=True, metadata={"description": "联系人"})
    phone = fields.String(required=True, allow_none=True, metadata={"description": "联系电话（规范写法）"})
    emails = fields.List(fields.String(), required=True, metadata={"description": "提醒发往的电子邮箱"})
    state = fields.String(required=True, validate=validate.OneOf(reg.STATES), metadata={
        "description": "active 在册，withdrawn 撤销，merged 合并"})
    state_label = fields.String(required=True, validate=validate.OneOf(tuple(reg.STATE_LABELS.values())))
    merged_into = fields.String(required=True, allow_none=True, metadata={"description": "合并时并入的编号"})
    versions = fields.Integer(required=True, validate=validate.Range(min=0), metadata={
        "description": "已保存的数据版本数（0：尚未报送）"})


class RegisterSchema(Strict):
    branches = fields.List(fields.Nested(RegisteredSchema), required=True, metadata={"description": "按编号排列"})


class RegisterChangedSchema(Strict):
    added = fields.List(fields.String(), required=True, metadata={"description": "新加入名单的编号"})
    updated = fields.List(fields.String(), required=True, metadata={"description": "已在名单中、已更新的编号"})
    total = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": "名单中的党组织数"})


COMPONENTS = {"CampaignBody": CampaignBodySchema, "DistrictCampaign": CampaignSchema, "RegisterBody": RegisterBodySchema,
              "Register": RegisterSchema, "RegisterChanged": RegisterChangedSchema}


def _body(component: str, description: str) -> dict:
    return {"required": True, "description": description, "content": json_content(component)}


@blp.route("/campaign", methods=["GET"])
@blp.doc(responses={"200": {"description": "区里设定的排查工作；未设定时为通知的缺省（defined 为 false）",
                            "content": json_content("DistrictCampaign")}, **error_responses({503: STORE})})
def get_campaign():
    """排查工作：名称、统计截止日期和四项材料的报送期限"""
    return campaigns.as_answer(campaigns.current(database(current_app)))


@blp.route("/campaign", methods=["PUT"])
@blp.doc(requestBody=_body("CampaignBody", "名称、统计截止日期、四项期限；省略的取通知的"),
         description=refusals(*CAMPAIGN_RULES),
         responses={"200": {"description": "已保存：此后各支部的报送期限以此为准", "content": json_content("DistrictCampaign")},
                    **error_responses({**BODY_ERRORS, 422: "设定有误（code=invalid_register）：errors 逐项说明；未保存",
                                       503: STORE})})
def put_campaign():
    """设定排查工作（一次设定，全区适用）：名称、统计截止日期和工作方案、附件3–9、阶段性小结、工作总结的报送期限"""
    campaign = load_campaign(json_body())
    app = current_app._get_current_object()
    with database(app).writing() as session:
        campaigns.set_campaign(session, campaign, (guard.actor(None) or "")[:100] or None, now(app))
    guard.note(detail=f"设定排查工作「{campaign.name}」")
    return campaigns.as_answer(campaign)


@blp.route("/register", methods=["GET"])
@blp.doc(responses={"200": {"description": "名单中的全部党组织，按编号排列（尚无名单时为空）",
                            "content": json_content("Register")}, **error_responses({503: STORE})})
def get_register():
    """党组织名单：编号、简称、全称、单位名称、党组织类型、联系人、联系电话、电子邮箱和状态"""
    with database(current_app).reading() as session:
        return {"branches": registry.listing(session)}


@blp.route("/register", methods=["PUT"])
@blp.doc(requestBody=_body("RegisterBody", "要新增或更新的党组织；只有 code 和 name 必填"),
         description=refusals(*REGISTER_RULES),
         responses={"200": {"description": "已保存：新增和更新的编号；名单中其余的党组织不变",
                            "content": json_content("RegisterChanged")},
                    **error_responses({**BODY_ERRORS,
                                       422: "名单有误（code=invalid_register）：errors 逐项给出位置；什么也没有保存",
                                       503: STORE})})
def put_register():
    """新增或更新党组织名单（按编号）：新加入的党组织当即出现在各支部报送情况中；从不删除"""
    entries = load_register(json_body())
    app = current_app._get_current_object()
    with database(app).writing() as session:
        changed = registry.upsert(session, entries, now(app))
        total = len(registry.states(session))
    guard.note(detail=f"党组织名单：新增 {len(changed['added'])} 个，更新 {len(changed['updated'])} 个")
    return {**changed, "total": total}


@blp.route("/register/<code>", methods=["DELETE"], parameters=[BRANCH_CODE])
@blp.doc(description=refusals("已报送过数据的党组织不能删除，请把状态改为撤销或合并（409，code=branch_has_submissions）"),
         responses={"204": {"description": "已从名单中删除（该党组织从未报送过数据）"},
                    **error_responses({404: "名单中没有该编号（code=unknown_branch）",
                                       409: "该党组织已报送过数据，不能删除（code=branch_has_submissions）：请标为撤销或合并",
                                       503: STORE})})
def delete_registered(code: str):
    """从名单中删除一个从未报送过数据的党组织（报送过的只能标为撤销或合并）"""
    if not re.match(CODE_PATTERN, code):
        raise UnknownBranch(f"名单中没有编号为「{code}」的党组织：编号应为1–16位字母或数字")
    with database(current_app).writing() as session:
        registry.delete(session, code)
    guard.note(detail=f"从党组织名单删除 {code}")
    return "", 204


__all__ = ["blp", "COMPONENTS"]
