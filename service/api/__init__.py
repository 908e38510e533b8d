"""The HTTP API: flask-smorest with the OpenAPI document at /api/v1/openapi.json, Swagger UI at /api/v1/docs."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from schemas import DatasetSchema
from schemas.requests import BatchRequestSchema, DeliverBodySchema, ReviewBodySchema, SpotCheckRequestSchema

from . import swagger_ui
from . import branch_schemas as store_docs
from .openapi import ValidationReportSchema, WorkbookReadSchema, make_api

# the store's documented answers: component name → schema
STORE_COMPONENTS = {
    "Accepted": store_docs.AcceptedSchema, "BranchList": store_docs.BranchListSchema,
    "BranchDetail": store_docs.BranchDetailSchema, "VersionDiff": store_docs.VersionDiffSchema,
    "ReviewBody": ReviewBodySchema, "Reviewed": store_docs.ReviewedSchema,
    "Verification": store_docs.VerificationSchema,
}

DESCRIPTION = (
    "党员组织关系排查文书服务：一个支部的数据包进，全部文书出。\n\n"
    "数据包（Dataset）的结构即输入契约；每个错误回答都是同一形状 Error"
    "（code、status、message、errors[{path, message}]）。"
)


def init_api(app: Flask) -> Api:
    api = make_api(app, DESCRIPTION)
    api.spec.components.schema("Dataset", schema=DatasetSchema)
    api.spec.components.schema("ValidationReport", schema=ValidationReportSchema)
    api.spec.components.schema("WorkbookRead", schema=WorkbookReadSchema)
    from .documents import blp as documents

    api.register_blueprint(documents)
    try:
        from .workbook import blp as workbook
    except ImportError:  # the clerk workbook API lands with the intake module
        workbook = None
    if workbook is not None:
        api.register_blueprint(workbook)
    for name, schema in STORE_COMPONENTS.items():
        api.spec.components.schema(name, schema=schema)
    from .branch_files import blp as branch_files
    from .branches import blp as branches
    from .verify import blp as verify
    from .versions import blp as versions

    for blueprint in (branches, versions, branch_files, verify):
        api.register_blueprint(blueprint)
    from .district import DistrictFindingsSchema, blp as district

    api.spec.components.schema("DistrictFindings", schema=DistrictFindingsSchema)
    api.register_blueprint(district)
    from .district_charts import DistrictChartsSchema, blp as district_charts

    api.spec.components.schema("DistrictCharts", schema=DistrictChartsSchema)
    api.register_blueprint(district_charts)
    from .spot_checks import SpotCheckListSchema, SpotCheckSchema, blp as spot_checks

    api.spec.components.schema("SpotCheckRequest", schema=SpotCheckRequestSchema)
    api.spec.components.schema("SpotCheck", schema=SpotCheckSchema)
    api.spec.components.schema("SpotCheckList", schema=SpotCheckListSchema)
    api.register_blueprint(spot_checks)
    from .district_archive import ArchiveProgressSchema, blp as district_archive

    api.spec.components.schema("ArchiveProgress", schema=ArchiveProgressSchema)
    api.register_blueprint(district_archive)
    from .batches import BatchProgressSchema, blp as batches

    api.spec.components.schema("BatchRequest", schema=BatchRequestSchema)
    api.spec.components.schema("BatchProgress", schema=BatchProgressSchema)
    api.register_blueprint(batches)
    from .audit import AuditPageSchema, blp as audit

    api.spec.components.schema("AuditPage", schema=AuditPageSchema)
    api.register_blueprint(audit)
    from .roster_schemas import RosterDryRunSchema, RosterReadSchema, RosterStoredSchema
    from .rosters import blp as rosters

    api.spec.components.schema("RosterRead", schema=RosterReadSchema)
    api.spec.components.schema("RosterDryRun", schema=RosterDryRunSchema)
    api.spec.components.schema("RosterStored", schema=RosterStoredSchema)
    api.register_blueprint(rosters)
    from .register import COMPONENTS as REGISTER_COMPONENTS, blp as register

    for name, schema in REGISTER_COMPONENTS.items():
        api.spec.components.schema(name, schema=schema)
    api.register_blueprint(register)
    from .deliveries import blp as deliveries
    from .delivery_schemas import DeliverablesSchema, DeliveredSchema

    api.spec.components.schema("DeliverBody", schema=DeliverBodySchema)
    api.spec.components.schema("Delivered", schema=DeliveredSchema)
    api.spec.components.schema("Deliverables", schema=DeliverablesSchema)
    api.register_blueprint(deliveries)
    from .reminders import ReminderLogPageSchema, ReminderRunSchema, blp as reminders, start_daily

    api.spec.components.schema("ReminderRun", schema=ReminderRunSchema)
    api.spec.components.schema("ReminderLogPage", schema=ReminderLogPageSchema)
    api.register_blueprint(reminders)
    start_daily(app)  # REMIND_AT without Redis: the daily run in a thread of this process
    from schemas.member_requests import InvitationRequestSchema, ReturnBodySchema, SelfAnswerSchema

    from .invitations import blp as invitations
    from .member_schemas import COMPONENTS as MEMBER_COMPONENTS
    from .self_service import blp as self_service

    for name, schema in {**MEMBER_COMPONENTS, "InvitationRequest": InvitationRequestSchema,
                         "SelfAnswer": SelfAnswerSchema, "ReturnBody": ReturnBodySchema}.items():
        api.spec.components.schema(name, schema=schema)
    api.register_blueprint(invitations)
    api.register_blueprint(self_service)
    from .health import bp as health

    app.register_blueprint(health)
    swagger_ui.register(app)
    return api
