"""The district's roll-ups of what its branches sent: 附件6 and 附件9 with one row per branch, and
the 三查三核 findings of every branch side by side.

Pure: the store hands over each branch's stored figures and counts (nothing is re-validated or
re-counted here), and these functions only arrange and add them up.

Who is in the tables: every branch with a valid version, by the version it sent as 附件3—9 (its
current 报送, issue 18), or by its newest valid one where it sent none — said so in the note
(「未报送，按最新有效版本」). A branch whose
every version was rejected (or that has none) has no figures that could be trusted: it is left out
of the rows and counted in the note under 合计 (「另有 N 个党组织尚未报送有效数据」), so the 合计 is
exactly the sum of the rows printed above it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Optional

from . import catalog, figures, rules, tables
from .calendar import chinese_date
from .delivery import UNSENT_LABEL

LABELS = {"outgoing_summary": figures.OUTGOING_LABELS, "campaign_summary": figures.CAMPAIGN_LABELS}
PREFIXES = {"outgoing_summary": tables.OUTGOING_KEY, "campaign_summary": ""}
BLANK = "　" * 6  # the district fills 填表人, 审核人 and 联系电话 by hand on the printed copy


@dataclass(frozen=True)
class BranchFigures:
    """A branch's newest valid version, as the district tables need it."""

    code: str
    name: Optional[str]
    version: int
    figures: dict  # as stored: {"outgoing_summary": {code: n}, "campaign_summary": {code: n}}
    stats_date: Optional[date]
    sent: bool = True  # the tables as sent; False: not sent, its newest valid version stands in


@dataclass(frozen=True)
class BranchFindings:
    """A branch's newest version and newest valid version, as the findings overview lists them."""

    code: str
    name: Optional[str]
    latest_version: Optional[int]
    latest_valid: bool
    latest_errors: int  # errors of the newest version (0 when it is valid)
    latest_submitted_at: Optional[str]
    valid_version: Optional[int]
    valid_submitted_at: Optional[str]
    by_rule: dict  # warnings of the newest valid version, by rule (stored with it)
    in_scope: Optional[int]


def table_context(doc_id: str, branches: list[BranchFigures], unreported: int, day: date) -> dict:
    """The context of a district table (附件6 or 附件9): a row per branch, 合计, the district's lines."""
    if doc_id not in catalog.DISTRICT_TABLE_IDS:
        raise KeyError(f"{doc_id!r} has no district table; known: {', '.join(catalog.DISTRICT_TABLE_IDS)}")
    rows = [(b.name or b.code, b.figures[doc_id]) for b in branches]
    return {
        "org": {"full_name": catalog.DISTRICT.full_name, "name": catalog.DISTRICT.short_name},
        "fill_date": chinese_date(day),
        "stats_date": stats_text([b.stats_date for b in branches]),
        "footer": {"filled_by": BLANK, "reviewed_by": BLANK, "contact_phone": BLANK},
        "note": note(len(branches), unreported, sum(1 for b in branches if not b.sent)),
        "verification": "",  # a roll-up is no one dataset: no 校验码 in its page footer
        **tables.summary_rows(rows, list(LABELS[doc_id]), PREFIXES[doc_id]),
    }


def stats_text(days: list[Optional[date]]) -> str:
    """统计截止日期 of the roll-up: the branches' one date, or the span of theirs when they differ."""
    known = sorted({d for d in days if d is not None})
    if not known:
        return "—"
    if len(known) == 1:
        return chinese_date(known[0])
    return f"{chinese_date(known[0])}至{chinese_date(known[-1])}"


def note(listed: int, unreported: int, unsent: int = 0) -> str:
    """What the table covers, printed under 合计, so a missing branch is never mistaken for a zero:
    the tables as each branch sent them; `unsent` branches sent none, and their newest valid version
    stands in, said so (delivery.UNSENT_LABEL)."""
    if listed == 0:
        return f"说明：尚无党组织报送有效数据（{unreported} 个党组织已报送但均未通过校验）。" if unreported \
            else "说明：尚无党组织报送数据。"
    if unsent == 0:
        covered = f"说明：本表汇总 {listed} 个党组织报送的附件3—9数据"
    elif unsent == listed:
        covered = f"说明：本表汇总 {listed} 个党组织最新一次通过校验的数据（均{UNSENT_LABEL}）"
    else:
        covered = (f"说明：本表汇总 {listed} 个党组织的数据：{listed - unsent} 个按报送的附件3—9，"
                   f"{unsent} 个{UNSENT_LABEL}")
    if unreported:
        return f"{covered}；另有 {unreported} 个党组织尚未报送有效数据，未列入本表。"
    return f"{covered}，已报送的党组织均已列入。"


def totals(branches: list[BranchFigures], doc_id: str) -> dict[str, int]:
    """The 合计 row's figures (what the table prints under the branch rows)."""
    total = {code: 0 for code in LABELS[doc_id]}
    total.update(figures.add_up([b.figures[doc_id] for b in branches]))
    return total


def findings_overview(branches: list[BranchFindings]) -> dict:
    """Per branch its errors and warnings by rule; for the district the totals by rule."""
    by_rule: Counter = Counter()
    branches_by_rule: Counter = Counter()
    rows = []
    for b in branches:
        warnings = {rule: n for rule, n in _in_rule_order(b.by_rule) if n}
        by_rule.update(warnings)
        branches_by_rule.update(warnings.keys())
        rows.append({
            "code": b.code, "name": b.name,
            "latest_version": b.latest_version, "latest_valid": b.latest_valid,
            "latest_submitted_at": b.latest_submitted_at, "errors": b.latest_errors,
            "valid_version": b.valid_version, "valid_submitted_at": b.valid_submitted_at,
            "in_scope": b.in_scope, "warnings": sum(warnings.values()), "by_rule": warnings,
        })
    return {
        "branches": rows,
        "totals": {
            "branches": len(rows),
            "with_valid": sum(1 for r in rows if r["valid_version"] is not None),
            "without_valid": sum(1 for r in rows if r["valid_version"] is None),
            "latest_rejected": sum(1 for r in rows if r["latest_version"] is not None and not r["latest_valid"]),
            "errors": sum(r["errors"] for r in rows),
            "warnings": sum(by_rule.values()),
            "by_rule": dict(_in_rule_order(by_rule)),
            "branches_by_rule": dict(_in_rule_order(branches_by_rule)),
        },
        "rules": {rid: {"title": r.title, "severity": r.severity} for rid, r in rules.RULES.items()},
    }


def _in_rule_order(counts: dict) -> list[tuple[str, int]]:
    """Counts in the order rules.RULES lists the rules (a rule no longer known last, by name)."""
    known = [(rid, counts[rid]) for rid in rules.RULES if counts.get(rid)]
    return known + sorted((rid, n) for rid, n in counts.items() if rid not in rules.RULES and n)
