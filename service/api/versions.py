"""/api/v1/branches/<code>/versions/<n>/…: what changed between two versions, and the district's 核查."""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from schemas.requests import REASON_RULE, load_review
from service.access import guard
from service.domain.review import REVIEWER_MAX
from service.http.body import json_body
from service.store import branches, database, now, reviews

from .branch_params import BRANCH_CODE, MAX_VERSION, OTHER_VERSION, VERSION
from .branches import STORE
from .documents import NOT_JSON, TOO_LARGE
from .openapi import error_responses, json_content, refusals
from .reminders import after_review

blp = Blueprint("versions", __name__, url_prefix="/api/v1", description="版本之间的变化；区委教育工委的核查（已核查、退回修改）")

INT = f"int(min=1, max={MAX_VERSION})"
UNKNOWN = "没有该支部（code=unknown_branch）或该版本（code=unknown_version）"
NOT_VALID = "所选版本未通过校验，没有数据可比较或核查（code=no_valid_version）"
REVIEW_BODY = {"required": True, "description": "核查结论",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewBody"}}}}


@blp.route(f"/branches/<code>/versions/<{INT}:n>/diff/<{INT}:m>", methods=["GET"],
           parameters=[BRANCH_CODE, VERSION, OTHER_VERSION])
@blp.doc(responses={"200": {"description": "党员的增、删和逐项变化（按公民身份号码对应），其他字段的变化，有变化的附件6/附件9数字",
                            "content": json_content("VersionDiff")},
                    **error_responses({404: UNKNOWN, 409: NOT_VALID, 503: STORE})})
def version_diff(code: str, n: int, m: int):
    """两个版本之间的变化：新增、删去的党员，逐项变化的党员信息，其他字段，以及有变化的附件6、附件9数字"""
    with database(current_app).reading() as session:
        return branches.diff(session, code, n, m)


@blp.route(f"/branches/<code>/versions/<{INT}:n>/review", methods=["POST"], parameters=[BRANCH_CODE, VERSION])
@blp.doc(requestBody=REVIEW_BODY, description=refusals(f"{REASON_RULE}（422，code=invalid_dataset）")
         + "\n\n每次核查都保存，可多次核查同一版本，以最后一次为准。退回修改时，由该版本报送的材料重新待报送，"
         "提交后另行通知该党组织（电子邮件）和群（企业微信、钉钉）；通知失败只记入提醒记录，不影响核查结论。",
         responses={"201": {"description": "已记录的核查结论", "content": json_content("Reviewed")},
                    **error_responses({400: NOT_JSON, 404: UNKNOWN, 409: NOT_VALID, 413: TOO_LARGE,
                                       422: f"核查结论无效（code=invalid_dataset）：errors 逐项列出；{REASON_RULE}",
                                       503: STORE})})
def review(code: str, n: int):
    """核查一个版本：已核查（verified）或退回修改（returned，须写明原因）；每次核查都保留"""
    body = load_review(json_body())
    app = current_app._get_current_object()
    with database(app).writing() as session:
        branch = branches.get(session, code)
        sub = branches.version(session, branch, n)
        guard.note(detail=body.decision)
        reviewer = guard.actor(body.reviewer)[:REVIEWER_MAX]
        record = reviews.add(session, sub, body.decision, body.reason, reviewer, now(app))
        answer = {"code": branch.code, **reviews.as_dict(record, sub.version)}
    after_review(app, answer["code"], body.decision, reviewer)  # committed: a 退回 is told to the branch
    return answer, 201
