"""三查三核 rules: each fires where it should, stays quiet where it should not, and never repeats."""
from __future__ import annotations

from datetime import date

import pytest

from service.domain import rules
from service.domain.model import Abroad, Campaign, Hanging, MonthDate, TransferOut

from .test_builders import dataset, lost, member, outgoing, random_dataset, sample

W_RULES = ["PROB-DUE", "SCOPE", "COMPLETE", "LOST-SUSPECT", "DROP", "FLOW-TRANSFER", "FLOW-CARD",
           "FLOW-CONTACT", "UNREACHABLE", "ABROAD", "RECEIPT", "HANGING"]


def fired(*members, campaign=None, rule_table=None):
    return [(f.rule, f.path) for f in rules.findings(dataset(*members, campaign=campaign), rule_table)]


def rule_ids(*members, **kw):
    return [r for r, _ in fired(*members, **kw)]


def test_rule_table_is_complete_data():
    assert list(rules.RULES) == W_RULES
    for rule in rules.RULE_LIST:
        assert rule.severity == "W" and rule.category in rules.CATEGORIES
        assert rule.title and rule.basis and rule.advice and rule.template
        assert rule.id in rules.CHECKS
    assert rules.RULES["FLOW-TRANSFER"].params["months"] == 6
    assert rules.RULES["RECEIPT"].params["receipt_months"] == 3
    assert rules.RULES["FLOW-TRANSFER"].title == "流动党员应转移组织关系"


def test_sample_findings():
    found = rules.findings(sample())
    assert [(f.rule, f.path, f.member) for f in found] == [
        ("FLOW-TRANSFER", "members[3].outgoing", "李志强"),
        ("RECEIPT", "members[9].transfer_out", "冯伟"),
    ]
    assert found[0].message.startswith("李志强：外出21个月")
    assert "《中国共产党党员教育管理工作条例》第二十五条" in found[0].message
    assert "2023年3月15日" in found[1].message and "常州市武进区实验初级中学党支部" in found[1].message
    assert found[0].as_dict() == {"rule": "FLOW-TRANSFER", "severity": "W", "path": "members[3].outgoing",
                                  "message": found[0].message}


def test_clean_member_has_no_findings():
    assert fired(member()) == []


# ------------------------------------------------------------------ one test per rule

def test_prob_due():
    assert fired(member(member_type="预备党员", join_date=date(2022, 6, 1))) == [("PROB-DUE", "members[0].member_type")]
    assert rule_ids(member(member_type="预备党员", join_date=date(2022, 12, 16))) == []
    assert rule_ids(member(join_date=date(2020, 6, 1))) == []  # 正式党员


def test_scope_names_late_joiners_only():
    found = rules.findings(dataset(member("甲"), member("乙", join_date=date(2023, 7, 1), phone=None)))
    assert [(f.rule, f.path) for f in found] == [("SCOPE", "members[1].join_date")]  # no COMPLETE for 乙
    assert "乙" in found[0].message and "2023年6月30日" in found[0].message
    assert rule_ids(member(join_date=date(2023, 6, 30))) == []


def test_complete():
    assert fired(member(phone=None)) == [("COMPLETE", "members[0].phone")]
    assert fired(member(phone="1", home_address="  ")) == [("COMPLETE", "members[0].home_address")]
    found = rules.findings(dataset(member("甲", phone=None, home_address=None)))
    assert found[0].path == "members[0]" and "联系电话、家庭住址" in found[0].message
    assert rule_ids(member()) == []


def test_lost_suspect():
    stale = dict(last_org_life_date=date(2022, 12, 1), last_dues_date=MonthDate(2022, 12))
    assert fired(member(**stale)) == [("LOST-SUSPECT", "members[0]")]
    assert rule_ids(member(last_org_life_date=date(2022, 12, 31), last_dues_date=MonthDate(2023, 1))) == []
    assert rule_ids(member(last_org_life_date=None, last_dues_date=MonthDate(2022, 1))) == ["LOST-SUSPECT"]
    assert rule_ids(member(last_org_life_date=None, last_dues_date=None)) == []  # nothing recorded: no claim
    assert rule_ids(member(**stale, lost_contact=lost())) == []  # registered: 附件7/8, not a suspicion
    assert rule_ids(member(**stale, party_status="停止党籍")) == []
    assert "LOST-SUSPECT" in rule_ids(member(**stale, abroad=Abroad("留学", MonthDate(2022, 1), "英国", True)))


