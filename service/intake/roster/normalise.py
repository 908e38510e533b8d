"""A roster cell as the contract's value, the way people write it; what cannot be read is a problem.

Dates, phones and text go through the clerk workbook's own parsing (service.intake.values), so a
date or a phone reads the same whichever way it came in; the enumerations go through the spellings
in words.py. `fits` is the looser question the column mapping asks: does this value look like the
field at all (an ID number typed as a number looks like one, and is then refused cell by cell).
"""
from __future__ import annotations

import re

from schemas.fields import canonical_phone
from service.domain import idcard
from service.intake.spec import MEMBERS, Column
from service.intake.values import CellProblem, clean_text, half_width, parse

from .labels import FIELD_TITLES, fold
from .words import ENUM_VALUES, ENUMS

COLUMNS: dict[str, Column] = {c.path: c for c in MEMBERS.columns}
DATE_FIELDS = ("birth_date", "join_date", "full_member_date", "last_org_life_date", "last_dues_date")
TEXT_FIELDS = ("job_post", "home_address", "remarks")
_MONTH_COLUMN = Column("月份", "month", "month")

NUMBER_ID = "身份证号以数字形式保存，Excel 只保留 15 位有效数字，末尾几位已丢失：请把该列设为文本后重新输入"
OLD_ID = "这是15位的旧身份证号码，请填写18位公民身份号码"
BAD_PHONE = "电话号码无法识别：手机号应为11位，座机号须带区号，如 0519-86310611"

_E_NOTATION = re.compile(r"^\d(?:\.\d+)?E\+?\d+$")
_ID_SHAPE = re.compile(r"^(?:\d{17}[\dX]|\d{15})$")
_HANZI = "\u3400-\u9fff\U00020000-\U0003134f"  # CJK, extension A and the planes beyond the BMP (𠮷)
_NAME = re.compile(f"^[{_HANZI}A-Za-z·•.\\- ]{{2,30}}$")
_BETWEEN_HANZI = re.compile(f"(?<=[{_HANZI}])[\\s\u3000]+(?=[{_HANZI}])")
_PHONE_SPLIT = re.compile(r"[/、,，;；|]")
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」")
_NUMBER_RUN = re.compile(r"[+(（]?\d[\d\s\-—()（）.]*\d[Xx]?")
_DATE_LIKE = re.compile(r"^(?:19|20)\d{2}(?:[.\-/]\d{1,2}){1,2}$|^(?:19|20)\d{6}$")
# schemas.fields' canonical forms (mobile 13912345678, landline 0519-86310611), which canonical_phone keeps
_CANONICAL_PHONE = re.compile(r"^(?:1[3-9][0-9]{9}|0(?:10|2[0-9]|[3-9][0-9]{2})-[2-9][0-9]{6,7})$")
_TRAILING = re.compile(r"(毕业|学历)$")


def read(field: str, value):
    """The contract value of one cell for `field` (None when blank); CellProblem when unreadable,
    its message never repeating an ID or phone number the cell holds."""
    try:
        return _read(field, value)
    except CellProblem as problem:
        raise CellProblem(_private(str(problem))) from None


def _private(message: str) -> str:
    """An ID or phone number typed into the wrong column, hidden where a message quotes the cell."""
    return _QUOTED.sub(lambda quoted: hide_numbers(quoted.group()), message)


def hide_numbers(text: str) -> str:
    """Runs of seven digits or more (ID numbers, phones in any printed form) as …; dates stay."""
    return _NUMBER_RUN.sub(lambda m: m.group() if _DATE_LIKE.match(m.group()) or _digits(m.group()) < 7
                           else "…", text)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _read(field: str, value):
    if isinstance(value, str):
        value = clean_text(value)
    if value is None:
        return None
    if field in ENUMS:
        return _enum(field, value)
    if field == "id_number":
        return _id_number(value)
    if field == "phone":
        return _phone(value)
    if field == "birth_date":
        return _birth(value)
    if field in DATE_FIELDS:
        return parse(COLUMNS[field], value)[0]
    text = clean_text(value)
    return _BETWEEN_HANZI.sub("", text) if field == "name" else text


def fits(field: str, value, read=read) -> bool:
    """Does a non-empty value look like `field`? (The mapping's question; `read` is the cell's.)"""
    if field == "name":
        return isinstance(value, str) and bool(_NAME.match(value.strip())) and value.strip() not in ENUMS["gender"]
    if field == "id_number":
        return _id_like(value)
    if field in TEXT_FIELDS:
        return isinstance(value, str)
    if field in DATE_FIELDS:
        field = "birth_date"  # month precision is enough to recognise a date column
    try:
        return read(field, value) is not None
    except CellProblem:
        return False


