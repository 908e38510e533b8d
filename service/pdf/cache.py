"""PDFs already made, keyed by the office bytes and the converter that made them.

DOCX/XLSX output is byte-identical for identical data (see determinism.py), so the sha256 of the
bytes plus the kind, LibreOffice's version string and whether PDF/A was asked names a PDF exactly:
a cached PDF is reused until the data, the templates or LibreOffice change. Bounded in bytes, least
recently used first out; optionally mirrored to a directory that survives restarts (bounded the same way).
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path


def cache_key(data: bytes, kind: str, version: str, pdfa: bool = False) -> str:
    """sha256 over converter version, kind (PDF/A marked) and document bytes.

    A plain PDF's key is what it was before PDF/A existed, so a cache kept on disk stays valid.
    """
    h = hashlib.sha256()
    h.update(version.encode("utf-8") + b"\0" + kind.encode("ascii") + (b"\0pdfa-2b" if pdfa else b"") + b"\0")
    h.update(data)
    return h.hexdigest()


class PdfCache:
    """An LRU of PDFs bounded by total bytes, in memory and optionally in a directory."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, directory: str | os.PathLike | None = None,
                 dir_max_bytes: int | None = None):
        self.max_bytes = max_bytes
        self.directory = Path(directory) if directory else None
        self.dir_max_bytes = dir_max_bytes if dir_max_bytes is not None else max_bytes * 4
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        if self.directory:
            self.directory.mkdir(parents=True, exist_ok=True)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        return self._size

    def get(self, key: str) -> bytes | None:
        with self._lock:
            pdf = self._items.get(key)
            if pdf is not None:
                self._items.move_to_end(key)
                return pdf
        pdf = self._read_file(key)
        if pdf is not None:
            self._remember(key, pdf)
        return pdf

    def put(self, key: str, pdf: bytes) -> None:
        self._remember(key, pdf)
        self._write_file(key, pdf)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def _remember(self, key: str, pdf: bytes) -> None:
        if len(pdf) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._items[key] = pdf
            self._size += len(pdf)
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.pdf"

    def _read_file(self, key: str) -> bytes | None:
        if not self.directory:
            return None
        path = self._path(key)
        try:
            pdf = path.read_bytes()
            os.utime(path)  # recently used
        except OSError:
            return None
        return pdf

    def _write_file(self, key: str, pdf: bytes) -> None:
        if not self.directory or len(pdf) > self.dir_max_bytes:
            return
        tmp = self.directory / f".{key}.{threading.get_ident()}.tmp"
        try:
            tmp.write_bytes(pdf)
            os.replace(tmp, self._path(key))
        except OSError:
            tmp.unlink(missing_ok=True)
            return
        self._trim_dir()

    def _trim_dir(self) -> None:
        files = []
        for path in self.directory.glob("*.pdf"):
            try:
                st = path.stat()
            except OSError:
                continue
            files.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.dir_max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
