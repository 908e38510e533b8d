"""/api/v1/reminders: run the day's reminder rules now, and read the log of every send (district only).

Thin handlers over service.jobs.reminders; the daily schedule without Redis (a thread of this process,
service.jobs.remind_schedule) is started here, with the API, once per process.
"""
from __future__ import annotations

import logging

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import fields, validate

from service.access import guard
from service.clock import beijing_day
from service.domain.catalog import DELIVERABLE_IDS
from service.domain.reminders import ANY, KINDS
from service.domain.review import RETURNED
from service.http.query import Query
from service.jobs import remind_schedule
from service.jobs import reminders as running
from service.store import database, now, reminder_log
from service.store.reminder_tables import CHANNELS, OUTCOMES

from .openapi import STORE, Strict, error_responses, json_content

LOG = logging.getLogger(__name__)
blp = Blueprint("reminders", __name__, url_prefix="/api/v1",
                description="提醒：按规则向企业微信群、钉钉群和各党组织的电子邮箱发送报送提醒，及发送记录（区委教育工委）")

KIND_TEXT = "due_soon 截止前提醒，overdue 逾期未报汇总，returned 退回修改，by_hand 手动提醒"
CHANNEL_TEXT = "wecom 企业微信群机器人，dingtalk 钉钉群机器人，email 电子邮件，none 未配置渠道"
OUTCOME_TEXT = "accepted 对方已接收（机器人 errcode 为 0，或邮件服务器已接收），failed 失败（下次运行时重发），no_channel 无可用渠道"


def _query(name: str, description: str, schema: dict) -> dict:
    return {"in": "query", "name": name, "required": False, "description": description, "schema": schema}


LOG_PARAMETERS = [
    _query("branch", "只看该党组织编号的记录（* 为发到群里、涉及多个党组织的消息）",
           {"type": "string", "minLength": 1, "maxLength": 16}),
    _query("page", "页码，从 1 起", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
    _query("page_size", f"每页条数（缺省 {reminder_log.PAGE_SIZE}）",
           {"type": "integer", "minimum": 1, "maximum": reminder_log.MAX_PAGE_SIZE}),
]


def _text(description: str) -> fields.String:
    return fields.String(required=True, metadata={"description": description})


class ReminderSendSchema(Strict):
    at = fields.DateTime(required=True, metadata={"description": "发送结束的时间（UTC）"})
    day = fields.Date(required=True, metadata={"description": "提醒所属的日期（北京时间）；同一提醒每天至多发送一次"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={"description": KIND_TEXT})
    branch = _text("党组织编号；* 为发到群里、涉及多个党组织的消息")
    deliverable = fields.String(required=True, validate=validate.OneOf(DELIVERABLE_IDS + (ANY,)),
                                metadata={"description": "报送材料；* 为全部或多项"})
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS), metadata={"description": CHANNEL_TEXT})
    recipient = _text("收件人：机器人的名称，或电子邮件地址")
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES), metadata={"description": OUTCOME_TEXT})
    detail = _text("对方的答复或失败原因（如 errcode 45009、超时），不含个人信息")


class ReminderLogRowSchema(ReminderSendSchema):
    id = fields.Integer(required=True, metadata={"description": "记录编号（递增）"})
    actor = fields.String(required=True, allow_none=True,
                          metadata={"description": "发起者：账号名、定时提醒或 paicha remind"})


class ChannelCountsSchema(Strict):
    accepted = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": "已接收"})
    failed = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": "失败"})
    no_channel = fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": "无可用渠道"})


class ReminderRunSchema(Strict):
    day = fields.Date(required=True, metadata={"description": "按哪一天（北京时间）的规则运行"})
    planned = fields.Integer(required=True, validate=validate.Range(min=0),
                             metadata={"description": "本次应发送的提醒数（已发送过的不再计入）"})
    channels = fields.Dict(keys=fields.String(validate=validate.OneOf(CHANNELS)),
                           values=fields.Nested(ChannelCountsSchema), required=True,
                           metadata={"description": "各渠道的发送结果计数"})
    sends = fields.List(fields.Nested(ReminderSendSchema), required=True, metadata={"description": "每一次发送"})


class ReminderLogPageSchema(Strict):
    items = fields.List(fields.Nested(ReminderLogRowSchema), required=True, metadata={"description": "本页记录，新的在前"})
    page = fields.Integer(required=True, metadata={"description": "页码"})
    page_size = fields.Integer(required=True, metadata={"description": "每页条数"})
    total = fields.Integer(required=True, metadata={"description": "符合条件的记录总数"})


@blp.route("/reminders/run", methods=["POST"])
@blp.doc(description="按今天（北京时间）的规则立即发送提醒：截止前 N 天（PAICHA_REMIND_DAYS_BEFORE）提醒尚未报送的"
         "党组织，逾期未报时每天向群里发一次汇总。同一提醒（党组织、材料、种类、日期）已被接收的不再发送；"
         "失败的在下次运行时重发。某个渠道拒收或超时只记为失败，其余照常发送。未配置任何渠道时只记录（no_channel）。",
         responses={"200": {"description": "本次运行发送了什么、各渠道的结果", "content": json_content("ReminderRun")},
                    **error_responses({503: STORE})})
def run():
    """立即按今天的规则发送提醒"""
    app = current_app._get_current_object()
    result = running.run_day(database(app), app.config, beijing_day(now(app)), guard.actor(None))
    guard.note(detail=f"planned {len(result.planned)}")
    return result.as_dict()


@blp.route("/reminders", methods=["GET"])
@blp.doc(parameters=LOG_PARAMETERS, responses={
    "200": {"description": "一页发送记录", "content": json_content("ReminderLogPage")},
    **error_responses({400: "查询参数为空或有误（code=bad_query）：errors 逐项说明；不需要的参数请省略，不要留空",
                       503: STORE})})
def log():
    """提醒的发送记录：每次发送一条（时间、渠道、收件人、内容种类、结果），新的在前，分页"""
    query = Query(request.args)
    branch = query.text("branch", 16)
    number = query.integer("page", 1, 1_000_000)
    size = query.integer("page_size", reminder_log.PAGE_SIZE, reminder_log.MAX_PAGE_SIZE)
    query.check()
    with database(current_app).reading() as session:
        rows, total = reminder_log.page(session, number, size, branch)
        return {"items": [reminder_log.as_dict(r) for r in rows], "page": number, "page_size": size, "total": total}


def start_daily(app) -> None:
    """The daily schedule in this process when REMIND_AT is set and there is no Redis (else: paicha worker)."""
    remind_schedule.start_in_process(database(app), app.config, lambda: now(app))


def after_review(app, code: str, decision: str, actor) -> None:
    """After a committed 核查: a 退回修改 is told to the branch (e-mail) and the group, in the reminder
    thread, so the review's answer neither waits for the channels nor fails with them."""
    if decision != RETURNED:
        return
    try:
        running.returned_later(database(app), app.config, code, beijing_day(now(app)), actor)
    except Exception:  # noqa: BLE001 - e.g. the process is shutting down: the review stands
        LOG.exception("the 退回 of %s could not be handed to the reminder thread", code)
