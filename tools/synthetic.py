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


# ---- the stress branch: every free-text field at the contract's limit ---------------------------

def _exact(head: str, n: int, tail: str = "", filler: str = "") -> str:
    """Text of exactly n characters: head, then filler repeated, then tail — so that the start and the
    end of a value can each be looked for in a rendered document."""
    filler = filler or "相关情况已核实并记录在案"
    room = n - len(head) - len(tail)
    if room < 0:
        raise ValueError(f"{head}…{tail} is longer than {n}")
    return head + (filler * (room // len(filler) + 1))[:room] + tail


STRESS_NAMES = (  # (name, gender, ethnicity): the longest, with ·, compound surnames, non-BMP
    (_exact("阿卜杜热合曼·买买提艾力·", 30, "·艾则孜江", "阿不都克里木"), "男", "维吾尔族"),
    ("热依拉·阿不都热合曼·买买提明", "女", "维吾尔族"),
    ("欧阳慕容雪", "女", "汉族"),
    ("司马相如", "男", "汉族"),
    ("上官婉清", "女", "汉族"),
    ("诸葛明亮", "男", "汉族"),
    ("端木蕻良", "男", "汉族"),
    ("皇甫嵩林", "男", "汉族"),
    ("令狐冲霄", "男", "汉族"),
    ("东方晓𠮷", "女", "汉族"),
    ("买买提江·艾合买提", "男", "维吾尔族"),
    ("尼格买提·热合曼", "男", "维吾尔族"),
    ("巴特尔·额尔德尼", "男", "蒙古族"),
    ("呼延庆", "男", "汉族"),
    ("慕容婉儿", "女", "汉族"),
    ("宇文化成", "男", "汉族"),
    ("夏侯惇德", "男", "汉族"),
    ("长孙无垢", "女", "汉族"),
    ("尉迟恭敬", "男", "汉族"),
    ("公孙策明", "男", "汉族"),
    ("澹台灭明", "男", "汉族"),
    ("古丽娜扎尔·迪力木拉提", "女", "维吾尔族"),
    ("申屠嘉禾", "男", "汉族"),
    ("闻人静怡", "女", "汉族"),
    (_exact("玛依努尔·阿不都热西提·", 30, "·吐尔逊", "艾合买提江"), "女", "维吾尔族"),
)

STRESS_FEATURES = (
    "plain", "out_province", "out_city", "out_abroad", "out_district", "lost_contacted", "lost_contacted_other",
    "lost_unreachable", "lost_unreachable_other", "lost_unreachable", "hanging_resolved", "hanging_resolved",
    "hanging_open", "hanging_open", "abroad_定居", "abroad_留学", "transfer_out", "transfer_out", "probationary",
    "retired", "out_province", "lost_unreachable", "plain", "plain", "plain",
)


def stress_branch(seed: int = 0) -> dict:
    """Valid contract JSON of 25 members with every free-text field at its limit (schemas/objects.py):
    what every document must still show whole, in its shape (附件3 one page a member)."""
    from schemas import objects as lim
    from schemas.rules import MAX_NAME

    rng = random.Random(seed)
    used: set[str] = set()
    members = [_stress_member(i, feature, rng, used, lim) for i, feature in enumerate(STRESS_FEATURES)]
    assert all(len(m["name"]) <= MAX_NAME for m in members)
    para = lambda what: _exact(f"{what}起：", lim.PARAGRAPH, f"：{what}止",  # noqa: E731
                               "本支部对照党员名册逐人核对组织关系、党籍信息和联系方式，做到不漏一人。")
    return {
        "schema_version": "1",
        "campaign": {"superior_org": _exact("中共常州市武进区委", lim.ORG_FULL, "教育工作委员会", "教育系统党建工作指导")},
        "org": {
            "code": "STRESS01",
            "name": _exact("湖塘镇", lim.SHORT, "联合党总支", "某某中心小学与幼儿园"),
            "full_name": _exact("中共常州市武进区湖塘镇", lim.ORG_FULL, "联合总支部委员会", "某某中心小学与某某幼儿园"),
            "unit_name": _exact("常州市武进区湖塘镇", lim.ORG_FULL, "附属幼儿园", "某某实验中心小学暨"),
            "org_type": "党总支",
            "secretary": members[0]["name"],
            "contact_person": members[-1]["name"],
            "contact_phone": "0519-86310611",
            "fill_date": "2023-07-10",
        },
        "members": members,
        "work_plan": {
            "leading_group": [
                {"name": members[0]["name"], "role": "组长", "duty": _exact("全面负责", lim.LINE, "工作", "排查、审核和报送")},
                {"name": members[2]["name"], "role": "副组长", "duty": _exact("协助组长", lim.LINE, "工作", "组织三查三核")},
                {"name": members[-1]["name"], "role": "成员", "duty": _exact("信息核对", lim.LINE, "报送", "与材料整理")},
            ],
            "schedule": [
                {"phase": _exact(f"第{k}阶段", lim.SHORT, "阶段", "动员部署与全面排查"), "start": start, "end": end,
                 "tasks": _exact(f"第{k}阶段任务起：", 300, f"：第{k}阶段任务止", "逐人核对信息并做好记录。")}
                for k, (start, end) in enumerate((("2023-06-20", "2023-06-25"), ("2023-06-26", "2023-07-10"),
                                                  ("2023-07-11", "2023-07-25"), ("2023-07-26", "2023-10-15")), 1)
            ],
            "extra": para("补充要求"),
        },
        "stage_summary": {k: para(w) for k, w in (("progress", "工作进展"), ("checks", "三查三核"),
                                                   ("problems", "发现问题"), ("plan", "处理方案"),
                                                   ("next_steps", "下一步"))},
        "final_report": {
            **{k: para(w) for k, w in (("work_done", "主要工作"), ("results", "排查结果"),
                                        ("practices", "经验做法"), ("shortcomings", "存在不足"))},
            "long_term_measures": [_exact(f"长效措施{k}起：", lim.REMARKS, f"：长效措施{k}止", "建立健全党员信息动态管理制度。")
                                   for k in range(1, 11)],
        },
    }


def _stress_member(i: int, feature: str, rng: random.Random, used: set[str], lim) -> dict:
    name, gender, ethnicity = STRESS_NAMES[i]
    n = i + 1
    retired = feature == "retired"
    probationary = feature == "probationary"
    birth = date(1958, 3, 1) + timedelta(days=37 * i) if retired else date(1970, 1, 15) + timedelta(days=313 * i)
    join = date(2023, 1, 10) if probationary else max(add_years(birth, 20), date(1990, 7, 1)) + timedelta(days=i)
    m = {
        "name": name, "gender": gender, "ethnicity": ethnicity,
        "id_number": _id_number(rng, birth, gender, used),
        "education": ("研究生", "大学本科", "大学专科")[i % 3],
        "member_type": "预备党员" if probationary else "正式党员",
        "join_date": join.isoformat(),
        "person_category": "离退休人员" if retired else "在岗教职工",
        "job_post": _exact(f"岗位{n}起", lim.SHORT, f"岗位{n}止", "党支部书记、副校长兼教导主任"),
        "phone": f"139{rng.randrange(10**8):08d}",
        "home_address": _exact(f"住址{n}起江苏省常州市武进区", lim.ADDRESS, f"室住址{n}止", "湖塘镇某某花园小区某幢某单元"),
        "last_org_life_date": "2023-06-28",
        "last_dues_date": "2023-06",
        "verified": i % 5 != 4,
        "remarks": _exact(f"备注{n}起：", lim.REMARKS, f"：备注{n}止", "该同志情况已与本人及所在单位核实。"),
    }
    if not probationary:
        m["full_member_date"] = add_years(join, 1).isoformat()
    if i % 4 == 2 or feature in ("probationary", "retired"):
        m["corrections"] = [_exact(f"更正{n}之{k}起：", lim.LINE, f"：更正{n}之{k}止", "公民身份号码有误已按户口簿更正")
                            for k in range(1, 11)]
    _stress_sub_record(m, n, feature, lim)
    return m


def _stress_sub_record(m: dict, n: int, feature: str, lim) -> None:
    line = lambda what, filler="具体情况已经支部核实": _exact(f"{what}{n}起", lim.LINE, f"{what}{n}止", filler)  # noqa: E731
    place = lambda what, filler: _exact(what, lim.PLACE, "", filler)  # noqa: E731
    if feature.startswith("out_"):
        destination = {
            "out_province": {"province": place("新疆维吾尔自治区", "伊犁哈萨克"), "city": place("克孜勒苏柯尔克孜自治州", "阿图什"),
                             "county": place("双江拉祜族佤族布朗族傣族自治县", "勐勐镇")},
            "out_city": {"province": "江苏省", "city": place("南京市", "江北新区管理委员会"), "county": place("鼓楼区", "某某街道办事处")},
            "out_district": {"province": "江苏省", "city": "常州市", "county": place("新北区", "常州国家高新技术产业开发区")},
            "out_abroad": {"country": place("圣文森特和格林纳丁斯", "联邦共和国"), "city": place("金斯敦", "市中心城区")},
        }[feature]
        destination["detail"] = line("地点", "某某科技有限公司研发中心")
        m["outgoing"] = {
            "left_date": "2021-03", "destination": destination, "reason": "务工经商", "fixed_place": n % 2 == 0,
            "has_flow_card": True, "flow_card_no": _exact(f"证{n}起", lim.SHORT, f"证{n}止", "苏常武流字第2023"),
            "host_org": _exact(f"流入{n}起中共", lim.ORG_FULL, f"委员会流入{n}止", "某某科技有限公司联合党支部"),
            "in_contact": True, "contact": line("联系", "微信及电话13912345678"),
        }
    elif feature.startswith("lost_"):
        m["last_org_life_date"] = "2021-05-20"
        m["last_dues_date"] = "2021-04"
        other = feature.endswith("_other")
        lc = {"situation": "其他" if other else "居住地改变", "current_whereabouts": line("去向", "原住址已拆迁去向不明")}
        if other:
            lc["situation_note"] = line("情形", "长期在外照顾病重亲属")
        if feature.startswith("lost_unreachable"):
            lc["outcome"] = "无法取得联系"
            lc["search_record"] = [
                {"date": f"2023-07-{k + 2:02d}",
                 "method": _exact(f"方式{n}-{k}起", lim.SHORT, f"方式{n}-{k}止", "拨打预留电话并走访原住址"),
                 "result": _exact(f"结果{n}-{k}起", lim.LINE, f"结果{n}-{k}止", "号码已停机亲属称多年未联系")}
                for k in range(1, 7)
            ]
        else:
            lc.update(outcome="取得联系", contacted_date="2023-07-08", contact=line("联系", "本人手机13961234567"))
        m["lost_contact"] = lc
    elif feature.startswith("hanging_"):
        m["hanging"] = {"reason": line("空挂", "已调离本校组织关系未转出"), "resolved": feature == "hanging_resolved"}
        if m["hanging"]["resolved"]:
            m["hanging"].update(resolution=line("理顺", "已转至常州市第一中学党委"), resolved_date="2023-07-06")
    elif feature.startswith("abroad_"):
        m["abroad"] = {"kind": feature.split("_")[1], "since": "2022-09",
                       "country": place("圣文森特和格林纳丁斯", "联邦共和国"), "procedures_done": n % 2 == 0}
    elif feature == "transfer_out":
        m["transfer_out"] = {"date": "2023-03-15", "receipt_received": n % 2 == 0,
                             "to_org": _exact(f"接收{n}起中共", lim.ORG_FULL, f"支部委员会接收{n}止", "常州市武进区实验初级中学")}
