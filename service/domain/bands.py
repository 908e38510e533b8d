"""Destination bands of 附件5/6, relative to 江苏省 常州市 武进区 (STUB: helper B implements)."""
from __future__ import annotations

from .model import Destination

BANDS = ("本区内", "市内跨区", "省内跨市", "跨省", "出国（境）")


def destination_band(dest: Destination) -> str:
    """One of BANDS; a country other than 中国, or 香港/澳门/台湾, is 出国（境）."""
    raise NotImplementedError
