"""The wording of reminders, as the 区委教育工委 writes to its branches: short, plain Chinese.

A reminder names branches, deliverables (the catalog's titles, 「党员组织关系排查工作方案」) and
dates (6月20日); never a member, an ID number or a phone, and never the words of a 退回 (they may
name a member: the clerk reads them on the result page). Branch names pass through
disclosure.redact. A group message keeps within GROUP_BYTES: a list of branches longer than that
ends with 「等N个党组织」 — the district page lists them all.
"""
from __future__ import annotations

import functools
from datetime import date
from typing import Iterable, Optional

from .calendar import chinese_date
from .catalog import DISTRICT, PACKAGES
from .disclosure import redact

HEAD = "【党员组织关系排查】"  # also the keyword a 钉钉 robot with 自定义关键词 security may require
GROUP_BYTES = 2000  # 企业微信 takes a text message of up to 2048 bytes (UTF-8)
SERVICE = "排查文书服务"
SIGNATURE = DISTRICT.short_name


def title(deliverable: str) -> str:
    """「党员组织关系排查工作方案」; '*' (a whole submission): 「报送材料」."""
    return f"「{PACKAGES[deliverable].file_title}」" if deliverable != "*" else "「报送材料」"


def day(d: date) -> str:
    """6月20日: the year goes without saying within a campaign."""
    return f"{d.month}月{d.day}日"


def left(days: int) -> str:
    """How near a deadline is: 今天截止, 明天截止, 还有3天."""
    return {0: "今天截止", 1: "明天截止"}.get(days, f"还有{days}天")


@functools.lru_cache(maxsize=8192)
def name(branch_name: str) -> str:
    """A branch's name as a reminder prints it (once per name: a district run names each many times)."""
    return redact(branch_name)


def listing(names: list[str], budget: int) -> str:
    """「甲、乙、丙（共3个）」, or as many as fit in `budget` bytes and 「等N个党组织」."""
    total = len(names)
    whole = "、".join(names) + f"（共{total}个）"
    if len(whole.encode()) <= budget:
        return whole
    kept, used = [], len(f"等{total}个党组织".encode())
    for n in names:
        used += len(n.encode()) + 3  # the 、 before the next
        if used > budget:
            break
        kept.append(n)
    return "、".join(kept) + f"等{total}个党组织"


def letter(to: str, paragraph: str, today: date) -> str:
    """An e-mail body: the branch addressed, one paragraph, the district's name and the day."""
    return f"{to}：\n\n　　{paragraph}\n\n{SIGNATURE}\n{chinese_date(today)}\n"


def due_soon_group(deliverable: str, due: date, today: date, names: list[str]) -> tuple[str, str]:
    head = f"{title(deliverable)}报送截止日期为{day(due)}（{left((due - today).days)}），以下党组织尚未报送："
    tail = "\n请抓紧报送。"
    return HEAD + "报送提醒", head + listing(names, _room(head + tail)) + tail


def due_soon_mail(deliverable: str, due: date, today: date, branch: str) -> tuple[str, str]:
    subject = f"【报送提醒】请于{day(due)}前报送{title(deliverable)}"
    body = (f"{title(deliverable)}的报送截止日期为{day(due)}，{left((due - today).days)}。贵党组织尚未报送，"
            f"请登录{SERVICE}核对数据后及时报送。")
    return subject, letter(branch, body, today)


def overdue_group(today: date, late: list[tuple[str, date, list[str]]]) -> tuple[str, str]:
    """late: (deliverable, deadline, names of the branches that have not sent it) of each one overdue."""
    head = f"截至{day(today)}，以下党组织逾期未报："
    tail = "\n请以上党组织尽快报送。"
    lines = [f"\n{title(d)}（{day(due)}截止）：" for d, due, _ in late]
    room = _room(head + tail + "".join(lines)) // max(1, len(late))
    body = head + "".join(line + listing(names, room) for line, (_, _, names) in zip(lines, late)) + tail
    return HEAD + "逾期未报情况", body


def _returned_ask(due: Optional[date], today: date) -> str:
    if due is not None and today <= due:
        return f"修改后于{day(due)}前重新报送"
    return "修改后尽快重新报送"


def returned_group(deliverable: str, due: Optional[date], today: date, branch: str) -> tuple[str, str]:
    body = f"{branch}报送的{title(deliverable)}已退回修改，请登录{SERVICE}查看退回意见，{_returned_ask(due, today)}。"
    return HEAD + "退回修改", body


def returned_mail(deliverable: str, due: Optional[date], today: date, branch: str) -> tuple[str, str]:
    subject = f"【退回修改】{title(deliverable)}已退回，请修改后重新报送"
    body = (f"贵党组织报送的{title(deliverable)}经{SIGNATURE}审核，已退回修改。"
            f"请登录{SERVICE}查看退回意见，{_returned_ask(due, today)}。")
    return subject, letter(branch, body, today)


def missing(unsent: Iterable[tuple[str, date]], today: date) -> str:
    """「党员组织关系排查工作方案」（6月20日截止，已逾期）、…: what a branch still owes."""
    return "、".join(f"{title(d)}（{day(due)}截止{'，已逾期' if today > due else ''}）" for d, due in unsent)


def by_hand_group(branch: str, unsent: list[tuple[str, date]], today: date) -> tuple[str, str]:
    return HEAD + "报送提醒", f"请{branch}尽快报送：{missing(unsent, today)}。"


def by_hand_mail(branch: str, unsent: list[tuple[str, date]], today: date) -> tuple[str, str]:
    subject = "【报送提醒】请尽快报送党员组织关系排查材料"
    body = f"贵党组织尚未报送：{missing(unsent, today)}。请登录{SERVICE}核对数据后尽快报送。"
    return subject, letter(branch, body, today)


def _room(fixed: str) -> int:
    """Bytes left for a list of names in a group message whose other text is `fixed`."""
    return GROUP_BYTES - len((HEAD + "逾期未报情况\n" + fixed).encode())
