"""The district's request bodies beside the dataset: a batch, the 核查 of a version, and a 报送.

Each is checked once, here, whichever way it came (the API's JSON, a district page's form, `paicha
batch`): the caller builds the body and calls load_batch, load_review or load_deliver, and gets the typed request
or the one error (422) with every problem in Chinese at its JSON path. Unlike the dataset, these
bodies are taken as sent: no trimming, and blank text is text — what the OpenAPI document says of
them is exactly what is accepted.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from service.domain import catalog, review
from service.errors import InvalidBatch, InvalidDataset, InvalidSpotCheck

from .errors import flatten
from .fields import NULL, REQUIRED, MaxLength
from .objects import Base

CODE = r"^[A-Za-z0-9]{1,16}$"  # a branch's code (org.code)
MAX_BRANCHES = 10000
ACTOR_MAX = 100
TEXT = "应为文本（字符串）"


def _text(message: str = TEXT, **kwargs) -> fields.String:
    """A string field whose wrong type or null says `message`."""
    return fields.String(error_messages={"invalid": message, "null": message, "required": REQUIRED}, **kwargs)


def _list(inner: fields.Field, message: str, **kwargs) -> fields.List:
    return fields.List(inner, error_messages={"invalid": message, "null": NULL}, **kwargs)


# ---- POST /api/v1/batches, the district's 批量生成 form, `paicha batch` --------------------------------------


@dataclass(frozen=True)
class BatchRequest:
    branches: Optional[list[str]]  # None: every branch
    packages: list[str]
    format: str
    actor: Optional[str] = None  # who asked, as they name themselves


BRANCHES = f"branches 应为 1–{MAX_BRANCHES} 个支部编号的数组；省略则为全部支部"
BRANCH_CODE = "支部编号应为 1–16 位字母或数字"
PACKAGES = "packages 应为材料包编号的非空数组；省略则为四项报送材料"
FORMAT = f"format 应为 {'、'.join(catalog.BATCH_FORMATS)} 之一"
ACTOR = f"actor（发起人）应为不超过 {ACTOR_MAX} 个字的文字"


class BatchRequestSchema(Base):
    """POST /api/v1/batches 的请求体；全部字段可省略。"""

    error_messages = {**Base.error_messages, "type": "请求体应为 JSON 对象，如 {\"format\": \"office\"}"}

    branches = _list(_text(BRANCH_CODE, required=True, validate=validate.Regexp(CODE, error=BRANCH_CODE)), BRANCHES,
                     allow_none=True, validate=validate.Length(min=1, max=MAX_BRANCHES, error=BRANCHES),
                     metadata={"description": "支部编号；省略或为 null 时为全部已报送的支部"})
    packages = _list(_text(required=True, validate=validate.OneOf(
                         catalog.PACKAGE_IDS, error=f"没有材料包「{{input}}」，可用的有：{'、'.join(catalog.PACKAGE_IDS)}")),
                     PACKAGES, allow_none=True, validate=validate.Length(min=1, error=PACKAGES), metadata={
                         "description": f"材料包编号；省略或为 null 时为四项报送材料（{', '.join(catalog.DELIVERABLE_IDS)}）"})
    format = _text(FORMAT, load_default=catalog.OFFICE, validate=validate.OneOf(catalog.BATCH_FORMATS, error=FORMAT),
                   metadata={"description": "office（缺省，Word/Excel）、pdf 或 both（两种都生成）；"
                                            + "、".join(p.id for p in catalog.PACKAGE_LIST if p.pdf_only)
                                            + " 只有 PDF，总是生成 PDF"})
    actor = _text(ACTOR, allow_none=True, validate=validate.Length(max=ACTOR_MAX, error=ACTOR),
                  metadata={"description": "发起人（自由填写，可省略）"})

    @post_load
    def _request(self, data: dict, **kwargs) -> BatchRequest:
        branches, packages = data.get("branches"), data.get("packages")
        return BatchRequest(list(dict.fromkeys(branches)) if branches is not None else None,
                            list(dict.fromkeys(packages)) if packages is not None else list(catalog.DELIVERABLE_IDS),
                            data["format"], data.get("actor"))


def load_batch(body) -> BatchRequest:
    """The batch request, or InvalidBatch listing every problem."""
    return _load(BatchRequestSchema(), body, lambda errors: InvalidBatch("批量生成的请求有误，请按错误列表修改", errors))


# ---- POST /api/v1/branches/<code>/versions/<n>/review, the district's 核查 form ------------------------------


@dataclass(frozen=True)
class ReviewRequest:
    decision: str
    reason: Optional[str]  # trimmed; None when blank
    reviewer: Optional[str]  # the free text a reviewer adds to who they are signed in as; None when blank


DECISION = "核查结论应为 verified（已核查）或 returned（退回修改）"
REASON_NEEDED = "退回修改须写明原因"
REASON_RULE = "reason：decision 为 returned（退回修改）时必填，去除空白后不能为空"


class ReviewBodySchema(Base):
    """核查结论。"""

    decision = fields.String(required=True, validate=validate.OneOf(review.DECISIONS, error=DECISION), error_messages={
        "required": "缺少必填项：核查结论 decision（verified 或 returned）", "null": DECISION, "invalid": DECISION},
        metadata={"description": "verified：已核查；returned：退回修改"})
    reason = _text(allow_none=True, validate=MaxLength(review.REASON_MAX, unit="字"), metadata={
        "description": f"原因；退回修改时必填（去除空白后不能为空），不超过 {review.REASON_MAX} 字"})
    reviewer = _text(allow_none=True, validate=MaxLength(review.REVIEWER_MAX, unit="字"),
                     metadata={"description": "核查人（自由文本）"})

    @validates_schema
    def _reason(self, data: dict, **kwargs) -> None:
        if data["decision"] == review.RETURNED and not (data.get("reason") or "").strip():
            raise ValidationError(REASON_NEEDED, "reason")

    @post_load
    def _request(self, data: dict, **kwargs) -> ReviewRequest:
        return ReviewRequest(data["decision"], (data.get("reason") or "").strip() or None,
                             (data.get("reviewer") or "").strip() or None)


def load_review(body) -> ReviewRequest:
    """The review, or InvalidDataset (422) listing every problem."""
    return _load(ReviewBodySchema(), body, lambda errors: InvalidDataset(errors, "核查结论未能记录，请按错误列表修改"))


# ---- POST /api/v1/district/spot-checks, the district's 随机抽查 form ------------------------------------------


@dataclass(frozen=True)
class SpotCheckRequest:
    branches: int
    members: int
    seed: Optional[int]  # None: the service picks one (and prints it)
    weighted: bool


MAX_SAMPLE_BRANCHES = 1000
MAX_SAMPLE_MEMBERS = 500
MAX_SEED = 2 ** 53 - 1  # what a browser's number holds exactly
SAMPLE_BRANCHES = f"branches（抽取的党组织数）应为 1–{MAX_SAMPLE_BRANCHES} 的整数"
SAMPLE_MEMBERS = f"members（每个党组织抽取的党员数）应为 1–{MAX_SAMPLE_MEMBERS} 的整数"
SEED = f"seed（随机种子）应为 0–{MAX_SEED} 的整数；省略则由系统选取"
WEIGHTED = "weighted 应为 true 或 false"


class _StrictBoolean(fields.Boolean):
    """true or false only: not 0, 1 or "true" (Python's 0 == False would let 0 pass a plain Boolean)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def _whole(message: str, low: int, high: int, **kwargs) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=low, max=high, error=message),
                          error_messages={"invalid": message, "null": message, "required": message}, **kwargs)


