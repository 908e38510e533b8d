"""Custom marshmallow fields for the contract: trimmed safe text, strict dates, phones, ID numbers,
Chinese enumerations — each with Chinese error messages instead of marshmallow's English ones."""
from __future__ import annotations

import re
from datetime import date, datetime

from marshmallow import ValidationError, fields, validate

from service.domain import idcard
from service.domain.model import MonthDate as MonthValue

REQUIRED = "缺少必填项"
NULL = "不能为空（null）"

# XML 1.0 forbids these; lone surrogates cannot be encoded at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_ISO_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-[0-9]{7,8}$")

# What the OpenAPI document says of each field: JSON Schema keywords set as field metadata, which
# apispec copies. Patterns read the same in ECMA-262 and Python and describe the value as it should be
# sent; the service also trims it, and takes blank optional text as absent.
_TEXT_FORBIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"  # _XML_ILLEGAL
_LINE_FORBIDDEN = r"\x00-\x1f\x7f\ufffe\uffff"  # _CONTROL as well


def text_pattern(single_line: bool = False, required: bool = False, forbidden: str = "") -> str:
    """Text without the characters a field refuses (and `forbidden`); required text must also keep
    a character after trimming (str.strip() removes \\s, U+001C–U+001F and U+0085)."""
    bad = (_LINE_FORBIDDEN if single_line else _TEXT_FORBIDDEN) + "".join(
        "\\" + ch if ch in "\\]^-" else ch for ch in forbidden)
    if not required:
        return f"^[^{bad}]*$"
    return f"^[^{bad}]*[^\\s\\x85{bad}][^{bad}]*$"


_YEAR = r"([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"  # 0001–9999, as Python's dates
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
MONTH_PATTERN = f"^{_YEAR}-{_MONTH}$"
PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})$"  # _MOBILE or _LANDLINE
ID_PATTERN = f"^[0-9]{{6}}{_YEAR}{_MONTH}{_DAY}[0-9]{{3}}[0-9Xx]$"  # the check digit is a rule of its own


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