def test_drop_and_no_double_report_with_lost_suspect():
    assert fired(member(last_org_life_date=date(2022, 11, 1))) == [("DROP", "members[0].last_org_life_date")]
    assert fired(member(last_dues_date=MonthDate(2022, 12))) == [("DROP", "members[0].last_dues_date")]
    both = member(last_org_life_date=date(2022, 11, 1), last_dues_date=MonthDate(2022, 11))
    assert rule_ids(both) == ["LOST-SUSPECT"]  # not DROP too
    explained = [dict(outgoing=outgoing(left_date=MonthDate(2023, 3), fixed_place=False, has_flow_card=True)),
                 dict(abroad=Abroad("留学", MonthDate(2022, 9), "英国", True)),
                 dict(lost_contact=lost(outcome="取得联系", contacted_date=date(2023, 7, 1)))]
    for extra in explained:
        assert "DROP" not in rule_ids(member(last_org_life_date=date(2022, 8, 25), **extra))


def test_drop_cites_the_constitution():
    found = rules.findings(dataset(member("赵六", last_org_life_date=date(2022, 1, 1))))
    assert found[0].message.startswith("赵六：未参加组织生活已连续6个月以上")
    assert "《中国共产党章程》第九条" in found[0].message


def test_flow_transfer_and_flow_card_not_both():
    assert rule_ids(member(outgoing=outgoing())) == ["FLOW-TRANSFER"]  # no card, but transfer is the remedy
    assert rule_ids(member(outgoing=outgoing(relation_action="已转移组织关系"))) == []
    assert rule_ids(member(outgoing=outgoing(fixed_place=False))) == ["FLOW-CARD"]
    assert rule_ids(member(outgoing=outgoing(fixed_place=False, has_flow_card=True))) == []
    assert rule_ids(member(outgoing=outgoing(left_date=MonthDate(2023, 2)))) == ["FLOW-CARD"]
    assert fired(member(outgoing=outgoing(fixed_place=False))) == [("FLOW-CARD", "members[0].outgoing.has_flow_card")]


def test_flow_contact():
    away = dict(left_date=MonthDate(2021, 1), fixed_place=False, has_flow_card=True, in_contact=False)
    silent = dict(last_org_life_date=date(2022, 10, 1), last_dues_date=MonthDate(2022, 10))
    assert fired(member(outgoing=outgoing(**away), **silent)) == [("FLOW-CONTACT", "members[0].outgoing.in_contact")]
    assert rule_ids(member(outgoing=outgoing(**away))) == []  # last contact 2023-06
    assert rule_ids(member(outgoing=outgoing(**away), **silent, lost_contact=lost())) == []
    assert rule_ids(member(outgoing=outgoing(**dict(away, in_contact=True)), **silent)) == []
    # nothing recorded: counted from the day the member left
    assert rule_ids(member(outgoing=outgoing(**away), last_org_life_date=None, last_dues_date=None)) == ["FLOW-CONTACT"]


@pytest.mark.parametrize("member_type, abroad_kind, handling, fires", [
    ("正式党员", None, None, False),  # drafted 停止党籍
    ("正式党员", None, "停止党籍", False),
    ("正式党员", None, "继续查找", False),
    ("正式党员", None, "其他", True),
    ("正式党员", None, "取消预备党员资格", True),
    ("预备党员", None, "取消预备党员资格", False),
    ("预备党员", None, "不再保留预备党员资格", True),
    ("预备党员", "定居", "不再保留预备党员资格", False),
    ("预备党员", "定居", "取消预备党员资格", True),
    ("预备党员", None, "停止党籍", True),
])
def test_unreachable(member_type, abroad_kind, handling, fires):
    abroad = Abroad(abroad_kind, MonthDate(2021, 1), "美国", True, "不再保留预备党员资格") if abroad_kind else None
    m = member(member_type=member_type, join_date=date(2023, 1, 1), abroad=abroad, lost_contact=lost(handling=handling))
    assert ("UNREACHABLE" in rule_ids(m)) is fires


def test_unreachable_ignores_recontacted():
    m = member(lost_contact=lost(outcome="取得联系", contacted_date=date(2023, 7, 1), handling="其他"))
    assert rule_ids(m) == []


