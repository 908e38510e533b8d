"""DatasetSchema: the whole 排查数据包; loads to a model.Dataset after every check has run."""
from __future__ import annotations

from marshmallow import ValidationError, post_load, validates_schema

from . import build, rules
from .example import EXAMPLE
from .fields import List, Nested
from .objects import (
    Base, CampaignSchema, FinalReportSchema, MemberSchema, OrgSchema, SchemaVersion,
    StageSummarySchema, WorkPlanSchema, members_validator,
)


# The rules JSON Schema cannot state, each checked by rules.py with its own path and message; the
# OpenAPI document lists them (and tests/test_api_openapi.py accepts a 422 for a body that keeps the
# schema only when every error is one of them).
CROSS_FIELD_RULES = (
    "members[i].id_number：公民身份号码末位须为 GB 11643 校验码，第7–14位须为真实的日期",
    "members[i].id_number：同一支部内公民身份号码不得重复",
    "members[i].gender：须与公民身份号码第17位一致（奇数为男，偶数为女）",
    "members[i].birth_date：填写时须与公民身份号码第7–14位一致",
    "members[i].join_date：入党时须年满18周岁（出生日期取自公民身份号码，无效时取 birth_date）",
    "members[i].full_member_date：当且仅当 member_type 为「正式党员」时填写；须晚于 join_date，且不超过 join_date 后2年",
    "members[i].lost_contact.since：缺省时须有 last_org_life_date 或 last_dues_date 可推算",
    "members[i].lost_contact：失去联系时长（since 至 search_end_date，缺省为 campaign.search_end_date）不少于6个月",
    "members[i].lost_contact.situation_note：当且仅当 situation 为「其他」时填写",
    "members[i].lost_contact.contacted_date：当且仅当 outcome 为「取得联系」时填写",
    "members[i].lost_contact.search_record：outcome 为「无法取得联系」时至少一条，为「取得联系」时不填",
    "members[i].lost_contact.handling：须为该 outcome 的处理情况之一",
    "members[i].hanging.resolution、resolved_date：当且仅当 resolved 为 true 时填写",
    "members[i].outgoing.destination.province：country 为「中国」（缺省）时必填",
    "work_plan.schedule[i].end：不早于 start",
)


class DatasetSchema(Base):
    """The branch dataset, contract version 1 (contract.md)."""

    class Meta(Base.Meta):
        description = (
            "一个支部的排查数据包（输入契约第1版）。文本去除首尾空白后校验，可选项为 null 或空白视同未填；"
            "未知字段一律报错；错误一次全部列出，每条给出 JSON 路径。\n\n"
            "除本结构所列约束外，服务还校验以下跨字段规则（违反时 422，errors 的 path 指向所列字段）：\n"
            + "\n".join(f"- {rule}" for rule in CROSS_FIELD_RULES)
        )
        example = EXAMPLE

    schema_version = SchemaVersion(required=True, metadata={"enum": ["1"], "description": "契约版本"})
    campaign = Nested(CampaignSchema, metadata={"description": "排查工作设置；缺省为2023年通知的各项日期"})
    org = Nested(OrgSchema, required=True)
    members = List(Nested(MemberSchema, required=True), required=True, validate=members_validator,
                   metadata={"description": "组织关系在本支部、或排查前在本支部的全部党员（至少一名）"})
    work_plan = Nested(WorkPlanSchema)
    stage_summary = Nested(StageSummarySchema)
    final_report = Nested(FinalReportSchema)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _rules(self, data, original, **kwargs):
        errors = rules.dataset_errors(data, original)
        if errors:
            raise ValidationError(errors)

    @post_load
    def _build(self, data, **kwargs):
        return build.dataset(data)
