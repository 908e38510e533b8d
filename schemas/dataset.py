"""DatasetSchema: the whole 排查数据包; loads to a model.Dataset after every check has run."""
from __future__ import annotations

from marshmallow import ValidationError, post_load, validates_schema

from . import build, rules
from .fields import List, Nested
from .objects import (
    Base, CampaignSchema, FinalReportSchema, MemberSchema, OrgSchema, SchemaVersion,
    StageSummarySchema, WorkPlanSchema, members_validator,
)


class DatasetSchema(Base):
    """The branch dataset, contract version 1 (contract.md)."""

    schema_version = SchemaVersion(required=True, metadata={"enum": ["1"]})
    campaign = Nested(CampaignSchema, metadata={"description": "缺省为2023年通知的各项日期"})
    org = Nested(OrgSchema, required=True)
    members = List(Nested(MemberSchema, required=True), required=True, validate=members_validator)
    work_plan = Nested(WorkPlanSchema)
    stage_summary = Nested(StageSummarySchema)
    final_report = Nested(FinalReportSchema)

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _rules(self, data, original, **kwargs):
        errors = rules.dataset_errors(data, original)
        if errors:
            raise ValidationError(errors)

    @post_load
    def _build(self, data, **kwargs):
        return build.dataset(data)
