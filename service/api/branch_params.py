"""The path and query parameters of the branch operations, documented once."""
from __future__ import annotations

import schemas
from schemas.example import EXAMPLE
from service.domain import catalog
from service.domain.verification import verification_code

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
ACTOR = {"in": "query", "name": "actor", "required": False, "description": "报送人说明（自由文本）：记在令牌或账号名之后，如 token:区平台（王老师），共不超过100字",
         "schema": {"type": "string", "maxLength": 100}}
PACKAGE_ID = {"in": "path", "name": "package_id", "required": True, "example": "tables", "description": "材料包编号",
              "schema": {"type": "string", "enum": list(catalog.PACKAGE_IDS)}}
VERIFICATION_CODE = {"in": "path", "name": "typed", "required": True,
                     "example": verification_code(schemas.load_dataset(EXAMPLE)),
                     "description": "纸质稿页脚的校验码，照抄即可：大小写、全角、空格、短横线或「校验码」字样都可以",
                     "schema": {"type": "string"}}
