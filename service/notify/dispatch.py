"""A reminder run: every planned reminder through each channel of its audience, one log row per send.

A channel that fails or times out is logged failed and the run goes on with the next; a channel
that cannot be reached at all (a timeout, a refused connection) is not tried again in this run —
its remaining sends are logged failed at once, so a mail server that is down costs one timeout, not
one per branch — and the next run plans them again. Each row goes to log_writer as soon as it is
made, so a run cut short keeps what it sent; a log_writer that fails stops the run (sending what
cannot be logged would be sent again).
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Iterable, Optional

from service.clock import utcnow
from service.domain import disclosure
from service.domain.reminders import ACCEPTED, FAILED, NO_CHANNEL, Key, Reminder

from .message import MAIL, Delivery, Message, Notifier

LOG = logging.getLogger(__name__)
NONE = "none"  # the channel of a row logged because no channel of its audience is configured


@dataclass(frozen=True)
class LogRow:
    """One send, as the reminder log keeps it."""

    at: datetime  # when it ended (aware, UTC)
    channel: str  # wecom | dingtalk | email | none
    recipient: str  # the robot's name, or the e-mail addresses
    key: Key  # what: kind, branch, deliverable, and the day it is for
    result: str  # accepted | failed | no_channel
    detail: str  # the far end's answer or why it failed, free of personal data

    @property
    def kind(self) -> str:
        return self.key.kind

    @property
    def branch(self) -> str:
        return self.key.branch

    @property
    def deliverable(self) -> str:
        return self.key.deliverable

    @property
    def day(self) -> date:
        return self.key.day


def run(plan: Iterable[Reminder], notifiers: list[Notifier],
        log_writer: Optional[Callable[[LogRow], None]] = None,
        now: Callable[[], datetime] = utcnow) -> list[LogRow]:
    """Send the plan; the log rows, in the order they were written."""
    rows: list[LogRow] = []
    unreachable: dict[str, str] = {}

    def write(channel: str, recipient: str, reminder: Reminder, result: str, detail: str) -> None:
        row = LogRow(now(), channel, disclosure.redact(recipient), reminder.key, result, detail)
        if log_writer is not None:
            log_writer(row)
        rows.append(row)

    for reminder in plan:
        targets = [n for n in notifiers if n.audience == reminder.audience]
        message = Message(reminder.subject, reminder.body, reminder.to)
        if not targets:
            write(NONE, _addressee(reminder), reminder, NO_CHANNEL, "未配置提醒渠道")
        for notifier in targets:
            if notifier.channel in reminder.done:
                continue
            if reminder.audience == MAIL and not reminder.to:
                write(notifier.channel, "", reminder, NO_CHANNEL, "该党组织未登记电子邮箱")
                continue
            delivery = _send(notifier, message, unreachable)
            write(notifier.channel, notifier.recipient(message), reminder,
                  ACCEPTED if delivery.accepted else FAILED, delivery.detail)
    LOG.info("reminder run: %s", dict(Counter(f"{r.channel} {r.result}" for r in rows)))
    return rows


def _send(notifier: Notifier, message: Message, unreachable: dict[str, str]) -> Delivery:
    """One send, unless the channel could not be reached earlier in this run."""
    if notifier.channel in unreachable:
        return Delivery(False, f"本次运行中未能连接，未再尝试（{unreachable[notifier.channel]}）")
    try:
        delivery = notifier.send(message)
    except Exception:  # a channel must not raise; if one does, the run still goes on
        LOG.exception("notifier %s raised", notifier.channel)
        delivery = Delivery(False, "内部错误，详见服务日志")
    if not delivery.reached:
        unreachable[notifier.channel] = delivery.detail
    return delivery


def _addressee(reminder: Reminder) -> str:
    return ", ".join(reminder.to) if reminder.audience == MAIL else "群"

