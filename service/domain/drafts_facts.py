"""The facts and proposed handling per problem category, in prose, for 小结, 总结 and 核查情况.

Each function returns paragraphs (empty when the category has no member), naming members where
few are concerned. `who` prints a member: by name in the 小结/总结, with a masked ID in 核查情况.
"""
from __future__ import annotations

from typing import Callable

from . import effective, scope
from .bands import destination_band
from .calendar import chinese_date, duration_text
from .drafts_text import NAME_LIMIT, all_, count_parts, names, place, ym
from .model import Dataset, Member
from .rules import RULES

Who = Callable[[Member], str]
REGULATION_25 = "《中国共产党党员教育管理工作条例》第二十五条"
UNFIT_RULES = "《武进区处置不合格党员实施办法》"
_KIND = {"定居": "定居", "留学": "留学", "劳务": "从事劳务", "其他": ""}


def _plain(m: Member) -> str:
    return m.name


def categories(ds: Dataset) -> dict[str, list[Member]]:
    """In-scope members per problem category, in input order."""
    ms = scope.in_scope(ds)
    return {
        "outgoing": [m for m in ms if m.outgoing is not None],
        "hanging": [m for m in ms if m.hanging is not None],
        "lost": [m for m in ms if m.lost_contact is not None],
        "abroad": [m for m in ms if m.abroad is not None],
        "receipt": [m for m in ms if m.transfer_out is not None and not m.transfer_out.receipt_received],
    }


ZERO_LABELS = {"outgoing": "外出流动党员", "hanging": "“空挂”党员", "lost": "“失联”党员",
               "abroad": "出国（境）党员"}


def deadline_month(ds: Dataset) -> str:
    """整改规范 ends with September of the campaign year (notice items 7–8)."""
    return f"{ds.campaign.deadlines.final_report.year}年9月底前"


# ---------------------------------------------------------------- facts

def outgoing_facts(ds: Dataset, who: Who = _plain) -> list[str]:
    ms = categories(ds)["outgoing"]
    if not ms:
        return []
    c = ds.campaign
    bands: dict[str, int] = {}
    for m in ms:
        band = destination_band(m.outgoing.destination)
        bands[band] = bands.get(band, 0) + 1
    long_away = sum(effective.away_months(m, c) >= effective.FLOW_MONTHS for m in ms)
    cards = sum(m.outgoing.has_flow_card for m in ms)
    contact = sum(m.outgoing.in_contact for m in ms)
    head = f"外出流动党员{len(ms)}名（{names(ms)}），从外出流向看，{count_parts(bands.items())}；"
    head += f"外出6个月以上{long_away}名，" if long_away else "外出均不满6个月，"
    head += f"持流动党员活动证{cards}名，" if cards else "均未持流动党员活动证，"
    head += "均与党组织保持联系。" if contact == len(ms) else \
        (f"保持联系{contact}名、失去联系{len(ms) - contact}名。" if contact else "均未与党组织保持联系。")
    out = [head]
    if len(ms) <= 5:
        for m in ms:
            o = m.outgoing
            text = f"{who(m)}同志{ym(o.left_date)}起因{o.reason}外出至{place(m)}，已外出{effective.away_months(m, c)}个月，"
            text += "持有流动党员活动证" if o.has_flow_card else "未持流动党员活动证"
            text += f"，在{o.host_org}参加组织生活" if o.host_org else ""
            text += "，与支部保持联系。" if o.in_contact else "，未与支部保持联系。"
            out.append(text)
    return out


