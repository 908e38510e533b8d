"""The key a confirmed column mapping is remembered under: a fingerprint of a file's header texts.

The next roster with the same headers (the same system's export, the same school's 花名册) gets the
same key, wherever its header starts, so the page can offer the mapping the clerk confirmed last
time; remember that mapping by header text, not by column letter. Width, spacing and line breaks
inside a header do not change the key; the order of the columns does.
"""
from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable


def mapping_key(headers: Iterable[str | None]) -> str:
    """A stable hex fingerprint of the header texts, in column order (blank headers left out)."""
    return hashlib.sha256("\x1f".join(filter(None, map(header_text, headers))).encode("utf-8")).hexdigest()


def header_text(text: str | None) -> str:
    """A header as the key sees it: NFKC, no whitespace ('' for a blank one)."""
    return "".join(unicodedata.normalize("NFKC", text).split()) if text else ""
