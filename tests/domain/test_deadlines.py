"""Deliverable status against the campaign's deadlines: before, on and after each one, in Beijing days."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from service.domain import deadlines
from service.domain.catalog import DELIVERABLE_IDS
from service.domain.model import Deadlines
from tests.conftest import BEIJING

DUE = Deadlines()  # the notice: 6-20, 7-15, 7-25, 10-15


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in Beijing time, as an aware datetime in UTC (how the store keeps it)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING).astimezone(timezone.utc)


@pytest.mark.parametrize("deliverable", DELIVERABLE_IDS)
def test_submitted_before_on_and_after_each_deadline(deliverable):
    due = getattr(DUE, deliverable)
    later = at(due + timedelta(days=200), 12)
    assert deadlines.status(due, at(due - timedelta(days=1), 10), later) == "on_time"
    assert deadlines.status(due, at(due, 0, 0), later) == "on_time"
    assert deadlines.status(due, at(due, 23, 59), later) == "on_time"  # 15:59 UTC: still the deadline's day
    assert deadlines.status(due, at(due + timedelta(days=1), 0, 0), later) == "late"  # 16:00 UTC the day before
    assert deadlines.status(due, at(due + timedelta(days=30), 9), later) == "late"


@pytest.mark.parametrize("deliverable", DELIVERABLE_IDS)
def test_missing_before_on_and_after_each_deadline(deliverable):
    due = getattr(DUE, deliverable)
    assert deadlines.status(due, None, at(due - timedelta(days=1), 9)) == "not_due"
    assert deadlines.status(due, None, at(due, 23, 59)) == "not_due"
    assert deadlines.status(due, None, at(due + timedelta(days=1), 0, 1)) == "overdue"


def test_one_first_valid_version_counts_for_all_four_against_their_own_deadlines():
    first = (3, at(date(2023, 7, 20), 17))  # after 附件3–9 were due, before the stage summary
    out = deadlines.statuses(DUE, first, at(date(2023, 8, 1), 9))
    assert [(s.deliverable, s.status, s.label, s.version) for s in out] == [
        ("work_plan", "late", "逾期报送", 3), ("tables", "late", "逾期报送", 3),
        ("stage_summary", "on_time", "按时报送", 3), ("final_report", "on_time", "按时报送", 3)]
    assert all(s.submitted_at == first[1] for s in out)


def test_nothing_yet_in_the_middle_of_the_campaign():
    out = deadlines.statuses(DUE, None, at(date(2023, 7, 15), 20))
    assert [s.status for s in out] == ["overdue", "not_due", "not_due", "not_due"]
    assert [s.label for s in out] == ["逾期未报", "未到期", "未到期", "未到期"]


def test_a_campaign_is_known_by_its_deadlines():
    later = Deadlines(date(2024, 6, 20), date(2024, 7, 15), date(2024, 7, 25), date(2024, 10, 15))
    assert deadlines.campaign_key(later) == "2024-06-20,2024-07-15,2024-07-25,2024-10-15"
    assert deadlines.from_key(deadlines.campaign_key(later)) == later
    assert deadlines.from_key(None) == DUE


def test_the_lists_rows_are_the_statuses_for_every_day_around_the_deadlines():
    """as_rows (worked out once per campaign and pair of days) says what statuses() says, received
    and asked on every Beijing day from before the first deadline to after the last, at both ends of
    each day."""
    later = Deadlines(date(2024, 6, 20), date(2024, 7, 15), date(2024, 7, 25), date(2024, 10, 15))
    for due in (DUE, later):
        key = deadlines.campaign_key(due) if due is later else None
        first_day = due.work_plan - timedelta(days=2)
        days = [first_day + timedelta(days=n) for n in range((due.final_report - first_day).days + 3)]
        moments = [at(day, hour, minute) for day in days[::3] + [due.work_plan, due.tables, due.stage_summary,
                                                                  due.final_report] for hour, minute in ((0, 0), (23, 59))]
        for now in moments[::5] + [at(d + timedelta(days=1), 0) for d in (due.work_plan, due.final_report)]:
            for first in [None] + [(2, moment) for moment in moments]:
                rows = deadlines.as_rows(key, first, deadlines.beijing_day(now))
                assert rows == [{"deliverable": s.deliverable, "deadline": s.deadline.isoformat(), "status": s.status,
                                 "label": s.label, "version": s.version,
                                 "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None}
                                for s in deadlines.statuses(due, first, now)]