class ChineseMessages:
    """Mixin: Chinese defaults, and optional fields that treat null or blank text as absent."""

    default_error_messages = {"required": REQUIRED, "null": NULL, "validator_failed": "值无效"}

    def __init__(self, *args, **kwargs):
        if not kwargs.get("required"):
            kwargs.setdefault("allow_none", True)
        super().__init__(*args, **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            if not self.required:
                return None
            raise ValidationError("不能为空")
        return super().deserialize(value, attr, data, **kwargs)


class SafeString(ChineseMessages, fields.String):
    """Trimmed text without the characters XML 1.0 forbids; `single_line` also forbids tabs and
    line breaks (names, titles)."""

    default_error_messages = {"invalid": "应为文本（字符串）", "invalid_utf8": "不是有效的 UTF-8 文本"}
    documents_text = True  # the OpenAPI pattern lists the characters it takes (enumerations say more)

    def __init__(self, *args, single_line: bool = False, **kwargs):
        self.single_line = single_line
        super().__init__(*args, **kwargs)
        if self.documents_text:
            self.metadata.setdefault("pattern", text_pattern(single_line, self.required))

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        bad = _XML_ILLEGAL.search(text)
        if bad:
            raise ValidationError(f"含有不允许的控制字符（{_codepoint(bad.group())}），请删除")
        if self.single_line:
            bad = _CONTROL.search(text)
            if bad:
                raise ValidationError(f"不能含有换行、制表等控制字符（{_codepoint(bad.group())}）")
        return text


class _OneOf(validate.OneOf):
    """OneOf whose message lists the values the Chinese way (A、B、C)."""

    def __init__(self, choices, error=None):
        super().__init__(choices, error=error or "「{input}」不是有效值，应为：{choices}")
        self.choices_text = "、".join(self.choices)


class _OneEthnicity(_OneOf):
    """A name written without 族 (汉) gets a pointed hint instead of 57 names."""

    def __call__(self, value):
        if value in self.choices:
            return value
        if f"{value}族" in self.choices:
            raise ValidationError(f"「{value}」不是有效值，应为「{value}族」")
        raise ValidationError(
            f"「{value}」不是有效的民族，应为 GB/T 3304 的 56 个民族名称之一（汉族、蒙古族、回族……）或「其他」"
        )


class Enum(SafeString):
    """A Chinese enumeration; the error lists every allowed value."""

    one_of = _OneOf
    documents_text = False  # apispec lists the choices as `enum`

    def __init__(self, choices, *args, **kwargs):
        self.choices = tuple(choices)
        super().__init__(*args, validate=self.one_of(self.choices), **kwargs)


class Ethnicity(Enum):
    one_of = _OneEthnicity


class Pattern(SafeString):
    """Text matching a regular expression, with a Chinese message that shows the value."""

    def __init__(self, regex: str, message: str, *args, **kwargs):
        self.regex = re.compile(regex)
        self.message = message
        kwargs.setdefault("metadata", {}).setdefault("pattern", regex)
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not self.regex.match(text):
            raise ValidationError(self.message.format(input=text))
        return text


class Phone(SafeString):
    """Mobile 1[3-9] + 9 digits, or landline area code - 7 or 8 digits (0519-86310611)."""

    def __init__(self, *args, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("pattern", PHONE_PATTERN)
        metadata.setdefault("description", "手机号 1[3-9] 开头11位，或座机 区号-7/8位号码（如 0519-86310611）")
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not (_MOBILE.match(text) or _LANDLINE.match(text)):
            raise ValidationError(
                f"电话号码「{text}」格式不正确：手机号应为11位数字（1开头），座机应为区号-号码，如 0519-86310611"
            )
        return text


class IdNumber(SafeString):
    """公民身份号码: 18 characters, real birth date, GB 11643 check digit; `x` becomes `X`."""

    def __init__(self, *args, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("pattern", ID_PATTERN)
        metadata.setdefault("description", "18位公民身份号码；第7–14位为真实的出生日期，末位为 GB 11643 校验码（x 按 X 处理）")
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = idcard.normalise(super()._deserialize(value, attr, data, **kwargs))
        problem = idcard.problem(text)
        if problem:
            raise ValidationError(problem)
        return text


def _parse_date(text: str) -> date:
    m = _ISO_DATE.match(text)
    if not m:
        raise ValidationError(f"日期格式应为 YYYY-MM-DD，现为「{text}」")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError(f"日期无效：{text}") from None


def _check_type(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValidationError("日期应为文本，格式 YYYY-MM-DD")
    return None


class Date(ChineseMessages, fields.Date):
    """Strict ISO date `YYYY-MM-DD`; an impossible day (2023-02-30) is named as such."""

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = _check_type(value)
        return parsed if parsed is not None else _parse_date(value.strip())

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else date(value.year, value.month, value.day).isoformat()


class MonthDate(ChineseMessages, fields.String):
    """A date that may be known only to the month: `YYYY-MM` (→ model.MonthDate) or `YYYY-MM-DD`."""

    def __init__(self, *args, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("anyOf", [{"type": "string", "format": "date"},
                                      {"type": "string", "pattern": MONTH_PATTERN}])
        metadata.setdefault("description", "日期 YYYY-MM-DD，或只到月份 YYYY-MM")
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = _check_type(value)
        if parsed is not None:
            return parsed
        text = value.strip()
        m = _ISO_MONTH.match(text)
        if m:
            if not 1 <= int(m[2]) <= 12 or int(m[1]) < 1:  # year 0000 is no date (was a 500)
                raise ValidationError(f"日期无效：{text}")
            return MonthValue(int(m[1]), int(m[2]))
        if not _ISO_DATE.match(text):
            raise ValidationError(f"日期格式应为 YYYY-MM 或 YYYY-MM-DD，现为「{text}」")
        return _parse_date(text)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()



class Boolean(ChineseMessages, fields.Boolean):
    """A JSON true/false; 1, "yes" and the like are refused so a typo cannot flip a flag."""

    default_error_messages = {"invalid": "应为 true 或 false"}

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid")


class List(ChineseMessages, fields.List):
    default_error_messages = {"invalid": "应为数组（列表）"}


class Nested(ChineseMessages, fields.Nested):
    default_error_messages = {"type": "应为 JSON 对象"}


class MaxLength(validate.Length):
    """A length limit (apispec writes it as maxLength / maxItems) with a Chinese message that gives
    the length found; text is measured after trimming, in characters (code points), as JSON Schema does."""

    def __init__(self, max: int, unit: str = "个字"):
        super().__init__(max=max)
        self.unit = unit

    def __call__(self, value):
        if len(value) > self.max:
            raise ValidationError(f"不能超过 {self.max} {self.unit}，现为 {len(value)} {self.unit}")
        return value


def max_items(n: int) -> MaxLength:
    return MaxLength(n, unit="条")
