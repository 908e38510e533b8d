"""GET /api/v1/district/charts: the district page's four charts as data, each series with branch codes —
a thin handler over service.store.district_charts (the figures 附件6 and 附件9 are filled from)."""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import fields, validate

from service.clock import beijing_day
from service.domain import catalog, charts
from service.store import database, gc_pause, now
from service.store import district_charts as queries

from .openapi import STORE, Strict, error_responses, json_content

blp = Blueprint("district_charts", __name__, url_prefix="/api/v1/district",
                description="全区图表的数据：报送进度、失联/流动/空挂/出国（境）党员、三查三核提示、同比")



def _count(text: str) -> fields.Integer:
    return fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": text})


def _codes(text: str) -> fields.List:
    return fields.List(fields.String(), required=True, metadata={"description": text})


def _name() -> fields.String:
    return fields.String(required=True, allow_none=True, metadata={"description": "支部名称（简称）"})


class ProgressSeriesSchema(Strict):
    deliverable = fields.String(required=True, validate=validate.OneOf(catalog.DELIVERABLE_IDS))
    label = fields.String(required=True, metadata={"description": "报送材料的简称"})
    deadline = fields.Date(required=True, metadata={"description": "报送期限"})
    sent = fields.List(fields.Integer(validate=validate.Range(min=0)), required=True,
                       metadata={"description": "截至 days 中每一天已报送的支部数（累计）"})
    on_time = _count("按期报送的支部数")
    late = _count("逾期报送的支部数")
    unsent = _codes("尚未报送的支部编号")


class ProgressSchema(Strict):
    campaign = fields.String(required=True, metadata={"description": "本次排查（以四个报送期限标识）"})
    total = _count("支部数（报送过数据的）")
    days = fields.List(fields.Date(), required=True, metadata={"description": "排查期间的每一天（北京时间）"})
    series = fields.List(fields.Nested(ProgressSeriesSchema), required=True, metadata={"description": "每项报送材料"})


MEMBER_KEYS = [k for k, _ in charts.MEMBER_CATEGORIES]
MEMBER_FIELDS = {k: _count(f"附件9 {k}「{label}」") for k, label in charts.MEMBER_CATEGORIES}
MemberRowSchema = Strict.from_dict({"code": fields.String(required=True), "name": _name(), **MEMBER_FIELDS,
                                    "total": _count("四项之和")}, name="MemberRowSchema")
MemberRestSchema = Strict.from_dict({"branches": _count("其余支部数"), **MEMBER_FIELDS, "total": _count("四项之和")},
                                    name="MemberRestSchema")
MemberTotalsSchema = Strict.from_dict(dict(MEMBER_FIELDS), name="MemberTotalsSchema")


class CategorySchema(Strict):
    key = fields.String(required=True, validate=validate.OneOf(MEMBER_KEYS), metadata={"description": "附件9 栏目代码"})
    label = fields.String(required=True)


class MembersSchema(Strict):
    categories = fields.List(fields.Nested(CategorySchema), required=True)
    top = fields.List(fields.Nested(MemberRowSchema), required=True,
                      metadata={"description": f"四项之和最多的 {charts.TOP} 个支部"})
    rest = fields.Nested(MemberRestSchema, required=True, metadata={"description": "其余有此类党员的支部之和"})
    without = _count("四项均为 0 的支部数")
    totals = fields.Nested(MemberTotalsSchema, required=True, metadata={"description": "全区合计（即附件9 合计）"})


class RuleCountSchema(Strict):
    rule = fields.String(required=True, metadata={"description": "规则编号"})
    title = fields.String(required=True)
    count = _count("提示条数")
    branches = _count("涉及支部数")
    codes = _codes("涉及的支部编号")


class FindingsChartSchema(Strict):
    rules = fields.List(fields.Nested(RuleCountSchema), required=True, metadata={"description": "按提示条数从多到少"})
    total = _count("提示总条数")


class ChartCampaignSchema(Strict):
    key = fields.String(required=True, allow_none=True, metadata={"description": "排查（四个报送期限）"})
    label = fields.String(required=True, metadata={"description": "如 2023年"})


class YearRowSchema(Strict):
    code = fields.String(required=True)
    name = _name()
    values = fields.List(fields.Integer(allow_none=True), required=True,
                         metadata={"description": "各次排查的数字（按 campaigns 的顺序；未报送为 null）"})
    change = fields.Integer(required=True, allow_none=True, metadata={"description": "最近两次之差"})


class YearRestSchema(Strict):
    branches = _count("其余支部数")
    values = fields.List(fields.Integer(), required=True)


class YearsSchema(Strict):
    figure = fields.String(required=True, metadata={"description": "附件9 栏目代码"})
    label = fields.String(required=True)
    campaigns = fields.List(fields.Nested(ChartCampaignSchema), required=True, metadata={"description": "由早到晚"})
    available = fields.Boolean(required=True, metadata={"description": "是否已有两次以上排查的数据"})
    message = fields.String(required=True, allow_none=True, metadata={"description": "不能作同比时的说明"})
    top = fields.List(fields.Nested(YearRowSchema), required=True,
                      metadata={"description": f"变化最大的 {charts.TOP} 个支部"})
    rest = fields.Nested(YearRestSchema, required=True, allow_none=True)


class DistrictChartsSchema(Strict):
    generated_at = fields.String(required=True, metadata={"description": "统计时间（ISO 8601，UTC）"})
    branches = _count("报送过数据的支部数")
    progress = fields.Nested(ProgressSchema, required=True, metadata={"description": "(a) 各项材料的报送进度"})
    members = fields.Nested(MembersSchema, required=True, metadata={"description": "(b) 失联/流动/空挂/出国（境）党员"})
    findings = fields.Nested(FindingsChartSchema, required=True, metadata={"description": "(c) 三查三核提示按规则"})
    years = fields.Nested(YearsSchema, required=True, metadata={"description": "(d) 各支部同比"})


def chart_data(app) -> dict:
    """The charts' data at this moment (the page embeds the same)."""
    moment = now(app)
    with database(app).reading() as session, gc_pause.paused():  # thousands of plain rows (see gc_pause)
        data = queries.charts(session, beijing_day(moment))
    return {"generated_at": moment.isoformat(), **data}


@blp.route("/charts", methods=["GET"])
@blp.doc(responses={"200": {"description": "四个图表的数据；数字与全区附件6、附件9、三查三核情况一览取自同样的已存数字",
                            "content": json_content("DistrictCharts")},
                    **error_responses({503: STORE})})
def district_charts():
    """全区图表的数据：每个图表的序列，附支部编号"""
    return chart_data(current_app._get_current_object())
