"""The audit trail: one row per access to a branch's data (and per sign-in), kept in the database.

Each row says who (account login, token:<name>, or the name tried at a failed sign-in), what
(action, and the document, package or table with its format), which branch and version, when,
the request's id, the client's address and the HTTP status it ended with. Free text is cut to
its column and masked as the log is (service.logs.PERSONAL): no ID number and no phone number
ever reaches the table. District staff read it through GET /api/v1/audit and /district/audit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.logs import MASK, PERSONAL
from service.store.access_tables import AuditEvent

# every action the trail records, and how the district's page names it
ACTIONS = {
    "login": "登录", "login_failed": "登录失败", "logout": "退出", "password": "修改密码",
    "upload": "上传数据采集表", "store": "报送数据包（接口）", "review": "核查",
    "validate": "校验数据包", "render": "生成文书", "download": "下载", "view": "查看",
    "read_workbook": "读取数据采集表", "verify": "核验纸质稿", "denied": "被拒绝的访问",
    "admin": "账号或令牌管理", "batch": "批量重新生成",
    "read_roster": "读取花名册", "roster": "从花名册导入", "deliver": "报送材料", "remind": "发送提醒",
    "spot_check": "随机抽查", "archive": "归档",
    "invite": "邀请党员本人核对", "member_view": "党员本人查看登记表", "member_check": "党员本人身份核对",
    "member_confirm": "党员本人确认登记表", "member_accept": "采用党员本人核对结果",
    "member_return": "退回党员本人核对结果", "fix": "在结果页修改单元格",
}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Entry:
    """What one audited request or event contributes to a row."""

    actor: str
    action: str
    status: int
    branch_code: Optional[str] = None
    version: Optional[int] = None
    target: Optional[str] = None
    format: Optional[str] = None
    request_id: Optional[str] = None
    address: Optional[str] = None
    detail: Optional[str] = None


def masked(text: Optional[str], size: int) -> Optional[str]:
    """Free text as the trail may keep it: ID numbers and phones masked, then cut to size."""
    if text is None:
        return None
    return PERSONAL.sub(MASK, str(text))[:size] or None


def record(session: Session, entry: Entry, at: datetime) -> AuditEvent:
    if entry.action not in ACTIONS:
        raise ValueError(f"unknown audit action {entry.action!r}")
    row = AuditEvent(at=at, actor=masked(entry.actor, 100) or "—", action=entry.action, status=entry.status,
                     branch_code=masked(entry.branch_code, 16), version=entry.version,
                     target=masked(entry.target, 60), format=masked(entry.format, 10),
                     request_id=(entry.request_id or None) and entry.request_id[:64],
                     address=(entry.address or None) and entry.address[:45], detail=masked(entry.detail, 200))
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Filter:
    branch: Optional[str] = None
    actor: Optional[str] = None
    action: Optional[str] = None
    since: Optional[datetime] = None
    until: Optional[datetime] = None


def page(session: Session, where: Filter, number: int = 1, size: int = PAGE_SIZE) -> tuple[list[AuditEvent], int]:
    """One page of the trail, newest first, and how many rows match in all."""
    conditions = []
    if where.branch:
        conditions.append(AuditEvent.branch_code == where.branch)
    if where.actor:
        conditions.append(AuditEvent.actor == where.actor)
    if where.action:
        conditions.append(AuditEvent.action == where.action)
    if where.since:
        conditions.append(AuditEvent.at >= where.since)
    if where.until:
        conditions.append(AuditEvent.at < where.until)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*conditions))
    rows = session.scalars(select(AuditEvent).where(*conditions).order_by(AuditEvent.id.desc())
                           .offset((number - 1) * size).limit(size))
    return list(rows), total


def as_dict(row: AuditEvent) -> dict:
    return {"id": row.id, "at": row.at.isoformat(), "actor": row.actor, "action": row.action,
            "action_label": ACTIONS.get(row.action, row.action), "branch_code": row.branch_code,
            "version": row.version, "target": row.target, "format": row.format, "status": row.status,
            "request_id": row.request_id, "address": row.address, "detail": row.detail}


# ---- reading the query of the API and the page ----------------------------------------------------------


def parse_query(args) -> tuple[Filter, int, int]:
    """(filter, page, page size) from the query as sent — an empty or malformed parameter is refused
    (service.http.query); the district's page hands over its form's filled fields only. BadQuery lists
    every problem."""
    from service.http.query import Query

    query = Query(args)
    where = Filter(branch=query.text("branch", 16), actor=query.text("actor", 100),
                   action=query.choice("action", tuple(ACTIONS)),
                   since=query.parsed("since", lambda raw: _moment(raw, end=False), MOMENT),
                   until=query.parsed("until", lambda raw: _moment(raw, end=True), MOMENT))
    number, size = query.integer("page", 1, 1_000_000), query.integer("page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    query.check()
    return where, number, size


MOMENT = "应为日期（2023-07-15，北京时间）或带时区的时间（2023-07-15T08:00:00+08:00）"
DAY_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MOMENT_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")


def _moment(raw: str, end: bool) -> Optional[datetime]:
    """A day (Beijing: from its start; `until` up to its end) or an RFC 3339 moment; ValueError for anything
    else. None for a bound beyond the calendar (before year 1 or after 9999, in UTC): it bounds nothing."""
    from datetime import date, timedelta, timezone

    from service.clock import BEIJING
    try:
        if DAY_TEXT.match(raw):
            day = date.fromisoformat(raw)
            start = datetime(day.year, day.month, day.day, tzinfo=BEIJING)
            moment = start + timedelta(days=1) if end else start
        elif MOMENT_TEXT.match(raw):
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        else:
            raise ValueError(raw)
        moment.astimezone(timezone.utc)
    except OverflowError:
        return None
    return moment
