"""A zip that arrived in an upload, opened and measured before anything unpacks it.

The clerk workbook (.xlsx) and a roster (.xlsx, .xlsm, .xlsb, .ods) are zips; a damaged one, one
with thousands of parts, or a "zip bomb" (a few KB that unpack to gigabytes) is refused here by
what its directory says, so no reader ever inflates it. Each caller words the refusal for its users.
"""
from __future__ import annotations

import io
import zipfile

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_RATIO = 200  # uncompressed / compressed, per entry (XML compresses well, but not 1000:1)


class ZipRefused(ValueError):
    """Why a zip is not opened: `damaged`, `entries` (too many parts: `count`) or `bomb`."""

    def __init__(self, kind: str, count: int = 0):
        super().__init__(kind)
        self.kind, self.count = kind, count


def open_measured(content: bytes) -> zipfile.ZipFile:
    """The zip, once its directory shows a sane number of parts and unpacked size; ZipRefused otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ZipRefused("damaged") from None
    if len(entries) > MAX_ENTRIES:
        raise ZipRefused("entries", len(entries))
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (entry.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise ZipRefused("bomb")
    return archive
