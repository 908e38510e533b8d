"""Destination bands of 附件5/6, relative to 江苏省 常州市 武进区 (forms.md §3)."""
from __future__ import annotations

from typing import Optional

from .model import Destination

BANDS = ("本区内", "市内跨区", "省内跨市", "跨省", "出国（境）")
ABROAD_BAND = BANDS[4]

HOME = ("江苏", "常州", "武进")  # province, city, county without their suffixes
CHINA = {"", "中国", "中华人民共和国", "中国大陆", "中国内地", "china", "prc", "cn"}
OUTSIDE_MAINLAND = ("香港", "澳门", "台湾")
# longest first, so 广西壮族自治区 loses the whole suffix, not just 区
SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区",
            "省", "市", "区", "县")


def bare(name: Optional[str]) -> str:
    """A place name without whitespace and its administrative suffix: 江苏省 → 江苏, 武进区 → 武进."""
    text = "".join((name or "").split())
    for suffix in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _outside_mainland(name: str) -> bool:
    return any(place in name for place in OUTSIDE_MAINLAND)


def destination_band(dest: Destination) -> str:
    """One of BANDS; a country other than 中国, or 香港/澳门/台湾, is 出国（境）."""
    country = "".join((dest.country or "").split())
    if country.lower() not in CHINA:
        return ABROAD_BAND  # includes 中国香港, 中国台湾 and foreign countries
    province, city, county = bare(dest.province), bare(dest.city), bare(dest.county)
    if _outside_mainland(province) or _outside_mainland(city):
        return ABROAD_BAND
    if province and province != HOME[0]:
        return BANDS[3]
    if not province and city and city != HOME[1]:
        # province left out: a city of another province is still 跨省 — we cannot tell, so
        # keep it in the province only when the city is one we know to be 常州
        return BANDS[3]
    if city != HOME[1]:
        return BANDS[2]
    if county == HOME[2]:
        return BANDS[0]
    return BANDS[1]