class SpotCheckRequestSchema(Base):
    """随机抽查：抽取 branches 个党组织、每个 members 名党员。"""

    error_messages = {**Base.error_messages, "type": "请求体应为 JSON 对象，如 {\"branches\": 5, \"members\": 3}"}

    branches = _whole(SAMPLE_BRANCHES, 1, MAX_SAMPLE_BRANCHES, required=True,
                      metadata={"description": "抽取的党组织数（多于有有效数据的党组织时全部抽取）"})
    members = _whole(SAMPLE_MEMBERS, 1, MAX_SAMPLE_MEMBERS, required=True,
                     metadata={"description": "每个党组织抽取的党员数（多于其排查对象时全部列入）"})
    seed = _whole(SEED, 0, MAX_SEED, allow_none=True,
                  metadata={"description": "随机种子：同一种子、同样的数据抽出同样的样本；省略或为 null 时由系统选取"})
    weighted = _StrictBoolean(load_default=False,
                              error_messages={"invalid": WEIGHTED, "null": WEIGHTED},
                              metadata={"description": "true：按三查三核提示条数加权，提示多的党组织更易抽中"})

    @post_load
    def _request(self, data: dict, **kwargs) -> SpotCheckRequest:
        return SpotCheckRequest(data["branches"], data["members"], data.get("seed"), data["weighted"])


def load_spot_check(body) -> SpotCheckRequest:
    """The 随机抽查 request, or InvalidSpotCheck (422) listing every problem."""
    return _load(SpotCheckRequestSchema(), body,
                 lambda errors: InvalidSpotCheck("随机抽查的请求有误，请按错误列表修改", errors))


def _load(schema: Schema, body, refuse):
    try:
        return schema.load(body)
    except ValidationError as error:
        raise refuse(flatten(error.messages, schema)) from None


VERSION = "version 应为正整数（通过校验的版本号）；省略则报送最新的通过校验的版本"


class DeliverBodySchema(Base):
    """报送一项材料：报送哪一版（省略则为最新的通过校验的版本）。"""

    version = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=1_000_000, error=VERSION),
                             error_messages={"invalid": VERSION, "null": VERSION},
                             metadata={"description": "要报送的版本号；省略则为最新的通过校验的版本"})

    @post_load
    def _version(self, data: dict, **kwargs) -> Optional[int]:
        return data.get("version")


def load_deliver(body) -> Optional[int]:
    """The version asked to be sent (None: the newest valid one), or InvalidDataset (422) listing every problem."""
    return _load(DeliverBodySchema(), body, lambda errors: InvalidDataset(errors, "报送未能进行，请按错误列表修改"))
