"""Cell values ↔ contract values: forgiving when reading what a clerk typed, exact when writing.

`parse(column, value, number_format)` returns `(contract_value, warning)` or raises `CellProblem`
with a Chinese message; `cell_value(column, contract_value)` returns `(cell_value, number_format)`.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from openpyxl.utils.datetime import from_excel, to_excel

from schemas.fields import canonical_phone

from .spec import NO, YES, Column

DATE_FORMAT, MONTH_FORMAT, TEXT_FORMAT = "yyyy-mm-dd", "yyyy-mm", "@"

TRUE_WORDS = {"是", "√", "✓", "✔", "Y", "YES", "TRUE", "T", "1", "对", "有"}
FALSE_WORDS = {"否", "×", "✗", "✘", "N", "NO", "FALSE", "F", "0", "不", "无"}

_FULL = str.maketrans(
    "０１２３４５６７８９ＸｘＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＹＺ－．／：　",
    "0123456789XxABCDEFGHIJKLMNOPQRSTUVWYZ-./: ",
)
_SEP = r"\s*[-./年月]\s*"
_FULL_DATE = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})\s*日?$")
_MONTH = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


class CellProblem(ValueError):
    """What is wrong with one cell's value, in Chinese."""


def half_width(text: str) -> str:
    """Full-width digits, letters and separators as their ASCII forms."""
    return text.translate(_FULL)


