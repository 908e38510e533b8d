"""synthetic_branch(n, seed): a valid contract dataset of n members, deterministic per seed.

Members cycle through FEATURES, so any n ≥ len(FEATURES) covers every sub-record type: outgoing in
all five destination bands and all four reasons, both 失联 outcomes, hanging resolved and not,
every abroad kind, transfer_out, 预备党员, 离退休, names with ·, rare and non-BMP characters, and
one member who joined after the cutoff (2023-06-30). Tests and the benchmark import it.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from service.domain import idcard
from service.domain.calendar import add_years

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛龚邵钱严戴"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕斌辉鹏建林晨宇浩然欣怡雪梅晓东海波志文俊"
AREAS = ("320412", "320402", "320404", "320411", "320481", "320413")
SPECIAL_NAMES = {
    "dot": ("阿依古丽·买买提", "女", "维吾尔族"),
    "zhe": ("张喆", "男", "汉族"),
    "kun": ("王堃", "男", "汉族"),
    "sheng": ("刘昇", "男", "汉族"),
    "yue": ("陈玥", "女", "汉族"),
    "ji": ("李𠮷", "女", "汉族"),  # U+20BB7, outside the BMP
}
DESTINATIONS = (  # one per band, relative to 江苏省常州市武进区
    {"country": "中国", "province": "江苏省", "city": "常州市", "county": "武进区", "detail": "湖塘镇某公司"},
    {"country": "中国", "province": "江苏省", "city": "常州市", "county": "新北区", "detail": "常州国家高新区"},
    {"country": "中国", "province": "江苏省", "city": "南京市", "county": "鼓楼区", "detail": "南京师范大学"},
    {"country": "中国", "province": "浙江省", "city": "杭州市", "county": "西湖区", "detail": "某科技公司"},
    {"country": "日本", "city": "东京都", "detail": "随配偶居住"},
    {"country": "中国", "province": "香港", "detail": "香港大学访问学者"},
)
REASONS = ("务工经商", "学习进修", "异地居住", "其他")
SITUATIONS = ("外出务工经商", "单位改制或破产", "毕业后去向不明", "工作单位改变", "出国（境）", "居住地改变", "其他")

FEATURES = (
    "plain", "out0", "out1", "out2", "out3", "out4", "out5", "lost_contacted", "lost_unreachable",
    "hanging_resolved", "hanging_open", "abroad_定居", "abroad_留学", "abroad_劳务", "abroad_其他",
    "transfer_out", "probationary", "retired", "dot", "zhe", "kun", "sheng", "yue", "ji",
    "late_joiner", "lost_other",
)


def synthetic_branch(n: int, seed: int = 0) -> dict:
    """Valid contract JSON for n members (n ≥ 1), the same for the same seed."""
    rng = random.Random(seed)
    used_ids: set[str] = set()
    members = [_member(i, FEATURES[i % len(FEATURES)], rng, used_ids) for i in range(n)]
    return {
        "schema_version": "1",
        "org": {
            "code": f"SYN{seed % 10**12}",
            "name": "湖塘桥实验小学党支部",
            "full_name": "中共常州市武进区湖塘桥实验小学支部委员会",
            "unit_name": "常州市武进区湖塘桥实验小学",
            "org_type": "党支部",
            "secretary": members[0]["name"],
            "contact_person": members[-1]["name"],
            "contact_phone": "0519-86" + f"{rng.randrange(10**6):06d}",
            "fill_date": "2023-07-10",
        },
        "members": members,
        "work_plan": {"leading_group": [
            {"name": members[0]["name"], "role": "组长", "duty": "全面负责排查工作"},
            {"name": members[-1]["name"], "role": "成员", "duty": "信息核对与材料报送"},
        ]},
    }


def _id_number(rng: random.Random, birth: date, gender: str, used: set[str]) -> str:
    while True:
        seq = rng.randrange(100) * 10 + rng.choice((1, 3, 5, 7, 9) if gender == "男" else (0, 2, 4, 6, 8))
        first17 = f"{rng.choice(AREAS)}{birth:%Y%m%d}{seq:03d}"
        number = first17 + idcard.check_char(first17)
        if number not in used:
            used.add(number)
            return number


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _member(i: int, feature: str, rng: random.Random, used: set[str]) -> dict:
    gender = rng.choice(("男", "女"))
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    ethnicity = rng.choice(("汉族",) * 8 + ("回族", "满族", "壮族", "蒙古族"))
    if feature in SPECIAL_NAMES:
        name, gender, ethnicity = SPECIAL_NAMES[feature]
    retired = feature == "retired"
    birth = _rand_date(rng, date(1950, 1, 1), date(1962, 12, 31)) if retired else \
        _rand_date(rng, date(1965, 1, 1), date(1998, 12, 31))
    probationary = feature in ("probationary", "late_joiner")
    if feature == "late_joiner":
        join = date(2023, 7, 1) + timedelta(days=rng.randrange(60))
    elif probationary:
        join = _rand_date(rng, date(2022, 7, 1), date(2023, 6, 30))
    else:
        join = _rand_date(rng, max(add_years(birth, 18), date(1975, 1, 1)), date(2022, 6, 30))
    m = {
        "name": name,
        "gender": gender,
        "ethnicity": ethnicity,
        "id_number": _id_number(rng, birth, gender, used),
        "education": rng.choice(("研究生", "大学本科", "大学本科", "大学本科", "大学专科", "中专")),
        "member_type": "预备党员" if probationary else "正式党员",
        "join_date": join.isoformat(),
        "person_category": "离退休人员" if retired else rng.choice(("在岗教职工",) * 5 + ("其他",)),
        "job_post": "退休教师" if retired else rng.choice(("专任教师", "班主任", "教导主任", "总务主任", "校医")),
        "phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
        "home_address": f"江苏省常州市武进区湖塘镇花园街{i + 1}号",
        "last_org_life_date": "2023-06-28",
        "last_dues_date": "2023-06",
        "verified": rng.random() < 0.9,
    }
    if not probationary:
        m["full_member_date"] = add_years(join, 1).isoformat()
    if i % 7 == 3:
        m["corrections"] = ["联系电话有误，已更正"]
    _add_sub_record(m, feature, rng)
    return m


def _add_sub_record(m: dict, feature: str, rng: random.Random) -> None:
    if feature.startswith("out"):
        band = int(feature[3:])
        m["outgoing"] = {
            "left_date": f"{rng.choice((2020, 2021, 2022, 2023))}-{rng.randrange(1, 6):02d}",
            "destination": dict(DESTINATIONS[band]),
            "reason": REASONS[band % len(REASONS)],
            "fixed_place": rng.random() < 0.5,
            "has_flow_card": band % 2 == 0,
            "in_contact": True,
            "contact": "微信",
        }
    elif feature.startswith("lost_"):
        m["last_org_life_date"] = "2021-05-20"
        m["last_dues_date"] = "2021-04"
        situation = "其他" if feature == "lost_other" else rng.choice(SITUATIONS[:-1])
        lc = {"situation": situation, "current_whereabouts": "原住址已拆迁，去向不明"}
        if situation == "其他":
            lc["situation_note"] = "长期在外照顾病重亲属"
        if feature == "lost_unreachable":
            lc["outcome"] = "无法取得联系"
            lc["search_record"] = [
                {"date": "2023-07-03", "method": "拨打预留电话", "result": "号码已停机"},
                {"date": "2023-07-06", "method": "走访原住址及亲属", "result": "亲属称多年未联系"},
            ]
        else:
            lc.update(outcome="取得联系", contacted_date="2023-07-08", contact="13961234567")
        m["lost_contact"] = lc
    elif feature.startswith("hanging_"):
        resolved = feature == "hanging_resolved"
        m["hanging"] = {"reason": "已调离本校，组织关系未转出", "resolved": resolved}
        if resolved:
            m["hanging"].update(resolution="已转至常州市第一中学党委第二党支部", resolved_date="2023-07-06")
    elif feature.startswith("abroad_"):
        m["abroad"] = {
            "kind": feature.split("_")[1],
            "since": "2022-09",
            "country": rng.choice(("英国", "澳大利亚", "新加坡", "加拿大")),
            "procedures_done": rng.random() < 0.7,
        }
    elif feature == "transfer_out":
        m["transfer_out"] = {"date": "2023-03-15", "to_org": "常州市武进区实验初级中学党支部",
                             "receipt_received": False}
