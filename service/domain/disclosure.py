"""What a reminder may not disclose: an ID number or a phone, however it is written.

Reminders name branches, deliverables and dates only. A branch name is the one piece of text in a
reminder that comes from outside, so the rules pass it through `redact`, and every channel checks
the whole message with `find` before it sends (refusing it whole, never sending a part).

The text is looked at as a clerk might have typed it: full-width digits, spaces, hyphens, dots or
parentheses between digits, +86 or 0086 in front. Matching is deliberately wide (any run of digits
that holds an 18-character ID number, a mobile 1[3-9]xxxxxxxxx, or a landline with its area code):
reminders of our own wording hold no run of more than four digits, so nothing of ours is caught,
and a name that holds such a run loses its digits rather than risk one. A landline written without
its area code is not recognised: seven or eight digits alone cannot be told from a date or a count.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

_DASHES = str.maketrans(dict.fromkeys("–—‐‑", "-"))  # NFKC folds － and 　, not the dashes
_COUNTRY = re.compile(r"\+86|(?<!\d)0086")  # the country code in front of a number (separators gone)
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s.\-()]+(?=\d)")
_FOUND = (
    ("身份证号码", re.compile(r"\d{17}[\dXx]")),
    ("电话号码", re.compile(r"1[3-9]\d{9}")),  # a mobile (also after a national 0)
    ("电话号码", re.compile(r"0[1-9]\d{1,2}[2-9]\d{6,7}")),  # a landline with its area code
)
# a run of digits with the separators a clerk puts between them: what `redact` replaces
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s.\-()]*\d)*")
MASK = "＊＊＊"


def _plain(text: str) -> str:
    """The text with digits as ASCII, no separators between digits and the country code (+86,
    0086 at the start of a number) as a national 0."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return _COUNTRY.sub("0", _BETWEEN_DIGITS.sub("", text))


def find(text: str) -> Optional[str]:
    """What the text would disclose (身份证号码 or 电话号码), or None; never the number itself."""
    plain = _plain(text)
    for what, pattern in _FOUND:
        if pattern.search(plain):
            return what
    return None


def redact(text: str) -> str:
    """The text, or, when it holds an ID number or a phone, the text in NFKC form (full-width
    digits and superscripts made plain, so none escapes) with every run of digits masked."""
    if find(text) is None:
        return text
    return _DIGIT_RUN.sub(MASK, unicodedata.normalize("NFKC", text).translate(_DASHES))