def hanging_facts(ds: Dataset, who: Who = _plain) -> list[str]:
    ms = categories(ds)["hanging"]
    if not ms:
        return []
    done = [m for m in ms if m.hanging.resolved]
    head = f"“空挂”党员{len(ms)}名（{names(ms)}），"
    head += all_(len(ms), "已理顺。") if len(done) == len(ms) else (
        f"已理顺{len(done)}名，尚未理顺{len(ms) - len(done)}名。" if done else "均尚未理顺。")
    out = [head]
    if len(ms) <= 5:
        for m in ms:
            h = m.hanging
            text = f"{who(m)}同志{h.reason.rstrip('。')}"
            if h.resolved:
                when = f"于{chinese_date(h.resolved_date)}" if h.resolved_date else "现已"
                text += f"，{when}理顺" + (f"，{h.resolution.rstrip('。')}。" if h.resolution else "。")
            else:
                text += "，组织关系尚未理顺。"
            out.append(text)
    return out


def lost_facts(ds: Dataset, who: Who = _plain) -> list[str]:
    ms = categories(ds)["lost"]
    if not ms:
        return []
    found = [m for m in ms if m.lost_contact.outcome == "取得联系"]
    missing = [m for m in ms if m.lost_contact.outcome != "取得联系"]
    head = f"“失联”党员{len(ms)}名，经排查"
    head += f"取得联系{len(found)}名（{names(found)}）" if found else "均未能取得联系"
    head += f"，仍无法取得联系{len(missing)}名（{names(missing)}）。" if missing and found else "。"
    if missing and not found:
        head = f"“失联”党员{len(ms)}名（{names(ms)}），经排查均仍无法取得联系。"
    if found and not missing:
        head = f"“失联”党员{len(ms)}名（{names(ms)}），经排查均已取得联系。"
    out = [head]
    if len(ms) <= 5:
        for m in ms:
            lc = m.lost_contact
            situation = lc.situation + (f"（{lc.situation_note}）" if lc.situation_note else "")
            text = (f"{who(m)}同志自{ym(effective.lost_since(m))}起失去联系，失联"
                    f"{duration_text(effective.lost_months(m, ds.campaign))}，失联情形为{situation}")
            if lc.outcome == "取得联系":
                text += f"；经查找，于{chinese_date(lc.contacted_date)}取得联系" if lc.contacted_date else "；经查找已取得联系"
                text += f"，现在{lc.current_whereabouts.rstrip('。')}。" if lc.current_whereabouts else "。"
            else:
                methods = "、".join(dict.fromkeys(a.method for a in lc.search_record))
                text += f"；支部先后通过{methods}等方式查找，仍无法取得联系" if methods else "；经查找仍无法取得联系"
                text += f"，最后已知去向为{lc.current_whereabouts.rstrip('。')}。" if lc.current_whereabouts else "。"
            out.append(text)
    return out


def abroad_facts(ds: Dataset, who: Who = _plain) -> list[str]:
    ms = categories(ds)["abroad"]
    if not ms:
        return []
    done = sum(m.abroad.procedures_done for m in ms)
    head = f"出国（境）党员{len(ms)}名（{names(ms)}），"
    head += all_(len(ms), "已按规定办理相关手续。") if done == len(ms) else (
        f"已按规定办理手续{done}名，未办理手续{len(ms) - done}名。" if done else "均未按规定办理相关手续。")
    out = [head]
    if len(ms) <= 5:
        for m in ms:
            a = m.abroad
            text = f"{who(m)}同志{ym(a.since)}起赴{a.country}{_KIND.get(a.kind, '')}，"
            text += "已按规定办理相关手续。" if a.procedures_done else "尚未按规定办理相关手续。"
            out.append(text)
    return out


def receipt_facts(ds: Dataset, who: Who = _plain) -> list[str]:
    ms = categories(ds)["receipt"]
    if not ms:
        return []
    out = [f"组织关系已转出但尚未收到回执的党员{len(ms)}名（{names(ms)}）。"]
    if len(ms) <= 5:
        out += [f"{who(m)}同志组织关系于{chinese_date(m.transfer_out.date)}转至{m.transfer_out.to_org}，至今未收到回执。"
                for m in ms]
    return out


