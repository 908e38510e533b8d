"""The column labels real rosters use, as data: one place to add the next spelling a school sends.

A label only proposes a field; the column's values must confirm it (columns.py). Matching is exact
after folding (width, spaces, line breaks, a bracketed hint such as （必填） or (yyyy-mm-dd) and
marks like * do not matter), or the label inside a longer header (「党员姓名」 holds 「姓名」); there is
no edit distance, which would take 姓名 for 性别. 人员类别 proposes two fields: its values decide.
"""
from __future__ import annotations

import re
import unicodedata

from service.intake.spec import MEMBERS

# field → labels, the most telling first (a column with a better label wins a field two columns claim)
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名", "名字"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "公民身份证号", "公民身份证号码", "身份证",
                  "身份证件号码", "证件号码", "证件号"),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "出生时间", "生日"),
    "education": ("学历", "最高学历", "文化程度", "全日制学历", "学历层次"),
    "member_type": ("党员类别", "党员身份", "人员类别", "党员类型"),
    "join_date": ("入党时间", "入党日期", "加入党组织日期", "加入中国共产党日期", "入党年月", "入党时间（支部大会通过）"),
    "full_member_date": ("转正时间", "转正日期", "转为正式党员日期", "转正年月"),
    "person_category": ("人员类别", "在职情况", "在岗情况", "工作状态", "人员状态", "在职状态"),
    "job_post": ("工作岗位", "职务", "岗位", "现任职务", "工作岗位及职务", "行政职务", "现职务"),
    "phone": ("手机号", "手机号码", "联系电话", "联系方式", "手机", "移动电话", "电话", "电话号码",
              "固定电话", "办公电话", "座机"),
    "home_address": ("现居住地", "家庭住址", "居住地址", "家庭地址", "现住址", "现居住地址", "住址",
                     "居住地", "通讯地址"),
    "party_status": ("党籍状态", "党籍"),
    "last_org_life_date": ("最近参加组织生活日期", "最后参加组织生活时间", "最近参加组织生活时间"),
    "last_dues_date": ("最近交纳党费月份", "党费交纳至", "党费缴纳至", "党费交至", "党费缴至", "最近缴纳党费月份"),
    "remarks": ("备注",),
}

# Headers rosters carry that are no member fact of the contract: they help find the header row and
# are named when ignored.
OTHER_LABELS = (
    "序号", "编号", "所在党支部", "所在支部", "党支部", "所在党组织", "党组织名称", "工作单位", "单位", "单位名称",
    "部门", "籍贯", "出生地", "学位", "毕业院校", "毕业学校", "专业", "所学专业", "职称", "专业技术职务", "党内职务",
    "参加工作时间", "参加工作日期", "户籍所在地", "户籍地", "照片", "年龄", "党龄", "入党介绍人", "婚姻状况",
    "政治面貌", "人员身份", "工号", "邮箱", "电子邮箱", "QQ", "微信", "是否流动党员", "是否失联党员",
)

# The contract's own words for each field, as the clerk workbook's 党员名册 heads its columns.
FIELD_TITLES: dict[str, str] = {c.path: c.header for c in MEMBERS.columns if c.path in FIELD_LABELS}

_HINT = re.compile(r"[（(\[【<《][^）)\]】>》]*[）)\]】>》]")
_NOISE = re.compile(r"[\s*＊★☆※:：#]")


def fold(text) -> str:
    """A header as labels are compared: NFKC, no bracketed hint, no spaces or marks."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return _NOISE.sub("", _HINT.sub("", text))


def _folded_table() -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    for field, labels in FIELD_LABELS.items():
        for rank, label in enumerate(labels):
            out.setdefault(fold(label), []).append((field, rank))
    return out


_EXACT = _folded_table()
_OTHER = {fold(label) for label in OTHER_LABELS}
_BY_LENGTH = sorted(_EXACT, key=len, reverse=True)
_LONGEST_HEADER = 16  # a longer text is a title or a note, not a column's label


def proposals(header: str) -> list[tuple[str, str, int]]:
    """(field, the label that matched, rank) for one header text, best first: exact, then the longest
    label inside it (two labels of 2+ characters, as 身份证 inside 公民身份证号码)."""
    text = fold(header)
    if not text:
        return []
    if text in _EXACT:
        return [(field, text, rank) for field, rank in _EXACT[text]]
    if text in _OTHER or len(text) > _LONGEST_HEADER:
        return []
    for label in _BY_LENGTH:
        if len(label) >= 2 and label in text:
            return [(field, label, 100 + rank) for field, rank in _EXACT[label]]
    return []


def is_field_label(header) -> bool:
    """A text that proposes a member field."""
    return bool(proposals(header))


def is_label(header, exact: bool = False) -> bool:
    """A text some roster puts in its header row: a member field's label or another known one
    (`exact`: the whole text is one, not a label inside a longer text)."""
    text = fold(header)
    if text in _EXACT or text in _OTHER:
        return True
    return not exact and is_field_label(text)


def other_label(header) -> bool:
    """A known header that is no member fact of the contract (序号, 工作单位 …)."""
    return fold(header) in _OTHER
