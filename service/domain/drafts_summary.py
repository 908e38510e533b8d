"""Figure-heavy parts of the 工作总结 (附件9 in prose, 问题处置情况) and of 核查情况 (三查, 三核,
findings grouped by rule). Every sentence states counts from figures/rules; zero counts read
"本支部无…" rather than "0名".
"""
from __future__ import annotations

import re

from . import drafts_facts as facts
from . import effective, idcard, rules
from .drafts_text import _cn, all_, count_parts, masked, names, none_of, subsections, us
from .model import Dataset


def results_sections(ds: Dataset, fig: dict) -> list[dict]:
    """二、排查结果: 附件9, group by group."""
    self_ = us(ds)
    a = f"{self_}共有党员{fig['A1']}名，" + (
        f"其中正式党员{fig['A2']}名、预备党员{fig['A3']}名" if fig["A3"] else "均为正式党员")
    kinds = count_parts([("在岗教职工", fig["A4"]), ("离退休人员", fig["A5"]), ("其他人员", fig["A6"])])
    a += f"；{kinds}。" if kinds else "。"
    b = f"已核实党员信息{fig['B1']}名" + (f"，信息有误已更正{fig['B2']}名" if fig["B2"] else "，未发现信息差错")
    b += f"，组织关系转出未收到回执{fig['B3']}名。" if fig["B3"] else "，无转出未收到回执的情况。"
    if fig["C1"]:
        c = (f"外出流动党员{fig['C1']}名，"
             + ("，".join(p for p in (f"持流动党员活动证{fig['C2']}名" if fig["C2"] else "",
                                      f"应转未转组织关系{fig['C3']}名" if fig["C3"] else "",
                                      f"已转移组织关系{fig['C4']}名" if fig["C4"] else "") if p) or "均已纳入管理")
             + "。")
    else:
        c = none_of(ds, ["外出流动党员"])
    d = (f"排查出“空挂”党员{fig['D1']}名，" + (all_(fig["D1"], "已理顺。") if not fig["D3"] else
                                          f"已理顺{fig['D2']}名，尚未理顺{fig['D3']}名。")
         ) if fig["D1"] else none_of(ds, ["“空挂”党员"])
    if fig["E1"]:
        handled = count_parts([(rules_label, fig[code]) for code, rules_label in _F_LABELS])
        e = (f"排查出“失联”党员{fig['E1']}名，经排查取得联系{fig['E2']}名、仍无法取得联系{fig['E3']}名；"
             f"组织处置中，{handled}。").replace("、仍无法取得联系0名", "").replace("取得联系0名、", "")
    else:
        e = none_of(ds, ["“失联”党员"])
    g = (f"出国（境）党员{fig['G1']}名，" + (all_(fig["G1"], "已按规定办理手续。") if not fig["G3"] else
                                       f"已办理手续{fig['G2']}名，未办理手续{fig['G3']}名。")
         ) if fig["G1"] else none_of(ds, ["出国（境）党员"])
    return subsections([("党员基本情况", [a]), ("信息核实情况", [b]), ("流动党员情况", [c]),
                        ("“空挂”党员情况", [d]), ("“失联”党员情况", [e]), ("出国（境）党员情况", [g])])


_F_LABELS = [("F1", "恢复正常管理"), ("F2", "转移组织关系"), ("F3", "限期改正"), ("F4", "劝其退党或除名"),
             ("F5", "停止党籍"), ("F6", "取消或不再保留预备党员资格"), ("F7", "继续查找"), ("F8", "其他处理")]


_ACTION_STATUS = {
    effective.SHOULD_TRANSFER: "外出6个月以上且地点相对固定，应转移组织关系，尚未转移到位",
    effective.ISSUE_CARD: "发放流动党员活动证，保留组织关系",
    effective.KEEP: "保留组织关系",
    effective.TRANSFERRED: "已转移组织关系",
}


def handling_sections(ds: Dataset) -> list[dict]:
    """三、问题处置情况: the handling each member concerned has, from the data."""
    cats, c = facts.categories(ds), ds.campaign
    out = [f"{m.name}同志：{_ACTION_STATUS.get(effective.relation_action(m, c), effective.relation_action(m, c))}"
           + ("，已持流动党员活动证" if m.outgoing.has_flow_card else "") + "。" for m in cats["outgoing"]]
    hang = [f"{m.name}同志：" + (f"已理顺，{m.hanging.resolution.rstrip('。')}。" if m.hanging.resolved and m.hanging.resolution
                              else "已理顺。" if m.hanging.resolved else "尚未理顺，继续协调转移其正式组织关系。")
            for m in cats["hanging"]]
    lost = [f"{m.name}同志：{'已取得联系' if m.lost_contact.outcome == '取得联系' else '仍无法取得联系'}，"
            f"处理情况为{effective.lost_handling(m)}。" for m in cats["lost"]]
    abroad = [f"{m.name}同志：{effective.abroad_handling(m)}，"
              + ("已按规定办理相应手续。" if m.abroad.procedures_done else "相应手续尚未办理完毕。")
              for m in cats["abroad"]]
    receipt = [f"{m.name}同志：组织关系已转至{m.transfer_out.to_org}，回执尚未收到，继续跟踪落实。"
               for m in cats["receipt"]]
    return subsections([("外出流动党员", out), ("“空挂”党员", hang), ("“失联”党员", lost),
                        ("出国（境）党员", abroad), ("组织关系转出未收到回执", receipt)])


