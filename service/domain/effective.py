"""Values the contract drafts by rule when the input leaves them out (contract.md, forms.md §3).

Tables, figures, rules and narratives all read these through here, so a drafted value is the
same wherever it is printed or counted.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from .calendar import months_between
from .model import Campaign, Member

FLOW_MONTHS = 6  # 外出6个月以上 (notice item 7; 条例第二十五条)

TRANSFERRED = "已转移组织关系"
SHOULD_TRANSFER = "应转移组织关系"
ISSUE_CARD = "发放活动证"
KEEP = "保留组织关系"


def lost_since(member: Member) -> date:
    """lost_contact.since, or the later of last_org_life_date and last_dues_date."""
    lost = member.lost_contact
    if lost is not None and lost.since is not None:
        return lost.since
    known = [d for d in (member.last_org_life_date, member.last_dues_date) if d is not None]
    if not known:  # the schema requires one of them; reaching here is a programming error
        raise ValueError("失联党员须有失去联系日期，或最后参加组织生活、交纳党费的日期")
    return max(known)


def lost_search_end(member: Member, campaign: Campaign) -> date:
    """lost_contact.search_end_date, or campaign.search_end_date."""
    lost = member.lost_contact
    if lost is not None and lost.search_end_date is not None:
        return lost.search_end_date
    return campaign.search_end_date


def lost_months(member: Member, campaign: Campaign) -> int:
    """Whole months out of contact: lost_since → search end."""
    return months_between(lost_since(member), lost_search_end(member, campaign))


def away_months(member: Member, campaign: Campaign) -> int:
    """外出时长 in whole months: outgoing.left_date → campaign.stats_date."""
    if member.outgoing is None:
        raise ValueError("not an outgoing member")
    return max(months_between(member.outgoing.left_date, campaign.stats_date), 0)


def relation_action(member: Member, campaign: Campaign) -> str:
    """outgoing.relation_action, or drafted: ≥6 months and fixed_place → 应转移组织关系; else 发放活动证
    (or 保留组织关系 when the member already holds a card)."""
    out = member.outgoing
    if out is None:
        raise ValueError("not an outgoing member")
    if out.relation_action:
        return out.relation_action
    if away_months(member, campaign) >= FLOW_MONTHS and out.fixed_place:
        return SHOULD_TRANSFER
    return KEEP if out.has_flow_card else ISSUE_CARD


def pending_transfer(member: Member, campaign: Campaign) -> bool:
    """附件6 (18) 应转未转: away ≥ 6 months, fixed place, relation not yet transferred."""
    out = member.outgoing
    return (
        out is not None
        and out.fixed_place
        and away_months(member, campaign) >= FLOW_MONTHS
        and relation_action(member, campaign) != TRANSFERRED
    )


def settled_abroad(member: Member) -> bool:
    """出国（境）定居: decides 不再保留预备党员资格 over 取消预备党员资格."""
    return member.abroad is not None and member.abroad.kind == "定居"


def lost_handling(member: Member) -> str:
    """处理情况 for 附件7/8 (forms.md §3, 附件8): given, or 取得联系 → 恢复正常管理; 无法取得联系 →
    正式党员 停止党籍, 预备党员 取消预备党员资格, or 不再保留预备党员资格 when abroad with kind 定居."""
    lost = member.lost_contact
    if lost is None:
        raise ValueError("not a lost-contact member")
    if lost.handling:
        return lost.handling
    return drafted_lost_handling(member)


def drafted_lost_handling(member: Member) -> str:
    """The handling the rule calls for, ignoring any given one (UNREACHABLE compares against it)."""
    lost = member.lost_contact
    if lost is not None and lost.outcome == "取得联系":
        return "恢复正常管理"
    if member.member_type == "预备党员":
        return "不再保留预备党员资格" if settled_abroad(member) else "取消预备党员资格"
    return "停止党籍"


def abroad_handling(member: Member) -> str:
    """abroad.handling, or drafted: 定居 正式党员 → 停止党籍; 定居 预备党员 → 不再保留预备党员资格; else 保留组织关系."""
    if member.abroad is None:
        raise ValueError("not an abroad member")
    return member.abroad.handling or drafted_abroad_handling(member)


def drafted_abroad_handling(member: Member) -> str:
    """The usual handling for a member abroad, ignoring any given one."""
    if settled_abroad(member):
        return "不再保留预备党员资格" if member.member_type == "预备党员" else "停止党籍"
    return KEEP


def last_contact(member: Member) -> Optional[date]:
    """The later of the last 组织生活 and the last 党费, or None when neither is recorded."""
    known = [d for d in (member.last_org_life_date, member.last_dues_date) if d is not None]
    return max(known) if known else None
