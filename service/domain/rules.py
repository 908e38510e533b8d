"""三查三核: the W rules of forms.md §4 as data, and the findings they produce.

Each Rule carries its id, a Chinese title, the 三查三核 item it belongs to, its thresholds and a
message template, so a district can tune a threshold or a wording without touching code paths.
E rules (ID, AGE, PROB, LOST) are enforced by schemas/ before a Dataset exists.

Double reporting is avoided by SUPPRESSED_BY: a member named by a more specific rule is not named
again by a weaker one for the same fact —
  DROP is dropped where LOST-SUSPECT names the member (疑似失联 already covers 自行脱党 review);
  FLOW-CARD is dropped where FLOW-TRANSFER fires (the remedy is transferring, not a card).
LOST-SUSPECT and DROP skip members whose status explains the silence (see _silence_explained);
the contact of 外出流动党员 is FLOW-CONTACT's business.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Iterable, Iterator, Optional

from . import effective
from .calendar import add_years, chinese_date, months_between, year_month
from .model import Dataset, Member
from .scope import indexed_in_scope


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. "FLOW-TRANSFER"
    severity: str  # "W" (E rules are enforced by schemas/)
    path: str  # JSON path, e.g. "members[3].outgoing"
    message: str  # Chinese, names the member: "李志强：外出6个月以上且地点固定，应转移组织关系（…）"
    member: str | None = None  # the member's name, for grouping in narratives

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "path": self.path, "message": self.message}


# 三查三核 items of the notice (item 5), in the order narratives list them
CATEGORIES: dict[str, str] = {
    "三查一": "一查基本信息是否齐全",
    "三查二": "二查交纳党费、参加组织生活情况",
    "三查三": "三查接转组织关系情况",
    "三核一": "核准流动党员数量、去向、现状",
    "三核二": "核准“空挂”党员数量、去向、现状",
    "三核三": "核准“失联”党员数量、“失联”情况及原因",
}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str  # short Chinese name, e.g. 流动党员应转移组织关系
    category: str  # key of CATEGORIES
    template: str  # message after "{name}：", formatted with params and the hit's values
    basis: str  # 依据, appended to every message
    advice: str  # 初步处理方案 for this rule, for the narratives
    params: dict = field(default_factory=dict, hash=False)

    def message(self, name: str, **values) -> str:
        body = self.template.format(**{**self.params, **values})
        return f"{name}：{body}（依据：{self.basis}）"


NOTICE = "《关于开展党员组织关系排查工作的通知》"
CONSTITUTION_9 = "《中国共产党章程》第九条"
CONSTITUTION_7 = "《中国共产党章程》第七条"
REGULATION_25 = "《中国共产党党员教育管理工作条例》第二十五条"

RULE_LIST: list[Rule] = [
    Rule("PROB-DUE", "W", "预备期满未讨论转正", "三查一",
         "{join}入党，预备期已于{due}期满，至统计截止日仍为预备党员，尚未讨论转正",
         CONSTITUTION_7, "及时召开支部大会讨论其能否转为正式党员，按程序报批", {"years": 1}),
    Rule("SCOPE", "W", "不属本次排查对象", "三查一",
         "入党时间{join}晚于入党截止日{cutoff}，不列入本次排查各表",
         f"{NOTICE}第4项", "在下次排查或党员信息动态维护中一并登记", {}),
    Rule("COMPLETE", "W", "基本信息不全", "三查一",
         "缺少{missing}，基本信息不齐全",
         f"{NOTICE}“三查”之一查基本信息是否齐全", "由党员本人补填，党支部审核后更新台账",
         {"fields": {"phone": "联系电话", "home_address": "家庭住址"}}),
    Rule("LOST-SUSPECT", "W", "疑似失联党员", "三查二",
         "最后参加组织生活{org_life}，最后交纳党费{dues}，距统计截止日均已{months}个月以上，未登记为失联党员，疑似“失联”",
         f"{NOTICE}“三查”之二查是否存在“失联”党员", "逐人查找核实，确属失联的登记入附件7或附件8", {"months": 6}),
    Rule("DROP", "W", "连续六个月未过组织生活或未交党费", "三查二",
         "{what}已连续{months}个月以上，且无外出、出国（境）或失联登记说明原因，应作为自行脱党情形审查",
         CONSTITUTION_9, "谈话了解原因，无正当理由的按自行脱党程序处理，予以除名", {"months": 6}),
    Rule("FLOW-TRANSFER", "W", "流动党员应转移组织关系", "三核一",
         "外出{away}个月（{months}个月以上）且地点相对固定，组织关系尚未转移，应转移组织关系",
         REGULATION_25, "联系本人及流入地党组织，将正式组织关系转至工作单位或经常居住地党组织", {"months": 6}),
    Rule("FLOW-CARD", "W", "流动党员应发放活动证", "三核一",
         "外出流动，组织关系未转移，未持《中国共产党流动党员活动证》，应发放流动党员活动证",
         f"{NOTICE}第7项", "发放流动党员活动证并进行教育，确保其持证参加流入地党组织活动", {}),
    Rule("FLOW-CONTACT", "W", "外出流动党员失去联系", "三核一",
         "外出流动且未与党组织保持联系，距最后联系已{silent}个月（{months}个月以上），应按失联党员登记查找",
         f"{NOTICE}“三查”之二查流动党员管理是否到位", "按失联党员查找程序逐人查找，登记入附件7或附件8", {"months": 6}),
    Rule("UNREACHABLE", "W", "无法取得联系党员处理不当", "三核三",
         "经排查仍无法取得联系，处理情况为“{handling}”，按规定应为{expected}",
         "《武进区处置不合格党员实施办法》", "按规定程序作出组织处理，预审后报上级党组织审批", {}),
    Rule("ABROAD", "W", "出国（境）党员未按规定办理手续", "三查三",
         "{since}起出国（境）{kind}（{country}），{problem}",
         f"{NOTICE}第7项", "区别情况按照规定补办手续", {}),
    Rule("RECEIPT", "W", "组织关系转出未收到回执", "三查三",
         "组织关系于{date}转至{to_org}，已超过{receipt_months}个月未收到回执",
         f"{NOTICE}第7项", "与党员本人和接收单位党组织联系，落实其组织关系", {"receipt_months": 3}),
    Rule("HANGING", "W", "“空挂”党员未理顺", "三核二",
         "组织关系“空挂”（{reason}），尚未理顺",
         f"{NOTICE}第7项", "按照有利于日常管理和参加组织生活的要求转移其正式组织关系", {}),
]
RULES: dict[str, Rule] = {r.id: r for r in RULE_LIST}

# rule → rules that, naming the same member, make it redundant
SUPPRESSED_BY: dict[str, tuple[str, ...]] = {
    "DROP": ("LOST-SUSPECT",),
    "FLOW-CARD": ("FLOW-TRANSFER",),
}

# A check yields (member index, path suffix, values for the template); index None → not per member.
Hit = tuple[int, str, dict]
Check = Callable[[Dataset, Rule], Iterable[Hit]]


def _stale(d: Optional[date], stats: date, months: int) -> bool:
    return d is not None and months_between(d, stats) >= months


def _silence_explained(m: Member) -> bool:
    """Statuses under which silence here is another rule's business or expected: stopped, lost
    (registered), outgoing (FLOW-CONTACT), relation leaving (RECEIPT) or hanging (HANGING)."""
    return (m.party_status == "停止党籍" or m.lost_contact is not None or m.outgoing is not None
            or m.transfer_out is not None or m.hanging is not None)


def _check_prob_due(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    for i, m in indexed_in_scope(ds):
        due = add_years(m.join_date, rule.params["years"])
        if m.member_type == "预备党员" and due < ds.campaign.stats_date:
            yield i, "member_type", {"join": year_month(m.join_date), "due": year_month(due)}


def _check_scope(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    cutoff = ds.campaign.cutoff_date
    for i, m in enumerate(ds.members):
        if m.join_date > cutoff:
            yield i, "join_date", {"join": chinese_date(m.join_date), "cutoff": chinese_date(cutoff)}


def _check_complete(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    fields = rule.params["fields"]
    for i, m in indexed_in_scope(ds):
        missing = [key for key in fields if not (getattr(m, key) or "").strip()]
        if missing:
            where = missing[0] if len(missing) == 1 else ""
            yield i, where, {"missing": "、".join(fields[k] for k in missing)}


def _check_lost_suspect(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    """Every recorded date stale (at least one recorded); members abroad are included."""
    stats, months = ds.campaign.stats_date, rule.params["months"]
    for i, m in indexed_in_scope(ds):
        known = [d for d in (m.last_org_life_date, m.last_dues_date) if d is not None]
        if _silence_explained(m) or not known or not all(_stale(d, stats, months) for d in known):
            continue
        yield i, "", {"org_life": _ym(m.last_org_life_date), "dues": _ym(m.last_dues_date), "months": months}


def _ym(d: Optional[date]) -> str:
    return year_month(d) if d else "无记录"


def _check_drop(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    stats, months = ds.campaign.stats_date, rule.params["months"]
    for i, m in indexed_in_scope(ds):
        if _silence_explained(m) or m.abroad is not None:
            continue
        what = []
        if _stale(m.last_org_life_date, stats, months):
            what.append("未参加组织生活")
        if _stale(m.last_dues_date, stats, months):
            what.append("未交纳党费")
        if what:
            field_ = "last_org_life_date" if what[0] == "未参加组织生活" else "last_dues_date"
            yield i, field_, {"what": "、".join(what), "months": months}


def _check_flow_transfer(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    for i, m in indexed_in_scope(ds):
        if m.outgoing is None or not m.outgoing.fixed_place:
            continue
        away = effective.away_months(m, ds.campaign)
        if away >= rule.params["months"] and effective.relation_action(m, ds.campaign) != effective.TRANSFERRED:
            yield i, "outgoing", {"away": away}


def _check_flow_card(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    for i, m in indexed_in_scope(ds):
        out = m.outgoing
        if out is not None and not out.has_flow_card \
                and effective.relation_action(m, ds.campaign) != effective.TRANSFERRED:
            yield i, "outgoing.has_flow_card", {}


def _check_flow_contact(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    for i, m in indexed_in_scope(ds):
        out = m.outgoing
        if out is None or out.in_contact or m.lost_contact is not None:
            continue
        last = effective.last_contact(m) or out.left_date
        silent = months_between(last, ds.campaign.stats_date)
        if silent >= rule.params["months"]:
            yield i, "outgoing.in_contact", {"silent": silent}


def _check_unreachable(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    for i, m in indexed_in_scope(ds):
        lost = m.lost_contact
        if lost is None or lost.outcome == "取得联系":
            continue
        expected = effective.drafted_lost_handling(m)
        allowed = {expected, "继续查找"}
        handling = effective.lost_handling(m)
        if handling not in allowed:
            yield i, "lost_contact.handling", {"handling": handling, "expected": f"“{expected}”或“继续查找”"}


def _check_abroad(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    for i, m in indexed_in_scope(ds):
        ab = m.abroad
        if ab is None:
            continue
        usual = effective.drafted_abroad_handling(m)
        problems = []
        if not ab.procedures_done:
            problems.append("未按规定办理相应手续")
        if effective.settled_abroad(m) and effective.abroad_handling(m) != usual:
            problems.append(f"处理为“{effective.abroad_handling(m)}”，{m.member_type}出国（境）定居一般应{usual}")
        if problems:
            if not ab.procedures_done and effective.settled_abroad(m) and len(problems) == 1:
                problems[0] += f"，一般应{usual}"
            where = "abroad.procedures_done" if not ab.procedures_done else "abroad.handling"
            yield i, where, {"kind": "" if ab.kind == "其他" else ab.kind, "country": ab.country, "since": year_month(ab.since),
                             "problem": "；".join(problems)}


def _add_months(d: date, months: int) -> date:
    y, mo = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, mo + 1
    if year > date.max.year:
        return date.max
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_receipt(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    months = rule.params["receipt_months"]
    for i, m in indexed_in_scope(ds):
        t = m.transfer_out
        if t is not None and not t.receipt_received and _add_months(t.date, months) < ds.campaign.stats_date:
            yield i, "transfer_out", {"date": chinese_date(t.date), "to_org": t.to_org, "receipt_months": months}


def _check_hanging(ds: Dataset, rule: Rule) -> Iterator[Hit]:
    for i, m in indexed_in_scope(ds):
        if m.hanging is not None and not m.hanging.resolved:
            yield i, "hanging", {"reason": m.hanging.reason}


CHECKS: dict[str, Check] = {
    "PROB-DUE": _check_prob_due,
    "SCOPE": _check_scope,
    "COMPLETE": _check_complete,
    "LOST-SUSPECT": _check_lost_suspect,
    "DROP": _check_drop,
    "FLOW-TRANSFER": _check_flow_transfer,
    "FLOW-CARD": _check_flow_card,
    "FLOW-CONTACT": _check_flow_contact,
    "UNREACHABLE": _check_unreachable,
    "ABROAD": _check_abroad,
    "RECEIPT": _check_receipt,
    "HANGING": _check_hanging,
}


def findings(ds: Dataset, rules: Optional[dict[str, Rule]] = None) -> list[Finding]:
    """Every W finding, in member order then rule order.

    `rules` overrides the table (e.g. a district's thresholds); a rule left out is not checked.
    """
    table = RULES if rules is None else rules
    order = [rid for rid in RULES if rid in table] + [rid for rid in table if rid not in RULES]
    hits: dict[tuple[int, str], tuple[str, dict]] = {}
    for rid in order:
        for i, suffix, values in CHECKS[rid](ds, table[rid]):
            hits.setdefault((i, rid), (suffix, values))
    fired = {key for key in hits}
    result = []
    for (i, rid), (suffix, values) in sorted(hits.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1]))):
        if any((i, other) in fired for other in SUPPRESSED_BY.get(rid, ())):
            continue
        rule, m = table[rid], ds.members[i]
        path = f"members[{i}]" + (f".{suffix}" if suffix else "")
        result.append(Finding(rid, rule.severity, path, rule.message(m.name, **values), m.name))
    return result


def findings_by_rule(ds: Dataset, rules: Optional[dict[str, Rule]] = None) -> dict[str, list[Finding]]:
    """Findings grouped by rule id, every rule present (empty list when it found nothing), in RULES order."""
    table = RULES if rules is None else rules
    grouped: dict[str, list[Finding]] = {rid: [] for rid in table}
    for f in findings(ds, rules):
        grouped[f.rule].append(f)
    return grouped


def findings_by_category(ds: Dataset, rules: Optional[dict[str, Rule]] = None) -> dict[str, list[Finding]]:
    """Findings grouped by 三查三核 item (keys of CATEGORIES, all present), for 核查情况 and 小结."""
    table = RULES if rules is None else rules
    grouped: dict[str, list[Finding]] = {cat: [] for cat in CATEGORIES}
    for f in findings(ds, rules):
        grouped.setdefault(table[f.rule].category, []).append(f)
    return grouped


def with_params(rule_id: str, **params) -> dict[str, Rule]:
    """A copy of RULES with one rule's thresholds changed, e.g. with_params("RECEIPT", receipt_months=6)."""
    table = dict(RULES)
    table[rule_id] = replace(RULES[rule_id], params={**RULES[rule_id].params, **params})
    return table
