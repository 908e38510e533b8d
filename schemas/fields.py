"""Custom marshmallow fields for the contract: trimmed safe text, strict dates, phones, ID numbers,
Chinese enumerations — each with Chinese error messages instead of marshmallow's English ones."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import phonenumbers
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
# the canonical landline: 0 + area code (010, 02x, or three digits from 3–9) - subscriber (7–8 digits, not
# starting 0/1), optionally 转 + extension
_LANDLINE = re.compile(r"^0(?:10|2[0-9]|[3-9][0-9]{2})-[2-9][0-9]{6,7}(?:转[0-9]{1,6})?$")

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


# What str.strip() removes, as a pattern that reads the same in ECMA-262 and Python: text of these only is
# blank, and an optional field takes blank as absent (ChineseMessages)
_SPACES = "".join(f"\\u{ord(ch):04x}" for ch in map(chr, range(0x10000)) if ch.isspace())
BLANK_PATTERN = f"^[{_SPACES}]*$"

_YEAR = r"([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"  # 0001–9999, as Python's dates
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
MONTH_PATTERN = f"^{_YEAR}-{_MONTH}$"
ID_PATTERN = f"^[0-9]{{6}}{_YEAR}{_MONTH}{_DAY}[0-9]{{3}}[0-9Xx]$"  # the check digit is a rule of its own


def _digits(lo: str, hi: str | None = None) -> str:
    """ASCII digits lo–hi and their full-width forms (０–９), as one character class."""
    full = lambda ch: chr(ord("０") + int(ch))  # noqa: E731
    if hi is None:
        return f"[{lo}{full(lo)}]"
    return f"[{lo}-{hi}{full(lo)}-{full(hi)}]"


# The printed forms a Phone takes, as one regular expression that reads the same in ECMA-262 and Python:
# the field's gate and the OpenAPI pattern both. Digits may be full-width; up to three separators
# (spaces, hyphens, en/em dashes, dots) between any two digits; the area code may stand in parentheses;
# +86 or 0086 in front (also in parentheses, with an optional (0) after it; a bare 86 is not, as
# 86310611-8001 would read +86 310 6118001); an extension after
# 转, 分机 or a hyphen. A landline without its area code is not among them.
_D = _digits("0", "9")
_SEP = "[ \u3000.．\\-－–—]"  # ASCII and full-width space, dot, hyphen; en and em dash
_S = f"{_SEP}{{0,3}}"
_L, _R = "[(（]", "[)）]"
_ZERO = _digits("0")
_CC_CORE = f"(?:[+＋]{_S}|{_ZERO}{_S}{_ZERO}{_S}){_digits('8')}{_S}{_digits('6')}"  # not a bare 86: 8631… is local
_CC = f"(?:{_CC_CORE}|{_L}{_S}{_CC_CORE}{_S}{_R})"
_AREA = f"(?:{_digits('1')}{_S}{_ZERO}|{_digits('2')}{_S}{_D}|{_digits('3', '9')}{_S}{_D}{_S}{_D})"
_AREA_NATIONAL = f"(?:{_ZERO}{_S}{_AREA}|{_L}{_S}{_ZERO}{_S}{_AREA}{_S}{_R})"
_AREA_AFTER_CC = (f"{_S}(?:{_L}{_S}{_ZERO}{_S}{_R}{_S}|{_ZERO}{_S})?{_AREA}"  # +86 519, +86 (0)519, +86 0519
                  f"|{_S}{_L}{_S}(?:{_ZERO}{_S})?{_AREA}{_S}{_R}")  # +86 (519), +86 (0519)
_SUBSCRIBER = f"{_digits('2', '9')}(?:{_S}{_D}){{6,7}}"
_EXTENSION = f"(?:{_S}(?:转|分机){_S}|{_S}[\\-－–—]{_S}){_D}{{1,6}}"
_MOBILE_PRINTED = f"(?:{_CC}{_S})?{_digits('1')}{_S}{_digits('3', '9')}(?:{_S}{_D}){{9}}"
_LANDLINE_PRINTED = f"(?:{_AREA_NATIONAL}|{_CC}(?:{_AREA_AFTER_CC})){_S}{_SUBSCRIBER}(?:{_EXTENSION})?"
PHONE_PATTERN = f"^(?:{_MOBILE_PRINTED}|{_LANDLINE_PRINTED})$"


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


_PHONE_GATE = re.compile(PHONE_PATTERN)
_DASHES = str.maketrans(dict.fromkeys("–—", "-"))  # NFKC folds － and 　 but keeps the dashes
_EXPLICIT_EXTENSION = re.compile(r"^(.*?)[ .-]*(?:转|分机)[ .-]*([0-9]{1,6})$")
_HYPHEN_EXTENSION = re.compile(r"^(.*?)[ .-]*-[ .]*([0-9]{1,6})$")
_LOCAL_ONLY = re.compile(r"^[2-9][0-9]{6,7}$")
# 0086 in front is the country code (no national number starts 00): written +86 for phonenumbers
_COUNTRY_CODE = re.compile(r"^(\(?[ .-]*)0[ .-]*0([ .-]*8[ .-]*6)")
PHONE_FORMS = ("手机号：1开头的11位，如 13912345678、139 1234 5678、+86 139 1234 5678；"
               "座机须带区号，如 0519-86310611、0519 86310611、(0519)86310611、+86-519-86310611；"
               "分机写在号码后，如 0519-86310611转8001 或 0519-86310611-8001")


def _national(text: str) -> str | None:
    """The canonical national form of one number (no extension) that phonenumbers reads, or None."""
    if "+" not in text:  # read as national, phonenumbers takes 1790… or 1259… for a carrier code
        text = "+86 " + text
    try:
        number = phonenumbers.parse(text)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or number.extension:
        return None
    digits = phonenumbers.national_significant_number(number)
    if _MOBILE.match(digits):
        return digits
    area = 2 if digits[:1] in ("1", "2") else 3  # 010 and 02x; every other area code has three digits
    landline = f"0{digits[:area]}-{digits[area:]}"
    return landline if _LANDLINE.match(landline) else None


def canonical_phone(text: str) -> str | None:
    """`13912345678`, `0519-86310611` or `0519-86310611转8001` for any printed form PHONE_PATTERN
    takes (full-width digits, spaces, parentheses, +86 …); None for anything else."""
    text = text.strip()
    if not _PHONE_GATE.match(text):
        return None
    plain = _COUNTRY_CODE.sub(r"\1+\2", unicodedata.normalize("NFKC", text).translate(_DASHES), count=1)
    explicit = _EXPLICIT_EXTENSION.match(plain)
    if explicit:
        main, extension = explicit.groups()
    else:
        whole = _national(plain)  # 0519-8631061-1 is one eight-digit number before it is an extension
        if whole is not None:
            return whole
        hyphen = _HYPHEN_EXTENSION.match(plain)
        if not hyphen:
            return None
        main, extension = hyphen.groups()
    national = _national(main)
    if national is None or _MOBILE.match(national):
        return None
    return f"{national}转{extension}"


def _local_only(text: str) -> bool:
    """A landline written without its area code (86310611, 8631 0611转8001)?"""
    plain = unicodedata.normalize("NFKC", text).translate(_DASHES)
    split = _EXPLICIT_EXTENSION.match(plain) or _HYPHEN_EXTENSION.match(plain)
    return any(re.fullmatch(r"[0-9 .-]+", part) and _LOCAL_ONLY.match(re.sub(r"[ .-]", "", part))
               for part in (plain, split and split.group(1)) if part)


class Phone(SafeString):
    """A Chinese mobile or landline in any printed form a clerk types (PHONE_PATTERN), kept in one
    canonical form: mobile `13912345678`, landline `0519-86310611`, extension `0519-86310611转8001`.
    A landline without its area code is refused: the service cannot know which city it is in."""

    documents_text = False  # PHONE_PATTERN says it all

    def __init__(self, *args, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("pattern", PHONE_PATTERN)
        metadata.setdefault("description", (
            f"中国大陆手机号或座机号，可按常见书写形式填写（全角数字、空格、连字符、点、括号均可）。{PHONE_FORMS}。"
            "服务统一保存并打印为规范形式：手机 13912345678，座机 0519-86310611，分机 0519-86310611转8001。"
            "不带区号的座机号（如 86310611）不予接受，因为无法确定所在城市，请补上区号"))
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        phone = canonical_phone(text)
        if phone is not None:
            return phone
        if _local_only(text):
            raise ValidationError(f"电话号码「{text}」缺少区号：座机号码须带区号，如 0519-86310611")
        raise ValidationError(f"电话号码「{text}」无法识别。{PHONE_FORMS}")


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
