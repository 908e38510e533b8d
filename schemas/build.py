"""Validated dicts → model objects, applying the contract's defaults (contract.md)."""
from __future__ import annotations

from datetime import date

from service.domain import idcard
from service.domain.model import (
    Abroad, Campaign, Dataset, Deadlines, Destination, FinalReportInput, GroupMember, Hanging,
    LostContact, Member, Org, Outgoing, Phase, SearchAttempt, StageSummaryInput, TransferOut,
    WorkPlanInput,
)


def _set(d: dict | None) -> dict:
    """Only the keys that carry a value, so the dataclass defaults fill the rest."""
    return {k: v for k, v in (d or {}).items() if v is not None}


def campaign(d: dict | None) -> Campaign:
    values = _set(d)
    values["deadlines"] = Deadlines(**_set(values.get("deadlines")))
    return Campaign(**values)


def org(d: dict) -> Org:
    values = _set(d)
    values.setdefault("filled_by", values["contact_person"])
    values.setdefault("reviewed_by", values["secretary"])
    values.setdefault("fill_date", date.today())
    return Org(**values)


def outgoing(d: dict) -> Outgoing:
    values = _set(d)
    values["destination"] = Destination(**_set(values["destination"]))
    return Outgoing(**values)


def lost_contact(d: dict) -> LostContact:
    values = _set(d)
    values["search_record"] = [SearchAttempt(**a) for a in values.get("search_record", [])]
    return LostContact(**values)


_SUB_RECORDS = {
    "outgoing": outgoing,
    "lost_contact": lost_contact,
    "hanging": lambda d: Hanging(**_set(d)),
    "abroad": lambda d: Abroad(**_set(d)),
    "transfer_out": lambda d: TransferOut(**_set(d)),
}


def member(d: dict) -> Member:
    values = _set(d)
    values.setdefault("birth_date", idcard.birth_date(values["id_number"]))
    for key, make in _SUB_RECORDS.items():
        if key in values:
            values[key] = make(values[key])
    return Member(**values)


def work_plan(d: dict | None) -> WorkPlanInput:
    values = _set(d)
    values["leading_group"] = [GroupMember(**_set(g)) for g in values.get("leading_group", [])]
    values["schedule"] = [Phase(**_set(p)) for p in values.get("schedule", [])]
    return WorkPlanInput(**values)


def dataset(d: dict) -> Dataset:
    return Dataset(
        schema_version=d["schema_version"],
        campaign=campaign(d.get("campaign")),
        org=org(d["org"]),
        members=[member(m) for m in d["members"]],
        work_plan=work_plan(d.get("work_plan")),
        stage_summary=StageSummaryInput(**_set(d.get("stage_summary"))),
        final_report=FinalReportInput(**_set(d.get("final_report"))),
    )
