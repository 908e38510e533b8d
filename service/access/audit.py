"""The audit trail: one row per access to a branch's data (and per sign-in), kept in the database.

Each row says who (account login, token:<name>, or the name tried at a failed sign-in), what
(action, and the document, package or table with its format), which branch and version, when,
the request's id, the client's address and the HTTP status it ended with. Free text is cut to
its column and masked as the log is (service.logs.PERSONAL): no ID number and no phone number
ever reaches the table. District staff read it through GET /api/v1/audit and /district/audit.
"""
from __future__ import annotations

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
    "read_roster": "读取花名册", "roster": "从花名册导入",
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
    """(filter, page, page size) from query parameters; BadQuery listing every problem."""
    from service.errors import BadQuery

    errors = []

    def text(key: str, size: int) -> Optional[str]:
        value = (args.get(key) or "").strip()
        if len(value) > size:
            errors.append({"path": key, "message": f"不超过 {size} 个字符"})
        return value or None

    def number(key: str, default: int, top: int) -> int:
        raw = (args.get(key) or "").strip()
        if not raw:
            return default
        if not raw.isdigit() or not 1 <= int(raw) <= top:
            errors.append({"path": key, "message": f"应为 1–{top} 的整数"})
            return default
        return int(raw)

    action = text("action", 20)
    if action and action not in ACTIONS:
        errors.append({"path": "action", "message": f"未知的操作「{action}」（可用：{'、'.join(ACTIONS)}）"})
    where = Filter(branch=text("branch", 16), actor=text("actor", 100), action=action,
                   since=_moment(args.get("since"), "since", errors, end=False),
                   until=_moment(args.get("until"), "until", errors, end=True))
    number_, size = number("page", 1, 1_000_000), number("page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    if errors:
        raise BadQuery("查询条件有误，请按错误列表修改", errors)
    return where, number_, size


def _moment(raw: Optional[str], key: str, errors: list, end: bool) -> Optional[datetime]:
    """A day (Beijing: from its start; `until` up to its end) or a moment with its zone."""
    from datetime import date, timedelta

    from service.clock import BEIJING

    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            start = datetime(day.year, day.month, day.day, tzinfo=BEIJING)
            return start + timedelta(days=1) if end else start
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)
    except (ValueError, OverflowError):
        errors.append({"path": key, "message": "应为日期（2023-07-15，北京时间）或带时区的时间（2023-07-15T08:00:00+08:00）"})
        return None