def test_abroad():
    assert fired(member(abroad=Abroad("劳务", MonthDate(2022, 1), "日本", False))) == [
        ("ABROAD", "members[0].abroad.procedures_done")]
    assert rule_ids(member(abroad=Abroad("留学", MonthDate(2022, 1), "英国", True))) == []
    settled = member("钱七", abroad=Abroad("定居", MonthDate(2022, 1), "加拿大", True, "保留组织关系"))
    found = rules.findings(dataset(settled))
    assert [(f.rule, f.path) for f in found] == [("ABROAD", "members[0].abroad.handling")]
    assert "一般应停止党籍" in found[0].message
    assert rule_ids(member(abroad=Abroad("定居", MonthDate(2022, 1), "加拿大", True))) == []  # drafted 停止党籍
    undone = rules.findings(dataset(member(member_type="预备党员", join_date=date(2023, 1, 1),
                                           abroad=Abroad("定居", MonthDate(2023, 3), "加拿大", False))))
    assert "不再保留预备党员资格" in undone[0].message


def test_receipt():
    assert fired(member(transfer_out=TransferOut(date(2023, 3, 15), "某支部", False))) == [("RECEIPT", "members[0].transfer_out")]
    assert rule_ids(member(transfer_out=TransferOut(date(2023, 3, 30), "某支部", False))) == []  # exactly 3 months
    assert rule_ids(member(transfer_out=TransferOut(date(2023, 4, 1), "某支部", False))) == []
    assert rule_ids(member(transfer_out=TransferOut(date(2022, 1, 1), "某支部", True))) == []


def test_receipt_threshold_is_tunable():
    table = rules.with_params("RECEIPT", receipt_months=6)
    m = member(transfer_out=TransferOut(date(2023, 1, 15), "某支部", False))
    assert rule_ids(m) == ["RECEIPT"]
    assert rule_ids(m, rule_table=table) == []
    assert "6个月" in rules.findings(dataset(member(transfer_out=TransferOut(date(2022, 1, 1), "某支部", False))), table)[0].message


def test_hanging():
    assert fired(member(hanging=Hanging("已调离本校", False))) == [("HANGING", "members[0].hanging")]
    assert rule_ids(member(hanging=Hanging("已调离本校", True, "已转出", date(2023, 7, 1)))) == []


def test_stats_date_drives_time_rules():
    m = member(transfer_out=TransferOut(date(2023, 5, 1), "某支部", False))
    assert rule_ids(m) == []
    assert rule_ids(m, campaign=Campaign(stats_date=date(2023, 9, 30))) == ["RECEIPT"]


# ------------------------------------------------------------------ grouping and order

def test_order_is_member_then_rule():
    ds = dataset(member("甲", phone=None, hanging=Hanging("调离", False)),
                 member("乙", member_type="预备党员", join_date=date(2021, 1, 1), phone=None))
    assert [(f.member, f.rule) for f in rules.findings(ds)] == [
        ("甲", "COMPLETE"), ("甲", "HANGING"), ("乙", "PROB-DUE"), ("乙", "COMPLETE")]


def test_findings_by_rule_and_category():
    ds = dataset(member("甲", hanging=Hanging("调离", False)), member("乙", hanging=Hanging("调离", False)))
    grouped = rules.findings_by_rule(ds)
    assert list(grouped) == W_RULES
    assert [f.member for f in grouped["HANGING"]] == ["甲", "乙"] and grouped["DROP"] == []
    by_cat = rules.findings_by_category(ds)
    assert list(by_cat) == list(rules.CATEGORIES) and len(by_cat["三核二"]) == 2


@pytest.mark.parametrize("seed", range(100))
def test_random_branches_never_double_report(seed):
    ds = random_dataset(seed)
    found = rules.findings(ds)
    keys = [(f.path.split("]")[0], f.rule) for f in found]
    assert len(keys) == len(set(keys))  # one finding per member and rule
    per_member: dict[str, set] = {}
    for f in found:
        per_member.setdefault(f.path.split("]")[0], set()).add(f.rule)
        assert f.message.startswith(f"{f.member}：") and "依据" in f.message
        index = int(f.path[len("members["):].split("]")[0])
        assert ds.members[index].name == f.member
    for ids in per_member.values():
        assert not {"DROP", "LOST-SUSPECT"} <= ids
        assert not {"FLOW-CARD", "FLOW-TRANSFER"} <= ids
        assert "SCOPE" not in ids or ids == {"SCOPE"}


def test_messages_carry_no_id_numbers_or_phones():
    ds = random_dataset(7)
    for f in rules.findings(ds):
        for m in ds.members:
            assert m.id_number not in f.message
            assert not m.phone or m.phone not in f.message
