"""Phrase helpers the narrative drafts share: counts, name lists, dates and clerk overrides.

Counts read as a 党务干事 writes them: "3名", parts joined with 、, and zero parts left out, so a
branch with nothing to report never prints "0名流动党员：".
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Optional

from . import idcard
from .model import Dataset, Member

NAME_LIMIT = 5  # a section lists names when at most this many members are concerned

_SELF = {"党支部": "支部", "党总支": "党总支", "党委": "党委"}


def us(ds: Dataset) -> str:
    """How the branch names itself in its own documents: 支部, 党总支, 党委."""
    return _SELF.get(ds.org.org_type, "支部")


def secretary_title(ds: Dataset) -> str:
    return {"党支部": "党支部书记", "党总支": "党总支书记", "党委": "党委书记"}.get(ds.org.org_type, "书记")


def ym(d: date) -> str:
    """2021年9月, for month-precision facts in prose."""
    return f"{d.year}年{d.month}月"


def names(members: Iterable[Member], limit: int = NAME_LIMIT) -> str:
    """李志强、张敏 — or 李志强、张敏等8名同志 when the list is long."""
    ms = list(members)
    shown = "、".join(m.name for m in ms[:limit])
    return shown if len(ms) <= limit else f"{shown}等{len(ms)}名同志"


def masked(m: Member) -> str:
    """李志强（3204**********0291）: the member as 核查情况 names them."""
    return f"{m.name}（{idcard.mask(m.id_number)}）"


def count_parts(parts: Iterable[tuple[str, int]]) -> str:
    """[('跨省', 1), ('省内跨市', 0)] → 跨省1名; zero parts are left out."""
    return "、".join(f"{label}{n}名" for label, n in parts if n)


def none_of(ds: Dataset, labels: list[str]) -> str:
    """本支部无外出流动党员、“空挂”党员。"""
    return f"本{us(ds)}无" + "、".join(labels) + "。" if labels else ""


def all_(n: int, text: str) -> str:
    """均已… for several members, 已… for one."""
    return f"均{text}" if n > 1 else text


def paragraphs(text: Optional[str]) -> list[str]:
    """A clerk's override as paragraphs: one per non-empty line."""
    if not text:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def drafted_or(override: Optional[str], drafted: list[str]) -> list[str]:
    """The clerk's text replaces the drafted paragraphs; figures are never passed through here."""
    return paragraphs(override) or drafted


_NUMBERED = re.compile(r"^\s*(?:\d+\s*[.．、]|[（(]\d+[）)]|[一二三四五六七八九十]+、)\s*")


def numbered(items: Iterable[str]) -> list[str]:
    """1．… 2．…, with any numbering a clerk typed removed first so it is never doubled."""
    clean = [_NUMBERED.sub("", s).strip() for s in items]
    return [f"{i}．{s}" for i, s in enumerate((s for s in clean if s), start=1)]


def sub(title: str, paras: list[str]) -> dict:
    """A （一） subsection: its heading and its paragraphs."""
    return {"title": title, "paragraphs": paras}


CN_NUMBERS = "一二三四五六七八九十"


def subsections(items: list[tuple[str, list[str]]]) -> list[dict]:
    """Numbered （一）（二）… subsections, skipping empty ones so the numbering has no gaps."""
    kept = [(t, p) for t, p in items if p]
    return [sub(f"（{_cn(i)}）{t}", p) for i, (t, p) in enumerate(kept, start=1)]


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMBERS[tens - 1]) + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def place(m: Member) -> str:
    """外出地点 in prose: 上海市浦东新区（随子女居住）."""
    d = m.outgoing.destination
    parts: list[str] = []
    for part in (None if d.country in ("", "中国") else d.country, d.province, d.city, d.county):
        if part and part not in parts:
            parts.append(part)
    text = "".join(parts) or "外地"
    return f"{text}（{d.detail}）" if d.detail else text
