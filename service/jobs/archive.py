"""The district's download of a finished batch: one zip, a folder `<编号>-<名称>/` per branch.

Each folder holds the branch's deliverables under their exact names (forms.md §1); with
format=both a zip of PDFs has the office zip's name, so it goes to the folder's PDF/ (as
`paicha render --format both` does). Branches that failed are listed in 未生成的支部.txt.
The zip is written to an unnamed temporary file one kept file at a time, never whole in memory,
with the entry conventions of service.documents.packages.zip_bytes (UTF-8 names, Unix
attributes, fixed times) so Info-ZIP, 7-Zip, bsdtar and Windows read the Chinese names.
"""
from __future__ import annotations

import contextlib
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO, Callable

from sqlalchemy import select

from service.clock import beijing, utcnow
from service.documents import stored
from service.domain.naming import safe_part
from service.errors import BatchNotReady, StorageFull
from service.office.determinism import FIXED_TIME
from service.store.artifacts import FULL, Artifacts, File, Key
from service.store.batches import BatchItem
from service.store.db import Database
from service.store.models import Artifact, Branch, Submission

from .progress import get

log = logging.getLogger(__name__)
FAILED_LIST = "未生成的支部.txt"
NO_ROOM = "服务器临时目录空间已满，无法打包批量生成的文件；请管理员清理空间后再下载"


@dataclass
class Archive:
    file: IO[bytes]  # positioned at 0; the caller closes it
    size: int
    filename: str
    ascii_filename: str


def archive(db: Database, artifacts: Artifacts, batch_id: str, converter: Callable[[], object]) -> Archive:
    """The finished batch's zip; BatchNotReady while it runs or when no branch has files."""
    with db.reading() as session:
        batch = get(session, batch_id)
        if batch.state != "finished":
            finished = batch.done + batch.failed + batch.skipped
            raise BatchNotReady(f"批量生成尚未完成（已完成 {finished}/{batch.total} 个支部），完成后再下载")
        if not batch.done + batch.skipped:
            raise BatchNotReady("该批次没有生成任何文件（全部支部都未能生成），无法下载；请查看各支部的失败原因")
        rows = session.execute(select(BatchItem, Branch.code, Branch.name).join(Branch, BatchItem.branch_id == Branch.id)
                               .where(BatchItem.batch_id == batch_id).order_by(BatchItem.position)).all()
        day = beijing(batch.created_at).strftime("%Y%m%d")
        both = batch.format == "both"
    out = tempfile.TemporaryFile(prefix="paicha-batch-")
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            failed = []
            for item, code, name in rows:
                folder = f"{safe_part(code)}-{safe_part(name or '')}"
                if item.state == "failed":
                    failed.append(f"{folder}：{item.error or '未能生成'}")
                    continue
                for artifact_id, package_id, fmt in item.artifact_ids or []:
                    file = _file(db, artifacts, artifact_id, item, package_id, fmt, converter)
                    pdf_zip = both and fmt == "pdf" and file.filename.endswith(".zip")
                    _add(zf, f"{folder}/{'PDF/' if pdf_zip else ''}{file.filename}", file.data)
            if failed:
                _add(zf, FAILED_LIST, ("\r\n".join(failed) + "\r\n").encode("utf-8-sig"), deflate=True)
        size = out.tell()
        out.seek(0)
    except BaseException as err:
        with contextlib.suppress(OSError):  # its last flush fails too when the disk is full
            out.close()  # an unnamed file: closing it frees whatever was written
        if isinstance(err, OSError) and err.errno in FULL:
            log.error("no room for batch %s's zip in the temporary directory", batch_id)
            raise StorageFull(NO_ROOM) from err
        raise
    return Archive(out, size, f"武进区教育系统-党员组织关系排查-{day}.zip", f"paicha-batch-{day}.zip")


def _add(zf: zipfile.ZipFile, name: str, data: bytes, deflate: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED  # office files are zips already
    info.create_system = 3  # Unix: Info-ZIP then reads the UTF-8 name as UTF-8
    info.external_attr = 0o100644 << 16
    zf.writestr(info, data)


def _file(db: Database, artifacts: Artifacts, artifact_id: int, item: BatchItem, package_id: str, fmt: str,
          converter: Callable[[], object]) -> File:
    """A kept file, checked against its hash; made again from the item's version if it was damaged or lost."""
    with db.reading() as session:
        row = session.get(Artifact, artifact_id)
        kept = artifacts.find(session, Key(row.source_hash, row.templates_hash, row.kind, row.target, row.format)) \
            if row is not None else None
    if kept is not None:
        return kept
    log.warning("batch item %s: artifact %s missing or damaged; made again", item.id, artifact_id)

    def canonical() -> dict:
        with db.reading() as session:
            return session.scalar(select(Submission.dataset).where(Submission.id == item.submission_id))

    output = stored.package_output(db, artifacts, item.content_hash, stored.loader(canonical), package_id, fmt,
                                   converter() if fmt == "pdf" else None, utcnow())
    return File(output.data, output.filename, output.ascii_filename, output.mimetype)