def info_facts(ds: Dataset, fig: dict, by_rule: dict, who: Who = _plain) -> list[str]:
    """三查(1): verification, corrections, missing fields, overdue probation."""
    text = f"经逐人核对，{fig['B1']}名党员基本信息已核实" if fig["B1"] else "党员基本信息尚未逐人核实"
    corrected = [m for m in scope.in_scope(ds) if m.corrections]
    if corrected:
        details = "；".join(f"{who(m)}：{'、'.join(m.corrections)}" for m in corrected[:5])
        text += f"，信息有误并已更正{len(corrected)}名（{details}）"
    else:
        text += "，未发现信息差错"
    out = [text + "。"]
    for rid in ("COMPLETE", "PROB-DUE"):
        hits = by_rule.get(rid) or []
        if hits:
            out.append(f"{RULES[rid].title}{len(hits)}名：" + "；".join(_strip_basis(f.message) for f in hits) + "。")
    return out


def _strip_basis(message: str) -> str:
    """A finding's message without its trailing （依据：…）, for prose."""
    cut = message.rfind("（依据：")
    return (message[:cut] if cut > 0 else message).rstrip("。")


# ---------------------------------------------------------------- proposed handling
#
# One sentence per member while a category is short; when it has more than NAME_LIMIT members,
# members with the same handling share one sentence (贺建东、彭建、徐东鹏等5名同志…): eighteen
# near-identical paragraphs read like a mail merge, not like a 党务干事's plan. A shared sentence
# names every member concerned, since it is what the branch will do for each of them.

Plan = tuple[Member, tuple, str, str]  # member, handling key, own sentence, shared sentence after the names


def _plan_sentences(items: list[Plan], who: Who) -> list[str]:
    if len(items) <= NAME_LIMIT:
        return [f"{who(m)}同志{own}" for m, _, own, _ in items]
    groups: dict[tuple, list[Plan]] = {}
    for item in items:
        groups.setdefault(item[1], []).append(item)
    out = []
    for group in groups.values():
        if len(group) == 1:
            m, _, own, _ = group[0]
            out.append(f"{m.name}同志{own}")
        else:
            people = "、".join(m.name for m, *_ in group)
            out.append(f"{people}等{len(group)}名同志{group[0][3]}")
    return out


def outgoing_plan(ds: Dataset, who: Who = _plain) -> list[str]:
    items, by = [], deadline_month(ds)
    for m in categories(ds)["outgoing"]:
        o, action = m.outgoing, effective.relation_action(m, ds.campaign)
        away = effective.away_months(m, ds.campaign)
        if action == effective.SHOULD_TRANSFER:
            rest = (f"且地点相对固定，按照{REGULATION_25}规定，{by}将其正式组织关系转移至工作单位或经常居住地党组织")
            own, shared = f"外出{away}个月{rest}", f"外出均在6个月以上{rest}"
        elif action == effective.ISSUE_CARD:
            own = shared = (f"外出时间较短或地点不固定，暂不转移组织关系，{by}为其发放流动党员活动证并进行教育，"
                            "确保其持证参加流入地党组织活动")
        elif action == effective.TRANSFERRED:
            own = shared = "组织关系已转移至流入地党组织，做好后续衔接"
        else:
            own = f"保留组织关系，督促其持流动党员活动证参加{o.host_org or '流入地党组织'}活动，支部每季度至少与其联系一次"
            shared = "保留组织关系，督促其持流动党员活动证参加流入地党组织活动，支部每季度至少与其联系一次"
        tail = "" if o.in_contact else "；同时按失联党员查找程序尽快与其取得联系"
        items.append((m, (action, o.in_contact), own + tail + "。", shared + tail + "。"))
    return _plan_sentences(items, who)


def hanging_plan(ds: Dataset, who: Who = _plain) -> list[str]:
    items = []
    for m in categories(ds)["hanging"]:
        if m.hanging.resolved:
            text = "组织关系已理顺，做好材料归档。"
        else:
            text = (f"按照组织关系管理规定和有利于党员日常管理、有利于参加组织生活的要求，"
                    f"{deadline_month(ds)}转移其正式组织关系。")
        items.append((m, (m.hanging.resolved,), text, text))
    return _plan_sentences(items, who)


