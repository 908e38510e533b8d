"""The tables of the district's campaign and its register of branches (issue 18 part 1, migration 0015).

campaigns holds the campaign the district defined (one row: its name, 统计截止日期 and the four
deadlines); register holds the district's list of branches by code. A registered code also has its
row in branches (made when it is registered), so every list, total and chart that reads branches has
it from day one; branches keeps the names the branch's own data gives, register the district's.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.domain.register import STATES

from .base import Base, Json, UTCDateTime, one_of


class CampaignRow(Base):
    """The district's campaign: one row (id 1), replaced as a whole by each 设定."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    stats_date: Mapped[date] = mapped_column(Date)
    work_plan: Mapped[date] = mapped_column(Date)
    tables: Mapped[date] = mapped_column(Date)
    stage_summary: Mapped[date] = mapped_column(Date)
    final_report: Mapped[date] = mapped_column(Date)
    actor: Mapped[Optional[str]] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RegisteredBranch(Base):
    """One branch of the district's list: its names and contact as the district keeps them, and its state."""

    __tablename__ = "register"
    __table_args__ = (one_of("state", STATES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(30))
    full_name: Mapped[Optional[str]] = mapped_column(String(50))
    unit_name: Mapped[Optional[str]] = mapped_column(String(50))
    org_type: Mapped[Optional[str]] = mapped_column(String(10))
    contact: Mapped[Optional[str]] = mapped_column(String(30))
    phone: Mapped[Optional[str]] = mapped_column(String(40))
    emails: Mapped[list[str]] = mapped_column(Json)
    state: Mapped[str] = mapped_column(String(10))
    merged_into: Mapped[Optional[str]] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
