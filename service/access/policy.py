"""Who may call what: one declarative table, keyed by endpoint, that the guard enforces on every request.

Each endpoint names its access rule, the audit action it records (if any) and the rate limit it
counts against (if any). An endpoint the table does not name is DISTRICT only (DEFAULT): a route
added later is never open by accident, and tests/access/test_policy.py fails until it is named here.

Access rules:
  PUBLIC      anyone, signed in or not (health, readiness, metrics, the API docs, static files, /login)
  SIGNED_IN   any account or token
  DATASET     any principal, for the branch the posted dataset names (org.code): a branch-scoped
              principal gets 403 for another branch's dataset (it is the caller's own data, so
              nothing of that branch's existence is told); a dataset without a readable org.code
              goes on to the view, which reports it as an error
  BRANCH      the branch of the URL's <code>: any other branch is 404, exactly as one that does
              not exist (no existence leak)
  SUBMISSION  a clerk's result page and its files, by the <token> of the stored submission: the
              branch it belongs to must be the principal's (a submission in which no branch could
              be read: only its uploader and the district); anything else is 404 as an unknown token
  DISTRICT    district staff and district tokens only: others get 403
  MEMBER      a member's own link (/m/<token>, /api/v1/self/<token>): nobody signs in; the view finds the
              invitation by its token and checks the member (the last six characters of their ID
              number), counting wrong tries until the link locks (service.store.invitations)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

PUBLIC, SIGNED_IN, DATASET, BRANCH, SUBMISSION, DISTRICT, MEMBER = (
    "public", "signed_in", "dataset", "branch", "submission", "district", "member")
LIMITS = ("login", "upload", "render", "member")


@dataclass(frozen=True)
class Rule:
    access: str
    audit: Optional[str] = None  # the audit action (service.access.audit.ACTIONS)
    limit: Optional[str] = None  # the rate limit it counts against (service.access.limits)


DEFAULT = Rule(DISTRICT)

POLICY: dict[str, Rule] = {
    # open to anyone
    "health.healthz": Rule(PUBLIC),
    "health.readyz": Rule(PUBLIC),
    "health.metrics": Rule(PUBLIC),
    "api-docs.openapi_json": Rule(PUBLIC),
    "api-docs.openapi_swagger_ui": Rule(PUBLIC),
    "swagger_ui_file": Rule(PUBLIC),
    "static": Rule(PUBLIC),
    "web.static": Rule(PUBLIC),
    "access.login": Rule(PUBLIC, limit="login"),
    # any principal
    "access.logout": Rule(SIGNED_IN),
    "access.password": Rule(SIGNED_IN),
    "web.index": Rule(SIGNED_IN),
    "web.workbook": Rule(SIGNED_IN),
    "workbook.blank": Rule(SIGNED_IN),
    "workbook.read": Rule(SIGNED_IN, audit="read_workbook", limit="upload"),
    "rosters.read": Rule(SIGNED_IN, audit="read_roster", limit="upload"),
    # the upload: stored for the branch its workbook names, refused before storing when that is not the clerk's
    "web.upload_file": Rule(SIGNED_IN, audit="upload", limit="upload"),
    # roster import on the page (service/web/roster.py): the waiting file is its uploader's only, for a
    # branch the principal sees (checked by the view: its address carries no branch code)
    "web.roster": Rule(SIGNED_IN),
    "web.roster_upload": Rule(SIGNED_IN, audit="read_roster", limit="upload"),
    "web.roster_mapping": Rule(SIGNED_IN, audit="view"),
    "web.roster_confirm": Rule(SIGNED_IN),
    "web.roster_preview": Rule(SIGNED_IN, audit="view"),
    "web.roster_store": Rule(SIGNED_IN, audit="roster", limit="upload"),
    # members checking their own 登记表 (issue 19 part 2): the clerk's side, on the page (the clerk's own
    # branch; district staff name it) and through the API (the branch of the URL)
    "web.members": Rule(SIGNED_IN, audit="view"),
    "web.members_invite": Rule(SIGNED_IN, audit="invite"),
    "web.members_renew": Rule(SIGNED_IN, audit="invite"),
    "web.members_decide": Rule(SIGNED_IN),  # audited as member_accept or member_return by the view
    "invitations.invite_members": Rule(BRANCH, audit="invite"),
    "invitations.progress": Rule(BRANCH, audit="view"),
    "invitations.renew": Rule(BRANCH, audit="invite"),
    "invitations.revoke": Rule(BRANCH, audit="invite"),
    "invitations.responses": Rule(BRANCH, audit="view"),
    "invitations.accept": Rule(BRANCH, audit="member_accept"),
    "invitations.give_back": Rule(BRANCH, audit="member_return"),
    # the member's side: their link alone
    "self.show": Rule(MEMBER, audit="member_view", limit="member"),
    "self.answer": Rule(MEMBER, audit="member_confirm", limit="member"),
    "web.member_page": Rule(MEMBER, audit="member_view", limit="member"),
    "web.member_check": Rule(MEMBER, audit="member_check", limit="member"),
    "web.member_save": Rule(MEMBER, audit="member_confirm", limit="member"),
    # the stateless API: the posted dataset's branch
    "documents.validate": Rule(DATASET, audit="validate", limit="render"),
    "documents.document": Rule(DATASET, audit="render", limit="render"),
    "documents.package": Rule(DATASET, audit="render", limit="render"),
    "workbook.filled": Rule(DATASET, audit="render", limit="render"),
    # one branch by its code
    "branches.put_dataset": Rule(BRANCH, audit="store", limit="upload"),
    "rosters.branch_roster": Rule(BRANCH, audit="roster", limit="upload"),  # ?dry_run=true: the audit says 预览
    "branches.branch": Rule(BRANCH, audit="view"),
    "versions.version_diff": Rule(BRANCH, audit="view"),
    "branch_files.branch_package": Rule(BRANCH, audit="download", limit="render"),
    "branch_files.branch_workbook": Rule(BRANCH, audit="download", limit="render"),
    # 报送, one deliverable at a time (service/api/deliveries.py): the branch's clerk or the district
    "deliveries.submit": Rule(BRANCH, audit="deliver"),
    "deliveries.deliverables": Rule(BRANCH, audit="view"),
    # a clerk's stored submission by its token
    "web.result": Rule(SUBMISSION, audit="view"),
    "web.original": Rule(SUBMISSION, audit="download"),
    "web.marked": Rule(SUBMISSION, audit="download"),
    "web.document": Rule(SUBMISSION, audit="download", limit="render"),
    "web.package": Rule(SUBMISSION, audit="download", limit="render"),
    "web.deliver": Rule(SUBMISSION, audit="deliver"),
    "web.result_fix": Rule(SUBMISSION, audit="fix", limit="upload"),  # cells fixed on the result page
    # the district's own
    "versions.review": Rule(DISTRICT, audit="review"),
    "branches.list_branches": Rule(DISTRICT),
    "verify.verify": Rule(DISTRICT, audit="verify"),
    "district.outgoing_summary": Rule(DISTRICT, audit="download", limit="render"),
    "district.campaign_summary": Rule(DISTRICT, audit="download", limit="render"),
    "district.findings": Rule(DISTRICT, audit="view"),
    "district.verification_reports": Rule(DISTRICT, audit="download", limit="render"),
    "district_charts.district_charts": Rule(DISTRICT, audit="view"),
    "spot_checks.draw": Rule(DISTRICT, audit="spot_check", limit="render"),
    "spot_checks.listing": Rule(DISTRICT, audit="view"),
    "spot_checks.one": Rule(DISTRICT, audit="view"),
    "spot_checks.checklist": Rule(DISTRICT, audit="download", limit="render"),
    "district_archive.start": Rule(DISTRICT, audit="archive", limit="render"),
    "district_archive.download": Rule(DISTRICT, audit="download", limit="render"),
    "district_archive.progress": Rule(DISTRICT),
    "audit.events": Rule(DISTRICT),
    "access.audit_page": Rule(DISTRICT),
    # batch regeneration (service/api/batches.py, on main since this was written)
    "batches.start": Rule(DISTRICT, audit="batch", limit="render"),
    "batches.progress": Rule(DISTRICT),
    "batches.download": Rule(DISTRICT, audit="download", limit="render"),
    # the campaign and the register (service/api/register.py)
    "register.get_campaign": Rule(DISTRICT),
    "register.put_campaign": Rule(DISTRICT, audit="admin"),
    "register.get_register": Rule(DISTRICT),
    "register.put_register": Rule(DISTRICT, audit="admin"),
    "register.delete_registered": Rule(DISTRICT, audit="admin"),
    # reminders (service/api/reminders.py, service/web/district/reminders.py)
    "reminders.run": Rule(DISTRICT, audit="remind"),
    "reminders.log": Rule(DISTRICT),
    "web.district.remind": Rule(DISTRICT, audit="remind"),
    "web.district.reminder_log_page": Rule(DISTRICT),
    # the district's pages (service/web/district/)
    "web.district.branch_list": Rule(DISTRICT),
    "web.district.findings": Rule(DISTRICT, audit="view"),
    "web.district.charts": Rule(DISTRICT, audit="view"),
    "web.district.spot_checks_page": Rule(DISTRICT, audit="view"),
    "web.district.draw_spot_check": Rule(DISTRICT, audit="spot_check", limit="render"),
    "web.district.spot_check": Rule(DISTRICT, audit="view"),
    "web.district.spot_check_checklist": Rule(DISTRICT, audit="download", limit="render"),
    "web.district.archive_page": Rule(DISTRICT),
    "web.district.start_archive": Rule(DISTRICT, audit="archive", limit="render"),
    "web.district.archive_download": Rule(DISTRICT, audit="download", limit="render"),
    "web.district.verify_paper": Rule(DISTRICT, audit="verify"),
    "web.district.branch": Rule(DISTRICT, audit="view"),
    "web.district.review": Rule(DISTRICT, audit="review"),
    "web.district.branch_package": Rule(DISTRICT, audit="download", limit="render"),
    "web.district.branch_workbook": Rule(DISTRICT, audit="download", limit="render"),
    "web.district.district_table": Rule(DISTRICT, audit="download", limit="render"),
    "web.district.verification_reports": Rule(DISTRICT, audit="download", limit="render"),
    "web.district.start_batch": Rule(DISTRICT, audit="batch", limit="render"),
    "web.district.batch": Rule(DISTRICT),
    "web.district.batch_download": Rule(DISTRICT, audit="download", limit="render"),
    "web.district.register": Rule(DISTRICT),
    "web.district.set_campaign": Rule(DISTRICT, audit="admin"),
    "web.district.upload_register": Rule(DISTRICT, audit="admin", limit="upload"),
}


def rule_for(endpoint: Optional[str]) -> Rule:
    """The endpoint's rule; DEFAULT (district only) for any endpoint not named."""
    return POLICY.get(endpoint or "", DEFAULT)
