"""The words people write in roster cells for the contract's enumerations, as data.

Each table maps a folded spelling (labels.fold, then without a trailing 毕业 or 学历) to the contract's
value (schemas/vocab.py); a spelling missing here is a problem at its cell, never a guess.
"""
from __future__ import annotations

from schemas import vocab


def _table(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out = {}
    for value, spellings in groups.items():
        for spelling in (value,) + spellings:
            out[spelling] = value
    return out


GENDER = _table({"男": ("男性", "M"), "女": ("女性", "F")})

EDUCATION = _table({
    "研究生": ("硕士研究生", "博士研究生", "硕士", "博士", "在职研究生", "研究生班", "博士后", "硕士研究生及以上"),
    "大学本科": ("本科", "大学", "大本", "大学普通班", "本科及以上"),
    "大学专科": ("大专", "专科", "高职", "高职高专", "专科及以上"),
    "中专": ("中师", "中技", "中等专科", "中等专业", "中等专业学校", "中等师范", "技工学校", "技校", "中职",
             "职高", "职业高中", "中等职业教育"),
    "高中": ("普通高中", "高中、中技"),
    "初中及以下": ("初中", "小学", "小学及以下", "文盲", "半文盲", "初中及以下学历"),
})

MEMBER_TYPE = _table({"正式党员": ("正式",), "预备党员": ("预备",)})

PERSON_CATEGORY = _table({
    "在岗教职工": ("在职", "在岗", "在编", "在职在岗", "在职教职工", "在职教师", "在岗教师", "在职人员", "在岗人员",
                "教职工", "在职职工", "在岗职工"),
    "离退休人员": ("退休", "离休", "离退休", "退休人员", "离休人员", "离退休教师", "退休教师", "退休教职工",
                "退休职工", "离休干部", "已退休"),
    "其他": (),
})

PARTY_STATUS = _table({"正常": ("党籍正常",), "停止党籍": ("已停止党籍",)})

ETHNICITY = {name: name for name in vocab.ETHNICITIES} | {
    name[:-1]: name for name in vocab.ETHNICITIES if name.endswith("族")}

ENUMS = {"gender": GENDER, "ethnicity": ETHNICITY, "education": EDUCATION, "member_type": MEMBER_TYPE,
         "person_category": PERSON_CATEGORY, "party_status": PARTY_STATUS}
ENUM_VALUES = {"gender": vocab.GENDERS, "ethnicity": vocab.ETHNICITIES, "education": vocab.EDUCATIONS,
               "member_type": vocab.MEMBER_TYPES, "person_category": vocab.PERSON_CATEGORIES,
               "party_status": vocab.PARTY_STATUSES}
