"""The district's two bodies of issue 18 part 1: the campaign (PUT /api/v1/campaign, the district page's
form, `paicha campaign set`) and the register of branches (PUT /api/v1/register, the district page's
upload, `paicha branches import`). Each is checked here once, whichever way it came; a file's rows are
loaded as the same `branches` list, so a file and a PUT refuse the same things in the same words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from service.domain import register as reg
from service.domain.model import Deadlines
from service.errors import InvalidRegister

from . import vocab
from .errors import flatten
from .fields import NULL, REQUIRED, Date, MaxLength, Phone, SafeString, text_pattern
from .objects import Base

CODE = r"^[A-Za-z0-9]{1,16}$"
CODE_TEXT = "编号应为1–16位字母或数字（学校党组织编号），现为「{input}」"
MAX_BRANCHES = 5000
EMAIL = "电子邮箱格式不对，应如 dangban@school.edu.cn"
NAMES = ("work_plan", "tables", "stage_summary", "final_report")


@dataclass(frozen=True)
class RegisterEntry:
    code: str
    name: str
    full_name: Optional[str] = None
    unit_name: Optional[str] = None
    org_type: Optional[str] = None
    contact: Optional[str] = None
    phone: Optional[str] = None
    emails: list[str] = field(default_factory=list)
    state: str = reg.ACTIVE
    merged_into: Optional[str] = None


def _code(**kwargs) -> fields.String:
    return fields.String(validate=validate.Regexp(CODE, error=CODE_TEXT),
                         error_messages={"required": REQUIRED, "null": NULL, "invalid": "编号应为文本"}, **kwargs)


def _optional(size: int, description: str) -> SafeString:
    return SafeString(single_line=True, allow_none=True, validate=MaxLength(size),
                      metadata={"description": f"{description}；上限{size}字；空白视同未填",
                                "pattern": text_pattern(single_line=True)})


class RegisterBranchSchema(Base):
    """名单中的一个党组织；只有 code 和 name 必填。"""

    code = _code(required=True, metadata={"description": "编号（学校党组织编号）：1–16位字母或数字"})
    name = SafeString(single_line=True, required=True, validate=[validate.Length(min=1, error="简称不能为空"),
                                                                 MaxLength(reg.NAME_MAX)],
                      metadata={"description": f"简称，如 湖塘桥实验小学党支部；上限{reg.NAME_MAX}字",
                                "pattern": text_pattern(single_line=True, required=True)})
    full_name = _optional(reg.FULL_MAX, "全称（与印章一致）")
    unit_name = _optional(reg.FULL_MAX, "单位名称（学校名称）")
    org_type = fields.String(allow_none=True, validate=validate.OneOf(
        vocab.ORG_TYPES, error=f"党组织类型应为{'、'.join(vocab.ORG_TYPES)}之一，现为「{{input}}」"),
        metadata={"description": "党组织类型"})
    contact = _optional(reg.CONTACT_MAX, "联系人（党务干事）")
    phone = Phone(allow_none=True)
    emails = fields.List(fields.Email(error_messages={"invalid": EMAIL}), allow_none=True,
                         validate=validate.Length(max=reg.EMAILS_MAX, error=f"电子邮箱最多{reg.EMAILS_MAX}个"),
                         metadata={"description": "提醒发往的电子邮箱"})
    state = fields.String(load_default=reg.ACTIVE, validate=validate.OneOf(
        reg.STATES, error="状态应为 active（在册）、withdrawn（撤销）或 merged（合并）"),
        metadata={"description": "active：在册（缺省）；withdrawn：撤销；merged：合并（须给出 merged_into）"})
    merged_into = _code(allow_none=True, metadata={"description": "合并时：并入的党组织的编号；其他状态不填"})

    @validates_schema
    def _merged(self, data: dict, **kwargs) -> None:
        if data.get("state") == reg.MERGED and not data.get("merged_into"):
            raise ValidationError("状态为合并时须写明并入的党组织编号（merged_into）", "merged_into")
        if data.get("state") != reg.MERGED and data.get("merged_into"):
            raise ValidationError("只有状态为合并时才填并入的党组织编号", "merged_into")
        if data.get("merged_into") and data.get("merged_into") == data.get("code"):
            raise ValidationError("不能并入自己", "merged_into")

    @post_load
    def _entry(self, data: dict, **kwargs) -> RegisterEntry:
        emails = list(dict.fromkeys(e.strip().lower() for e in data.get("emails") or []))
        return RegisterEntry(**{**{k: v for k, v in data.items() if v is not None}, "emails": emails})


class RegisterBodySchema(Base):
    """PUT /api/v1/register 的请求体。"""

    error_messages = {**Base.error_messages, "type": "请求体应为 JSON 对象，如 {\"branches\": [{\"code\": \"0101\", "
                                                     "\"name\": \"某某小学党支部\"}]}"}

    branches = fields.List(fields.Nested(RegisterBranchSchema), required=True,
                           validate=validate.Length(min=1, max=MAX_BRANCHES,
                                                    error=f"branches 应为 1–{MAX_BRANCHES} 个党组织"),
                           error_messages={"required": REQUIRED, "null": NULL, "invalid": "branches 应为数组"},
                           metadata={"description": "要新增或更新的党组织；名单中已有而此处未列的不变"})

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _once(self, data: dict, original, **kwargs) -> None:
        """A code twice is named at its second place, whatever else is wrong with either row."""
        rows = original.get("branches") if isinstance(original, dict) else None
        seen: dict[str, int] = {}
        problems = {}
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            code = row.get("code") if isinstance(row, dict) else None
            code = code.strip() if isinstance(code, str) else None
            if code in seen:
                problems[i] = {"code": [f"编号「{code}」与第{seen[code] + 1}个党组织重复"]}
            elif code:
                seen[code] = i
        if problems:
            raise ValidationError({"branches": problems})


def load_register(body, message: str = "党组织名单有误，什么也没有保存；请按错误列表逐项修改") -> list[RegisterEntry]:
    """The register's entries, or InvalidRegister listing every problem at its path."""
    schema = RegisterBodySchema()
    try:
        return schema.load(body)["branches"]
    except ValidationError as error:
        raise InvalidRegister(message, flatten(error.messages, schema)) from None


