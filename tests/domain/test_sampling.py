"""随机抽查: the draw is reproducible from its seed, blind to input order, weighted when asked, and
shows only masked ID numbers with what the branch reported on each 三查 item."""
from __future__ import annotations

import json
import random
from dataclasses import replace
from functools import lru_cache

import pytest

import schemas
from service.domain import check_items, idcard, rules, sampling
from tools.synthetic import synthetic_branch


@lru_cache(maxsize=None)
def district(count: int = 12) -> dict:
    """`count` synthetic branches WJ100…, of 8 to 30 members (the longest with one who joined after
    the cutoff), each with findings of its own."""
    out = {}
    for i in range(count):
        data = synthetic_branch(8 + 2 * i, seed=300 + i)
        data["org"].update(code=f"WJ{100 + i}", name=f"湖塘第{i + 1}中学党支部")
        ds = schemas.load_dataset(data)
        out[ds.org.code] = ds
    return out


def drawn(seed: int, k: int = 4, m: int = 3, weighted: bool = False, branches=None) -> sampling.Sample:
    dss = branches or district()
    return sampling.draw([sampling.candidate(ds) for ds in dss.values()], k, m, seed, dss.__getitem__, weighted)


def picked(sample: sampling.Sample) -> list[tuple[str, list[str]]]:
    return [(b.code, [m.masked_id for m in b.members]) for b in sample.branches]


def test_the_same_seed_draws_the_same_sample():
    assert drawn(20230725) == drawn(20230725)
    assert drawn(20230725, weighted=True) == drawn(20230725, weighted=True)
    sample = drawn(20230725)
    assert (sample.seed, sample.branches_asked, sample.members_asked, sample.candidates) == (20230725, 4, 3, 12)
    assert len(sample.branches) == 4 and all(len(b.members) == 3 for b in sample.branches)


def test_different_seeds_draw_different_samples():
    samples = {json.dumps(picked(drawn(seed))) for seed in range(20)}
    assert len(samples) == 20


def test_the_order_branches_and_members_come_in_does_not_matter():
    shuffled = {}
    rng = random.Random(5)
    for code in rng.sample(list(district()), len(district())):
        members = list(district()[code].members)
        rng.shuffle(members)
        shuffled[code] = replace(district()[code], members=members)
    for seed in (1, 2, 3):
        assert picked(drawn(seed, branches=shuffled)) == picked(drawn(seed))


def test_a_branchs_members_depend_only_on_the_seed_and_the_branch():
    """Drawing more branches leaves the members drawn in a branch drawn both times as they were."""
    small, large = drawn(11, k=3), drawn(11, k=8)
    in_large = dict(picked(large))
    assert {code for code, _ in picked(small)} <= set(in_large)
    for code, members in picked(small):
        assert in_large[code] == members


def test_more_than_there_are_draws_all_in_order():
    sample = drawn(7, k=50, m=100)
    assert [b.code for b in sample.branches] == sorted(district())
    for b in sample.branches:
        ds = district()[b.code]
        in_scope = [m for m in ds.members if m.join_date <= ds.campaign.cutoff_date]
        assert b.in_scope == len(in_scope) == len(b.members)
        assert [m.masked_id for m in b.members] == [idcard.mask(m.id_number) for m in
                                                    sorted(in_scope, key=lambda m: m.id_number)]


def test_only_members_in_scope_are_drawn():
    """synthetic_branch has one member who joined after the cutoff: never drawn."""
    out_of_scope = {idcard.mask(m.id_number) for ds in district().values() for m in ds.members
                    if m.join_date > ds.campaign.cutoff_date}
    assert out_of_scope
    for seed in range(10):
        assert not out_of_scope & {m.masked_id for b in drawn(seed, k=12, m=30).branches for m in b.members}


def _expected_heavy(heavy: int, light: int, k: int, w_heavy: float, w_light: float = 1.0) -> float:
    """E[heavy branches drawn] when k are drawn one after another, each with probability ∝ weight
    (the distribution Efraimidis–Spirakis keys give), computed exactly."""
    @lru_cache(maxsize=None)
    def e(h: int, l: int, left: int) -> float:
        if left == 0 or h + l == 0:
            return 0.0
        total = h * w_heavy + l * w_light
        p = h * w_heavy / total
        return (p * (1 + e(h - 1, l, left - 1)) if h else 0.0) + ((1 - p) * e(h, l - 1, left - 1) if l else 0.0)
    return e(heavy, light, k)


