"""The district's charts as data: what GET /api/v1/district/charts answers and /district/charts draws.

Pure: the store hands over the same stored figures 附件9 is filled from (each branch's tables as
sent, its newest valid version where it sent none: service.store.district_charts.member_figures),
the findings counts the findings overview adds up, each deliverable's current 报送
(service.store.deliveries.sent) and each branch's 党员总数 per campaign; these functions only
arrange them.

- progress: per deliverable, how many branches had sent it by each day of the campaign, against
  its deadline; the codes that have not sent it yet.
- members: 失联 (附件9 E1), 流动 (C1), 空挂 (D1) and 出国（境） (G1) by branch: the TOP branches by
  their sum, the rest added up in one line, so the bars stay readable for 150 or 3,000 branches.
- findings: 三查三核 提示 by rule across the district (the findings overview's totals).
- years: 党员总数 (附件9 A1) per branch in each campaign (a campaign is its deadlines,
  deadlines.campaign_key); with one campaign only, `available` is false and `message` says so.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from service.clock import beijing_day

from . import catalog, deadlines
from .delivery import Sent

TOP = 15  # branches drawn by name in the by-branch charts; the rest summed in one bar
MEMBER_CATEGORIES = (("E1", "失联"), ("C1", "流动"), ("D1", "空挂"), ("G1", "出国（境）"))  # 附件9 codes
YEAR_FIGURE = ("A1", "党员总数")
ONE_CAMPAIGN = "目前只有一次排查的数据，暂无法作同比；第二次排查的数据报送后，这里显示各支部的同比。"


@dataclass(frozen=True)
class MemberFigures:
    """A branch's newest valid version's 附件9 figures for the members chart (E1, C1, D1, G1)."""

    code: str
    name: Optional[str]
    figures: dict  # {"E1": n, "C1": n, "D1": n, "G1": n}


@dataclass(frozen=True)
class CampaignFigure:
    """A branch's 党员总数 in one campaign, from its newest valid version of that campaign."""

    code: str
    name: Optional[str]
    campaign: Optional[str]  # campaign_key; None: the notice's deadlines
    value: int


def charts(figures: list[MemberFigures], overview: dict, sent: dict[str, dict[str, Sent]],
           branches: int, campaign: Optional[str], campaigns: list[Optional[str]], by_campaign: list[CampaignFigure],
           today: date) -> dict:
    """Every chart's data; `branches` counts every stored branch, `campaign` is the current campaign's key."""
    return {
        "branches": branches,
        "progress": progress(sent, [b["code"] for b in overview["branches"]], campaign, today),
        "members": members(figures),
        "findings": findings(overview),
        "years": years(by_campaign, campaigns),
    }


def progress(sent: dict[str, dict[str, Sent]], codes: list[str], campaign: Optional[str], today: date) -> dict:
    """Cumulative 报送 per deliverable per Beijing day, from the first day anything was sent (or the
    first deadline less a week) to the later of the last deadline and today (never past the last
    报送 by more than a week after the final deadline)."""
    due = deadlines.from_key(campaign)
    deadline_days = [getattr(due, d) for d in catalog.DELIVERABLE_IDS]
    sent_days = {d: sorted(beijing_day(s[d].at) for s in sent.values() if d in s) for d in catalog.DELIVERABLE_IDS}
    every = [day for days in sent_days.values() for day in days]
    first = min(every + [min(deadline_days) - timedelta(days=7)])
    last = max(every + deadline_days + [min(today, max(deadline_days) + timedelta(days=7))])
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    series = []
    for d, deadline in zip(catalog.DELIVERABLE_IDS, deadline_days):
        per_day = Counter(sent_days[d])
        running, counts = 0, []
        for day in span:
            running += per_day.get(day, 0)
            counts.append(running)
        on_time = sum(1 for day in sent_days[d] if day <= deadline)
        series.append({"deliverable": d, "label": catalog.DELIVERABLE_LABELS[d], "deadline": deadline.isoformat(),
                       "sent": counts, "on_time": on_time, "late": len(sent_days[d]) - on_time,
                       "unsent": [c for c in codes if d not in sent.get(c, {})]})
    return {"campaign": campaign or deadlines.campaign_key(due), "total": len(codes),
            "days": [day.isoformat() for day in span], "series": series}


