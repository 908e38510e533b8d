"""/api/v1/verify/<校验码>: which stored version a sealed paper copy was printed from."""
from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from service.domain import verification
from service.errors import UnknownVerificationCode
from service.store import codes, database

from .branch_params import VERIFICATION_CODE
from .branches import STORE
from .openapi import error_responses, json_content

blp = Blueprint("verify", __name__, url_prefix="/api/v1", description="核验纸质稿：由页脚的校验码查回报送的版本")


@blp.route("/verify/<typed>", methods=["GET"], parameters=[VERIFICATION_CODE])
@blp.doc(responses={"200": {"description": "带此校验码的支部和版本，以及它是否仍是该支部最新的通过校验的版本",
                            "content": json_content("Verification")},
                    **error_responses({404: "不是校验码，或没有哪个版本带此校验码（code=unknown_code）", 503: STORE})})
def verify(typed: str):
    """核验纸质稿：由校验码查回支部、版本和报送时间，并说明纸质稿是否与该支部最新的数据一致"""
    code = verification.parse(typed)
    if code is None:
        raise UnknownVerificationCode(f"「{typed[:40]}」不是校验码：校验码为8位数字或字母 A–F，如 7F3A-92C1")
    with database(current_app).reading() as session:
        matches = codes.lookup(session, code)
    if not matches:
        raise UnknownVerificationCode(f"没有找到校验码为 {code} 的数据：请核对校验码；或该纸质稿的数据未经本系统报送，"
                                      "或报送后又改动过")
    return {"verification_code": code, "matches": matches}
