"""The one clock: "now" in UTC, as the database keeps it, and the Beijing zone people read dates in.

The district works on Beijing time (UTC+8, no daylight saving) whatever zone the server's clock is
set to: deadlines, file names and every date shown are Beijing dates of UTC moments.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "北京时间")


def utcnow() -> datetime:
    """The current moment, aware, in UTC: what is stored and compared."""
    return datetime.now(timezone.utc)


def beijing(moment: datetime) -> datetime:
    """An aware moment as a clock in Beijing shows it."""
    return moment.astimezone(BEIJING)


def beijing_day(moment: datetime) -> date:
    """The calendar day in Beijing of an aware moment."""
    return beijing(moment).date()
