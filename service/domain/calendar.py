"""Month arithmetic and date printing as the forms use them (forms.md §3)."""
from __future__ import annotations

from datetime import date


def months_between(start: date, end: date) -> int:
    """Whole months from start to end: (y2−y1)·12 + (m2−m1), minus 1 when day2 < day1.

    A month-precision date (MonthDate) is day 1, so it never shortens the count.
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def add_years(d: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February; past 9999 it stays
    at date.max (a rule then compares with the last day there is, instead of failing)."""
    if not date.min.year <= d.year + years <= date.max.year:
        return date.max if years > 0 else date.min
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def year_month(d: date | None) -> str:
    """Tables print dates as YYYY.MM."""
    return f"{d.year:04d}.{d.month:02d}" if d else "—"


def chinese_date(d: date) -> str:
    """Signed documents print 2023年7月20日, without zero padding."""
    return f"{d.year}年{d.month}月{d.day}日"


def duration_text(months: int) -> str:
    """A lost duration as the registers print it: `2年3个月`, `8个月`, `3年`."""
    years, rest = divmod(max(months, 0), 12)
    if years and rest:
        return f"{years}年{rest}个月"
    if years:
        return f"{years}年"
    return f"{rest}个月"
