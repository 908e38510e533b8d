"""The path and query parameters of the branch operations, documented once."""
from __future__ import annotations

import json
from typing import Optional

import schemas
from schemas.example import EXAMPLE
from service.domain import catalog
from service.domain.branch_filters import PAGE_SIZE
from service.domain.verification import verification_code
from service.http.query import Query

CODE_PATTERN = "^[A-Za-z0-9]{1,16}$"
MAX_VERSION = 1_000_000  # beyond any branch's count; larger numbers are not versions (404)

BRANCH_CODE = {"in": "path", "name": "code", "required": True, "example": EXAMPLE["org"]["code"],
               "description": "支部编号（学校党组织编号，org.code）：1–16位字母或数字",
               "schema": {"type": "string", "pattern": CODE_PATTERN}}


def version_param(name: str, description: str, example: int) -> dict:
    return {"in": "path", "name": name, "required": True, "example": example, "description": description,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_VERSION}}


VERSION = version_param("n", "版本号（每个支部从 1 起）", 1)
OTHER_VERSION = version_param("m", "与之比较的版本号", 2)
ACTOR_MAX = 100
ACTOR = {"in": "query", "name": "actor", "required": False,
         "description": f"报送人说明（自由文本）：记在令牌或账号名之后，如 token:区平台（王老师），共不超过{ACTOR_MAX}字",
         "schema": {"type": "string", "minLength": 1, "maxLength": ACTOR_MAX}}
PACKAGE_ID = {"in": "path", "name": "package_id", "required": True, "example": "tables", "description": "材料包编号",
              "schema": {"type": "string", "enum": list(catalog.PACKAGE_IDS)}}
VERIFICATION_CODE = {"in": "path", "name": "typed", "required": True,
                     "example": verification_code(schemas.load_dataset(EXAMPLE)),
                     "description": "纸质稿页脚的校验码，照抄即可：大小写、全角、空格、短横线或「校验码」字样都可以",
                     "schema": {"type": "string"}}

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 1000
PAGE = {"in": "query", "name": "page", "required": False,
        "description": f"页码，从 1 起；与 page_size 都不给时返回全部支部（缺省 page_size 为 {PAGE_SIZE}）",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}}
PAGE_SIZE_PARAM = {"in": "query", "name": "page_size", "required": False,
                   "description": f"每页支部数（缺省 {PAGE_SIZE}，至多 {MAX_PAGE_SIZE}）",
                   "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}}
X_PAGINATION = {"X-Pagination": {
    "description": "分页时（给了 page 或 page_size）：JSON，total（支部总数）、total_pages、first_page、last_page，"
                   "以及 page、previous_page、next_page（有时才给）；与 flask-smorest 的分页相同",
    "schema": {"type": "string"}}}


def page_query(args) -> Optional[tuple[int, int]]:
    """(page, page size) when either is asked for, None for the whole list; BadQuery for an empty or
    malformed one."""
    query = Query(args)
    paging = query.integer("page", 1, MAX_PAGE), query.integer("page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    query.check()
    return paging if "page" in args or "page_size" in args else None


def actor_query(args) -> Optional[str]:
    """?actor=: the submitter's note, None when absent; BadQuery when empty or too long (nothing is stored)."""
    query = Query(args)
    note = query.text("actor", ACTOR_MAX)
    query.check()
    return note


def pagination_header(total: int, page: int, size: int) -> str:
    """X-Pagination as flask-smorest writes it."""
    pages = -(-total // size)
    out = {"total": total, "total_pages": pages}
    if pages:
        out.update(first_page=1, last_page=pages)
        if page <= pages:
            out["page"] = page
            if page > 1:
                out["previous_page"] = page - 1
            if page < pages:
                out["next_page"] = page + 1
    return json.dumps(out)