# ---------------------------------------------------------------- 核查情况

CHECK_ITEMS = [("三查一", "一查基本信息是否齐全"), ("三查二", "二查交纳党费、参加组织生活情况"),
               ("三查三", "三查接转组织关系情况")]


def _group_text(ds: Dataset, rid: str, hits: list) -> str:
    """A count and the members by name; their ID numbers and the detail are in the table of
    四、核查发现的问题汇总 (an ID number inside a sentence cannot break and stretches the line)."""
    rule = rules.RULES.get(rid)
    title = rule.title if rule else "其他事项"
    return f"发现{title}{len(hits)}名（{names([_m(ds, f) for f in hits])}），详见第四部分。"


def three_checks(ds: Dataset, fig: dict, by_rule: dict) -> list[dict]:
    """（一）（二）（三）: what each 查 covered and the findings of its rules."""
    items = []
    for cat, title in CHECK_ITEMS:
        groups = [_group_text(ds, rid, hits) for rid, hits in by_rule.items()
                  if hits and _category(rid) == cat]
        if cat == "三查一":
            lead = facts.info_facts(ds, fig, {})
        elif cat == "三查二":
            lead = [f"逐月核对党费交纳和组织生活记录，{fig['A1']}名党员中"
                    + (f"登记“失联”党员{fig['E1']}名、外出流动党员{fig['C1']}名。" if fig["E1"] or fig["C1"]
                       else "无“失联”党员和外出流动党员。")]
        else:
            lead = [f"核对组织关系接转情况，转出未收到回执{fig['B3']}名，出国（境）党员{fig['G1']}名。"
                    if fig["B3"] or fig["G1"] else f"核对组织关系接转情况，本{us(ds)}无转出未收到回执和出国（境）党员。"]
        items.append((title, lead + (groups or ["未发现其他问题。"])))
    return subsections(items)


def _category(rid: str) -> str:
    """三核 rules are reported under the 查 whose question they answer, so no finding is left out."""
    rule = rules.RULES.get(rid)
    cat = rule.category if rule else "三查一"
    return {"三核一": "三查二", "三核二": "三查二", "三核三": "三查二"}.get(cat, cat)


def three_confirms(ds: Dataset, fig: dict) -> list[dict]:
    """核准 流动, 空挂, 失联: number, whereabouts and state, members with masked ID numbers."""
    return subsections([
        ("核准流动党员数量、去向、现状", facts.outgoing_facts(ds, masked) or [none_of(ds, ["外出流动党员"])]),
        ("核准“空挂”党员数量、去向、现状", facts.hanging_facts(ds, masked) or [none_of(ds, ["“空挂”党员"])]),
        ("核准“失联”党员数量、“失联”情况及原因", facts.lost_facts(ds, masked) or [none_of(ds, ["“失联”党员"])]),
    ])


_PATH_INDEX = re.compile(r"members\[(\d+)\]")


def mask_message(ds: Dataset, finding) -> str:
    """The finding's message with the member named with a masked ID and no full ID anywhere."""
    text = finding.message
    match = _PATH_INDEX.match(finding.path)
    if match and int(match.group(1)) < len(ds.members):
        m = ds.members[int(match.group(1))]
        if text.startswith(f"{m.name}："):
            text = f"{masked(m)}：" + text[len(m.name) + 1:]
    for m in ds.members:  # never print a full number, whatever a message says
        text = text.replace(m.id_number, masked(m).split("（")[-1].rstrip("）"))
    return text.rstrip("。")


def finding_row(ds: Dataset, number: int, finding) -> dict:
    """One row of a finding table: 序号, 姓名, masked 公民身份号码, 核查情况 (the message without the
    name it starts with and without its 依据, which the group states once)."""
    m = _m(ds, finding)
    text = facts._strip_basis(mask_message(ds, finding))
    if text.startswith(f"{masked(m)}："):
        text = text[len(masked(m)) + 1:]
    return {"no": str(number), "name": m.name, "id": idcard.mask(m.id_number), "detail": text + "。"}


def finding_groups(ds: Dataset, by_rule: dict) -> list[dict]:
    """四、核查发现的问题汇总: one subsection per rule that fired: its count, a table of the members
    (rows), the rule's 依据 and 处理建议 (paragraphs)."""
    items = []
    for rid, hits in by_rule.items():
        if not hits:
            continue
        rule = rules.RULES.get(rid)
        title = f"（{_cn(len(items) + 1)}）{rule.title if rule else '其他事项'}（{len(hits)}名）"
        paras = [f"认定依据：{rule.basis}。", f"处理建议：{rule.advice.rstrip('。')}。"] if rule else []
        items.append({"title": title, "rows": [finding_row(ds, i, f) for i, f in enumerate(hits, 1)],
                      "paragraphs": paras})
    return items


def _m(ds: Dataset, finding):
    match = _PATH_INDEX.match(finding.path)
    return ds.members[int(match.group(1))]