def members(figures: list[MemberFigures]) -> dict:
    """失联/流动/空挂/出国（境） by branch: the TOP by their sum (then by code), the rest summed; the
    totals are the sums over every branch, as 附件9's 合计 is."""
    keys = [k for k, _ in MEMBER_CATEGORIES]
    rows = [{"code": b.code, "name": b.name, **{k: b.figures[k] for k in keys}} for b in figures]
    for row in rows:
        row["total"] = sum(row[k] for k in keys)
    ranked = sorted((r for r in rows if r["total"]), key=lambda r: (-r["total"], r["code"]))
    top, rest = ranked[:TOP], ranked[TOP:]
    return {
        "categories": [{"key": k, "label": label} for k, label in MEMBER_CATEGORIES],
        "top": top,
        "rest": {"branches": len(rest), **{k: sum(r[k] for r in rest) for k in keys},
                 "total": sum(r["total"] for r in rest)},
        "without": len(rows) - len(ranked),  # branches with none of the four
        "totals": {k: sum(r[k] for r in rows) for k in keys},
    }


def findings(overview: dict) -> dict:
    """三查三核 提示 by rule (the findings overview's totals), most first."""
    totals = overview["totals"]
    rules = [{"rule": rule, "title": overview["rules"].get(rule, {}).get("title", rule), "count": n,
              "branches": totals["branches_by_rule"].get(rule, 0)} for rule, n in totals["by_rule"].items()]
    rules.sort(key=lambda r: -r["count"])  # stable: equal counts stay in the rules' order
    codes = {r["rule"]: [b["code"] for b in overview["branches"] if b["by_rule"].get(r["rule"])] for r in rules}
    for r in rules:
        r["codes"] = codes[r["rule"]]
    return {"rules": rules, "total": totals["warnings"]}


def campaign_label(key: Optional[str]) -> str:
    """「2023年」 for a campaign: the year its first deadline falls in."""
    return f"{deadlines.from_key(key).work_plan.year}年"


def years(by_campaign: list[CampaignFigure], campaigns: list[Optional[str]]) -> dict:
    """党员总数 per branch per campaign (oldest first); the TOP branches by the size of their change
    between the last two campaigns, the rest summed. Not available with fewer than two campaigns."""
    keys = sorted(set(campaigns) | {f.campaign for f in by_campaign},
                  key=lambda k: (deadlines.from_key(k).work_plan, k or ""))
    labels = [campaign_label(k) for k in keys]
    if len(set(labels)) < len(labels):  # two campaigns in one year: tell them apart by their first deadline
        labels = [f"{campaign_label(k)}（{deadlines.from_key(k).work_plan.isoformat()}）" for k in keys]
    base = {"figure": YEAR_FIGURE[0], "label": YEAR_FIGURE[1],
            "campaigns": [{"key": k, "label": label} for k, label in zip(keys, labels)]}
    if len(keys) < 2:
        return {**base, "available": False, "message": ONE_CAMPAIGN, "top": [], "rest": None}
    where = {k: i for i, k in enumerate(keys)}
    names: dict[str, Optional[str]] = {}
    values: dict[str, list[Optional[int]]] = {}
    for f in by_campaign:
        values.setdefault(f.code, [None] * len(keys))[where[f.campaign]] = f.value
        names[f.code] = f.name or names.get(f.code)
    rows = [{"code": code, "name": names[code], "values": vals, "change": _change(vals)}
            for code, vals in sorted(values.items())]
    ranked = sorted(rows, key=lambda r: (-abs(r["change"] or 0), r["code"]))
    top, rest = ranked[:TOP], ranked[TOP:]
    return {**base, "available": True, "message": None, "top": top,
            "rest": {"branches": len(rest),
                     "values": [sum(r["values"][i] or 0 for r in rest) for i in range(len(keys))]}}


def _change(values: list[Optional[int]]) -> Optional[int]:
    """The change between the last two campaigns, when the branch reported in both."""
    a, b = values[-2], values[-1]
    return b - a if a is not None and b is not None else None
