"""/api/v1/branches/<code>/versions/<n>/…: what changed between two versions, and the district's 核查."""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from service.access import guard
from service.errors import InvalidDataset
from service.http.body import json_body
from service.store import branches, database, now, reviews
from service.store.models import DECISIONS

from .branch_params import BRANCH_CODE, MAX_VERSION, OTHER_VERSION, VERSION
from .branches import STORE
from .documents import NOT_JSON, TOO_LARGE
from .openapi import error_responses, json_content

blp = Blueprint("versions", __name__, url_prefix="/api/v1", description="版本之间的变化；区委教育工委的核查（已核查、退回修改）")

INT = f"int(min=1, max={MAX_VERSION})"
UNKNOWN = "没有该支部（code=unknown_branch）或该版本（code=unknown_version）"
NOT_VALID = "所选版本未通过校验，没有数据可比较或核查（code=no_valid_version）"
REVIEW_BODY = {"required": True, "description": "核查结论",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewBody"}}}}
REVIEW_RULE = "reason：decision 为 returned（退回修改）时必填，去除空白后不能为空"


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
@blp.doc(requestBody=REVIEW_BODY, description=f"跨字段规则（违反时 422）：{REVIEW_RULE}。每次核查都保存，可多次核查同一版本，以最后一次为准。",
         responses={"201": {"description": "已记录的核查结论", "content": json_content("Reviewed")},
                    **error_responses({400: NOT_JSON, 404: UNKNOWN, 409: NOT_VALID, 413: TOO_LARGE,
                                       422: f"核查结论无效（code=invalid_dataset）：errors 逐项列出；{REVIEW_RULE}",
                                       503: STORE})})
def review(code: str, n: int):
    """核查一个版本：已核查（verified）或退回修改（returned，须写明原因）；每次核查都保留"""
    data = json_body()
    app = current_app._get_current_object()
    with database(app).writing() as session:
        branch = branches.get(session, code)
        sub = branches.version(session, branch, n)
        decision, reason, reviewer = review_request(data)
        guard.note(detail=decision)
        record = reviews.add(session, sub, decision, reason, guard.actor(reviewer)[:reviews.REVIEWER_MAX], now(app))
        return {"code": branch.code, **reviews.as_dict(record, sub.version)}, 201


def review_request(data) -> tuple[str, object, object]:
    """decision, reason and reviewer of the posted body; every problem at once, in Chinese."""
    if not isinstance(data, dict):
        raise InvalidDataset([{"path": "", "message": "请求体应为 JSON 对象，如 {\"decision\": \"verified\"}"}],
                             "核查结论未能记录，请按错误列表修改")
    errors = [{"path": key, "message": f"未知字段「{key}」（可用：decision、reason、reviewer）"}
              for key in data if key not in ("decision", "reason", "reviewer")]
    if "decision" not in data:
        errors.append({"path": "decision", "message": "缺少必填项：核查结论 decision（verified 或 returned）"})
    elif data["decision"] not in DECISIONS:
        errors.append({"path": "decision", "message": "核查结论应为 verified（已核查）或 returned（退回修改）"})
    for key in ("reason", "reviewer"):
        if data.get(key) is not None and not isinstance(data[key], str):
            errors.append({"path": key, "message": "应为文本（字符串）"})
    if isinstance(data.get("reviewer"), str) and len(data["reviewer"].strip()) > reviews.REVIEWER_MAX:
        errors.append({"path": "reviewer", "message": f"核查人不超过 {reviews.REVIEWER_MAX} 字"})
    if errors:
        raise InvalidDataset(errors, "核查结论未能记录，请按错误列表修改")
    return data["decision"], data.get("reason"), data.get("reviewer")
