"""One printed row per member for each register (附件3, 4, 5, 7, 8): every value already a string.

Keys are the `{{ row.key }}` / `{{ m.key }}` names the templates use; a column that does not
apply to a member prints `—`, never a blank (forms.md §2).
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from . import effective
from .bands import destination_band
from .calendar import duration_text, year_month
from .model import Campaign, Destination, Member, MonthDate

DASH = "—"
SITUATION_CODES = dict(zip(
    ("外出务工经商", "单位改制或破产", "毕业后去向不明", "工作单位改变", "出国（境）", "居住地改变", "其他"),
    "①②③④⑤⑥⑦",
))
SCHOOL_ORG_CATEGORY = "⑤学校"  # 党组织类别 of the national 失联 registers, for a school branch


def text(value: Optional[str]) -> str:
    value = (value or "").strip()
    return value or DASH


def yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def day(d: date) -> str:
    """A search attempt's date, 2023.07.03 (or 2023.07 when known only to the month)."""
    return year_month(d) if isinstance(d, MonthDate) else f"{d.year:04d}.{d.month:02d}.{d.day:02d}"


def joined(parts: list[Optional[str]]) -> str:
    return "；".join(p.strip() for p in parts if p and p.strip()) or DASH


def two_lines(action: str) -> str:
    """组织关系处理 in a narrow column: the verb, then its object on the next line (应转移/组织关系)."""
    for obj in ("组织关系", "活动证"):
        if action.endswith(obj) and len(action) > len(obj):
            return action[: -len(obj)] + "\n" + obj
    return action


def place(dest: Destination) -> str:
    """外出地点: country (abroad only), province, city, county run together, then the detail."""
    names: list[str] = []
    country = (dest.country or "").strip()
    if country and country not in ("中国", "中华人民共和国"):
        names.append(country)
    for part in (dest.province, dest.city, dest.county):
        part = (part or "").strip()
        if part and (not names or names[-1] != part):  # 上海市 上海市 → 上海市
            names.append(part)
    region, detail = "".join(names), (dest.detail or "").strip()
    return "\n".join(p for p in (region, detail) if p) or DASH  # the region on a line of its own


def status_notes(m: Member) -> list[str]:
    """What a clerk writes in 备注 about a member's relation (forms.md §3, 附件4)."""
    notes = []
    if m.party_status == "停止党籍":
        notes.append("停止党籍")
    if m.transfer_out is not None:
        notes.append("已转出，回执已收到" if m.transfer_out.receipt_received else "已转出，回执未收到")
    if m.hanging is not None:
        notes.append("空挂，已理顺" if m.hanging.resolved else "空挂，未理顺")
    if m.abroad is not None:
        notes.append("出国（境）" + (m.abroad.kind if m.abroad.kind != "其他" else ""))
    if m.lost_contact is not None:
        notes.append("失联，已取得联系" if m.lost_contact.outcome == "取得联系" else "失联，无法取得联系")
    return notes


def person(m: Member) -> dict:
    """The identity columns most registers share."""
    return {
        "name": m.name,
        "gender": m.gender,
        "ethnicity": m.ethnicity,
        "birth": year_month(m.birth_date),
        "id_number": m.id_number,
        "education": m.education,
        "join_date": year_month(m.join_date),
        "full_member_date": year_month(m.full_member_date),
        "member_type": m.member_type,
        "person_category": m.person_category,
        "job_post": text(m.job_post),
        "phone": text(m.phone),
    }


# 附件3's value cells (tools/build_register_template.py): the characters a line holds at 12 / 10.5 / 9 pt
# (47 mm and 132 mm cells), and the lines the page has room for at 12 and at 10.5 pt: the one-page budget.
# A line after the first holds one character fewer (a line never starts with a punctuation mark).
REGISTER_FIT = {  # key: ((per line at 12, 10.5, 9 pt), (lines at 12, 10.5 pt))
    "name": ((10, 11, 13), (1, 3)),
    "job_post": ((10, 11, 13), (1, 3)),
    "branch": ((30, 34, 40), (1, 2)),
    "home_address": ((30, 34, 40), (1, 2)),
    "remarks": ((30, 34, 40), (4, 5)),
}


def fit_class(value: str, per_line: tuple[int, int, int], lines: tuple[int, int]) -> str:
    """"" (12 pt) when the value fits its lines at 12 pt, "small" (10.5 pt) when it fits them at 10.5 pt,
    else "smaller" (9 pt; the row grows by what it must, nothing is ever cut)."""
    def room(per: int, n: int) -> int:
        return per + (n - 1) * (per - 1)

    if len(value) <= room(per_line[0], lines[0]):
        return ""
    return "small" if len(value) <= room(per_line[1], lines[1]) else "smaller"


def register_row(m: Member, branch: str) -> dict:
    """附件3: one page per member; `fit` is the font size class of each long value (see REGISTER_FIT)."""
    lost, out = m.lost_contact, m.outgoing
    row = {
        **person(m),
        "branch": branch,
        "party_status": m.party_status,
        "home_address": text(m.home_address),
        "lost": yes_no(lost is not None),
        "lost_since": year_month(effective.lost_since(m)) if lost is not None else DASH,
        "outgoing": yes_no(out is not None),
        "band": destination_band(out.destination) if out is not None else DASH,
        "remarks": joined(status_notes(m) + [m.remarks]),
    }
    row["fit"] = {key: fit_class(row[key], *spec) for key, spec in REGISTER_FIT.items()}
    return row


def roster_row(m: Member) -> dict:
    """附件4 党员名册."""
    return {
        **person(m),
        "outgoing": yes_no(m.outgoing is not None),
        "lost": yes_no(m.lost_contact is not None),
        "remarks": joined(status_notes(m) + [m.remarks]),
    }


def outgoing_row(m: Member, campaign: Campaign) -> dict:
    """附件5 外出流动党员名册."""
    out = m.outgoing
    card = f"活动证号：\n{out.flow_card_no.strip()}" if out.has_flow_card and out.flow_card_no else None
    return {
        **person(m),
        "left_date": year_month(out.left_date),
        "place": place(out.destination),
        "band": destination_band(out.destination),
        "reason": out.reason,
        "months": f"{effective.away_months(m, campaign)}个月",
        "flow_card": yes_no(out.has_flow_card),
        "host_org": text(out.host_org),
        "in_contact": yes_no(out.in_contact),
        "contact": text(out.contact),
        "relation_action": two_lines(effective.relation_action(m, campaign)),
        "remarks": joined([card, m.remarks]),
    }


def lost_row(m: Member, campaign: Campaign) -> dict:
    """附件7 and 附件8 (the template decides which columns it prints)."""
    lost = m.lost_contact
    situation = SITUATION_CODES.get(lost.situation, "") + lost.situation
    note = lost.situation_note if lost.situation == "其他" else None
    search = "\n".join(f"{day(a.date)} {a.method.strip()}：{a.result.strip()}" for a in lost.search_record)
    return {
        **person(m),
        "org_category": SCHOOL_ORG_CATEGORY,
        "lost_duration": duration_text(effective.lost_months(m, campaign)),
        "situation": situation,
        "contacted_date": year_month(lost.contacted_date),
        "whereabouts": text(lost.current_whereabouts),
        "contact": text(lost.contact),
        "search": search or DASH,
        "handling": effective.lost_handling(m),
        "remarks": joined([note, m.remarks]),
    }

