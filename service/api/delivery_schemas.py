"""The documented answers of the 报送 operations (documentation only: the handlers send the plain
dicts service.store.deliveries builds; tests/test_api_openapi.py holds them to these)."""
from __future__ import annotations

from marshmallow import fields, validate

from service.domain import catalog
from service.store.delivery_tables import DELIVERY_SOURCES

from .branch_schemas import DeliverableSchema
from .openapi import Strict


def _maybe(field_cls, description: str, **kwargs):
    return field_cls(required=True, allow_none=True, metadata={"description": description}, **kwargs)


class DeliveryActSchema(Strict):
    deliverable = fields.String(required=True, validate=validate.OneOf(catalog.DELIVERABLE_IDS),
                                metadata={"description": "报送材料"})
    version = fields.Integer(required=True, validate=validate.Range(min=1), metadata={"description": "所报送的版本"})
    verification_code = _maybe(fields.String, "该版本的校验码")
    submitted_at = fields.DateTime(required=True, metadata={"description": "报送时间（UTC）"})
    actor = _maybe(fields.String, "报送人（账号或令牌名）")
    source = fields.String(required=True, validate=validate.OneOf(DELIVERY_SOURCES),
                           metadata={"description": "page：结果页；api：接口；migration：升级时由已保存的数据折算"})
    current = fields.Boolean(required=True, metadata={"description": "是否为当前的报送"})
    replaced = fields.Boolean(required=True, metadata={"description": "已被再次报送替换"})
    reopened_at = _maybe(fields.DateTime, "退回修改使其重新待报送的时间（UTC）")


class DeliveredSchema(DeliveryActSchema):
    code = fields.String(required=True, metadata={"description": "支部编号"})


class DeliverableBoardSchema(DeliverableSchema):
    name = fields.String(required=True, metadata={"description": "材料名称（工作方案、附件3—9、阶段性小结、工作总结）"})
    reopened = fields.Boolean(required=True, metadata={"description": "上一次报送的版本已被退回修改，须重新报送"})
    history = fields.List(fields.Nested(DeliveryActSchema), required=True,
                          metadata={"description": "该材料的全部报送，新的在前"})


class DeliverablesSchema(Strict):
    code = fields.String(required=True, metadata={"description": "支部编号"})
    as_of = fields.DateTime(required=True, metadata={"description": "判断是否到期所用的当前时间（UTC）"})
    deliverables = fields.List(fields.Nested(DeliverableBoardSchema), required=True,
                               metadata={"description": "四项材料，按通知的顺序"})
