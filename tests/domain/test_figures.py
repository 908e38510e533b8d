"""附件6 and 附件9 figures: the sample counted by hand, and the sum identities on random branches."""
from __future__ import annotations

from datetime import date

import pytest

from service.domain import figures
from service.domain.model import Abroad, Campaign, Destination, Hanging, MonthDate, TransferOut

from .test_builders import dataset, lost, member, outgoing, random_dataset, sample

# Counted by hand from tests/fixtures/demo-branch.json (stats_date 2023-06-30):
#   李志强 正式, 上海 → 跨省, 2021-09 → 21 months, 异地居住, fixed, no card, in contact → (18)
#   张敏   正式, 南京 → 省内跨市, 2023-02 → 4 months, 学习进修, not fixed, card, in contact
SAMPLE_OUTGOING = {
    "1": 2, "2": 2, "3": 0, "4": 0, "5": 0, "6": 1, "7": 1, "8": 0, "9": 1, "10": 1,
    "11": 0, "12": 1, "13": 1, "14": 0, "15": 1, "16": 2, "17": 0, "18": 1,
}
# 12 members, 何静 预备; 在岗 8, 离退休 1 (李志强), 其他 3 (赵国庆 孙海燕 吴晓东); all verified;
# 冯伟 转出未回执; 吴晓东 空挂已理顺; 赵国庆 取得联系 → 转移组织关系 (given);
# 孙海燕 无法取得联系, 正式党员 → 停止党籍 (drafted); 郑雅文 留学 已办手续.
SAMPLE_CAMPAIGN = {
    "A1": 12, "A2": 11, "A3": 1, "A4": 8, "A5": 1, "A6": 3,
    "B1": 12, "B2": 0, "B3": 1,
    "C1": 2, "C2": 1, "C3": 1, "C4": 0,
    "D1": 1, "D2": 1, "D3": 0,
    "E1": 2, "E2": 1, "E3": 1,
    "F1": 0, "F2": 1, "F3": 0, "F4": 0, "F5": 1, "F6": 0, "F7": 0, "F8": 0,
    "G1": 1, "G2": 1, "G3": 0,
}


def test_labels_are_the_printed_columns_in_order():
    assert list(figures.OUTGOING_LABELS) == [str(n) for n in range(1, 19)]
    assert figures.OUTGOING_LABELS["1"] == "外出流动党员总数"
    assert figures.OUTGOING_LABELS["18"] == "应转未转组织关系"
    assert figures.OUTGOING_LABELS["8"] == "出国（境）"
    assert list(figures.CAMPAIGN_LABELS)[0] == "A1" and list(figures.CAMPAIGN_LABELS)[-1] == "G3"
    assert len(figures.CAMPAIGN_LABELS) == 30
    assert figures.CAMPAIGN_LABELS["F6"] == "取消或不再保留预备党员资格"


def test_groups_cover_every_code_once_in_order():
    for groups, labels in ((figures.OUTGOING_GROUPS, figures.OUTGOING_LABELS),
                           (figures.CAMPAIGN_GROUPS, figures.CAMPAIGN_LABELS)):
        assert [c for _, codes in groups for c in codes] == list(labels)


def test_sample_outgoing_summary():
    assert figures.outgoing_summary(sample()) == SAMPLE_OUTGOING


def test_sample_campaign_summary():
    assert figures.campaign_summary(sample()) == SAMPLE_CAMPAIGN


def test_sample_satisfies_every_identity():
    assert figures.check_identities(figures.summaries(sample())) == []


def test_out_of_scope_members_are_not_counted():
    late = member("晚入党", join_date=date(2023, 7, 1), outgoing=outgoing(), lost_contact=lost())
    ds = dataset(member("甲"), late)
    assert figures.campaign_summary(ds)["A1"] == 1
    assert figures.campaign_summary(ds)["E1"] == 0
    assert figures.outgoing_summary(ds)["1"] == 0


