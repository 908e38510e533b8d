"""The HTTP API: flask-smorest with the OpenAPI document at /api/v1/openapi.json, Swagger UI at /api/v1/docs."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from schemas import DatasetSchema
from schemas.member_requests import InvitationRequestSchema, ReturnBodySchema, SelfAnswerSchema
from schemas.requests import BatchRequestSchema, DeliverBodySchema, ReviewBodySchema, SpotCheckRequestSchema

from . import audit, batches, branch_files, branches, deliveries, district, district_archive, district_charts
from . import documents, invitations, register, reminders, rosters, self_service, spot_checks, swagger_ui
from . import branch_schemas as store_docs
from . import delivery_schemas, member_schemas, roster_schemas, verify, versions, workbook
from .health import bp as health
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


# every named schema of the document, registered before any blueprint that uses it: name → schema
COMPONENTS = {
    "Dataset": DatasetSchema, "ValidationReport": ValidationReportSchema, "WorkbookRead": WorkbookReadSchema,
    **STORE_COMPONENTS,
    "DistrictFindings": district.DistrictFindingsSchema, "DistrictCharts": district_charts.DistrictChartsSchema,
    "SpotCheckRequest": SpotCheckRequestSchema, "SpotCheck": spot_checks.SpotCheckSchema,
    "SpotCheckList": spot_checks.SpotCheckListSchema, "ArchiveProgress": district_archive.ArchiveProgressSchema,
    "BatchRequest": BatchRequestSchema, "BatchProgress": batches.BatchProgressSchema,
    "AuditPage": audit.AuditPageSchema,
    "RosterRead": roster_schemas.RosterReadSchema, "RosterDryRun": roster_schemas.RosterDryRunSchema,
    "RosterStored": roster_schemas.RosterStoredSchema,
    **register.COMPONENTS,
    "DeliverBody": DeliverBodySchema, "Delivered": delivery_schemas.DeliveredSchema,
    "Deliverables": delivery_schemas.DeliverablesSchema,
    "ReminderRun": reminders.ReminderRunSchema, "ReminderLogPage": reminders.ReminderLogPageSchema,
    **member_schemas.COMPONENTS,
    "InvitationRequest": InvitationRequestSchema, "SelfAnswer": SelfAnswerSchema, "ReturnBody": ReturnBodySchema,
}
# the API's blueprints, in the order the document lists their paths
BLUEPRINTS = (documents, workbook, branches, versions, branch_files, verify, district, district_charts, spot_checks,
              district_archive, batches, audit, rosters, register, deliveries, reminders, invitations, self_service)


def init_api(app: Flask) -> Api:
    api = make_api(app, DESCRIPTION)
    for name, schema in COMPONENTS.items():
        api.spec.components.schema(name, schema=schema)
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp)
    reminders.start_daily(app)  # REMIND_AT without Redis: the daily run in a thread of this process
    app.register_blueprint(health)
    swagger_ui.register(app)
    return api
