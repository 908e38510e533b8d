"""What the OpenAPI document says about access, from the policy itself: the bearer scheme, and on each
operation its security and the 401, 403 and 429 answers it can really give.

An apispec plugin: flask-smorest hands every operation to operation_helper with its URL rule, whose
endpoint names the policy's rule. So the document cannot drift from what the guard enforces.
"""
from __future__ import annotations

from apispec import BasePlugin

from .policy import BRANCH, DATASET, DISTRICT, MEMBER, PUBLIC, rule_for

SCHEME = "bearerAuth"
SECURITY_SCHEME = {"type": "http", "scheme": "bearer", "description": (
    "访问令牌：由区委教育工委用 paicha tokens create 生成，限定若干支部或全区；请求头 Authorization: Bearer <令牌>。"
    "也可先在网页 /login 登录，以会话 Cookie 调用（此时 POST/PUT 须带 X-CSRFToken 请求头）。")}
RETRY_AFTER = {"description": "秒数：多久后可重试", "schema": {"type": "integer", "minimum": 1}}
FORBIDDEN = {
    DISTRICT: "此功能仅限区委教育工委（区级账号或区级令牌）（code=forbidden）",
    DATASET: "数据包的学校党组织编号不在令牌或账号可报送的支部之内（code=forbidden）",
}
FIRST_PASSWORD = "以会话调用、但账号须先在网页上修改一次性密码（code=forbidden）"
OUT_OF_SCOPE = "；或该支部不在令牌、账号的权限之内——与不存在的支部同样回答，不透露其是否存在"
LIMITED = {
    "login": "登录", "upload": "上传、报送", "render": "校验、生成、下载", "member": "打开同一个本人核对链接",
}


def _error(description: str, headers: dict | None = None) -> dict:
    out = {"description": description,
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if headers:
        out["headers"] = headers
    return out


class AccessPlugin(BasePlugin):
    def init_spec(self, spec) -> None:
        spec.components.security_scheme(SCHEME, SECURITY_SCHEME)

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        flask_rule = kwargs.get("rule")
        if flask_rule is None or not operations:
            return
        rule = rule_for(flask_rule.endpoint)
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if rule.access in (PUBLIC, MEMBER):  # a member's link is its own key (and X-Member-Check)
                operation["security"] = []
            else:
                operation["security"] = [{SCHEME: []}]
                responses["401"] = _error("未登录，或访问令牌无效、已过期、已被吊销（code=unauthorized，带 WWW-Authenticate: Bearer）")
                reasons = [FORBIDDEN[rule.access]] if rule.access in FORBIDDEN else []
                responses["403"] = _error("；或".join(reasons + [FIRST_PASSWORD]))
            if rule.access == BRANCH and "404" in responses:
                responses["404"] = {**responses["404"], "description": responses["404"]["description"] + OUT_OF_SCOPE}
            if rule.limit is not None:
                per = "按链接" if rule.limit == "member" else "按账号或令牌"
                responses["429"] = _error(f"{LIMITED[rule.limit]}过于频繁，超过了{per}、按地址的次数限制"
                                          "（code=too_many_requests，带 Retry-After）", {"Retry-After": RETRY_AFTER})