def clean_text(value) -> str | None:
    """A trimmed string, or None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
    if isinstance(value, date):
        value = value.isoformat()
    text = str(value).replace("\u200b", "").replace("\ufeff", "").strip()
    return text or None


def parse(column: Column, value, number_format: str = "General"):
    """The contract value for a cell, plus an optional warning; raises CellProblem."""
    if isinstance(value, str) or value is None:
        value = clean_text(value)
    if value is None:
        return None, None
    kind = column.kind
    if kind in ("date", "month"):
        return _parse_date(value, number_format, month_ok=kind == "month"), None
    if kind == "bool":
        return _parse_bool(value), None
    if kind == "enum":
        return _parse_enum(column, value), None
    if kind == "id":
        return _parse_id(value)
    if kind == "phone":
        return _parse_phone(value)
    if kind == "int":
        return _parse_int(value), None
    if kind == "lines":
        lines = [line.strip() for line in clean_text(value).splitlines()]
        return [line for line in lines if line] or None, None
    return clean_text(value), None


def _parse_date(value, number_format: str, month_ok: bool) -> str:
    example = "2023-07 或 2023-07-01" if month_ok else "2023-07-01"
    if isinstance(value, date) and value.year < 1910:  # a number such as 2023.7 in a date-formatted cell
        return _parse_number_date(float(to_excel(value)), month_ok, example)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if month_ok and value.day == 1 and "d" not in (number_format or "").lower():
            return f"{value.year:04d}-{value.month:02d}"
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _parse_number_date(float(value), month_ok, example)
    text = half_width(str(value)).strip()
    match = _FULL_DATE.match(text)
    if match:
        return _real_date(*map(int, match.groups()), text)
    match = _MONTH.match(text) or _COMPACT.match(text)
    if match:
        year, month, day = match.group(1), match.group(2), match.groups()[2] if len(match.groups()) > 2 else None
        if day:
            return _real_date(int(year), int(month), int(day), text)
        if not month_ok:
            raise CellProblem(f"应填写到日，如 {example}，现为“{text}”")
        if not 1 <= int(month) <= 12:
            raise CellProblem(f"月份“{month}”不存在")
        return f"{int(year):04d}-{int(month):02d}"
    raise CellProblem(f"日期“{text}”无法识别，请填写如 {example}")


def _real_date(year: int, month: int, day: int, text: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise CellProblem(f"“{text}”不是有效的日期") from None


def _parse_number_date(number: float, month_ok: bool, example: str) -> str:
    """Excel turned what the clerk typed into a number: 2023.7 (a month) or a date serial."""
    if 1900 <= number < 2100:
        text = repr(round(number, 2))
        year, _, frac = text.partition(".")
        if not month_ok:
            raise CellProblem(f"应填写到日，如 {example}，现为“{text}”")
        if frac in ("", "0"):
            raise CellProblem(f"只填了年份“{year}”，请填写如 {example}")
        if frac == "1":
            raise CellProblem(f"“{text}”被 Excel 当作数字，无法区分1月和10月，请填写为 {year}-01 或 {year}-10")
        month = int(frac)
        if not 1 <= month <= 12:
            raise CellProblem(f"“{text}”不是有效的年月")
        return f"{int(year):04d}-{month:02d}"
    if 19000000 <= number <= 21001231 and number.is_integer():
        compact = str(int(number))
        return _real_date(int(compact[:4]), int(compact[4:6]), int(compact[6:]), compact)
    if 3000 < number < 80000:  # a date serial in a cell formatted as a number
        return from_excel(number).date().isoformat()
    raise CellProblem(f"“{number:g}”不是日期，请填写如 {example}")


def _parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = half_width(clean_text(value)).upper()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellProblem(f"应填写“是”或“否”，现为“{clean_text(value)}”")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _parse_enum(column: Column, value) -> str:
    text = clean_text(value)
    folded = _fold(text)
    for allowed in column.values:
        if _fold(allowed) == folded:
            return allowed
    shown = "、".join(column.values) if len(column.values) <= 12 else "下拉列表中的一项"
    raise CellProblem(f"应为{shown}，现为“{text}”")


def _parse_id(value):
    if isinstance(value, bool):
        raise CellProblem("应为18位公民身份号码")
    if isinstance(value, float) and not value.is_integer():
        raise CellProblem("公民身份号码被存成了带小数的数字，请将单元格设为文本后重新输入")
    if isinstance(value, (int, float)):
        digits = str(int(value))
        if isinstance(value, float) and len(digits) > 15:
            raise CellProblem(
                f"公民身份号码被 Excel 存成了数字（显示为 {float(value):.5E}），后几位已丢失；"
                "请将该单元格设为文本格式后重新输入完整号码"
            )
        return digits, "公民身份号码以数字形式保存，建议将单元格设为文本格式，以免 Excel 改写末几位"
    text = half_width(clean_text(value)).replace(" ", "").upper()
    return text, None


def _parse_phone(value):
    """The canonical phone (schemas.fields.canonical_phone) for any printed form; what the schema
    cannot read goes on as typed, and the schema's message lands on this cell."""
    if isinstance(value, float) and not value.is_integer():
        raise CellProblem("电话号码被 Excel 存成了带小数的数字，请将单元格设为文本后重新输入，如 0519-86310611")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))
        phone = canonical_phone(digits)
        if phone is None and 9 <= len(digits) <= 11 and digits[0] != "1":  # Excel dropped the area code's 0
            phone = canonical_phone("0" + digits)
            if phone is not None:
                return phone, "电话号码被 Excel 存成了数字，区号开头的 0 已丢失，已补上；建议将单元格设为文本格式"
        return phone or digits, None
    text = clean_text(value)
    return canonical_phone(text) or half_width(text).replace(" ", ""), None


def _parse_int(value) -> int:
    if isinstance(value, bool):
        raise CellProblem("应为整数")
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    text = half_width(clean_text(value))
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise CellProblem(f"应为整数，现为“{text}”")


# ---- writing ------------------------------------------------------------------------------------

def cell_value(column: Column, value):
    """The cell value and number format that the reader turns back into `value`."""
    if value is None:
        return None, _format(column)
    kind = column.kind
    if kind in ("date", "month") and isinstance(value, str):
        month = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if month:
            return date(int(month.group(1)), int(month.group(2)), 1), MONTH_FORMAT
        try:
            return date.fromisoformat(value), DATE_FORMAT
        except ValueError:
            return value, TEXT_FORMAT
    if kind in ("date", "month") and isinstance(value, date):
        return value, DATE_FORMAT
    if kind == "bool" and isinstance(value, bool):
        return (YES if value else NO), TEXT_FORMAT
    if kind == "lines" and isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value), TEXT_FORMAT
    if kind == "int" and isinstance(value, int):
        return value, "0"
    return str(value), TEXT_FORMAT


def _format(column: Column) -> str:
    return {"date": DATE_FORMAT, "month": MONTH_FORMAT, "int": "0"}.get(column.kind, TEXT_FORMAT)


column_format = _format
