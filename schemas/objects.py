"""One schema per contract object (contract.md), unknown keys refused.

The schemas load to plain dicts; only DatasetSchema turns the whole tree into model objects, after
every check has run, so that cross-field rules always see the same shape of data.
"""
from __future__ import annotations

import json

from marshmallow import RAISE, Schema, ValidationError, post_dump, validate, validates_schema

from . import rules, vocab
from .fields import (
    Boolean, Date, Enum, Ethnicity, IdNumber, List, MonthDate, Nested, Pattern, Phone, SafeString,
)

UNKNOWN = "__unknown_field__"  # replaced by a message naming the key (errors.py)


def _req(field_cls, *args, **kwargs):
    return field_cls(*args, required=True, **kwargs)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


class Base(Schema):
    """Shared behaviour: unknown keys are errors; dumping leaves out what is not set."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN, "type": "应为 JSON 对象"}

    @post_dump
    def _drop_none(self, data, **kwargs):
        return {k: v for k, v in data.items() if v is not None}


class DestinationSchema(Base):
    country = SafeString(single_line=True, load_default="中国", metadata={"description": "默认 中国"})
    province = SafeString(single_line=True, metadata={"description": "country 为 中国 时必填"})
    city = SafeString(single_line=True)
    county = SafeString(single_line=True)
    detail = SafeString()

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _province(self, data, original, **kwargs):
        _raise(rules.destination_errors(data, original))


class OutgoingSchema(Base):
    left_date = _req(MonthDate)
    destination = _req(Nested, DestinationSchema)
    reason = _req(Enum, vocab.OUTGOING_REASONS)
    fixed_place = _req(Boolean)
    has_flow_card = _req(Boolean)
    flow_card_no = SafeString()
    host_org = SafeString()
    in_contact = _req(Boolean)
    contact = SafeString()
    relation_action = Enum(vocab.RELATION_ACTIONS)


class SearchAttemptSchema(Base):
    date = _req(Date)
    method = _req(SafeString)
    result = _req(SafeString)


class LostContactSchema(Base):
    since = MonthDate()
    situation = _req(Enum, vocab.LOST_SITUATIONS)
    situation_note = SafeString()
    outcome = _req(Enum, vocab.LOST_OUTCOMES)
    search_end_date = Date()
    contacted_date = Date()
    current_whereabouts = SafeString()
    contact = SafeString()
    search_record = List(Nested(SearchAttemptSchema, required=True))
    handling = Enum(vocab.ALL_LOST_HANDLING)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _conditions(self, data, original, **kwargs):
        _raise(rules.lost_contact_errors(data, original))


class HangingSchema(Base):
    reason = _req(SafeString)
    resolved = _req(Boolean)
    resolution = SafeString()
    resolved_date = Date()

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _conditions(self, data, original, **kwargs):
        _raise(rules.hanging_errors(data, original))


class AbroadSchema(Base):
    kind = _req(Enum, vocab.ABROAD_KINDS)
    since = _req(MonthDate)
    country = _req(SafeString, single_line=True)
    procedures_done = _req(Boolean)
    handling = Enum(vocab.ABROAD_HANDLING)


class TransferOutSchema(Base):
    date = _req(Date)
    to_org = _req(SafeString)
    receipt_received = _req(Boolean)


class MemberSchema(Base):
    name = _req(SafeString, single_line=True, validate=rules.name_length)
    gender = _req(Enum, vocab.GENDERS)
    ethnicity = _req(Ethnicity, vocab.ETHNICITIES)
    id_number = _req(IdNumber, metadata={"pattern": r"^\d{17}[\dXx]$"})
    birth_date = Date(metadata={"description": "缺省时取身份证号第7–14位"})
    education = _req(Enum, vocab.EDUCATIONS)
    member_type = _req(Enum, vocab.MEMBER_TYPES)
    join_date = _req(Date)
    full_member_date = Date(metadata={"description": "正式党员必填，预备党员不填"})
    person_category = _req(Enum, vocab.PERSON_CATEGORIES)
    job_post = SafeString()
    phone = Phone()
    home_address = SafeString()
    party_status = Enum(vocab.PARTY_STATUSES, load_default="正常")
    last_org_life_date = Date()
    last_dues_date = MonthDate()
    verified = Boolean(load_default=False)
    corrections = List(SafeString(required=True))
    remarks = SafeString()
    outgoing = Nested(OutgoingSchema)
    lost_contact = Nested(LostContactSchema)
    hanging = Nested(HangingSchema)
    abroad = Nested(AbroadSchema)
    transfer_out = Nested(TransferOutSchema)


class OrgSchema(Base):
    code = _req(Pattern, r"^[A-Za-z0-9]{1,16}$", "学校党组织编号应为1–16位字母或数字，现为「{input}」")
    name = _req(SafeString, single_line=True, validate=rules.file_name_safe)
    full_name = _req(SafeString, single_line=True)
    unit_name = _req(SafeString, single_line=True)
    org_type = _req(Enum, vocab.ORG_TYPES)
    secretary = _req(SafeString, single_line=True)
    contact_person = _req(SafeString, single_line=True)
    contact_phone = _req(Phone)
    filled_by = SafeString(single_line=True, metadata={"description": "缺省为 contact_person"})
    reviewed_by = SafeString(single_line=True, metadata={"description": "缺省为 secretary"})
    fill_date = Date(metadata={"description": "缺省为当天"})


class DeadlinesSchema(Base):
    work_plan = Date(metadata={"description": "默认 2023-06-20"})
    tables = Date(metadata={"description": "默认 2023-07-15"})
    stage_summary = Date(metadata={"description": "默认 2023-07-25"})
    final_report = Date(metadata={"description": "默认 2023-10-15"})


class CampaignSchema(Base):
    cutoff_date = Date(metadata={"description": "入党截止日，默认 2023-06-30"})
    stats_date = Date(metadata={"description": "统计截止日期，默认 2023-06-30"})
    search_end_date = Date(metadata={"description": "查找结束日，默认 2023-07-15"})
    superior_org = SafeString(single_line=True, metadata={"description": "默认 中共常州市武进区委教育工作委员会"})
    deadlines = Nested(DeadlinesSchema)


class GroupMemberSchema(Base):
    name = _req(SafeString, single_line=True, validate=rules.name_length)
    role = _req(Enum, vocab.GROUP_ROLES)
    duty = SafeString()


class PhaseSchema(Base):
    phase = _req(SafeString)
    start = _req(Date)
    end = _req(Date)
    tasks = SafeString()

    @validates_schema(skip_on_field_errors=False)
    def _order(self, data, **kwargs):
        _raise(rules.phase_errors(data))


class WorkPlanSchema(Base):
    date = Date()
    leading_group = List(Nested(GroupMemberSchema, required=True))
    schedule = List(Nested(PhaseSchema, required=True))
    extra = SafeString()


class StageSummarySchema(Base):
    date = Date()
    progress = SafeString()
    checks = SafeString()
    problems = SafeString()
    plan = SafeString()
    next_steps = SafeString()


class FinalReportSchema(Base):
    date = Date()
    work_done = SafeString()
    results = SafeString()
    practices = SafeString()
    shortcomings = SafeString()
    long_term_measures = List(SafeString(required=True))


class SchemaVersion(SafeString):
    """Only version "1" exists; anything else is refused by name."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value != "1":
            shown = json.dumps(value, ensure_ascii=False)
            raise ValidationError(f"数据包版本（schema_version）应为 \"1\"，现为 {shown}")
        return value


members_validator = validate.Length(min=1, error="至少应有一名党员")
