"""The tables of reminders (issue 18 part 3): every send, and which process ran the day's scheduled run.

reminder_log keeps one row per send per channel: when, the reminder's key (kind, branch or '*',
deliverable or '*', the Beijing day it is for), the channel and recipient, the outcome (accepted,
failed, no_channel) and the far end's answer or why it failed — never the message itself, which
names branches only but is not needed to prove what was sent. The planner's dedupe reads it back
(service.domain.reminders.History). reminder_runs holds one row per Beijing day whose scheduled run
was claimed: the unique day is the lock that lets one process of many send the day's reminders.
Migration 0018_reminders creates both.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.domain.reminders import ACCEPTED, FAILED, KINDS, NO_CHANNEL

from .base import Base, UTCDateTime, one_of

CHANNELS = ("wecom", "dingtalk", "email", "none")
OUTCOMES = (ACCEPTED, FAILED, NO_CHANNEL)


class ReminderLog(Base):
    """One send of one reminder through one channel, as it ended."""

    __tablename__ = "reminder_log"
    __table_args__ = (
        Index("ix_reminder_log_day", "day"),  # the planner reads the last few days' rows
        Index("ix_reminder_log_branch_code", "branch_code"),
        one_of("kind", KINDS),
        one_of("channel", CHANNELS),
        one_of("outcome", OUTCOMES),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())  # when the send ended
    day: Mapped[date] = mapped_column(Date)  # the Beijing day the reminder is for (its key's day)
    kind: Mapped[str] = mapped_column(String(10))  # due_soon | overdue | returned | by_hand
    branch_code: Mapped[str] = mapped_column(String(16))  # '*': a group message about many
    deliverable: Mapped[str] = mapped_column(String(20))  # a deliverable id, or '*'
    channel: Mapped[str] = mapped_column(String(10))  # wecom | dingtalk | email | none
    recipient: Mapped[str] = mapped_column(String(300))  # the robot's name, or the e-mail addresses
    outcome: Mapped[str] = mapped_column(String(10))  # accepted | failed | no_channel
    detail: Mapped[str] = mapped_column(String(200))  # errcode …, 250, 超时…: no personal data
    actor: Mapped[Optional[str]] = mapped_column(String(100))  # who asked: an account, 定时, paicha remind


class ReminderRun(Base):
    """The scheduled run of a Beijing day, claimed by one process (the unique day is the lock)."""

    __tablename__ = "reminder_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    owner: Mapped[str] = mapped_column(String(100))  # host and process that took it
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
