"""Byte-identical output for identical input: fixed zip timestamps and document properties.

DOCX and XLSX are zip files; python-docx/openpyxl stamp the current time into the zip entries and
into docProps/core.xml. Rewriting both makes the content hash a cache key for PDFs and lets batch
regeneration skip unchanged branches. The package is written once, by `office_zip`, in the layout
`zipfile` writes (same headers, same deflate), so parts that never change between renders can be
compressed once (`Packed`) and reused.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterable, Union

FIXED_TIME = (2023, 1, 1, 0, 0, 0)
FIXED_W3C = "2023-01-01T00:00:00Z"
_CORE_DATES = re.compile(
    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)"
)
_CORE_PRINTED = re.compile(rb"<cp:lastPrinted>[^<]*</cp:lastPrinted>")
_DOS_TIME = (FIXED_TIME[3] << 11) | (FIXED_TIME[4] << 5) | (FIXED_TIME[5] // 2)
_DOS_DATE = ((FIXED_TIME[0] - 1980) << 9) | (FIXED_TIME[1] << 5) | FIXED_TIME[2]
_VERSION = 20  # deflate, what zipfile records for a ZIP_DEFLATED entry
_CREATE_SYSTEM = zipfile.ZipInfo("x").create_system  # 3 (Unix) or 0 (Windows), as zipfile does
_EXTERNAL_ATTR = 0o600 << 16


@dataclass(frozen=True)
class Packed:
    """An entry's bytes deflated once: a part that is the same in every render."""
    crc: int
    size: int
    deflated: bytes


def pack(data: bytes) -> Packed:
    z = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's compressor
    return Packed(zlib.crc32(data), len(data), z.compress(data) + z.flush())


def fix_office_zip(data: bytes, creator: str = "Paicha") -> bytes:
    """The same package with fixed entry times, fixed core dates and a fixed author."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return office_zip([(i.filename, src.read(i.filename)) for i in src.infolist()], creator)


def office_zip(entries: Iterable[tuple[str, Union[bytes, Packed]]], creator: str = "Paicha") -> bytes:
    """A package written once from its entries, with fixed times, core dates and author."""
    out = io.BytesIO()
    central = []
    for name, body in entries:
        if name == "docProps/core.xml" and isinstance(body, bytes):
            body = _fix_core(body, creator)
        packed = body if isinstance(body, Packed) else pack(body)
        raw_name, flags = _encoded(name)
        central.append(struct.pack(
            zipfile.structCentralDir, zipfile.stringCentralDir, _VERSION, _CREATE_SYSTEM, _VERSION,
            0, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, packed.crc, len(packed.deflated),
            packed.size, len(raw_name), 0, 0, 0, 0, _EXTERNAL_ATTR, out.tell()) + raw_name)
        out.write(struct.pack(
            zipfile.structFileHeader, zipfile.stringFileHeader, _VERSION, 0, flags,
            zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, packed.crc, len(packed.deflated),
            packed.size, len(raw_name), 0) + raw_name)
        out.write(packed.deflated)
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0,
                          len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _encoded(name: str) -> tuple[bytes, int]:
    """The entry name as zipfile stores it: ASCII, or UTF-8 with the language-encoding flag."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800


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
