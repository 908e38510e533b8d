"""The contexts of the seven attachment tables (附件3–附件9): what each template is filled with.

Every value is already printed (forms.md §2–3): dates `YYYY.MM`, `—` where nothing applies,
序号 1..n in input order over the in-scope members, counts as integers. The summary tables
(附件6, 附件9) take a list of branch rows so that a district roll-up can stack many branches
under one 合计 row built by figures.add_up.
"""
from __future__ import annotations

from typing import Callable

from . import figures, scope
from .calendar import chinese_date
from .model import Dataset, Member
from .tables_rows import lost_row, outgoing_row, register_row, roster_row
from .verification import footer_line

OUTGOING_KEY = "c"  # 附件6 column (1) is `row.c1` in the template; 附件9 uses its codes as they are


def table_context(ds: Dataset, doc_id: str) -> dict:
    """The template context of one table; KeyError for an id that is not a table."""
    builder = _BUILDERS[doc_id]
    return {**common(ds), **builder(ds)}


def common(ds: Dataset) -> dict:
    """What every table prints around its rows: the org line, the dates, the footer and the 校验码."""
    org = ds.org
    return {
        "org": {
            "code": org.code,
            "name": org.name,
            "full_name": org.full_name,
            "unit_name": org.unit_name,
            "org_type": org.org_type,
            "secretary": org.secretary,
            "contact_person": org.contact_person,
            "contact_phone": org.contact_phone,
        },
        "fill_date": chinese_date(org.fill_date),
        "stats_date": chinese_date(ds.campaign.stats_date),
        "footer": {
            "filled_by": org.filled_by,
            "reviewed_by": org.reviewed_by,
            "contact_phone": org.contact_phone,
        },
        "verification": footer_line(ds),  # 「校验码 7F3A-92C1」 in every page's footer
    }


def people_total(count: int) -> str:
    return f"合计：{count} 人"


def numbered(members: list[Member], row: Callable[[Member], dict]) -> list[dict]:
    """Rows with 序号 1..n in the order the members appear in the input."""
    return [{"seq": i, **row(m)} for i, m in enumerate(members, start=1)]


def _member_register(ds: Dataset) -> dict:
    rows = numbered(scope.in_scope(ds), lambda m: register_row(m, ds.org.full_name))
    return {"members": rows, "rows": rows, "total": people_total(len(rows))}


def _member_roster(ds: Dataset) -> dict:
    members = scope.in_scope(ds)
    full = sum(m.member_type == "正式党员" for m in members)
    total = f"{people_total(len(members))}，其中正式党员 {full} 人，预备党员 {len(members) - full} 人"
    return {"rows": numbered(members, roster_row), "total": total}


def _outgoing_roster(ds: Dataset) -> dict:
    members = [m for m in scope.in_scope(ds) if m.outgoing is not None]
    return {"rows": numbered(members, lambda m: outgoing_row(m, ds.campaign)),
            "total": people_total(len(members))}


def _lost_register(outcome: str) -> Callable[[Dataset], dict]:
    def build(ds: Dataset) -> dict:
        members = [m for m in scope.in_scope(ds)
                   if m.lost_contact is not None and m.lost_contact.outcome == outcome]
        return {"rows": numbered(members, lambda m: lost_row(m, ds.campaign)),
                "total": people_total(len(members))}
    return build


def summary_rows(branches: list[tuple[str, dict[str, int]]], codes: list[str], prefix: str = "") -> dict:
    """Branch rows (label, figures) and their 合计 row, keyed as the summary templates expect."""
    def row(label: str, figs: dict[str, int]) -> dict:
        return {"label": label, **{prefix + code: n for code, n in figs.items()}}

    total = {code: 0 for code in codes}
    total.update(figures.add_up([figs for _, figs in branches]))
    return {"rows": [row(label, figs) for label, figs in branches], "total": row("合计", total)}


def _outgoing_summary(ds: Dataset) -> dict:
    return summary_rows([(ds.org.name, figures.outgoing_summary(ds))],
                        list(figures.OUTGOING_LABELS), OUTGOING_KEY)


def _campaign_summary(ds: Dataset) -> dict:
    return summary_rows([(ds.org.name, figures.campaign_summary(ds))], list(figures.CAMPAIGN_LABELS))


_BUILDERS: dict[str, Callable[[Dataset], dict]] = {
    "member_register": _member_register,
    "member_roster": _member_roster,
    "outgoing_roster": _outgoing_roster,
    "outgoing_summary": _outgoing_summary,
    "recontacted_register": _lost_register("取得联系"),
    "unreachable_register": _lost_register("无法取得联系"),
    "campaign_summary": _campaign_summary,
}