def test_weighting_prefers_branches_with_findings():
    """20 branches, 4 of them with 9 findings each (weight 10): over 1,000 seeds the mean number of
    them among 4 drawn is what weighted sampling without replacement expects (2.56), and about
    0.8 (4 × 4/20) unweighted. Seeded, so the figures are the same on every run."""
    base = schemas.load_dataset(synthetic_branch(1, seed=9))
    dss, cands = {}, []
    for i in range(20):
        ds = replace(base, org=replace(base.org, code=f"B{i:02d}"))
        dss[ds.org.code] = ds
        cands.append(sampling.Candidate(ds.org.code, f"第{i}党支部", 9 if i < 4 else 0))
    heavy = {f"B{i:02d}" for i in range(4)}

    def mean(weighted: bool) -> float:
        counts = [sum(b.code in heavy for b in sampling.draw(cands, 4, 1, seed, dss.__getitem__, weighted).branches)
                  for seed in range(1000)]
        return sum(counts) / len(counts)

    expected = _expected_heavy(4, 16, 4, 10.0)
    assert 2.5 < expected < 3.0
    assert abs(mean(True) - expected) < 0.1
    assert abs(mean(False) - _expected_heavy(4, 16, 4, 1.0)) < 0.1
    assert _expected_heavy(4, 16, 4, 1.0) == pytest.approx(0.8)
    light_drawn = {b.code for seed in range(200)
                   for b in sampling.draw(cands, 4, 1, seed, dss.__getitem__, True).branches}
    assert light_drawn - heavy, "a branch without findings must still be drawable"


def test_a_drawn_member_shows_a_masked_id_and_what_the_branch_reported():
    sample = drawn(3, k=12, m=30)
    text = json.dumps(sample.as_dict(), ensure_ascii=False)
    for ds in district().values():
        for m in ds.members:
            assert m.id_number not in text
    member = sample.branches[0].members[0]
    assert len(member.masked_id) == 18 and member.masked_id[4:14] == "*" * 10
    assert set(member.as_dict()["facts"]) == {"三查一", "三查二", "三查三"}


def test_a_members_findings_are_hinted_under_their_check_item():
    """Every finding of a drawn member shows as 提示 under the 三查 item its category belongs to."""
    sample = drawn(4, k=12, m=30)
    for b in sample.branches:
        ds = district()[b.code]
        by_name = {}
        for f in rules.findings(ds):
            by_name.setdefault(f.member, []).append(f)
        for m in b.members:
            for f in by_name.get(m.name, []):
                rule = rules.RULES[f.rule]
                column = check_items.ITEMS.index(check_items.ITEM_OF_CATEGORY[rule.category])
                assert "提示：" in m.facts[column] and rule.title in m.facts[column], (m.name, f.rule)


def test_the_check_items_are_the_notices_words():
    assert [i.words for i in check_items.CHECK_ITEMS] == [
        "一查基本信息是否齐全", "二查交纳党费、参加组织生活情况", "三查接转组织关系情况"]
    assert check_items.CHECK_ITEMS[1].heading == "二查\n交纳党费、参加组织生活情况"


def test_facts_read_from_the_member():
    ds = district()["WJ111"]
    abroad = next(m for m in ds.members if m.abroad is not None)
    lost = next(m for m in ds.members if m.lost_contact is not None)
    assert f"出国（境）{abroad.abroad.kind}（{abroad.abroad.country}）" in check_items.facts(abroad)["三查三"]
    assert f"失联党员，经查找{lost.lost_contact.outcome}" in check_items.facts(lost)["三查二"]
    bare = replace(ds.members[0], phone=None, home_address="", transfer_out=None, abroad=None)
    assert check_items.facts(bare)["三查一"].endswith("缺联系电话、家庭住址")
    assert check_items.facts(bare)["三查三"] == "无接转记录"
