"""Reminders on the district's pages: the 「发送提醒」 button of a branch's page (a hand-sent reminder
of what it has not sent: to its e-mail addresses, or to the group when it has none) and the log of
every send. Thin handlers over service.jobs.reminders and service.store.reminder_log, which the API
(POST /api/v1/reminders/run, GET /api/v1/reminders) uses too."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from service.access import guard
from service.clock import beijing_day
from service.http.query import Query
from service.jobs import reminders as running
from service.store import database, now, reminder_log
from service.store.reminder_tables import CHANNELS

from .blueprint import bp

KIND_LABELS = {"due_soon": "截止前提醒", "overdue": "逾期未报汇总", "returned": "退回修改", "by_hand": "手动提醒"}
CHANNEL_LABELS = dict(zip(CHANNELS, ("企业微信群", "钉钉群", "电子邮件", "未配置渠道")))
OUTCOME_LABELS = {"accepted": "已接收", "failed": "失败", "no_channel": "无可用渠道"}
OUTCOME_CLASS = {"accepted": "ok", "failed": "late", "no_channel": "wait"}
PAGE_SIZE = 50


@bp.context_processor
def _reminder_labels() -> dict:
    return {"KIND_LABELS": KIND_LABELS, "CHANNEL_LABELS": CHANNEL_LABELS, "OUTCOME_LABELS": OUTCOME_LABELS,
            "OUTCOME_CLASS": OUTCOME_CLASS}


def recent(session, code: str, size: int = 5) -> list[dict]:
    """The newest sends about one branch, for its page."""
    rows, _ = reminder_log.page(session, 1, size, code)
    return [reminder_log.as_dict(r) for r in rows]


@bp.post("/branches/<code>/remind")
def remind(code: str):
    """Send the branch a reminder of what it has not sent, now; back to its page with what happened."""
    app = current_app._get_current_object()
    result = running.by_hand(database(app), app.config, code, beijing_day(now(app)), guard.actor(None))
    guard.note(branch=code, detail=f"planned {len(result.planned)}")
    outcome = "none" if not result.planned else (
        "sent" if all(r.result == "accepted" for r in result.rows) else "problem")
    return redirect(url_for(".branch", code=code, reminded=outcome, _anchor="remind"), code=303)


@bp.get("/reminders")
def reminder_log_page():
    """Every send, newest first, 50 a page."""
    query = Query(request.args)
    number = query.integer("page", 1, 1_000_000)
    query.check()
    with database(current_app).reading() as session:
        rows, total = reminder_log.page(session, number, PAGE_SIZE)
        items = [reminder_log.as_dict(r) for r in rows]
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("web/district/reminders.html", items=items, total=total, page=number, pages=pages)