# ---- the campaign -------------------------------------------------------------------------------------


class CampaignDeadlinesSchema(Base):
    """四项材料的报送期限；省略的取通知的（6月20日、7月15日、7月25日、10月15日）。"""

    work_plan = Date(load_default=Deadlines.work_plan, metadata={"description": "工作方案，缺省 2023-06-20"})
    tables = Date(load_default=Deadlines.tables, metadata={"description": "附件3–9，缺省 2023-07-15"})
    stage_summary = Date(load_default=Deadlines.stage_summary, metadata={"description": "阶段性小结，缺省 2023-07-25"})
    final_report = Date(load_default=Deadlines.final_report, metadata={"description": "工作总结，缺省 2023-10-15"})

    @validates_schema
    def _order(self, data: dict, **kwargs) -> None:
        days = [data.get(name) or getattr(Deadlines, name) for name in NAMES]
        if days != sorted(days):
            raise ValidationError("四项期限应依次不早于前一项：工作方案 ≤ 附件3–9 ≤ 阶段性小结 ≤ 工作总结", "final_report")

    @post_load
    def _deadlines(self, data: dict, **kwargs) -> Deadlines:
        """A blank date is taken as none given, as everywhere in the contract: the notice's."""
        return Deadlines(**{name: data.get(name) or getattr(Deadlines, name) for name in NAMES})


class CampaignBodySchema(Base):
    """PUT /api/v1/campaign 的请求体；省略的项取通知的。"""

    name = SafeString(single_line=True, load_default=reg.DEFAULT_NAME, validate=[
        validate.Length(min=1, error="名称不能为空"), MaxLength(reg.CAMPAIGN_NAME_MAX)],
        metadata={"description": f"名称，缺省「{reg.DEFAULT_NAME}」；上限{reg.CAMPAIGN_NAME_MAX}字",
                  "pattern": text_pattern(single_line=True, required=True)})
    stats_date = Date(load_default=reg.DistrictCampaign.stats_date,
                      metadata={"description": "统计截止日期，缺省 2023-06-30"})
    deadlines = fields.Nested(CampaignDeadlinesSchema, load_default=lambda: Deadlines(),
                              metadata={"description": "四项材料的报送期限"})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _named(self, data: dict, original, **kwargs) -> None:
        """null or blank is no name given (the default), as for every optional text of the contract; an empty
        text is refused (the document says minLength 1)."""
        given = original.get("name") if isinstance(original, dict) else None
        if given == "":
            raise ValidationError("名称不能为空", "name")

    @post_load
    def _campaign(self, data: dict, **kwargs) -> reg.DistrictCampaign:
        return reg.DistrictCampaign(data.get("name") or reg.DEFAULT_NAME,
                                    data.get("stats_date") or reg.DistrictCampaign.stats_date, data["deadlines"])


def load_campaign(body) -> reg.DistrictCampaign:
    schema = CampaignBodySchema()
    try:
        return schema.load(body)
    except ValidationError as error:
        raise InvalidRegister("排查工作设定有误，未保存；请按错误列表修改", flatten(error.messages, schema)) from None
