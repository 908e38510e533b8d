"""Each deliverable's status from its own 报送 (Beijing days): before, on and after each of the four
deadlines, sent or not; and the fields the 阶段性小结 and 工作总结 must report on before they are sent."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from service.domain import delivery
from service.domain.deadlines import sent_rows
from service.domain.model import Deadlines
from tests.conftest import BEIJING

DUE = Deadlines()

def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING).astimezone(timezone.utc)

@pytest.mark.parametrize("deliverable", ["work_plan", "tables", "stage_summary", "final_report"])
@pytest.mark.parametrize("offset, sent, expected", [
    (-1, True, "on_time"), (0, True, "on_time"), (1, True, "late"),
    (-1, False, "not_due"), (0, False, "not_due"), (1, False, "overdue"),
])
def test_every_state_before_on_and_after_each_deadline(deliverable, offset, sent, expected):
    deadline = getattr(DUE, deliverable)
    day = deadline + timedelta(days=offset)
    given = {deliverable: delivery.Sent(1, at(day), "7F3A-92C1")} if sent else {}
    rows = {r["deliverable"]: r for r in sent_rows(DUE, given, day)}
    assert rows[deliverable]["status"] == expected
    others = [r for d, r in rows.items() if d != deliverable]
    assert all(r["version"] is None for r in others)  # one 报送 counts for its own deliverable only

def test_the_beijing_day_decides_and_a_resend_is_marked():
    last_minute = datetime(2023, 6, 20, 15, 59, tzinfo=timezone.utc)  # 23:59 on 6月20日 in Beijing
    rows = sent_rows(DUE, {"work_plan": delivery.Sent(2, last_minute, "AAAA-BBBB", resent=True)}, date(2023, 8, 1))
    assert rows[0] == {"deliverable": "work_plan", "deadline": "2023-06-20", "status": "on_time", "label": "按时报送",
                       "version": 2, "submitted_at": "2023-06-20T15:59:00+00:00", "verification_code": "AAAA-BBBB",
                       "resent": True}
    one_minute_late = last_minute + timedelta(minutes=1)
    assert sent_rows(DUE, {"work_plan": delivery.Sent(2, one_minute_late, None)}, date(2023, 8, 1))[0]["status"] == "late"

def test_the_summaries_name_the_fields_still_empty():
    empty = {"stage_summary": {"checks": "  "}, "final_report": {"long_term_measures": [" "]}}
    assert [e["path"] for e in delivery.missing("stage_summary", empty)] == ["stage_summary.checks", "stage_summary.plan"]
    assert [e["path"] for e in delivery.missing("final_report", empty)] == ["final_report.work_done",
                                                                            "final_report.long_term_measures"]
    assert "长效化管理措施" in delivery.missing_message("final_report", delivery.missing("final_report", empty))
    filled = {"stage_summary": {"checks": "已核", "plan": "处置"},
              "final_report": {"work_done": "已整改", "long_term_measures": ["每季度核对"]}}
    assert delivery.missing("stage_summary", filled) == delivery.missing("final_report", filled) == []
    assert delivery.missing("tables", {}) == delivery.missing("work_plan", {}) == []
