"""Rendered files kept for reuse, keyed by what made them: a version's content hash and the templates' hash.

The bytes live in the database, or in ARTIFACT_DIR (a directory every worker reaches) under their
own SHA-256. A file is written whole under a temporary name, flushed to disk and renamed before its
row is written, and its hash is checked whenever it is read back: a crash leaves at worst an
unreferenced file, never a row pointing at half a file, and a damaged file is rendered again, never
served.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from service.errors import StorageFull

from .models import Artifact

log = logging.getLogger(__name__)
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # no room: on the disk, in a quota, under a file size limit
NO_ROOM = "存放生成文件的目录（PAICHA_ARTIFACT_DIR）空间已满，文件没有保存；请管理员清理空间后重新生成"


@dataclass(frozen=True)
class Key:
    source_hash: str  # the submission's content hash
    templates_hash: str
    kind: str  # document | package
    target: str  # the catalog id
    format: str  # docx | xlsx | office | pdf


@dataclass(frozen=True)
class File:
    """A kept file: its bytes and the names it is sent under."""

    data: bytes
    filename: str
    ascii_filename: str
    mimetype: str


class Artifacts:
    """Find and keep artifacts; `directory` None keeps the bytes in the database."""

    def __init__(self, directory: Optional[str] = None):
        self.directory = Path(directory) if directory else None

    def find(self, session: Session, key: Key) -> Optional[File]:
        """The kept file for this key, if it is there and intact."""
        row = self._row(session, key, with_data=True)
        if row is None:
            return None
        data = self._bytes(row)
        if data is None or len(data) != row.size or hashlib.sha256(data).hexdigest() != row.content_hash:
            log.warning("artifact %s (%s %s) missing or damaged; it will be rendered again", row.id, row.target, row.format)
            return None
        return File(data, row.filename, row.ascii_filename, row.mimetype)

    def save(self, session: Session, key: Key, file: File, now: datetime) -> Artifact:
        """Keep a rendered file under its key (replacing a damaged or missing one)."""
        digest = hashlib.sha256(file.data).hexdigest()
        location = self._write(digest, file.filename, file.data) if self.directory else None
        row = self._row(session, key, with_data=False) or Artifact(**key.__dict__)
        row.content_hash, row.size, row.created_at = digest, len(file.data), now
        row.filename, row.ascii_filename, row.mimetype = file.filename, file.ascii_filename, file.mimetype
        row.storage = "directory" if location else "database"
        row.location = location
        row.data = None if location else file.data
        session.add(row)
        session.flush()
        return row

    def _row(self, session: Session, key: Key, with_data: bool) -> Optional[Artifact]:
        query = select(Artifact).where(*(getattr(Artifact, name) == value for name, value in key.__dict__.items()))
        return session.scalar(query.options(undefer(Artifact.data)) if with_data else query)

    def _bytes(self, row: Artifact) -> Optional[bytes]:
        if row.storage == "database":
            return row.data
        if self.directory is None or not row.location:
            return None
        try:
            return (self.directory / row.location).read_bytes()
        except OSError:
            return None

    def _write(self, digest: str, filename: str, data: bytes) -> str:
        """Whole or not at all, under the content's own hash; the path relative to the directory."""
        ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        relative = f"{digest[:2]}/{digest}.{ext}"
        target = self.directory / relative
        temporary = target.with_name(f".{digest}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except OSError as err:
            if err.errno in FULL:
                log.error("artifact directory full (%s): %s not kept", errno.errorcode.get(err.errno), relative)
                raise StorageFull(NO_ROOM) from err
            raise
        finally:
            temporary.unlink(missing_ok=True)
        return relative
