"""The branch dataset as plain Python objects: what every document is a projection of.

The schemas in `schemas/` build these from the JSON contract (contract.md) after validation,
with the contract's defaults already applied (campaign dates, birth_date from the ID number,
filled_by/reviewed_by, party_status, verified, destination country). Values that the contract
says are *drafted by rule when absent* (relation_action, handling, lost_contact.since,
lost_contact.search_end_date) stay None here; `service.domain.effective` resolves them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional


class MonthDate(date):
    """A date known only to the month (`2023-06`); arithmetic treats it as day 1."""

    def __new__(cls, year: int, month: int, day: int = 1):
        return super().__new__(cls, year, month, 1)

    def isoformat(self) -> str:  # keeps the round trip to JSON exact
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"MonthDate({self.year}, {self.month})"


@dataclass
class Destination:
    country: str = "中国"
    province: Optional[str] = None
    city: Optional[str] = None
    county: Optional[str] = None
    detail: Optional[str] = None


@dataclass
class Outgoing:
    left_date: date
    destination: Destination
    reason: str  # 务工经商 · 学习进修 · 异地居住 · 其他
    fixed_place: bool
    has_flow_card: bool
    in_contact: bool
    flow_card_no: Optional[str] = None
    host_org: Optional[str] = None
    contact: Optional[str] = None
    relation_action: Optional[str] = None  # None → drafted by rule


@dataclass
class SearchAttempt:
    date: date
    method: str
    result: str


@dataclass
class LostContact:
    situation: str
    outcome: str  # 取得联系 · 无法取得联系
    since: Optional[date] = None  # None → later of last_org_life_date, last_dues_date
    situation_note: Optional[str] = None
    search_end_date: Optional[date] = None  # None → campaign.search_end_date
    contacted_date: Optional[date] = None
    current_whereabouts: Optional[str] = None
    contact: Optional[str] = None
    search_record: list[SearchAttempt] = field(default_factory=list)
    handling: Optional[str] = None  # None → drafted by rule


@dataclass
class Hanging:
    reason: str
    resolved: bool
    resolution: Optional[str] = None
    resolved_date: Optional[date] = None


@dataclass
class Abroad:
    kind: str  # 定居 · 留学 · 劳务 · 其他
    since: date
    country: str
    procedures_done: bool
    handling: Optional[str] = None  # None → drafted by rule


@dataclass
class TransferOut:
    date: date
    to_org: str
    receipt_received: bool


@dataclass
class Member:
    name: str
    gender: str
    ethnicity: str
    id_number: str  # upper-case X
    birth_date: date  # derived from id_number when not given
    education: str
    member_type: str  # 正式党员 · 预备党员
    join_date: date
    person_category: str
    full_member_date: Optional[date] = None
    job_post: Optional[str] = None
    phone: Optional[str] = None
    home_address: Optional[str] = None
    party_status: str = "正常"
    last_org_life_date: Optional[date] = None
    last_dues_date: Optional[date] = None
    verified: bool = False
    corrections: list[str] = field(default_factory=list)
    remarks: Optional[str] = None
    outgoing: Optional[Outgoing] = None
    lost_contact: Optional[LostContact] = None
    hanging: Optional[Hanging] = None
    abroad: Optional[Abroad] = None
    transfer_out: Optional[TransferOut] = None


@dataclass
class Org:
    code: str
    name: str
    full_name: str
    unit_name: str
    org_type: str
    secretary: str
    contact_person: str
    contact_phone: str
    filled_by: str  # default contact_person
    reviewed_by: str  # default secretary
    fill_date: date  # default today


@dataclass
class Deadlines:
    work_plan: date = date(2023, 6, 20)
    tables: date = date(2023, 7, 15)
    stage_summary: date = date(2023, 7, 25)
    final_report: date = date(2023, 10, 15)


@dataclass
class Campaign:
    cutoff_date: date = date(2023, 6, 30)
    stats_date: date = date(2023, 6, 30)
    search_end_date: date = date(2023, 7, 15)
    superior_org: str = "中共常州市武进区委教育工作委员会"
    deadlines: Deadlines = field(default_factory=Deadlines)


@dataclass
class GroupMember:
    name: str
    role: str  # 组长 · 副组长 · 成员
    duty: Optional[str] = None


@dataclass
class Phase:
    phase: str
    start: date
    end: date
    tasks: Optional[str] = None


@dataclass
class WorkPlanInput:
    date: Optional[date] = None
    leading_group: list[GroupMember] = field(default_factory=list)  # empty → default group
    schedule: list[Phase] = field(default_factory=list)  # empty → the notice's four phases
    extra: Optional[str] = None


@dataclass
class StageSummaryInput:
    date: Optional[date] = None
    progress: Optional[str] = None
    checks: Optional[str] = None
    problems: Optional[str] = None
    plan: Optional[str] = None
    next_steps: Optional[str] = None


@dataclass
class FinalReportInput:
    date: Optional[date] = None
    work_done: Optional[str] = None
    results: Optional[str] = None
    practices: Optional[str] = None
    shortcomings: Optional[str] = None
    long_term_measures: list[str] = field(default_factory=list)


@dataclass
class Dataset:
    org: Org
    members: list[Member]
    campaign: Campaign = field(default_factory=Campaign)
    work_plan: WorkPlanInput = field(default_factory=WorkPlanInput)
    stage_summary: StageSummaryInput = field(default_factory=StageSummaryInput)
    final_report: FinalReportInput = field(default_factory=FinalReportInput)
    schema_version: str = "1"