def test_each_outgoing_column():
    ds = dataset(
        member("甲", member_type="预备党员", outgoing=outgoing(
            destination=Destination("中国", "江苏", "常州", "武进"), reason="务工经商",
            left_date=MonthDate(2023, 3), has_flow_card=True, in_contact=False)),
        member("乙", outgoing=outgoing(destination=Destination("中国", "江苏省", "常州市", "钟楼区"), reason="其他")),
        member("丙", outgoing=outgoing(destination=Destination("新加坡"), relation_action="已转移组织关系")),
    )
    fig = figures.outgoing_summary(ds)
    assert fig == {"1": 3, "2": 2, "3": 1, "4": 1, "5": 1, "6": 0, "7": 0, "8": 1, "9": 1, "10": 2,
                   "11": 1, "12": 0, "13": 1, "14": 1, "15": 1, "16": 2, "17": 1, "18": 1}
    camp = figures.campaign_summary(ds)
    assert (camp["C1"], camp["C2"], camp["C3"], camp["C4"]) == (3, 1, 1, 1)


@pytest.mark.parametrize("handling, code", [
    ("恢复正常管理", "F1"), ("转移组织关系", "F2"), ("限期改正", "F3"), ("劝其退党", "F4"), ("除名", "F4"),
    ("停止党籍", "F5"), ("取消预备党员资格", "F6"), ("不再保留预备党员资格", "F6"), ("继续查找", "F7"),
    ("其他", "F8"),
])
def test_handling_codes(handling, code):
    ds = dataset(member(lost_contact=lost(handling=handling)))
    fig = figures.campaign_summary(ds)
    assert fig[code] == 1 and sum(fig[f"F{n}"] for n in range(1, 9)) == 1


def test_drafted_handling_counts():
    ds = dataset(member("甲", lost_contact=lost(outcome="取得联系", contacted_date=date(2023, 7, 1))),
                 member("乙", member_type="预备党员", lost_contact=lost()),
                 member("丙", lost_contact=lost()))
    fig = figures.campaign_summary(ds)
    assert (fig["E1"], fig["E2"], fig["E3"], fig["F1"], fig["F5"], fig["F6"]) == (3, 1, 2, 1, 1, 1)


def test_b_d_g_columns():
    ds = dataset(member("甲", verified=False, corrections=["出生日期有误"]),
                 member("乙", transfer_out=TransferOut(date(2023, 1, 1), "某支部", True)),
                 member("丙", transfer_out=TransferOut(date(2023, 1, 1), "某支部", False), hanging=Hanging("调离", False)),
                 member("丁", abroad=Abroad("定居", MonthDate(2020, 1), "美国", False)))
    fig = figures.campaign_summary(ds)
    assert (fig["B1"], fig["B2"], fig["B3"]) == (3, 1, 1)
    assert (fig["D1"], fig["D2"], fig["D3"]) == (1, 0, 1)
    assert (fig["G1"], fig["G2"], fig["G3"]) == (1, 0, 1)


@pytest.mark.parametrize("seed", range(200))
def test_identities_hold_on_random_branches(seed):
    ds = random_dataset(seed)
    fig = figures.summaries(ds)
    assert figures.check_identities(fig) == []
    assert fig["A1"] == sum(1 for m in ds.members if m.join_date <= ds.campaign.cutoff_date)


def test_identities_hold_for_the_total_row():
    rows = [figures.summaries(random_dataset(seed)) for seed in range(30)]
    total = figures.add_up(rows)
    assert figures.check_identities(total) == []
    assert total["A1"] == sum(r["A1"] for r in rows)


def test_check_identities_names_what_is_wrong():
    fig = dict(SAMPLE_OUTGOING, **SAMPLE_CAMPAIGN)
    fig["1"] = 3
    fig["E2"] = 2
    problems = figures.check_identities(fig)
    assert any("(2)正式党员+(3)预备党员=2" in p and "(1)外出流动党员总数=3" in p for p in problems)
    assert any("E2经排查取得联系" in p for p in problems)
    assert any("C1" in p for p in problems)  # 附件6 (1) no longer equals 附件9 C1


def test_stats_date_moves_durations():
    ds = dataset(member(outgoing=outgoing(left_date=MonthDate(2023, 2), fixed_place=True)),
                 campaign=Campaign(stats_date=date(2023, 8, 31)))
    fig = figures.outgoing_summary(ds)
    assert (fig["9"], fig["10"], fig["18"]) == (0, 1, 1)