def _birth(value) -> str:
    """A date, or a month (出生年月 1985.03), which against_id checks against the ID number."""
    try:
        return parse(COLUMNS["birth_date"], value)[0]
    except CellProblem as problem:
        try:
            return parse(_MONTH_COLUMN, value)[0]
        except CellProblem:
            raise problem from None


def _word(value) -> str:
    return _TRAILING.sub("", fold(clean_text(value))).upper()


def _enum(field: str, value) -> str:
    found = ENUMS[field].get(_word(value))
    if found is not None:
        return found
    allowed = ENUM_VALUES[field]
    shown = "、".join(allowed) if len(allowed) <= 8 else "56 个民族名称之一（如 汉族）或「其他」"
    raise CellProblem(f"「{clean_text(value)}」不是有效的{FIELD_TITLES[field]}，应为：{shown}")


def _id_like(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value >= 1e14
    text = half_width(str(value)).replace(" ", "").upper()
    return bool(_ID_SHAPE.match(text) or _E_NOTATION.match(text))


def _id_number(value) -> str:
    """An 18-character number with its check digit; an ID stored as a number is never taken."""
    if isinstance(value, bool):
        raise CellProblem("应为18位公民身份号码")
    if isinstance(value, (int, float)):
        if isinstance(value, float) or value >= 10 ** 15:
            raise CellProblem(NUMBER_ID)
        raise CellProblem(OLD_ID if value >= 10 ** 14 else "应为18位公民身份号码")
    text = half_width(clean_text(value)).replace(" ", "").upper()
    if _E_NOTATION.match(text):
        raise CellProblem(NUMBER_ID)
    if re.fullmatch(r"\d{15}", text):
        raise CellProblem(OLD_ID)
    problem = idcard.problem(text)
    if problem:
        raise CellProblem(problem)
    return text


def _phone(value) -> str:
    """The canonical phone; of several in one cell (手机/座机), the first readable one."""
    if isinstance(value, str) and _CANONICAL_PHONE.match(value):
        return value  # already canonical: phonenumbers' parse is the slow part of a big roster
    phone, _ = parse(COLUMNS["phone"], value)  # numbers too: Excel may have dropped an area code's 0
    for part in [phone] + _PHONE_SPLIT.split(str(phone)):
        canonical = canonical_phone(part) if part.strip() else None
        if canonical is not None:
            return canonical
    raise CellProblem(BAD_PHONE)


def against_id(member: dict) -> dict[str, str]:
    """{field: problem} where gender or birth date disagree with the ID number; a birth month that
    agrees is dropped (the contract derives the birth date from the number)."""
    number = member.get("id_number")
    birth = member.get("birth_date")
    problems = {}
    if birth is not None and len(birth) == 7:  # YYYY-MM
        del member["birth_date"]
        if number and f"{number[6:10]}-{number[10:12]}" != birth:
            problems["birth_date"] = "出生年月与公民身份号码中的出生日期不一致"
    elif birth is not None and number and idcard.birth_date(number).isoformat() != birth:
        problems["birth_date"] = "出生日期与公民身份号码中的出生日期不一致"
    gender = member.get("gender")
    if gender and number and idcard.gender(number) != gender:
        problems["gender"] = f"性别「{gender}」与公民身份号码不一致（按身份证号应为{idcard.gender(number)}）"
    return problems


class Memo:
    """`read` and `fits` for one roster, each worked out once per distinct value and field: a
    district's roster repeats 男, 汉族, 大学本科 thousands of times, and a value is read twice (to
    confirm its column, then as a cell). Kept for one call only: it holds ID numbers."""

    def __init__(self):
        self._read: dict[tuple, tuple] = {}
        self._fits: dict[tuple, bool] = {}

    def read(self, field: str, value):
        key = (field, type(value), value)
        hit = self._read.get(key)
        if hit is None:
            try:
                hit = (read(field, value), None)
            except CellProblem as problem:
                hit = (None, str(problem))
            self._read[key] = hit
        if hit[1] is not None:
            raise CellProblem(hit[1])
        return hit[0]

    def fits(self, field: str, value) -> bool:
        key = (field, type(value), value)
        hit = self._fits.get(key)
        if hit is None:
            hit = self._fits[key] = fits(field, value, self.read)
        return hit
