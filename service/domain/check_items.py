"""The 三查 items a spot check goes through for each drawn member, and what the data says on each.

The items are the notice's own words (rules.CATEGORIES). For each, the checklist prints what the
branch reported, so whoever checks compares it with the member's file (档案), the dues record and
the transfer papers and ticks the box. Findings of the 三核 (流动, 空挂, 失联) are shown under 二查,
whose words cover them: 「看党员组织关系隶属是否合理、是否存在“失联”党员、流动党员管理是否到位」.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from . import rules
from .calendar import year_month
from .model import Member

ITEMS = ("三查一", "三查二", "三查三")  # keys of rules.CATEGORIES, in the notice's order
ITEM_OF_CATEGORY = {"三查一": "三查一", "三查二": "三查二", "三查三": "三查三",
                    "三核一": "三查二", "三核二": "三查二", "三核三": "三查二"}


@dataclass(frozen=True)
class CheckItem:
    key: str  # 三查一 …
    words: str  # the notice's words: 一查基本信息是否齐全

    @property
    def heading(self) -> str:
        """The column heading: 「一查」 over the rest of the notice's words."""
        return f"{self.words[:2]}\n{self.words[2:]}"


CHECK_ITEMS = tuple(CheckItem(key, rules.CATEGORIES[key]) for key in ITEMS)


def facts(member: Member, hints: Optional[dict[str, list[str]]] = None) -> dict[str, str]:
    """What the branch reported on each 三查 item for this member, with the titles of the rules
    that named the member there (`hints`: item → rule titles) as 「提示」."""
    texts = {"三查一": _basic(member), "三查二": _dues_and_life(member), "三查三": _transfers(member)}
    for item, titles in (hints or {}).items():
        if titles:
            texts[item] += f"；提示：{'、'.join(dict.fromkeys(titles))}"
    return texts


def hints_of(member_findings: list[rules.Finding]) -> dict[str, list[str]]:
    """The titles of a member's findings by the 三查 item they belong to."""
    out: dict[str, list[str]] = {item: [] for item in ITEMS}
    for f in member_findings:
        rule = rules.RULES.get(f.rule)
        if rule is not None:
            out[ITEM_OF_CATEGORY[rule.category]].append(rule.title)
    return out


def _basic(m: Member) -> str:
    fields = rules.RULES["COMPLETE"].params["fields"]
    missing = [label for key, label in fields.items() if not (getattr(m, key) or "").strip()]
    text = f"{m.member_type}，{year_month(m.join_date)}入党"
    return text + (f"；缺{'、'.join(missing)}" if missing else "；信息齐全")


def _dues_and_life(m: Member) -> str:
    parts = [f"党费交至{year_month(m.last_dues_date)}", f"组织生活至{year_month(m.last_org_life_date)}"]
    if m.outgoing is not None:
        parts.append("外出流动" + ("，保持联系" if m.outgoing.in_contact else "，未保持联系"))
    if m.lost_contact is not None:
        parts.append(f"失联党员，经查找{m.lost_contact.outcome}")
    if m.hanging is not None:
        parts.append("“空挂”" + ("，已理顺" if m.hanging.resolved else "，未理顺"))
    if m.party_status != "正常":
        parts.append(m.party_status)
    return "，".join(parts)


def _transfers(m: Member) -> str:
    parts = []
    if m.transfer_out is not None:
        t = m.transfer_out
        parts.append(f"{year_month(t.date)}转出至{t.to_org}，{'已' if t.receipt_received else '未'}收到回执")
    if m.abroad is not None:
        a = m.abroad
        parts.append(f"出国（境）{a.kind}（{a.country}），手续{'已' if a.procedures_done else '未'}办理")
    return "；".join(parts) or "无接转记录"
