"""The campaign archive (归档): every branch's deliverables as it sent them, in a form that lasts.

One job on the batch queue (RQ when REDIS_URL is set, else the thread pool in this process). The
zip holds a folder `<编号>-<名称>/` per branch with a valid version; in it each document of each
deliverable as PDF/A-2b (LibreOffice's SelectPdfVersion=2, fonts embedded), the tables also as
XLSX, and at the top `manifest.csv`: branch, deliverable, version, 校验码, file, SHA-256, 报送 time.

Which version: the one the branch sent the deliverable in (its current 报送,
service.store.district_charts.sent); a deliverable not sent yet (or reopened by a 退回修改) is archived from the
newest valid version and says so (说明 column, and 「未报送」 in its file name).

Nothing is converted twice: each PDF/A is kept as an artifact keyed by the SHA-256 of the office
file it was made from (kind document, target "pdfa"), so an unchanged second archive converts
nothing and only a branch's new version costs conversions. The zip itself is kept as an artifact
(kind package, target "district_archive", keyed by its manifest's hash).
"""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import and_, select

from service.clock import beijing, utcnow
from service.documents import packages, stored
from service.documents.fingerprint import templates_hash
from service.documents.render import Output
from service.domain import catalog
from service.domain.naming import safe_part
from service.errors import ArchiveNotReady, ConversionUnavailable, NoArchive, NotValidVersion, PaichaError
from service.office.determinism import FIXED_TIME
from service.store import archives, district_charts
from service.store.artifacts import Artifacts, File, Key
from service.store.db import Database
from service.store.models import Artifact, Branch, Submission

from . import tasks
from .runner import Runner

log = logging.getLogger(__name__)
JOB = "service.jobs.district_archive.run"
PDFA = "pdfa-2b"  # the templates_hash part of a PDF/A's key: what made it is the office file, not a template
MANIFEST = "manifest.csv"
COLUMNS = ("支部编号", "支部名称", "材料", "版本", "校验码", "文件", "SHA-256", "报送时间", "说明")
NOT_SENT = "未报送，取最新有效版本"
NO_PDF = "未启用 PDF 转换（LibreOffice），无法生成归档所需的 PDF/A 文件；请管理员启用后再归档"
NOTHING = "尚无党组织报送有效数据，没有可归档的材料"
FAILED = "归档时程序出错（{name}），已记录；请重新归档"


class Counter:
    """The PDF/A conversions made, counted from the branches' threads."""

    def __init__(self):
        self.value, self._lock = 0, threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.value += 1


@dataclass(frozen=True)
class Version:
    submission_id: int
    version: int
    content_hash: str
    verification_code: Optional[str]


def start(db: Database, runner: Runner, actor: Optional[str], now: datetime) -> str:
    """A new archive row and its job; the archive's id. NotValidVersion when no branch has anything."""
    runner.check()
    with db.writing() as session:
        total = session.scalar(select(Branch.id).where(Branch.latest_valid_version.is_not(None)).limit(1))
        if total is None:
            raise NotValidVersion(NOTHING)
        count = len(session.scalars(select(Branch.id).where(Branch.latest_valid_version.is_not(None))).all())
        token = archives.start(session, actor, count, now).token
    runner.submit_task(JOB, build_logged, token)
    return token


def run(token: str) -> str:
    """The RQ job function (`paicha worker` sets tasks.CONTEXT)."""
    if tasks.CONTEXT is None:
        raise RuntimeError("the archive job runs in `paicha worker`, which sets up its context")
    return build_logged(tasks.CONTEXT, token)


def build_logged(ctx: tasks.Context, token: str) -> str:
    """build(), its failure written to the archive's row (and the log) instead of raised."""
    try:
        build(ctx.db, ctx.artifacts, ctx.converter, token)
        return "done"
    except Exception as err:  # noqa: BLE001 - whatever it was, the row says it failed
        message = err.message if isinstance(err, PaichaError) else FAILED.format(name=type(err).__name__)
        log.error("archive %s failed: %s", token, type(err).__name__)
        with ctx.db.writing() as session:
            archives.fail(session, token, message, utcnow())
        return "failed"


def build(db: Database, artifacts: Artifacts, converter, token: str) -> None:
    """Make the zip, keep it, finish the row."""
    convert = converter()
    if convert is None:
        raise ConversionUnavailable(NO_PDF)
    with db.reading() as session:
        sent = district_charts.sent(session)
        branches = session.execute(select(Branch.code, Branch.name, Branch.latest_valid_version)
                                   .where(Branch.latest_valid_version.is_not(None)).order_by(Branch.code)).all()
        versions = _valid_versions(session)
    counter = Counter()

    def one(branch) -> tuple[list[list[str]], list[tuple[str, bytes]]]:
        code, name, newest = branch
        folder = f"{safe_part(code)}-{safe_part(name or '')}"
        rows, entries = [], []
        for deliverable in catalog.DELIVERABLE_IDS:
            was = sent.get(code, {}).get(deliverable)
            version = versions[code][was.version if was is not None else newest]
            at = beijing(was.at).isoformat(timespec="seconds") if was is not None else ""
            for filename, data in _files(db, artifacts, convert, version, deliverable, was is None, counter):
                path = f"{folder}/{filename}"
                entries.append((path, data))
                rows.append([code, name or "", catalog.DELIVERABLE_LABELS[deliverable], str(version.version),
                             version.verification_code or "", path, hashlib.sha256(data).hexdigest(), at,
                             "" if was is not None else NOT_SENT])
        return rows, entries

    rows: list[list[str]] = []
    entries: list[tuple[str, bytes]] = []
    # branches side by side on as many LibreOffice instances as the converter has, in code order in the zip
    with ThreadPoolExecutor(max_workers=max(1, int(getattr(convert, "parallelism", 1) or 1))) as pool:
        for done, (branch_rows, branch_entries) in enumerate(pool.map(one, branches), start=1):
            rows += branch_rows
            entries += branch_entries
            with db.writing() as session:
                archives.advance(session, token, done, counter.value)
    manifest = _manifest(rows)
    data = zip_archive([(MANIFEST, manifest)] + entries)
    with db.writing() as session:
        row = archives.get(session, token)
        day = beijing(row.created_at).strftime("%Y%m%d")
        key = Key(hashlib.sha256(manifest).hexdigest(), templates_hash(), "package", "district_archive", "zip")
        kept = artifacts.save(session, key, File(data, f"{catalog.DISTRICT.file_prefix}-归档-{day}.zip",
                                                 f"paicha-archive-{day}.zip", catalog.MIMETYPES["zip"]), utcnow())
        archives.finish(session, token, kept.id, counter.value, utcnow())


