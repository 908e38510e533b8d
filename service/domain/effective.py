"""Values the contract drafts by rule when the input leaves them out (STUB: helper B implements)."""
from __future__ import annotations

from datetime import date

from .model import Campaign, Member


def lost_since(member: Member) -> date:
    """lost_contact.since, or the later of last_org_life_date and last_dues_date."""
    raise NotImplementedError


def lost_search_end(member: Member, campaign: Campaign) -> date:
    """lost_contact.search_end_date, or campaign.search_end_date."""
    raise NotImplementedError


def lost_months(member: Member, campaign: Campaign) -> int:
    """Whole months out of contact: lost_since → search end."""
    raise NotImplementedError


def away_months(member: Member, campaign: Campaign) -> int:
    """外出时长 in whole months: outgoing.left_date → campaign.stats_date."""
    raise NotImplementedError


def relation_action(member: Member, campaign: Campaign) -> str:
    """outgoing.relation_action, or drafted: ≥6 months and fixed_place → 应转移组织关系; else 发放活动证
    (or 保留组织关系 when the member already holds a card)."""
    raise NotImplementedError


def lost_handling(member: Member) -> str:
    """处理情况 for 附件7/8 (forms.md §3, 附件8): given, or 取得联系 → 恢复正常管理; 无法取得联系 →
    正式党员 停止党籍, 预备党员 取消预备党员资格, or 不再保留预备党员资格 when abroad with kind 定居."""
    raise NotImplementedError


def abroad_handling(member: Member) -> str:
    """abroad.handling, or drafted: 定居 正式党员 → 停止党籍; 定居 预备党员 → 不再保留预备党员资格; else 保留组织关系."""
    raise NotImplementedError
