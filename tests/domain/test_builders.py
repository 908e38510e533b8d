"""Builders of domain Datasets for the domain tests (no schemas/: they are written concurrently).

`sample()` mirrors tests/fixtures/demo-branch.json by hand; `random_dataset(seed)` makes varied,
contract-valid branches for the identity tests.
"""
from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from service.domain import idcard
from service.domain.model import (
    Abroad, Campaign, Dataset, Destination, Hanging, LostContact, Member, MonthDate, Org, Outgoing,
    SearchAttempt, TransferOut,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "demo-branch.json"


def make_id(birth: date, gender: str, serial: int = 12) -> str:
    """A valid 18-character ID number for a birth date and gender."""
    seq = f"{serial % 100:02d}{(1 if gender == '男' else 2) if serial % 2 == 0 else (3 if gender == '男' else 4)}"
    first17 = f"320412{birth:%Y%m%d}{seq}"
    return first17 + idcard.check_char(first17)


def member(name: str = "张三", **kw) -> Member:
    """A 正式党员 in good standing with every printed field; override anything by keyword."""
    gender = kw.pop("gender", "男")
    birth = kw.pop("birth_date", date(1980, 5, 1))
    member_type = kw.pop("member_type", "正式党员")
    join = kw.pop("join_date", date(2005, 6, 1))
    full = kw.pop("full_member_date", date(join.year + 1, join.month, join.day) if member_type == "正式党员" else None)
    values = dict(
        name=name, gender=gender, ethnicity="汉族", id_number=make_id(birth, gender, kw.pop("serial", 12)),
        birth_date=birth, education="大学本科", member_type=member_type, join_date=join,
        person_category="在岗教职工", full_member_date=full, job_post="专任教师", phone="13900000000",
        home_address="江苏省常州市武进区湖塘镇", last_org_life_date=date(2023, 6, 28),
        last_dues_date=MonthDate(2023, 6), verified=True,
    )
    values.update(kw)
    return Member(**values)


def org(**kw) -> Org:
    values = dict(code="WJ017", name="星河实验小学党支部", full_name="中共常州市武进区星河实验小学支部委员会",
                  unit_name="常州市武进区星河实验小学", org_type="党支部", secretary="周建华",
                  contact_person="陈晓燕", contact_phone="0519-86310611", filled_by="陈晓燕",
                  reviewed_by="周建华", fill_date=date(2023, 7, 10))
    values.update(kw)
    return Org(**values)


def dataset(*members: Member, campaign: Campaign | None = None) -> Dataset:
    return Dataset(org=org(), members=list(members), campaign=campaign or Campaign())


def outgoing(**kw) -> Outgoing:
    values = dict(left_date=MonthDate(2021, 9), destination=Destination("中国", "上海市", "上海市", "浦东新区"),
                  reason="异地居住", fixed_place=True, has_flow_card=False, in_contact=True)
    values.update(kw)
    return Outgoing(**values)


def lost(**kw) -> LostContact:
    values = dict(situation="居住地改变", outcome="无法取得联系",
                  search_record=[SearchAttempt(date(2023, 7, 3), "拨打预留电话", "号码已停机")])
    values.update(kw)
    return LostContact(**values)


def sample() -> Dataset:
    """tests/fixtures/demo-branch.json, built by hand."""
    members = [
        member("周建华", birth_date=date(1972, 4, 18), join_date=date(1996, 6, 28), education="研究生", job_post="校长、党支部书记"),
        member("陈晓燕", gender="女", birth_date=date(1986, 9, 2), join_date=date(2010, 5, 20)),
        member("王丽萍", gender="女", birth_date=date(1979, 11, 23), join_date=date(2004, 7, 1)),
        member("李志强", birth_date=date(1968, 2, 14), join_date=date(1992, 12, 10), education="大学专科",
               person_category="离退休人员", job_post="退休教师",
               outgoing=outgoing(contact="微信", destination=Destination("中国", "上海市", "上海市", "浦东新区", "随子女居住"))),
        member("张敏", gender="女", birth_date=date(1990, 5, 30), join_date=date(2015, 6, 18),
               outgoing=outgoing(left_date=MonthDate(2023, 2),
                                 destination=Destination("中国", "江苏省", "南京市", "鼓楼区", "南京师范大学进修"),
                                 reason="学习进修", fixed_place=False, has_flow_card=True,
                                 flow_card_no="苏流2023-0017", host_org="南京师范大学教师进修学院党支部")),
        member("赵国庆", birth_date=date(1975, 10, 1), join_date=date(2001, 6, 30), person_category="其他", job_post="无",
               last_org_life_date=date(2021, 3, 15), last_dues_date=MonthDate(2021, 3),
               lost_contact=LostContact("工作单位改变", "取得联系", contacted_date=date(2023, 7, 8),
                                        current_whereabouts="江苏省无锡市某科技有限公司", handling="转移组织关系")),
        member("孙海燕", gender="女", birth_date=date(1983, 3, 8), join_date=date(2008, 11, 12), person_category="其他",
               job_post="无", last_org_life_date=date(2020, 10, 20), last_dues_date=MonthDate(2020, 9),
               lost_contact=lost(current_whereabouts="原住址已拆迁，去向不明", search_record=[
                   SearchAttempt(date(2023, 7, 3), "拨打预留电话", "号码已停机"),
                   SearchAttempt(date(2023, 7, 5), "走访原住址及亲属", "亲属称多年未联系"),
                   SearchAttempt(date(2023, 7, 10), "请派出所协查", "户籍已迁出本市，未获现住址")])),
        member("吴晓东", birth_date=date(1988, 12, 12), join_date=date(2014, 6, 25), person_category="其他", job_post="无",
               hanging=Hanging("2019年调离本校至常州市第一中学，组织关系未转出", True,
                               "已转至常州市第一中学党委第二党支部", date(2023, 7, 6))),
        member("郑雅文", gender="女", birth_date=date(1994, 8, 16), join_date=date(2019, 5, 30),
               last_org_life_date=date(2022, 8, 25),
               abroad=Abroad("留学", MonthDate(2022, 9), "英国", True, "保留组织关系")),
        member("冯伟", birth_date=date(1992, 1, 27), join_date=date(2018, 6, 21),
               transfer_out=TransferOut(date(2023, 3, 15), "常州市武进区实验初级中学党支部", False)),
        member("何静", gender="女", birth_date=date(1997, 7, 7), join_date=date(2022, 12, 16), member_type="预备党员"),
        member("马骏", birth_date=date(1995, 3, 21), join_date=date(2022, 6, 10), ethnicity="回族",
               full_member_date=date(2023, 6, 10)),
    ]
    return dataset(*members)


# ---------------------------------------------------------------- random branches

PROVINCES = [("江苏省", "常州市", "武进区"), ("江苏", "常州", "新北区"), ("江苏省", "南京市", "鼓楼区"),
             ("上海市", "上海市", "浦东新区"), ("浙江", "杭州", "西湖区"), ("香港特别行政区", None, None)]
HANDLINGS_FOUND = ["恢复正常管理", "转移组织关系", "限期改正", "劝其退党", "除名", "停止党籍", "其他", None]
HANDLINGS_LOST = ["继续查找", "停止党籍", "取消预备党员资格", "不再保留预备党员资格", "其他", None]


def _maybe(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def random_member(rng: random.Random, n: int) -> Member:
    gender = rng.choice(["男", "女"])
    birth = date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28))
    member_type = "预备党员" if _maybe(rng, 0.15) else "正式党员"
    join = date(birth.year + rng.randint(18, 40), rng.randint(1, 12), rng.randint(1, 28))
    if join > date(2023, 6, 30):
        join = date(2023, rng.randint(1, 12), rng.randint(1, 28)) if _maybe(rng, 0.2) else date(2020, 1, 1)
    kw: dict = dict(gender=gender, birth_date=birth, member_type=member_type, join_date=join, serial=n,
                    person_category=rng.choice(["在岗教职工", "离退休人员", "其他"]),
                    verified=_maybe(rng, 0.8), corrections=["电话有误"] if _maybe(rng, 0.1) else [])
    if member_type == "预备党员":
        kw["full_member_date"] = None
    if _maybe(rng, 0.3):
        prov, city, county = rng.choice(PROVINCES)
        country = rng.choice(["中国", "中国", "中国", "日本"])
        kw["outgoing"] = outgoing(
            left_date=MonthDate(rng.randint(2019, 2023), rng.randint(1, 6)) if _maybe(rng, 0.5)
            else date(rng.randint(2019, 2023), rng.randint(1, 6), rng.randint(1, 28)),
            destination=Destination(country, prov, city, county),
            reason=rng.choice(["务工经商", "学习进修", "异地居住", "其他"]),
            fixed_place=_maybe(rng, 0.5), has_flow_card=_maybe(rng, 0.5), in_contact=_maybe(rng, 0.7),
            relation_action=rng.choice([None, None, "应转移组织关系", "已转移组织关系", "发放活动证", "保留组织关系"]))
    if _maybe(rng, 0.2):
        found = _maybe(rng, 0.5)
        kw["last_org_life_date"] = date(rng.randint(2015, 2022), rng.randint(1, 12), 1)
        kw["lost_contact"] = lost(outcome="取得联系" if found else "无法取得联系",
                                  contacted_date=date(2023, 7, 8) if found else None,
                                  handling=rng.choice(HANDLINGS_FOUND if found else HANDLINGS_LOST))
        kw["last_dues_date"] = MonthDate(rng.randint(2015, 2022), rng.randint(1, 12))
    if _maybe(rng, 0.1):
        kw["hanging"] = Hanging("调离未转出", resolved := _maybe(rng, 0.5), "已转出" if resolved else None,
                                date(2023, 7, 1) if resolved else None)
    if _maybe(rng, 0.1):
        kw["abroad"] = Abroad(rng.choice(["定居", "留学", "劳务", "其他"]), MonthDate(2022, rng.randint(1, 12)),
                              "英国", _maybe(rng, 0.5), rng.choice([None, "保留组织关系", "停止党籍"]))
    if _maybe(rng, 0.1):
        kw["transfer_out"] = TransferOut(date(2023, rng.randint(1, 6), rng.randint(1, 28)), "某党支部", _maybe(rng, 0.5))
    if _maybe(rng, 0.1):
        kw["phone"] = None
    if _maybe(rng, 0.15):
        kw["last_org_life_date"] = date(rng.randint(2020, 2023), rng.randint(1, 6), 1)
    if _maybe(rng, 0.15):
        kw["last_dues_date"] = MonthDate(rng.randint(2020, 2023), rng.randint(1, 6)) if _maybe(rng, 0.8) else None
    return member(f"党员{n}", **kw)


def random_dataset(seed: int) -> Dataset:
    rng = random.Random(seed)
    return dataset(*(random_member(rng, n) for n in range(rng.randint(1, 40))))


# ---------------------------------------------------------------- tests of the builders


def test_sample_mirrors_the_fixture():
    raw = json.loads(FIXTURE.read_text(encoding="utf-8"))
    ds = sample()
    assert [m.name for m in ds.members] == [m["name"] for m in raw["members"]]
    for built, given in zip(ds.members, raw["members"]):
        assert built.id_number[6:14] == given["id_number"][6:14]
        assert built.gender == given["gender"] and built.member_type == given["member_type"]
        assert built.join_date.isoformat() == given["join_date"]
        assert built.person_category == given["person_category"]
        assert built.last_org_life_date.isoformat() == given["last_org_life_date"]
        assert built.last_dues_date.isoformat() == given["last_dues_date"]
        for key in ("outgoing", "lost_contact", "hanging", "abroad", "transfer_out"):
            assert (getattr(built, key) is None) == (key not in given), (built.name, key)


def test_built_id_numbers_are_valid():
    for seed in range(20):
        for m in random_dataset(seed).members:
            assert idcard.problem(m.id_number) is None
            assert idcard.gender(m.id_number) == m.gender
