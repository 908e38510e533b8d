"""Every count of 附件6 and 附件9, derived from the member list (forms.md §3).

No input carries a figure: each is counted here over scope.in_scope, so a summary can never
disagree with the registers it summarises. check_identities states the sums the forms rely on.
"""
from __future__ import annotations

from typing import Optional

from . import effective
from .bands import BANDS, destination_band
from .model import Dataset
from .scope import in_scope

# code → printed column label (附件6 "1"…"18", 附件9 "A1"…"G3"), in printed order
OUTGOING_LABELS: dict[str, str] = {
    "1": "外出流动党员总数",
    "2": "正式党员", "3": "预备党员",
    "4": "本区内", "5": "市内跨区", "6": "省内跨市", "7": "跨省", "8": "出国（境）",
    "9": "不满6个月", "10": "6个月及以上",
    "11": "务工经商", "12": "学习进修", "13": "异地居住", "14": "其他",
    "15": "持流动党员活动证", "16": "保持联系", "17": "失去联系", "18": "应转未转组织关系",
}
CAMPAIGN_LABELS: dict[str, str] = {
    "A1": "党员总数", "A2": "正式党员", "A3": "预备党员",
    "A4": "在岗教职工", "A5": "离退休人员", "A6": "其他",
    "B1": "已核实", "B2": "信息有误已更正", "B3": "转出未收到回执",
    "C1": "外出流动党员", "C2": "持活动证", "C3": "应转未转", "C4": "已转移组织关系",
    "D1": "排查出", "D2": "已理顺", "D3": "未理顺",
    "E1": "失联", "E2": "经排查取得联系", "E3": "仍无法取得联系",
    "F1": "恢复正常管理", "F2": "转移组织关系", "F3": "限期改正", "F4": "劝其退党或除名",
    "F5": "停止党籍", "F6": "取消或不再保留预备党员资格", "F7": "继续查找", "F8": "其他",
    "G1": "出国（境）党员", "G2": "已办理手续", "G3": "未办理手续",
}

