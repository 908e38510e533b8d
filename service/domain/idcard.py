"""公民身份号码 (GB 11643-1999): check digit, birth date, gender digit."""
from __future__ import annotations

from datetime import date
import re
from typing import Optional

_DIGITS = re.compile("[0-9]+")  # ASCII digits only: str.isdigit() also takes ² and ٣

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def normalise(raw: str) -> str:
    """Trimmed, with the check character upper-case (`x` is accepted and printed `X`)."""
    return raw.strip().upper()


def check_char(first17: str) -> str:
    """The check character the first 17 digits call for."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def birth_date(id_number: str) -> Optional[date]:
    """Digits 7–14 as a date, or None when they are not a real date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def gender(id_number: str) -> str:
    """男 for an odd 17th digit, 女 for an even one."""
    return "男" if int(id_number[16]) % 2 else "女"


def problem(id_number: str) -> Optional[str]:
    """A Chinese description of what is wrong with the number, or None when it is valid."""
    if len(id_number) != 18:
        return f"公民身份号码应为18位，现为{len(id_number)}位"
    if not _DIGITS.fullmatch(id_number[:17]) or id_number[17] not in "0123456789X":
        return "公民身份号码前17位应为数字，末位为数字或X"
    if birth_date(id_number) is None:
        return f"公民身份号码第7–14位“{id_number[6:14]}”不是有效的出生日期"
    expected = check_char(id_number[:17])
    if id_number[17] != expected:
        return f"公民身份号码校验位错误：末位应为 {expected}，现为 {id_number[17]}"
    return None


def mask(id_number: str) -> str:
    """3204**********123X: enough to recognise a member, not enough to misuse the number."""
    return id_number[:4] + "*" * 10 + id_number[14:]
