"""Month arithmetic and the values drafted by rule (effective.py)."""
from __future__ import annotations

from datetime import date

import pytest

from service.domain import effective
from service.domain.calendar import months_between
from service.domain.model import Abroad, Campaign, MonthDate

from .test_builders import lost, member, outgoing

CAMPAIGN = Campaign()


@pytest.mark.parametrize("start, end, months", [
    (date(2023, 1, 15), date(2023, 7, 15), 6),
    (date(2023, 1, 15), date(2023, 7, 14), 5),  # day2 < day1 takes a month off
    (date(2023, 1, 31), date(2023, 2, 28), 0),
    (date(2022, 12, 31), date(2023, 6, 30), 5),
    (date(2022, 12, 30), date(2023, 6, 30), 6),
    (MonthDate(2023, 1), date(2023, 7, 1), 6),  # a month date is day 1: never shortens
    (MonthDate(2022, 12), MonthDate(2023, 6), 6),
    (MonthDate(2021, 9), date(2023, 6, 30), 21),
    (date(2023, 6, 30), date(2023, 6, 30), 0),
    (date(2023, 7, 1), date(2023, 6, 30), -1),
])
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def test_month_date_is_day_one_and_prints_month():
    d = MonthDate(2023, 6, 17)
    assert d.day == 1 and d.isoformat() == "2023-06"


def test_lost_since_defaults_to_later_of_org_life_and_dues():
    m = member(last_org_life_date=date(2020, 10, 20), last_dues_date=MonthDate(2020, 9), lost_contact=lost())
    assert effective.lost_since(m) == date(2020, 10, 20)
    m = member(last_org_life_date=None, last_dues_date=MonthDate(2021, 3), lost_contact=lost())
    assert effective.lost_since(m) == date(2021, 3, 1)
    m = member(last_org_life_date=date(2020, 1, 1), lost_contact=lost(since=MonthDate(2019, 5)))
    assert effective.lost_since(m) == date(2019, 5, 1)


def test_lost_search_end_and_months():
    m = member(last_org_life_date=date(2020, 10, 20), last_dues_date=MonthDate(2020, 9), lost_contact=lost())
    assert effective.lost_search_end(m, CAMPAIGN) == date(2023, 7, 15)
    assert effective.lost_months(m, CAMPAIGN) == 32  # 2020-10-20 → 2023-07-15: 2年8个月
    m.lost_contact.search_end_date = date(2023, 10, 19)
    assert effective.lost_search_end(m, CAMPAIGN) == date(2023, 10, 19)
    assert effective.lost_months(m, CAMPAIGN) == 35


def test_away_months_runs_to_stats_date():
    m = member(outgoing=outgoing(left_date=MonthDate(2023, 2)))
    assert effective.away_months(m, CAMPAIGN) == 4
    m = member(outgoing=outgoing(left_date=date(2022, 12, 31)))
    assert effective.away_months(m, CAMPAIGN) == 5
    m = member(outgoing=outgoing(left_date=MonthDate(2022, 12)))
    assert effective.away_months(m, CAMPAIGN) == 6


@pytest.mark.parametrize("left, fixed, card, given, action", [
    (MonthDate(2021, 9), True, False, None, "应转移组织关系"),
    (MonthDate(2021, 9), True, True, None, "应转移组织关系"),
    (MonthDate(2021, 9), False, False, None, "发放活动证"),
    (MonthDate(2021, 9), False, True, None, "保留组织关系"),
    (MonthDate(2023, 2), True, False, None, "发放活动证"),  # fixed, but under 6 months
    (MonthDate(2023, 2), True, True, None, "保留组织关系"),
    (MonthDate(2021, 9), True, False, "已转移组织关系", "已转移组织关系"),  # given wins
])
def test_relation_action(left, fixed, card, given, action):
    m = member(outgoing=outgoing(left_date=left, fixed_place=fixed, has_flow_card=card, relation_action=given))
    assert effective.relation_action(m, CAMPAIGN) == action


def test_pending_transfer():
    assert effective.pending_transfer(member(outgoing=outgoing()), CAMPAIGN)
    assert not effective.pending_transfer(member(outgoing=outgoing(relation_action="已转移组织关系")), CAMPAIGN)
    assert not effective.pending_transfer(member(outgoing=outgoing(fixed_place=False)), CAMPAIGN)
    assert not effective.pending_transfer(member(outgoing=outgoing(left_date=MonthDate(2023, 1))), CAMPAIGN)
    assert not effective.pending_transfer(member(), CAMPAIGN)


@pytest.mark.parametrize("outcome, member_type, abroad_kind, handling", [
    ("取得联系", "正式党员", None, "恢复正常管理"),
    ("取得联系", "预备党员", None, "恢复正常管理"),
    ("无法取得联系", "正式党员", None, "停止党籍"),
    ("无法取得联系", "正式党员", "定居", "停止党籍"),
    ("无法取得联系", "预备党员", None, "取消预备党员资格"),
    ("无法取得联系", "预备党员", "留学", "取消预备党员资格"),
    ("无法取得联系", "预备党员", "定居", "不再保留预备党员资格"),
])
def test_lost_handling_drafted(outcome, member_type, abroad_kind, handling):
    abroad = Abroad(abroad_kind, MonthDate(2022, 1), "加拿大", False) if abroad_kind else None
    m = member(member_type=member_type, abroad=abroad, lost_contact=lost(outcome=outcome))
    assert effective.lost_handling(m) == handling


def test_lost_handling_given_wins():
    m = member(lost_contact=lost(outcome="取得联系", handling="转移组织关系"))
    assert effective.lost_handling(m) == "转移组织关系"


@pytest.mark.parametrize("kind, member_type, handling", [
    ("定居", "正式党员", "停止党籍"),
    ("定居", "预备党员", "不再保留预备党员资格"),
    ("留学", "正式党员", "保留组织关系"),
    ("劳务", "预备党员", "保留组织关系"),
    ("其他", "正式党员", "保留组织关系"),
])
def test_abroad_handling(kind, member_type, handling):
    m = member(member_type=member_type, abroad=Abroad(kind, MonthDate(2022, 1), "澳大利亚", True))
    assert effective.abroad_handling(m) == handling
    m.abroad.handling = "其他"
    assert effective.abroad_handling(m) == "其他"