# Grouped headers, in printed order: (group label, codes). A group label of None means the
# column stands alone and its own label spans both header rows.
OUTGOING_GROUPS: list[tuple[Optional[str], list[str]]] = [
    (None, ["1"]),
    ("其中", ["2", "3"]),
    ("外出流向", ["4", "5", "6", "7", "8"]),
    ("外出时长", ["9", "10"]),
    ("外出原因", ["11", "12", "13", "14"]),
    (None, ["15"]), (None, ["16"]), (None, ["17"]), (None, ["18"]),
]
CAMPAIGN_GROUPS: list[tuple[Optional[str], list[str]]] = [
    ("基本情况", ["A1", "A2", "A3", "A4", "A5", "A6"]),
    ("信息核实", ["B1", "B2", "B3"]),
    ("流动党员", ["C1", "C2", "C3", "C4"]),
    ("空挂党员", ["D1", "D2", "D3"]),
    ("失联党员", ["E1", "E2", "E3"]),
    ("组织处置", ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"]),
    ("出国（境）", ["G1", "G2", "G3"]),
]

_BAND_CODES = dict(zip(BANDS, ("4", "5", "6", "7", "8")))
_REASON_CODES = {"务工经商": "11", "学习进修": "12", "异地居住": "13"}  # anything else → "14"
_CATEGORY_CODES = {"在岗教职工": "A4", "离退休人员": "A5"}  # anything else → "A6"
HANDLING_CODES = {
    "恢复正常管理": "F1", "转移组织关系": "F2", "限期改正": "F3",
    "劝其退党": "F4", "除名": "F4", "停止党籍": "F5",
    "取消预备党员资格": "F6", "不再保留预备党员资格": "F6", "继续查找": "F7",
}  # anything else (其他) → "F8"


def _zero(labels: dict[str, str]) -> dict[str, int]:
    return {code: 0 for code in labels}


def outgoing_summary(ds: Dataset) -> dict[str, int]:
    """附件6 figures over in-scope members with `outgoing`: {"1": n, …, "18": n}."""
    fig = _zero(OUTGOING_LABELS)
    for m in in_scope(ds):
        out = m.outgoing
        if out is None:
            continue
        hits = ["1", "2" if m.member_type == "正式党员" else "3",
                _BAND_CODES[destination_band(out.destination)],
                "10" if effective.away_months(m, ds.campaign) >= effective.FLOW_MONTHS else "9",
                _REASON_CODES.get(out.reason, "14"),
                "16" if out.in_contact else "17"]
        if out.has_flow_card:
            hits.append("15")
        if effective.pending_transfer(m, ds.campaign):
            hits.append("18")
        for code in hits:
            fig[code] += 1
    return fig


def campaign_summary(ds: Dataset) -> dict[str, int]:
    """附件9 figures over in-scope members: {"A1": n, …, "G3": n}."""
    fig = _zero(CAMPAIGN_LABELS)
    for m in in_scope(ds):
        hits = ["A1", "A2" if m.member_type == "正式党员" else "A3",
                _CATEGORY_CODES.get(m.person_category, "A6")]
        if m.verified:
            hits.append("B1")
        if m.corrections:
            hits.append("B2")
        if m.transfer_out is not None and not m.transfer_out.receipt_received:
            hits.append("B3")
        if m.outgoing is not None:
            hits.append("C1")
            if m.outgoing.has_flow_card:
                hits.append("C2")
            if effective.pending_transfer(m, ds.campaign):
                hits.append("C3")
            if effective.relation_action(m, ds.campaign) == effective.TRANSFERRED:
                hits.append("C4")
        if m.hanging is not None:
            hits += ["D1", "D2" if m.hanging.resolved else "D3"]
        if m.lost_contact is not None:
            hits += ["E1", "E2" if m.lost_contact.outcome == "取得联系" else "E3",
                     HANDLING_CODES.get(effective.lost_handling(m), "F8")]
        if m.abroad is not None:
            hits += ["G1", "G2" if m.abroad.procedures_done else "G3"]
        for code in hits:
            fig[code] += 1
    return fig


def summaries(ds: Dataset) -> dict[str, int]:
    """附件6 and 附件9 figures in one dict (their codes do not collide)."""
    return {**outgoing_summary(ds), **campaign_summary(ds)}


def add_up(rows: list[dict[str, int]]) -> dict[str, int]:
    """The 合计 row of a summary table: the column-wise sum of branch rows."""
    total: dict[str, int] = {}
    for row in rows:
        for key, value in row.items():
            total[key] = total.get(key, 0) + value
    return total


# (parts, whole): sum of parts must equal whole; a whole of C1 vs "1" ties the two tables together
IDENTITIES: list[tuple[tuple[str, ...], str]] = [
    (("2", "3"), "1"),
    (("4", "5", "6", "7", "8"), "1"),
    (("9", "10"), "1"),
    (("11", "12", "13", "14"), "1"),
    (("16", "17"), "1"),
    (("A2", "A3"), "A1"),
    (("A4", "A5", "A6"), "A1"),
    (("D2", "D3"), "D1"),
    (("E2", "E3"), "E1"),
    (("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"), "E1"),
    (("G2", "G3"), "G1"),
    (("1",), "C1"),
    (("15",), "C2"),
    (("18",), "C3"),
]
# counts that can never exceed another: (part, whole)
BOUNDS: list[tuple[str, str]] = [
    ("B1", "A1"), ("B2", "A1"), ("B3", "A1"), ("C1", "A1"), ("C2", "C1"), ("C3", "C1"),
    ("C4", "C1"), ("D1", "A1"), ("E1", "A1"), ("G1", "A1"), ("15", "1"), ("18", "1"),
]


def _label(code: str) -> str:
    if code in OUTGOING_LABELS:
        return f"({code}){OUTGOING_LABELS[code]}"
    return f"{code}{CAMPAIGN_LABELS[code]}"


def check_identities(fig: dict[str, int]) -> list[str]:
    """The sum identities of 附件6/附件9 that `fig` violates, in Chinese; empty when all hold.

    `fig` may hold 附件6 codes, 附件9 codes or both (e.g. summaries()); identities whose codes are
    not all present are skipped, so the 合计 row of add_up() can be checked the same way.
    """
    problems = []
    for parts, whole in IDENTITIES:
        if whole not in fig or any(p not in fig for p in parts):
            continue
        total = sum(fig[p] for p in parts)
        if total != fig[whole]:
            names = "+".join(_label(p) for p in parts)
            problems.append(f"{names}={total}，与{_label(whole)}={fig[whole]}不符")
    for part, whole in BOUNDS:
        if part in fig and whole in fig and fig[part] > fig[whole]:
            problems.append(f"{_label(part)}={fig[part]}，超过{_label(whole)}={fig[whole]}")
    for code, value in fig.items():
        if (code in OUTGOING_LABELS or code in CAMPAIGN_LABELS) and value < 0:
            problems.append(f"{_label(code)}为负数")
    return problems