def _valid_versions(session) -> dict[str, dict[int, Version]]:
    rows = session.execute(select(Branch.code, Submission.id, Submission.version, Submission.content_hash,
                                  Submission.verification_code)
                           .join(Submission, and_(Submission.branch_id == Branch.id, Submission.valid.is_(True))))
    out: dict[str, dict[int, Version]] = {}
    for r in rows:
        out.setdefault(r.code, {})[r.version] = Version(r.id, r.version, r.content_hash, r.verification_code)
    return out


def _files(db: Database, artifacts: Artifacts, convert, version: Version, deliverable: str, unsent: bool,
           counter: "Counter") -> list[tuple[str, bytes]]:
    """The deliverable's documents of this version: each as PDF/A, a table also as XLSX."""
    dataset = stored.loader(lambda: _dataset(db, version.submission_id))
    out = []
    for doc_id in packages.documents_of(catalog.PACKAGES[deliverable]):
        office = stored.document_output(db, artifacts, version.content_hash, dataset, doc_id, None, None, utcnow())
        kind = catalog.DOCUMENTS[doc_id].kind
        stem = office.filename.rsplit(".", 1)[0] + f"-第{version.version}版" + ("-未报送" if unsent else "")
        out.append((f"{stem}.pdf", _pdfa(db, artifacts, convert, office, kind, stem, counter)))
        if catalog.DOCUMENTS[doc_id].is_table and kind == "xlsx":
            out.append((f"{stem}.xlsx", office.data))
    return out


def _pdfa(db: Database, artifacts: Artifacts, convert, office: Output, kind: str, stem: str, counter: "Counter") -> bytes:
    """The PDF/A of an office file: kept by the file's own hash, converted only the first time."""
    key = Key(hashlib.sha256(office.data).hexdigest(), PDFA, "document", "pdfa", "pdf")

    def make() -> Output:
        counter.add()
        return Output(convert.convert(office.data, kind, pdfa=True), f"{stem}.pdf", "archive.pdf",
                      catalog.MIMETYPES["pdf"])

    return stored.kept_or_made(db, artifacts, key, utcnow(), make, must_keep=True).data


def _dataset(db: Database, submission_id: int) -> dict:
    with db.reading() as session:
        return session.scalar(select(Submission.dataset).where(Submission.id == submission_id))


def _manifest(rows: list[list[str]]) -> bytes:
    """manifest.csv in UTF-8 with a BOM (Excel opens it as UTF-8), CRLF lines."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def zip_archive(entries: list[tuple[str, bytes]]) -> bytes:
    """The zip, with the entry conventions of packages.zip_bytes (Unix attributes, so that the UTF-8 flag
    Python sets on every non-ASCII name is honoured; fixed times); PDFs and office files are stored
    (already compressed), the manifest deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED if name.endswith(".csv") else zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data)
    return out.getvalue()


# ---- reading it back ------------------------------------------------------------------------------------


def progress(row) -> dict:
    percent = 100 if row.state == "finished" else (int(row.done * 100 / row.total) if row.total else 0)
    if row.state == "finished":
        message = f"归档完成：{row.total} 个党组织，新转换 PDF/A {row.converted} 个（其余沿用已保存的）"
    elif row.state == "failed":
        message = f"归档失败：{row.message or '原因未记录'}"
    else:
        message = f"正在归档：已完成 {row.done}/{row.total} 个党组织"
    return {"id": row.token, "state": row.state, "actor": row.actor, "created_at": row.created_at.isoformat(),
            "finished_at": row.finished_at.isoformat() if row.finished_at else None, "total": row.total,
            "done": row.done, "converted": row.converted, "percent": percent, "message": message}


def one(db: Database, token: str) -> Optional[dict]:
    with db.reading() as session:
        row = archives.get(session, token)
        return progress(row) if row is not None else None


def newest_zip(db: Database, artifacts: Artifacts) -> File:
    """The newest finished archive; ArchiveNotReady while the first is building, NoArchive before any."""
    with db.reading() as session:
        finished = archives.newest(session, "finished")
        if finished is None:
            building = archives.newest(session, "building")
            if building is not None:
                raise ArchiveNotReady(f"第一份归档正在生成（已完成 {building.done}/{building.total} 个党组织），完成后再下载")
            raise NoArchive("还没有归档：请先在“归档”页面点击“生成归档”（或 POST /api/v1/district/archive）")
        row = session.get(Artifact, finished.artifact_id)
        kept = artifacts.find(session, Key(row.source_hash, row.templates_hash, row.kind, row.target, row.format))
    if kept is None:
        raise NoArchive("归档文件已丢失或损坏：请重新生成归档")
    return kept
