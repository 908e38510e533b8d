"""Byte-identical output for identical input: fixed zip timestamps and document properties.

DOCX and XLSX are zip files; python-docx/openpyxl stamp the current time into the zip entries and
into docProps/core.xml. Rewriting both makes the content hash a cache key for PDFs and lets batch
regeneration skip unchanged branches.
"""
from __future__ import annotations

import io
import re
import zipfile

FIXED_TIME = (2023, 1, 1, 0, 0, 0)
FIXED_W3C = "2023-01-01T00:00:00Z"
_CORE_DATES = re.compile(
    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)"
)
_CORE_PRINTED = re.compile(rb"<cp:lastPrinted>[^<]*</cp:lastPrinted>")


def fix_office_zip(data: bytes, creator: str = "Paicha") -> bytes:
    """The same package with fixed entry times, fixed core dates and a fixed author."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _fix_core(body, creator)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def _fix_core(body: bytes, creator: str) -> bytes:
    body = _CORE_DATES.sub(lambda m: m.group(1) + FIXED_W3C.encode() + m.group(3), body)
    body = _CORE_PRINTED.sub(b"", body)
    creator_b = creator.encode("utf-8")
    body = re.sub(rb"<dc:creator>[^<]*</dc:creator>", b"<dc:creator>" + creator_b + b"</dc:creator>", body)
    body = re.sub(
        rb"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>",
        b"<cp:lastModifiedBy>" + creator_b + b"</cp:lastModifiedBy>",
        body,
    )
    return body
