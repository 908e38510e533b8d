"""/api/v1/branches: a branch's dataset stored as its next version; the district's list; one branch."""
from __future__ import annotations

import dataclasses
import re

from flask import current_app, request
from flask_smorest import Blueprint

from service.access import guard
from service.errors import InvalidDataset, NotJson, UnknownBranch
from service.intake.received import Received, from_json_body
from service.store import branches, campaign, database, now, submissions

from .branch_params import (ACTOR, BRANCH_CODE, CODE_PATTERN, PAGE, PAGE_SIZE_PARAM, X_PAGINATION, actor_query,
                            page_query, pagination_header)
from .documents import DATASET_BODY, TOO_LARGE
from .openapi import DATASET_RULES, STORE, error_responses, json_content, refusals

blp = Blueprint("branches", __name__, url_prefix="/api/v1",
                description="支部报送的每一版数据：保存、列表、核查情况和报送期限")

NOT_A_CODE = "没有该编号的支部（code=unknown_branch）"
MISMATCH = "学校党组织编号「{org}」与地址中的支部编号「{code}」不一致"
PUT_RESPONSES = {
    "201": {"description": "通过校验，已保存为新版本：版本号、校验码和三查三核提示", "content": json_content("Accepted")},
    **error_responses({
        400: "请求体不是 JSON（code=bad_json），原样保存为一个未通过校验的版本；"
             "或查询参数 actor 为空、超过 100 字（code=bad_query），什么也不保存",
        404: "地址中的支部编号不是 1–16 位字母或数字（code=unknown_branch）；什么也不保存",
        413: TOO_LARGE,
        422: "数据包未通过校验（code=invalid_dataset）：errors 列出每一处；仍保存为一个未通过校验的版本，"
             "message 写明版本号。除数据包的各项规则外，org.code 须与地址中的支部编号相同",
        503: STORE,
    }),
}


@blp.route("/branches/<code>/dataset", methods=["PUT"], parameters=[BRANCH_CODE])
@blp.doc(requestBody=DATASET_BODY, responses=PUT_RESPONSES, parameters=[ACTOR], description=refusals(
    DATASET_RULES, "org.code 须与地址中的支部编号相同（422，code=invalid_dataset）"))
def put_dataset(code: str):
    """报送一个支部的数据包：每次都保存为该支部的新版本（未通过校验的也保存），通过时返回版本号和校验码"""
    if not re.match(CODE_PATTERN, code):
        raise UnknownBranch(f"支部编号「{code}」无效：应为1–16位字母或数字（学校党组织编号）")
    note = actor_query(request.args)  # 400 before anything is stored
    received = same_branch(from_json_body(request.get_data(cache=True)), code)  # 413 beyond the limit
    app = current_app._get_current_object()
    status = 201 if received.dataset is not None else 400 if received.data is None else 422  # as answered below
    kept = submissions.submit(database(app), received, "api", now(app), actor=guard.actor(note),
                              code=code, within=lambda session, sub: guard.audit_within(session, status,
                                                                                        version=sub.version))
    if kept.valid:
        return {"code": code, "version": kept.version, "valid": True, "verification_code": kept.verification_code,
                "submitted_at": kept.created_at.isoformat(), "warnings": list(kept.warnings)}, 201
    saved = f"已保存为第{kept.version}版（未通过校验）"
    if received.data is None:
        raise NotJson(f"{received.errors[0]['message']}；{saved}")
    raise InvalidDataset(received.errors, f"数据未通过校验，{saved}，请按错误列表逐项修改后重新报送")


def same_branch(received: Received, code: str) -> Received:
    """The dataset must be the branch's own: org.code equal to the code in the address."""
    org = received.data.get("org") if isinstance(received.data, dict) else None
    given = org.get("code") if isinstance(org, dict) else None
    given = given.strip() if isinstance(given, str) else given
    if received.data is None or given in (None, code) or not isinstance(given, str):
        return received
    error = {"path": "org.code", "message": MISMATCH.format(org=given, code=code)}
    errors = [e for e in received.errors if e.get("path") != "org.code"] + [error]
    return dataclasses.replace(received, dataset=None, errors=errors, warnings=[])


@blp.route("/branches", methods=["GET"])
@blp.doc(parameters=[PAGE, PAGE_SIZE_PARAM], responses={
    "200": {"description": "全部支部，按编号排列；分页时为其中一页（总数等见 X-Pagination）",
            "content": json_content("BranchList"), "headers": X_PAGINATION},
    **error_responses({400: "分页参数为空或有误（code=bad_query）：errors 逐项说明；不需要时请省略，不要留空", 503: STORE})})
def list_branches():
    """全部支部：最新版本、三查三核提示条数、核查状态、四项材料的报送情况（按时、逾期、未到期、逾期未报）；可分页"""
    app = current_app._get_current_object()
    paging = page_query(request.args)
    at = now(app)
    due = campaign.deadlines(database(app))
    with database(app).reading() as session:
        if paging is None:
            return {"as_of": at.isoformat(), "branches": branches.overview(session, at, due)}
        number, size = paging
        total = branches.total(session)
        rows = branches.overview(session, at, due, offset=(number - 1) * size, limit=size)
    return {"as_of": at.isoformat(), "branches": rows}, 200, {"X-Pagination": pagination_header(total, number, size)}


@blp.route("/branches/<code>", methods=["GET"], parameters=[BRANCH_CODE])
@blp.doc(responses={"200": {"description": "一个支部的全部版本、最新数字和提示、核查记录、退回后的变化",
                            "content": json_content("BranchDetail")},
                    **error_responses({404: NOT_A_CODE, 503: STORE})})
def branch(code: str):
    """一个支部：全部版本（新的在前）、最新的通过校验的版本的附件6/附件9数字和三查三核提示、核查记录，退回修改后又报送时的变化"""
    app = current_app._get_current_object()
    due = campaign.deadlines(database(app))
    with database(app).reading() as session:
        return branches.detail(session, code, now(app), due)
