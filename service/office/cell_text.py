"""How text sets in a spreadsheet cell: its unbreakable pieces, its printed lines in a column, and
the column width that holds a number of characters. The filler (spreadsheet.py), the width plan
(column_widths.py) and the template builder (tools/build_xlsx_templates.py) count the same way.

Widths are in Excel's character unit. The templates' default font (仿宋_GB2312 11) makes it 5.5 pt in
LibreOffice; Excel and WPS give it 7 px (5.25 pt), the narrowest an office suite does, so lines are
counted in Excel's unit and a column is made wide enough for both.
"""
from __future__ import annotations

import math
import unicodedata
from functools import lru_cache

LINE_EM = 1.25  # a printed line of 仿宋_GB2312 in Excel and WPS (LibreOffice sets it closer, ~1.0 em)
# characters that may not begin a line (they stay with the one before) or end one (they go with
# the one after): the line-breaking rules both suites apply to Chinese text
NO_START = set("，。、：；！？）》」』】〕…％,.:;!?)]}%·")
NO_END = set("（《「『【〔([{")

EXCEL_UNIT_PT, EXCEL_PAD_PT, EXCEL_INDENT_PT = 5.25, 3, 7.5  # Excel: a 7 px unit, its margins, one indent step
LO_UNIT_PT, LO_PAD, LO_INDENT = 5.5, 0.8, 2.2  # LibreOffice: units, both margins and one indent step (units)


def char_em(ch: str) -> float:
    """Printed width of a character in em: CJK and full width 1, a digit half, punctuation less."""
    if unicodedata.east_asian_width(ch) in "WFA":
        return 1.0
    if ch in ".,:; ":
        return 0.3
    return 0.5 if ch.isdigit() or ch in "-Xx" else 0.55  # X: the check digit of an ID number


@lru_cache(maxsize=4096)  # the width plan counts the lines of the same texts at many widths
def _piece_widths(segment: str) -> tuple[float, ...]:
    return tuple(pieces(segment))


def pieces(segment: str) -> list[float]:
    """Widths (em) of the pieces a line may break between.

    A run of Latin letters and digits (a date, a number, a word) never breaks, a CJK character
    stands alone, and line-breaking rules glue punctuation to its neighbour.
    """
    parts: list[str] = []
    for ch in segment:
        wide = unicodedata.east_asian_width(ch) in "WF"
        glue = parts and (ch in NO_START or parts[-1][-1] in NO_END
                          or (not wide and not ch.isspace() and not parts[-1][-1].isspace()
                              and unicodedata.east_asian_width(parts[-1][-1]) not in "WF"))
        if glue:
            parts[-1] += ch
        else:
            parts.append(ch)
    return [sum(char_em(ch) for ch in part) for part in parts]


def widest_piece(text: str) -> float:
    """The widest piece of `text` (em): a column narrower than it would break a date or a number."""
    return max((w for segment in text.split("\n") for w in _piece_widths(segment)), default=0.0)


def lines(text: str, width: float, size: float, indent: float = 0) -> int:
    """Printed lines of `text` in a column `width` units wide, in a `size` pt font.

    The cell margins and the indent (about 7.5 pt a step in Excel, more in LibreOffice, whose unit
    is wider) come off. Lines are filled greedily, piece by piece (see pieces), so a date or a comma
    that cannot stay on a full line moves to the next, as it does when printed.
    """
    usable = _usable(width, indent)
    room = line_room(width, size, indent)
    total = 0
    for segment in text.split("\n"):
        if len(segment) * size < usable * 0.999:  # fits even if every character is wide
            total += 1
            continue
        count, used = 1, 0.0
        for piece in _piece_widths(segment):
            if used and used + piece > room:
                count, used = count + 1, 0.0
            if piece > room:  # a piece longer than a line is broken where it must be
                count += math.ceil(piece / room) - 1
                piece -= (math.ceil(piece / room) - 1) * room
            used += piece
        total += count
    return total


def widowed(text: str, width: float, size: float, indent: float = 0) -> bool:
    """Whether a line of `text` that wraps ends with one character alone (在岗教职/工, 2年8个/月)."""
    room = line_room(width, size, indent)
    for segment in text.split("\n"):
        used, last, count = 0.0, 0, 1
        for piece in _piece_widths(segment):
            if used and used + piece > room:
                used, last, count = 0.0, 0, count + 1
            used, last = used + piece, last + 1
        if count > 1 and last == 1 and used <= 1.0:
            return True
    return False


def _usable(width: float, indent: float) -> float:
    """The points of a column's width that text can use: the margins and the indent come off."""
    return max(width * EXCEL_UNIT_PT - EXCEL_PAD_PT - indent * EXCEL_INDENT_PT, 8)


def line_room(width: float, size: float, indent: float = 0) -> float:
    """The em a line of a `size` pt font holds in a column `width` units wide."""
    return _usable(width, indent) / size * 1.001  # (rounding of the widths aside)


def wrapped_height(count: int, size: float) -> float:
    """The row height (pt) that shows `count` lines of a `size` pt font, with half a line of air."""
    return count * size * LINE_EM + size * 0.5 + 2


def column_units(em: float, size: float, indented: bool = False) -> float:
    """The column width (units) that holds `em` characters of a `size` pt font on one line.

    Wide enough in both suites: LibreOffice (5.5 pt units, its margins and a ~10 pt indent) and
    Excel (narrower 5.25 pt units), which is how `lines` counts a line.
    """
    pt = em * size
    lo = pt / LO_UNIT_PT + LO_PAD + (LO_INDENT if indented else 0)
    excel = (pt + EXCEL_PAD_PT + (EXCEL_INDENT_PT if indented else 0)) / EXCEL_UNIT_PT
    return math.ceil(max(lo, excel) * 100 + 1) / 100
