"""The 校验码 printed on every page: a short code of the dataset's canonical content.

A sealed paper copy handed to the district carries it, so the paper can be matched with the stored
version it was printed from, and a paper whose content differs from that version is caught. The
code is taken from the validated Dataset (defaults applied, phones in their printed form), not from
the bytes a client sent: the same content always gives the same code, however it was typed, and
any change to a member, a date or a figure's source gives another one.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from .diff import plain
from .model import Dataset

LABEL = "校验码"
SCHEME = b"paicha-verification-v1\n"  # a new canonical form gets a new scheme, never the same codes
_TYPED = re.compile(r"^[0-9A-F]{8}$")


def canonical(ds: Dataset) -> bytes:
    """The dataset as one canonical JSON text: sorted keys, ISO dates (months as YYYY-MM), UTF-8."""
    return json.dumps(plain(ds), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def verification_code(ds: Dataset) -> str:
    """Eight hexadecimal digits of the canonical content's SHA-256, printed as 7F3A-92C1."""
    digest = hashlib.sha256(SCHEME + canonical(ds)).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"


def printed(code: str) -> str:
    """How a page's footer shows it: 「校验码 7F3A-92C1」."""
    return f"{LABEL} {code}"


def footer_line(ds: Dataset) -> str:
    """What the footer of every page of every document prints, taken from the dataset being rendered."""
    return printed(verification_code(ds))


def parse(typed: str) -> str | None:
    """A code as someone types it from paper (spaces, lower case, full-width, with or without the
    hyphen or the label) in the printed form, or None when it cannot be one."""
    text = unicodedata.normalize("NFKC", typed or "").upper().replace(LABEL, "")
    text = re.sub(r"[\s\-—–:：]", "", text)
    return f"{text[:4]}-{text[4:]}" if _TYPED.match(text) else None
