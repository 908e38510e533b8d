"""Which member field each roster column holds: proposed by its label, confirmed by its values.

A label (labels.py) only proposes; the column's values must confirm it (normalise.fits, for at
least 80% of its filled cells), so 人员类别 holding 正式党员/预备党员 becomes 党员类别 and holding
在职/退休 becomes 人员类别. Each column says why, in Chinese: which label matched and what the values
confirmed, or why it was ignored. A caller's mapping ({column letter or header: field or None})
overrides, and its cells are still read and checked one by one.
"""
from __future__ import annotations

from dataclasses import dataclass

from service.errors import BadRoster

from .header import Header, HeaderColumn
from .labels import FIELD_LABELS, FIELD_TITLES, fold, other_label, proposals
from .normalise import Memo
from .sheets import Sheet
from .words import ENUMS

CONFIRM_SHARE = 0.8
_SHOWN_VALUES = 5


@dataclass
class ColumnMap:
    header: HeaderColumn
    field: str | None
    why: str
    rank: tuple = ()  # (label level, label rank): the better label wins a field two columns claim

    def as_dict(self) -> dict:
        return {"column": self.header.letter, "header": self.header.text, "field": self.field, "why": self.why}


def column_values(sheet: Sheet, rows: list[int], column: int) -> list:
    """The column's filled cells in the data rows."""
    return [v for v in (sheet.value(r, column) for r in rows) if v is not None]


def confirm(field: str, values: list, memo: Memo) -> tuple[bool, str]:
    """Whether the values confirm the field, and what they showed (no personal data: counts, or the
    enumeration's values)."""
    if not values:
        return False, "该列没有数据"
    good = sum(1 for v in values if memo.fits(field, v))
    ok = good >= CONFIRM_SHARE * len(values)
    if field in ENUMS and ok:
        shown = list(dict.fromkeys(memo.read(field, v) for v in dict.fromkeys(values) if memo.fits(field, v)))
        more = "等" if len(shown) > _SHOWN_VALUES else ""
        return True, f"该列的值为{'、'.join(shown[:_SHOWN_VALUES])}{more}"
    what = {"name": "像姓名", "id_number": "像公民身份号码", "phone": "是电话号码",
            "job_post": "是文字", "home_address": "是文字", "remarks": "是文字"}.get(field, "是日期")
    if field in ENUMS:
        what = f"是{FIELD_TITLES[field]}的值"
    count = f"该列 {len(values)} 个值都{what}" if good == len(values) else f"该列 {len(values)} 个值中 {good} 个{what}"
    return ok, count


def _proposals(column: HeaderColumn) -> list[tuple[str, str, tuple]]:
    """(field, label, rank) proposals, the sub-label's first, then the group label's, then the whole."""
    seen, out = set(), []
    texts = list(reversed(column.parts)) + ([column.text] if len(column.parts) > 1 else [])
    for level, text in enumerate(texts):
        for field, label, rank in proposals(text):
            if field not in seen:
                seen.add(field)
                out.append((field, label, (level, rank)))
    return out


def _auto(sheet: Sheet, rows: list[int], column: HeaderColumn, memo: Memo) -> ColumnMap:
    if not column.parts:
        return ColumnMap(column, None, "没有列名，未导入")
    found = _proposals(column)
    if not found:
        if other_label(column.parts[-1]):
            return ColumnMap(column, None, f"「{column.text}」不是要导入的党员信息，未导入")
        return ColumnMap(column, None, "列名无法识别，未导入；如需导入，请指定它对应的字段")
    values = column_values(sheet, rows, column.column)
    failed = []
    for field, label, rank in found:
        ok, detail = confirm(field, values, memo)
        if ok:
            return ColumnMap(column, field, f"{_named(column, label)}对应「{FIELD_TITLES[field]}」；{detail}", rank)
        failed.append(f"「{FIELD_TITLES[field]}」（{detail}）")
    return ColumnMap(column, None, f"{_named(column, found[0][1])}像{'或'.join(failed)}，数据不符，未导入")


def _named(column: HeaderColumn, label: str) -> str:
    return f"列名「{label}」" if fold(column.text) == label else f"列名「{column.text}」中的「{label}」"


def _by_caller(sheet: Sheet, rows: list[int], column: HeaderColumn, field: str | None, memo: Memo) -> ColumnMap:
    if field is None:
        return ColumnMap(column, None, "按指定的对应关系不导入")
    values = column_values(sheet, rows, column.column)
    ok, detail = confirm(field, values, memo)
    why = f"按指定的对应关系读作「{FIELD_TITLES[field]}」"
    if not ok:
        why += f"；注意：{detail}，不符的单元格列在问题中" if values else f"；{detail}"
    return ColumnMap(column, field, why, (-1, 0))


def _caller_fields(header: Header, mapping: dict) -> dict[int, str | None]:
    """{column number: field or None} from a mapping keyed by column letter or header text."""
    if not isinstance(mapping, dict):
        raise BadRoster("对应关系应为 {列字母或列名: 字段名或 null} 形式的对象")
    out: dict[int, str | None] = {}
    for key, field in mapping.items():
        if field is not None and (not isinstance(field, str) or field not in FIELD_LABELS):
            names = "、".join(f"{f}（{t}）" for f, t in FIELD_TITLES.items())
            raise BadRoster(f"对应关系中的「{field}」不是可以导入的字段；可用的字段：{names}")
        column = next((c for c in header.columns if c.letter == str(key).strip().upper()), None) or next(
            (c for c in header.columns if c.parts and fold(c.text) == fold(key)), None)
        if column is None:
            raise BadRoster(f"对应关系中的列「{key}」在表头中没有找到")
        out[column.column] = field
    taken = [f for f in out.values() if f is not None]
    for field in set(taken):
        if taken.count(field) > 1:
            raise BadRoster(f"对应关系把多列都指定为「{FIELD_TITLES[field]}」，每个字段只能对应一列")
    return out


def map_columns(sheet: Sheet, header: Header, rows: list[int], memo: Memo,
                mapping: dict | None = None) -> list[ColumnMap]:
    """One ColumnMap per header column, each field held by one column at most; `rows` are the data
    rows (rows.data_rows)."""
    given = _caller_fields(header, mapping or {})
    maps = [_by_caller(sheet, rows, c, given[c.column], memo) if c.column in given else _auto(sheet, rows, c, memo)
            for c in header.columns]
    winners: dict[str, ColumnMap] = {}
    for m in maps:
        if m.field and (m.field not in winners or m.rank < winners[m.field].rank):
            winners[m.field] = m
    for m in maps:
        winner = winners.get(m.field) if m.field else None
        if winner is not None and winner is not m:
            m.why = f"「{FIELD_TITLES[m.field]}」已从 {winner.header.letter} 列「{winner.header.text}」读取，本列未导入"
            m.field = None
    return maps
