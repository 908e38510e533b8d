"""/api/v1/audit: the audit trail for district staff, filtered and paginated (service.access.audit)."""
from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import fields, validate

from service.access import audit
from service.store import database

from .openapi import STORE, Strict, error_responses, json_content

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="访问记录（区委教育工委）：谁在何时对哪个支部的数据做了什么")



def _query(name: str, description: str, schema: dict) -> dict:
    return {"in": "query", "name": name, "required": False, "description": description, "schema": schema}


MOMENT = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
PARAMETERS = [
    _query("branch", "支部编号", {"type": "string", "minLength": 1, "maxLength": 16}),
    _query("actor", "账号名，或 token:<令牌名称>；登录失败时为所试的账号名", {"type": "string", "minLength": 1, "maxLength": 100}),
    _query("action", "操作：" + "、".join(f"{k}（{v}）" for k, v in audit.ACTIONS.items()),
           {"type": "string", "enum": list(audit.ACTIONS)}),
    _query("since", "从此时起（含）：日期 2023-07-15（北京时间当日零时）或带时区的时间 2023-07-15T08:00:00+08:00（RFC 3339）",
           MOMENT),
    _query("until", "到此时止（不含）：日期 2023-07-15（含当日，北京时间）或带时区的时间（RFC 3339）", MOMENT),
    _query("page", "页码，从 1 起", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
    _query("page_size", f"每页条数（缺省 {audit.PAGE_SIZE}）", {"type": "integer", "minimum": 1,
                                                            "maximum": audit.MAX_PAGE_SIZE}),
]


def _text(description: str, **kwargs) -> fields.String:
    return fields.String(required=True, allow_none=True, metadata={"description": description}, **kwargs)


class AuditEventSchema(Strict):
    id = fields.Integer(required=True, metadata={"description": "记录编号（递增）"})
    at = fields.DateTime(required=True, metadata={"description": "时间（UTC，ISO 8601）"})
    actor = fields.String(required=True, metadata={"description": "账号名，或 token:<令牌名称>"})
    action = fields.String(required=True, validate=validate.OneOf(tuple(audit.ACTIONS)), metadata={"description": "操作"})
    action_label = fields.String(required=True, metadata={"description": "操作的中文名称"})
    branch_code = _text("支部编号")
    version = fields.Integer(required=True, allow_none=True, metadata={"description": "版本号"})
    target = _text("对象：documents/<文书>、packages/<材料包>、district 汇总表等")
    format = _text("格式（缺省格式时为 null）")
    status = fields.Integer(required=True, metadata={"description": "HTTP 状态码"})
    request_id = _text("请求编号（X-Request-ID），可在日志中查到同一请求")
    address = _text("客户端地址")
    detail = _text("说明（身份证号、电话号码已遮蔽）")


class AuditPageSchema(Strict):
    items = fields.List(fields.Nested(AuditEventSchema), required=True, metadata={"description": "本页记录，新的在前"})
    page = fields.Integer(required=True, metadata={"description": "页码"})
    page_size = fields.Integer(required=True, metadata={"description": "每页条数"})
    total = fields.Integer(required=True, metadata={"description": "符合条件的记录总数"})


@blp.route("/audit", methods=["GET"])
@blp.doc(parameters=PARAMETERS, responses={
    "200": {"description": "一页访问记录", "content": json_content("AuditPage")},
    **error_responses({400: "查询参数为空或有误（code=bad_query）：errors 逐项说明；不需要的参数请省略，不要留空", 503: STORE}),
})
def events():
    """访问记录：按支部、账号或令牌、操作和时间筛选，分页，新的在前"""
    where, number, size = audit.parse_query(request.args)
    with database(current_app).reading() as session:
        rows, total = audit.page(session, where, number, size)
        return {"items": [audit.as_dict(row) for row in rows], "page": number, "page_size": size, "total": total}