_FOUND_ACTIONS = {
    "恢复正常管理": "纳入正常管理，督促其按月交纳党费、按时参加组织生活",
    "转移组织关系": "按规定将其组织关系转移至现工作单位或居住地党组织",
    "限期改正": "对其进行批评教育，责令限期改正",
    "劝其退党": "经教育仍不改正的，按程序劝其退党",
    "除名": "按程序予以除名",
    "停止党籍": "按程序停止其党籍",
}
_MISSING_ACTIONS = {
    "继续查找": "继续通过公安、人社、档案等部门协查和走访亲属、原单位等方式查找",
    "停止党籍": "认真做好预审工作后报上级党组织审批，按程序停止其党籍",
    "取消预备党员资格": "认真做好预审工作后报上级党组织审批，按程序取消其预备党员资格",
    "不再保留预备党员资格": "认真做好预审工作后报上级党组织审批，按程序不再保留其预备党员资格",
}


def lost_plan(ds: Dataset, who: Who = _plain) -> list[str]:
    items, by = [], deadline_month(ds)
    for m in categories(ds)["lost"]:
        handling = effective.lost_handling(m)
        if m.lost_contact.outcome == "取得联系":
            action = _FOUND_ACTIONS.get(handling, "按照有关规定妥善处理")
            own = f"已取得联系，处理意见为{handling}，{by}{action}。"
            shared = f"均已取得联系，处理意见为{handling}，{by}{action}。"
        else:
            action = _MISSING_ACTIONS.get(handling, "按照有关规定妥善处理")
            rest = f"处理意见为{handling}，按照{UNFIT_RULES}，{by}{action}，确保程序规范、定性准确。"
            own, shared = f"仍无法取得联系，{rest}", f"均仍无法取得联系，{rest}"
        items.append((m, (m.lost_contact.outcome, handling), own, shared))
    return _plan_sentences(items, who)


def abroad_plan(ds: Dataset, who: Who = _plain) -> list[str]:
    items, by = [], deadline_month(ds)
    for m in categories(ds)["abroad"]:
        handling = effective.abroad_handling(m)
        text = f"处理意见为{handling}"
        if not m.abroad.procedures_done:
            text += f"，{by}督促其按照规定补办相应手续"
        if handling == effective.KEEP:
            text += "，支部定期了解其在外学习、工作和思想情况"
        items.append((m, (handling, m.abroad.procedures_done), text + "。", text + "。"))
    return _plan_sentences(items, who)


def receipt_plan(ds: Dataset, who: Who = _plain) -> list[str]:
    by = deadline_month(ds)
    ms = categories(ds)["receipt"]
    if len(ms) > NAME_LIMIT:
        return [f"与{'、'.join(m.name for m in ms)}等{len(ms)}名同志本人和接收党组织联系，{by}落实其组织关系，收回回执。"]
    return [f"与{who(m)}同志本人和{m.transfer_out.to_org}联系，{by}落实其组织关系，收回回执。" for m in ms]


def other_plan(ds: Dataset, by_rule: dict) -> list[str]:
    """Findings not covered by a member category (基本信息不全, 疑似失联, …): the rule's advice, the
    members by name (…等N名同志 when many)."""
    out = []
    for rid in ("COMPLETE", "PROB-DUE", "LOST-SUSPECT", "DROP"):
        hits = by_rule.get(rid) or []
        people = list(dict.fromkeys(f.member for f in hits if f.member))
        if people:
            shown = "、".join(people[:NAME_LIMIT])
            who = f"{shown}同志" if len(people) <= NAME_LIMIT else f"{shown}等{len(people)}名同志"
            out.append(f"对{RULES[rid].title}的{who}，{RULES[rid].advice.rstrip('。')}，{deadline_month(ds)}完成。")
    return out
